"""A `DownloadTable` as CSV, XLSX or JSON, written while it is sent.

CSV and JSON are produced row by row by generators. XLSX is a zip file that can only be
finished at the end: XlsxWriter writes it in constant-memory mode into a spooled temporary
file (in memory while small, on disk beyond), which is then sent in chunks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
from collections.abc import Iterator
from typing import IO, NamedTuple

import xlsxwriter
from flask_babel import gettext as _

from portal.downloads.tables import (
    Column,
    ColumnKind,
    DownloadTable,
    money_value,
    plain_value,
    share_value,
)
from portal.spreadsheet_safety import looks_like_formula, neutralise_formula

CSV_CHUNK_CHARACTERS = 16 * 1024
# An XLSX export stays in memory up to this size, then goes to a temporary file on disk.
XLSX_SPOOL_BYTES = 4 * 1024 * 1024
XLSX_READ_BYTES = 64 * 1024
XLSX_CELL_CHARACTERS = 32_767  # Excel's limit for one cell
XLSX_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
XLSX_NUMBER_FORMATS = {
    ColumnKind.MONEY: "#,##0.00",
    ColumnKind.SHARE: "0.0%",
    ColumnKind.INTEGER: "0",
    ColumnKind.DATE: "yyyy-mm-dd",
}
XLSX_COLUMN_WIDTHS = {
    ColumnKind.TEXT: 48,
    ColumnKind.CODE: 16,
    ColumnKind.INTEGER: 8,
    ColumnKind.MONEY: 16,
    ColumnKind.SHARE: 10,
    ColumnKind.DATE: 12,
}
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


class TextFormats(NamedTuple):
    """XLSX formats of text cells: as they are, and marked "quote prefix" (text that looks like
    a formula, which then stays text when edited in a spreadsheet)."""

    plain: xlsxwriter.format.Format
    quoted: xlsxwriter.format.Format


def csv_cell(column: Column, value: object) -> str:
    """One CSV field: numbers plain (dot decimal, no grouping), dates ISO 8601, text guarded."""
    if value is None:
        return ""
    if column.kind is ColumnKind.MONEY:
        return format(money_value(value), "f")
    if column.kind is ColumnKind.SHARE:
        return format(share_value(value), "f")
    if column.kind is ColumnKind.INTEGER:
        return str(int(value))
    if column.kind is ColumnKind.DATE:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return neutralise_formula(str(value))


def csv_chunks(table: DownloadTable) -> Iterator[str]:
    """RFC 4180 CSV (minimal quoting, CRLF line ends) with a header row, a chunk at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    columns = table.definition.columns
    writer.writerow(column.name for column in columns)
    for row in table.rows:
        writer.writerow(csv_cell(column, row.get(column.name)) for column in columns)
        if buffer.tell() >= CSV_CHUNK_CHARACTERS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(table: DownloadTable, generated_at: dt.datetime) -> Iterator[str]:
    """One JSON object: what the rows describe, the columns, then the rows one by one."""
    head = {
        "title": table.title,
        **table.about,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "row_count": table.row_count,
        "columns": [
            {
                "name": column.name,
                "type": column.kind.json_type,
                "format": "date" if column.kind is ColumnKind.DATE else None,
                "description": str(column.description),
            }
            for column in table.definition.columns
        ],
    }
    for column in head["columns"]:
        if column["format"] is None:
            del column["format"]
    opening = json.dumps(head, ensure_ascii=False)
    yield opening[:-1] + ', "rows": ['
    columns = table.definition.columns
    separator = "\n"
    for row in table.rows:
        record = {column.name: plain_value(column, row.get(column.name)) for column in columns}
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def _sheet_name(title: object) -> str:
    name = XLSX_SHEET_NAME.sub(" ", str(title)).strip("' ")
    return name[:31] or "Data"


def xlsx_file(table: DownloadTable, generated_at: dt.datetime) -> IO[bytes]:
    """The table as an XLSX workbook in a spooled temporary file, rewound for reading.

    The first sheet holds the rows under a bold, frozen header row with a filter; numbers
    and dates are real cells with number formats. A second sheet says what the file holds.
    Text is always written as text, never as a formula or a link; text that looks like a
    formula is also marked "quote prefix", so that editing the cell keeps it text.
    """
    # The caller sends the file and closes it (file_chunks), so no `with` here.
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    try:
        _write_workbook(spool, table, generated_at)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def _write_workbook(spool: IO[bytes], table: DownloadTable, generated_at: dt.datetime) -> None:
    workbook = xlsxwriter.Workbook(
        spool,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    formats = {
        kind: workbook.add_format({"num_format": number_format, "valign": "top"})
        for kind, number_format in XLSX_NUMBER_FORMATS.items()
    }
    text = workbook.add_format({"valign": "top"})
    text_formats = TextFormats(text, workbook.add_format({"valign": "top", "quote_prefix": True}))
    columns = table.definition.columns
    sheet = workbook.add_worksheet(_sheet_name(table.definition.label))
    for index, column in enumerate(columns):
        sheet.set_column(index, index, XLSX_COLUMN_WIDTHS[column.kind])
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.name, header)
    row_number = 0
    for row_number, row in enumerate(table.rows, start=1):
        for index, column in enumerate(columns):
            _write_cell(
                sheet, row_number, index, column, row.get(column.name), formats, text_formats
            )
    sheet.autofilter(0, 0, max(row_number, 1), len(columns) - 1)

    about = workbook.add_worksheet(_sheet_name(_("About this file")))
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 80)
    lines = [
        (_("Title"), table.title),
        (_("Rows"), str(table.row_count)),
        (_("Generated"), generated_at.isoformat(timespec="seconds")),
    ]
    lines += [(str(column.name), str(column.description)) for column in columns]
    for number, (label, value) in enumerate(lines):
        about.write_string(number, 0, label, header if number < 3 else text)
        _write_text(about, number, 1, value, text_formats)
    workbook.close()


def _write_cell(sheet, row: int, col: int, column: Column, value, formats, text_formats) -> None:
    if value is None:
        return
    kind = column.kind
    if kind is ColumnKind.MONEY:
        sheet.write_number(row, col, float(money_value(value)), formats[kind])
    elif kind is ColumnKind.SHARE:
        sheet.write_number(row, col, float(share_value(value)), formats[kind])
    elif kind is ColumnKind.INTEGER:
        sheet.write_number(row, col, float(value), formats[kind])
    elif kind is ColumnKind.DATE and isinstance(value, dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        sheet.write_datetime(row, col, value, formats[kind])
    else:
        _write_text(sheet, row, col, value, text_formats)


def _write_text(sheet, row: int, col: int, value: object, text_formats: TextFormats) -> None:
    string = str(value)[:XLSX_CELL_CHARACTERS]
    cell_format = text_formats.quoted if looks_like_formula(string) else text_formats.plain
    sheet.write_string(row, col, string, cell_format)


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """A file's bytes a chunk at a time; the file is closed when all is sent (or abandoned)."""
    try:
        while chunk := file.read(XLSX_READ_BYTES):
            yield chunk
    finally:
        file.close()
