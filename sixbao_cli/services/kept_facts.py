"""Each task's facts on a day — status, latest entry, the lead unit's last report — kept between reports.

Judging a task as of a day (services.judging) first reads what the ledger knew
then: its status from the change history, its latest entry among those
recorded by then and still counted, its lead unit's last report, and the
milestones on either side of the day. At 100,000 tasks those reads are most
of the judging (about 2 s of 2.7 s on SQLite), and they change only when
something happens to the task or a milestone falls due. So a report that
judged every task keeps the facts it read (table ``kept_fact``, with
``kept_fact_mark``), and the next report as of that day or later reads again
only the tasks something happened to in between. The others are judged on the
kept facts: 序时进度, the flags and the light are worked out anew for the
report's day, as they depend on it.

Something happened to a task between the kept day B and the report's day D
when, known by the end of D, it has:

- an entry reported after B;
- a row stamped from W on: an entry recorded (a correction, an undo's restored
  copy), a status or date edit, a change of its units, the task itself
  entered; or an entry in a batch undone from W on. W is the end of B, or
  :data:`SETTLE` before the facts were read when that is earlier: PostgreSQL
  rows appear as they commit, so a write still open when the facts were read
  is looked at again (as for verdicts, services.verdicts);
- a row above the mark, whatever its stamp (a clock set back, a test's);
- an entry in any undone batch, when the undone batches changed without a
  stamp in that window (count and id sum, as in the verdicts' mark);
- a milestone falling due from B to the day before D: the milestones on
  either side of the day, kept too, are then others.

A report that ranked the units (services.ranking) keeps with the facts, in
``kept_unit_xun``, each unit's reports per ended 旬 of the ranking period —
the one pass over the period's entries that is most of the ranking's time —
and the next reads them for the 旬 that still hold (:meth:`KeptFacts.xuns_holding`).

Facts kept by another program version or :data:`VERSION` are not read, nor
facts of a day after the report's. Erring towards reading a task again costs
time, never a wrong judgement; tests/test_kept_facts.py holds the judgement
through kept facts equal to the one read afresh over generated ledgers.

Keeping (:func:`keep`, through services.keeping) is a write after the
report's output, on the report's connection, skipped when the ledger is
read-only or busy, and only after a report that judged every task (no
filter; a filtered report reads kept facts but keeps none): it writes
the tasks read again and moves the mark to the report's day and snapshot.
When another report moved the mark meanwhile, only a report that read every
task writes (it replaces the lot), and never over facts of a later day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, delete, insert, or_, select, union, update
from sqlalchemy.engine import Connection, Row

from sixbao_cli import __version__
from sixbao_cli import tables as T
from sixbao_cli.services.asof import cutoff
from sixbao_cli.services.verdicts import SETTLE, STAMPED
from sixbao_cli.sqltypes import utcnow
from sixbao_cli.xun import Xun

# Raise when what a fact means changes (services.asof): facts kept under another VERSION are not read.
VERSION = 1
COLUMNS = ("status", "percent", "value", "last_lead", "last_report", "done_on",
           "next_due", "next_pct", "prev_due", "prev_pct")


def version_key() -> str:
    """The key facts are kept under: :data:`VERSION` and the program's version."""
    return f"v{VERSION}/{__version__}"


