"""One decision for every view: the whole page, or only the fragment HTMX asked for."""

from __future__ import annotations

from flask import Response, make_response, render_template
from htmx_flask import request


def wants_fragment() -> bool:
    """A fragment only for a plain HTMX request: not boosted, not a history restore."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context) -> Response:
    """Render `fragment` alone for HTMX, else `page` (which includes the same fragment)."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
