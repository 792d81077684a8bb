"""What the cells of a 台账 sheet mean: one task's fields as desk officers write them.

Pure functions over cell values, no database. Each raises
:class:`~sixbao_cli.errors.InvalidInput` naming the column and the value.

- Deadlines: a date (2020-12-31, 2020/12/31, 2020年12月31日, an .xlsx date), or
  the phrases the plan parser reads (年底前, 6月底前, 2020年9月30日前, 二季度 …,
  :mod:`sixbao_cli.phrases`) in a given year when they name none; 长期坚持,
  持续推进, 常态化 are no deadline, kept as written.
- Targets: "城镇新增就业>=2600人" (``task add --target``, what ``export`` writes), or
  a plan's sentence ("全年城镇新增就业2600人以上") read as import-doc reads it.
- Milestones: "2020-05-31:50%，2020-11-30:100%" (``--milestone``, ``export``); a
  date may also be a phrase (5月底前:50%).
- A cell holding only —, 无 or / says "none": it clears the field (blank cells
  leave it as it is).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sixbao_cli import categories
from sixbao_cli.errors import InvalidInput
from sixbao_cli.phrases import find_targets, task_deadline
from sixbao_cli.quantities import COMPARATORS, MilestoneSpec, Target, parse_number, parse_percent, parse_target
from sixbao_cli.sheets.cells import read_date, read_text
from sixbao_cli.units import split_unit_list

_NONE_WORDS = frozenset({"—", "——", "-", "--", "无", "/", "none", "n/a"})
_ONGOING = re.compile(r"^(?:长期|持续|常态化|常年)")
_LIST = re.compile(r"[、,;\n]+")  # after NFKC: ，→ ,  ；→ ;
_HEADING_NUMBER = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十百0-9]+[)）、.．]|第[一二三四五六七八九十]+[部分章节])\s*")
_HEADING_NOTE = re.compile(r"[(（][^()（）]*[)）]\s*$")
_COMPARATOR_AT = re.compile("(?:" + "|".join(re.escape(c) for c in sorted(COMPARATORS, key=len, reverse=True)
                                             if c not in ("以上", "以内")) + ")")


def says_none(text: str) -> bool:
    """Does the cell say "none" (—, 无, /) rather than leave the field blank?"""
    return unicodedata.normalize("NFKC", text).strip().lower() in _NONE_WORDS


def heading_category(text: str) -> str | None:
    """The category a heading row names: 一、保居民就业 / （二）保基本民生（12项） / 保市场主体 — else None."""
    core = _HEADING_NOTE.sub("", _HEADING_NUMBER.sub("", text)).strip()
    return categories.lookup(core) if core else None


def split_names(text: str) -> list[str]:
    """Leaders (or any plain list of names) separated by 、，,;；or line breaks, in order, each once."""
    return list(dict.fromkeys(n.strip() for n in _LIST.split(unicodedata.normalize("NFKC", text)) if n.strip()))


def unit_items(text: str) -> list[str]:
    """A list of units as written, split as the plans' lists are (unit groups such as 各地党委、政府 kept whole)."""
    return split_unit_list(text)


def join_known(items: list[str], known: set[str], *, longest: int = 4) -> list[str]:
    """Put back together neighbours that form a unit the ledger knows: 市委、市政府 when that is one unit's name."""
    out: list[str] = []
    i = 0
    while i < len(items):
        for j in range(min(len(items), i + longest), i + 1, -1):
            joined = "、".join(items[i:j])
            if joined in known:
                out.append(joined)
                i = j
                break
        else:
            out.append(items[i])
            i += 1
    return out


def joins(items: list[str], *, longest: int = 4) -> set[str]:
    """Every run of neighbouring items joined by 、 (what :func:`join_known` may look up)."""
    return {"、".join(items[i:j]) for i in range(len(items)) for j in range(i + 2, min(len(items), i + longest) + 1)}


def read_deadline(value: object, *, field: str, year: int, today: date) -> tuple[date | None, str | None, bool]:
    """(deadline, the words as written when not a plain date, whether ``year`` was needed) for a 完成时限 cell."""
    try:
        return read_date(value, field=field, today=today), None, False
    except InvalidInput as exc:
        if exc.key != "date.unreadable":
            raise
    text = read_text(value) or ""
    if _ONGOING.match(unicodedata.normalize("NFKC", text)):
        return None, text, False
    phrase = task_deadline(text, year)
    if phrase is None:
        raise InvalidInput("taskimport.bad_deadline", field=field, value=text)
    other = task_deadline(text, year + 1)
    return phrase.date, text, other is None or other.date != phrase.date


def _day(text: str, *, field: str, year: int, today: date) -> tuple[date, bool]:
    """A milestone's date: a date, or a deadline phrase (5月底前) in ``year``."""
    try:
        return read_date(text, field=field, today=today), False
    except InvalidInput as exc:
        if exc.key != "date.unreadable":
            raise
    phrase = task_deadline(text, year)
    if phrase is None:
        raise InvalidInput("milestone.unreadable", value=text)
    other = task_deadline(text, year + 1)
    return phrase.date, other is None or other.date != phrase.date


def read_milestones(text: str, *, field: str, year: int, today: date) -> tuple[list[MilestoneSpec], bool]:
    """Milestones "2020-05-31:50%，2020-11-30:100%" (or 5月底前:50%); and whether ``year`` was needed."""
    out: list[MilestoneSpec] = []
    needed = False
    for part in _LIST.split(unicodedata.normalize("NFKC", text)):
        part = part.strip()
        if not part:
            continue
        when, sep, amount = part.rpartition(":")
        if not sep or not when.strip() or not amount.strip():
            raise InvalidInput("milestone.unreadable", value=part)
        due, used = _day(when.strip(), field=field, year=year, today=today)
        needed = needed or used
        amount = amount.strip()
        if amount.endswith("%"):
            out.append(MilestoneSpec(due, parse_percent(amount, field=field), None))
        else:
            out.append(MilestoneSpec(due, None, parse_number(amount, field=field)))
    return out, needed


def read_targets(text: str) -> list[Target]:
    """The task's targets, the first its measure: "指标>=数值单位", or the goals a plan's sentence states."""
    try:
        target = parse_target(text)
    except InvalidInput:
        found = find_targets(text)
        if not found:
            raise
        return found
    # parse_target reads NFKC text; the metric keeps the characters it was written in (（含…）, full-width digits)
    m = _COMPARATOR_AT.search(text)
    if m:
        written = text[:m.start()].strip()
        if unicodedata.normalize("NFKC", written).strip() == target.metric:
            target = Target(written, target.comparator, target.value, target.unit)
    return [target]
