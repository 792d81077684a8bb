"""Facts kept between reports (services/kept_facts.py) never change a judgement.

Every task judged through kept facts must be judged as when its facts are read
afresh: on the day they were kept, on later days, after rows stamped in the
past arrive (late reports, corrections, status changes, a change of lead
unit, undos), and for days before the kept one. Generated ledgers as in
tests/test_judging.py, on SQLite and PostgreSQL; then fixed cases showing that
the kept facts are read, and when they are not, and the command line.
"""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, delete, insert, inspect, select, update
from test_judging import RULES, _day, _moment, _write, task
from test_verdicts import _undo_late, _write_late, late_entry, late_status

from sixbao_cli import tables as T
from sixbao_cli.services import judging, keeping, kept_facts, verdicts
from sixbao_cli.settings import resolve_db_url

from conftest import snapshot

handover = st.fixed_dictionaries({"task": st.integers(0, 9), "day": st.integers(0, 360), "hour": st.integers(0, 23)})


def _judged(ledger, day: date, *, kept: bool = True, keep: bool = True) -> list[tuple]:
    """Every task judged on ``day``, through the kept facts (keeping what was read) or all read afresh."""
    with ledger.connection() as conn:
        with ledger.read(conn):
            facts = kept_facts.load(conn, day, verdicts.reach(conn)) if kept else None
            judging.judge_all(conn, day, RULES, [], facts)
            j = judging.judged
            rows = conn.execute(select(*(c for c in j.columns if c.name != "fresh")).order_by(j.c.id)).all()
            if not (kept and keep):
                judging.drop(conn)
        if kept and keep:
            keeping.keep(ledger, conn, None, facts)
    return [tuple(r) for r in rows]


def _hand_over(engine, ids: list[int], handovers: list[dict]) -> None:
    """The lead unit taken off tasks at moments in the past: its reports then no longer count as the lead's."""
    with engine.begin() as conn:
        for h in handovers:
            tid = ids[h["task"] % len(ids)]
            tu = T.task_unit
            before = conn.execute(select(tu.c.unit_id, tu.c.role, tu.c.position).where(tu.c.task_id == tid)).all()
            if not any(role == "lead" for _, role, _ in before):
                continue
            conn.execute(insert(T.task_unit_history), [
                {"task_id": tid, "unit_id": unit, "role": role, "position": pos,
                 "replaced_at": _moment(h["day"], h["hour"])} for unit, role, pos in before])
            conn.execute(delete(tu).where(tu.c.task_id == tid, tu.c.role == "lead"))


@settings(max_examples=int(os.environ.get("SIXBAO_JUDGING_EXAMPLES", "30")) // 2, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks=st.lists(task, min_size=1, max_size=4), days=st.lists(st.integers(0, 420), min_size=1, max_size=3),
       entries=st.lists(late_entry, max_size=4), statuses=st.lists(late_status, max_size=2),
       handovers=st.lists(handover, max_size=1), undo_after=st.one_of(st.none(), st.integers(0, 40)),
       earlier=st.integers(0, 60), later=st.integers(1, 60))
def test_kept_facts_give_the_judgement_read_afresh(generated_ledger, tasks, days, entries, statuses, handovers,
                                                   undo_after, earlier, later):
    engine, ledger, lead, support = generated_ledger
    ids = _write(engine, tasks, lead, support)
    chosen = sorted({_day(offset) for offset in days})
    for day in chosen:  # each day's facts kept, the next day judged on them
        assert _judged(ledger, day) == _judged(ledger, day, kept=False), day
    assert _judged(ledger, chosen[-1]) == _judged(ledger, chosen[-1], kept=False)  # read back
    _write_late(engine, ids, entries, statuses, lead, support)
    _hand_over(engine, ids, handovers)
    if undo_after is not None:
        _undo_late(engine, ids, undo_after)
    # the kept day itself, days before it (nothing kept to read), then a day after it, read through the kept facts
    for day in (*chosen, chosen[-1] - date.resolution * earlier, chosen[-1] + date.resolution * later):
        assert _judged(ledger, day) == _judged(ledger, day, kept=False), day


# 120 days from 03-01 (day 60), due 06-29; reported 40 % on 04-01 (day 91).
_TASK = {"start": 60, "length": 120, "created_before": 5, "target": None, "milestones": [], "has_lead": True,
         "entries": [{"day": 91, "late": 0, "hour": 9, "percent": 40.0, "value": None, "by_lead": True,
                      "corrects": False, "undone": None}],
         "statuses": [(91, 10, "in_progress")], "deadline_edit": None}


def _mark(engine):
    with engine.connect() as conn:
        return conn.execute(select(T.kept_fact_mark)).first()


