"""task add | list | show | edit | done, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from conftest import count, snapshot


def test_add_assigns_category_codes_and_keeps_lead_and_support_apart(cli, seeded):
    card = json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)
    assert card["code"] == "JY-001"
    assert card["category"] == "保居民就业"
    assert card["leads"] == ["市人力资源社会保障局"]  # the alias resolved to the canonical name
    assert card["supports"] == ["市财政局", "市税务局"]
    assert card["leaders"] == ["吴靖平", "刘金波"]
    assert card["start"] == "2020-06-18" and card["deadline"] == "2020-12-31"
    assert card["target"] == {"metric": "返还失业保险费", "comparator": ">=", "value": 30_000_000.0, "unit": "元"}
    assert card["milestones"] == [{"due": "2020-09-30", "percent": 50.0, "value": None}]
    assert card["status"] == "not_started"
    assert json.loads(cli.ok("task", "show", "JC-001", "--json").stdout)["supports"] == ["各地党委、政府"]


def test_add_reports_the_new_code(cli, seeded):
    result = cli.ok("task", "add", "新任务", "-c", "民生", "-l", "市财政局")
    assert result.stdout.strip() == "已登记任务 MS-001：新任务"
    result = cli.ok("task", "add", "另一项", "-c", "其他工作", "-l", "市财政局", "--code", "x-7")
    assert result.stdout.strip() == "已登记任务 X-7：另一项"
    assert json.loads(cli.ok("task", "show", "x-7", "--json").stdout)["category"] == "其他工作"


def test_add_unknown_unit_suggests_and_changes_nothing(cli, seeded):
    before = snapshot(seeded)
    result = cli("task", "add", "某任务", "-c", "就业", "-l", "市人社")
    assert result.exit_code == 3
    assert result.stderr.strip() == "错误：单位“市人社”不存在。相近的单位或简称：市人社局。"
    assert snapshot(seeded) == before


def test_only_commands_that_can_create_units_suggest_it(cli, seeded):
    assert cli("task", "add", "x", "-c", "就业", "-l", "某某办").stderr.strip() == (
        "错误：单位“某某办”不存在。可先执行 sixbao unit add \"某某办\"，或加 --create-units 直接新建。")
    assert cli("task", "list", "-u", "某某办").stderr.strip() == (
        "错误：单位“某某办”不存在。可先执行 sixbao unit add \"某某办\" 添加该单位。")


def test_edit_keeps_dates_consistent(cli, seeded):
    before = snapshot(seeded)
    result = cli("task", "edit", "JY-001", "-d", "2020-09-01")  # its milestone is 2020-09-30
    assert (result.exit_code, result.stderr.strip()) == (
        4, "错误：时间节点 2020-09-30 不在任务的开始日期 2020-06-18 与完成时限 2020-09-01 之间。")
    assert snapshot(seeded) == before
    cli.ok("progress", "add", "JY-001", "-p", "10", "--date", "2020-07-01", "-u", "市人社局", "--note", "x")
    result = cli("task", "edit", "JY-001", "--start", "2020-08-01")
    assert (result.exit_code, result.stderr.strip()) == (4, "错误：开始日期 2020-08-01 晚于已有的进展记录（2020-07-01）。")


def test_add_can_create_units(cli, seeded):
    cli.ok("task", "add", "某任务", "-c", "就业", "-l", "市发展改革委", "--create-units")
    assert "市发展改革委" in cli.ok("unit", "list").stdout


def test_add_refuses_taken_code_and_bad_dates(cli, seeded):
    before = snapshot(seeded)
    result = cli("task", "add", "重复", "-c", "就业", "-l", "市财政局", "--code", "jy-001")
    assert (result.exit_code, result.stderr.strip()) == (
        5, "错误：任务编号 JY-001 已被占用。请换一个编号，或不指定 --code 由系统自动编号。")
    result = cli("task", "add", "倒置", "-c", "就业", "-l", "市财政局", "--start", "2020-07-01", "-d", "2020-06-01")
    assert (result.exit_code, result.stderr.strip()) == (4, "错误：完成时限 2020-06-01 早于开始日期 2020-07-01。")
    for bad in (" ", "a b", "JY/1", "50%"):
        result = cli("task", "add", "坏编号", "-c", "就业", "-l", "市财政局", "--code", bad)
        assert result.exit_code == 4 and "不合规" in result.stderr, bad
    result = cli("task", "edit", "JY-001", "--title", "  ")
    assert (result.exit_code, result.stderr.strip()) == (4, "错误：任务名称不能为空。")
    result = cli("task", "add", "无牵头", "-c", "就业")
    assert (result.exit_code, result.stderr.strip()) == (4, "错误：任务至少要有一个牵头单位。请用 --lead 指定。")
    result = cli("task", "add", "坏目标", "-c", "就业", "-l", "市财政局", "--target", "很多")
    assert result.exit_code == 4 and "目标“很多”看不懂" in result.stderr
    assert snapshot(seeded) == before


def test_list_filters(cli, seeded):
    def codes(*args: str) -> list[str]:
        return [row["code"] for row in json.loads(cli.ok("task", "list", "--json", *args).stdout)]

    assert codes() == ["JY-002", "JC-001", "JY-001"]  # by deadline
    assert codes("-c", "就业") == ["JY-002", "JY-001"]
    assert codes("-c", "保基层运转") == ["JC-001"]
    assert codes("-u", "市财政局") == ["JY-002", "JC-001", "JY-001"]
    assert codes("-u", "市财政局", "--role", "lead") == ["JC-001"]
    assert codes("-u", "市财政局", "--role", "配合") == ["JY-002", "JY-001"]
    assert codes("-u", "市人社局", "--role", "support") == []
    assert codes("--leader", "安立佳") == ["JC-001"]
    assert codes("--due-before", "2020-11-30") == ["JY-002", "JC-001"]
    assert codes("--due-after", "2020-07-01") == ["JC-001", "JY-001"]
    assert codes("--status", "未启动") == ["JY-002", "JC-001", "JY-001"]
    assert codes("--status", "completed") == []
    assert codes("--limit", "1") == ["JY-002"]


def test_search_finds_chinese_substrings_of_any_length(cli, seeded):
    def codes(query: str) -> list[str]:
        return [row["code"] for row in json.loads(cli.ok("task", "list", "--json", "-q", query).stdout)]

    assert codes("稳岗") == ["JY-001"]  # two characters: below the trigram size
    assert codes("以工代训") == ["JY-002"]  # in the title
    assert codes("不裁员") == ["JY-001"]  # only in the body
    assert codes("失业保险 少裁员") == ["JY-001"]  # every term must occur
    assert codes("失业保险 以工代训") == []
    assert codes("基层") == ["JC-001"]
    assert codes('"引号" 50%_') == []  # query syntax and LIKE wildcards are plain text
    cli.ok("task", "add", "推进ABC项目", "-c", "其他", "-l", "市财政局")
    assert codes("abc") == ["QT-001"] and codes("项目 Abc") == ["QT-001"]  # case-insensitive on both databases


def test_list_output_is_a_plain_table_when_piped(cli, seeded):
    out = cli.ok("task", "list").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["任务编号", "任务名称", "类别", "牵头单位", "完成时限", "状态", "完成进度", "最近报送"]
    assert lines[1].split()[:5] == ["JY-002", "拓宽以工代训范围", "保居民就业", "市人力资源社会保障局", "2020-06-30"]
    assert lines[-1] == "共 3 项任务。"
    assert "\x1b[" not in out and "│" not in out
    # columns line up although the text is Chinese (double-width)
    from rich.cells import cell_len

    header_pos = cell_len(lines[0][: lines[0].index("完成时限")])
    assert cell_len(lines[1][: lines[1].index("2020-06-30")]) == header_pos


def test_list_filter_errors(cli, seeded):
    result = cli("task", "list", "--status", "进行")
    assert result.exit_code == 4
    assert result.stderr.strip().startswith("错误：状态“进行”不存在。可用的状态：未启动(not_started)")
    result = cli("task", "list", "-u", "市税务")
    assert (result.exit_code, result.stderr.strip()) == (3, "错误：单位“市税务”不存在。相近的单位或简称：市税务局。")
    result = cli("task", "list", "--due-before", "2020-13-01")
    assert (result.exit_code, result.stderr.strip()) == (4, "错误：--due-before 的值“2020-13-01”是不存在的日期。请检查月份和日期。")


def test_show_card(cli, seeded):
    cli.ok("progress", "add", "JY-001", "-p", "60", "--date", "2020-09-25", "-u", "市人社局",
           "--note", "已返还稳岗资金2100万元", "--problems", "部分企业未及时申报", "--next", "10月底前全部返还")
    out = cli.ok("task", "show", "jy-001").stdout
    assert out.splitlines()[0] == "JY-001  加大援企稳岗返还力度"
    for expected in ("牵头单位  市人力资源社会保障局", "配合单位  市财政局、市税务局", "责任领导  吴靖平、刘金波",
                     "完成时限  2020-12-31", "目标      返还失业保险费 ≥ 30,000,000元", "时间节点  2020-09-30 → 50%",
                     "当前进度  ############........ 60%", "进展记录", "已返还稳岗资金2100万元", "部分企业未及时申报",
                     "10月底前全部返还", "加快落实失业保险稳岗返还政策"):
        assert expected in out, expected


def test_show_unknown_code_suggests_nearest(cli, seeded):
    result = cli("task", "show", "JY-01")
    assert result.exit_code == 3
    assert result.stderr.strip() == "错误：任务编号“JY-01”不存在。是否要找：JY-001、JY-002？"


def test_edit_records_every_change(cli, seeded):
    result = cli.ok("task", "edit", "JY-002", "-d", "2020-07-31", "-s", "市税务局", "--leader", "刘金波",
                    "--reason", "调度会要求")
    assert result.stderr.splitlines() == [
        "完成时限：2020-06-30 → 2020-07-31", "配合单位：市财政局 → 市税务局", "责任领导：— → 刘金波"]
    card = json.loads(cli.ok("task", "show", "JY-002", "--json").stdout)
    assert (card["deadline"], card["supports"], card["leaders"]) == ("2020-07-31", ["市税务局"], ["刘金波"])
    assert count(seeded, "task_change") == 3
    assert [(c["field"], c["old"], c["new"], c["reason"]) for c in card["changes"]] == [
        ("deadline", "2020-06-30", "2020-07-31", "调度会要求"),
        ("supports", "市财政局", "市税务局", "调度会要求"),
        ("leaders", None, "刘金波", "调度会要求"),
    ]
    shown = cli.ok("task", "show", "JY-002").stdout
    assert "修改记录" in shown and "完成时限  2020-06-30  2020-07-31  调度会要求" in shown
    assert cli.ok("task", "edit", "JY-002", "-d", "2020-07-31").stderr.strip() == "任务 JY-002 没有变化。"


def test_done_needs_a_note_and_locks_the_task(cli, seeded):
    result = cli("task", "done", "JY-002")
    assert result.exit_code == 2  # --note is required
    result = cli("task", "done", "JY-002", "--note", "  ")
    assert (result.exit_code, result.stderr.strip()) == (4, "错误：销号必须说明核实情况：--note \"……\"。")
    assert cli.ok("task", "done", "JY-002", "--note", "经督查室实地核查").stdout.strip() == "任务 JY-002 已销号。"
    card = json.loads(cli.ok("task", "show", "JY-002", "--json").stdout)
    assert (card["status"], card["closed_note"]) == ("closed", "经督查室实地核查")
    before = snapshot(seeded)
    result = cli("task", "edit", "JY-002", "--title", "改名")
    assert result.exit_code == 5
    assert result.stderr.strip() == "错误：任务 JY-002 已销号，不能修改。确需修改请加 --force（改动会记入修改记录）。"
    result = cli("progress", "add", "JY-002", "-p", "100", "--date", "2020-07-01", "-u", "市人社局", "--note", "x")
    assert (result.exit_code, result.stderr.strip()) == (5, "错误：任务 JY-002 已销号，不再填报进展。")
    assert cli("task", "done", "JY-002", "--note", "again").exit_code == 5
    assert snapshot(seeded) == before
    cli.ok("task", "edit", "JY-002", "--title", "改名", "--force")
    assert json.loads(cli.ok("task", "show", "JY-002", "--json").stdout)["title"] == "改名"
