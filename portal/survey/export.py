"""The operator's export of survey responses, as CSV or JSON, for the command and the admin page.

CSV cells hold the stored codes; several choices are joined with ";". Free text that a
spreadsheet would run as a formula gets a leading apostrophe (the downloads' rule, in
portal.spreadsheet_safety), so opening the file cannot execute what a respondent typed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from portal.spreadsheet_safety import neutralise_formula

FORMATS = ("csv", "json")
MULTIPLE_CHOICE_SEPARATOR = ";"


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