def _percent(ledger, tid: int, day: date) -> float | None:
    return next(r for r in _judged(ledger, day) if r[0] == tid)[6]


def test_the_kept_facts_are_read_until_something_happens_to_the_task(generated_ledger):
    engine, ledger, lead, support = generated_ledger
    [tid] = _write(engine, [_TASK], lead, support)
    day = date(2020, 5, 25)
    assert _percent(ledger, tid, day) == 40.0
    assert _mark(engine).day == day
    with engine.connect() as conn:
        kept = conn.execute(select(T.kept_fact).where(T.kept_fact.c.task_id == tid)).one()
    assert (kept.status, kept.percent, kept.last_lead, kept.last_report) == ("in_progress", 40.0, _day(91), _day(91))
    # Read back: the kept facts are what the report judges on (a tampered percent shows) …
    with engine.begin() as conn:
        conn.execute(update(T.kept_fact).where(T.kept_fact.c.task_id == tid).values(percent=45.0))
    assert _percent(ledger, tid, day) == 45.0
    assert _percent(ledger, tid, date(2020, 6, 1)) == 45.0  # a later day, nothing happened since
    # … but not for a day before the kept one, which keeps nothing either
    assert _percent(ledger, tid, date(2020, 5, 1)) == 40.0
    assert _mark(engine).day == date(2020, 6, 1)
    # … and not once something happened to the task: a report dated after the kept day
    with engine.begin() as conn:
        conn.execute(insert(T.progress).values(task_id=tid, unit_id=lead, report_date=date(2020, 6, 3), percent=50.0,
                                               source="manual", recorded_at=_moment(155, 9)))
    assert _percent(ledger, tid, date(2020, 6, 2)) == 45.0  # not known on 06-02
    assert _percent(ledger, tid, date(2020, 6, 5)) == 50.0
    with engine.connect() as conn:
        assert conn.execute(select(T.kept_fact.c.percent).where(T.kept_fact.c.task_id == tid)).scalar() == 50.0


def _kept_then_tampered(generated_ledger, day: date) -> int:
    """:data:`_TASK` written, its facts kept on ``day``, then its kept percent made 45 (40 read afresh); its id."""
    engine, ledger, lead, support = generated_ledger
    [tid] = _write(engine, [_TASK], lead, support)
    _judged(ledger, day)
    with engine.begin() as conn:
        conn.execute(update(T.kept_fact).where(T.kept_fact.c.task_id == tid).values(percent=45.0))
    return tid


def test_a_row_stamped_in_the_past_is_read_again(generated_ledger):
    engine, ledger, _, _ = generated_ledger
    day = date(2020, 5, 25)
    tid = _kept_then_tampered(generated_ledger, day)
    with engine.begin() as conn:
        # 已完成 set on 04-20, recorded then: under no mark of ours, above the mark's ids
        conn.execute(insert(T.task_change).values(task_id=tid, field="status", new_value="completed",
                                                  changed_at=_moment(110, 10)))
    rows = {r[0]: r for r in _judged(ledger, day)}
    assert rows[tid][3] == "completed" and rows[tid][6] == 40.0 and rows[tid][17] == "none"


def _entry(conn, tid: int, unit: int, day: int, recorded: int, percent: float, undone: int | None = None) -> None:
    batch = None
    if undone is not None:
        batch = conn.execute(insert(T.import_batch).values(
            kind="progress", file_name="补报.csv", checksum=f"kept-{tid}-{day}", row_count=1,
            created_at=_moment(recorded, 9), undone_at=_moment(undone, 12) if undone >= 0 else None)
        ).inserted_primary_key[0]
    conn.execute(insert(T.progress).values(task_id=tid, unit_id=unit, report_date=_day(day), percent=percent,
                                           source="import" if batch else "manual", batch_id=batch,
                                           recorded_at=_moment(recorded, 9)))


def _undo(conn, day: int) -> None:
    conn.execute(update(T.import_batch).values(undone_at=_moment(day, 12)))


def _no_lead(conn, tid: int, day: int) -> None:
    tu = T.task_unit
    before = conn.execute(select(tu.c.unit_id, tu.c.role, tu.c.position).where(tu.c.task_id == tid)).all()
    conn.execute(insert(T.task_unit_history), [{"task_id": tid, "unit_id": u, "role": r, "position": n,
                                                "replaced_at": _moment(day, 10)} for u, r, n in before])
    conn.execute(delete(tu).where(tu.c.task_id == tid, tu.c.role == "lead"))


