"""Quantities typed on the command line: numbers, percents, targets and milestones."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sixbao_cli.dates import parse_date
from sixbao_cli.errors import InvalidInput

MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
COMPARATORS = {
    "≥": ">=", ">=": ">=", "不少于": ">=", "以上": ">=",
    "≤": "<=", "<=": "<=", "不超过": "<=", "以内": "<=",
    "=": "=", "＝": "=",
}


@dataclass(frozen=True)
class Target:
    """A quantitative target: metric, comparator, value and its unit (城镇新增就业 ≥ 2600 人)."""

    metric: str
    comparator: str
    value: float
    unit: str | None


@dataclass(frozen=True)
class MilestoneSpec:
    """By ``due``, ``percent`` % (or ``value``) is expected."""

    due: date
    percent: float | None
    value: float | None


def parse_number(text: str, *, field: str, unit: int = 1) -> float:
    """A number such as 2600, 1.5万, full-width digits or thousands separators.

    ``unit``: what a number without its own 万 or 亿 counts in (10,000 under a heading 完成数值（万元）).
    """
    raw = text
    text = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    factor = unit
    if text and text[-1] in MULTIPLIERS:
        factor, text = MULTIPLIERS[text[-1]], text[:-1]
    try:
        value = float(text) * factor
    except ValueError:
        raise InvalidInput("number.invalid", field=field, value=raw) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput("number.invalid", field=field, value=raw)
    return value


def parse_percent(text: str, *, field: str = "--percent") -> float:
    """A percent from 0 to 100; "60" and "60%" both mean sixty percent."""
    raw = text
    cleaned = unicodedata.normalize("NFKC", text).strip().rstrip("%")
    try:
        value = parse_number(cleaned, field=field) if cleaned else parse_number(raw, field=field)
    except InvalidInput:
        raise InvalidInput("percent.invalid", field=field, value=raw) from None
    if not 0 <= value <= 100:
        raise InvalidInput("percent.range", field=field, value=raw)
    return value


_TARGET = re.compile(
    r"^(?P<metric>.*?)\s*(?P<cmp>≥|≤|>=|<=|=|＝|不少于|不超过)\s*(?P<value>[\d.,]+[万亿]?)\s*(?P<unit>[^\s以]*)"
    r"\s*(?P<suffix>以上|以内)?$"
)


def parse_target(text: str) -> Target:
    """Read "城镇新增就业>=2600人", "城镇新增就业 ≥ 0.26万 人" or "城镇新增就业不少于2600人"."""
    norm = unicodedata.normalize("NFKC", text).strip()
    m = _TARGET.match(norm)
    if not m or not m.group("metric"):
        raise InvalidInput("target.unreadable", value=text)
    value = parse_number(m.group("value"), field="--target")
    comparator = COMPARATORS[m.group("suffix") or m.group("cmp")]
    return Target(m.group("metric").strip(), comparator, value, m.group("unit") or None)


def parse_milestone(text: str) -> MilestoneSpec:
    """Read "2020-05-31:50%" (a percent) or "2020-05-31:1300" (a value)."""
    norm = unicodedata.normalize("NFKC", text).strip()
    when, sep, amount = norm.rpartition(":")
    if not sep or not when or not amount:
        raise InvalidInput("milestone.unreadable", value=text)
    due = parse_date(when, field="--milestone")
    if amount.endswith("%"):
        return MilestoneSpec(due, parse_percent(amount, field="--milestone"), None)
    return MilestoneSpec(due, None, parse_number(amount, field="--milestone"))
