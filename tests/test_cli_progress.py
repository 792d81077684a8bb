"""progress add | correct | list: validation, append-only history, status moves."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from sixbao_cli.settings import resolve_db_url

from conftest import count, snapshot

ADD = ("progress", "add", "JY-001")


def test_add_and_list(cli, seeded):
    result = cli.ok(*ADD, "-p", "60%", "--date", "2020年9月25日", "-u", "市人社局", "--note", "已返还2100万元",
                    "--problems", "部分企业未申报", "--next", "10月底前完成", "--reporter", "王五")
    assert result.stdout.strip() == "已记录进展 #1：JY-001 2020-09-25 60%"
    cli.ok(*ADD, "--value", "1.5万", "--date", "2020/10/10", "-u", "市财政局", "--note", "拨付")
    entries = json.loads(cli.ok("progress", "list", "JY-001", "--json").stdout)
    assert [(e["date"], e["unit"], e["percent"], e["value"], e["note"]) for e in entries] == [
        ("2020-10-10", "市财政局", None, 15000.0, "拨付"),
        ("2020-09-25", "市人力资源社会保障局", 60.0, None, "已返还2100万元"),
    ]
    assert entries[1]["problems"] == "部分企业未申报" and entries[1]["reporter"] == "王五"
    assert entries[1]["source"] == "manual" and entries[1]["recorded_at"]
    card = json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)
    assert [(p["date"], p["unit"], p["percent"], p["value"], p["note"]) for p in card["progress"]] == [
        ("2020-09-25", "市人力资源社会保障局", 60.0, None, "已返还2100万元"),
        ("2020-10-10", "市财政局", None, 15000.0, "拨付"),
    ]
    assert card["status"] == "in_progress"
    assert [e["task"] for e in json.loads(cli.ok("progress", "list", "-u", "市财政局", "--json").stdout)] == ["JY-001"]
    assert json.loads(cli.ok("progress", "list", "--since", "2020-10-01", "--json").stdout)[0]["id"] == 2


def test_hundred_percent_completes_the_task(cli, seeded):
    cli.ok("progress", "add", "JY-002", "-p", "100", "--date", "2020-06-29", "-u", "市人社局", "--note", "完成")
    assert json.loads(cli.ok("task", "show", "JY-002", "--json").stdout)["status"] == "completed"


def test_status_follows_the_latest_report_not_the_last_typed(cli, seeded):
    def status() -> str:
        return json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)["status"]

    cli.ok(*ADD, "-p", "100", "--date", "2020-10-25", "-u", "市人社局", "--note", "全部返还")
    assert status() == "completed"
    cli.ok(*ADD, "-p", "70", "--date", "2020-10-01", "-u", "市人社局", "--note", "补报10月1日情况")  # back-dated
    assert status() == "completed"
    cli.ok("progress", "correct", "2", "-p", "75")  # correcting the older entry
    assert status() == "completed"
    cli.ok("progress", "correct", "1", "-p", "90", "--note", "更正：尚有一家未到账")
    assert status() == "in_progress"
    assert {r["code"]: r["percent"] for r in json.loads(cli.ok("task", "list", "--json").stdout)}["JY-001"] == 90.0


def test_value_reports_count_against_the_target_in_list_and_card_alike(cli, seeded):
    # JY-001's target: 返还失业保险费 >= 3000万元
    cli.ok(*ADD, "-p", "55", "--date", "2020-09-25", "-u", "市人社局", "--note", "x")
    cli.ok(*ADD, "--value", "2400万", "--date", "2020-10-10", "-u", "市人社局", "--note", "已返还2400万元")
    listed = {r["code"]: r for r in json.loads(cli.ok("task", "list", "--json").stdout)}["JY-001"]
    assert (listed["percent"], listed["value"]) == (80.0, 24_000_000.0)
    assert "当前进度  ################.... 80%" in cli.ok("task", "show", "JY-001").stdout
    cli.ok(*ADD, "--value", "3000万", "--date", "2020-11-10", "-u", "市人社局", "--note", "全部返还")
    assert json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)["status"] == "completed"


def test_a_target_of_zero_is_met_once_the_value_is_down_to_zero(cli, seeded):
    # 零就业家庭动态清零: "= 0" was unmeasurable (0 %-of-0); it is 0 % until the count reaches 0, then done.
    cli.ok("task", "add", "零就业家庭动态清零", "-c", "就业", "-l", "市人社局", "--start", "2020-06-01",
           "-d", "2020-12-31", "--target", "零就业家庭=0户")
    cli.ok("progress", "add", "JY-003", "--value", "3", "--date", "2020-09-21", "-u", "市人社局", "--note", "尚有3户")
    listed = {r["code"]: r for r in json.loads(cli.ok("task", "list", "--json").stdout)}["JY-003"]
    assert (listed["percent"], listed["status"]) == (0.0, "in_progress")
    week = json.loads(cli.ok("report", "weekly", "--json").stdout)  # today: entered today, overdue since 2020
    assert next(i for i in week["items"] if i["code"] == "JY-003")["percent"] == 0.0
    cli.ok("progress", "add", "JY-003", "--value", "0", "--date", "2020-10-21", "-u", "市人社局", "--note", "已清零")
    assert json.loads(cli.ok("task", "show", "JY-003", "--json").stdout)["status"] == "completed"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("-p", "101"), 4, "错误：--percent 的值“101”超出 0–100。完成进度请填 0 到 100 之间的百分数（60 或 60% 都表示百分之六十）。"),
        (("-p", "-5"), 4, "错误：--percent 的值“-5”超出 0–100。完成进度请填 0 到 100 之间的百分数（60 或 60% 都表示百分之六十）。"),
        (("-p", "六十"), 4, "错误：--percent 的值“六十”不是百分数。请写成 60、60% 或 0.6% 这样的数。"),
        (("--value", "abc"), 4, "错误：--value 的值“abc”不是数字。请写成 2600、1.5 或 21万 这样的数。"),
        (("-p", "50", "--date", "2020-02-30"), 4, "错误：--date 的值“2020-02-30”是不存在的日期。请检查月份和日期。"),
        (("-p", "50", "--date", "9月25日"), 4, "错误：--date 的值“9月25日”不是日期。请写成 2020-09-25、2020/9/25 或 2020年9月25日。"),
        (("-p", "50", "--date", "2020-06-01"), 4, "错误：填报日期 2020-06-01 早于任务 JY-001 的开始日期 2020-06-18。请检查日期。"),
        (("-p", "50", "-u", "市人社"), 3, "错误：单位“市人社”不存在。相近的单位或简称：市人社局。"),
        (("-p", "50", "-u", "各地党委、政府"), 4, "错误：“各地党委、政府”不是任务 JY-001 的牵头或配合单位（该任务的单位：市人力资源社会保障局、市财政局、市税务局）。"),
    ],
)
def test_add_rejects_bad_input_and_changes_nothing(cli, seeded, args, code, message):
    base = {"--date": "2020-09-25", "-u": "市人社局", "--note": "x"}
    argv = list(args)
    for flag, value in base.items():
        if flag not in argv:
            argv += [flag, value]
    before = snapshot(seeded)
    result = cli(*ADD, *argv)
    assert (result.exit_code, result.stderr.strip()) == (code, message)
    assert result.stdout == ""
    assert snapshot(seeded) == before


def test_add_rejects_the_future_and_unknown_codes(cli, seeded):
    from datetime import date, timedelta

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = cli(*ADD, "-p", "5", "--date", tomorrow, "-u", "市人社局", "--note", "x")
    assert result.exit_code == 4
    assert result.stderr.strip() == f"错误：填报日期 {tomorrow} 晚于今天（{date.today()}）。进展只能填报已经发生的情况。"
    result = cli("progress", "add", "JY-003", "-p", "5", "--date", "2020-09-01", "-u", "市人社局", "--note", "x")
    assert (result.exit_code, result.stderr.strip()) == (3, "错误：任务编号“JY-003”不存在。是否要找：JY-001、JY-002？")


def test_missing_arguments_without_a_terminal_are_an_error_not_a_prompt(cli, seeded):
    before = snapshot(seeded)
    result = cli(*ADD, "-p", "50", input="")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("错误：缺少 --date、--unit、--note。不在终端中运行时不会询问")
    assert snapshot(seeded) == before


def test_correction_supersedes_and_keeps_history(cli, seeded):
    cli.ok(*ADD, "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    result = cli.ok("progress", "correct", "1", "-p", "55", "--note", "更正：按实际到账")
    assert result.stdout.strip() == "已记录更正 #2，取代 #1（原记录保留）。"
    entries = {e["id"]: e for e in json.loads(cli.ok("progress", "list", "--json").stdout)}
    assert entries[1]["superseded_by"] == 2 and entries[1]["percent"] == 60.0 and entries[1]["note"] == "初报"
    assert entries[2]["supersedes"] == 1 and entries[2]["percent"] == 55.0 and entries[2]["date"] == "2020-09-25"
    effective = json.loads(cli.ok("progress", "list", "--effective", "--json").stdout)
    assert [e["id"] for e in effective] == [2]
    listed = json.loads(cli.ok("task", "list", "--json").stdout)
    assert {r["code"]: r["percent"] for r in listed}["JY-001"] == 55.0
    out = cli.ok("progress", "list").stdout
    assert "已被 #2 更正" in out and "更正 #1" in out
    result = cli("progress", "correct", "1", "-p", "50")
    assert (result.exit_code, result.stderr.strip()) == (5, "错误：进展记录 #1 已被 #2 更正。要再更正，请更正 #2。")
    result = cli("progress", "correct", "99", "-p", "50")
    assert (result.exit_code, result.stderr.strip()) == (3, "错误：进展记录 #99 不存在。可用 sixbao progress list 查看。")
    assert cli("progress", "correct", "2").exit_code == 2


def test_the_database_refuses_to_change_or_delete_an_entry(cli, seeded):
    cli.ok(*ADD, "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    engine = create_engine(resolve_db_url(seeded))
    try:
        for statement in ("UPDATE progress SET percent = 99", "DELETE FROM progress"):
            with pytest.raises(DBAPIError, match="append-only"):
                with engine.begin() as conn:
                    conn.execute(text(statement))
    finally:
        engine.dispose()
    assert count(seeded, "progress") == 1


def test_english_messages(cli, seeded, monkeypatch):
    monkeypatch.setenv("SIXBAO_LANG", "en")
    result = cli(*ADD, "-p", "150", "--date", "2020-09-25", "-u", "市人社局", "--note", "x")
    assert result.stderr.strip() == ("Error: --percent: '150' is outside 0–100. Give a percent from 0 to 100 "
                                     "(60 and 60% both mean sixty percent).")
    result = cli.ok(*ADD, "-p", "50", "--date", "2020-09-25", "-u", "市人社局", "--note", "x")
    assert result.stdout.strip() == "Recorded progress #1: JY-001 2020-09-25 50%"
    assert "Status" in cli.ok("task", "list").stdout and "in progress" in cli.ok("task", "list").stdout
