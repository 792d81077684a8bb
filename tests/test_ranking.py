"""The unit ranking counted and ranked in SQL (services/ranking.py) agrees with the references.

The ranking: Hypothesis writes units' counts straight into the ranking's
table — small numbers, so that shares tie (1/3 and 2/6), ranks are shared and
a cut-off falls inside a tie — and the lines read back must be the
reference's: the order, ranks, rates and marks of evaluate.rank_units, capped
as a report caps them (the best half, the worst half and every marked unit;
the support-only units supporting most, by name).

The counting: Hypothesis writes small ledgers (units leading and supporting,
reports by lead, support and stray units, late recordings, status changes)
and the whole ranking must equal tests/ranking_reference.py, which counts
the same rows in plain Python. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, date, datetime, timedelta

import pytest
import ranking_reference
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from sixbao_cli import tables as T
from sixbao_cli.db import make_engine
from sixbao_cli.evaluate import UnitStats, rank_units
from sixbao_cli.rules import Rules
from sixbao_cli.schema import open_ledger
from sixbao_cli.services import judging, ranking, tasks
from sixbao_cli.settings import resolve_db_url


@pytest.fixture
def conn(db_url):
    engine = make_engine(resolve_db_url(db_url))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@st.composite
def unit(draw):
    tasks = draw(st.integers(0, 6))
    due = draw(st.integers(0, 4)) if tasks else 0
    return {"tasks": tasks, "red": draw(st.integers(0, tasks)), "overdue": draw(st.integers(0, tasks)),
            "on_time": draw(st.integers(0, tasks)), "due": due, "reported": draw(st.integers(0, due)),
            "supported": draw(st.integers(0 if tasks else 1, 4)), "support_reports": draw(st.integers(0, 9))}


names = st.text(alphabet="甲乙丙丁局委办Aa", min_size=1, max_size=3)


def _reference(rows: list[dict], rules: Rules, marks: bool, limit: int | None) -> list[tuple]:
    stats = [UnitStats(r["name"], r["tasks"], r["on_time"], r["overdue"], r["red"], r["reported"], r["due"])
             for r in rows if r["tasks"]]
    by_name = {r["name"]: r for r in rows}
    lead = [(r.stats.unit, r.stats.tasks_led, r.rank, None if r.rate is None else round(r.rate * 100, 1),
             r.mark if marks else None) for r in rank_units(stats, rules)]
    support = sorted((r for r in rows if not r["tasks"]), key=lambda r: r["name"])
    if limit and len(lead) > limit:
        head, tail = (limit + 1) // 2, limit // 2
        lead = [u for i, u in enumerate(lead) if i < head or i >= len(lead) - tail or u[4]]
    if limit and len(support) > limit:
        chosen = {r["name"] for r in sorted(support, key=lambda r: (-r["supported"], r["name"]))[:limit]}
        support = [r for r in support if r["name"] in chosen]
    out = [(*u, by_name[u[0]]["supported"], by_name[u[0]]["support_reports"]) for u in lead]
    out += [(r["name"], 0, None, None, None, r["supported"], r["support_reports"]) for r in support]
    return out


@settings(max_examples=int(os.environ.get("SIXBAO_RANKING_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(unit(), min_size=1, max_size=14), labels=st.lists(names, min_size=14, max_size=14, unique=True),
       top=st.integers(0, 3), bottom=st.integers(0, 3), marks=st.booleans(),
       limit=st.sampled_from([None, 1, 2, 3, 5]))
@example(  # three units tied on 1/3 and 2/6 red across the 约谈 cut-off, one unranked
    rows=[{"tasks": 3, "red": 1, "overdue": 0, "on_time": 0, "due": 2, "reported": 2, "supported": 0,
           "support_reports": 0},
          {"tasks": 6, "red": 2, "overdue": 0, "on_time": 0, "due": 2, "reported": 2, "supported": 1,
           "support_reports": 3},
          {"tasks": 1, "red": 0, "overdue": 0, "on_time": 1, "due": 1, "reported": 1, "supported": 0,
           "support_reports": 0},
          {"tasks": 2, "red": 2, "overdue": 2, "on_time": 0, "due": 0, "reported": 0, "supported": 0,
           "support_reports": 0}],
    labels=list("甲乙丙丁局委办Aa") + ["甲乙", "乙甲", "AA", "aA", "局办"], top=1, bottom=1, marks=True, limit=None)
def test_sql_ranking_agrees_with_rank_units(conn, rows, labels, top, bottom, marks, limit):
    rows = [{**r, "name": name} for r, name in zip(rows, labels, strict=False)]
    rules = Rules(rank_top=top, rank_bottom=bottom)
    with conn.begin():
        ranking._create(conn)
        conn.execute(insert(ranking.units), [{"id": i + 1, **r} for i, r in enumerate(rows)])
        lines, counts = ranking._ranked(conn, rules, marks, limit)
        ranking.drop(conn)
    got = [(u.unit, u.tasks_led, u.rank, u.report_rate, u.mark, u.tasks_supported, u.support_reports) for u in lines]
    assert got == _reference(rows, rules, marks, limit)
    assert counts == {"units": sum(1 for r in rows if r["tasks"]), "support_units": sum(1 for r in rows if not r["tasks"])}


Y2020 = date(2020, 1, 1)
_codes = itertools.count(1)
_ledgers = itertools.count(1)
UNIT_NAMES = ["甲局", "乙局", "A局", "a局", "Z", "局"]


def _moment(offset: int, hour: int) -> datetime:
    """Day ``offset`` of 2020 at ``hour`` o'clock China time, in UTC."""
    return datetime.combine(Y2020 + timedelta(days=offset), datetime.min.time(), UTC) + timedelta(hours=hour - 8)


