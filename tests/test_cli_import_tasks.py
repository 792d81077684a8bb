"""sixbao import tasks: a 台账 as offices keep it, into the ledger — new tasks added, known ones updated by code.

Every file is written by the test itself (CSV in the encodings Excel and WPS
write, .xlsx through openpyxl, and what ``export tasks`` writes) and imported
by the real CLI into a real ledger, SQLite and PostgreSQL. The bad files are
in test_cli_import_bad_input.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from conftest import count, new_pg_database, snapshot

HEADER = ["任务编号", "任务名称", "类别", "牵头单位", "配合单位", "责任领导", "开始日期", "完成时限", "目标", "时间节点"]


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    """``rows`` as a CSV file in ``encoding``: the bytes Excel or WPS would write."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def card(cli, code: str) -> dict:
    return json.loads(cli.ok("task", "show", code, "--json").stdout)


def fields(c: dict) -> tuple:
    """What a sheet says about a task, as the card holds it."""
    target = c["target"]
    return (c["title"], c["category"], c["leads"], c["supports"], c["leaders"], c["start"], c["deadline"],
            c["deadline_text"], target and (target["metric"], target["comparator"], target["value"], target["unit"]),
            [(m["due"], m["percent"], m["value"]) for m in c["milestones"]])


def codes(cli) -> list[str]:
    return sorted(r["code"] for r in json.loads(cli.ok("task", "list", "--json").stdout))


@pytest.fixture
def other_ledger(request, db_url, tmp_path):
    """A second, empty ledger on the same kind of database (to move a ledger into)."""
    if db_url.startswith("postgresql"):
        return new_pg_database(request.getfixturevalue("pg_server"))
    return str(tmp_path / "other.db")


# --- new tasks ------------------------------------------------------------------------------------


def test_new_tasks_are_added_with_their_units_dates_and_targets(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "台账.csv", [
        HEADER,
        ["", "开展职业技能提升行动", "就业", "市人社局", "市财政局、各地党委、政府", "吴靖平，刘金波", "2020-06-18", "年底前",
         "补贴性职业技能培训>=5000人次", "2020-09-30:40%；2020-11-30:80%"],
        ["MS-001", "落实社会救助兜底保障", "民生", "市财政局", "", "安立佳", "2020-06-01", "2020年9月30日", "", ""],
    ])
    result = cli.ok("import", "tasks", str(sheet))
    assert result.stdout.strip() == f"已导入 {sheet}：新增任务 2 项，更新 0 项，未变 0 项（导入批次 #1）。"
    assert result.stderr == ""
    assert codes(cli) == ["JC-001", "JY-001", "JY-002", "JY-003", "MS-001"]
    assert fields(card(cli, "JY-003")) == (
        "开展职业技能提升行动", "保居民就业", ["市人力资源社会保障局"], ["市财政局", "各地党委、政府"], ["吴靖平", "刘金波"],
        "2020-06-18", "2020-12-31", "年底前", ("补贴性职业技能培训", ">=", 5000.0, "人次"),
        [("2020-09-30", 40.0, None), ("2020-11-30", 80.0, None)])
    ms = card(cli, "MS-001")
    assert fields(ms) == ("落实社会救助兜底保障", "保基本民生", ["市财政局"], [], ["安立佳"], "2020-06-01", "2020-09-30",
                          None, None, [])
    assert (ms["status"], ms["changes"]) == ("not_started", [])
    batch = json.loads(cli.ok("import", "list", "--json").stdout)[0]
    assert (batch["kind"], batch["file"], batch["rows"], batch["unit"], batch["undone_at"]) == (
        "tasks", "台账.csv", 2, None, None)
    assert "任务导入" in cli.ok("import", "list").stdout


@pytest.mark.parametrize(("written", "start", "deadline", "words"), [
    ("年底前", "2020-06-01", "2020-12-31", "年底前"),
    ("6月底前", "2020-06-01", "2020-06-30", "6月底前"),
    ("2020年9月30日", "2020-06-01", "2020-09-30", None),
    ("2020年9月30日前", "2020-06-01", "2020-09-30", "2020年9月30日前"),
    ("三季度末", "2020-06-01", "2020-09-30", "三季度末"),
    ("2021年6月底前", "2020-06-01", "2021-06-30", "2021年6月底前"),
    ("2020/12/31", "2020-06-01", "2020-12-31", None),
    ("长期坚持", "2020-06-01", None, "长期坚持"),
    ("年底前", "2021-03-01", "2021-12-31", "年底前"),  # the year of the row's start
])
def test_deadlines_in_the_words_plans_use(cli, seeded, tmp_path, written, start, deadline, words):
    sheet = write_csv(tmp_path / "时限.csv", [HEADER, ["", "稳定粮食生产", "粮食", "市财政局", "", "", start, written, "", ""]])
    cli.ok("import", "tasks", str(sheet))
    c = card(cli, "LN-001")
    assert (c["start"], c["deadline"], c["deadline_text"]) == (start, deadline, words)