# Each: rows written before the facts are kept on 05-25 (day 145), rows written after, the day judged then.
# Whatever the kept facts say of the task (tampered), it must be judged as when read afresh.
_HAPPENINGS = {
    # an entry dated 06-03 recorded on 04-30, before its date: under the mark, its stamp before the kept day
    "dated after the kept day": (lambda c, t, lead, sup: _entry(c, t, lead, 155, 120, 60.0), None, date(2020, 6, 5)),
    # an imported entry of 05-01, its batch undone on 05-10 — written after the facts were kept
    "undone in the past": (lambda c, t, lead, sup: _entry(c, t, lead, 122, 122, 60.0, undone=-1),
                           lambda c, t, lead, sup: _undo(c, 130), date(2020, 5, 25)),
    # the same batch undone on 05-30, written before: the undo's stamp falls between the two days
    "undone in between": (lambda c, t, lead, sup: _entry(c, t, lead, 122, 122, 60.0, undone=150), None,
                          date(2020, 6, 5)),
    # the lead unit taken off on 04-10, written after: the support unit's report of 04-30 is the last that counts
    "lead gone in the past": (lambda c, t, lead, sup: _entry(c, t, sup, 120, 120, 50.0),
                              lambda c, t, lead, sup: _no_lead(c, t, 100), date(2020, 5, 25)),
    # the lead unit taken off on 05-30, written before
    "lead gone in between": (lambda c, t, lead, sup: (_entry(c, t, sup, 120, 120, 50.0), _no_lead(c, t, 150)),
                             None, date(2020, 6, 5)),
}


@pytest.mark.parametrize("happening", list(_HAPPENINGS))
def test_a_task_something_happened_to_is_read_again(generated_ledger, happening, monkeypatch):
    engine, ledger, lead, support = generated_ledger
    [tid] = _write(engine, [_TASK], lead, support)
    before, after, day = _HAPPENINGS[happening]
    with engine.begin() as conn:
        before(conn, tid, lead, support)
    _judged(ledger, date(2020, 5, 25))
    with engine.begin() as conn:
        conn.execute(update(T.kept_fact).values(percent=1.0, last_lead=date(2020, 3, 2), last_report=None))
        if after:
            after(conn, tid, lead, support)
    fresh = _judged(ledger, day, kept=False)
    assert _judged(ledger, day) == fresh
    # and the tampered facts would have shown, had the task not been found changed
    monkeypatch.setattr(kept_facts.KeptFacts, "changed", lambda self: select(T.task.c.id).where(T.task.c.id < 0))
    with engine.begin() as conn:
        conn.execute(update(T.kept_fact).values(percent=1.0, last_lead=date(2020, 3, 2), last_report=None))
    assert _judged(ledger, day, keep=False) != fresh


@pytest.mark.parametrize("due", [61, 50], ids=["in between", "on the kept day"])
def test_a_milestone_falling_due_in_between_is_read_again(generated_ledger, due):
    """序时进度 runs between the milestones on either side of the day, kept with the facts."""
    engine, ledger, lead, support = generated_ledger
    [tid] = _write(engine, [{**_TASK, "milestones": [(due, ("percent", 80.0))]}], lead, support)
    _judged(ledger, date(2020, 4, 20))  # day 110: the milestone (day 121 or 110) is still ahead
    assert _judged(ledger, date(2020, 5, 10)) == _judged(ledger, date(2020, 5, 10), kept=False)


def test_a_task_that_was_a_group_for_a_while_is_read_again(generated_ledger):
    """A group of sub-tasks is not judged; when it is a task again, the facts kept before do not hold."""
    engine, ledger, lead, support = generated_ledger
    parent, child = _write(engine, [_TASK, _TASK], lead, support)
    _judged(ledger, date(2020, 5, 25))
    with engine.begin() as conn:
        conn.execute(update(T.task).where(T.task.c.id == child).values(parent_id=parent))
        _entry(conn, parent, lead, 148, 148, 77.0)  # 05-28
    assert parent not in {r[0] for r in _judged(ledger, date(2020, 6, 1))}  # a group: not judged
    with engine.begin() as conn:
        conn.execute(update(T.task).where(T.task.c.id == child).values(parent_id=None))
    assert _judged(ledger, date(2020, 6, 5)) == _judged(ledger, date(2020, 6, 5), kept=False)


def test_keeping_never_waits_on_a_ledger_another_program_writes(sqlite_seeded, monkeypatch):
    """SQLite, written by another program: the facts are not kept, and the report's temporary tables are
    dropped all the same, without waiting for the lock (which they do not need)."""
    from sixbao_cli.db import Ledger, make_engine

    monkeypatch.setenv("SIXBAO_BUSY_TIMEOUT", "1")
    url = resolve_db_url(sqlite_seeded)
    ledger, engine = Ledger(url, make_engine(url)), create_engine(url)
    try:
        with ledger.connection() as conn:
            with ledger.read(conn):
                facts = kept_facts.load(conn, date(2020, 10, 1), verdicts.reach(conn))
                judging.judge_all(conn, date(2020, 10, 1), RULES, [], facts)
            with engine.connect() as other:
                other.exec_driver_sql("BEGIN IMMEDIATE")  # another program writing
                keeping.keep(ledger, conn, None, facts)
                other.rollback()
            with ledger.read(conn):
                assert not inspect(conn).has_table("sixbao_judged")  # main or temp
        assert _mark(engine) is None
    finally:
        ledger.close()
        engine.dispose()