@dataclass
class KeptFacts:
    """What one report may read of the kept facts, and what it read that is worth keeping."""

    day: date  # the report's day
    reach: dict[str, int]  # how far the stamped tables reached in the report's snapshot
    read_at: datetime  # when the report read its snapshot
    mark: Row | None  # the kept facts' mark as the report found it; None: none kept
    usable: bool  # the kept facts may be read for the report's day
    undo_moved: bool  # the undone batches changed since the mark
    judged: bool = False  # every task was judged, and the facts read are in judging.judged to keep
    replace: bool = False  # every task's facts were read (else only those read again)
    # The ranking's reports per unit and 旬 (services.ranking) to keep: the 旬 they cover, numbered as
    # xun.Xun.number (None: none to keep), and those among them counted afresh (the others were kept).
    xuns: tuple[int, int] | None = None
    xuns_counted: frozenset[int] = frozenset()

    def since(self) -> datetime:
        """W: the end of the kept day, or :data:`SETTLE` before the facts were read when that is earlier."""
        return min(cutoff(self.mark.day), self.mark.read_at - SETTLE)

    def changed(self) -> Select:
        """The ids of the tasks something happened to between the kept day and the report's (see the module)."""
        mark, cut, since = self.mark, cutoff(self.day), self.since()
        p, b = T.progress, T.import_batch
        parts = [select(p.c.task_id).where(p.c.report_date > mark.day, p.c.report_date <= self.day,
                                           p.c.recorded_at < cut)]
        for name, table, ident, stamp in STAMPED:
            if table is T.task_leader_history:
                continue  # leaders are not facts
            task_id = table.c.id if table is T.task else table.c.task_id
            parts.append(select(task_id).where(stamp >= since, stamp < cut))
            parts.append(select(task_id).where(ident > getattr(mark, name), stamp < cut))
        undone = b.c.undone_at < cut if self.undo_moved else (b.c.undone_at >= since) & (b.c.undone_at < cut)
        parts.append(select(p.c.task_id).where(p.c.batch_id.in_(select(b.c.id).where(undone))))
        # a milestone due between the two days: the milestones on either side of the day are others
        m = T.milestone
        parts.append(select(m.c.task_id).where(m.c.due_date >= mark.day, m.c.due_date < self.day))
        return union(*parts)

    def xuns_holding(self, conn: Connection, xuns: list[Xun]) -> set[int]:
        """Which of ``xuns`` (ended 旬 of a ranking period) have reports per unit kept that still hold.

        Kept by a report that judged every task, for a period starting with the
        same 旬, they hold for a 旬 in which no entry was recorded since (as
        :meth:`changed` reads "since": from W, or above the mark), nor holds
        an entry of a task entered since (a task counts from its entry, its
        past rows with it). None hold when, since, a batch was undone (or
        one undone before falls after the kept day), a task changed units or
        its group (a new sub-task, another parent): those move reports
        between units or in and out of the count.
        """
        mark = self.mark
        if not (self.usable and self.judged and xuns and mark.xun_from == xuns[0].number
                and mark.xun_to is not None) or self.undo_moved:
            return set()
        cut, since = cutoff(self.day), self.since()
        b, h, task, c, p = T.import_batch, T.task_unit_history, T.task, T.task_change, T.progress

        def stamped(stamp, ident, name):
            return and_(stamp < cut, or_(stamp >= since, ident > getattr(mark, name)))

        entered = stamped(task.c.created_at, task.c.id, "task_id")
        # an undo since the mark moves the undone batches' count (undo_moved); one known then may fall after its day
        moved = [select(b.c.id).where(b.c.undone_at >= since, b.c.undone_at < cut),
                 select(h.c.id).where(stamped(h.c.replaced_at, h.c.id, "unit_history_id")),
                 select(task.c.id).where(entered, task.c.parent_id.is_not(None)),
                 select(c.c.id).where(stamped(c.c.changed_at, c.c.id, "change_id"), c.c.field == "parent")]
        if any(conn.execute(q.limit(1)).first() for q in moved):
            return set()
        kept = [x for x in xuns if x.number <= mark.xun_to]
        if not kept:
            return set()
        # Read through the index on recorded_at and the id's range, not the period's entries; and the
        # entries of tasks entered since, which count from then on (whenever their entries were stamped).
        dated = (p.c.report_date >= kept[0].start, p.c.report_date <= kept[-1].end, p.c.recorded_at < cut)
        recorded = conn.execute(union(select(p.c.report_date).where(*dated, p.c.recorded_at >= since),
                                      select(p.c.report_date).where(*dated, p.c.id > mark.progress_id),
                                      select(p.c.report_date).where(*dated, p.c.task_id.in_(
                                          select(task.c.id).where(entered))))).scalars().all()
        touched = {Xun.of(day).number for day in recorded}
        return {x.number for x in kept} - touched