def test_a_deadline_without_a_year_or_start_takes_year_or_this_year(cli, seeded, tmp_path):
    from sixbao_cli.clock import china_today

    rows = [["任务名称", "类别", "牵头单位", "完成时限"], ["稳定粮食生产", "粮食", "市财政局", "年底前"]]
    dry = cli.ok("import", "tasks", str(write_csv(tmp_path / "a.csv", rows)), "--dry-run")
    year = china_today().year
    assert dry.stderr.splitlines() == [
        f"注意：1 行的时限未写年份（如“年底前”），也没有开始日期，按 {year} 年理解；如不对，请加 --year。",
        "注意：1 项新任务没有填写开始日期：以今天为开始日期（完成时限已过的，以其所在年份的 1 月 1 日）。",
    ]
    result = cli.ok("import", "tasks", str(write_csv(tmp_path / "b.csv", rows)), "--year", "2020")
    assert result.stderr.splitlines() == [
        "注意：1 项新任务没有填写开始日期：以今天为开始日期（完成时限已过的，以其所在年份的 1 月 1 日）。"]
    c = card(cli, "LN-001")
    assert (c["start"], c["deadline"], c["deadline_text"]) == ("2020-01-01", "2020-12-31", "年底前")


def test_units_by_alias_and_a_unit_whose_name_is_a_list(cli, seeded, tmp_path):
    cli.ok("unit", "add", "市委、市政府督查室", "-a", "两办督查室")
    sheet = write_csv(tmp_path / "台账.csv", [
        ["任务名称", "类别", "牵头单位", "配合单位"],
        ["开展专项督查", "基层", "市委、市政府督查室", "市人社局；两办督查室"],
        ["落实督查整改", "基层", "两办督查室、市人社局", "市财政局,市税务局"],
    ])
    result = cli("import", "tasks", str(sheet))
    assert (result.exit_code, result.stderr.strip()) == (4, (
        f"错误：{sheet} 第 2 行 D 列：单位“市委、市政府督查室”不能既是牵头单位又是配合单位。本文件未导入任何内容。"))
    write_csv(sheet, [["任务名称", "类别", "牵头单位", "配合单位"],
                      ["开展专项督查", "基层", "市委、市政府督查室", "市人社局"],
                      ["落实督查整改", "基层", "两办督查室、市人社局", "市财政局,市税务局"]])
    cli.ok("import", "tasks", str(sheet))
    first, second = card(cli, "JC-002"), card(cli, "JC-003")
    assert (first["leads"], first["supports"]) == (["市委、市政府督查室"], ["市人力资源社会保障局"])
    assert (second["leads"], second["supports"]) == (["市委、市政府督查室", "市人力资源社会保障局"], ["市财政局", "市税务局"])


def test_unknown_units_are_created_only_when_asked(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "台账.csv", [
        ["任务名称", "类别", "牵头单位", "配合单位"],
        ["推进以工代赈", "就业", "市发展改革委", "市人社局、县（市、区）人民政府"]])
    before = snapshot(seeded)
    refused = cli("import", "tasks", str(sheet))
    assert (refused.exit_code, refused.stderr.strip()) == (3, (
        f"错误：{sheet} 有 2 处问题，本文件未导入任何内容：\n"
        f"  {sheet} 第 2 行 C 列：单位“市发展改革委”不存在。可先执行 sixbao unit add \"市发展改革委\"，或加 --create-units 直接新建。\n"
        f"  {sheet} 第 2 行 D 列：单位“县（市、区）人民政府”不存在。可先执行 sixbao unit add \"县（市、区）人民政府\"，"
        "或加 --create-units 直接新建。"))
    assert snapshot(seeded) == before
    result = cli.ok("import", "tasks", str(sheet), "--create-units")
    assert "注意：新建单位 2 个：市发展改革委、县（市、区）人民政府。" in result.stderr.splitlines()
    c = card(cli, "JY-003")
    assert (c["leads"], c["supports"]) == (["市发展改革委"], ["市人力资源社会保障局", "县（市、区）人民政府"])


# --- updates --------------------------------------------------------------------------------------


