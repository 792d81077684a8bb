"""sixbao import progress: departments' sheets as they really come, checked whole, written once.

Every file here is written by the test itself — CSV in real encodings
(UTF-8, with BOM, GB18030, UTF-16), .xlsx through openpyxl — and imported by
the real CLI into a real ledger (SQLite and PostgreSQL).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from conftest import count, snapshot

AS_OF = ("--as-of", "2020-10-31")
HEADER = ["任务编号", "任务名称", "填报日期", "完成进度(%)", "完成数值", "进展情况", "存在问题", "下步计划", "填报人"]


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    """``rows`` as a CSV file in ``encoding`` (Python's codecs: the bytes Excel or WPS would write)."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, formats: dict[tuple[int, int], str] | None = None) -> Path:
    """``rows`` as a workbook; ``formats`` gives (row, column) 1-based cells a number format (e.g. '0%')."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (r, c), fmt in (formats or {}).items():
        sheet.cell(row=r, column=c).number_format = fmt
    book.save(path)
    return path


def entries(cli) -> list[dict]:
    """Every progress entry, oldest id first."""
    return sorted(json.loads(cli.ok("progress", "list", "--json").stdout), key=lambda e: e["id"])


def imported(result) -> dict:
    """The one file's object of ``import progress --json``."""
    out = json.loads(result.stdout)
    assert len(out) == 1
    return out[0]


# --- the happy paths ------------------------------------------------------------------------------


def test_a_plain_sheet_imports_and_says_so(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "人社局.csv", [
        HEADER,
        ["JY-001", "加大援企稳岗返还力度", "2020-09-25", "60", "", "已返还2100万元", "部分企业未申报", "10月底前完成", "王五"],
        ["JY-002", "拓宽以工代训范围", "2020-06-29", "100%", "", "已完成", "", "", "王五"],
    ])
    result = cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    assert result.stdout.strip() == f"已导入 {sheet}：新增 2 条，取代原记录 0 条，已在台账中 0 条（导入批次 #1）。"
    assert result.stderr.strip() == "注意：2 项任务的状态随之更新（见 sixbao task show 的修改记录）。"
    got = entries(cli)
    assert [(e["task"], e["unit"], e["date"], e["percent"], e["note"], e["problems"], e["next_steps"], e["reporter"],
             e["source"], e["batch_id"]) for e in got] == [
        ("JY-001", "市人力资源社会保障局", "2020-09-25", 60.0, "已返还2100万元", "部分企业未申报", "10月底前完成", "王五", "import", 1),
        ("JY-002", "市人力资源社会保障局", "2020-06-29", 100.0, "已完成", None, None, "王五", "import", 1),
    ]
    statuses = {r["code"]: r["status"] for r in json.loads(cli.ok("task", "list", "--json").stdout)}
    assert statuses == {"JY-001": "in_progress", "JY-002": "completed", "JC-001": "not_started"}
    card = json.loads(cli.ok("task", "show", "JY-002", "--json").stdout)
    assert [(c["field"], c["new"], c["reason"]) for c in card["changes"]] == [("status", "completed", "导入批次 #1")]


def test_a_messy_sheet_as_departments_send_them(cli, seeded, tmp_path):
    # GB18030 (Excel's "CSV" on Chinese Windows), semicolons, a title and a note above the header, columns in
    # another order under other names, an extra column, blank rows, every date form, full-width digits, a
    # 填报单位 column naming the unit by its alias, and a 合计 row and notes below the table.
    rows = [
        ["市人社局“六保”任务进展情况填报表", "", "", "", "", ""],
        ["填报时间：2020年9月", "", "", "", "", ""],
        [],
        ["序号", "日期", "编号", "单位", "进度", "工作进展", "审核意见", "下一步计划"],
        ["1", "2020/9/25", "jy-001", "市人社局", "６０％", "已返还2100万元", "同意", "继续"],
        ["", "", "", "", "", "", "", ""],
        ["2", "2020.6.29", "JY-002", "市人社局", "１００", "已完成", "", ""],
        ["3", "2020年9月30日", "JC-001", "市财政局", "45", "资金已下达", "", ""],
        ["合计", "", "", "", "", "", "", ""],
        ["填表说明：进度填0-100的百分数。", "", "", "", "", "", "", ""],
    ]
    sheet = write_csv(tmp_path / "汇总.csv", rows, encoding="gb18030", delimiter=";")
    result = cli.ok("import", "progress", str(sheet), *AS_OF)
    assert result.stdout.strip() == f"已导入 {sheet}：新增 3 条，取代原记录 0 条，已在台账中 0 条（导入批次 #1）。"
    assert result.stderr.splitlines() == [
        "注意：未识别的列已忽略：审核意见。",
        "注意：表尾 2 行（合计、备注、填表说明等）已略过。",
        "注意：3 项任务的状态随之更新（见 sixbao task show 的修改记录）。",
    ]
    assert [(e["task"], e["unit"], e["date"], e["percent"], e["note"], e["next_steps"]) for e in entries(cli)] == [
        ("JY-001", "市人力资源社会保障局", "2020-09-25", 60.0, "已返还2100万元", "继续"),
        ("JY-002", "市人力资源社会保障局", "2020-06-29", 100.0, "已完成", None),
        ("JC-001", "市财政局", "2020-09-30", 45.0, "资金已下达", None),
    ]
    batch = json.loads(cli.ok("import", "list", "--json").stdout)[0]
    assert (batch["file"], batch["unit"], batch["rows"], batch["kind"]) == ("汇总.csv", None, 3, "progress")


@pytest.mark.parametrize(("encoding", "delimiter", "expected"), [
    ("utf-8", ",", ("utf-8-sig", ",")),
    ("utf-8-sig", ",", ("utf-8-sig", ",")),
    ("gb18030", ",", ("gb18030", ",")),
    ("gbk", ";", ("gb18030", ";")),
    ("utf-16", "\t", ("utf-16", "\t")),  # Excel's "Unicode text"
    ("utf-8-sig", "\t", ("utf-8-sig", "\t")),
])
def test_encodings_and_delimiters_are_told_apart(cli, seeded, tmp_path, encoding, delimiter, expected):
    sheet = write_csv(tmp_path / "进展.csv", [
        ["任务名称", "填报单位", "填报日期", "完成进度", "进展情况"],
        ["加大援企稳岗返还力度", "市人力资源社会保障局", "2020-09-25", "60", "已返还，共2100万元；尚余900万元"],
    ], encoding=encoding, delimiter=delimiter)
    out = imported(cli.ok("import", "progress", str(sheet), *AS_OF, "--json"))
    assert (out["format"]["encoding"], out["format"]["delimiter"], out["counts"]["new"]) == (*expected, 1)
    assert entries(cli)[0]["note"] == "已返还，共2100万元；尚余900万元"


def test_english_headers_and_a_unit_given_on_the_command_line(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "hrss.csv", [
        ["Task code", "Date", "Percent complete (%)", "Value", "Note", "Problems", "Next steps", "Reporter"],
        ["JY-001", "2020-09-25", "", "2400万", "refunded", "", "", "Wang"],
    ])
    cli.ok("import", "progress", str(sheet), "--unit", "市人社局", *AS_OF)
    e = entries(cli)[0]
    assert (e["task"], e["unit"], e["percent"], e["value"], e["note"], e["reporter"]) == (
        "JY-001", "市人力资源社会保障局", None, 24_000_000.0, "refunded", "Wang")
    assert {r["code"]: r["percent"] for r in json.loads(cli.ok("task", "list", "--json").stdout)}["JY-001"] == 80.0


def test_tasks_named_by_title_when_the_code_is_missing(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "财政局.csv", [
        ["序号", "任务名称", "填报日期", "完成进度"],
        ["1", "保障基层运转资金", "2020-09-25", "30"],
        ["2", "拓宽以工代训范围", "2020-06-29", "80"],  # 市财政局 supports it
    ])
    cli.ok("import", "progress", str(sheet), "-u", "市财政局", *AS_OF)
    assert [(e["task"], e["percent"]) for e in entries(cli)] == [("JC-001", 30.0), ("JY-002", 80.0)]


def test_a_column_of_fractions_is_read_as_percents_and_said_so(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "比例.csv", [
        ["任务编号", "填报日期", "完成比例"],
        ["JY-001", "2020-09-25", "0.6"],
        ["JY-002", "2020-06-29", "1"],
        ["JC-001", "2020-09-25", "0.58"],
    ])
    result = cli.ok("import", "progress", str(sheet), "-u", "市财政局", *AS_OF)
    assert "注意：“完成比例”列的数都在 0 到 1 之间，按比例读取（0.6 即 60%）。" in result.stderr.splitlines()
    assert [(e["task"], e["percent"]) for e in entries(cli)] == [("JY-001", 60.0), ("JY-002", 100.0), ("JC-001", 58.0)]


def test_xlsx_dates_serial_numbers_percent_cells_and_formulas(cli, seeded, tmp_path):
    sheet = write_xlsx(tmp_path / "人社局.xlsx", [
        ["市人社局“六保”任务进展情况填报表"],
        ["任务编号", "填报日期", "完成进度(%)", "完成数值", "进展情况", "存在问题"],
        ["JY-001", datetime(2020, 9, 25), 0.6, None, '=HYPERLINK("http://example.com","详见")', "-"],
        ["JY-002", 44011, 100, None, "已完成", "@张三"],  # 44011 is Excel's serial number for 2020-06-29
    ], formats={(3, 3): "0%"})
    result = cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF, "--json")
    out = imported(result)
    assert (out["format"]["kind"], out["format"]["sheet"], out["format"]["header_row"]) == ("xlsx", "Sheet", 2)
    got = entries(cli)
    assert [(e["task"], e["date"], e["percent"], e["note"], e["problems"]) for e in got] == [
        ("JY-001", "2020-09-25", 60.0, '=HYPERLINK("http://example.com","详见")', "-"),
        ("JY-002", "2020-06-29", 100.0, "已完成", "@张三"),
    ]


