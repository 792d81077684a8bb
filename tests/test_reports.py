"""sixbao report …: as-of evaluation end to end, the ladder, filters, formats, files and cron behaviour.

The ledgers here are written the way an office would have written them in
2020: tasks entered on a given day, reports recorded the next morning,
corrections days later. Rows go in through SQL with those times, since the
commands stamp the real clock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert, select, update

from sixbao_cli import tables as T
from sixbao_cli.settings import resolve_db_url

from conftest import snapshot

CST = 8  # hours ahead of UTC


def _at(day: str, hour: int = 9) -> datetime:
    """``day`` at ``hour`` o'clock China time, as UTC."""
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hour - CST)


class Ledger2020:
    """Writes tasks' creation times and progress with chosen record times into a ledger."""

    def __init__(self, url: str):
        self.engine = create_engine(resolve_db_url(url))

    def close(self) -> None:
        self.engine.dispose()

    def _task(self, conn, code: str) -> int:
        return conn.execute(select(T.task.c.id).where(T.task.c.code == code)).scalar_one()

    def created(self, day: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(T.task).values(created_at=_at(day)))

    def status(self, code: str, new: str, day: str) -> None:
        """A status change recorded on ``day`` (暂缓, 已完成 set by hand, reopening …)."""
        with self.engine.begin() as conn:
            tid = self._task(conn, code)
            old = conn.execute(select(T.task_change.c.new_value).where(
                T.task_change.c.task_id == tid, T.task_change.c.field == "status")
                .order_by(T.task_change.c.changed_at.desc()).limit(1)).scalar() or "not_started"
            conn.execute(insert(T.task_change).values(task_id=tid, field="status", old_value=old, new_value=new,
                                                      reason="测试", changed_at=_at(day, 10)))

    def created_on(self, code: str, day: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(T.task).where(T.task.c.code == code).values(created_at=_at(day)))

    def batch(self, day: str, undone: str | None = None) -> int:
        """An import batch made on ``day`` and, if given, undone on ``undone``."""
        with self.engine.begin() as conn:
            return conn.execute(insert(T.import_batch).values(
                kind="progress", file_name="人社局.csv", checksum=f"test-{day}", row_count=1, created_at=_at(day),
                undone_at=_at(undone) if undone else None)).inserted_primary_key[0]

    def report(self, code: str, unit: str, day: str, *, percent=None, value=None, recorded: str | None = None,
               problems: str | None = None, supersedes: int | None = None, batch: int | None = None) -> int:
        with self.engine.begin() as conn:
            uid = conn.execute(select(T.unit.c.id).where(T.unit.c.name == unit)).scalar_one()
            tid, when = self._task(conn, code), _at(recorded or day, 17)
            entry = conn.execute(insert(T.progress).values(
                task_id=tid, unit_id=uid, report_date=date.fromisoformat(day), percent=percent,
                value=value, problems=problems, source="import" if batch else "manual", supersedes_id=supersedes,
                batch_id=batch, recorded_at=when)).inserted_primary_key[0]
            # the status change the program records with each report (services.tasks.refresh_status)
            old = conn.execute(select(T.task_change.c.new_value).where(
                T.task_change.c.task_id == tid, T.task_change.c.field == "status")
                .order_by(T.task_change.c.changed_at.desc()).limit(1)).scalar() or "not_started"
            new = "completed" if (percent or 0) >= 100 else "in_progress"
            if new != old:
                conn.execute(insert(T.task_change).values(task_id=tid, field="status", old_value=old, new_value=new,
                                                          reason=f"进展记录 {entry}", changed_at=when))
            return entry


@pytest.fixture
def ledger2020(seeded):
    ledger = Ledger2020(seeded)
    ledger.created("2020-06-01")
    yield ledger
    ledger.close()


def _report(cli, *args: str) -> dict:
    return json.loads(cli.ok("report", *args, "--json").stdout)


def _item(data: dict, code: str) -> dict | None:
    return next((i for i in data["items"] if i["code"] == code), None)


# --- what the ledger knew ----------------------------------------------------------------