def test_a_known_code_updates_its_task_and_the_history_and_reports_see_it(cli, seeded, tmp_path):
    overdue = json.loads(cli.ok("report", "overdue", "--format", "json").stdout)
    assert "JY-002" in [i["code"] for i in overdue["items"]]
    sheet = write_csv(tmp_path / "调整.csv", [
        ["任务编号", "任务名称", "牵头单位", "配合单位", "完成时限", "时间节点", "责任领导"],
        ["jy-002", "拓宽以工代训范围", "市人社局", "无", "2099年6月底前", "", ""],
        ["JY-001", "加大援企稳岗返还力度", "市人社局", "市财政局、市税务局", "2020-12-31", "—", "吴靖平、刘金波"],
        ["JC-001", "", "", "", "", "", ""],
    ])
    result = cli.ok("import", "tasks", str(sheet))
    assert result.stdout.strip() == f"已导入 {sheet}：新增任务 0 项，更新 2 项，未变 1 项（导入批次 #1）。"
    reason = "任务导入批次 #1（调整.csv）"
    changes = [(c["field"], c["old"], c["new"], c["reason"]) for c in card(cli, "JY-002")["changes"]]
    assert changes == [("deadline", "2020-06-30", "2099-06-30", reason), ("supports", "市财政局", None, reason),
                       ("deadline_text", None, "2099年6月底前", reason)]
    jy1 = card(cli, "JY-001")
    assert [(c["field"], c["old"], c["new"]) for c in jy1["changes"]] == [("milestones", "2020-09-30:50%", None)]
    assert (jy1["milestones"], jy1["target"]["value"], jy1["body"]) == (
        [], 30000000.0, "加快落实失业保险稳岗返还政策，支持参保企业不裁员、少裁员。")  # blank cells and columns: kept
    shown = cli.ok("task", "show", "JY-002").stdout
    assert re.search(r"\n\S+ \S+  完成时限 +2020-06-30 +2099-06-30 +任务导入批次 #1（调整.csv）\n", shown), shown
    overdue = json.loads(cli.ok("report", "overdue", "--format", "json").stdout)
    assert "JY-002" not in [i["code"] for i in overdue["items"]]


def test_a_sheet_handing_a_task_to_another_unit_leaves_earlier_reports_as_they_were(cli, seeded, tmp_path):
    from sqlalchemy import create_engine, update

    from sixbao_cli import tables as T
    from sixbao_cli.settings import resolve_db_url

    engine = create_engine(resolve_db_url(seeded))
    with engine.begin() as conn:  # entered in June 2020, so that a report for July has them
        conn.execute(update(T.task).values(created_at=datetime.fromisoformat("2020-06-01T01:00:00+00:00")))
    engine.dispose()
    past = ("report", "weekly", "--as-of", "2020-07-31", "--format", "json")
    before = json.loads(cli.ok(*past).stdout)
    sheet = write_csv(tmp_path / "调整.csv", [
        ["任务编号", "任务名称", "牵头单位", "配合单位", "责任领导"],
        ["JC-001", "保障基层运转资金", "市税务局", "无", "李四"],
    ])
    cli.ok("import", "tasks", str(sheet))
    assert (card(cli, "JC-001")["leads"], card(cli, "JC-001")["supports"]) == (["市税务局"], [])
    assert json.loads(cli.ok(*past).stdout) == before
    jc = next(i for i in before["items"] if i["code"] == "JC-001")
    assert (jc["lead_units"], jc["support_units"], jc["leaders"]) == (["市财政局"], ["各地党委、政府"], ["安立佳"])
    today = json.loads(cli.ok("report", "weekly", "--format", "json").stdout)
    jc = next(i for i in today["items"] if i["code"] == "JC-001")
    assert (jc["lead_units"], jc["support_units"], jc["leaders"]) == (["市税务局"], [], ["李四"])


def test_rows_without_a_code_find_their_task_by_title(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "台账.csv", [
        ["任务名称", "类别", "牵头单位", "完成时限"],
        ["拓宽以工代训范围", "", "", "2020-07-31"],
        ["保障基层运转资金", "", "", ""],
    ])
    result = cli.ok("import", "tasks", str(sheet))
    assert result.stdout.strip() == f"已导入 {sheet}：新增任务 0 项，更新 1 项，未变 1 项（导入批次 #1）。"
    assert result.stderr.strip() == "注意：2 行没有任务编号，按任务名称对应到台账中的任务：JY-002、JC-001。"
    assert card(cli, "JY-002")["deadline"] == "2020-07-31" and codes(cli) == ["JC-001", "JY-001", "JY-002"]


def test_a_status_in_the_sheet_sets_new_tasks_and_leaves_known_ones(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "台账.csv", [
        ["任务编号", "任务名称", "类别", "牵头单位", "开始日期", "完成时限", "状态"],
        ["JY-001", "加大援企稳岗返还力度", "就业", "市人社局", "2020-06-18", "2020-12-31", "已完成"],
        ["QT-001", "做好宣传解读", "其他", "市财政局", "2020-06-01", "2020-06-30", "已销号"],
        ["QT-002", "开展督导检查", "其他", "市财政局", "2020-06-01", "2020-12-31", "暂缓"],
    ])
    result = cli.ok("import", "tasks", str(sheet))
    assert result.stderr.strip() == (
        "注意：1 项已有任务在表中的状态与台账不同（JY-001），未按表修改：状态随进展报送而变，销号用 sixbao task done，"
        "暂缓用 sixbao task edit --status。")
    assert card(cli, "JY-001")["status"] == "not_started"
    closed = card(cli, "QT-001")
    assert (closed["status"], closed["closed_note"]) == (
        "closed", "按导入的台账（台账.csv 第 3 行）登记为已销号；核实情况未随表提供。")
    assert [(c["field"], c["old"], c["new"]) for c in closed["changes"]] == [("status", "not_started", "closed")]
    assert card(cli, "QT-002")["status"] == "suspended"
    again = write_csv(tmp_path / "改.csv", [["任务编号", "任务名称", "完成时限"], ["QT-001", "做好宣传解读", "2020-07-31"]])
    refused = cli("import", "tasks", str(again))
    assert (refused.exit_code, refused.stderr.strip()) == (5, (
        f"错误：{again} 第 2 行：任务 QT-001 已销号，本行对它的修改（完成时限）不能导入。确需修改请用 sixbao task edit QT-001 --force，"
        "或在表中恢复台账中的原值。本文件未导入任何内容。"))


