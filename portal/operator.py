"""The operator's pages (survey results, problem reports) and their exports, for the operator only.

A blueprint given to `protect` needs PORTAL_ADMIN_TOKEN, sent as a bearer token or as the password
of HTTP Basic authentication (any user name). Without a configured token its routes do not exist
(404). One address may present a wrong token PORTAL_ADMIN_RATE_LIMIT times (10 per minute), over
every protected blueprint together, before it is refused (429, with Retry-After). Nothing they
answer is kept by a cache.

The exports (`portal survey-export`, `portal problem-reports export`, the CSV downloads) are CSV
or JSON. CSV cells hold stored codes; several choices are joined with ";". Free text that a
spreadsheet would run as a formula gets a leading apostrophe (the downloads' rule, in
portal.spreadsheet_safety), so opening the file cannot execute what a visitor typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, Response, abort, current_app, make_response, render_template, request

from portal.config import ADMIN_RATE_LIMIT
from portal.extensions import limiter
from portal.spreadsheet_safety import neutralise_formula

REALM = "Open Results Portal administration"
FAILED_TOKEN_SCOPE = "operator-token"
FORMATS = ("csv", "json")
MULTIPLE_CHOICE_SEPARATOR = ";"


# --- Access --------------------------------------------------------------------------------


def _presented_token() -> str | None:
    authorization = request.authorization
    if authorization is None:
        return None
    if authorization.type == "bearer":
        return authorization.token
    if authorization.type == "basic":
        return authorization.password
    return None


def token_is_valid(expected: str, presented: str | None) -> bool:
    """Constant-time comparison, so response times do not reveal how much of a guess is right."""
    return hmac.compare_digest(expected.encode(), (presented or "").encode())


def _failed_token_rate() -> str:
    return current_app.config.get("PORTAL_ADMIN_RATE_LIMIT") or ADMIN_RATE_LIMIT


def _token_was_refused(response: Response) -> bool:
    return response.status_code == 401


def require_operator_token():
    expected = current_app.config.get("PORTAL_ADMIN_TOKEN")
    if not expected:
        abort(404)
    if not token_is_valid(expected, _presented_token()):
        response = make_response(render_template("operator/denied.html"), 401)
        response.headers.add("WWW-Authenticate", f'Basic realm="{REALM}", charset="UTF-8"')
        response.headers.add("WWW-Authenticate", f'Bearer realm="{REALM}"')
        return response
    return None


def keep_out_of_caches(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.vary.update(("Authorization", "Accept-Language"))
    return response


def protect(blueprint: Blueprint) -> Blueprint:
    """Make every route of `blueprint` the operator's: the token, its throttle, no caching."""
    # Guesses at the token are counted per address, over every protected route; the right
    # token never counts. Past the limit every request from that address is 429 until the
    # window ends, the right token included: letting it alone through would tell a guesser
    # which guess was right.
    limiter.shared_limit(_failed_token_rate, FAILED_TOKEN_SCOPE, deduct_when=_token_was_refused)(
        blueprint
    )
    blueprint.before_request(require_operator_token)
    blueprint.after_request(keep_out_of_caches)
    return blueprint


# --- Exports -------------------------------------------------------------------------------


def iso_utc(moment: dt.datetime) -> str:
    """A stored (naive UTC) time as the exports write it: 2026-11-28T09:30:15Z."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return MULTIPLE_CHOICE_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, str):
        return neutralise_formula(value)
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """A UTF-8 CSV text with a header row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def to_json(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """A JSON array of objects with the same keys as the CSV's columns."""
    records = [{column: row.get(column) for column in columns} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def render(export_format: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    if export_format == "csv":
        return to_csv(columns, rows)
    if export_format == "json":
        return to_json(columns, rows)
    raise ValueError(f"Unknown export format {export_format!r}; choose one of {FORMATS}.")


def csv_download(columns: Sequence[str], rows: Sequence[dict[str, Any]], filename: str) -> Response:
    response = Response(to_csv(columns, rows), mimetype="text/csv")  # text/csv; charset=utf-8
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_options(command: Callable) -> Callable:
    """`--format csv|json` and `-o FILE`, the options of every export command."""
    command = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Write to this file instead of standard output.",
    )(command)
    return click.option(
        "--format",
        "export_format",
        type=click.Choice(FORMATS),
        default="csv",
        show_default=True,
        help="CSV (one row per record) or JSON (an array of objects).",
    )(command)


def write_export(
    export_format: str,
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    output: Path | None,
    what: str,
) -> None:
    """Print the export, or write it to `output` and say how many `what` it holds."""
    text = render(export_format, columns, rows)
    if output is None:
        click.echo(text, nl=False)
        return
    with output.open("w", encoding="utf-8", newline="") as file:
        file.write(text)
    click.echo(f"Wrote {len(rows)} {what} to {output}.", err=True)
