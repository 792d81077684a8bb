"""The unit ranking worked out in plain Python from the ledger's rows: the test oracle for services/ranking.py.

Reads the judged tasks, their units and the period's reports as rows and
counts each unit's tasks, 旬 due and reported and support in Python, then
ranks with :func:`sixbao_cli.evaluate.rank_units` and caps the lines as a
report does. Deliberately naive: small generated ledgers only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date

from sqlalchemy import select

from sixbao_cli import tables as T
from sixbao_cli.evaluate import DONE_STATUSES, RED, UnitStats, rank_units
from sixbao_cli.rules import Rules
from sixbao_cli.services import judging
from sixbao_cli.services.asof import cutoff
from sixbao_cli.services.ranking import UnitLine
from sixbao_cli.xun import Xun


def _utc(moment):
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def unit_lines(conn, as_of: date, since: date, rules: Rules, *, marks: bool, limit: int | None) -> list[UnitLine]:
    """What ``ranking.unit_lines`` should return, after :func:`judging.judge_all` filled the judged table."""
    judged = {r.id: r for r in conn.execute(select(judging.judged)).all()}
    names = dict(conn.execute(select(T.unit.c.id, T.unit.c.name)).all())
    now: dict[int, dict[int, str]] = defaultdict(dict)
    for tid, uid, r in conn.execute(select(T.task_unit.c.task_id, T.task_unit.c.unit_id, T.task_unit.c.role)):
        now[tid][uid] = r
    replaced: dict[int, dict] = defaultdict(dict)  # task -> moment replaced -> the units it replaced
    h = T.task_unit_history
    for tid, uid, r, when in conn.execute(select(h.c.task_id, h.c.unit_id, h.c.role, h.c.replaced_at)):
        units = replaced[tid].setdefault(_utc(when), {})
        if uid is not None:
            units[uid] = r

    def roles_at(tid, moment) -> dict[int, str]:
        """The task's units at ``moment``: what its first replacement from then on replaced, else its units now."""
        later = [when for when in replaced.get(tid, {}) if when >= moment]
        return replaced[tid][min(later)] if later else now.get(tid, {})

    closed = []  # the 旬 from since's to the last one ended by as_of
    x = Xun.of(since)
    while x.end <= as_of:
        closed.append(x)
        x = x.next()
    cut = cutoff(as_of)
    role = {(tid, uid): r for tid in judged for uid, r in roles_at(tid, cut).items()}
    undone = {b: _utc(u) for b, u in conn.execute(select(T.import_batch.c.id, T.import_batch.c.undone_at)).all()}
    entries = [e for e in conn.execute(select(T.progress.c.task_id, T.progress.c.unit_id, T.progress.c.report_date,
                                              T.progress.c.recorded_at, T.progress.c.batch_id)).all()
               if e.task_id in judged and _utc(e.recorded_at) < cut
               and (e.batch_id is None or undone.get(e.batch_id) is None or undone[e.batch_id] >= cut)
               and closed and closed[0].start <= e.report_date <= closed[-1].end]  # since's 旬 is owed whole

    led: dict[int, list] = defaultdict(list)
    supported: dict[int, int] = defaultdict(int)
    for (tid, uid), r in role.items():
        if r == "lead":
            led[uid].append(judged[tid])
        else:
            supported[uid] += 1
    # Each 旬 and task, the units it had when the 旬 ended: who owed that 旬 a report, and in which role.
    held = {(x, tid): roles_at(tid, cutoff(x.end)) for x in closed for tid in judged}
    reported: dict[int, set] = defaultdict(set)
    support_reports: dict[int, int] = defaultdict(int)
    for e in entries:
        r = held[Xun.of(e.report_date), e.task_id].get(e.unit_id)
        if r == "lead":
            reported[e.unit_id].add(Xun.of(e.report_date))
        elif r == "support":
            support_reports[e.unit_id] += 1

    def under_way(t, x: Xun) -> bool:
        # from the 旬 it started in to the one it was done in
        return Xun.of(t.start) <= x <= Xun.of((t.done_on or as_of) if t.status in DONE_STATUSES else as_of)

    stats = []
    for uid in set(led) | set(supported):
        tasks = led.get(uid, [])
        due = owed = []
        if tasks and closed:
            # a 旬 is due when the unit led, when it ended, some task under way in it
            owed = [x for x in closed if any(held[x, tid].get(uid) == "lead" and under_way(t, x)
                                             for tid, t in judged.items())]
            due = owed
        stats.append((uid, UnitStats(
            unit=names[uid], tasks_led=len(tasks),
            done_on_time=sum(1 for t in tasks if t.status in DONE_STATUSES and t.done_on is not None
                             and (t.deadline is None or t.done_on <= t.deadline)),
            overdue=sum(t.overdue for t in tasks), red=sum(1 for t in tasks if t.light == RED),
            xun_reported=sum(1 for x in owed if x in reported.get(uid, ())), xun_total=len(due))))
    extra = {s.unit: (supported.get(uid, 0), support_reports.get(uid, 0)) for uid, s in stats}

    def line(s: UnitStats, rate, rank, mark) -> UnitLine:
        sup, sup_reports = extra[s.unit]
        return UnitLine(s.unit, s.tasks_led, s.done_on_time, s.overdue, s.red, s.xun_reported, s.xun_total,
                        None if rate is None else round(rate * 100, 1), rank, mark, sup, sup_reports)

    lead = [line(r.stats, r.rate, r.rank, r.mark if marks else None)
            for r in rank_units([s for _, s in stats if s.tasks_led], rules)]
    support = [line(s, None, None, None) for s in sorted((s for _, s in stats if not s.tasks_led), key=lambda s: s.unit)]
    if limit and len(lead) > limit:
        head, tail = (limit + 1) // 2, limit // 2
        lead = [u for i, u in enumerate(lead) if i < head or i >= len(lead) - tail or u.mark]
    if limit and len(support) > limit:
        chosen = {u.unit for u in sorted(support, key=lambda u: (-u.tasks_supported, u.unit))[:limit]}
        support = [u for u in support if u.unit in chosen]
    return lead + support