def test_a_write_open_when_the_facts_were_read_is_read_again(generated_ledger, monkeypatch):
    """On PostgreSQL a row numbered under the mark may commit after the report read its snapshot."""
    engine, ledger, lead, support = generated_ledger
    [tid] = _write(engine, [_TASK], lead, support)
    with engine.begin() as conn:
        conn.execute(insert(T.progress).values(task_id=tid, unit_id=lead, report_date=_day(145), percent=60.0,
                                               source="manual", recorded_at=_moment(145, 14) + timedelta(minutes=45)))
    # the facts read at 15:00 on 05-25 — as if that entry of 14:45 had not been committed yet
    monkeypatch.setattr(kept_facts, "utcnow", lambda: _moment(145, 15))
    _judged(ledger, date(2020, 5, 25))
    with engine.begin() as conn:
        conn.execute(update(T.kept_fact).values(percent=40.0, last_report=_day(91)))
    assert _judged(ledger, date(2020, 5, 26)) == _judged(ledger, date(2020, 5, 26), kept=False)


def test_two_reports_keeping_at_once_leave_the_later_facts_alone(generated_ledger):
    """One report keeps facts as of 06-01 while another, which read the mark before, is about to keep its own."""
    engine, ledger, lead, support = generated_ledger
    _write(engine, [_TASK], lead, support)
    _judged(ledger, date(2020, 5, 25))
    written, done = threading.Event(), threading.Event()

    def other_report():
        with engine.connect() as other, other.begin():
            other.execute(update(T.kept_fact_mark).values(day=date(2020, 6, 1)))
            written.set()
            done.wait(0.3)  # still keeping when this one starts to
    thread = threading.Thread(target=other_report)
    with ledger.connection() as conn:
        with ledger.read(conn):
            facts = kept_facts.load(conn, date(2020, 5, 26), verdicts.reach(conn))
            judging.judge_all(conn, date(2020, 5, 26), RULES, [], facts)
        thread.start()
        written.wait(10)
        keeping.keep(ledger, conn, None, facts)  # waits for the other's write, then finds the mark moved
    thread.join()
    assert _mark(engine).day == date(2020, 6, 1)


def test_no_facts_are_kept_for_a_day_to_come(generated_ledger, monkeypatch):
    engine, ledger, lead, support = generated_ledger
    _write(engine, [_TASK], lead, support)
    monkeypatch.setattr("sixbao_cli.clock.china_today", lambda: date(2020, 5, 24))
    _judged(ledger, date(2020, 5, 25))
    assert _mark(engine) is None
    _judged(ledger, date(2020, 5, 24))
    assert _mark(engine).day == date(2020, 5, 24)


def test_only_a_report_of_every_task_keeps_facts(cli, db_url):
    cli.ok("demo")
    cli.ok("report", "weekly", "--as-of", "2020-12-24", "--unit", "市人社局", "--fail-on", "never")
    engine = create_engine(resolve_db_url(db_url))
    try:
        assert _mark(engine) is None
        first = cli.ok("report", "weekly", "--as-of", "2020-12-24", "--format", "json", "--fail-on", "never").stdout
        assert _mark(engine).day == date(2020, 12, 24)
        with engine.connect() as conn:
            assert conn.execute(select(T.kept_fact.c.task_id)).first() is not None
        # the next report reads them, with the same output
        again = cli.ok("report", "weekly", "--as-of", "2020-12-24", "--format", "json", "--fail-on", "never").stdout
        assert again == first
    finally:
        engine.dispose()


def test_facts_kept_by_another_version_are_not_read(generated_ledger, monkeypatch):
    engine, ledger, _, _ = generated_ledger
    day = date(2020, 5, 25)
    tid = _kept_then_tampered(generated_ledger, day)
    monkeypatch.setattr(kept_facts, "VERSION", kept_facts.VERSION + 1)
    assert _percent(ledger, tid, day) == 40.0
    assert _mark(engine).version == kept_facts.version_key()


def test_a_read_only_ledger_reports_and_keeps_no_facts(cli, sqlite_seeded):
    url = f"sqlite:///file:{sqlite_seeded}?mode=ro&uri=true"
    before = snapshot(sqlite_seeded)
    result = cli("--db", url, "report", "overdue", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert snapshot(sqlite_seeded) == before
