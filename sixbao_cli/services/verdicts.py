"""Whether each task was red at the 旬 checkpoints that have passed, kept between reports.

The ladder (:func:`sixbao_cli.services.reports.ladder`) counts, for every task
red today, the checkpoints in a row at which it was red, each judged with what
the ledger knew at it. A checkpoint that has passed was judged from rows
stamped before its end, and the ledger only adds rows stamped with the moment
they are written: once judged, a task's verdict at a past checkpoint holds for
every later report by the same rules. So the verdicts a report judges are kept
(table ``xun_verdict``), and the next report judges only the checkpoints it
has no verdict for — a weekly report, the newest one or two.

A kept verdict is not trusted when:

- **a row stamped in the past arrived since** (the demo, a test's clock, a
  write still open when its checkpoint ended). The mark (``verdict_mark``)
  holds how far the stamped tables reached when verdicts were last kept; a
  report reads the stamps of the rows above it — the writes since, a few a
  week — and trusts no verdict from the earliest such stamp's day on. An undo
  stamps its batch in place, under the mark, so the count and id sum of the
  undone batches are in the mark too, and a change in them distrusts every
  verdict from the earliest undo on (undos are rare; erring early costs time,
  never a wrong step);
- **the rules differ**: verdicts are kept under a key naming the thresholds a
  light depends on, this program's version and :data:`VERSION`;
- **its checkpoint ended less than** :data:`SETTLE` **ago**: PostgreSQL numbers
  rows as transactions write them, but they appear as they commit, so a row
  under the mark can appear late — from a transaction open since before that
  checkpoint ended, which SETTLE makes an hour-long one.

Keeping (:func:`keep`, through services.keeping) is a write after the report's
output, skipped when the ledger is read-only or busy: a report never fails or
waits long for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, exists, func, insert, literal, select, update
from sqlalchemy.engine import Connection

from sixbao_cli import __version__
from sixbao_cli import tables as T
from sixbao_cli.rules import Rules
from sixbao_cli.services.asof import local_date
from sixbao_cli.sqltypes import utcnow

# Raise when what makes a task red at a checkpoint changes: verdicts kept under another VERSION are not read.
VERSION = 1
SETTLE = timedelta(hours=1)

# (mark column, table, id column, stamp column): the rows a verdict is judged from, each stamped when written
STAMPED = (
    ("progress_id", T.progress, T.progress.c.id, T.progress.c.recorded_at),
    ("task_id", T.task, T.task.c.id, T.task.c.created_at),
    ("change_id", T.task_change, T.task_change.c.id, T.task_change.c.changed_at),
    ("unit_history_id", T.task_unit_history, T.task_unit_history.c.id, T.task_unit_history.c.replaced_at),
    ("leader_history_id", T.task_leader_history, T.task_leader_history.c.id, T.task_leader_history.c.replaced_at),
)


def rules_key(rules: Rules) -> str:
    """The key verdicts judged by ``rules`` are kept under: what a light depends on, and the program's version."""
    return (f"v{VERSION}/{__version__}/{rules.yellow_behind!r}/{rules.red_behind!r}/"
            f"{rules.due_soon_days}/{rules.report_interval_days}")


@dataclass
class Verdicts:
    """The kept verdicts one report may read, and those it judged that are worth keeping."""

    key: str
    trusted_before: date | None  # kept verdicts at checkpoints from this day on are stale; None: all hold
    settled_by: date  # the last checkpoint whose verdicts may be kept
    reach: dict[str, int]  # the mark as of the report's snapshot
    noted: bool = False  # the ladder noted verdicts to keep (judging.new_verdicts, in the report's connection)

    def usable(self, point: date) -> bool:
        """Whether kept verdicts at checkpoint ``point`` hold."""
        return self.trusted_before is None or point < self.trusted_before

    def keepable(self, point: date) -> bool:
        """Whether a verdict judged at ``point`` may be kept."""
        return point <= self.settled_by


def reach(conn: Connection) -> dict[str, int]:
    """How far the stamped tables reach in this snapshot: their highest ids, and the undone batches' count and id sum."""
    b = T.import_batch
    undone = conn.execute(select(func.count(), func.coalesce(func.sum(b.c.id), 0))
                          .where(b.c.undone_at.is_not(None))).one()
    found = {name: conn.execute(select(func.coalesce(func.max(ident), 0))).scalar_one()
             for name, _, ident, _ in STAMPED}
    found["undone_batches"], found["undone_id_sum"] = int(undone[0]), int(undone[1])
    return found


def load(conn: Connection, rules: Rules, reached: dict[str, int] | None = None) -> Verdicts:
    """What a report judging by ``rules`` may read of the kept verdicts, in the report's own snapshot.

    ``reached`` is :func:`reach` of the same snapshot, when already read.
    """
    b, m = T.import_batch, T.verdict_mark
    reach_now = reached if reached is not None else reach(conn)
    mark = conn.execute(select(m).where(m.c.id == 1)).first()
    if mark is None:
        trusted_before = date.min  # whatever verdicts there are were kept under no mark
    else:
        stamps = [conn.execute(select(func.min(stamp)).where(ident > getattr(mark, name))).scalar()
                  for name, _, ident, stamp in STAMPED if reach_now[name] > getattr(mark, name)]
        if (mark.undone_batches, mark.undone_id_sum) != (reach_now["undone_batches"], reach_now["undone_id_sum"]):
            stamps.append(conn.execute(select(func.min(b.c.undone_at))).scalar())
        stamps = [s for s in stamps if s is not None]
        trusted_before = local_date(min(stamps)) if stamps else None
    # the last day whose end (00:00 China time the day after) is SETTLE or more ago
    settled_by = local_date(utcnow() - SETTLE) - timedelta(days=1)
    return Verdicts(rules_key(rules), trusted_before, settled_by, reach_now)


def keep(w: Connection, verdicts: Verdicts | None) -> None:
    """Keep the verdicts a report judged, and drop those no longer trusted, in write transaction ``w``.

    ``w`` is on the connection the report judged on (services.keeping): the
    verdicts its ladder noted go from its temporary table to ``xun_verdict``
    in one statement. Nothing to do when none were noted.
    """
    from sixbao_cli.services.judging import new_verdicts  # judging reads Verdicts: imported here, not above

    if verdicts is None or not verdicts.noted:
        return
    v, m, nv = T.xun_verdict, T.verdict_mark, new_verdicts
    kept_already = select(v.c.task_id).where(v.c.checkpoint == nv.c.checkpoint, v.c.rules_key == verdicts.key,
                                             v.c.task_id == nv.c.task_id)
    # Reports keeping at once take turns (PostgreSQL; SQLite's writers do anyway), so that one
    # dropping stale verdicts sees what the other kept.
    w.execute(select(m.c.id).where(m.c.id == 1).with_for_update())
    if verdicts.trusted_before is not None:
        w.execute(delete(v).where(v.c.checkpoint >= verdicts.trusted_before))
    w.execute(insert(v).from_select(
        ["checkpoint", "rules_key", "task_id", "red"],
        select(nv.c.checkpoint, literal(verdicts.key), nv.c.task_id, nv.c.red).where(~exists(kept_already))))
    # The report's own snapshot, not the ledger now: rows written since it are above the mark.
    if w.execute(update(m).where(m.c.id == 1).values(**verdicts.reach)).rowcount == 0:
        w.execute(insert(m).values(id=1, **verdicts.reach))
