"""The 旬 calendar the plans are chased by (“各牵头单位每旬调度汇总进展情况”).

A month has three 旬: 上旬 the 1st–10th, 中旬 the 11th–20th and 下旬 the 21st
to the month's last day (28–31 days, February and leap years included). The
checkpoints — the last day of each 旬: the 10th, the 20th and the month end —
are the dates at which lights are judged and the escalation ladder counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule

PART_NAMES = ("上旬", "中旬", "下旬")


def _month_end(day: date) -> date:
    # relativedelta(day=31) clamps to the month's real last day (Feb 28/29, Apr 30 …).
    return day + relativedelta(day=31)


@dataclass(frozen=True, order=True)
class Xun:
    """One 旬: ``start`` to ``end`` inclusive, ``part`` 0 (上旬), 1 (中旬) or 2 (下旬)."""

    start: date
    end: date
    part: int

    @classmethod
    def of(cls, day: date) -> Xun:
        """The 旬 that ``day`` falls in."""
        if day.day <= 10:
            return cls(day.replace(day=1), day.replace(day=10), 0)
        if day.day <= 20:
            return cls(day.replace(day=11), day.replace(day=20), 1)
        return cls(day.replace(day=21), _month_end(day), 2)

    @property
    def label(self) -> str:
        """The 旬 as the documents write it, e.g. 2020年9月中旬."""
        return f"{self.start.year}年{self.start.month}月{PART_NAMES[self.part]}"

    @property
    def number(self) -> int:
        """The 旬 numbered 36 a year (2020年1月上旬 is 72720), as :meth:`judging.Dialect.xun_number` computes it in SQL."""
        return self.start.year * 36 + (self.start.month - 1) * 3 + self.part

    def previous(self) -> Xun:
        """The 旬 just before this one (the 下旬 of the previous month after a 上旬)."""
        return Xun.of(self.start - timedelta(days=1))

    def next(self) -> Xun:
        """The 旬 just after this one (the next month's 上旬 after a 下旬)."""
        return Xun.of(self.end + timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def checkpoints(start: date, end: date) -> list[date]:
    """Every 旬 checkpoint (the 10th, the 20th, the month's last day) from ``start`` to ``end``, both included."""
    if end < start:
        return []
    # rrule's bymonthday=-1 is the month's last day, whatever the month's length.
    rule = rrule(MONTHLY, dtstart=datetime.combine(start, datetime.min.time()), bymonthday=(10, 20, -1),
                 until=datetime.combine(end, datetime.min.time()))
    return [moment.date() for moment in rule]


def checkpoint_on_or_before(day: date) -> date:
    """The latest 旬 checkpoint not after ``day``: ``day`` itself when it ends a 旬, else the end of the previous 旬."""
    xun = Xun.of(day)
    return day if day == xun.end else xun.previous().end


def xuns_between(start: date, end: date) -> list[Xun]:
    """The 旬 from the one holding ``start`` to the one holding ``end``, in order (empty when ``end < start``)."""
    if end < start:
        return []
    xuns = [Xun.of(start)]
    while xuns[-1].end < end:
        xuns.append(xuns[-1].next())
    return xuns
