"""One decision for every view: the whole page, or only the fragment HTMX asked for."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, make_response, render_template
from htmx_flask import request


def wants_fragment() -> bool:
    """A fragment only for a plain HTMX request: not boosted, not a history restore."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(
    page: str,
    fragment: str,
    /,
    status: int = 200,
    *,
    fragments_by_target: Mapping[str, str] | None = None,
    **context,
) -> Response:
    """Render `fragment` alone for HTMX, else `page` (which includes the same fragment).

    A page with several swappable regions names each region's fragment in
    `fragments_by_target`, keyed by the id HTMX sends in `HX-Target`; `fragment` answers an
    HTMX request for any other target. Such responses also vary on `HX-Target`.
    `page` and `fragment` are positional, so that a template may have a `page` variable.
    """
    template = page
    if wants_fragment():
        template = (fragments_by_target or {}).get(request.htmx.target or "", fragment)
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    if fragments_by_target:
        response.vary.add("HX-Target")
    return response
