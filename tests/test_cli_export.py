"""sixbao export tasks|progress: CSV for Excel, xlsx and JSON, safe cells, whole files, filters."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from conftest import snapshot

ADD = ("progress", "add", "JY-001")


def _csv(path, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding))))


def test_tasks_as_csv_for_excel(cli, seeded, tmp_path):
    out = tmp_path / "台账.csv"
    result = cli.ok("export", "tasks", "-o", str(out))
    assert result.stderr.strip() == f"已导出任务 3 条到 {out}"
    assert out.read_bytes().startswith("\ufeff任务编号,类别".encode())
    rows = _csv(out)
    assert rows[0][:5] == ["任务编号", "类别", "来源文件", "序号", "任务名称"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["任务编号"] == "JC-001" or first["任务编号"] == "JY-001"
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    jy1 = by_code["JY-001"]
    assert (jy1["牵头单位"], jy1["配合单位"], jy1["责任领导"]) == ("市人力资源社会保障局", "市财政局、市税务局", "吴靖平、刘金波")
    assert (jy1["开始日期"], jy1["完成时限"]) == ("2020-06-18", "2020-12-31")
    assert jy1["目标"] == "返还失业保险费>=30000000元" and jy1["时间节点"] == "2020-09-30:50%"


def test_tasks_filtered_and_in_gb18030(cli, seeded, tmp_path):
    out = tmp_path / "就业.csv"
    cli.ok("export", "tasks", "-c", "就业", "-o", str(out), "--encoding", "gb18030")
    rows = _csv(out, "gb18030")
    assert [r[0] for r in rows[1:]] == ["JY-001", "JY-002"]
    only = tmp_path / "财政.json"
    cli.ok("export", "tasks", "-u", "市财政局", "--format", "json", "-o", str(only))
    assert [t["code"] for t in json.loads(only.read_text(encoding="utf-8"))] == ["JC-001", "JY-001", "JY-002"]


def test_tasks_as_xlsx_keep_types_and_text(cli, seeded, tmp_path):
    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://example.com","点击")'
    cli.ok("task", "add", formula, "-c", "就业", "-l", "市财政局", "--start", "2020-06-01", "-d", "2020-06-30")
    out = tmp_path / "台账.xlsx"
    cli.ok("export", "tasks", "-o", str(out))
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "任务编号" and sheet["A1"].font.bold
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["JY-003"]["任务名称"] == formula  # the words, not a formula
    cell = next(c for c in sheet["E"] if c.value == formula)
    assert cell.data_type == "s"
    assert rows["JY-001"]["开始日期"] == datetime(2020, 6, 18)


def test_csv_neutralises_formulas_and_never_alters_the_ledger(cli, seeded, tmp_path):
    formula = "=1+1"
    cli.ok("task", "add", formula, "-c", "就业", "-l", "市财政局", "--start", "2020-06-01", "-d", "2020-06-30")
    cli.ok(*ADD, "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "+86 电话调度", "--problems", "@所有人")
    before = snapshot(seeded)
    cli.ok("export", "tasks", "-o", str(tmp_path / "t.csv"))
    cli.ok("export", "progress", "-o", str(tmp_path / "p.csv"))
    assert snapshot(seeded) == before
    titles = [r[4] for r in _csv(tmp_path / "t.csv")[1:]]
    assert "'=1+1" in titles
    progress = dict(zip(*_csv(tmp_path / "p.csv"), strict=True))
    assert (progress["进展情况"], progress["存在问题"], progress["完成进度(%)"]) == ("'+86 电话调度", "'@所有人", "60")
    assert json.loads(cli.ok("task", "show", "JY-003", "--json").stdout)["title"] == formula


def test_progress_exports_the_corrected_figures(cli, seeded, tmp_path):
    cli.ok(*ADD, "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    cli.ok("progress", "correct", "1", "-p", "55", "--note", "更正")
    cli.ok("progress", "add", "JC-001", "--value", "12.5", "--date", "2020-09-20", "-u", "市财政局", "--note", "拨付")
    out = tmp_path / "进展.json"
    cli.ok("export", "progress", "-o", str(out))
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["task"], r["date"], r["percent"], r["value"], r["note"], r["id"]) for r in rows] == [
        ("JC-001", "2020-09-20", None, 12.5, "拨付", 3), ("JY-001", "2020-09-25", 55.0, None, "更正", 2)]
    assert rows[0]["unit"] == "市财政局" and rows[1]["unit"] == "市人力资源社会保障局"
    narrowed = tmp_path / "n.csv"
    cli.ok("export", "progress", "--task", "JY-001", "--since", "2020-09-01", "-o", str(narrowed))
    assert [r[0] for r in _csv(narrowed)[1:]] == ["JY-001"]
    cli.ok("export", "progress", "-u", "市人社局", "--until", "2020-09-01", "-o", str(narrowed))
    assert _csv(narrowed)[1:] == []


def test_progress_as_xlsx_has_dates_and_numbers(cli, seeded, tmp_path):
    from openpyxl import load_workbook

    cli.ok(*ADD, "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    out = tmp_path / "进展.xlsx"
    cli.ok("export", "progress", "-o", str(out))
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["填报日期"] == datetime(2020, 9, 25) and row["完成进度(%)"] == 60 and row["任务编号"] == "JY-001"
    assert isinstance(date.fromisoformat(row["录入时间"][:10]), date)


def test_a_failed_export_leaves_the_old_file_and_no_temporary_one(cli, seeded, tmp_path):
    out = tmp_path / "进展.csv"
    out.write_text("上次导出\n", encoding="utf-8")
    result = cli("export", "progress", "-u", "不存在的局", "-o", str(out))
    assert result.exit_code == 3 and result.stderr.startswith("错误：单位“不存在的局”不存在。")
    assert out.read_text(encoding="utf-8") == "上次导出\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    missing = cli("export", "tasks", "-o", str(tmp_path / "无此目录" / "t.csv"))
    assert missing.exit_code == 4 and "不存在。请先创建该目录。" in missing.stderr
    assert cli("export", "tasks", "-o", str(tmp_path / "t.docx")).exit_code == 4
    bad = cli("export", "tasks", "-o", str(tmp_path / "t.csv"), "--encoding", "latin-1")
    assert (bad.exit_code, bad.stderr.strip()) == (4, "错误：不支持的编码“latin-1”，可用：utf-8、gb18030。")


def test_progress_goes_back_in_as_it_came_out(cli, seeded, tmp_path, monkeypatch):
    from conftest import seed

    cli.ok(*ADD, "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "=初报", "--problems", "资金,未到位")
    cli.ok("progress", "add", "JC-001", "--value", "12.5", "--date", "2020-09-20", "-u", "市财政局", "--note", "拨付")
    cli.ok("progress", "add", "JY-001", "-p", "75", "--date", "2020-10-05", "-u", "市财政局", "--note", "配合单位报送",
           "--reporter", "张三")
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"进展.{suffix}"
        cli.ok("export", "progress", "-o", str(out))
        other = tmp_path / f"other-{suffix}.db"
        monkeypatch.setenv("SIXBAO_DB", str(other))
        seed(cli, str(other))
        cli.ok("import", "progress", str(out))
        again = tmp_path / f"again.{suffix}"
        cli.ok("export", "progress", "-o", str(again))
        monkeypatch.setenv("SIXBAO_DB", seeded)
        first, second = (json.loads(cli.ok("--db", db, "export", "progress", "-o", str(tmp_path / f"{name}.json"))
                                    and (tmp_path / f"{name}.json").read_text(encoding="utf-8"))
                         for db, name in ((seeded, f"a-{suffix}"), (str(other), f"b-{suffix}")))
        strip = [{k: v for k, v in row.items() if k not in ("id", "recorded_at")} for row in first]
        assert strip == [{k: v for k, v in row.items() if k not in ("id", "recorded_at")} for row in second]
        assert [row["note"] for row in second] == ["拨付", "=初报", "配合单位报送"]


def test_a_suffix_that_names_no_format_is_refused_unless_format_is_given(cli, seeded, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "台账.xls"
    result = cli("export", "tasks", "-o", str(out))
    assert (result.exit_code, result.stderr.strip()) == (
        4, f"错误：无法从文件名 {out} 判断格式。文件名请以 .csv、.xlsx、.json 之一结尾，或加 --format。")
    assert list(folder.iterdir()) == []
    cli.ok("export", "tasks", "-o", str(folder / "台账.txt"), "--format", "csv")
