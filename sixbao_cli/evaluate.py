"""Evaluation as of a date: 序时进度, flags, the light, the ladder and the unit ranking.

Pure functions on plain data: the services gather, for each task, what the
ledger knew on the as-of date into a :class:`TaskFacts`, and everything here
answers from that alone, so a report rebuilt for a past week says the same
thing every time. The thresholds come from :class:`~sixbao_cli.rules.Rules`.

The plan sentences the rules implement:

- 吉林省 (吉发〔2020〕17号), 建立调度机制: "各牵头单位每旬调度汇总进展情况 …
  对难以完成和进度缓慢的任务，牵头单位要及时报告。"
- 高台县 工作方案: "对于工作成效明显的地区和企业给予通报表扬；对于工作推进不力的
  通报批评，限期整改，整改不到位的约谈督促" and "进行季度考核、通报，对靠后的部门
  纳入高质量发展约谈范围"。
- 青山湖区 实施办法: "导致落实缓慢、效果不好的，依法依规进行严肃问责"。
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from sixbao_cli.completion import completion
from sixbao_cli.quantities import MilestoneSpec
from sixbao_cli.rules import LadderStep, Rules
from sixbao_cli.xun import Xun

OVERDUE, DUE_SOON, SLOW, STALE, NOT_STARTED = "overdue", "due_soon", "slow", "stale", "not_started"
FLAGS = (OVERDUE, DUE_SOON, SLOW, STALE, NOT_STARTED)  # display order
RED, YELLOW, GREEN, NONE = "red", "yellow", "green", "none"
WARN, CHASE = "预警", "催报"
INTERVIEW, PRAISE = "约谈", "通报表扬"
DONE_STATUSES = ("completed", "closed")


# slots, not frozen: a report makes one per task and checkpoint, and a frozen
# dataclass's __init__ costs several times more. Treat them as read-only.
@dataclass(slots=True)
class TaskFacts:
    """What the ledger knew about one task on the as-of date.

    ``percent``/``value`` are the latest effective report's figures and
    ``last_lead_report`` the lead unit's latest report date, all as of that
    date. ``done_on`` is the day the task was completed or closed when known:
    a done ``status`` whose ``done_on`` is after the date being judged counts
    as not yet done then, so one ``TaskFacts`` serves every earlier 旬 checkpoint.
    """

    code: str
    status: str
    start: date
    deadline: date | None
    milestones: tuple[MilestoneSpec, ...] = ()
    target_value: float | None = None
    target_comparator: str | None = None
    percent: float | None = None
    value: float | None = None
    last_lead_report: date | None = None
    done_on: date | None = None


@dataclass(slots=True)
class Evaluation:
    """One task judged on one day: progress, flags, light and the notice a yellow light carries."""

    expected: float | None
    actual: float | None
    behind: float | None
    flags: frozenset[str]
    light: str
    notice: str | None


def is_done(facts: TaskFacts, day: date) -> bool:
    """Completed or closed (销号) on ``day``."""
    return facts.status in DONE_STATUSES and (facts.done_on is None or facts.done_on <= day)


def _judged(facts: TaskFacts, day: date) -> bool:
    # "Done and 销号 tasks are not flagged", and a suspended (暂缓) task is not being chased.
    return not is_done(facts, day) and facts.status != "suspended"


def _milestone_points(facts: TaskFacts) -> list[tuple[date, float]]:
    """The milestones strictly between start and deadline as (due, percent), never decreasing."""
    best: dict[date, float] = {}
    for m in facts.milestones:
        if m.percent is not None:
            pct = m.percent
        elif m.value is not None:
            # the same measure as the actual percent, so the two compare (≤ targets included)
            pct = completion(None, m.value, facts.target_value, facts.target_comparator)
        else:
            pct = None
        if pct is None or not facts.start < m.due < facts.deadline:
            continue
        best[m.due] = max(best.get(m.due, 0.0), min(100.0, max(0.0, pct)))
    points, floor = [], 0.0
    for due in sorted(best):
        floor = max(floor, best[due])  # 序时进度 never goes backwards
        points.append((due, floor))
    return points


def expected_percent(facts: TaskFacts, day: date) -> float | None:
    """序时进度 on ``day``: piecewise linear from (start, 0) through the milestones to (deadline, 100).

    The plans pace their tasks by milestones ("5月底前城镇新增就业完成年度目标任务50%以上;
    11月底前完成全年目标任务"); between them, and without them, progress is due evenly.
    Milestones give a percent, or a value converted with the target by
    :func:`completion` (skipped when the task has no target). 0 up to the start,
    100 from the deadline on; None when there is no deadline to pace against.
    """
    if facts.deadline is None:
        return None
    if day >= facts.deadline:
        return 100.0
    if day <= facts.start:
        return 0.0
    points = [(facts.start, 0.0), *_milestone_points(facts), (facts.deadline, 100.0)]
    for (d0, p0), (d1, p1) in pairwise(points):
        if day <= d1:
            return p0 + (p1 - p0) * (day - d0).days / (d1 - d0).days
    return 100.0  # not reached: the last point is the deadline


def actual_percent(facts: TaskFacts) -> float | None:
    """Percent complete by the latest report: its percent, else its value against the target (≥ or ≤)."""
    return completion(facts.percent, facts.value, facts.target_value, facts.target_comparator)


def behind(facts: TaskFacts, day: date) -> float | None:
    """Points behind 序时进度; a task with no report yet counts as 0 % done.

    None without a deadline, or when the latest report is a value with no target
    to measure it by. Rounded to 1e-6 so that 10 points do not come out as
    9.999999999 in binary floating point and miss the threshold.
    """
    return _behind(expected_percent(facts, day), actual_percent(facts), facts)


def _behind(expected: float | None, actual: float | None, facts: TaskFacts) -> float | None:
    if actual is None and facts.value is None and facts.percent is None:
        actual = 0.0
    if expected is None or actual is None:
        return None
    return round(expected - actual, 6)


def is_stale(facts: TaskFacts, day: date, rules: Rules) -> bool:
    """未按时报送: a whole 旬 has closed without a report from the lead unit, or the interval has passed.

    "各牵头单位每旬调度汇总进展情况": a lead unit owes one report per 旬, and may
    file it up to the 旬's last day (the 10th, the 20th, the month end — the
    checkpoints). So on any day it is in order if it reported in the current 旬
    or in the previous one, whose report may have come on its last day; a report
    made on the 10th is not stale on the 11th. It is stale once its latest report
    is older than the start of the previous 旬, or older than
    ``rules.report_interval_days`` (more than that many days ago). Both are
    obligations, so either one missed is 未按时报送: the interval lets an office
    chase more often than the calendar (the plans' "周调度" would be 7), and the
    calendar still binds where a 旬 is shorter than the interval (February's
    下旬: a report on 20 Feb is stale on 1 March). An interval of 20 days or more
    leaves the calendar rule alone. A task that has not started owes nothing, and
    the clock of one never reported on starts at its start date.
    """
    if day < facts.start:
        return False
    last = max(facts.last_lead_report or facts.start, facts.start)
    return last < Xun.of(day).previous().start or (day - last).days > rules.report_interval_days


def evaluate(facts: TaskFacts, day: date, rules: Rules) -> Evaluation:
    """Judge one task on ``day``: 序时进度, actual, points behind, flags, light and notice.

    - 逾期 ``overdue``: the deadline has passed (not on the deadline day itself: "按期完成").
    - 临期 ``due_soon``: the deadline is today or within ``rules.due_soon_days``.
    - 进度缓慢 ``slow``: behind 序时进度 by ``rules.yellow_behind`` points or more
      ("对难以完成和进度缓慢的任务，牵头单位要及时报告").
    - 未按时报送 ``stale``: see :func:`is_stale` ("每旬调度汇总进展情况").
    - 未启动 ``not_started``: the start date has passed and the task is still 未启动
      (information only; it does not colour the light).

    红 when overdue or behind by ``rules.red_behind`` or more; 黄 when slow, due
    soon or stale; else 绿. Done, 销号 and 暂缓 tasks get no flags and light "none".
    """
    expected = expected_percent(facts, day)
    actual = actual_percent(facts)
    late = _behind(expected, actual, facts)
    if not _judged(facts, day):
        return Evaluation(expected, actual, late, frozenset(), NONE, None)
    found = set()
    if facts.deadline is not None:
        days_left = (facts.deadline - day).days
        if days_left < 0:
            found.add(OVERDUE)
        elif days_left <= rules.due_soon_days:
            found.add(DUE_SOON)
    if late is not None and late >= rules.yellow_behind:
        found.add(SLOW)
    if is_stale(facts, day, rules):
        found.add(STALE)
    if facts.status == "not_started" and day > facts.start:
        found.add(NOT_STARTED)
    if OVERDUE in found or (late is not None and late >= rules.red_behind):
        colour = RED
    elif found & {SLOW, DUE_SOON, STALE}:
        colour = YELLOW
    else:
        colour = GREEN
    flagged = frozenset(found)
    return Evaluation(expected, actual, late, flagged, colour, notice(flagged) if colour == YELLOW else None)


def is_red(facts: TaskFacts, day: date, rules: Rules) -> bool:
    """Is the task red on ``day``? The same answer as ``evaluate(...).light == RED``, without the rest.

    The ladder asks this at every 旬 checkpoint of every red task, so it skips
    the flags that cannot make a light red.
    """
    if not _judged(facts, day):
        return False
    if facts.deadline is not None and day > facts.deadline:
        return True
    late = _behind(expected_percent(facts, day), actual_percent(facts), facts)
    return late is not None and late >= rules.red_behind


def flags(facts: TaskFacts, day: date, rules: Rules) -> frozenset[str]:
    """The task's flags on ``day`` (codes in :data:`FLAGS`); empty for done and suspended tasks."""
    return evaluate(facts, day, rules).flags


def light(facts: TaskFacts, day: date, rules: Rules) -> str:
    """红 / 黄 / 绿 on ``day`` as "red", "yellow", "green"; "none" for done and suspended tasks."""
    return evaluate(facts, day, rules).light


def notice(found: frozenset[str]) -> str | None:
    """What a yellow task carries: 催报 when unreported, else 预警 when slow or due soon.

    催报 comes first: until the unit reports, any slowness is judged on old figures.
    """
    if STALE in found:
        return CHASE
    if found & {SLOW, DUE_SOON}:
        return WARN
    return None


def ladder(lights_at_checkpoints: list[str], rules: Rules) -> tuple[int, LadderStep | None]:
    """The red streak ending at the last 旬 checkpoint, and the rung of the ladder it has reached.

    "对于工作推进不力的通报批评，限期整改，整改不到位的约谈督促" and, at the end,
    "严肃问责": each consecutive red checkpoint climbs one count (defaults 1 通报批评,
    2 限期整改, 3 约谈, 6 问责). Lights are oldest first; any light but red — green,
    yellow or none — starts the count again from zero.
    """
    streak = 0
    for colour in lights_at_checkpoints:
        streak = streak + 1 if colour == RED else 0
    return streak, rules.step_for(streak)


@dataclass(frozen=True)
class UnitStats:
    """One lead unit over a period: tasks it leads, how they stand, and the 旬 in which it reported."""

    unit: str
    tasks_led: int
    done_on_time: int
    overdue: int
    red: int
    xun_reported: int
    xun_total: int


@dataclass(frozen=True)
class UnitRank:
    """A unit's place: 按时报送率 (None when no 旬 fell due), rank (None: unranked), and its mark."""

    stats: UnitStats
    rate: float | None
    rank: int | None
    mark: str | None  # 约谈 | 通报表扬


def _share(part: int, whole: int) -> float:
    # int / int is correctly rounded, so equal shares (1/3, 2/6) give the same float
    # and, for counts this small, different shares never collide: exact, and far
    # cheaper than Fraction when a province ranks tens of thousands of units.
    return part / whole if whole else 0.0


def _standing(s: UnitStats) -> tuple[float, float, float, float]:
    return (_share(s.red, s.tasks_led), _share(s.overdue, s.tasks_led),
            -_share(s.xun_reported, s.xun_total), -_share(s.done_on_time, s.tasks_led))


def rank_units(rows: list[UnitStats], rules: Rules) -> list[UnitRank]:
    """季度考核、通报: lead units best first, the bottom marked 约谈 and the top 通报表扬.

    "进行季度考核、通报，对靠后的部门纳入高质量发展约谈范围" and "对于工作成效明显的
    …给予通报表扬". Order: share of led tasks red (ascending), share overdue
    (ascending), 按时报送率 = reported 旬 / 旬 due (descending), share done on time
    (descending), then the unit name. Shares, not counts, so a bureau is not
    called in for leading many tasks; shares as correctly rounded floats, so
    equal shares tie, and units tied on all four share a rank (1, 2, 2, 4).

    Marks go by standing, never by name: 通报表扬 to every unit with fewer than
    ``rules.rank_top`` units ahead of it, 约谈 to every unit with fewer than
    ``rules.rank_bottom`` behind it — so a tie at the cut-off marks all the
    tied units. And each mark has to be earned: praise only for a unit with no
    red or overdue task that reported in every 旬 due, 约谈 only for one that
    has a red or overdue task or missed a 旬. So a ledger where everyone is
    perfect calls no one in, and no unit is both. A unit with no 旬 due in the
    period has nothing to rank it by: it is listed last, unranked and unmarked.
    """
    standing = {id(s): _standing(s) for s in rows}
    ranked = sorted((s for s in rows if s.xun_total > 0), key=lambda s: (standing[id(s)], s.unit))
    unranked = sorted((s for s in rows if s.xun_total <= 0), key=lambda s: s.unit)
    behind_count: dict[tuple, int] = {}  # standing -> units strictly behind it
    for i in range(len(ranked) - 1, -1, -1):
        key = standing[id(ranked[i])]
        if key not in behind_count:
            behind_count[key] = len(ranked) - 1 - i
    result: list[UnitRank] = []
    rank = 0
    for i, s in enumerate(ranked):
        if i == 0 or standing[id(s)] != standing[id(ranked[i - 1])]:
            rank = i + 1
        clean = s.red == 0 and s.overdue == 0 and s.xun_reported >= s.xun_total
        if clean and rank - 1 < rules.rank_top:
            mark = PRAISE
        elif not clean and behind_count[standing[id(s)]] < rules.rank_bottom:
            mark = INTERVIEW
        else:
            mark = None
        result.append(UnitRank(s, s.xun_reported / s.xun_total, rank, mark))
    result.extend(UnitRank(s, None, None, None) for s in unranked)
    return result
