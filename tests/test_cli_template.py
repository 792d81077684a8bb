"""sixbao template progress: a department's fill-in sheet, and the round trip back through import progress."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import snapshot

HEADER = ["任务编号", "任务名称", "填报单位", "职责", "完成时限", "上次报送进度(%)", "填报日期", "完成进度(%)", "完成数值",
          "进展情况", "存在问题", "下步计划", "填报人"]
NOTE = ("填表说明：每项任务每旬填报一次；填报日期写成 2020-09-25；完成进度填 0–100 的百分数（60 或 60%）；"
        "有量化目标的任务可填完成数值；未填写的行不导入。")


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


def test_csv_template_for_a_unit(cli, seeded, tmp_path):
    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-09-05", "-u", "市人社局", "--note", "x")
    cli.ok("progress", "add", "JY-001", "-p", "50", "--date", "2020-10-05", "-u", "市人社局", "--note", "x")
    out = tmp_path / "财政局.csv"
    result = cli.ok("template", "progress", "-u", "市财政局", "--as-of", "2020-09-30", "-o", str(out))
    assert result.stdout.strip() == f"已写入 {out}：市财政局 的任务 3 项（牵头 1 项，配合 2 项）。"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's cue to read UTF-8
    rows = read_csv(out)
    assert rows[0][0] == "市财政局“六保”任务进展情况填报表（2020年9月下旬）" and rows[0][1:] == [""] * 12
    assert rows[1] == HEADER
    assert rows[2:5] == [
        ["JC-001", "保障基层运转资金", "市财政局", "牵头", "2020-11-30", "", "", "", "", "", "", "", ""],
        ["JY-002", "拓宽以工代训范围", "市财政局", "配合", "2020-06-30", "", "", "", "", "", "", "", ""],
        ["JY-001", "加大援企稳岗返还力度", "市财政局", "配合", "2020-12-31", "40", "", "", "", "", "", "", ""],
    ]  # the report of 2020-10-05 is after --as-of: the last one reported by then is 40 %
    assert rows[5][0] == NOTE and len(rows) == 6


def test_gb18030_for_old_excel_and_aliases(cli, seeded, tmp_path):
    out = tmp_path / "人社局.csv"
    cli.ok("template", "progress", "-u", "市人社局", "-o", str(out), "--encoding", "gb18030", "--as-of", "2020-09-30")
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(out, "gb18030")
    assert rows[1] == HEADER and [r[0] for r in rows[2:4]] == ["JY-002", "JY-001"]
    assert rows[2][2] == "市人力资源社会保障局"


def test_xlsx_template_and_formula_like_titles(cli, seeded, tmp_path):
    from openpyxl import load_workbook

    cli.ok("task", "add", '=HYPERLINK("http://example.com","点此")', "-c", "就业", "-l", "市人社局", "--start",
           "2020-06-01", "-d", "2020-12-31")
    out = tmp_path / "人社局.xlsx"
    cli.ok("template", "progress", "-u", "市人社局", "-o", str(out), "--as-of", "2020-09-30")
    book = load_workbook(out)
    sheet = book.active
    assert sheet["A1"].value == "市人力资源社会保障局“六保”任务进展情况填报表（2020年9月下旬）"
    assert [c.value for c in sheet[2]] == HEADER
    assert sheet.freeze_panes == "A3"
    titles = {row[0].value: row[1] for row in sheet.iter_rows(min_row=3) if row[0].value and row[0].value[:2] == "JY"}
    assert titles["JY-003"].value == '=HYPERLINK("http://example.com","点此")' and titles["JY-003"].data_type == "s"
    assert sheet.cell(row=3, column=5).value.date().isoformat() == "2020-06-30"  # a date, not text
    csv_out = tmp_path / "人社局.csv"
    cli.ok("template", "progress", "-u", "市人社局", "-o", str(csv_out), "--as-of", "2020-09-30")
    assert [r[1] for r in read_csv(csv_out) if r[0] == "JY-003"] == ["'=HYPERLINK(\"http://example.com\",\"点此\")"]


def test_a_filled_in_template_imports_without_more_options(cli, seeded, tmp_path):
    out = tmp_path / "财政局.csv"
    cli.ok("template", "progress", "-u", "市财政局", "-o", str(out), "--as-of", "2020-09-30")
    rows = read_csv(out)
    rows[2][6:13] = ["2020-09-28", "45", "", "资金已下达", "", "10月拨付", "李四"]  # JC-001
    rows[4][6:13] = ["2020年9月29日", "30%", "", "配合审核", "", "", "李四"]  # JY-001
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    out.write_bytes(buf.getvalue().encode("utf-8-sig"))
    result = cli.ok("import", "progress", str(out), "--as-of", "2020-09-30")
    assert result.stdout.strip() == f"已导入 {out}：新增 2 条，取代原记录 0 条，已在台账中 0 条（导入批次 #1）。"
    assert result.stderr.splitlines()[:2] == ["注意：1 行没有填写（只有任务编号、名称等预填内容），未导入。",
                                              "注意：表尾 1 行（合计、备注、填表说明等）已略过。"]
    got = json.loads(cli.ok("progress", "list", "--json").stdout)
    assert sorted((e["task"], e["unit"], e["date"], e["percent"], e["reporter"]) for e in got) == [
        ("JC-001", "市财政局", "2020-09-28", 45.0, "李四"), ("JY-001", "市财政局", "2020-09-29", 30.0, "李四")]


def test_a_filled_in_xlsx_template_imports(cli, seeded, tmp_path):
    from datetime import datetime

    from openpyxl import load_workbook

    out = tmp_path / "人社局.xlsx"
    cli.ok("template", "progress", "-u", "市人社局", "-o", str(out), "--as-of", "2020-09-30")
    book = load_workbook(out)
    sheet = book.active
    for column, value in zip("GHJ", (datetime(2020, 9, 25), 60, "已返还2100万元"), strict=True):
        sheet[f"{column}4"] = value  # row 4: JY-001
    book.save(out)
    cli.ok("import", "progress", str(out), "--as-of", "2020-09-30")
    entry = json.loads(cli.ok("progress", "list", "--json").stdout)[0]
    assert (entry["task"], entry["date"], entry["percent"], entry["note"]) == ("JY-001", "2020-09-25", 60.0,
                                                                              "已返还2100万元")


@pytest.mark.parametrize(("args", "code", "message"), [
    (("-u", "市人社"), 3, "错误：单位“市人社”不存在。相近的单位或简称：市人社局。"),
    (("-u", "各地党委、政府", "-o", "{tmp}/t.xlsx", "--encoding", "gb18030"), 4,
     "错误：--encoding 只用于 CSV 文件；{tmp}/t.xlsx 是 .xlsx，请去掉 --encoding。"),
    (("-u", "各地党委、政府", "-o", "{tmp}/无此目录/t.csv"), 4, "错误：无法写入 {tmp}/无此目录/t.csv：目录 {tmp}/无此目录 不存在。请先创建该目录。"),
])
def test_template_errors(cli, seeded, tmp_path, args, code, message):
    args = [a.format(tmp=tmp_path) for a in args]
    if "-o" not in args:
        args += ["-o", str(tmp_path / "t.csv")]
    before = snapshot(seeded)
    result = cli("template", "progress", *args)
    assert (result.exit_code, result.stderr.strip()) == (code, message.format(tmp=tmp_path))
    assert snapshot(seeded) == before
    assert not (tmp_path / "t.csv").exists() and not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("name", ["r10.xls", "r10.json", "r10.txt", "r10.xlsm", "r10"])
def test_a_file_name_that_is_neither_csv_nor_xlsx_is_refused(cli, seeded, tmp_path, name):
    """CSV text under r10.xls (or .json) is a file neither Excel nor import progress reads back: refused, as export
    refuses a suffix it cannot tell the format from."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / name
    result = cli("template", "progress", "-u", "市人社局", "--as-of", "2020-09-30", "-o", str(out))
    assert (result.exit_code, result.stderr.strip()) == (
        4, f"错误：无法从文件名 {out} 判断格式。文件名请以 .csv、.xlsx 之一结尾。")
    assert list(folder.iterdir()) == []  # not even a temporary file


def test_a_unit_without_tasks_gets_no_template(cli, seeded, tmp_path):
    cli.ok("unit", "add", "市统计局")
    result = cli("template", "progress", "-u", "市统计局", "-o", str(tmp_path / "t.csv"))
    assert (result.exit_code, result.stderr.strip()) == (
        3, "错误：“市统计局”没有牵头或配合的任务（已销号的除外），未生成模板。")
    assert not (tmp_path / "t.csv").exists()
