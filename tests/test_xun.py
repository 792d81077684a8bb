"""The 旬 calendar: 上旬 1–10, 中旬 11–20, 下旬 21–month end, checkpoints on the 10th, 20th and last day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sixbao_cli.xun import Xun, checkpoint_on_or_before, checkpoints, xuns_between

D = date

OF = [
    # (day, start, end, part, label)
    (D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 10), 0, "2020年1月上旬"),
    (D(2020, 1, 10), D(2020, 1, 1), D(2020, 1, 10), 0, "2020年1月上旬"),
    (D(2020, 1, 11), D(2020, 1, 11), D(2020, 1, 20), 1, "2020年1月中旬"),
    (D(2020, 1, 20), D(2020, 1, 11), D(2020, 1, 20), 1, "2020年1月中旬"),
    (D(2020, 1, 21), D(2020, 1, 21), D(2020, 1, 31), 2, "2020年1月下旬"),
    (D(2020, 1, 31), D(2020, 1, 21), D(2020, 1, 31), 2, "2020年1月下旬"),
    (D(2020, 2, 20), D(2020, 2, 11), D(2020, 2, 20), 1, "2020年2月中旬"),
    (D(2020, 2, 21), D(2020, 2, 21), D(2020, 2, 29), 2, "2020年2月下旬"),
    (D(2020, 2, 28), D(2020, 2, 21), D(2020, 2, 29), 2, "2020年2月下旬"),
    (D(2020, 2, 29), D(2020, 2, 21), D(2020, 2, 29), 2, "2020年2月下旬"),
    (D(2021, 2, 20), D(2021, 2, 11), D(2021, 2, 20), 1, "2021年2月中旬"),
    (D(2021, 2, 21), D(2021, 2, 21), D(2021, 2, 28), 2, "2021年2月下旬"),
    (D(2021, 2, 28), D(2021, 2, 21), D(2021, 2, 28), 2, "2021年2月下旬"),
    (D(2000, 2, 29), D(2000, 2, 21), D(2000, 2, 29), 2, "2000年2月下旬"),  # divisible by 400: leap
    (D(2100, 2, 28), D(2100, 2, 21), D(2100, 2, 28), 2, "2100年2月下旬"),  # divisible by 100 only: not
    (D(2020, 4, 30), D(2020, 4, 21), D(2020, 4, 30), 2, "2020年4月下旬"),
    (D(2020, 9, 15), D(2020, 9, 11), D(2020, 9, 20), 1, "2020年9月中旬"),
    (D(2020, 9, 30), D(2020, 9, 21), D(2020, 9, 30), 2, "2020年9月下旬"),
    (D(2020, 12, 1), D(2020, 12, 1), D(2020, 12, 10), 0, "2020年12月上旬"),
    (D(2020, 12, 31), D(2020, 12, 21), D(2020, 12, 31), 2, "2020年12月下旬"),
]


@pytest.mark.parametrize(("day", "start", "end", "part", "label"), OF, ids=[str(case[0]) for case in OF])
def test_the_xun_of_a_day(day, start, end, part, label):
    xun = Xun.of(day)
    assert xun == Xun(start, end, part)
    assert xun.label == label
    assert day in xun


NEIGHBOURS = [
    # (a day in the 旬, the day its previous 旬 starts, the day its next 旬 starts)
    (D(2020, 9, 5), D(2020, 8, 21), D(2020, 9, 11)),
    (D(2020, 9, 15), D(2020, 9, 1), D(2020, 9, 21)),
    (D(2020, 9, 25), D(2020, 9, 11), D(2020, 10, 1)),
    (D(2020, 3, 1), D(2020, 2, 21), D(2020, 3, 11)),
    (D(2020, 2, 25), D(2020, 2, 11), D(2020, 3, 1)),
    (D(2021, 3, 10), D(2021, 2, 21), D(2021, 3, 11)),
    (D(2020, 12, 31), D(2020, 12, 11), D(2021, 1, 1)),
    (D(2021, 1, 1), D(2020, 12, 21), D(2021, 1, 11)),
]


@pytest.mark.parametrize(("day", "previous_start", "next_start"), NEIGHBOURS, ids=[str(case[0]) for case in NEIGHBOURS])
def test_previous_and_next_across_month_and_year_ends(day, previous_start, next_start):
    xun = Xun.of(day)
    assert xun.previous() == Xun.of(previous_start)
    assert xun.previous().start == previous_start
    assert xun.next().start == next_start
    assert xun.previous().next() == xun == xun.next().previous()


def test_the_xun_before_march_ends_on_the_last_day_of_february():
    assert Xun.of(D(2020, 3, 1)).previous().end == D(2020, 2, 29)
    assert Xun.of(D(2021, 3, 1)).previous().end == D(2021, 2, 28)


CHECKPOINTS = [
    # (start, end, checkpoints)
    (D(2020, 1, 1), D(2020, 2, 29), [D(2020, 1, 10), D(2020, 1, 20), D(2020, 1, 31), D(2020, 2, 10), D(2020, 2, 20), D(2020, 2, 29)]),
    (D(2021, 2, 15), D(2021, 3, 10), [D(2021, 2, 20), D(2021, 2, 28), D(2021, 3, 10)]),
    (D(2020, 12, 25), D(2021, 1, 10), [D(2020, 12, 31), D(2021, 1, 10)]),
    (D(2020, 4, 21), D(2020, 5, 9), [D(2020, 4, 30)]),
    (D(2020, 9, 20), D(2020, 9, 20), [D(2020, 9, 20)]),
    (D(2020, 9, 30), D(2020, 10, 1), [D(2020, 9, 30)]),
    (D(2020, 9, 11), D(2020, 9, 19), []),
    (D(2020, 9, 21), D(2020, 9, 10), []),
]


@pytest.mark.parametrize(("start", "end", "expected"), CHECKPOINTS, ids=[f"{c[0]}..{c[1]}" for c in CHECKPOINTS])
def test_checkpoints_in_a_range(start, end, expected):
    assert checkpoints(start, end) == expected


def test_a_year_has_36_checkpoints():
    year = checkpoints(D(2020, 1, 1), D(2020, 12, 31))
    assert len(year) == 36
    assert all(isinstance(day, date) and not hasattr(day, "hour") for day in year)


ON_OR_BEFORE = [
    # (day, the latest checkpoint not after it)
    (D(2020, 9, 25), D(2020, 9, 20)),
    (D(2020, 9, 20), D(2020, 9, 20)),
    (D(2020, 9, 19), D(2020, 9, 10)),
    (D(2020, 9, 10), D(2020, 9, 10)),
    (D(2020, 9, 9), D(2020, 8, 31)),
    (D(2020, 9, 30), D(2020, 9, 30)),
    (D(2020, 9, 29), D(2020, 9, 20)),
    (D(2020, 3, 5), D(2020, 2, 29)),
    (D(2021, 3, 1), D(2021, 2, 28)),
    (D(2021, 1, 5), D(2020, 12, 31)),
]


@pytest.mark.parametrize(("day", "checkpoint"), ON_OR_BEFORE, ids=[str(case[0]) for case in ON_OR_BEFORE])
def test_the_checkpoint_on_or_before_a_day(day, checkpoint):
    assert checkpoint_on_or_before(day) == checkpoint


BETWEEN = [
    # (start, end, labels)
    (D(2020, 9, 25), D(2020, 10, 12), ["2020年9月下旬", "2020年10月上旬", "2020年10月中旬"]),
    (D(2020, 9, 11), D(2020, 9, 11), ["2020年9月中旬"]),
    (D(2020, 12, 21), D(2021, 1, 1), ["2020年12月下旬", "2021年1月上旬"]),
    (D(2020, 2, 29), D(2020, 3, 1), ["2020年2月下旬", "2020年3月上旬"]),
    (D(2020, 9, 12), D(2020, 9, 11), []),
]


@pytest.mark.parametrize(("start", "end", "labels"), BETWEEN, ids=[f"{c[0]}..{c[1]}" for c in BETWEEN])
def test_the_xuns_between_two_days(start, end, labels):
    assert [xun.label for xun in xuns_between(start, end)] == labels


def test_three_years_day_by_day():
    """Every day lies in its 旬; the 旬 tile the calendar; their ends are exactly the checkpoints."""
    first, last = D(2019, 1, 1), D(2021, 12, 31)
    xuns = xuns_between(first, last)
    assert len(xuns) == 3 * 36
    assert [xun.end for xun in xuns] == checkpoints(first, last)
    for before, after in zip(xuns, xuns[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
        assert before < after
        assert after.number == before.number + 1  # numbered without gaps across months and years
    day = first
    while day <= last:
        xun = Xun.of(day)
        assert xun.start <= day <= xun.end
        assert xun.part == (0 if day.day <= 10 else 1 if day.day <= 20 else 2)
        assert checkpoint_on_or_before(day) <= day < checkpoint_on_or_before(day) + timedelta(days=12)
        day += timedelta(days=1)