def load(conn: Connection, day: date, reached: dict[str, int]) -> KeptFacts:
    """What a report as of ``day`` may read of the kept facts, in its own snapshot (``reached``: verdicts.reach)."""
    m = T.kept_fact_mark
    mark = conn.execute(select(m).where(m.c.id == 1)).first()
    usable = mark is not None and mark.version == version_key() and mark.day <= day
    undo_moved = usable and (mark.undone_batches, mark.undone_id_sum) != (reached["undone_batches"],
                                                                          reached["undone_id_sum"])
    return KeptFacts(day, reached, utcnow(), mark, usable, undo_moved)


def keep(w: Connection, kept: KeptFacts | None) -> None:
    """Keep the facts a report read, and move the mark to its day, in write transaction ``w`` (see the module).

    ``w`` is on the connection the report judged on (services.keeping): the
    facts go from its temporary table to ``kept_fact`` in one statement.
    Nothing to do when the report did not judge every task, is of a day to
    come, or when another report moved the mark since this one read it and
    this one did not read every task.
    """
    from sixbao_cli.clock import china_today
    from sixbao_cli.services.judging import changed_ids, facts_to_keep  # judging reads KeptFacts: not above

    if kept is None or not kept.judged:
        return
    if kept.mark is not None and kept.mark.version == version_key() and kept.day < kept.mark.day:
        return  # the kept facts are of a later day: worth more to the next weekly report
    if kept.day > china_today():
        return  # a day to come (a preview, a mistyped year) would leave every report before it none to read
    f, m = T.kept_fact, T.kept_fact_mark
    facts = facts_to_keep(kept.replace)
    # Locked until this write ends (PostgreSQL; SQLite's writers take turns anyway): two reports
    # keeping at once would each find the mark as it was and the second overwrite the first's.
    now = w.execute(select(m).where(m.c.id == 1).with_for_update()).first()
    if not kept.replace and tuple(now or ()) != tuple(kept.mark or ()):
        return  # kept meanwhile by another report: these rows complete the facts it found, not those
    if now is not None and now.version == version_key() and kept.day < now.day:
        return  # kept meanwhile for a later day
    if kept.replace:
        w.execute(delete(f))
    else:
        # Every task something happened to loses its kept facts, also one not judged now (a group of
        # sub-tasks, until it is one no longer): nothing says when its kept facts stopped holding.
        w.execute(delete(f).where(f.c.task_id.in_(select(changed_ids.c.id))))
        w.execute(delete(f).where(f.c.task_id.in_(select(facts.subquery().c.id))))
    w.execute(insert(f).from_select(["task_id", *COLUMNS], facts))
    unchanged = now is not None and tuple(now) == tuple(kept.mark or ())
    mark = {"day": kept.day, "version": version_key(), "read_at": kept.read_at, **kept.reach,
            **_keep_xuns(w, kept, unchanged)}
    if now is None:
        w.execute(insert(m).values(id=1, **mark))
    else:
        w.execute(update(m).where(m.c.id == 1).values(**mark))


def _keep_xuns(w: Connection, kept: KeptFacts, unchanged: bool) -> dict[str, int | None]:
    """Keep the ranking's reports per unit and 旬 (left in its temporary table); the mark's columns for them.

    Only the 旬 counted afresh are written when the rest were kept under the
    mark found unchanged; else all of them. A report that ranked no units
    leaves none kept: the rows no longer go with the mark.
    """
    from sixbao_cli.services.ranking import unit_xun  # ranking reads KeptFacts: not above

    if kept.xuns is None:
        return {"xun_from": None, "xun_to": None}
    x, lo, hi = T.kept_unit_xun, *kept.xuns
    rows = select(unit_xun.c.unit_id, unit_xun.c.role, unit_xun.c.xun, unit_xun.c.n)
    if unchanged and len(kept.xuns_counted) < hi - lo + 1:
        counted = sorted(kept.xuns_counted)
        w.execute(delete(x).where(or_(x.c.xun < lo, x.c.xun > hi, x.c.xun.in_(counted))))
        rows = rows.where(unit_xun.c.xun.in_(counted))
    else:
        w.execute(delete(x))
    w.execute(insert(x).from_select(["unit_id", "role", "xun", "n"], rows))
    return {"xun_from": lo, "xun_to": hi}