def test_as_of_sees_reports_and_corrections_only_once_recorded(cli, ledger2020):
    # JY-001: start 2020-06-18, milestone 50 % by 09-30, deadline 12-31, led by 市人力资源社会保障局.
    unit = "市人力资源社会保障局"
    ledger2020.report("JY-001", unit, "2020-07-10", percent=10, recorded="2020-07-11")
    first = ledger2020.report("JY-001", unit, "2020-09-10", percent=20, recorded="2020-09-11", problems="资金未到位")
    ledger2020.report("JY-001", unit, "2020-09-10", percent=45, recorded="2020-09-25", supersedes=first)

    before = _item(_report(cli, "weekly", "--as-of", "2020-09-10"), "JY-001")  # the 09-10 report is typed in on 09-11
    assert before["percent"] == 10 and before["last_report"] == "2020-07-10"

    mid = _item(_report(cli, "weekly", "--as-of", "2020-09-20"), "JY-001")
    assert mid["percent"] == 20 and mid["last_problem"] == "资金未到位"
    assert mid["expected_percent"] == pytest.approx(45.2, abs=0.05)  # 94 of 104 days towards 50 %
    assert mid["flags"] == ["slow"] and mid["light"] == "yellow" and mid["notice"] == "预警"

    after = _item(_report(cli, "weekly", "--as-of", "2020-09-25"), "JY-001")  # the correction is known from 09-25 on
    assert after["percent"] == 45 and after["behind"] == pytest.approx(2.6, abs=0.05)
    assert after["flags"] == ["stale"] and after["notice"] == "催报"  # no slowness; nothing reported in 9月中旬


def test_tasks_entered_later_are_not_in_an_earlier_report(cli, seeded):
    data = _report(cli, "weekly", "--as-of", "2020-09-21")  # the seed tasks were entered today
    assert data["totals"]["tasks"] == 0 and data["items"] == []


def test_a_past_report_rebuilds_identically_after_new_entries(cli, ledger2020):
    ledger2020.report("JY-001", "市人力资源社会保障局", "2020-08-10", percent=20, recorded="2020-08-11")
    before = cli.ok("report", "weekly", "--as-of", "2020-09-21", "--format", "markdown").stdout
    ledger2020.report("JY-001", "市人力资源社会保障局", "2020-09-15", percent=60, recorded="2020-09-30")
    cli.ok("progress", "add", "JC-001", "--percent", "90", "--date", "2020-09-01", "--unit", "市财政局", "--note", "资金已拨付")
    assert cli.ok("report", "weekly", "--as-of", "2020-09-21", "--format", "markdown").stdout == before


# --- the ladder --------------------------------------------------------------------------------


@pytest.mark.parametrize(("as_of", "streak", "step", "fix_by"), [
    ("2020-06-29", 0, None, None),  # red since the deadline came close, but no 旬 checkpoint red yet
    ("2020-06-30", 1, "通报批评", None),
    ("2020-07-09", 1, "通报批评", None),
    ("2020-07-10", 2, "限期整改", "2020-07-20"),
    ("2020-07-20", 3, "约谈", None),
    ("2020-07-31", 4, "约谈", None),
    ("2020-08-20", 6, "问责", None),
    ("2020-12-31", 6, "问责", None),
])
def test_the_ladder_climbs_one_rung_per_red_checkpoint(cli, ledger2020, as_of, streak, step, fix_by):
    # JY-002 runs 2020-06-18 → 06-30 and is never reported on: red once 30 points behind.
    item = _item(_report(cli, "weekly", "--as-of", as_of), "JY-002")
    assert item["light"] == "red"
    assert (item["streak"], item["step"], item["fix_by"]) == (streak, step, fix_by)


def test_a_top_rung_with_a_fix_deadline_keeps_the_deadline_it_was_reached_with(cli, ledger2020, tmp_path):
    # Two rungs, the top one 限期整改 with 10 days: JY-002 reaches it at the 07-10 checkpoint, and its deadline
    # stays 07-20 however long it stays red (the streak is counted whole, not stopped at the top rung).
    rules = tmp_path / "两级.toml"
    rules.write_text('[[ladder]]\nafter = 1\naction = "通报批评"\n\n'
                     '[[ladder]]\nafter = 2\naction = "限期整改"\nfix_days = 10\n', encoding="utf-8")
    for as_of, streak in (("2020-07-10", 2), ("2020-07-20", 3), ("2020-08-31", 7)):
        item = _item(_report(cli, "weekly", "--as-of", as_of, "--rules", str(rules)), "JY-002")
        assert (item["streak"], item["step"], item["fix_by"]) == (streak, "限期整改", "2020-07-20"), as_of
    md = cli.ok("report", "weekly", "--as-of", "2020-08-31", "--rules", str(rules), "--format", "markdown").stdout
    assert "≥" not in md  # the streak is the whole one