def test_a_tasks_batch_is_not_undone(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "台账.csv", [["任务名称", "类别", "牵头单位"], ["做好宣传解读", "其他", "市财政局"]])
    cli.ok("import", "tasks", str(sheet))
    before = snapshot(seeded)
    result = cli("import", "undo", "1")
    assert (result.exit_code, result.stderr.strip()) == (5, (
        "错误：批次 #1 是任务导入，不是进展导入，不能撤销。任务导入的每项改动都已记入各任务的修改记录（sixbao task show），"
        "如需改回，请用 sixbao task edit，或导入改正后的台账。"))
    assert snapshot(seeded) == before


def test_parents_link_sub_tasks_in_the_file_or_the_ledger(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "台账.csv", [
        ["任务编号", "上级任务", "任务名称", "类别", "牵头单位"],
        ["JY-003.1", "JY-003", "细化补贴标准", "就业", "市财政局"],
        ["JY-003", "", "落实技能补贴", "就业", "市人社局"],
        ["JY-002", "JY-001", "", "", ""],
    ])
    cli.ok("import", "tasks", str(sheet))
    assert (card(cli, "JY-003.1")["parent"], card(cli, "JY-002")["parent"]) == ("JY-003", "JY-001")
    loop = write_csv(tmp_path / "环.csv", [["任务编号", "上级任务", "任务名称"], ["JY-001", "JY-002", ""]])
    result = cli("import", "tasks", str(loop))
    assert (result.exit_code, result.stderr.strip()) == (4, (
        f"错误：{loop} 第 2 行 B 列：任务 JY-001 不能以 JY-002 为上级任务：JY-002 就是 JY-001 本身或其下级任务。本文件未导入任何内容。"))


# --- files as they come ------------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","), ("gbk", ";"), ("utf-8-sig", "\t"), ("utf-16", "\t")])
def test_encodings_and_delimiters(cli, seeded, tmp_path, encoding, delimiter):
    sheet = write_csv(tmp_path / "台账.csv", [HEADER, ["", "稳定生猪生产", "粮食", "市财政局", "", "", "2020-06-01",
                                                     "6月底前", "", ""]], encoding=encoding, delimiter=delimiter)
    out = json.loads(cli.ok("import", "tasks", str(sheet), "--json").stdout)[0]
    assert (out["outcome"], out["format"]["delimiter"], out["counts"]["new"]) == ("imported", delimiter, 1)
    assert card(cli, "LN-001")["title"] == "稳定生猪生产"


def test_an_office_sheet_with_titles_headings_merged_cells_and_a_footer(cli, seeded, tmp_path):
    # GB18030, a title and a note above the header, columns in another order under other names, a heading row
    # that is the category of the rows below it (merged across the table), a merged 类别 cell (blank below its
    # first row), an extra column, blank rows, and 合计 and 填表说明 rows closing the table.
    rows = [
        ["赣州市落实“六保”任务工作台账", "", "", "", "", "", ""],
        ["填报单位：市政府督查室", "", "", "", "", "", ""],
        ["序号", "工作任务", "责任单位", "协办单位", "分管领导", "截止时间", "备注"],
        ["一、保居民就业", "", "", "", "", "", ""],
        ["1", "稳定重点群体就业", "市人社局", "", "吴靖平", "2020年9月30日前", "重点"],
        [],
        ["2", "支持灵活就业", "市人社局", "市财政局", "", "年底前", ""],
        ["二、保基本民生", "", "", "", "", "", ""],
        ["3", "保障困难群众基本生活", "市财政局", "", "", "2020-12-31", ""],
        ["合计", "3项", "", "", "", "", ""],
        ["填表说明：时限写到日。", "", "", "", "", "", ""],
    ]
    sheet = write_csv(tmp_path / "台账.csv", rows, encoding="gb18030")
    result = cli.ok("import", "tasks", str(sheet), "--year", "2020")
    assert result.stdout.strip() == f"已导入 {sheet}：新增任务 3 项，更新 0 项，未变 0 项（导入批次 #1）。"
    assert result.stderr.splitlines() == [
        "注意：未识别的列已忽略：备注。",
        "注意：2 行标题行（如“一、保居民就业”）已略过。",
        "注意：表尾 2 行（合计、备注、填表说明等）已略过。",
        "注意：3 行没有填写类别，沿用上方的类别（合并单元格或分类标题行）。",
        "注意：3 项新任务没有填写开始日期：以今天为开始日期（完成时限已过的，以其所在年份的 1 月 1 日）。",
    ]
    got = [(c["code"], c["number"], c["title"], c["category"], c["leads"], c["deadline"])
           for c in (card(cli, code) for code in ("JY-003", "JY-004", "MS-001"))]
    assert got == [
        ("JY-003", "1", "稳定重点群体就业", "保居民就业", ["市人力资源社会保障局"], "2020-09-30"),
        ("JY-004", "2", "支持灵活就业", "保居民就业", ["市人力资源社会保障局"], "2020-12-31"),
        ("MS-001", "3", "保障困难群众基本生活", "保基本民生", ["市财政局"], "2020-12-31"),
    ]