entry = st.fixed_dictionaries({"day": st.integers(0, 200), "late": st.integers(0, 5), "unit": st.integers(0, 5),
                               "percent": st.sampled_from([0.0, 30.0, 100.0])})
task = st.fixed_dictionaries({
    "start": st.integers(0, 150), "length": st.one_of(st.none(), st.integers(0, 120)),
    "leads": st.lists(st.integers(0, 5), max_size=2, unique=True),
    "supports": st.lists(st.integers(0, 5), max_size=2, unique=True),
    "entries": st.lists(entry, max_size=5),
    "status": st.one_of(st.none(), st.tuples(st.integers(0, 200),
                                             st.sampled_from(["in_progress", "completed", "closed", "suspended"]))),
    # the task handed to other units (task edit -l/-s) on these days, at these hours
    "handovers": st.lists(st.fixed_dictionaries({
        "day": st.integers(0, 230), "hour": st.sampled_from([0, 9, 23]),
        "leads": st.lists(st.integers(0, 5), max_size=2, unique=True),
        "supports": st.lists(st.integers(0, 5), max_size=2, unique=True)}), max_size=2),
})


@pytest.fixture
def ledger_engine(db_url):
    url = resolve_db_url(db_url)
    open_ledger(url).close()
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _write(engine, tasks: list[dict], names: list[str]) -> list[int]:
    tag = next(_ledgers)  # unit names are unique in a ledger, and each example writes its own
    with engine.begin() as conn:
        units = [conn.execute(insert(T.unit).values(name=f"{name}{tag}", created_at=_moment(0, 0)))
                 .inserted_primary_key[0] for name in names]
        ids = []
        for spec in tasks:
            start = Y2020 + timedelta(days=spec["start"])
            deadline = start + timedelta(days=spec["length"]) if spec["length"] is not None else None
            code = f"RK-{next(_codes):06d}"
            tid = conn.execute(insert(T.task).values(
                code=code, title=code, category="保居民就业", status="not_started", start_date=start, deadline=deadline,
                created_at=_moment(0, 1), updated_at=_moment(0, 1))).inserted_primary_key[0]
            ids.append(tid)
            roles = _roles(spec)
            for position, (u, role) in enumerate(roles.items()):
                conn.execute(insert(T.task_unit).values(task_id=tid, unit_id=units[u], role=role, position=position))
            every = [*roles, *(u for h in spec.get("handovers", ()) for u in _roles(h))]
            for e in spec["entries"]:  # by a unit the task ever had, or by a stray one when it never had any
                u = e["unit"] if e["unit"] in every or not every else every[0]
                conn.execute(insert(T.progress).values(
                    task_id=tid, unit_id=units[u], report_date=Y2020 + timedelta(days=e["day"]), percent=e["percent"],
                    source="manual", recorded_at=_moment(e["day"] + e["late"], 10)))
            if spec["status"]:
                day, status = spec["status"]
                conn.execute(insert(T.task_change).values(task_id=tid, field="status", new_value=status,
                                                          changed_at=_moment(day, 12)))
            # as tasks.edit_task hands a task over: the units it had kept with the moment, then replaced
            held, moments = roles, set()
            for h in sorted(spec.get("handovers", ()), key=lambda h: (h["day"], h["hour"])):
                when = _moment(h["day"], h["hour"])
                if when in moments:
                    continue  # one replacement a moment
                moments.add(when)
                old = [{"unit_id": units[u], "role": role, "position": i} for i, (u, role) in enumerate(held.items())]
                conn.execute(insert(T.task_unit_history), [dict(r, task_id=tid, replaced_at=when) for r in old]
                             or [{"task_id": tid, "unit_id": None, "role": None, "position": None, "replaced_at": when}])
                held = _roles(h)
                conn.execute(delete(T.task_unit).where(T.task_unit.c.task_id == tid))
                for position, (u, role) in enumerate(held.items()):
                    conn.execute(insert(T.task_unit).values(task_id=tid, unit_id=units[u], role=role,
                                                            position=position))
    return ids