def test_a_task_falling_due_soon_is_listed_in_its_own_section(cli, ledger2020):
    # JY-002 runs 06-18 → 06-30; reported ahead of 序时进度 on 06-24: on 06-25 it is only 临期 (5 days left).
    ledger2020.report("JY-002", "市人力资源社会保障局", "2020-06-24", percent=60, recorded="2020-06-24")
    data = _report(cli, "weekly", "--as-of", "2020-06-25")
    item = _item(data, "JY-002")
    assert (item["light"], item["flags"]) == ("yellow", ["due_soon"])
    assert data["counts"]["due_soon"] == 1 and data["counts"]["items"] == len(data["items"])
    md = cli.ok("report", "weekly", "--as-of", "2020-06-25", "--format", "markdown").stdout
    section = md.split("## 三、临期任务（7日内到期）", 1)[1].split("## 四、", 1)[0]
    assert "JY-002" in section


def test_a_task_that_recovers_starts_the_ladder_again(cli, ledger2020):
    # JC-001 (保障基层运转资金) runs 2020-06-01 → 11-30, led by 市财政局.
    early = _item(_report(cli, "weekly", "--as-of", "2020-08-10"), "JC-001")
    assert early["light"] == "red" and early["step"] is not None and early["streak"] >= 2
    ledger2020.report("JC-001", "市财政局", "2020-08-12", percent=60, recorded="2020-08-12")
    assert _item(_report(cli, "weekly", "--as-of", "2020-08-20"), "JC-001") is None  # green, not listed
    later = _item(_report(cli, "weekly", "--as-of", "2020-11-20"), "JC-001")
    assert later["light"] == "red" and (later["streak"], later["step"]) == (1, "通报批评")


def test_a_suspension_interrupts_the_ladder(cli, ledger2020):
    ledger2020.status("JY-002", "suspended", "2020-07-05")
    assert _item(_report(cli, "weekly", "--as-of", "2020-07-20"), "JY-002") is None  # 暂缓: not chased
    ledger2020.status("JY-002", "in_progress", "2020-07-25")
    item = _item(_report(cli, "weekly", "--as-of", "2020-07-31"), "JY-002")
    assert (item["light"], item["streak"], item["step"]) == ("red", 1, "通报批评")  # 07-20 was 暂缓


def test_the_ladder_counts_only_checkpoints_after_the_task_was_entered(cli, ledger2020):
    ledger2020.created_on("JC-001", "2020-07-25")  # red at 07-20 had it been in the ledger
    item = _item(_report(cli, "weekly", "--as-of", "2020-08-10"), "JC-001")
    assert (item["light"], item["streak"], item["step"]) == ("red", 2, "限期整改")
    assert item["fix_by"] == "2020-08-20"


def test_a_ranking_from_the_middle_of_a_xun_counts_the_whole_xun(cli, ledger2020):
    # JC-001 (市财政局) reports on 07-02; a ranking from 07-05 owes 7月上旬 whole, and so counts that report.
    ledger2020.report("JC-001", "市财政局", "2020-07-02", percent=10, recorded="2020-07-02")
    for since in ("2020-07-01", "2020-07-05", "2020-07-10"):
        data = _report(cli, "units", "--as-of", "2020-07-10", "--since", since)
        lead = next(u for u in data["units"] if u["unit"] == "市财政局")
        assert (lead["xun_reported"], lead["xun_total"]) == (1, 1), since


def test_done_set_by_hand_counts_from_that_day(cli, ledger2020):
    ledger2020.status("JY-002", "completed", "2020-07-03")
    assert _item(_report(cli, "weekly", "--as-of", "2020-07-02"), "JY-002")["light"] == "red"
    data = _report(cli, "units", "--as-of", "2020-07-31", "--since", "2020-07-01")
    assert _item(_report(cli, "weekly", "--as-of", "2020-07-03"), "JY-002") is None
    lead = next(u for u in data["units"] if u["unit"] == "市人力资源社会保障局")
    assert lead["done_on_time"] == 0  # done on 07-03, after its 06-30 deadline


