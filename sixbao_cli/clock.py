"""The plans' clock: China Standard Time, whatever the host's time zone.

The tasks' deadlines, the 旬 and the weekly reports are China's calendar. A
ledger may live on a server set to UTC (or anywhere): between 00:00 and 08:00
in China the host's date is still yesterday, and an officer could not file a
report for today. So "today" and every instant shown to a user is read on this
clock, never the host's; instants are stored in UTC (:mod:`sixbao_cli.sqltypes`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")  # one zone, no daylight saving since 1991


def china_today() -> date:
    """Today in China: the default day of a report, an entry or a new task, and the last one not in the future."""
    return datetime.now(CHINA).date()


def china_time(moment: datetime) -> str:
    """A stored instant as China's wall-clock time, to the minute (2020-09-30 17:05)."""
    return f"{moment.astimezone(CHINA):%Y-%m-%d %H:%M}"
