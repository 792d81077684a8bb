"""Cell values as departments type them, and cells fit for Excel.

A CSV cell is text; an .xlsx cell may also be a number, a date (a datetime,
or an Excel serial number in a cell not formatted as a date) or a number
Excel shows as a percent (0.6 shown as 60%). Each reader below accepts all
of them and raises :class:`InvalidInput` naming the column and the value.

Percents. ``60%`` and ``0.6%`` say what they mean. A bare number is read
as a percent (60 is sixty percent), with one exception: when every bare
number of the column lies between 0 and 1 and at least one has a fraction
(0.6, 0.85, 1), the column holds fractions and each is multiplied by 100.
Otherwise a bare number strictly between 0 and 1 (0.6 beside 60 or 85) is
ambiguous and refused, asking for 60% or 0.6%. The reader can only apply the
rule after the whole column is read, so :func:`read_percent` returns both
readings of a bare number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sixbao_cli.dates import parse_date
from sixbao_cli.errors import InvalidInput
from sixbao_cli.quantities import parse_number

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel's serial numbers for 1950-01-01 … 2099-12-31: a number outside them in a date column is no date.
_SERIAL_RANGE = (18264, 73050)
_TIME_PART = re.compile(r"^(.+?)[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
# 9月25日: how Chinese Excel shows a date by default, and so what its CSV holds (the year is gone)
_NO_YEAR = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]?$")


class ShownAsPercent(float):
    """An .xlsx number whose cell format shows it as a percent: 0.6 is what Excel displays as 60%."""


def safe(value: object) -> object:
    """``value`` fit for a spreadsheet cell: text that Excel would run as a formula gets a leading apostrophe.

    OWASP's CSV-injection advice: a cell starting with = + - @ (or a tab or
    line break) is a formula to Excel. Numbers are never altered.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def is_blank(value: object) -> bool:
    """An empty cell, or one holding only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value: object) -> str | None:
    """A text cell as stored: trimmed, None when empty; a number or date written as the sheet shows it."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        value = value.isoformat()
    text = unquote(str(value).strip())
    return text or None


def unquote(text: str) -> str:
    """Undo :func:`safe`: the apostrophe before a formula-like text comes off.

    It is the mark an OWASP-minded export (ours included) puts there; Excel
    never stores a leading apostrophe itself, so taking it off gives back the
    text as it was entered, and an export goes back in unchanged.
    """
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def undated(value: object) -> tuple[int, int] | None:
    """(month, day) of a date cell written without its year (9月25日), else None."""
    if not isinstance(value, str):
        return None
    found = _NO_YEAR.match(unicodedata.normalize("NFKC", value).strip())
    return (int(found[1]), int(found[2])) if found else None


def date_in_year_before(month: int, day: int, limit: date, *, field: str, raw: str) -> date:
    """The date ``month``-``day`` on or before ``limit`` nearest to it: in ``limit``'s year, else the year before."""
    for year in (limit.year, limit.year - 1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found <= limit:
            return found
    raise InvalidInput("date.impossible", field=field, value=raw)


def read_date(value: object, *, field: str, today: date) -> date:
    """A date cell: an .xlsx date or serial number, or text such as 2020-09-25, 2020/9/25, 2020年9月25日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:  # a fraction is the time of day, and left aside
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise InvalidInput("date.unreadable", field=field, value=read_text(value))
    text = str(value).strip()
    timed = _TIME_PART.match(unicodedata.normalize("NFKC", text))
    return parse_date(timed.group(1) if timed else text, today=today, field=field)


def read_number(value: object, *, field: str, unit: int = 1) -> float:
    """A number cell: 2600, 1.5万, 2,600, full-width digits; one without its own 万 or 亿 counts in ``unit``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) * unit
    return parse_number(str(value), field=field, unit=unit)


@dataclass(frozen=True, slots=True)
class PercentCell:
    """A percent as written: ``percent`` when the column holds percents, ``fraction`` × 100 when it holds fractions.

    ``bare`` says no % sign (or percent format) settled it; ``ambiguous`` that
    the two readings differ in a way the column must decide (0 < x < 1, not whole).
    """

    percent: float
    fraction: float
    bare: bool

    @property
    def ambiguous(self) -> bool:
        return self.bare and 0 < self.percent < 1

    @property
    def fits_fraction(self) -> bool:
        return not self.bare or 0 <= self.percent <= 1


def read_percent(value: object, *, field: str) -> PercentCell:
    """A percent cell: 60, 60%, ６０％, 0.6 (see the module's rule), or an .xlsx cell formatted as a percent."""
    if isinstance(value, ShownAsPercent):
        percent = _times_100(float(value), None)
        return _in_range(PercentCell(percent, percent, False), field, f"{percent:g}%")
    raw = value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number, text, sign = float(value), None, False
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        sign = text.endswith("%")
        text = text.rstrip("%").strip() if sign else text
        try:
            number = parse_number(text, field=field) if text else parse_number(str(raw), field=field)
        except InvalidInput:
            raise InvalidInput("percent.invalid", field=field, value=read_text(raw)) from None
    cell = PercentCell(number, number if sign else _times_100(number, text), not sign)
    return _in_range(cell, field, read_text(raw))


def _times_100(number: float, text: str | None) -> float:
    """``number`` × 100 without binary noise: 0.58 gives 58.0, not 57.99999999999999."""
    try:
        return float(Decimal(text.replace(",", "")) * 100) if text else round(number * 100, 9)
    except InvalidOperation:
        return round(number * 100, 9)


def _in_range(cell: PercentCell, field: str, shown: object) -> PercentCell:
    if not 0 <= cell.percent <= 100:
        raise InvalidInput("percent.range", field=field, value=shown)
    return cell