def test_a_reopened_task_keeps_its_past(cli, ledger2020):
    ledger2020.report("JY-002", "市人力资源社会保障局", "2020-06-29", percent=100, recorded="2020-06-29")
    ledger2020.status("JY-002", "closed", "2020-07-02")
    ledger2020.status("JY-002", "in_progress", "2020-09-01")  # reopened
    assert _item(_report(cli, "weekly", "--as-of", "2020-08-31"), "JY-002") is None
    units = _report(cli, "units", "--as-of", "2020-08-31", "--since", "2020-07-01")["units"]
    assert next(u for u in units if u["unit"] == "市人力资源社会保障局")["done_on_time"] == 1  # 100 % on 06-29


def test_later_edits_of_milestones_targets_and_deadlines_do_not_rewrite_the_past(cli, ledger2020):
    ledger2020.report("JC-001", "市财政局", "2020-08-31", percent=40, recorded="2020-08-31")
    ledger2020.report("JY-001", "市人力资源社会保障局", "2020-09-01", value=1000, recorded="2020-09-01")
    before = _report(cli, "weekly", "--as-of", "2020-09-05")
    cli.ok("task", "edit", "JC-001", "-m", "2020-08-31:90%", "-d", "2020-09-01")  # typed in today
    cli.ok("task", "edit", "JY-001", "--target", "返还失业保险费>=1000万元")
    assert _report(cli, "weekly", "--as-of", "2020-09-05") == before
    assert _item(before, "JC-001")["light"] == "yellow"  # 40 % of a task due 11-30, not red


def test_a_task_handed_to_another_unit_is_reported_as_it_stood_before(cli, ledger2020):
    # JC-001: 保基层运转, led by 市财政局 with 各地党委、政府 in support (one unit), 责任领导 安立佳.
    ledger2020.report("JC-001", "市财政局", "2020-09-15", percent=50, recorded="2020-09-15")
    ledger2020.report("JC-001", "市税务局", "2020-09-05", percent=45, recorded="2020-09-05")
    ledger2020.report("JY-001", "市人力资源社会保障局", "2020-09-16", value=100, recorded="2020-09-16")  # untouched
    past = ("--as-of", "2020-09-21")
    kinds = {"weekly": (), "units": ("--since", "2020-07-01"), "stale": ()}
    before = {kind: _report(cli, kind, *past, *more) for kind, more in kinds.items()}
    jc = _item(before["weekly"], "JC-001")
    assert (jc["lead_units"], jc["support_units"], jc["leaders"], jc["category"], "stale" in jc["flags"]) == (
        ["市财政局"], ["各地党委、政府"], ["安立佳"], "保基层运转", False)  # 市财政局 reported on 09-15: on time
    assert "stale" not in _item(before["weekly"], "JY-001")["flags"]
    # typed in today: the tax bureau takes the task over, under another leader and category
    cli.ok("task", "edit", "JC-001", "-l", "市税务局", "-s", "市人社局", "--leader", "李四",
           "-c", "保居民就业", "--title", "重新表述的任务")
    cli.ok("task", "edit", "JC-001", "--leader", "王五")  # and a second change, later still
    cli.ok("task", "edit", "JY-002", "--leader", "赵六")  # it had none
    after = {kind: _report(cli, kind, *past, *more) for kind, more in kinds.items()}
    assert after == before
    # the filters see the task as it stood then
    assert {i["code"] for i in _report(cli, "weekly", *past, "-c", "基层运转")["items"]} == {"JC-001"}
    assert "JC-001" not in {i["code"] for i in _report(cli, "weekly", *past, "-c", "居民就业")["items"]}
    assert _report(cli, "weekly", *past, "--leader", "安立佳")["totals"]["tasks"] == 1
    assert _report(cli, "weekly", *past, "--leader", "王五")["totals"]["tasks"] == 0
    assert _report(cli, "weekly", *past, "-u", "各地党委、政府")["totals"]["tasks"] == 1
    assert _report(cli, "weekly", "-u", "各地党委、政府")["totals"]["tasks"] == 0
    # today's report has today's units: the tax bureau's 09-05 report is not the lead's in 9月中旬
    now = _item(_report(cli, "weekly"), "JC-001")
    assert (now["lead_units"], now["support_units"], now["leaders"], now["category"], now["title"]) == (
        ["市税务局"], ["市人力资源社会保障局"], ["王五"], "保居民就业", "重新表述的任务")
    units = {u["unit"]: u for u in _report(cli, "units", "--as-of", "2020-09-21", "--since", "2020-07-01")["units"]}
    assert units["市财政局"]["tasks_led"] == 1 and units["市税务局"]["tasks_led"] == 0


