"""Verdicts kept between reports (services/verdicts.py) never change a ladder step.

The ladder read from kept verdicts must equal the ladder judged afresh, also
after rows stamped in the past arrive — a late report, a status change, an
undo — which is what the mark is for. Generated ledgers as in
tests/test_judging.py, on SQLite and PostgreSQL; then fixed cases through the
command line: a second report reads what the first kept, other rules keep
their own, a read-only ledger still reports.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, insert, select, update
from test_judging import RULES, _day, _moment, _reference_streak, _write, task

from sixbao_cli import tables as T
from sixbao_cli.services import judging, keeping, verdicts
from sixbao_cli.services.reports import ladder
from sixbao_cli.settings import resolve_db_url

from conftest import snapshot

late_entry = st.fixed_dictionaries({
    "task": st.integers(0, 9), "day": st.integers(0, 360), "late": st.integers(0, 25), "hour": st.integers(0, 23),
    "percent": st.integers(0, 100).map(float), "by_lead": st.booleans(), "imported": st.booleans(),
})
late_status = st.fixed_dictionaries({
    "task": st.integers(0, 9), "day": st.integers(0, 360), "hour": st.integers(0, 23),
    "status": st.sampled_from(["in_progress", "completed", "closed", "suspended"]),
})


def _ladder(ledger, ids: list[int], day: date, *, keep: bool = True) -> dict[int, int]:
    """Each red task's streak on ``day``, read through kept verdicts (and keeping those judged), checked
    against the reference that judges every checkpoint from scratch."""
    with ledger.connection() as conn:
        with ledger.read(conn):
            kept = verdicts.load(conn, RULES)
            judging.judge_all(conn, day, RULES, [T.task.c.id.in_(ids)])
            streaks = {tid: rung.streak for tid, rung in ladder(conn, day, RULES, kept).items()}
            for tid, streak in streaks.items():
                assert streak == _reference_streak(conn, tid, day), (tid, day)
        keeping.keep(ledger, conn, kept if keep else None, None)
    return streaks


def _write_late(engine, ids: list[int], entries: list[dict], statuses: list[dict], lead: int, support: int) -> None:
    """Rows stamped in the past, on tasks already judged: entries (some imported, in batches not undone) and status changes."""
    with engine.begin() as conn:
        for e in entries:
            tid = ids[e["task"] % len(ids)]
            recorded = _moment(e["day"] + e["late"], e["hour"])
            batch = None
            if e["imported"]:
                batch = conn.execute(insert(T.import_batch).values(
                    kind="progress", file_name="补报.csv", checksum=f"late-{tid}-{e['day']}-{e['late']}-{e['hour']}",
                    row_count=1, created_at=recorded)).inserted_primary_key[0]
            conn.execute(insert(T.progress).values(
                task_id=tid, unit_id=lead if e["by_lead"] else support, report_date=_day(e["day"]),
                percent=e["percent"], source="import" if batch else "manual", batch_id=batch, recorded_at=recorded))
        for s in statuses:
            conn.execute(insert(T.task_change).values(task_id=ids[s["task"] % len(ids)], field="status",
                                                      old_value=None, new_value=s["status"],
                                                      changed_at=_moment(s["day"], s["hour"])))


def _undo_late(engine, ids: list[int], after: int) -> None:
    """Undo, ``after`` days after it was recorded, every batch of these tasks not undone yet: a stamp in the past, in place."""
    with engine.begin() as conn:
        p, b = T.progress, T.import_batch
        for batch, created in conn.execute(
                select(b.c.id, b.c.created_at).where(b.c.undone_at.is_(None), b.c.kind == "progress",
                                                     b.c.id.in_(select(p.c.batch_id).where(p.c.task_id.in_(ids))))).all():
            conn.execute(update(b).where(b.c.id == batch).values(undone_at=created + timedelta(days=after)))


@settings(max_examples=int(os.environ.get("SIXBAO_JUDGING_EXAMPLES", "30")) // 2, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks=st.lists(task, min_size=1, max_size=4), days=st.lists(st.integers(0, 420), min_size=1, max_size=3),
       early=st.lists(late_entry, max_size=4), entries=st.lists(late_entry, max_size=4),
       statuses=st.lists(late_status, max_size=2), undo_after=st.one_of(st.none(), st.integers(0, 40)))
def test_kept_verdicts_give_the_steps_judged_afresh(generated_ledger, tasks, days, early, entries, statuses,
                                                    undo_after):
    engine, ledger, lead, support = generated_ledger
    ids = _write(engine, tasks, lead, support)
    _write_late(engine, ids, early, [], lead, support)
    chosen = sorted({_day(offset) for offset in days})
    first = [_ladder(ledger, ids, day) for day in chosen]  # judged, and kept
    assert [_ladder(ledger, ids, day) for day in chosen] == first  # read back
    _write_late(engine, ids, entries, statuses, lead, support)
    if undo_after is not None:
        _undo_late(engine, ids, undo_after)
    for day in chosen:  # whatever the rows stamped in the past changed, judged again
        _ladder(ledger, ids, day)


# A task 30 days long from 2020-03-01 (day 60), due 03-31: overdue from then on. The ladder takes a
# shortcut for a task overdue and untouched since its checkpoints: it judges it only at the one before.
_OVERDUE = {"start": 60, "length": 30, "created_before": 5, "target": None, "milestones": [], "has_lead": True,
            "entries": [], "statuses": [], "deadline_edit": None}
# 120 days from 03-01, due 06-29, never reported: red from the first checkpoint 30 points behind 序时进度,
# 04-10 (33 %); at 03-31 25 points behind (黄).
_SLOW = {**_OVERDUE, "length": 120}


def _kept_rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        v = T.xun_verdict
        return conn.execute(select(v.c.checkpoint, v.c.task_id, v.c.red).order_by(v.c.checkpoint, v.c.task_id)).all()


def test_a_report_stamped_in_the_past_outdates_the_verdicts_kept_after_it(generated_ledger):
    engine, ledger, lead, support = generated_ledger
    [tid] = _write(engine, [_SLOW], lead, support)
    day = date(2020, 5, 25)  # of the ladder's six checkpoints 03-31 … 05-20, red at the last five: 约谈
    assert _ladder(ledger, [tid], day) == {tid: 5}
    assert [(str(c), red) for c, _, red in _kept_rows(engine)] == [
        ("2020-03-31", False), ("2020-04-10", True), ("2020-04-20", True), ("2020-04-30", True), ("2020-05-10", True),
        ("2020-05-20", True)]
    # Read back: the kept verdicts are what the ladder counts (a kept "not red" cuts the streak short) …
    with engine.begin() as conn:
        conn.execute(update(T.xun_verdict).where(T.xun_verdict.c.checkpoint == date(2020, 5, 10))
                     .values(red=False))
    with ledger.read() as conn:
        kept = verdicts.load(conn, RULES)
        judging.judge_all(conn, day, RULES, [T.task.c.id == tid])
        assert {t: r.streak for t, r in ladder(conn, day, RULES, kept).items()} == {tid: 1}
        judging.drop(conn)
    with engine.begin() as conn:
        conn.execute(update(T.xun_verdict).where(T.xun_verdict.c.checkpoint == date(2020, 5, 10)).values(red=True))
    # … until rows stamped before a checkpoint's end arrive: 已完成 on 04-26 (day 116), reopened 05-05.
    with engine.begin() as conn:
        conn.execute(insert(T.task_change).values(task_id=tid, field="status", new_value="completed",
                                                  changed_at=_moment(116, 10)))
        conn.execute(insert(T.task_change).values(task_id=tid, field="status", new_value="in_progress",
                                                  changed_at=_moment(125, 10)))
    # done at 04-30, red again from 05-10: two checkpoints; the verdicts from 04-26 on are judged again
    assert _ladder(ledger, [tid], day) == {tid: 2}
    assert [(str(c), red) for c, _, red in _kept_rows(engine)] == [
        ("2020-03-31", False), ("2020-04-10", True), ("2020-04-20", True), ("2020-04-30", False), ("2020-05-10", True),
        ("2020-05-20", True)]


def test_an_undo_stamped_in_the_past_outdates_the_verdicts_kept_after_it(generated_ledger):
    engine, ledger, lead, support = generated_ledger
    entry = {"task": 0, "day": 64, "late": 0, "hour": 9, "percent": 100.0, "by_lead": True, "imported": True}
    [tid] = _write(engine, [_OVERDUE], lead, support)
    _write_late(engine, [tid], [entry], [], lead, support)  # 100 % on 03-05, imported
    day = date(2020, 5, 25)
    before = _ladder(ledger, [tid], day)
    # 04-10 … 05-20 overdue (the shortcut), and at 03-31 not behind: its 100 % counted
    assert before == {tid: 5} and [(str(c), red) for c, _, red in _kept_rows(engine)] == [("2020-03-31", False)]
    # the import undone on 03-07, in place: at 03-31 no report counts, 100 points behind
    _undo_late(engine, [tid], 2)
    assert _ladder(ledger, [tid], day) == {tid: 6}


def test_verdicts_are_kept_for_checkpoints_past_only(generated_ledger, monkeypatch):
    engine, ledger, lead, support = generated_ledger
    [tid] = _write(engine, [_SLOW], lead, support)
    # Now is 2020-05-21 00:30 in China: the 05-20 checkpoint ended half an hour ago, within verdicts.SETTLE.
    monkeypatch.setattr(verdicts, "utcnow", lambda: datetime(2020, 5, 20, 16, 30, tzinfo=UTC))
    assert _ladder(ledger, [tid], date(2020, 5, 21)) == {tid: 5}
    assert str(_kept_rows(engine)[-1][0]) == "2020-05-10"


def _kept_keys(url: str) -> dict[str, int]:
    engine = create_engine(resolve_db_url(url))
    try:
        with engine.connect() as conn:
            v = T.xun_verdict
            return dict(conn.execute(select(v.c.rules_key, func.count()).group_by(v.c.rules_key)).all())
    finally:
        engine.dispose()


def test_a_report_keeps_its_verdicts_and_the_next_reads_them(cli, db_url, tmp_path):
    url = db_url
    cli.ok("demo")
    first = cli.ok("report", "weekly", "--as-of", "2020-12-24", "--format", "json").stdout
    keys = _kept_keys(url)
    assert list(keys) == [verdicts.rules_key(RULES)] and keys[verdicts.rules_key(RULES)] > 0
    assert cli.ok("report", "weekly", "--as-of", "2020-12-24", "--format", "json").stdout == first
    # other rules: verdicts of their own, beside the first
    rules = tmp_path / "rules.toml"
    rules.write_text("[lights]\nred_behind = 20\n", encoding="utf-8")
    cli.ok("report", "weekly", "--as-of", "2020-12-24", "--rules", str(rules))
    assert len(_kept_keys(url)) == 2


def test_a_read_only_ledger_reports_and_keeps_nothing(cli, sqlite_seeded):
    url = f"sqlite:///file:{sqlite_seeded}?mode=ro&uri=true"
    before = snapshot(sqlite_seeded)
    result = cli("--db", url, "report", "weekly", "--fail-on", "never")  # today: task 2, overdue since 2020, red
    assert result.exit_code == 0, result.stderr
    assert "关于" in result.stdout and result.stderr == ""
    assert snapshot(sqlite_seeded) == before