def test_english_headers_and_a_json_file(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "tasks.csv", [
        ["Code", "Title", "Category", "Lead units", "Support units", "Start", "Deadline", "Target"],
        ["", "Keep supply chains stable", "chains", "市财政局", "", "2020-06-01", "2020-12-31", "重点企业复工率>=95%"],
    ])
    cli.ok("import", "tasks", str(sheet))
    assert fields(card(cli, "CL-001"))[:2] == ("Keep supply chains stable", "保产业链供应链稳定")
    data = tmp_path / "tasks.json"
    data.write_text(json.dumps([{"code": "CL-001", "title": "Keep supply chains stable", "deadline": "2021-06-30",
                                 "lead_units": ["市财政局"]}], ensure_ascii=False), encoding="utf-8")
    result = cli.ok("import", "tasks", str(data))
    assert result.stdout.strip() == f"已导入 {data}：新增任务 0 项，更新 1 项，未变 0 项（导入批次 #2）。"
    assert card(cli, "CL-001")["deadline"] == "2021-06-30"


def test_xlsx_with_date_cells_numbers_and_formula_like_text(cli, seeded, tmp_path):
    sheet = write_xlsx(tmp_path / "台账.xlsx", [
        ["某县“六保”工作台账"],
        ["任务编号", "序号", "任务名称", "类别", "牵头单位", "开始日期", "完成时限", "目标"],
        [None, 1, '=HYPERLINK("http://example.com","专项行动")', "市场主体", "市财政局", datetime(2020, 6, 1),
         datetime(2020, 12, 31), "减免租金>=1.5亿元"],
        [None, 2, "-清理拖欠账款", None, "市财政局", 43983, "年底前", None],  # 类别 merged with the cell above
    ])
    cli.ok("import", "tasks", str(sheet))
    first, second = card(cli, "SC-001"), card(cli, "SC-002")
    assert (first["title"], first["number"], first["start"], first["deadline"], first["target"]["value"]) == (
        '=HYPERLINK("http://example.com","专项行动")', "1", "2020-06-01", "2020-12-31", 150000000.0)
    assert (second["title"], second["start"], second["deadline"]) == ("-清理拖欠账款", "2020-06-01", "2020-12-31")


# --- dry runs, the same file again, and the round trip -------------------------------------------------


def test_dry_run_shows_what_would_be_written_and_writes_nothing(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "台账.csv", [
        ["任务编号", "任务名称", "类别", "牵头单位", "完成时限"],
        ["JY-002", "拓宽以工代训范围", "就业", "市人社局", "2020-07-31"],
        ["", "稳定生猪生产", "粮食", "市财政局", "2020-12-31"],
    ])
    before = snapshot(seeded)
    result = cli.ok("import", "tasks", str(sheet), "--dry-run", "--year", "2020")
    assert result.stdout.splitlines() == [
        f"预览（未写入）：{sheet} 将新增任务 1 项，更新 1 项，未变 0 项。",
        "行  任务编号  处理  任务名称          内容",
        "2   JY-002    更新  拓宽以工代训范围  完成时限：2020-06-30 → 2020-07-31",
        "3   LN-001    新增  稳定生猪生产      类别：保粮食能源安全；开始日期：2020-01-01；完成时限：2020-12-31；牵头单位：市财政局",
    ]
    assert snapshot(seeded) == before
    out = json.loads(cli.ok("import", "tasks", str(sheet), "--dry-run", "--json").stdout)[0]
    assert (out["dry_run"], out["batch"], out["counts"]) == (True, None, {
        "rows": 2, "new": 1, "updated": 1, "unchanged": 0, "units_created": 0, "documents_created": 0})
    assert out["tasks"][0] == {"row": 2, "code": "JY-002", "outcome": "updated", "title": "拓宽以工代训范围",
                               "changes": [{"field": "deadline", "old": "2020-06-30", "new": "2020-07-31"}]}
    assert snapshot(seeded) == before