def test_the_issue_number_ignores_tasks_entered_later(cli, ledger2020):
    cli.ok("task", "add", "补录的任务", "-c", "就业", "-l", "市财政局", "--start", "2019-01-01", "-d", "2019-12-31")
    assert _report(cli, "weekly", "--as-of", "2020-07-31")["period"]["number"] == 9


def test_an_undone_import_counted_until_it_was_undone(cli, ledger2020):
    batch = ledger2020.batch("2020-07-10", undone="2020-07-20")
    ledger2020.report("JY-002", "市人力资源社会保障局", "2020-07-09", percent=100, recorded="2020-07-10", batch=batch)
    ledger2020.status("JY-002", "not_started", "2020-07-20")  # what undo records
    assert _item(_report(cli, "weekly", "--as-of", "2020-07-15"), "JY-002") is None  # done, as the import said
    after = _item(_report(cli, "weekly", "--as-of", "2020-07-31"), "JY-002")
    assert (after["light"], after["percent"], after["last_report"]) == ("red", None, None)
    assert after["streak"] == 2  # 07-20 and 07-31: the ladder sees the undo at its own date


def test_done_and_closed_tasks_are_not_flagged(cli, ledger2020):
    ledger2020.report("JY-002", "市人力资源社会保障局", "2020-07-15", percent=100, recorded="2020-07-15")
    assert _item(_report(cli, "weekly", "--as-of", "2020-07-14"), "JY-002")["light"] == "red"
    data = _report(cli, "weekly", "--as-of", "2020-07-16")
    assert _item(data, "JY-002") is None and data["totals"]["done"] == 1


# --- 未按时报送 and the unit ranking --------------------------------------------------------------


def test_stale_lists_tasks_whose_lead_unit_has_not_reported(cli, ledger2020):
    ledger2020.report("JY-001", "市人力资源社会保障局", "2020-08-10", percent=40, recorded="2020-08-10")
    ledger2020.report("JC-001", "市财政局", "2020-09-05", percent=60, recorded="2020-09-05")
    ledger2020.report("JC-001", "市税务局", "2020-09-15", percent=61, recorded="2020-09-15")  # not the lead
    early = _report(cli, "stale", "--as-of", "2020-09-11")  # JY-002 was never reported on
    assert [i["code"] for i in early["items"]] == ["JY-002", "JY-001"]  # red first
    jy1 = early["items"][1]
    assert (jy1["light"], jy1["notice"], jy1["last_report"], jy1["flags"]) == ("yellow", "催报", "2020-08-10", ["stale"])
    later = _report(cli, "stale", "--as-of", "2020-09-21")  # nothing from 市财政局 in 9月中旬
    assert {i["code"] for i in later["items"]} == {"JY-001", "JY-002", "JC-001"}
    assert _item(later, "JC-001")["last_report"] == "2020-09-15"  # any unit's latest report, shown as such


def test_units_rank_lead_units_and_list_support_units(cli, ledger2020):
    for day in ("2020-07-05", "2020-07-15", "2020-07-25", "2020-08-05", "2020-08-15", "2020-08-25"):
        ledger2020.report("JC-001", "市财政局", day, percent=50, recorded=day)
    data = _report(cli, "units", "--as-of", "2020-08-31", "--since", "2020-07-01")
    units = {u["unit"]: u for u in data["units"]}
    assert units["市财政局"]["xun_reported"] == 6 and units["市财政局"]["xun_total"] == 6
    assert units["市人力资源社会保障局"]["xun_reported"] == 0 and units["市人力资源社会保障局"]["xun_total"] == 6
    assert units["市财政局"]["rank"] == 1 and units["市人力资源社会保障局"]["rank"] == 2
    assert units["市税务局"]["tasks_led"] == 0 and units["市税务局"]["rank"] is None
    assert units["市税务局"]["tasks_supported"] == 1


# --- filters and bad input -----------------------------------------------------------------------


def test_filters_narrow_the_report(cli, ledger2020):
    assert {i["code"] for i in _report(cli, "weekly", "--as-of", "2020-07-31", "-c", "基层运转")["items"]} == {"JC-001"}
    assert {i["code"] for i in _report(cli, "weekly", "--as-of", "2020-07-31", "-u", "市人社局")["items"]} == {
        "JY-001", "JY-002"}
    assert {i["code"] for i in _report(cli, "weekly", "--as-of", "2020-07-31", "--leader", "安立佳")["items"]} == {
        "JC-001"}
    scoped = _report(cli, "weekly", "--as-of", "2020-07-31", "-u", "市税务局")
    assert scoped["scope"] == {"unit": "市税务局"} and scoped["totals"]["tasks"] == 1


