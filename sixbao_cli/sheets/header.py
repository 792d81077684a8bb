"""Which column holds what: header spellings, and finding the header row under a title.

Departments head their columns in many ways (填报日期 / 日期 / 报送日期, 完成进度(%)
/ 进度 / 完成比例, English in some offices), put a title row or notes above the
header and order the columns as they like. A header cell is compared by its
*key*: NFKC-normalised, lower case, without spaces, asterisks, colons and a
trailing unit in brackets such as (%) or （必填）.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sixbao_cli.errors import InvalidInput
from sixbao_cli.quantities import MULTIPLIERS

_NOISE = re.compile(r"[\s*＊:：_\-]+")
_TRAILING_UNIT = re.compile(r"\((?:%|百分比|百分数|必填|选填|可选|yyyy-mm-dd|0-100"
                            r"|[万亿]?(?:元|人|人次|户|家|个|项|套|亩|吨|公里|千瓦时)?)\)$")
_SCALE = re.compile(r"\((?P<word>[万亿])[^()]*\)$")


def header_scale(text: str) -> tuple[str, int] | None:
    """The multiplier a heading's unit in brackets gives its numbers: 完成数值（万元） → ("万", 10000).

    None when the heading names no 万 or 亿 (完成数值, 完成数值（元）, 完成数值（个）).
    """
    found = _SCALE.search(_NOISE.sub("", unicodedata.normalize("NFKC", str(text))))
    return (found["word"], MULTIPLIERS[found["word"]]) if found else None


def header_key(text: object) -> str:
    """What two spellings of one heading have in common: 完成进度（%） and 完成进度 % are both 完成进度."""
    key = unicodedata.normalize("NFKC", str(text)).strip().lower()
    key = _NOISE.sub("", key)
    key = _TRAILING_UNIT.sub("", key)
    return key.rstrip("%")


@dataclass(frozen=True)
class Field:
    """A column the reader looks for, under any of its spellings (header keys).

    ``weak`` spellings count only when no column carries a strong one, and are
    otherwise passed over in silence: 序号 is the task code in some sheets and a
    row counter in most.
    """

    name: str
    aliases: frozenset[str]
    weak: frozenset[str] = frozenset()


def fields(*specs: tuple[str, Iterable[str]] | tuple[str, Iterable[str], Iterable[str]]) -> tuple[Field, ...]:
    """Fields from (name, spellings[, weak spellings]); spellings are reduced to header keys here."""
    out = []
    for spec in specs:
        name, strong, weak = spec if len(spec) == 3 else (*spec, ())
        out.append(Field(name, frozenset(header_key(s) for s in strong), frozenset(header_key(s) for s in weak)))
    return tuple(out)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Layout:
    """The header row found: its number, each cell as written, and which column holds which field."""

    row: int
    headers: list[str]
    columns: dict[str, int]
    weak: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)  # named columns no field wants (reported as a notice)

    @property
    def width(self) -> int:
        """Columns up to the last one with a heading: cells beyond it are a row's extra fields."""
        named = [i for i, h in enumerate(self.headers) if h]
        return named[-1] + 1 if named else 0

    def header(self, name: str) -> str:
        """The heading of field ``name`` as the file writes it."""
        return self.headers[self.columns[name]]

    def letter(self, name: str) -> str:
        """The column letter of field ``name``."""
        return column_letter(self.columns[name])


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def match_header(number: int, cells: list, wanted: tuple[Field, ...], *, quiet: frozenset[str] = frozenset(),
                 file: str = "") -> Layout | None:
    """The layout if row ``number`` is a header: two or more cells naming distinct fields.

    Two columns for one field (填报日期 and 日期) are refused with both
    columns named: which of them holds the report date is a guess.
    """
    strong = {alias: f.name for f in wanted for alias in f.aliases}
    weak = {alias: f.name for f in wanted for alias in f.weak}
    headers = [_text(c) for c in cells]
    keys = [header_key(h) if h else "" for h in headers]
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        name = strong.get(key)
        if name is None:
            continue
        if name in columns:
            first = columns[name]
            raise InvalidInput("sheet.duplicate_column", file=file, row=number, first=column_letter(first),
                               second=column_letter(index), a=headers[first], b=headers[index])
        columns[name] = index
    if len(columns) < 2:
        return None
    found_weak: set[str] = set()
    ignored = []
    for index, key in enumerate(keys):
        if not key or index in columns.values():
            continue
        name = weak.get(key)
        if name is not None and name not in columns:
            columns[name] = index
            found_weak.add(name)
        elif name is None and key not in quiet:
            ignored.append(headers[index])
    return Layout(number, headers, columns, found_weak, ignored)