def test_unfilled_template_rows_and_repeated_rows(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "进展.csv", [
        ["任务编号", "任务名称", "职责", "填报日期", "完成进度(%)", "进展情况"],
        ["JY-001", "加大援企稳岗返还力度", "牵头", "2020-09-25", "60", "已返还"],
        ["JY-002", "拓宽以工代训范围", "牵头", "", "", ""],
        ["JY-001", "加大援企稳岗返还力度", "牵头", "2020-09-25", "60%", "已返还"],
    ])
    result = cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    assert result.stdout.strip() == f"已导入 {sheet}：新增 1 条，取代原记录 0 条，已在台账中 0 条（导入批次 #1）。"
    assert result.stderr.splitlines()[:2] == ["注意：1 行没有填写（只有任务编号、名称等预填内容），未导入。",
                                              "注意：1 行与前面的某行完全相同，只记一次。"]
    assert count(seeded, "progress") == 1


def test_rows_stream_in_chunks(cli, seeded, tmp_path, monkeypatch):
    from sixbao_cli.services import import_rows

    monkeypatch.setattr(import_rows, "CHUNK", 2)  # every boundary case with a handful of rows
    rows = [HEADER] + [["JY-001", "", f"2020-{m:02d}-{d:02d}", str(m * 10 + d // 10), "", "x", "", "", ""]
                       for m in (7, 8, 9) for d in (5, 15, 25)]
    rows.append(rows[3])  # a repeat, in another chunk
    sheet = write_csv(tmp_path / "进展.csv", rows)
    out = imported(cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF, "--json"))
    assert (out["counts"]["new"], out["counts"]["duplicates"], count(seeded, "progress")) == (9, 1, 9)
    bad = write_csv(tmp_path / "错.csv", rows[:4] + [["JY-009", "", "2020-10-05", "5", "", "", "", "", ""]] + rows[4:6])
    result = cli("import", "progress", str(bad), "-u", "市人社局", *AS_OF)
    assert result.stderr.startswith(f"错误：{bad} 第 5 行 A 列：任务编号“JY-009”不存在。")


# --- idempotency, conflicts, --replace ------------------------------------------------------------


def test_the_same_file_twice_imports_nothing_the_second_time(cli, seeded, tmp_path):
    rows = [HEADER, ["JY-001", "", "2020-09-25", "60", "", "已返还", "", "", ""]]
    sheet = write_csv(tmp_path / "进展.csv", rows)
    cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    before = snapshot(seeded)
    again = cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    assert again.stdout.startswith(f"{sheet} 已于 ")
    assert again.stdout.strip().endswith("导入（导入批次 #1），内容相同，本次未导入任何内容。")
    resaved = write_csv(tmp_path / "另存.csv", rows, encoding="gb18030")  # the same reports, other bytes
    result = cli.ok("import", "progress", str(resaved), "-u", "市人社局", *AS_OF)
    assert result.stdout.strip() == f"{resaved} 中的 1 条进展都已在台账中，本次未导入任何内容。"
    assert snapshot(seeded) == before


def test_the_same_file_for_another_unit_is_read_again(cli, seeded, tmp_path):
    """A sheet without a 填报单位 column reports for the unit -u names: the same bytes for another unit are that
    unit's reports, not "already imported"; --as-of and --replace change nothing a file says."""
    sheet = write_csv(tmp_path / "进展.csv", [HEADER, ["JY-001", "", "2020-09-25", "60", "", "已返还", "", "", ""]],
                      encoding="gb18030")

    def run(*options: str) -> tuple[str, int | None]:
        out = imported(cli.ok("import", "progress", str(sheet), "--json", *options))
        return out["outcome"], out["batch"] or out["previous_batch"]

    assert run("-u", "市人社局", *AS_OF) == ("imported", 1)
    assert run("-u", "市人力资源社会保障局", *AS_OF) == ("already_imported", 1)  # the same unit by its full name
    assert run("-u", "市财政局", *AS_OF) == ("imported", 2)
    before = snapshot(seeded)
    assert run("-u", "市财政局", "--as-of", "2020-12-31", "--replace") == ("already_imported", 2)
    assert run("-u", "市财政局", "--encoding", "gb18030", *AS_OF) == ("already_imported", 2)  # as detected
    assert run("-u", "市人社局", *AS_OF) == ("unchanged", None)  # read again: its reports are in the ledger
    assert snapshot(seeded) == before
    assert sorted(e["unit"] for e in entries(cli)) == ["市人力资源社会保障局", "市财政局"]


def test_changed_numbers_for_an_imported_period_are_a_conflict_unless_replace(cli, seeded, tmp_path):
    cli.ok("import", "progress", str(write_csv(tmp_path / "9月下旬.csv", [
        HEADER, ["JY-001", "", "2020-09-25", "60", "", "已返还2100万元", "", "", ""]])), "-u", "市人社局", *AS_OF)
    resent = write_csv(tmp_path / "9月下旬-更正.csv", [
        HEADER, ["JY-001", "", "2020-09-28", "65", "", "已返还2300万元", "", "", ""]])
    before = snapshot(seeded)
    result = cli("import", "progress", str(resent), "-u", "市人社局", *AS_OF)
    assert (result.exit_code, result.stderr.strip()) == (5, (
        f"错误：{resent} 第 2 行：任务 JY-001 2020年9月下旬已有 市人力资源社会保障局 报送的进展 #1（2020-09-25 60%），"
        "本行（2020-09-28 65%）与之不同：填报日期、完成进度(%)、进展情况。如以本文件为准，请加 --replace"
        "（新记录取代 #1，原记录保留）。本文件未导入任何内容。"))
    assert snapshot(seeded) == before
    result = cli.ok("import", "progress", str(resent), "-u", "市人社局", *AS_OF, "--replace")
    assert result.stdout.strip() == f"已导入 {resent}：新增 0 条，取代原记录 1 条，已在台账中 0 条（导入批次 #2）。"
    got = {e["id"]: e for e in entries(cli)}
    assert (got[1]["superseded_by"], got[2]["supersedes"], got[2]["percent"]) == (2, 1, 65.0)
    assert [e["id"] for e in json.loads(cli.ok("progress", "list", "--effective", "--json").stdout)] == [2]


def test_two_files_for_the_same_period_with_different_numbers(cli, seeded, tmp_path):
    first = write_csv(tmp_path / "甲.csv", [HEADER, ["JY-001", "", "2020-09-25", "60", "", "甲", "", "", ""]])
    second = write_csv(tmp_path / "乙.csv", [HEADER, ["JY-001", "", "2020-09-22", "70", "", "乙", "", "", ""]])
    result = cli("import", "progress", str(first), str(second), "-u", "市人社局", *AS_OF)
    assert result.exit_code == 5
    assert result.stdout.strip() == f"已导入 {first}：新增 1 条，取代原记录 0 条，已在台账中 0 条（导入批次 #1）。"
    assert f"错误：{second} 第 2 行：任务 JY-001 2020年9月下旬已有 市人力资源社会保障局 报送的进展 #1" in result.stderr
    assert [(e["note"], e["percent"]) for e in entries(cli)] == [("甲", 60.0)]
    assert len(json.loads(cli.ok("import", "list", "--json").stdout)) == 1


def test_a_manual_report_for_the_period_is_the_one_compared(cli, seeded, tmp_path):
    cli.ok("progress", "add", "JY-001", "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "已返还")
    same = write_csv(tmp_path / "同.csv", [HEADER, ["JY-001", "", "2020-09-25", "60%", "", "已返还", "", "", ""]])
    assert "都已在台账中" in cli.ok("import", "progress", str(same), "-u", "市人社局", *AS_OF).stdout
    other = write_csv(tmp_path / "异.csv", [HEADER, ["JY-001", "", "2020-09-21", "60", "", "已返还", "", "", ""]])
    assert cli("import", "progress", str(other), "-u", "市人社局", *AS_OF).exit_code == 5


def test_dry_run_shows_what_would_be_written_and_writes_nothing(cli, seeded, tmp_path):
    cli.ok("init")
    sheet = write_csv(tmp_path / "进展.csv", [
        HEADER,
        ["JY-001", "", "2020-09-25", "60", "", "已返还", "", "", ""],
        ["JC-001", "", "2020-09-25", "30", "", "已下达", "", "", ""],
    ])
    before = snapshot(seeded)
    result = cli.ok("import", "progress", str(sheet), "-u", "市财政局", *AS_OF, "--dry-run")
    assert snapshot(seeded) == before
    lines = result.stdout.splitlines()
    assert lines[0] == f"预览（未写入）：{sheet} 将新增 2 条，取代原记录 0 条，已在台账中 0 条。"
    assert lines[1].split() == ["行", "任务编号", "单位", "填报日期", "完成进度", "完成数值", "进展情况", "取代"]
    assert lines[2].split() == ["2", "JY-001", "市财政局", "2020-09-25", "60%", "—", "已返还"]
    assert lines[3].split() == ["3", "JC-001", "市财政局", "2020-09-25", "30%", "—", "已下达"]
    out = imported(cli.ok("import", "progress", str(sheet), "-u", "市财政局", *AS_OF, "--dry-run", "--json"))
    assert out["dry_run"] is True and snapshot(seeded) == before
    assert (out["outcome"], out["batch"]) == ("imported", None)  # no batch is written: its number would be another's
    assert [(e["row"], e["task"], e["percent"]) for e in out["entries"]] == [(2, "JY-001", 60.0), (3, "JC-001", 30.0)]


def test_json_contract(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "进展.csv", [HEADER, ["JY-001", "", "2020-09-25", "60", "", "已返还", "", "", "王五"]])
    out = imported(cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF, "--json"))
    assert set(out) == {"file", "checksum", "outcome", "dry_run", "batch", "previous_batch", "format", "counts",
                        "ignored_columns", "notices", "entries"}
    assert (out["file"], out["outcome"], out["batch"], out["dry_run"]) == (str(sheet), "imported", 1, False)
    assert out["format"] == {"kind": "csv", "encoding": "utf-8-sig", "delimiter": ",", "sheet": None, "header_row": 1}
    assert out["counts"] == {"rows": 1, "new": 1, "replaced": 0, "unchanged": 0, "duplicates": 0, "unfilled": 0,
                             "status_changes": 1}
    assert out["entries"] == [{"row": 2, "task": "JY-001", "unit": "市人力资源社会保障局", "date": "2020-09-25",
                               "percent": 60.0, "value": None, "note": "已返还", "problems": None, "next_steps": None,
                               "reporter": "王五", "supersedes": None}]
    bad = write_csv(tmp_path / "错.csv", [HEADER, ["JY-009", "", "2020-09-25", "60", "", "", "", "", ""]])
    result = cli("import", "progress", str(sheet), str(bad), "-u", "市人社局", *AS_OF, "--json")
    both = json.loads(result.stdout)
    assert [o["outcome"] for o in both] == ["already_imported", "failed"]
    assert both[1]["exit_code"] == 3 and both[1]["error"].startswith(f"{bad} 第 2 行 A 列：任务编号“JY-009”不存在。")


def test_english_messages(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.setenv("SIXBAO_LANG", "en")
    sheet = write_csv(tmp_path / "p.csv", [HEADER, ["JY-001", "", "2020-09-25", "150", "", "", "", "", ""]])
    result = cli("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    assert result.stderr.strip() == (
        f"Error: {sheet}, row 2, column D: 完成进度(%): '150' is outside 0–100. Give a percent from 0 to 100 "
        "(60 and 60% both mean sixty percent). Nothing from the file was imported.")


def test_a_progress_bar_on_a_terminal_only(cli, seeded, tmp_path):
    import os
    import sys

    import pexpect

    sheet = write_csv(tmp_path / "进展.csv", [HEADER, ["JY-001", "", "2020-09-25", "60", "", "x", "", "", ""]])
    quiet = cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF, "--dry-run")
    assert "━" not in quiet.stderr and "\x1b" not in quiet.stderr  # not a terminal: no bar, no escape codes
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(SIXBAO_DB=seeded, TERM="xterm-256color", COLUMNS="120")
    child = pexpect.spawn(sys.executable, ["-m", "sixbao_cli", "import", "progress", str(sheet), "-u", "市人社局",
                                           *AS_OF], env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
    try:
        child.expect("进展.csv")
        child.expect("━+")
        child.expect("100%")
        child.expect("已导入 ")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert count(seeded, "progress") == 1


def test_formula_like_text_is_stored_as_written(cli, seeded, tmp_path):
    sheet = write_csv(tmp_path / "进展.csv", [HEADER, [
        "JY-001", "", "2020-09-25", "60", "", '=HYPERLINK("http://example.com","详见")', "+1", "-待定", "@所有人"]])
    cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    e = entries(cli)[0]
    assert (e["note"], e["problems"], e["next_steps"], e["reporter"]) == (
        '=HYPERLINK("http://example.com","详见")', "+1", "-待定", "@所有人")


def test_text_that_copy_escapes_is_stored_as_written(cli, seeded, tmp_path):
    # PostgreSQL reads the rows in with COPY, whose text format gives tab, newline and backslash a meaning
    # and spells NULL \N: cells holding them must come back as written.
    texts = ["第一行\n第二行\t（制表符）", "C:\\材料\\", "\\N", "\\."]
    sheet = write_csv(tmp_path / "进展.csv", [HEADER, ["JY-001", "", "2020-09-25", "60", "", *texts]])
    cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    e = entries(cli)[0]
    assert [e["note"], e["problems"], e["next_steps"], e["reporter"]] == texts


def test_the_same_file_imported_at_the_same_moment_lands_once(cli, seeded, tmp_path):
    import os
    import subprocess
    import sys

    rows = [HEADER] + [["JY-001", "", f"2020-{m:02d}-{d:02d}", str(m + d), "", "x", "", "", ""]
                       for m in (7, 8, 9) for d in (5, 15, 25)]
    sheet = write_csv(tmp_path / "进展.csv", rows + rows[1:] * 3000)  # repeats: a transaction long enough to overlap
    env = {**os.environ, "SIXBAO_DB": seeded}
    argv = [sys.executable, "-m", "sixbao_cli", "import", "progress", str(sheet), "-u", "市人社局", *AS_OF]
    procs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    assert [code for code, _, _ in results] == [0] * 4, results
    assert sorted("已导入" in out for _, out, _ in results) == [False, False, False, True]
    assert count(seeded, "progress") == 9 and count(seeded, "import_batch") == 1