@pytest.mark.parametrize(("args", "code", "message"), [
    ("-u 市人设局", 3, "错误：单位“市人设局”不存在。相近的单位或简称："),
    ("-c 保外贸", 3, "错误：台账中没有类别“保外贸”的任务。现有类别：保基层运转、保居民就业。"),
    ("--leader 张三", 3, "错误：台账中没有责任领导“张三”。"),
    ("--doc 吉发〔2020〕99号", 3, "错误：台账中没有文件“吉发〔2020〕99号”。"),
    ("--as-of 2020-02-30", 4, "错误：--as-of 的值“2020-02-30”是不存在的日期。"),
    ("--as-of 2099-01-01", 4, "错误：--as-of 2099-01-01 晚于今天"),
    ("--as-of 明天", 4, "错误：--as-of 的值“明天”不是日期。"),
    ("--as-of 0001-01-01", 4, "错误：--as-of 0001-01-01 早于 2000 年"),
    ("--since 1999-01-01", 4, "错误：--since 1999-01-01 早于 2000 年"),
    ("--since 2099-01-01", 4, "错误：--since 2099-01-01 晚于今天"),
    ("-u ''", 4, "错误：--unit 的值为空。"),
    ("--leader ' '", 4, "错误：--leader 的值为空。"),
    ("--format pdf", 4, "错误：不支持的格式“pdf”，可用：terminal | markdown | html | csv | json。"),
    ("-o 周报.docx", 4, "错误：无法从文件名 周报.docx 判断格式"),
    ("--fail-on blue", 4, "错误：--fail-on 的值“blue”无效"),
    ("--period month", 4, "错误：--period 的值“month”无效"),
])
def test_bad_input_is_one_clear_line(cli, seeded, args, code, message):
    before = snapshot(seeded)
    result = cli(f"report weekly {args}")
    assert result.exit_code == code, result.stderr
    assert result.stderr.strip().startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert snapshot(seeded) == before


def test_ranking_over_a_long_period_and_in_a_quarters_first_days(cli, ledger2020):
    long = _report(cli, "units", "--as-of", "2020-07-31", "--since", "2005-01-01")
    assert long["ranking_since"] == "2005-01-01" and any(u["xun_total"] for u in long["units"])
    early = _report(cli, "weekly", "--as-of", "2020-10-05")  # no 旬 of the fourth quarter has ended
    assert early["ranking_since"] == "2020-07-01" and any(u["rank"] for u in early["units"])