def test_the_same_tasks_again_change_nothing_and_say_so(cli, seeded, tmp_path):
    rows = [HEADER, ["", "稳定生猪生产", "粮食", "市财政局", "", "", "2020-06-01", "年底前", "", ""]]
    sheet = write_csv(tmp_path / "台账.csv", rows)
    cli.ok("import", "tasks", str(sheet))
    before = snapshot(seeded)
    again = cli.ok("import", "tasks", str(sheet))
    assert again.stdout.strip().startswith(f"{sheet} 已于 ") and again.stdout.strip().endswith(
        "导入（导入批次 #1），内容相同，本次未导入任何内容。")
    resaved = write_csv(tmp_path / "另存.csv", [*rows, ["", "", "", "", "", "", "", "", "", ""]], encoding="gb18030")
    result = cli.ok("import", "tasks", str(resaved))
    assert result.stdout.strip() == f"{resaved} 中的 1 项任务与台账一致，台账未改动。"
    assert snapshot(seeded) == before


def test_a_deadline_edited_in_an_export_takes_its_words_with_it(cli, seeded, tmp_path):
    """An export has 完成时限 (a date) and 时限原文 (the words it was read from) side by side; an officer edits the
    first. The new deadline wins: words typed in 完成时限 become the 时限原文, a plain date drops the old words."""
    from openpyxl import load_workbook

    write = write_csv(tmp_path / "原.csv", [["任务编号", "任务名称", "完成时限"], ["JY-002", "拓宽以工代训范围", "6月底前"]])
    cli.ok("import", "tasks", str(write))
    assert (card(cli, "JY-002")["deadline"], card(cli, "JY-002")["deadline_text"]) == ("2020-06-30", "6月底前")

    def edited(name: str, deadline: object, words: object = None) -> Path:
        out = tmp_path / f"{name}.xlsx"
        cli.ok("export", "tasks", "-o", str(out))
        book = load_workbook(out)
        sheet = book.active
        heads = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[heads.index("任务编号")].value == "JY-002":
                row[heads.index("完成时限")].value = deadline
                if words is not None:
                    row[heads.index("时限原文")].value = words
        book.save(out)
        return out

    cli.ok("import", "tasks", str(edited("词", "2020年11月底前")))
    jy2 = card(cli, "JY-002")
    assert (jy2["deadline"], jy2["deadline_text"]) == ("2020-11-30", "2020年11月底前")
    assert [(c["field"], c["old"], c["new"]) for c in jy2["changes"][-2:]] == [
        ("deadline", "2020-06-30", "2020-11-30"), ("deadline_text", "6月底前", "2020年11月底前")]
    cli.ok("import", "tasks", str(edited("日期", "2020-12-15")))
    assert (card(cli, "JY-002")["deadline"], card(cli, "JY-002")["deadline_text"]) == ("2020-12-15", None)
    cli.ok("import", "tasks", str(edited("同日另说", "四季度末")))  # the same day in other words: the words change
    assert (card(cli, "JY-002")["deadline"], card(cli, "JY-002")["deadline_text"]) == ("2020-12-31", "四季度末")
    cli.ok("import", "tasks", str(edited("清空", "—")))
    assert (card(cli, "JY-002")["deadline"], card(cli, "JY-002")["deadline_text"]) == (None, None)
    # both columns changed, and agree: as the sheet says
    cli.ok("import", "tasks", str(edited("两列", "2020-10-31", "10月底前")))
    assert (card(cli, "JY-002")["deadline"], card(cli, "JY-002")["deadline_text"]) == ("2020-10-31", "10月底前")
    # the words alone changed: the deadline stays, the words are the sheet's
    cli.ok("import", "tasks", str(edited("原文", None, "10月31日前")))
    assert (card(cli, "JY-002")["deadline"], card(cli, "JY-002")["deadline_text"]) == ("2020-10-31", "10月31日前")
    # an export unedited changes nothing
    out = tmp_path / "未改.csv"
    cli.ok("export", "tasks", "-o", str(out), "--encoding", "gb18030")
    assert "与台账一致，台账未改动" in cli.ok("import", "tasks", str(out)).stdout


def test_the_same_bytes_read_with_another_year_or_encoding_are_read_again(cli, seeded, tmp_path):
    """--year (and the encoding) decide what a sheet says: the same file read otherwise is no "already imported";
    the same file read as its last batch read it is."""
    sheet = write_csv(tmp_path / "县台账.csv", [
        ["任务名称", "类别", "牵头单位", "开始日期", "完成时限"],
        ["稳定生猪生产", "粮食", "市财政局", "2020-06-01", "年底前"],
    ], encoding="gb18030")

    def run(*options: str) -> tuple[str, str | None]:
        out = json.loads(cli.ok("import", "tasks", str(sheet), *options, "--json").stdout)[0]
        return out["outcome"], card(cli, "LN-001")["deadline"]

    assert run() == ("imported", "2020-12-31")  # the year of the 开始日期
    assert run() == ("already_imported", "2020-12-31")
    assert run("--year", "2021") == ("imported", "2021-12-31")
    before = snapshot(seeded)
    assert run("--year", "2021") == ("already_imported", "2021-12-31")
    assert run("--encoding", "gb18030", "--year", "2021") == ("already_imported", "2021-12-31")  # as detected
    assert snapshot(seeded) == before
    assert run() == ("imported", "2020-12-31")  # back to what the file says without --year: the last reading wins
    assert run("--encoding", "gbk") == ("unchanged", "2020-12-31")  # read again, and found to say the same
    assert cli.ok("import", "tasks", str(sheet), "--encoding", "gbk").stdout.strip() == (
        f"{sheet} 中的 1 项任务与台账一致，台账未改动。")
    assert [(b["id"], b["kind"]) for b in json.loads(cli.ok("import", "list", "--json").stdout)] == [
        (3, "tasks"), (2, "tasks"), (1, "tasks")]


