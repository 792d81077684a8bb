"""Opening a department's sheet: CSV or .xlsx, its encoding, delimiter and header row; then its rows, streamed.

CSV arrives in UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), GB18030/GBK
(Excel's plain "CSV" on a Chinese Windows) or UTF-16 (Excel's "Unicode
text"), separated by commas, semicolons or tabs. Encoding detectors misjudge
short Chinese files, so none is used: a first pass over the bytes (which
also takes the checksum) tells whether the whole file is UTF-8, and if not it
is read as GB18030. ``csv.Sniffer`` guesses delimiters badly on Chinese
text, so each delimiter is tried on the first rows and the one under which a
header row is found wins. .xlsx files are read with openpyxl in read-only
mode, row by row. Either way the rows are streamed: memory does not grow
with the file. A .json file (what ``export --format json`` writes: an array of
objects, one a row) is read whole; its keys are the header — each named by the
heading the same export writes in CSV — and its objects rows 2, 3 …, as in that CSV.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import warnings
import weakref
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sixbao_cli.errors import InvalidInput
from sixbao_cli.messages import os_reason
from sixbao_cli.sheets.cells import ShownAsPercent, is_blank
from sixbao_cli.sheets.header import Field, Layout, column_letter, header_key, match_header

XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t")
HEADER_SCAN_ROWS = 30
_SAMPLE_BYTES = 256 * 1024
_CHUNK = 1 << 20
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BINARY = (b"%PDF", b"{\\rtf", b"\x89PNG", b"\xff\xd8\xff")  # PDF, RTF, PNG, JPEG
_ODD_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
# The csv module refuses a field over 131,072 characters as a quoting error; a note pasted
# from a long report can be longer, and the row checks say what is wrong with it.
csv.field_size_limit(2**31 - 1)
# A row below the data that closes the table: a total, remarks, filling-in notes, signatures.
_FOOTER = re.compile(r"^(?:合计|总计|小计|备注|注[:：]|说明|填表说明|填报说明"
                     r"|审核人|填表人|制表人|负责人|单位负责人|联系人|联系电话)")


@dataclass(slots=True)
class Row:
    """One data row: its number as a spreadsheet shows it, its cells, whether it lies at or below a footer,
    and whether it is itself a footer line (合计…, 审核人：…, 填报人：…: its first cell says so)."""

    number: int
    cells: list
    footer: bool = False
    label: bool = False


class Sheet:
    """An opened sheet whose header is found; :meth:`rows` streams the rows below it."""

    def __init__(self, name: str, path: Path, kind: str, checksum: str, size: int, layout: Layout, *,
                 encoding: str | None = None, delimiter: str | None = None, sheet_name: str | None = None,
                 forced: bool = False, records: list[dict] | None = None):
        self.name = name
        self.path = path
        self.kind = kind
        self.checksum = checksum
        self.size = size
        self.layout = layout
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet_name = sheet_name
        self.forced = forced  # the encoding was given (--encoding), not detected
        self.file_name = path.name  # the file's own name (not a piped file's temporary copy), for the batch
        self._records = records  # a JSON file's objects
        self._keys: list[str] = []  # and their keys, in the header's order
        self._done = 0.0
        self._closers: list = []

    def fraction(self) -> float:
        """How much of the file is read, 0 to 1 (for a progress bar)."""
        return self._done

    def rows(self) -> Iterator[Row]:
        """The rows below the header, blank ones left out; a footer row and every row after it marked ``footer``."""
        source = {"csv": self._csv_rows, "xlsx": self._xlsx_rows, "json": self._json_rows}[self.kind]()
        width = self.layout.width
        footer = False
        for number, cells in source:
            if number <= self.layout.row:
                continue
            for first in cells:  # the first cell with something in it
                if first is not None and (first.__class__ is not str or first.strip()):
                    break
            else:
                continue
            label = isinstance(first, str) and bool(_FOOTER.match(unicodedata.normalize("NFKC", first).strip()))
            footer = footer or label
            if not footer and len(cells) > width:
                extra = [i for i in range(width, len(cells)) if not is_blank(cells[i])]
                if extra:
                    raise InvalidInput("sheet.too_many_fields", file=self.name, row=number, n=extra[-1] + 1,
                                       width=width, column=column_letter(extra[0]))
            yield Row(number, cells, footer, label)
        self._done = 1.0

    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        raw = open(self.path, "rb")  # noqa: SIM115 - closed below, or by close()
        self._closers.append(raw)
        text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
        number = 0

        def lines() -> Iterator[str]:
            # A NUL past the part looked at when the file was opened would pass the csv module
            # and reach the database, where PostgreSQL refuses it.
            for line in text:
                if "\x00" in line:
                    raise InvalidInput("sheet.nul", file=self.name, row=number + 1)
                yield line

        reader = csv.reader(lines(), delimiter=self.delimiter, strict=True)
        try:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    raise InvalidInput("sheet.bad_quotes", file=self.name, row=number + 1) from None
                except UnicodeDecodeError:
                    raise _not_encoded(self.name, number + 1, self.encoding, self.forced) from None
                number += 1
                if number & 1023 == 0:
                    self._done = raw.tell() / self.size if self.size else 1.0
                yield number, cells
        finally:
            raw.close()

    def _xlsx_rows(self) -> Iterator[tuple[int, list]]:
        workbook = _open_workbook(self.path, self.name)
        self._closers.append(workbook)
        sheet = workbook[self.sheet_name]
        total = sheet.max_row or 0  # as the file declares it: only for the progress bar
        sheet.reset_dimensions()  # a file declaring fewer rows than it holds would lose the rest
        cached = None
        merged = _vertical_merges(sheet)
        held: dict[int, tuple[object, int]] = {}  # column → (the merged cell's value, its last row)
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number & 1023 == 0 and total:
                self._done = min(number / total, 1.0)
            values = [c.value for c in cells]
            if held:
                values = _fill_merged(values, held, number)
                if len(values) > len(cells):  # a merged value reaching past the row's last cell
                    cells = (*cells, *[EMPTY] * (len(values) - len(cells)))
            if any(c.data_type == "f" for c in cells):
                # A formula counts for the value Excel last computed (=D2/E2*100 is 50); one never
                # computed (a file written by a program, not saved by Excel) stays the text it is.
                # The computed values are read in a second pass, from the first formula on.
                if cached is None:
                    cached = _cached_rows(self.path, self.name, self.sheet_name, number, self._closers)
                computed = next(cached, [])
                values = [computed[i] if c.data_type == "f" and i < len(computed) and computed[i] is not None else v
                          for i, (c, v) in enumerate(zip(cells, values, strict=True))]
            elif cached is not None:
                next(cached, None)  # keep the second pass on the same row
            for column, last in merged.get(number, ()) if number > self.layout.row else ():
                # (a heading merged over two rows is no data for the row under it)
                if column < len(values) and values[column] is not None:
                    held[column] = (values[column], last)
            yield number, [_xlsx_value(c, v) for c, v in zip(cells, values, strict=True)]
        workbook.close()

    def _json_rows(self) -> Iterator[tuple[int, list]]:
        keys = self._keys
        for number, record in enumerate(self._records or (), start=2):
            cells = [_json_value(record.get(k)) for k in keys]
            if any(isinstance(cell, str) and "\x00" in cell for cell in cells):  # "\u0000" in a JSON string
                raise InvalidInput("sheet.nul", file=self.name, row=number)
            yield number, cells

    def close(self) -> None:
        """Release the file (a stream abandoned half-way keeps it open until then)."""
        for handle in self._closers:
            handle.close()
        self._closers.clear()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sheet(path: Path, wanted: tuple[Field, ...], *, name: str | None = None, quiet: frozenset[str] = frozenset(),
               encoding: str | None = None, no_header: str = "sheet.no_header",
               json_keys: dict[str, str] | None = None) -> Sheet:
    """Open ``path`` and find its header row among the first rows; raise :class:`InvalidInput` for what cannot be read.

    ``wanted`` are the fields a header may name, ``quiet`` header keys that are
    known and passed over without a notice, ``encoding`` overrides the
    detection for CSV (``--encoding``), ``no_header`` is the message for a file
    with no header row (it names the columns the caller looks for), ``json_keys``
    the heading each key of a JSON export stands for.
    """
    name = name or str(path)
    suffix = path.suffix.lower()
    given = path
    path, spooled = _spool_stream(path, name)
    try:
        sheet = _open(path, name, suffix, wanted, quiet, encoding, no_header, json_keys)
    except BaseException:
        if spooled:
            os.unlink(path)
        raise
    if spooled:
        sheet.file_name = given.name
        weakref.finalize(sheet, os.unlink, path)
    return sheet


def _spool_stream(path: Path, name: str) -> tuple[Path, bool]:
    """A pipe (``<(iconv …)``, a FIFO, /dev/stdin) copied once into a temporary file; a file as it is.

    The file is read more than once (checksum and header, then the rows); a
    pipe gives its bytes only the first time.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path, False  # the first read says what is wrong with it
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)):
        return path, False
    handle, spool = tempfile.mkstemp(prefix="sixbao-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as target, open(path, "rb") as source:
            shutil.copyfileobj(source, target, _CHUNK)
    except BaseException as exc:  # Ctrl-C on a slow pipe too: no partial copy left behind
        os.unlink(spool)
        if isinstance(exc, OSError):
            raise InvalidInput("sheet.unreadable", file=name, reason=os_reason(exc)) from None
        raise
    return Path(spool), True


def _open(path: Path, name: str, suffix: str, wanted: tuple[Field, ...], quiet: frozenset[str],
          encoding: str | None, no_header: str, json_keys: dict[str, str] | None) -> Sheet:
    checksum, size, sample, utf8 = _scan(path, name)
    if suffix == ".xls":
        raise InvalidInput(_ole_kind(sample) or "sheet.old_xls", file=name)
    if suffix in XLSX_SUFFIXES:
        if encoding:
            raise InvalidInput("sheet.encoding_for_csv", file=name)
        if not sample.startswith(b"PK\x03\x04"):
            raise InvalidInput("sheet.bad_xlsx", file=name)
        kind = _zip_kind(path)
        if kind not in ("xlsx", None):
            raise InvalidInput(kind, file=name)
        return _open_xlsx(path, name, checksum, size, wanted, quiet, no_header)
    if suffix == ".json":
        if encoding:
            raise InvalidInput("sheet.encoding_for_json", file=name)
        return _open_json(path, name, checksum, size, wanted, quiet, no_header, json_keys or {})
    if sample.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
        raise InvalidInput("sheet.xlsx_as_csv" if kind in ("xlsx", None) else kind, file=name)
    if sample.startswith(_OLE):
        raise InvalidInput(_ole_kind(sample) or "sheet.old_xls", file=name)
    for signature in _BINARY:
        if sample.startswith(signature):
            raise InvalidInput("sheet.binary", file=name)
    codec = _codec(name, sample, utf8, encoding)
    text = _sample_text(name, sample, codec, complete=len(sample) == size, forced=bool(encoding))
    if not text.strip():
        raise InvalidInput("sheet.empty", file=name)
    visible = sum(1 for ch in text if not ch.isspace())
    if len(_ODD_CHARS.findall(text)) * 10 > visible:
        raise InvalidInput("sheet.binary", file=name)
    best: tuple[int, str, Layout] | None = None
    for delimiter in DELIMITERS:
        layout = _find_header(_sample_rows(text, delimiter), wanted, quiet, name)
        if layout is not None and (best is None or len(layout.columns) > best[0]):
            best = (len(layout.columns), delimiter, layout)
    if best is None:
        raise _no_header(name, encoding and codec, no_header)
    return Sheet(name, path, "csv", checksum, size, best[2], encoding=codec, delimiter=best[1], forced=bool(encoding))


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Office formats' compound file: .xls, .doc, .ppt


def _zip_kind(path: Path) -> str | None:
    """What a ZIP file holds, by its members: "xlsx", the message key for another document, or None (unknown)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "sheet.word"
    if "ppt/presentation.xml" in names:
        return "sheet.powerpoint"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "sheet.opendocument"
    return None


def _ole_kind(sample: bytes) -> str | None:
    """For an old Office compound file, the message key when its streams say it is not a workbook."""
    if not sample.startswith(_OLE):
        return None
    if "WordDocument".encode("utf-16-le") in sample:
        return "sheet.old_word"
    if "PowerPoint Document".encode("utf-16-le") in sample:
        return "sheet.powerpoint"
    return None


def _scan(path: Path, name: str) -> tuple[str, int, bytes, bool]:
    """One pass over the bytes: checksum, size, the first bytes, and whether the whole file is UTF-8."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    sample = b""
    size = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if len(sample) < _SAMPLE_BYTES:
                    sample += chunk[:_SAMPLE_BYTES - len(sample)]
                if utf8:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8 = False
        if utf8:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    except OSError as exc:
        raise InvalidInput("sheet.unreadable", file=name, reason=os_reason(exc)) from None
    if size == 0:
        raise InvalidInput("sheet.empty", file=name)
    return digest.hexdigest(), size, sample, utf8


def _codec(name: str, sample: bytes, utf8: bool, forced: str | None) -> str:
    if forced:
        try:
            codec = codecs.lookup(forced).name
        except LookupError:
            raise InvalidInput("sheet.unknown_encoding", value=forced) from None
        return "utf-8-sig" if codec == "utf-8" else codec
    if sample.startswith(_UTF16_BOMS):
        return "utf-16"
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"  # the BOM says UTF-8: a bad byte after it is damage, not GB18030
    if b"\x00" in sample:
        raise InvalidInput("sheet.binary", file=name)
    return "utf-8-sig" if utf8 else "gb18030"


def _sample_text(name: str, sample: bytes, codec: str, *, complete: bool, forced: bool) -> str:
    """The first bytes decoded (a character cut at the sample's end waits for the rest, which is not read)."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        text = decoder.decode(sample, final=complete)
    except UnicodeDecodeError as exc:
        row = sample[:exc.start].count(b"\n") + 1
        raise _not_encoded(name, row, codec, forced) from None
    return text


def _not_encoded(name: str, row: int, codec: str | None, forced: bool) -> InvalidInput:
    key = "sheet.not_encoded_forced" if forced else "sheet.not_encoded"
    return InvalidInput(key, file=name, row=row, encoding=_codec_label(codec))


def _codec_label(codec: str | None) -> str:
    return {"utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}.get(codec or "", (codec or "").upper())


def _sample_rows(text: str, delimiter: str) -> Iterator[tuple[int, list]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > HEADER_SCAN_ROWS:
                return
            yield number, cells
    except csv.Error:
        return  # a quoting problem shows up, with its row, when the rows are read


def _find_header(rows, wanted: tuple[Field, ...], quiet: frozenset[str], name: str) -> Layout | None:
    """The header among the first rows: the one naming the most known columns, the first of equals.

    Not simply the first row naming two: an information row above the header
    (填报单位：, 县发改局, 填报日期：, 2020年9月30日) names two as well.
    """
    strong = {alias for f in wanted for alias in f.aliases}
    best: tuple[int, int, list] | None = None
    for number, cells in rows:
        if number > HEADER_SCAN_ROWS:
            break
        known = sum(1 for cell in cells if cell is not None and header_key(cell) in strong)
        if known >= 2 and (best is None or known > best[0]):
            best = (known, number, cells)
    if best is None:
        return None
    return match_header(best[1], best[2], wanted, quiet=quiet, file=name)


def _no_header(name: str, forced: str | None, key: str = "sheet.no_header") -> InvalidInput:
    hint = "sheet.no_header_forced" if forced else key
    return InvalidInput(hint, file=name, rows=HEADER_SCAN_ROWS, encoding=_codec_label(forced))


# --- .xlsx ---------------------------------------------------------------------------


def _open_workbook(path: Path, name: str, *, cached: bool = False):
    """The workbook, read-only; ``cached``: formulas as the values Excel last computed for them."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # openpyxl warns, in English and with its own file path, about what it cannot read (data
    # validation, a date cell out of range …); the import says itself what is wrong with a cell.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
    try:
        return load_workbook(path, read_only=True, data_only=cached)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise InvalidInput("sheet.bad_xlsx", file=name) from None


def _xlsx_value(cell, value) -> object:
    if isinstance(value, float | int) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return ShownAsPercent(value)
    return value


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):[A-Z]+(\d+)"')


