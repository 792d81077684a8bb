"""Rows out as CSV for Excel, .xlsx or JSON, streamed to a file.

CSV is UTF-8 with a BOM (Excel's cue to read UTF-8; ``--encoding gb18030`` for
old Excel), every text cell that Excel would run as a formula neutralised with
a leading apostrophe, numbers left as numbers. The .xlsx is written by
openpyxl in write-only mode, so memory stays flat however many rows there are;
text cells are typed as text, so "=HYPERLINK(…)" stays the words it was (openpyxl
would otherwise store it as a formula) and comes back unchanged on import.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime

from sixbao_cli.services.export import Column
from sixbao_cli.sheets.cells import safe


def _cell(value: object, column: Column) -> object:
    if value is None:
        return ""
    if column.kind == "number":
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return safe(str(value))


def write_csv(path: str, columns: tuple[Column, ...], rows: Iterable[dict], *, encoding: str = "utf-8-sig") -> int:
    """Write a header and the rows; returns the number of rows."""
    n = 0
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([c.header for c in columns])
        for row in rows:
            writer.writerow([_cell(row[c.key], c) for c in columns])
            n += 1
    return n


def write_xlsx(path: str, columns: tuple[Column, ...], rows: Iterable[dict], *, title: str) -> int:
    """Write one sheet: a bold header, dates as dates, numbers as numbers, text as (inert) text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = WriteOnlyCell(sheet, value=c.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    n = 0
    for row in rows:
        out = []
        for c in columns:
            value = row[c.key]
            if value is None:
                out.append(None)
            elif c.kind == "datetime" and isinstance(value, datetime):
                out.append(value.replace(tzinfo=None).isoformat(timespec="seconds"))  # Excel has no time zones
            elif c.kind in ("date", "number"):
                out.append(value)
            else:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"
                out.append(cell)
        sheet.append(out)
        n += 1
    book.save(path)
    return n


def write_json(path: str, columns: tuple[Column, ...], rows: Iterable[dict]) -> int:
    """A JSON array of objects keyed by the columns' keys, dates as ISO strings, one object a line."""
    n = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[")
        for row in rows:
            data = {c.key: (row[c.key].isoformat() if isinstance(row[c.key], date) else row[c.key]) for c in columns}
            handle.write(("\n" if n == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
            n += 1
        handle.write("\n]\n" if n else "]\n")
    return n