def test_a_batch_from_before_options_were_recorded_counts_as_read_with_the_defaults(cli, seeded, tmp_path):
    """Revision 0006 adds the options; a ledger's older batches have none."""
    from sixbao_cli import schema
    from sixbao_cli.settings import resolve_db_url

    sheet = write_csv(tmp_path / "台账.csv", [
        ["任务名称", "类别", "牵头单位", "开始日期", "完成时限"], ["稳定生猪生产", "粮食", "市财政局", "2020-06-01", "年底前"]])
    cli.ok("import", "tasks", str(sheet))
    ledger = schema.open_ledger(resolve_db_url(seeded))
    try:
        schema.downgrade_ledger(ledger, "0005_roles_as_of")  # the batch as an older version recorded it
    finally:
        ledger.close()
    before = {k: v for k, v in snapshot(seeded).items() if k != "alembic_version"}
    out = json.loads(cli.ok("import", "tasks", str(sheet), "--json").stdout)[0]  # upgrades the ledger first
    assert (out["outcome"], out["previous_batch"]) == ("already_imported", 1)
    after = snapshot(seeded)
    assert after["import_batch"][0]["read_options"] is None
    assert {k: [{c: r[c] for c in rows[0]} for r in after[k]] if rows else after[k] for k, rows in before.items()} \
        == before
    out = json.loads(cli.ok("import", "tasks", str(sheet), "--year", "2021", "--json").stdout)[0]
    assert (out["outcome"], card(cli, "LN-001")["deadline"]) == ("imported", "2021-12-31")


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_an_export_goes_back_in_as_it_came_out(cli, seeded, other_ledger, tmp_path, suffix):
    # a ledger with what a sheet can say: plans' documents, sub-tasks, a group unit, formula-like text, every status
    cli.ok("task", "add", '=HYPERLINK("http://x","宣传")', "-c", "其他", "-l", "市财政局", "--start", "2020-06-01",
           "--target", "覆盖率（城乡）>=95%", "--code", "QT-007")
    cli.ok("task", "add", "细化返还标准", "-c", "就业", "-l", "市人社局", "--parent", "JY-001", "--code", "JY-001.1",
           "--start", "2020-06-18", "-d", "2020-09-30")
    cli.ok("progress", "add", "JY-002", "-p", "100", "--date", "2020-06-29", "-u", "市人社局", "--note", "完成")
    cli.ok("task", "done", "JY-002", "--note", "已核实")
    cli.ok("task", "edit", "JC-001", "--status", "暂缓")
    cli.ok("import-doc", str(Path(__file__).parent / "fixtures" / "plans" / "deadlines_2020.txt"))
    first = tmp_path / f"first.{suffix}"
    cli.ok("export", "tasks", "-o", str(first))
    before = snapshot(seeded)
    same = cli.ok("import", "tasks", str(first))
    assert same.stdout.strip() == f"{first} 中的 {len(codes(cli))} 项任务与台账一致，台账未改动。"
    assert snapshot(seeded) == before
    moved = cli.ok("--db", other_ledger, "import", "tasks", str(first), "--create-units")
    assert "新增任务" in moved.stdout
    second = tmp_path / f"second.{suffix}"
    cli.ok("--db", other_ledger, "export", "tasks", "-o", str(second))
    if suffix == "xlsx":
        from openpyxl import load_workbook

        def values(path):
            return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]

        assert values(second) == values(first)
    else:
        assert second.read_bytes() == first.read_bytes()