def _roles(spec: dict) -> dict[int, str]:
    roles = dict.fromkeys(spec["leads"], "lead")
    for u in spec["supports"]:
        roles.setdefault(u, "support")
    return roles


# One lead unit, two tasks with a stretch between them: the first under way from 2020-02-10 and done
# on 2020-03-01 (its 100 % report), the second begun on 2020-04-20 and still under way on 2020-05-30.
GAP = [{"start": 40, "length": 30, "leads": [0], "supports": [], "status": (60, "completed"),
        "entries": [{"day": 60, "late": 0, "unit": 0, "percent": 100.0}]},
       {"start": 110, "length": 60, "leads": [0], "supports": [], "status": None,
        "entries": [{"day": 115, "late": 0, "unit": 0, "percent": 30.0}]}]


def test_a_stretch_between_a_units_tasks_owes_no_report(ledger_engine):
    """按时报送率 counts the 旬 in which the unit led a task under way (README), not the stretch between two."""
    ids = _write(ledger_engine, GAP, UNIT_NAMES)
    as_of, since = Y2020 + timedelta(days=150), Y2020 + timedelta(days=30)
    with ledger_engine.connect() as conn, conn.begin():
        judging.judge_all(conn, as_of, Rules(), [T.task.c.id.in_(ids)])
        lines, _ = ranking.unit_lines(conn, as_of, since, Rules())
        judging.drop(conn)
    [line] = lines
    # 2月上旬 to 3月上旬 (4) and 4月中旬 to 5月中旬 (4); not 3月中旬 to 4月上旬, when nothing was under way
    assert (line.xun_total, line.xun_reported, line.report_rate) == (8, 2, 25.0)


# 甲局 leads a task from 2020-02-10, reports on it on 04-05 (4月上旬) and 04-12, and hands it to 乙局 on
# 04-15 at 9:00, which reports on 04-25 and 05-15; 甲局 also leads a second task from 05-01, unreported.
HANDED = [{"start": 40, "length": 200, "leads": [0], "supports": [], "status": None,
           "entries": [{"day": d, "late": 0, "unit": u, "percent": 30.0} for d, u in ((95, 0), (102, 0), (115, 1),
                                                                                        (135, 1))],
           "handovers": [{"day": 105, "hour": 9, "leads": [1], "supports": []}]},
          {"start": 121, "length": 100, "leads": [0], "supports": [], "status": None, "entries": []}]


def test_a_task_handed_over_in_the_quarter_is_owed_by_each_unit_for_its_own_xun(ledger_engine):
    """The 旬 of a task handed over are owed by the unit leading it when each 旬 ended (README)."""
    ids = _write(ledger_engine, HANDED, UNIT_NAMES)
    as_of, since = date(2020, 5, 31), date(2020, 4, 1)
    with ledger_engine.connect() as conn, conn.begin():
        judging.judge_all(conn, as_of, Rules(), [T.task.c.id.in_(ids)])
        lines, _ = ranking.unit_lines(conn, as_of, since, Rules())
        judging.drop(conn)
    got = {line.unit[:2]: (line.tasks_led, line.xun_total, line.xun_reported) for line in lines}
    # 乙局: 4月中旬 to 5月下旬 (5), reported in 4月下旬 and 5月中旬 — its predecessor's 4月上旬 is not its own.
    # 甲局: 4月上旬 for the first task (reported on 04-05; its 04-12 report fell in 乙局's 旬) and
    # 5月上旬 to 5月下旬 for the second (3), neither reported.
    assert got == {"乙局": (1, 5, 2), "甲局": (1, 4, 1)}


