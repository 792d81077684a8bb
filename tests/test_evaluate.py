"""Evaluation as of a date, as the plans prescribe it: the rule tables of evaluate.py.

Most tasks here run 100 days, from 1 March to 9 June 2020, so that on day n
of the task 序时进度 is exactly n %, and the distance behind it can be set to
the hundredth of a point by the reported percent.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sixbao_cli.evaluate import (
    CHASE,
    DUE_SOON,
    INTERVIEW,
    NOT_STARTED,
    OVERDUE,
    PRAISE,
    RED,
    SLOW,
    STALE,
    WARN,
    TaskFacts,
    UnitStats,
    actual_percent,
    behind,
    evaluate,
    expected_percent,
    flags,
    is_done,
    is_red,
    is_stale,
    ladder,
    light,
    notice,
    rank_units,
)
from sixbao_cli.quantities import MilestoneSpec
from sixbao_cli.rules import DEFAULT_RULES, LadderStep, Rules

START = date(2020, 3, 1)
DEADLINE = START + timedelta(days=100)  # 2020-06-09


def day(n: int) -> date:
    """Day n of the 100-day task: 序时进度 n %."""
    return START + timedelta(days=n)


def facts(**changes: object) -> TaskFacts:
    base = TaskFacts(code="JY-001", status="in_progress", start=START, deadline=DEADLINE)
    return replace(base, **changes)


def judge(on: date, rules: Rules = DEFAULT_RULES, **changes: object):
    """Evaluate a task whose lead unit reported on the day itself (so never stale) unless told otherwise."""
    changes.setdefault("last_lead_report", on)
    return evaluate(facts(**changes), on, rules)


# --- 序时进度 ------------------------------------------------------------------------------------------------------

MILESTONE_50 = (MilestoneSpec(day(10), 50.0, None),)  # half done by 11 March, then 90 days for the rest


@pytest.mark.parametrize(("case", "milestones", "target", "on", "expected"), [
    # linear from start to deadline
    ("before the start", (), None, START - timedelta(days=5), 0.0),
    ("on the start", (), None, START, 0.0),
    ("a quarter of the way", (), None, day(25), 25.0),
    ("the day before the deadline", (), None, day(99), 99.0),
    ("on the deadline", (), None, DEADLINE, 100.0),
    ("after the deadline", (), None, DEADLINE + timedelta(days=30), 100.0),
    # piecewise through a milestone
    ("before the milestone", MILESTONE_50, None, day(5), 25.0),
    ("on the milestone", MILESTONE_50, None, day(10), 50.0),
    ("between milestone and deadline", MILESTONE_50, None, day(55), 75.0),
    ("after the milestone's deadline", MILESTONE_50, None, DEADLINE + timedelta(days=1), 100.0),
    ("two milestones, between them", (MilestoneSpec(day(20), 40.0, None), MilestoneSpec(day(60), 60.0, None)), None, day(40), 50.0),
    ("milestones in any order", (MilestoneSpec(day(60), 60.0, None), MilestoneSpec(day(20), 40.0, None)), None, day(80), 80.0),
    ("a milestone lower than an earlier one never pulls back", (MilestoneSpec(day(10), 60.0, None), MilestoneSpec(day(20), 40.0, None)), None, day(20), 60.0),
    ("two milestones on one day: the higher", (MilestoneSpec(day(10), 30.0, None), MilestoneSpec(day(10), 50.0, None)), None, day(10), 50.0),
    ("a milestone on the start is ignored", (MilestoneSpec(START, 50.0, None),), None, day(50), 50.0),
    ("a milestone on the deadline is ignored", (MilestoneSpec(DEADLINE, 50.0, None),), None, day(50), 50.0),
    ("a milestone after the deadline is ignored", (MilestoneSpec(DEADLINE + timedelta(days=5), 10.0, None),), None, day(50), 50.0),
    # value milestones: converted with the target, or skipped
    ("value milestone against a ≥ target", (MilestoneSpec(day(10), None, 1300.0),), (2600.0, ">="), day(10), 50.0),
    ("value milestone without a target is skipped", (MilestoneSpec(day(10), None, 1300.0),), None, day(10), 10.0),
    ("value milestone within a ≤ ceiling: fully met by then", (MilestoneSpec(day(10), None, 5.5),), (5.5, "<="), day(20), 100.0),
    ("value milestone above a ≤ ceiling: on the same scale as the actual", (MilestoneSpec(day(10), None, 11.0),), (5.5, "<="), day(10), 50.0),
    ("value milestone beyond a ≥ target is capped at 100", (MilestoneSpec(day(10), None, 5200.0),), (2600.0, ">="), day(10), 100.0),
])
def test_expected_percent(case, milestones, target, on, expected):
    value, comparator = target or (None, None)
    task = facts(milestones=milestones, target_value=value, target_comparator=comparator)
    assert expected_percent(task, on) == pytest.approx(expected), case


def test_no_deadline_has_no_expected_progress():
    assert expected_percent(facts(deadline=None), day(50)) is None
    assert behind(facts(deadline=None, percent=0.0), day(50)) is None


# --- actual progress (reuses completion()) -------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "percent", "value", "target", "expected"), [
    ("reported percent", 40.0, None, None, 40.0),
    ("percent wins over value", 40.0, 2600.0, (2600.0, ">="), 40.0),
    ("value against a ≥ target", None, 1300.0, (2600.0, ">="), 50.0),
    ("value beyond a ≥ target", None, 3000.0, (2600.0, ">="), 100.0),
    ("value against an = target", None, 650.0, (2600.0, "="), 25.0),
    ("value within a ≤ ceiling", None, 4.0, (5.5, "<="), 100.0),
    ("value on a ≤ ceiling", None, 5.5, (5.5, "<="), 100.0),
    ("value over a ≤ ceiling", None, 11.0, (5.5, "<="), 50.0),
    ("value without a target", None, 1300.0, None, None),
    ("= 0 target (清零) reached", None, 0.0, (0.0, "="), 100.0),
    ("= 0 target not yet reached", None, 3.0, (0.0, "="), 0.0),
    ("≤ 0 target reached", None, 0.0, (0.0, "<="), 100.0),
    ("≤ 0 target overshot", None, 2.0, (0.0, "<="), 0.0),
    ("≥ 0 target", None, 0.0, (0.0, ">="), 100.0),
    ("no report", None, None, (2600.0, ">="), None),
])
def test_actual_percent(case, percent, value, target, expected):
    target_value, comparator = target or (None, None)
    task = facts(percent=percent, value=value, target_value=target_value, target_comparator=comparator)
    assert actual_percent(task) == (pytest.approx(expected) if expected is not None else None), case


# --- flags and lights ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "on", "changes", "expected_flags", "expected_light"), [
    # 进度缓慢 and the light boundaries: on day 40 the task should be at 40 %
    ("on pace", day(40), {"percent": 40.0}, set(), "green"),
    ("ahead of pace", day(40), {"percent": 70.0}, set(), "green"),
    ("9.99 points behind", day(40), {"percent": 30.01}, set(), "green"),
    ("exactly 10 points behind", day(40), {"percent": 30.0}, {SLOW}, "yellow"),
    ("29.99 points behind", day(40), {"percent": 10.01}, {SLOW}, "yellow"),
    ("exactly 30 points behind", day(40), {"percent": 10.0}, {SLOW}, "red"),
    ("40 points behind", day(40), {"percent": 0.0}, {SLOW}, "red"),
    # no report yet counts 0 % once started
    ("no report, 9 days in", day(9), {}, set(), "green"),
    ("no report, 10 days in", day(10), {}, {SLOW}, "yellow"),
    ("no report, 30 days in", day(30), {}, {SLOW}, "red"),
    ("no report, before the start", START - timedelta(days=3), {"last_lead_report": None}, set(), "green"),
    ("a value with no target cannot be slow", day(60), {"value": 5.0}, set(), "green"),
    # value-only progress against a ≥ target: 1300 of 2600 is 50 %
    ("value on pace", day(50), {"value": 1300.0, "target_value": 2600.0, "target_comparator": ">="}, set(), "green"),
    ("value 10 behind", day(60), {"value": 1300.0, "target_value": 2600.0, "target_comparator": ">="}, {SLOW}, "yellow"),
    ("value 9 behind", day(59), {"value": 1300.0, "target_value": 2600.0, "target_comparator": ">="}, set(), "green"),
    ("value 30 behind", day(80), {"value": 1300.0, "target_value": 2600.0, "target_comparator": ">="}, {SLOW}, "red"),
    # ≤ targets: within the ceiling is on pace whatever the date; over it falls behind
    ("within a ≤ ceiling", day(90), {"value": 4.0, "target_value": 5.5, "target_comparator": "<="}, set(), "green"),
    ("over a ≤ ceiling", day(90), {"value": 11.0, "target_value": 5.5, "target_comparator": "<="}, {SLOW}, "red"),
    ("slightly over a ≤ ceiling", day(40), {"value": 6.875, "target_value": 5.5, "target_comparator": "<="}, set(), "green"),
    # milestones drive 序时进度: 50 % due on day 10
    ("behind the milestone", day(10), {"milestones": MILESTONE_50, "percent": 40.0}, {SLOW}, "yellow"),
    ("30 behind the milestone", day(10), {"milestones": MILESTONE_50, "percent": 20.0}, {SLOW}, "red"),
    ("linear pace would be fine, the milestone is not", day(10), {"milestones": MILESTONE_50, "percent": 15.0}, {SLOW}, "red"),
    # 临期 window and 逾期 (percent kept on pace so only the deadline speaks)
    ("8 days to go", day(92), {"percent": 92.0}, set(), "green"),
    ("7 days to go", day(93), {"percent": 93.0}, {DUE_SOON}, "yellow"),
    ("1 day to go", day(99), {"percent": 99.0}, {DUE_SOON}, "yellow"),
    ("the deadline day is 临期, not 逾期", DEADLINE, {"percent": 100.0}, {DUE_SOON}, "yellow"),
    ("the day after the deadline", DEADLINE + timedelta(days=1), {"percent": 100.0}, {OVERDUE}, "red"),
    ("long overdue", DEADLINE + timedelta(days=60), {"percent": 100.0}, {OVERDUE}, "red"),
    ("no deadline: never overdue or slow", date(2021, 6, 1), {"deadline": None, "percent": 0.0}, set(), "green"),
    ("slow and due soon", day(95), {"percent": 80.0}, {SLOW, DUE_SOON}, "yellow"),
    ("overdue and slow", DEADLINE + timedelta(days=1), {"percent": 50.0}, {OVERDUE, SLOW}, "red"),
    # 未按时报送 alone makes 黄; with 逾期 it is 红
    ("stale alone", date(2020, 4, 15), {"percent": 45.0, "last_lead_report": date(2020, 3, 31)}, {STALE}, "yellow"),
    ("stale and overdue", date(2020, 6, 21), {"percent": 100.0, "last_lead_report": date(2020, 6, 1)}, {OVERDUE, STALE}, "red"),
    # 未启动 is information only
    ("not started on the start day", START, {"status": "not_started"}, set(), "green"),
    ("not started five days in", day(5), {"status": "not_started"}, {NOT_STARTED}, "green"),
    ("not started 30 days in", day(30), {"status": "not_started"}, {NOT_STARTED, SLOW}, "red"),
    # done, 销号 and 暂缓: no flags, no light
    ("completed, past the deadline", DEADLINE + timedelta(days=9), {"status": "completed", "percent": 60.0, "last_lead_report": None}, set(), "none"),
    ("closed (销号), past the deadline", DEADLINE + timedelta(days=9), {"status": "closed", "last_lead_report": None}, set(), "none"),
    ("suspended (暂缓)", DEADLINE + timedelta(days=9), {"status": "suspended", "last_lead_report": None}, set(), "none"),
    ("completed on the day", DEADLINE + timedelta(days=1), {"status": "completed", "done_on": DEADLINE + timedelta(days=1)}, set(), "none"),
    ("completed later: judged as open before then", DEADLINE + timedelta(days=1), {"status": "completed", "done_on": DEADLINE + timedelta(days=2), "percent": 100.0}, {OVERDUE}, "red"),
])
def test_flags_and_light(case, on, changes, expected_flags, expected_light):
    task = facts(**{"last_lead_report": on, **changes})
    assert flags(task, on, DEFAULT_RULES) == frozenset(expected_flags), case
    assert light(task, on, DEFAULT_RULES) == expected_light, case


@pytest.mark.parametrize(("case", "rules", "on", "percent", "expected"), [
    ("stricter yellow: 5 points", Rules(yellow_behind=5.0), day(40), 35.0, "yellow"),
    ("stricter yellow: 4.9 points", Rules(yellow_behind=5.0), day(40), 35.1, "green"),
    ("stricter red: 20 points", Rules(red_behind=20.0), day(40), 20.0, "red"),
    ("longer 临期 window: 14 days", Rules(due_soon_days=14), day(86), 86.0, "yellow"),
    ("shorter 临期 window: 3 days", Rules(due_soon_days=3), day(96), 96.0, "green"),
    ("shorter 临期 window: its edge", Rules(due_soon_days=3), day(97), 97.0, "yellow"),
])
def test_rules_move_the_thresholds(case, rules, on, percent, expected):
    assert judge(on, rules, percent=percent).light == expected, case


def test_evaluation_carries_the_figures():
    result = judge(day(40), percent=25.0)
    assert (result.expected, result.actual, result.behind) == (40.0, 25.0, 15.0)
    assert (result.flags, result.light, result.notice) == (frozenset({SLOW}), "yellow", WARN)


def test_done_task_keeps_its_figures_but_no_judgement():
    result = judge(DEADLINE + timedelta(days=1), status="closed", percent=70.0)
    assert (result.actual, result.flags, result.light, result.notice) == (70.0, frozenset(), "none", None)


@pytest.mark.parametrize(("status", "done_on", "on", "expected"), [
    ("completed", None, day(5), True),
    ("closed", None, day(5), True),
    ("completed", day(5), day(5), True),
    ("completed", day(6), day(5), False),
    ("in_progress", None, day(5), False),
    ("suspended", None, day(5), False),
])
def test_is_done(status, done_on, on, expected):
    assert is_done(facts(status=status, done_on=done_on), on) is expected


# --- 未按时报送 at 旬 boundaries ------------------------------------------------------------------------------------

EARLY = date(2019, 12, 1)  # a task long under way, so only its reports matter


@pytest.mark.parametrize(("case", "last_report", "on", "interval", "expected"), [
    # within a month
    ("reported the same day", date(2020, 1, 11), date(2020, 1, 11), 10, False),
    ("上旬's last day, judged on 中旬's first", date(2020, 1, 10), date(2020, 1, 11), 10, False),
    ("上旬's first day, judged on 中旬's first", date(2020, 1, 1), date(2020, 1, 11), 10, False),
    ("11 days: more than the interval", date(2020, 1, 1), date(2020, 1, 12), 10, True),
    ("10 days: the interval itself is still in time", date(2020, 1, 10), date(2020, 1, 20), 10, False),
    ("中旬 passed without a report", date(2020, 1, 10), date(2020, 1, 21), 10, True),
    # month ends: 下旬 runs 21 to the month's last day
    ("31 January, last report on the 21st", date(2020, 1, 21), date(2020, 1, 31), 10, False),
    ("31 January, last report on the 20th", date(2020, 1, 20), date(2020, 1, 31), 10, True),
    ("1 February, last report 21 January: interval", date(2020, 1, 21), date(2020, 2, 1), 10, True),
    ("1 February, last report 21 January: calendar alone", date(2020, 1, 21), date(2020, 2, 1), 20, False),
    ("10 February, last report 31 January", date(2020, 1, 31), date(2020, 2, 10), 10, False),
    ("30 April (30 days), last report on the 20th", date(2020, 4, 20), date(2020, 4, 30), 10, False),
    ("1 May, last report 20 April: 下旬 missed", date(2020, 4, 20), date(2020, 5, 1), 20, True),
    # February 2020 (leap year): 下旬 is 21–29
    ("29 Feb 2020, last report 20 Feb", date(2020, 2, 20), date(2020, 2, 29), 10, False),
    ("1 Mar 2020, last report 20 Feb: 下旬 missed (gap only 10)", date(2020, 2, 20), date(2020, 3, 1), 10, True),
    ("1 Mar 2020, last report 21 Feb", date(2020, 2, 21), date(2020, 3, 1), 10, False),
    ("2 Mar 2020, last report 21 Feb", date(2020, 2, 21), date(2020, 3, 2), 10, False),
    ("3 Mar 2020, last report 21 Feb", date(2020, 2, 21), date(2020, 3, 3), 10, True),
    ("1 Mar 2020, last report 29 Feb", date(2020, 2, 29), date(2020, 3, 1), 10, False),
    # February 2021: 下旬 is 21–28
    ("28 Feb 2021, last report 19 Feb", date(2021, 2, 19), date(2021, 2, 28), 10, False),
    ("1 Mar 2021, last report 20 Feb: 下旬 missed (gap only 9)", date(2021, 2, 20), date(2021, 3, 1), 10, True),
    ("1 Mar 2021, last report 21 Feb", date(2021, 2, 21), date(2021, 3, 1), 10, False),
    ("10 Mar 2021, last report 28 Feb", date(2021, 2, 28), date(2021, 3, 10), 10, False),
    ("11 Mar 2021, last report 28 Feb", date(2021, 2, 28), date(2021, 3, 11), 10, True),
    # year end
    ("1 Jan 2021, last report 21 Dec: interval", date(2020, 12, 21), date(2021, 1, 1), 10, True),
    ("1 Jan 2021, last report 21 Dec: calendar alone", date(2020, 12, 21), date(2021, 1, 1), 20, False),
    ("1 Jan 2021, last report 20 Dec: calendar", date(2020, 12, 20), date(2021, 1, 1), 20, True),
    # the office's own interval
    ("周调度: 7 days", date(2020, 1, 1), date(2020, 1, 8), 7, False),
    ("周调度: 8 days", date(2020, 1, 1), date(2020, 1, 9), 7, True),
    ("calendar alone allows 20 days", date(2020, 1, 11), date(2020, 1, 31), 20, False),
    ("calendar alone: a whole 旬 missed", date(2020, 1, 1), date(2020, 1, 21), 30, True),
])
def test_stale(case, last_report, on, interval, expected):
    task = facts(start=EARLY, deadline=date(2021, 12, 31), last_lead_report=last_report)
    assert is_stale(task, on, Rules(report_interval_days=interval)) is expected, case


@pytest.mark.parametrize(("case", "last_report", "on", "expected"), [
    ("not started yet", None, date(2020, 1, 4), False),
    ("never reported, 10 days in", None, date(2020, 1, 15), False),
    ("never reported, 11 days in", None, date(2020, 1, 16), True),
    ("reported before the start: the clock starts at the start", date(2019, 12, 20), date(2020, 1, 10), False),
    ("reported before the start, 11 days in", date(2019, 12, 20), date(2020, 1, 16), True),
])
def test_stale_from_the_start(case, last_report, on, expected):
    task = facts(start=date(2020, 1, 5), deadline=date(2020, 12, 31), last_lead_report=last_report)
    assert is_stale(task, on, DEFAULT_RULES) is expected, case


def test_done_and_suspended_tasks_are_never_chased_for_reports():
    for status in ("completed", "closed", "suspended"):
        assert judge(date(2020, 6, 1), status=status, last_lead_report=None).flags == frozenset()


# --- notices -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("found", "expected"), [
    (set(), None),
    ({STALE}, CHASE),
    ({STALE, SLOW}, CHASE),
    ({STALE, DUE_SOON}, CHASE),
    ({SLOW}, WARN),
    ({DUE_SOON}, WARN),
    ({SLOW, DUE_SOON}, WARN),
    ({OVERDUE}, None),
    ({NOT_STARTED}, None),
])
def test_notice(found, expected):
    assert notice(frozenset(found)) == expected


@pytest.mark.parametrize(("case", "on", "changes", "expected"), [
    ("yellow for 未按时报送 carries 催报", date(2020, 4, 15), {"percent": 45.0, "last_lead_report": date(2020, 3, 31)}, CHASE),
    ("yellow for slowness carries 预警", day(40), {"percent": 25.0}, WARN),
    ("yellow for 临期 carries 预警", day(95), {"percent": 95.0}, WARN),
    ("red carries the ladder, not a notice", day(40), {"percent": 0.0}, None),
    ("green carries nothing", day(40), {"percent": 40.0}, None),
])
def test_evaluation_notice(case, on, changes, expected):
    assert judge(on, **changes).notice == expected, case


# --- the ladder ----------------------------------------------------------------------------------------------------

R, Y, G, N = "red", "yellow", "green", "none"


@pytest.mark.parametrize(("case", "lights", "streak", "action"), [
    ("no checkpoints yet", [], 0, None),
    ("green", [G], 0, None),
    ("yellow is not red", [Y, Y, Y, Y, Y], 0, None),
    ("1 red: 通报批评", [R], 1, "通报批评"),
    ("2 red: 限期整改", [G, R, R], 2, "限期整改"),
    ("3 red: 约谈", [R, R, R], 3, "约谈"),
    ("5 red: still 约谈", [R] * 5, 5, "约谈"),
    ("6 red: 问责", [R] * 6, 6, "问责"),
    ("7 red: still 问责", [R] * 7, 7, "问责"),
    ("recovered to green: back to zero", [R] * 4 + [G], 0, None),
    ("red again after recovery: from one", [R] * 4 + [G, R], 1, "通报批评"),
    ("a yellow checkpoint breaks the streak", [R, Y, R, R], 2, "限期整改"),
    ("done or suspended breaks the streak", [R, R, N, R], 1, "通报批评"),
    ("only the streak at the end counts", [R] * 6 + [G] + [R] * 3, 3, "约谈"),
])
def test_ladder(case, lights, streak, action):
    count, step = ladder(lights, DEFAULT_RULES)
    assert count == streak, case
    assert (step.action if step else None) == action, case


def test_ladder_step_carries_the_fix_deadline():
    _, step = ladder([R, R], DEFAULT_RULES)
    assert step == LadderStep(2, "限期整改", fix_days=10)


def test_ladder_follows_the_rules_file():
    rules = Rules(ladder=(LadderStep(2, "通报"), LadderStep(4, "约谈")))
    assert ladder([R], rules) == (1, None)
    assert ladder([R] * 3, rules) == (3, LadderStep(2, "通报"))
    assert ladder([R] * 4, rules) == (4, LadderStep(4, "约谈"))


def test_ladder_from_checkpoint_lights():
    """Lights judged with what was known at each checkpoint feed the ladder: 30 points behind and never reporting."""
    checkpoints = [date(2020, 3, 31), date(2020, 4, 10), date(2020, 4, 20), date(2020, 4, 30)]
    task = facts(percent=0.0, last_lead_report=START)
    lights = [light(task, c, DEFAULT_RULES) for c in checkpoints]
    assert lights == ["red", "red", "red", "red"]
    assert ladder(lights, DEFAULT_RULES)[1].action == "约谈"


# --- unit ranking --------------------------------------------------------------------------------------------------

def unit(name: str, tasks: int = 10, on_time: int = 0, overdue: int = 0, red: int = 0, reported: int = 9, due: int = 9) -> UnitStats:
    return UnitStats(name, tasks, on_time, overdue, red, reported, due)


def order(rows: list[UnitStats], rules: Rules = DEFAULT_RULES) -> list[str]:
    return [r.stats.unit for r in rank_units(rows, rules)]


@pytest.mark.parametrize(("case", "rows", "expected"), [
    ("fewer red first", [unit("甲", red=3), unit("乙", red=1)], ["乙", "甲"]),
    ("red as a share of tasks led, not a count", [unit("人社局", tasks=40, red=3), unit("司法局", tasks=2, red=2)], ["人社局", "司法局"]),
    ("same red share: fewer overdue first", [unit("甲", red=1, overdue=2), unit("乙", red=1, overdue=1)], ["乙", "甲"]),
    ("then the higher 按时报送率", [unit("甲", reported=6), unit("乙", reported=8)], ["乙", "甲"]),
    ("then more done on time", [unit("甲", on_time=2), unit("乙", on_time=5)], ["乙", "甲"]),
    ("full tie: by name", [unit("乙"), unit("甲"), unit("丙")], sorted(["乙", "甲", "丙"])),
    ("equal shares from different counts tie", [unit("b", tasks=4, red=2), unit("a", tasks=2, red=1)], ["a", "b"]),
    ("a unit with no 旬 due is listed last", [unit("甲", due=0, reported=0), unit("乙", red=9)], ["乙", "甲"]),
])
def test_rank_order(case, rows, expected):
    assert order(rows) == expected, case


def test_rank_is_deterministic_whatever_the_input_order():
    rows = [unit(f"单位{i:02d}", red=i % 3, overdue=i % 2, reported=i % 5, on_time=i % 4) for i in range(20)]
    expected = order(rows)
    for seed in range(10):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert order(shuffled) == expected


def test_rank_shares_a_rank_on_ties_and_gives_the_rate():
    ranked = rank_units([unit("丙", red=1), unit("甲"), unit("乙"), unit("丁", reported=3, due=9)], DEFAULT_RULES)
    assert [(r.stats.unit, r.rank) for r in ranked] == [("乙", 1), ("甲", 1), ("丁", 3), ("丙", 4)]
    assert ranked[2].rate == pytest.approx(1 / 3)
    assert ranked[0].rate == 1.0


@pytest.mark.parametrize(("count", "praised", "interviewed"), [
    (0, 0, 0),
    (1, 1, 0),  # a lone unit with a clean record is praised
    (2, 1, 1),
    (3, 1, 2),
    (4, 1, 3),
    (10, 1, 3),
])
def test_rank_marks_never_overlap(count, praised, interviewed):
    rows = [unit(f"u{i:02d}", red=i) for i in range(count)]  # only u00 has no red task
    marks = [r.mark for r in rank_units(rows, DEFAULT_RULES)]
    assert marks == [PRAISE] * praised + [None] * (count - praised - interviewed) + [INTERVIEW] * interviewed


def test_rank_marks_follow_the_rules_and_skip_unranked_units():
    rows = [unit(f"u{i}", red=i) for i in range(5)] + [unit("新单位", due=0, reported=0)]
    ranked = rank_units(rows, Rules(rank_top=1, rank_bottom=2))
    assert [(r.stats.unit, r.mark) for r in ranked] == [
        ("u0", PRAISE), ("u1", None), ("u2", None), ("u3", INTERVIEW), ("u4", INTERVIEW), ("新单位", None),
    ]
    assert (ranked[-1].rank, ranked[-1].rate) == (None, None)


def test_rank_a_tie_at_the_cut_off_marks_every_unit_tied():
    rows = [unit("a"), unit("b"), unit("c", red=1), unit("d", red=5), unit("e", red=5)]
    ranked = rank_units(rows, Rules(rank_top=1, rank_bottom=1))
    assert [(r.stats.unit, r.rank, r.mark) for r in ranked] == [
        ("a", 1, PRAISE), ("b", 1, PRAISE), ("c", 3, None), ("d", 4, INTERVIEW), ("e", 4, INTERVIEW),
    ]


@pytest.mark.parametrize(("case", "rows", "marks"), [
    ("everyone clean: no one called in", [unit("a"), unit("b"), unit("c")], [PRAISE, PRAISE, PRAISE]),
    ("everyone with red: no one praised", [unit("a", red=1), unit("b", red=2)], [INTERVIEW, INTERVIEW]),
    ("a missed 旬 is no clean record", [unit("a", reported=8), unit("b", reported=7)], [INTERVIEW, INTERVIEW]),
    ("overdue is no clean record", [unit("a"), unit("b", overdue=1)], [PRAISE, INTERVIEW]),
])
def test_rank_marks_must_be_earned(case, rows, marks):
    assert [r.mark for r in rank_units(rows, DEFAULT_RULES)] == marks, case


# --- is_red: the ladder's shortcut must agree with the full evaluation ---------------------------

_DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2021, 3, 31))
_PCT = st.one_of(st.none(), st.floats(min_value=0, max_value=100))


@st.composite
def _facts(draw):
    start = draw(_DAYS)
    deadline = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=date(2021, 6, 30))))
    milestones = ()
    if deadline is not None and (deadline - start).days > 2:
        due = start + timedelta(days=draw(st.integers(1, (deadline - start).days - 1)))
        milestones = (MilestoneSpec(due, draw(st.floats(0, 100)), None),)
    target = draw(st.one_of(st.none(), st.floats(min_value=1, max_value=1e6)))
    return TaskFacts(
        code="T", status=draw(st.sampled_from(["not_started", "in_progress", "completed", "closed", "suspended"])),
        start=start, deadline=deadline, milestones=milestones, target_value=target,
        target_comparator=draw(st.sampled_from([">=", "<=", "="])) if target else None,
        percent=draw(_PCT), value=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=2e6))),
        last_lead_report=draw(st.one_of(st.none(), _DAYS)), done_on=draw(st.one_of(st.none(), _DAYS)),
    )


@settings(max_examples=2000, deadline=None)
@given(_facts(), _DAYS)
def test_is_red_agrees_with_the_full_evaluation(facts, day):
    assert is_red(facts, day, DEFAULT_RULES) == (evaluate(facts, day, DEFAULT_RULES).light == RED)