def test_the_demo_ledger_moves_whole(cli, db_url, other_ledger, tmp_path):
    cli.ok("demo")
    out = tmp_path / "demo.csv"
    cli.ok("export", "tasks", "-o", str(out))
    cli.ok("--db", other_ledger, "import", "tasks", str(out), "--create-units")
    again = tmp_path / "again.csv"
    cli.ok("--db", other_ledger, "export", "tasks", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()
    assert count(other_ledger, "task") == 348


def test_json_contract_and_english(cli, seeded, tmp_path, monkeypatch):
    sheet = write_csv(tmp_path / "台账.csv", [["任务名称", "类别", "牵头单位", "完成时限"],
                                             ["稳定生猪生产", "粮食", "市财政局", "2020-12-31"]])
    out = json.loads(cli.ok("import", "tasks", str(sheet), "--json", "--year", "2020").stdout)
    assert list(out[0]) == ["file", "checksum", "outcome", "dry_run", "batch", "previous_batch", "format", "counts",
                            "ignored_columns", "notices", "tasks"]
    assert out[0]["tasks"][0]["changes"] == [
        {"field": "title", "old": None, "new": "稳定生猪生产"}, {"field": "category", "old": None, "new": "保粮食能源安全"},
        {"field": "start", "old": None, "new": "2020-01-01"}, {"field": "deadline", "old": None, "new": "2020-12-31"},
        {"field": "leads", "old": None, "new": "市财政局"}]
    monkeypatch.setenv("SIXBAO_LANG", "en")
    bad = write_csv(tmp_path / "bad.csv", [["任务名称", "类别", "牵头单位"], ["x", "外贸", "市财政局"]])
    result = cli("import", "tasks", str(bad))
    assert result.stderr.strip() == (
        f"Error: {bad}, row 2, column B: 类别: '外贸' is not a category. Use one of: 保居民就业（JY）、保基本民生（MS）、"
        "保市场主体（SC）、保粮食能源安全（LN）、保产业链供应链稳定（CL）、保基层运转（JC）、其他（QT）, a short form such as "
        "就业 or jobs, or a category the ledger already has. Nothing from the file was imported.")


def test_statements_do_not_grow_with_the_rows(cli, seeded, tmp_path):
    """Set-based: 600 tasks take the statements 6 take, added or updated (no query per row)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def statements(first: int, n: int, deadline: str) -> int:
        rows = [["任务编号", "任务名称", "类别", "牵头单位", "配合单位", "责任领导", "开始日期", "完成时限", "时间节点"]]
        rows += [[f"JY-{i:03d}", f"任务{i}", "就业", "市人社局", "市财政局", "吴靖平", "2020-06-01", deadline,
                  "2020-09-30:50%"] for i in range(first, first + n)]
        sheet = write_csv(tmp_path / f"{first}-{deadline}.csv", rows)
        seen = []

        def count_it(*args):
            seen.append(1)

        event.listen(Engine, "before_cursor_execute", count_it)
        try:
            cli.ok("import", "tasks", str(sheet))
        finally:
            event.remove(Engine, "before_cursor_execute", count_it)
        return len(seen)

    few, many = statements(100, 6, "年底前"), statements(200, 600, "年底前")
    assert many <= few + 2, (few, many)
    few, many = statements(100, 6, "11月底前"), statements(200, 600, "11月底前")
    assert many <= few + 2, (few, many)
    assert len(codes(cli)) == 3 + 606 and card(cli, "JY-799")["deadline"] == "2020-11-30"


def test_simultaneous_imports_number_tasks_once(cli, seeded, tmp_path):
    """Real processes at once: the same file lands once, and codes made for different files never clash."""
    env = {**os.environ, "SIXBAO_DB": seeded}

    def sheet(name: str, n: int) -> Path:
        return write_csv(tmp_path / name, [["任务名称", "类别", "牵头单位", "开始日期", "完成时限"]]
                         + [[f"{name}任务{i}", "就业", "市人社局", "2020-06-01", "年底前"] for i in range(n)])

    files = [sheet("甲.csv", 400), sheet("甲.csv", 400), sheet("乙.csv", 400), sheet("丙.csv", 400)]
    procs = [subprocess.Popen([sys.executable, "-m", "sixbao_cli", "import", "tasks", str(f)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    assert [code for code, _, _ in results] == [0] * 4, results
    assert sorted("已导入" in out for _, out, _ in results) == [False, True, True, True]
    assert count(seeded, "task") == 3 + 1200 and count(seeded, "import_batch") == 3
    assert set(codes(cli)) == {"JC-001", *(f"JY-{i:03d}" for i in range(1, 1203))}


def test_a_filled_progress_template_brought_to_import_tasks_is_refused(cli, seeded, tmp_path):
    # Read as a 台账 it would set JY-002's deadline back to the 完成时限 the template printed.
    cli.ok("task", "edit", "JY-002", "-d", "2020-07-31", "--reason", "延期")
    sheet = tmp_path / "市人社局-9月下旬.csv"
    cli.ok("template", "progress", "-u", "市人社局", "--as-of", "2020-06-25", "-o", str(sheet))
    before = snapshot(seeded)
    result = cli("import", "tasks", str(sheet))
    assert result.exit_code == 4
    assert result.stderr.strip() == (f"错误：{sheet} 是进展填报表（有“填报日期”和“完成进度”或“完成数值”列，没有“牵头单位”列），"
                                     "不是任务台账。请用 sixbao import progress 导入；本文件未导入任何内容。")
    assert snapshot(seeded) == before