class _Empty:
    """A cell a merged one above fills: no number format of its own."""

    number_format = None
    data_type = None


EMPTY = _Empty()


def _vertical_merges(sheet) -> dict[int, list[tuple[int, int]]]:
    """The sheet's merged cells spanning rows: first row → [(0-based column, last row)].

    A 牵头单位 or 责任领导 merged over the tasks below it names each of them,
    but a workbook stores the value in the first cell only, and the read-only
    reader does not see merges: they are listed after the rows, in the
    sheet's XML, and read from it here. Merges within one row (a title across
    the table, a heading over two columns) are not data and are left alone.
    """
    from openpyxl.utils import column_index_from_string

    out: dict[int, list[tuple[int, int]]] = {}
    tail = b""
    # the sheet's XML, streamed (openpyxl's read-only sheet has no public way to it): merges come after the rows
    with sheet._get_source() as source:
        while True:
            chunk = source.read(_CHUNK)
            text = tail + chunk
            # a tag cut at the chunk's end waits for the next chunk, whole
            cut = text.rfind(b"<") if chunk else len(text)
            for found in _MERGE.finditer(text, 0, len(text) if cut < 0 else cut):
                first, last = int(found[2]), int(found[3])
                if last > first:
                    out.setdefault(first, []).append((column_index_from_string(found[1].decode()) - 1, last))
            if not chunk:
                return out
            tail = text[cut:] if cut >= 0 else b""