def test_task_edit_handing_a_task_over_splits_its_xun_between_the_units(ledger_engine, monkeypatch):
    """The same through the write path of ``task edit -l``: the moment it keeps is the one the ranking reads."""
    first = dict(HANDED[0], handovers=[], entries=HANDED[0]["entries"][:2])  # 甲局's two reports
    ids = _write(ledger_engine, [first, HANDED[1]], UNIT_NAMES)
    with ledger_engine.connect() as conn:
        code, = conn.execute(select(T.task.c.code).where(T.task.c.id == ids[0])).one()
        successor, successor_id = conn.execute(select(T.unit.c.name, T.unit.c.id).where(T.unit.c.name.startswith("乙局"))
                                               .order_by(T.unit.c.id.desc()).limit(1)).one()
    monkeypatch.setattr(tasks, "utcnow", lambda: _moment(105, 9))
    with ledger_engine.begin() as conn:
        tasks.edit_task(conn, code, tasks.TaskChanges(leads=[successor]))
        for day in (115, 135):  # 乙局's reports
            conn.execute(insert(T.progress).values(task_id=ids[0], unit_id=successor_id, percent=30.0, source="manual",
                                                   report_date=Y2020 + timedelta(days=day), recorded_at=_moment(day, 10)))
    with ledger_engine.connect() as conn, conn.begin():
        judging.judge_all(conn, date(2020, 5, 31), Rules(), [T.task.c.id.in_(ids)])
        lines, _ = ranking.unit_lines(conn, date(2020, 5, 31), date(2020, 4, 1), Rules())
        judging.drop(conn)
    assert {line.unit[:2]: (line.tasks_led, line.xun_total, line.xun_reported) for line in lines} == {
        "乙局": (1, 5, 2), "甲局": (1, 4, 1)}


@settings(max_examples=int(os.environ.get("SIXBAO_RANKING_EXAMPLES", "60")) // 3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tasks=st.lists(task, min_size=1, max_size=8), day=st.integers(40, 230), back=st.integers(15, 120),
       top=st.integers(0, 3), bottom=st.integers(0, 3), marks=st.booleans(), limit=st.sampled_from([None, 1, 2, 3]),
       names=st.permutations(UNIT_NAMES))
@example(tasks=GAP, day=150, back=120, top=0, bottom=1, marks=True, limit=None, names=UNIT_NAMES)
@example(tasks=HANDED, day=151, back=60, top=1, bottom=1, marks=True, limit=None, names=UNIT_NAMES)
def test_sql_counting_agrees_with_the_plain_python_count(ledger_engine, tasks, day, back, top, bottom, marks, limit,
                                                          names):
    ids = _write(ledger_engine, tasks, names)
    as_of = Y2020 + timedelta(days=day)
    since = as_of - timedelta(days=back)
    rules = Rules(rank_top=top, rank_bottom=bottom)
    with ledger_engine.connect() as conn, conn.begin():
        judging.judge_all(conn, as_of, rules, [T.task.c.id.in_(ids)])
        got, _ = ranking.unit_lines(conn, as_of, since, rules, marks=marks, limit=limit)
        want = ranking_reference.unit_lines(conn, as_of, since, rules, marks=marks, limit=limit)
        judging.drop(conn)
    assert got == want, (as_of, since)


@settings(max_examples=int(os.environ.get("SIXBAO_RANKING_EXAMPLES", "60")) // 3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tasks=st.lists(task, min_size=1, max_size=8), day=st.integers(40, 230), back=st.integers(15, 1500),
       bits=st.sampled_from([1, 2, 3, ranking.BITS]), names=st.permutations(UNIT_NAMES))
@example(tasks=GAP, day=150, back=120, bits=2, names=UNIT_NAMES)
@example(tasks=HANDED, day=151, back=60, bits=3, names=UNIT_NAMES)
@example(tasks=GAP, day=150, back=1500, bits=ranking.BITS, names=UNIT_NAMES)  # 2016-2020: about 150 旬, three masks
def test_the_xun_owed_are_counted_right_across_several_masks(ledger_engine, tasks, day, back, bits, names):
    """A unit's 旬 owed are kept as bits, ``ranking.BITS`` 旬 to a row: a period longer than that (``--since``
    years back), or masks made narrow here, must count as the plain Python count does."""
    ids = _write(ledger_engine, tasks, names)
    as_of = Y2020 + timedelta(days=day)
    since = as_of - timedelta(days=back)
    with ledger_engine.connect() as conn, conn.begin(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking, "BITS", bits)
        judging.judge_all(conn, as_of, Rules(), [T.task.c.id.in_(ids)])
        got, _ = ranking.unit_lines(conn, as_of, since, Rules())
        want = ranking_reference.unit_lines(conn, as_of, since, Rules(), marks=True, limit=None)
        judging.drop(conn)
    assert got == want, (as_of, since, bits)