def test_a_bad_rules_file_names_its_line(cli, seeded, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[lights]\nyellow_behind = 10\nred_behind = 5\n", encoding="utf-8")
    result = cli("report", "weekly", "--rules", str(rules))
    assert result.exit_code == 4
    assert result.stderr.strip() == (f"错误：规则文件 {rules} 第 3 行：lights.red_behind 的值 5 不可用，应为大于 yellow_behind（10）的数。"
                                     "请改正该行。")
    missing = cli("report", "weekly", "--rules", str(tmp_path / "none.toml"))
    assert missing.exit_code == 4 and "文件不存在" in missing.stderr


def test_rules_stored_in_the_ledger_apply_until_reset(cli, ledger2020, tmp_path):
    # JC-001 on 09-05: 40 % against 52.7 % expected, 12.7 points behind.
    ledger2020.report("JC-001", "市财政局", "2020-08-31", percent=40, recorded="2020-08-31")
    assert _item(_report(cli, "slow", "--as-of", "2020-09-05"), "JC-001")["light"] == "yellow"
    rules = tmp_path / "本单位规则.toml"
    rules.write_text("[lights]\nyellow_behind = 15\n", encoding="utf-8")
    assert _item(_report(cli, "slow", "--as-of", "2020-09-05", "--rules", str(rules)), "JC-001") is None
    cli.ok("report", "rules", "--set", str(rules))
    rules.unlink()  # the ledger keeps the text, not the path
    assert _item(_report(cli, "slow", "--as-of", "2020-09-05"), "JC-001") is None
    shown = cli.ok("report", "rules").stdout
    assert "督办规则来源：台账设定的规则" in shown and "15 个百分点及以上" in shown
    assert cli.ok("report", "rules", "--reset").stderr.strip() == "已删除本台账的督办规则，恢复默认规则。"
    assert _item(_report(cli, "slow", "--as-of", "2020-09-05"), "JC-001")["light"] == "yellow"


# --- files, formats and cron ----------------------------------------------------------------------


def test_files_are_written_whole_with_the_format_of_their_suffix(cli, ledger2020, tmp_path):
    outs = [tmp_path / name for name in ("周报.md", "周报.html", "周报.json", "周报.csv", "周报.txt")]
    args = [a for p in outs for a in ("-o", str(p))]
    result = cli.ok("report", "weekly", "--as-of", "2020-07-31", *args)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"已写入 {p}" for p in outs]
    md, html, js, csv_text, txt = (p.read_text(encoding="utf-8") for p in outs)
    assert md.startswith("# 关于“六保”任务推进情况的通报（第9期）\n")
    assert "| 🔴 约谈 | JY-002 | 拓宽以工代训范围 | 市人力资源社会保障局 | — | 4 | — |" in md.split("## 六、拟约谈/问责")[1]
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    assert "<script" not in html and "http" not in html.replace('name="viewport"', "")  # self-contained
    assert '<span class="lamp red"></span>' in html and 'class="bar"' in html and "Noto Sans CJK SC" in html
    assert json.loads(js)["period"] == {"kind": "week", "start": "2020-07-25", "end": "2020-07-31", "number": 9,
                                        "label": "2020年7月25日至2020年7月31日"}
    assert csv_text.startswith("\ufeff任务编号,任务名称,类别,牵头单位")
    assert txt.startswith("关于“六保”任务推进情况的通报（第9期）\n") and "\x1b[" not in txt
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_an_unwritable_output_leaves_no_file_and_keeps_the_old_one(cli, ledger2020, tmp_path):
    old = tmp_path / "周报.md"
    old.write_text("上周的周报\n", encoding="utf-8")
    result = cli("report", "weekly", "--as-of", "2020-07-31", "-o", str(old), "-o", str(tmp_path / "无此目录" / "周报.html"))
    assert result.exit_code == 4
    assert result.stderr.strip() == f"错误：无法写入 {tmp_path / '无此目录' / '周报.html'}：目录 {tmp_path / '无此目录'} 不存在。请先创建该目录。"
    assert old.read_text(encoding="utf-8") == "上周的周报\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("周报", "."))] == ["周报.md"]
    directory = cli("report", "weekly", "--as-of", "2020-07-31", "--format", "html", "-o", str(tmp_path))
    assert directory.exit_code == 4 and "是一个目录" in directory.stderr


def test_fail_on_red_exits_8_after_writing(cli, ledger2020, tmp_path):
    out = tmp_path / "周报.md"
    result = cli("report", "weekly", "--as-of", "2020-07-31", "-o", str(out), "--fail-on", "red")
    assert result.exit_code == 8 and out.exists()
    assert result.stderr.splitlines()[-1] == "有2项任务亮红灯（--fail-on），退出码 8。"
    assert cli("report", "weekly", "--as-of", "2020-06-19", "--fail-on", "red").exit_code == 0  # nothing red yet
    assert cli("report", "weekly", "--as-of", "2020-06-21", "--fail-on", "yellow").exit_code == 8


def test_fail_on_yellow_counts_red_and_yellow_apart(cli, ledger2020, monkeypatch):
    totals = _report(cli, "weekly", "--as-of", "2020-07-31")["totals"]
    assert totals["red"] and totals["yellow"]
    result = cli("report", "weekly", "--as-of", "2020-07-31", "--fail-on", "yellow")
    assert result.exit_code == 8
    assert result.stderr.splitlines()[-1] == (f"有{totals['red']}项任务亮红灯、{totals['yellow']}项亮黄灯（--fail-on），"
                                              "退出码 8。")
    monkeypatch.setenv("SIXBAO_LANG", "en")
    english = cli("report", "weekly", "--as-of", "2020-07-31", "--fail-on", "yellow", "--json")
    assert english.stderr.splitlines()[-1] == (f"{totals['red']} tasks are red and {totals['yellow']} yellow "
                                               "(--fail-on): exit code 8.")


