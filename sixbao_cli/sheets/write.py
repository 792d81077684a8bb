"""Writing a sheet as CSV for Excel (UTF-8 with BOM, or GB18030) or as .xlsx, whole or not at all.

The file is written beside its destination under a temporary name and moved
into place when complete, so a failure leaves no half-written sheet and the
previous file intact. Text that Excel would run as a formula is neutralised
(CSV: a leading apostrophe; .xlsx: the cell is stored as text); numbers and
dates stay numbers and dates.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sixbao_cli.errors import InvalidInput
from sixbao_cli.outfiles import atomic_path
from sixbao_cli.sheets.cells import safe
from sixbao_cli.sheets.source import XLSX_SUFFIXES


@dataclass
class SheetData:
    """A table to write: an optional title row above the header, the rows, an optional note row below."""

    headers: list[str]
    rows: list[list[object]]
    title: str | None = None
    note: str | None = None
    widths: list[int] = field(default_factory=list)  # in characters, per column (for .xlsx)


def write_sheet(path: Path, data: SheetData, *, encoding: str | None = None) -> str:
    """Write ``data`` to ``path`` as .xlsx (by its suffix) or CSV in ``encoding``; returns the format written."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        if encoding:
            raise InvalidInput("sheet.encoding_for_csv", file=str(path))
        _write(path, lambda handle: _xlsx(handle, data))
        return "xlsx"
    codec = _csv_codec(encoding)
    _write(path, lambda handle: _csv(handle, data, codec))
    return "csv"


def _write(path: Path, write: Callable[[BinaryIO], None]) -> None:
    with atomic_path(path) as temp, open(temp, "wb") as handle:
        write(handle)


def _csv_codec(encoding: str | None) -> str:
    import codecs

    if not encoding:
        return "utf-8-sig"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InvalidInput("sheet.unknown_encoding", value=encoding) from None
    return "utf-8-sig" if name == "utf-8" else name


def _cell(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else safe(value)


def _csv(handle: BinaryIO, data: SheetData, codec: str) -> None:
    import io

    text = io.TextIOWrapper(handle, encoding=codec, newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    width = len(data.headers)
    if data.title:
        writer.writerow([safe(data.title)] + [""] * (width - 1))
    writer.writerow([safe(h) for h in data.headers])
    for row in data.rows:
        writer.writerow([_cell(v) for v in row])
    if data.note:
        writer.writerow([safe(data.note)] + [""] * (width - 1))
    text.flush()
    text.detach()


def _xlsx(handle: BinaryIO, data: SheetData) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for index, width in enumerate(data.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{3 if data.title else 2}"

    def cell(value: object, **style: object) -> WriteOnlyCell:
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            c.data_type = "s"  # text, not a formula
        if isinstance(value, date):
            c.number_format = "yyyy-mm-dd"
        for name, setting in style.items():
            setattr(c, name, setting)
        return c

    if data.title:
        sheet.append([cell(data.title, font=Font(bold=True, size=14))])
    head = dict(font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7"),
                alignment=Alignment(wrap_text=True, vertical="center"))
    sheet.append([cell(h, **head) for h in data.headers])
    for row in data.rows:
        sheet.append([cell(v) for v in row])
    if data.note:
        sheet.append([cell(data.note, alignment=Alignment(wrap_text=False))])
    workbook.save(handle)
