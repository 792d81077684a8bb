"""The ranking's reports per unit and 旬, kept between reports (services/kept_facts.py, services/ranking.py).

A report that ranked the units keeps how many reports each unit filed in
each ended 旬 of the period; the next one counts afresh only the 旬 in which
something was recorded since, and none when a batch was undone, a task changed
units or its group. Whatever was kept, the ranking must be the one counted
afresh: generated ledgers as in tests/test_judging.py, on SQLite and
PostgreSQL, then fixed cases showing the kept counts are read, and when not.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update
from test_judging import RULES, _day, _moment, _write, task
from test_kept_facts import _TASK, _entry, _hand_over, _no_lead, _undo, handover
from test_verdicts import _undo_late, _write_late, late_entry, late_status

from sixbao_cli import tables as T
from sixbao_cli.services import keeping, kept_facts, reports, verdicts


def _units(ledger, day: date, *, kept: bool = True, kind: str = "units") -> list:
    """The unit lines of a ``kind`` report on ``day``: through what reports kept (keeping what it counted), or
    all counted afresh."""
    with ledger.connection() as conn:
        with ledger.read(conn):
            facts = kept_facts.load(conn, day, verdicts.reach(conn)) if kept else None
            report = reports.build_report(conn, kind, day, RULES, reports.ReportFilter(), facts=facts)
        if kept:
            keeping.keep(ledger, conn, None, facts)
    return report.units


def _kept(engine) -> tuple:
    with engine.connect() as conn:
        mark = conn.execute(select(T.kept_fact_mark.c.xun_from, T.kept_fact_mark.c.xun_to)).first()
        rows = conn.execute(select(T.kept_unit_xun).order_by(*T.kept_unit_xun.primary_key.columns)).all()
    return (tuple(mark) if mark else None), [tuple(r) for r in rows]


def _sub_task(engine, ids: list[int], day: int, lead: int, support: int) -> None:
    """A sub-task entered under the first task on ``day`` (stamped then): the first task is a group from then on."""
    [child] = _write(engine, [{**_TASK, "start": day, "created_before": 0, "entries": [], "statuses": []}],
                     lead, support)
    with engine.begin() as conn:
        conn.execute(update(T.task).where(T.task.c.id == child).values(parent_id=ids[0]))


@settings(max_examples=int(os.environ.get("SIXBAO_JUDGING_EXAMPLES", "30")) // 2, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks=st.lists(task, min_size=1, max_size=4), days=st.lists(st.integers(0, 420), min_size=1, max_size=3),
       entries=st.lists(late_entry, max_size=4), statuses=st.lists(late_status, max_size=2),
       handovers=st.lists(handover, max_size=1), undo_after=st.one_of(st.none(), st.integers(0, 40)),
       sub_task=st.one_of(st.none(), st.integers(0, 360)), later=st.integers(1, 40))
def test_kept_counts_give_the_ranking_counted_afresh(generated_ledger, tasks, days, entries, statuses, handovers,
                                                     undo_after, sub_task, later):
    engine, ledger, lead, support = generated_ledger
    ids = _write(engine, tasks, lead, support)
    chosen = sorted({_day(offset) for offset in days})
    for day in chosen:  # each day's counts kept, the next day (often in the same quarter) ranked on them
        for on in (day, day + date.resolution * later):
            assert _units(ledger, on) == _units(ledger, on, kept=False), on
    _write_late(engine, ids, entries, statuses, lead, support)
    _hand_over(engine, ids, handovers)
    if undo_after is not None:
        _undo_late(engine, ids, undo_after)
    if sub_task is not None:
        _sub_task(engine, ids, sub_task, lead, support)
    for day in (chosen[-1], chosen[-1] + date.resolution * later, chosen[-1] + date.resolution * (later + 11)):
        assert _units(ledger, day) == _units(ledger, day, kept=False), day


# Two tasks led by the lead unit, each reported on in 2020年4月上旬 and 中旬, supported by the support unit.
def _two_tasks(generated_ledger) -> tuple:
    engine, ledger, lead, support = generated_ledger
    ids = _write(engine, [_TASK, _TASK], lead, support)
    with engine.begin() as conn:
        for tid in ids:
            _entry(conn, tid, lead, 95, 95, 45.0)  # 04-05
            _entry(conn, tid, support, 105, 105, 50.0)  # 04-15
    return engine, ledger, lead, support, ids


def _support_reports(lines) -> int:
    return next(line.support_reports for line in lines if line.unit == "生成配合局")


@pytest.mark.parametrize("recorded", [127, 100], ids=["since", "in the past"])
def test_the_kept_counts_are_read_until_something_is_recorded_in_their_xun(generated_ledger, recorded):
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    day = date(2020, 4, 25)  # 上旬 and 中旬 of April ended
    assert _support_reports(_units(ledger, day)) == 2
    mark, rows = _kept(engine)
    april = (2020 * 36 + 3 * 3, 2020 * 36 + 3 * 3 + 1)  # xun.Xun.number of 4月上旬, 中旬
    assert mark == april
    assert (support, "support", april[1], 2) in rows and (lead, "lead", april[0], 4) in rows  # with _TASK's own of 04-01
    # Read back: a tampered count shows, on the day and on a later one …
    with engine.begin() as conn:
        conn.execute(update(T.kept_unit_xun).where(T.kept_unit_xun.c.role == "support").values(n=7))
    assert _support_reports(_units(ledger, day)) == 7
    assert _support_reports(_units(ledger, date(2020, 5, 5))) == 7  # 下旬 counted afresh, nothing in it
    # … until an entry is recorded in that 旬: it is counted afresh, the tampered count gone — also one
    # stamped before the counts were kept (04-10), written after (above the mark)
    with engine.begin() as conn:
        _entry(conn, ids[0], lead, 106, recorded, 55.0)  # dated 04-16
    assert _support_reports(_units(ledger, date(2020, 5, 8))) == 2
    assert _units(ledger, date(2020, 5, 8)) == _units(ledger, date(2020, 5, 8), kept=False)


def _parent_changed(engine, ids: list[int]) -> None:
    with engine.begin() as conn:  # as a task sheet's import records it
        conn.execute(update(T.task).where(T.task.c.id == ids[1]).values(parent_id=ids[0]))
        conn.execute(insert(T.task_change).values(task_id=ids[1], field="parent", old_value=None,
                                                  new_value="PT", changed_at=_moment(127, 9)))


# Each: after the counts are kept on 04-25, something that moves reports between units or out of the count.
_MOVES = {
    "a batch undone": lambda engine, ids, lead, support: _with(engine, lambda c: _undo(c, 127)),
    "a lead unit taken off": lambda engine, ids, lead, support: _with(engine, lambda c: _no_lead(c, ids[0], 127)),
    # on 03-20, before the quarter (no 旬 of it split between units), written after
    "a lead unit taken off before": lambda engine, ids, lead, support: _with(engine,
                                                                             lambda c: _no_lead(c, ids[0], 79)),
    "a sub-task entered": lambda engine, ids, lead, support: _sub_task(engine, ids, 127, lead, support),
    "another parent": lambda engine, ids, lead, support: _parent_changed(engine, ids),
}


def _with(engine, write) -> None:
    with engine.begin() as conn:
        write(conn)


@pytest.mark.parametrize("move", list(_MOVES))
def test_no_kept_count_holds_once_reports_may_have_moved(generated_ledger, move):
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    with engine.begin() as conn:
        _entry(conn, ids[0], lead, 96, 96, 47.0, undone=-1)  # imported 04-06, its batch not undone (yet)
    _units(ledger, date(2020, 4, 25))
    with engine.begin() as conn:
        conn.execute(update(T.kept_unit_xun).values(n=9))
    _MOVES[move](engine, ids, lead, support)
    day = date(2020, 5, 8)
    assert _units(ledger, day) == _units(ledger, day, kept=False)
    assert _support_reports(_units(ledger, day)) != 9


def test_a_report_ranking_no_units_leaves_no_counts_kept(generated_ledger):
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    _units(ledger, date(2020, 4, 25))
    assert _kept(engine)[0] is not None
    _units(ledger, date(2020, 4, 26), kind="overdue")  # facts kept, the counts no longer go with the mark
    assert _kept(engine)[0] == (None, None)
    with engine.begin() as conn:
        conn.execute(update(T.kept_unit_xun).values(n=9))
    assert _support_reports(_units(ledger, date(2020, 4, 27))) == 2
    assert _kept(engine)[0] is not None


def test_a_filtered_report_keeps_no_counts(generated_ledger):
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    with ledger.connection() as conn:
        with ledger.read(conn):
            facts = kept_facts.load(conn, date(2020, 4, 25), verdicts.reach(conn))
            reports.build_report(conn, "units", date(2020, 4, 25), RULES,
                                 reports.ReportFilter(category="保居民就业"), facts=facts)
        keeping.keep(ledger, conn, None, facts)
    assert _kept(engine) == (None, [])


def test_a_xun_with_a_write_open_when_the_counts_were_read_is_counted_again(generated_ledger, monkeypatch):
    """On PostgreSQL a row numbered under the mark may commit after the report read its snapshot."""
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    with engine.begin() as conn:  # dated 04-16, recorded 04-25 at 14:45
        conn.execute(insert(T.progress).values(task_id=ids[0], unit_id=support, report_date=_day(106), percent=52.0,
                                               source="manual", recorded_at=_moment(115, 14) + timedelta(minutes=45)))
    # the counts read at 15:00 on 04-25 — as if that entry had not been committed yet
    monkeypatch.setattr(kept_facts, "utcnow", lambda: _moment(115, 15))
    _units(ledger, date(2020, 4, 25))
    with engine.begin() as conn:
        conn.execute(update(T.kept_unit_xun).values(n=7))
    assert _support_reports(_units(ledger, date(2020, 4, 26))) == 3


def test_counts_kept_while_a_task_changed_hands_in_the_quarter_are_read(generated_ledger):
    """A task handed over within the quarter splits its 旬 between the units (ranking._tenure): counts
    kept then still hold for the 旬 ended, as long as no other hand-over happened since."""
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    with engine.begin() as conn:
        _no_lead(conn, ids[0], 100)  # 04-10
    _units(ledger, date(2020, 4, 25))
    day = date(2020, 5, 8)
    assert _units(ledger, day) == _units(ledger, day, kept=False)
    with engine.begin() as conn:
        conn.execute(update(T.kept_unit_xun).where(T.kept_unit_xun.c.role == "support").values(n=7))
    assert _support_reports(_units(ledger, day)) == 7


def test_the_xun_of_a_task_entered_since_is_counted_afresh(generated_ledger):
    """A task counts from the day it is entered, with entries stamped before that (a sheet's past rows)."""
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    # entered on 05-02 (day 122) — written before the counts are kept on 04-25 — with a support
    # unit's report of 04-15 recorded that day
    _write(engine, [{**_TASK, "start": 122, "created_before": 0, "statuses": [],
                     "entries": [{"day": 105, "late": 0, "hour": 9, "percent": 10.0, "value": None,
                                  "by_lead": False, "corrects": False, "undone": None}]}], lead, support)
    assert _support_reports(_units(ledger, date(2020, 4, 25))) == 2
    with engine.begin() as conn:
        conn.execute(update(T.kept_unit_xun).where(T.kept_unit_xun.c.role == "support").values(n=7))
    day = date(2020, 5, 8)
    assert _support_reports(_units(ledger, day)) == 3  # 中旬 counted afresh: 2 + 1
    assert _units(ledger, day) == _units(ledger, day, kept=False)


def test_a_batch_undone_after_the_kept_day_moves_the_count(generated_ledger):
    """An undo known when the counts were kept, dated after their day: its entries stop counting then."""
    engine, ledger, lead, support, ids = _two_tasks(generated_ledger)
    with engine.begin() as conn:
        _entry(conn, ids[0], support, 96, 96, 47.0, undone=127)  # 04-06, its batch undone on 05-07
    assert _support_reports(_units(ledger, date(2020, 4, 25))) == 3
    with engine.begin() as conn:
        conn.execute(update(T.kept_unit_xun).values(n=9))
    assert _support_reports(_units(ledger, date(2020, 5, 8))) == 2