def test_dry_run_writes_nothing(cli, ledger2020, tmp_path):
    out = tmp_path / "周报.html"
    result = cli.ok("report", "weekly", "--as-of", "2020-07-31", "-o", str(out), "--dry-run")
    assert not out.exists() and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"将写入 {out}（html，") and lines[0].endswith("字节）")
    assert lines[1] == "预览：督办任务 3 项，红灯 2 项，黄灯 1 项，报表列出 3 项；未写入任何文件。"


def test_csv_neutralises_formulas_but_keeps_numbers(cli, ledger2020):
    cli.ok("task", "add", "=HYPERLINK(\"http://x\")", "-c", "就业", "-l", "市财政局", "--start", "2020-06-01",
           "-d", "2020-06-10")
    ledger2020.created("2020-06-01")
    text = cli.ok("report", "overdue", "--as-of", "2020-07-31", "--format", "csv").stdout
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    row = next(r for r in rows if r[0] == "JY-003")
    assert row[1] == "'=HYPERLINK(\"http://x\")"
    assert row[7:10] == ["", "100", "100"]  # actual, expected, behind: numbers as numbers


def test_english_on_request(cli, ledger2020, monkeypatch):
    monkeypatch.setenv("SIXBAO_LANG", "en")
    md = cli.ok("report", "weekly", "--as-of", "2020-07-31", "--format", "markdown").stdout
    assert md.startswith("# Progress of the Six Guarantees tasks (No. 9)\n")
    assert "## 2. Overdue tasks" in md and "## 8. Next steps" in md


def test_piped_output_from_a_real_process_has_no_escape_codes(ledger2020, seeded):
    env = {**os.environ, "SIXBAO_DB": seeded, "TERM": "xterm-256color", "FORCE_COLOR": ""}
    env.pop("FORCE_COLOR")
    done = subprocess.run([sys.executable, "-m", "sixbao_cli", "report", "weekly", "--as-of", "2020-07-31"],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout and "关于“六保”任务推进情况的通报" in done.stdout
    assert all(line == line.rstrip() for line in done.stdout.splitlines())


def test_limit_lists_the_most_severe_and_says_how_many_there_are(cli, ledger2020):
    # As of 10 December both 拓宽以工代训范围 (06-30) and 保障基层运转资金 (11-30) are overdue, and all three unreported.
    full = _report(cli, "weekly", "--as-of", "2020-12-10", "--limit", "0")
    assert full["limit"] is None and full["counts"]["overdue"] == 2 and full["counts"]["stale"] == 3
    assert len(full["items"]) == full["counts"]["items"] == 3

    capped = _report(cli, "weekly", "--as-of", "2020-12-10", "--limit", "1")
    assert capped["limit"] == 1 and capped["counts"] == full["counts"] and capped["totals"] == full["totals"]
    overdue = [i["code"] for i in capped["items"] if "overdue" in i["flags"]]
    worst = next(i["code"] for i in full["items"] if "overdue" in i["flags"])  # items come most severe first
    assert worst in overdue

    text = cli.ok("report", "weekly", "--as-of", "2020-12-10", "--limit", "1", "--format", "markdown").stdout
    overdue_section = text.split("二、")[1].split("三、")[0]
    assert "共2项" in overdue_section and "以下列出最紧要的1项" in overdue_section
    assert overdue_section.count(worst) == 1 and sum(overdue_section.count(c) for c in overdue) == 1

    listed = _report(cli, "overdue", "--as-of", "2020-12-10", "--limit", "1")
    assert [i["code"] for i in listed["items"]] == [worst] and listed["counts"]["items"] == 2


def test_limit_must_be_a_whole_number_not_below_zero(cli, seeded):
    result = cli("report", "weekly", "--limit", "-1")
    assert result.exit_code == 2 and "--limit" in result.stderr


def test_a_task_only_due_soon_is_listed_with_or_without_a_limit(cli, ledger2020):
    # JY-002 runs 2020-06-18 → 06-30: on 06-25, reported at 80 % the day before, it is only 临期.
    ledger2020.report("JY-002", "市人力资源社会保障局", "2020-06-24", percent=80, recorded="2020-06-24")
    for limit in ("0", "1", "200"):
        data = _report(cli, "weekly", "--as-of", "2020-06-25", "--limit", limit)
        assert data["totals"]["due_soon"] == data["counts"]["due_soon"] >= 1 and data["totals"]["yellow"] >= 1
        assert _item(data, "JY-002")["flags"] == ["due_soon"], limit
