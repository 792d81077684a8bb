"""Dates as desk officers type them.

Accepts 2020-09-25, 2020/9/25, 2020.9.25, 2020年9月25日, 20200925, full-width
digits, and 今天/昨天 (today/yesterday). Strict on purpose: a lenient parser
that reads "2020-13-01" as something is worse than a clear refusal. (The
deadline phrases of plans — 6月底前, 年底前 — are a different job.)
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from sixbao_cli.clock import china_today
from sixbao_cli.errors import InvalidInput

_NUMERIC = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_RELATIVE = {"今天": 0, "今日": 0, "today": 0, "昨天": -1, "昨日": -1, "yesterday": -1}


def parse_date(text: str, *, today: date | None = None, field: str = "date") -> date:
    """Read one calendar date, or raise :class:`InvalidInput` naming ``field`` and the value."""
    raw = text
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    if text in _RELATIVE:
        return (today or china_today()) + timedelta(days=_RELATIVE[text])
    m = _NUMERIC.match(text)
    if m:
        year, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
    else:
        m = _COMPACT.match(text)
        if not m:
            raise InvalidInput("date.unreadable", field=field, value=raw)
        year, month, day = m.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise InvalidInput("date.impossible", field=field, value=raw) from None