def _fill_merged(values: list, held: dict[int, tuple[object, int]], number: int) -> list:
    """``values`` with the cells inside a merged cell above given its value; ``held`` forgets ended merges."""
    for column, (value, last) in list(held.items()):
        if number > last:
            del held[column]
            continue
        if column >= len(values):
            values = values + [None] * (column + 1 - len(values))
        if values[column] is None:
            values[column] = value
    return values


def _cached_rows(path: Path, name: str, title: str, first: int, closers: list) -> Iterator[list]:
    """The sheet's rows from row ``first`` on, each cell's value as Excel last computed it."""
    workbook = _open_workbook(path, name, cached=True)
    closers.append(workbook)
    sheet = workbook[title]
    sheet.reset_dimensions()
    for cells in sheet.iter_rows(min_row=first):
        # Excel saves a formula that came out as empty text (=IF(F3="","",F3/2)) as a text cell without a
        # value, which openpyxl reads as None; a formula never computed has no type at all.
        yield ["" if c.value is None and getattr(c, "data_type", None) == "str" else c.value for c in cells]


def _open_xlsx(path: Path, name: str, checksum: str, size: int, wanted: tuple[Field, ...],
               quiet: frozenset[str], no_header: str) -> Sheet:
    """The visible worksheet with a header row among its first rows.

    Hidden sheets (the lists behind a drop-down, an old copy) are passed
    over. Two visible sheets with a header are refused rather than one
    guessed: each may hold rows, and a file is imported whole or not at all.
    """
    workbook = _open_workbook(path, name)
    anything = False
    found: list[tuple[str, Layout]] = []
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            sheet.reset_dimensions()  # the size the file declares can be wrong: look at the rows themselves
            rows = []
            for number, cells in enumerate(sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
                rows.append((number, list(cells)))
                anything = anything or any(not is_blank(c) for c in cells)
            layout = _find_header(rows, wanted, quiet, name)
            if layout is not None:
                found.append((sheet.title, layout))
        if len(found) > 1:
            raise InvalidInput("sheet.several_sheets", file=name, sheets="、".join(title for title, _ in found))
        if found:
            title, layout = found[0]
            return Sheet(name, path, "xlsx", checksum, size, layout, sheet_name=title)
        if not anything:
            raise InvalidInput("sheet.empty", file=name)
        raise _no_header(name, None, no_header)
    finally:
        workbook.close()


# --- .json ---------------------------------------------------------------------------


def _open_json(path: Path, name: str, checksum: str, size: int, wanted: tuple[Field, ...],
               quiet: frozenset[str], no_header: str, headings: dict[str, str]) -> Sheet:
    """An array of objects (``export --format json``): the keys, in order of first use, are the header (row 1)."""
    try:
        records = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _not_encoded(name, 1 + exc.object[:exc.start].count(b"\n"), "utf-8-sig", False) from None
    except json.JSONDecodeError as exc:
        raise InvalidInput("sheet.bad_json", file=name, row=exc.lineno, reason=exc.msg) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InvalidInput("sheet.json_not_rows", file=name)
    if not records:
        raise InvalidInput("sheet.empty", file=name)
    keys = list(dict.fromkeys(key for record in records for key in record))
    layout = match_header(1, [headings.get(k, k) for k in keys], wanted, quiet=quiet, file=name)
    if layout is None:
        raise _no_header(name, None, no_header)
    sheet = Sheet(name, path, "json", checksum, size, layout, encoding="utf-8", records=records)
    sheet._keys = keys
    return sheet


def _json_value(value: object) -> object:
    """A JSON value as a cell: a list is the 、-separated text the sheets write, an object its JSON text."""
    if isinstance(value, list):
        return "、".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
