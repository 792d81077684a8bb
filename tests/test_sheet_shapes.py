"""Sheets as departments really send them back: workbooks with several or hidden sheets, formulas, a
declared size that is wrong, a unit in the heading, signature lines, a file piped in, a Word file.

Each file is written by the test (openpyxl, then the workbook's XML patched where Excel writes what
openpyxl does not: formulas' computed values, a wrong size) and imported by the real CLI into a
SQLite ledger — what is tested is the reading, the same on either database.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from test_cli_import_progress import AS_OF, entries, write_csv

from conftest import count, snapshot

HEADER = ["任务编号", "填报日期", "完成进度(%)", "完成数值", "进展情况"]


def workbook(path: Path, sheets: dict[str, list[list[object]]], *, hidden: tuple[str, ...] = (),
             formats: dict[tuple[str, int, int], str] | None = None, merged: tuple[str, ...] = ()) -> Path:
    """A workbook with ``sheets`` (title → rows) in order, those in ``hidden`` hidden, the first visible active;
    ``merged`` ranges (A1:G1) merged on the first sheet, as Excel stores them: the value in the first cell only."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    for (title, r, c), fmt in (formats or {}).items():
        book[title].cell(row=r, column=c).number_format = fmt
    for cells in merged:
        book.worksheets[0].merge_cells(cells)
    book.active = next(i for i, title in enumerate(sheets) if title not in hidden)
    book.save(path)
    return path


def patch(path: Path, member: str, edit) -> Path:
    """Rewrite one member of the ZIP at ``path`` through ``edit`` (text in, text out)."""
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            new.writestr(info, edit(data.decode("utf-8")).encode("utf-8") if info.filename == member else data)
    return path


def imported(result) -> dict:
    return json.loads(result.stdout)[0]


def refused(cli, *args: str):
    result = cli(*args)
    assert result.exit_code != 0, result.stdout
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


# --- which sheet ---------------------------------------------------------------------------------------------


def test_a_hidden_sheet_is_passed_over_for_the_visible_one(cli, sqlite_seeded, tmp_path):
    book = workbook(tmp_path / "人社局.xlsx", {
        "旧表": [HEADER, ["JY-001", "2020-09-05", "10", None, "上月的旧数"]],
        "9月下旬": [["市人社局“六保”任务进展情况填报表"], HEADER, ["JY-001", "2020-09-25", "60", None, "已返还"]],
        "单位列表": [["任务编号", "填报单位", "任务名称"], ["JY-001", "市人社局", "加大援企稳岗返还力度"]],
    }, hidden=("旧表", "单位列表"))
    out = imported(cli.ok("import", "progress", str(book), "-u", "市人社局", *AS_OF, "--json"))
    assert (out["format"]["sheet"], out["format"]["header_row"]) == ("9月下旬", 2)
    assert [(e["date"], e["percent"], e["note"]) for e in entries(cli)] == [("2020-09-25", 60.0, "已返还")]


def test_two_visible_sheets_with_a_header_are_refused_naming_both(cli, sqlite_seeded, tmp_path):
    book = workbook(tmp_path / "人社局.xlsx", {
        "牵头任务": [HEADER, ["JY-001", "2020-09-25", "60", None, "已返还"]],
        "配合任务": [HEADER, ["JC-001", "2020-09-25", "30", None, "配合"]],
        "填表说明": [["请于每旬末报送。"]],
    })
    before = snapshot(sqlite_seeded)
    message = refused(cli, "import", "progress", str(book), "-u", "市人社局", *AS_OF)
    assert message == (f"错误：{book} 中有多张工作表都有表头（牵头任务、配合任务），无法确定导入哪一张。"
                       "请把每张表另存为单独的文件分别导入，或删除、隐藏不需导入的工作表。本文件未导入任何内容。")
    tasks = workbook(tmp_path / "台账.xlsx", {
        "保居民就业": [["任务名称", "类别", "牵头单位", "完成时限"], ["新任务甲", "就业", "市人社局", "2020-12-31"]],
        "保基层运转": [["任务名称", "类别", "牵头单位", "完成时限"], ["新任务乙", "基层运转", "市财政局", "2020-12-31"]],
    })
    assert "（保居民就业、保基层运转）" in refused(cli, "import", "tasks", str(tasks))
    assert snapshot(sqlite_seeded) == before


def test_an_information_row_above_the_header_is_not_taken_for_it(cli, sqlite_seeded, tmp_path):
    sheet = write_csv(tmp_path / "人社局.csv", [
        ["市人社局“六保”任务进展情况填报表"],
        ["填报单位：", "市人社局", "", "填报日期：", "2020年9月30日"],  # names two known columns
        ["任务编号", "填报单位", "填报日期", "完成进度(%)", "进展情况"],
        ["JY-001", "市人社局", "2020-09-25", "60", "已返还"],
    ], encoding="gb18030")
    out = imported(cli.ok("import", "progress", str(sheet), *AS_OF, "--json"))
    assert out["format"]["header_row"] == 3
    assert [(e["task"], e["percent"]) for e in entries(cli)] == [("JY-001", 60.0)]


# --- what a cell holds --------------------------------------------------------------------------------------


def test_formulas_count_for_the_values_excel_computed_for_them(cli, sqlite_seeded, tmp_path):
    book = workbook(tmp_path / "人社局.xlsx", {"Sheet": [
        [*HEADER, "目标"],
        ["JY-001", "=DATE(2020,9,25)", "=D2/F2*100", 1500, "=\"已返还\"&D2&\"万元\"", 3000],
        ["JY-002", datetime(2020, 6, 29), "=100", None, '=HYPERLINK("http://example.com","详见")', None],
    ]}, formats={("Sheet", 2, 2): "yyyy-mm-dd"})
    # Excel saves each formula with the value it computed; openpyxl writes none. The last one stays uncomputed,
    # as in a file a program wrote and nobody opened in Excel: it is kept as written.
    computed = {"DATE(2020,9,25)": "44099", "D2/F2*100": "50", "100": "100"}
    computed_text = {'"已返还"&amp;D2&amp;"万元"': "已返还1500万元"}

    def cache(xml: str) -> str:
        for formula, value in computed.items():
            xml = xml.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>")
        for formula, value in computed_text.items():
            xml = re.sub(rf'<c r="(E2)"><f>{re.escape(formula)}</f><v />',
                         rf'<c r="\1" t="str"><f>{formula}</f><v>{value}</v>', xml)
        return xml

    patch(book, "xl/worksheets/sheet1.xml", cache)
    cli.ok("import", "progress", str(book), "-u", "市人社局", *AS_OF)
    assert [(e["task"], e["date"], e["percent"], e["value"], e["note"]) for e in entries(cli)] == [
        ("JY-001", "2020-09-25", 50.0, 1500.0, "已返还1500万元"),
        ("JY-002", "2020-06-29", 100.0, None, '=HYPERLINK("http://example.com","详见")'),
    ]


def test_rows_beyond_the_size_a_workbook_declares_are_read(cli, sqlite_seeded, tmp_path):
    book = workbook(tmp_path / "人社局.xlsx", {"Sheet": [
        HEADER, ["JY-001", "2020-09-25", "60", None, "一"], ["JY-002", "2020-06-29", "100", None, "二"],
    ]})
    patch(book, "xl/worksheets/sheet1.xml", lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:E2"', xml))
    cli.ok("import", "progress", str(book), "-u", "市人社局", *AS_OF)
    assert [e["task"] for e in entries(cli)] == ["JY-001", "JY-002"]
    patch(book, "xl/worksheets/sheet1.xml", lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', xml))
    a1 = tmp_path / "人社局-2.xlsx"  # a size of one cell: the header is found and both rows read all the same
    a1.write_bytes(book.read_bytes())
    assert "中的 2 条进展都已在台账中" in cli.ok("import", "progress", str(a1), "-u", "市人社局", *AS_OF).stdout


def test_a_value_heading_in_wan_yuan_scales_the_numbers_written_without_their_own_unit(cli, sqlite_seeded, tmp_path):
    sheet = write_csv(tmp_path / "人社局.csv", [
        ["任务编号", "填报日期", "完成数值（万元）", "进展情况"],
        ["JY-001", "2020-09-25", "2100", "已返还"],
        ["JY-001", "2020-09-15", "1,200.5", "已返还"],
        ["JY-001", "2020-08-25", "900万", "单位写在数后"],
    ])
    result = cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    assert ("注意：“完成数值（万元）”列的数以“万”为单位读取（2100 即 21,000,000）；自带“万”“亿”的数按其所写。"
            in result.stderr.splitlines())
    assert sorted(e["value"] for e in entries(cli)) == [9_000_000.0, 12_005_000.0, 21_000_000.0]


def test_a_note_longer_than_the_csv_modules_field_limit_is_read(cli, sqlite_seeded, tmp_path):
    note = "很" * 140_000  # Python's csv module stops at 131,072 characters by default
    sheet = write_csv(tmp_path / "人社局.csv", [HEADER, ["JY-001", "2020-09-25", "60", "", note]])
    cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    assert [len(e["note"]) for e in entries(cli)] == [140_000]


# --- where the table ends -----------------------------------------------------------------------------------


def test_signature_lines_below_the_table_are_passed_over(cli, sqlite_seeded, tmp_path):
    sheet = write_csv(tmp_path / "人社局.csv", [
        ["任务编号", "任务名称", "填报日期", "完成进度(%)", "进展情况", "填报人"],
        ["JY-001", "加大援企稳岗返还力度", "2020-09-25", "60", "已返还", "张三"],
        ["单位负责人：王五", "", "审核人：李四", "", "填报人：张三  联系电话：0936-5512345", ""],
        ["审核人：李四", "联系电话：0936-5512345", "", "", "", ""],
    ])
    result = cli.ok("import", "progress", str(sheet), "-u", "市人社局", *AS_OF)
    assert "注意：表尾 2 行（合计、备注、填表说明等）已略过。" in result.stderr.splitlines()
    tasks = write_csv(tmp_path / "台账.csv", [
        ["任务名称", "类别", "牵头单位", "完成时限"],
        ["新任务甲", "就业", "市人社局", "2020-12-31"],
        ["合计", "1项", "", ""],
        ["填表人：张三", "审核人：李四", "联系电话：0936-5512345", ""],
    ])
    cli.ok("import", "tasks", str(tasks))
    assert count(sqlite_seeded, "task") == 4
    # a row below the footer that still names a task and its progress is refused, not dropped
    late = write_csv(tmp_path / "人社局-2.csv", [
        HEADER, ["JY-001", "2020-09-25", "60", "", "已返还"], ["合计", "", "", "", ""],
        ["JY-002", "2020-06-29", "100", "", "漏在表尾下"],
    ])
    assert "第 4 行" in refused(cli, "import", "progress", str(late), "-u", "市人社局", *AS_OF)


# --- what the file is, and where it comes from ---------------------------------------------------------------


def test_word_powerpoint_and_opendocument_files_are_named_for_what_they_are(cli, sqlite_seeded, tmp_path):
    def zipped(name: str, members: dict[str, str]) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as z:
            for member, text in members.items():
                z.writestr(member, text)
        return path

    docx = zipped("进展.docx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    ods = zipped("进展.ods", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
    renamed = tmp_path / "进展.xlsx"
    renamed.write_bytes(docx.read_bytes())
    assert "是 Word 文档，不是表格" in refused(cli, "import", "progress", str(docx), "-u", "市人社局", *AS_OF)
    assert "是 Word 文档，不是表格" in refused(cli, "import", "progress", str(renamed), "-u", "市人社局", *AS_OF)
    assert "是 OpenDocument（.ods/.odt）文件" in refused(cli, "import", "progress", str(ods), "-u", "市人社局", *AS_OF)
    doc = tmp_path / "进展.doc"  # an old Word file: the compound-file signature, then its WordDocument stream's name
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(64))
    assert "是旧版 Word（.doc）文档" in refused(cli, "import", "progress", str(doc), "-u", "市人社局", *AS_OF)


def _sixbao(*args: str, db: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SIXBAO_DB": db}
    return subprocess.run([sys.executable, "-m", "sixbao_cli", *args], input=stdin, capture_output=True, env=env,
                          timeout=120, check=False)


def test_a_sheet_piped_in_is_read_whole_once(sqlite_seeded, tmp_path):
    data = write_csv(tmp_path / "人社局.csv", [HEADER, ["JY-001", "2020-09-25", "60", "", "已返还"]],
                     encoding="gb18030").read_bytes()
    done = _sixbao("import", "progress", "/dev/stdin", "-u", "市人社局", *AS_OF, db=sqlite_seeded, stdin=data)
    assert done.returncode == 0, done.stderr.decode()
    assert "新增 1 条" in done.stdout.decode()
    assert count(sqlite_seeded, "progress") == 1
    batches = json.loads(_sixbao("import", "list", "--json", db=sqlite_seeded).stdout)
    assert [b["file"] for b in batches] == ["stdin"]  # the file's own name, not its temporary copy's
    again = _sixbao("import", "progress", "/dev/stdin", "-u", "市人社局", *AS_OF, db=sqlite_seeded, stdin=data)
    assert "内容相同" in again.stdout.decode(), again.stderr.decode()
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("sixbao-*.csv"))  # the spooled copy is gone


def test_what_openpyxl_warns_about_never_reaches_the_user(sqlite_seeded, tmp_path):
    book = workbook(tmp_path / "人社局.xlsx", {"Sheet": [HEADER, ["JY-001", 99999999, "60", None, "日期格式的大数"]]},
                    formats={("Sheet", 2, 2): "yyyy-mm-dd"})
    done = _sixbao("import", "progress", str(book), "-u", "市人社局", *AS_OF, db=sqlite_seeded)
    assert done.returncode != 0
    assert done.stderr.decode().splitlines() == [
        f"错误：{book} 第 2 行 B 列：填报日期 的值“#VALUE!”不是日期。请写成 2020-09-25、2020/9/25 或 2020年9月25日。本文件未导入任何内容。"]


def test_a_date_without_its_year_takes_the_nearest_year_not_after_the_import(cli, sqlite_seeded, tmp_path):
    # Chinese Excel shows 2020-09-25 as 9月25日, and saves it so in CSV: the year is gone.
    sheet = write_csv(tmp_path / "人社局.csv", [
        HEADER, ["JY-001", "9月25日", "60", "", "九月"], ["JY-001", "12月28日", "20", "", "去年年底"],
    ], encoding="gb18030")
    result = cli.ok("import", "progress", str(sheet), "-u", "市人社局", "--as-of", "2021-01-05")
    assert ("注意：没有写年份的填报日期（如“9月25日”）按 2020 年读取：取不晚于 --as-of（未给出时为今天）的最近一天。"
            in result.stderr.splitlines())
    assert sorted(e["date"] for e in entries(cli)) == ["2020-09-25", "2020-12-28"]
    impossible = write_csv(tmp_path / "人社局-2.csv", [HEADER, ["JY-001", "2月30日", "60", "", "x"]])
    assert "“2月30日”" in refused(cli, "import", "progress", str(impossible), "-u", "市人社局", "--as-of", "2021-01-05")


def test_an_excel_date_serial_with_a_time_of_day_is_read_as_its_day(cli, sqlite_seeded, tmp_path):
    book = workbook(tmp_path / "人社局.xlsx", {"Sheet": [HEADER, ["JY-001", 44099.5, "60", None, "正午"]]})
    cli.ok("import", "progress", str(book), "-u", "市人社局", *AS_OF)
    assert [e["date"] for e in entries(cli)] == ["2020-09-25"]


def test_a_code_beside_another_tasks_title_is_refused(cli, sqlite_seeded, tmp_path):
    # A sort over some columns only leaves codes beside other tasks' titles: which is meant is a guess.
    header = ["任务编号", "任务名称", "填报日期", "完成进度(%)", "进展情况"]
    before = snapshot(sqlite_seeded)
    scrambled = write_csv(tmp_path / "人社局.csv", [
        header, ["JY-001", "拓宽以工代训范围", "2020-09-25", "60", "已返还"],
        ["JY-002", "拓宽以工代训范围", "2020-06-29", "100", "已完成"],
    ])
    message = refused(cli, "import", "progress", str(scrambled), "-u", "市人社局", *AS_OF)
    assert "第 2 行 B 列：任务编号 JY-001 与任务名称“拓宽以工代训范围”不符：这是 JY-002 的名称。" in message
    assert "第 3 行" not in message and snapshot(sqlite_seeded) == before
    shortened = write_csv(tmp_path / "人社局-2.csv", [header, ["JY-001", "援企稳岗返还", "2020-09-25", "60", "已返还"]])
    cli.ok("import", "progress", str(shortened), "-u", "市人社局", *AS_OF)  # a title reworded names no other task


def test_a_cell_merged_over_the_rows_below_names_each_of_them(cli, sqlite_seeded, tmp_path):
    # A county 台账: 类别, 牵头单位 and 责任领导 merged over the tasks they cover; the title merged across.
    tasks = workbook(tmp_path / "台账.xlsx", {"Sheet": [
        ["某县“六保”任务台账"],
        ["类别", "任务名称", "牵头单位", "完成时限", "责任领导"],
        ["保居民就业", "合并任务一", "市人社局", "2020-12-31", "张三"],
        [None, "合并任务二", None, "2020-11-30", None],
        [None, "合并任务三", None, "2020-10-31", None],
        ["保基层运转", "单独任务", "市财政局", "2020-12-31", None],
    ]}, merged=("A1:E1", "A3:A5", "C3:C5", "E3:E5"))
    cli.ok("import", "tasks", str(tasks))
    listed = {r["title"]: r for r in json.loads(cli.ok("task", "list", "--json").stdout)}
    for title in ("合并任务一", "合并任务二", "合并任务三"):
        card = json.loads(cli.ok("task", "show", listed[title]["code"], "--json").stdout)
        assert (card["category"], card["leads"], card["leaders"]) == (
            "保居民就业", ["市人力资源社会保障局"], ["张三"]), title
    alone = json.loads(cli.ok("task", "show", listed["单独任务"]["code"], "--json").stdout)
    assert (alone["leads"], alone["leaders"]) == (["市财政局"], [])
    progress = workbook(tmp_path / "进展.xlsx", {"Sheet": [
        ["任务编号", "填报单位", "填报日期", "完成进度(%)", "进展情况"],
        ["JY-001", "市人社局", "2020-09-25", "60", "一"],
        ["JY-002", None, None, "100", "二"],
    ]}, merged=("B2:B3", "C2:C3"))
    cli.ok("import", "progress", str(progress), *AS_OF)
    assert [(e["task"], e["date"]) for e in entries(cli)] == [("JY-001", "2020-09-25"), ("JY-002", "2020-09-25")]


def test_an_export_sent_back_whole_is_no_news_of_a_closed_task(cli, sqlite_seeded, tmp_path):
    cli.ok("progress", "add", "JY-002", "-p", "100", "--date", "2020-06-29", "-u", "市人社局", "--note", "已完成")
    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-09-25", "-u", "市人社局", "--note", "推进中")
    cli.ok("task", "done", "JY-002", "--note", "经核查销号")
    cli.ok("export", "progress", "-o", str(tmp_path / "进展.csv"))
    result = cli.ok("import", "progress", str(tmp_path / "进展.csv"), *AS_OF)
    assert "中的 2 条进展都已在台账中" in result.stdout
    changed = tmp_path / "进展.csv"
    changed.write_text(changed.read_text(encoding="utf-8-sig").replace(",100,", ",90,"), encoding="utf-8-sig")
    assert "JY-002 已销号" in refused(cli, "import", "progress", str(changed), *AS_OF, "--replace")


def test_a_heading_merged_over_two_rows_is_no_data_for_the_row_under_it(cli, sqlite_seeded, tmp_path):
    # A tall header: each heading merged over rows 1–2, the data from row 3.
    tasks = workbook(tmp_path / "台账.xlsx", {"Sheet": [
        ["序号", "任务名称", "类别", "牵头单位", "完成时限"], [], ["1", "新任务甲", "就业", "市人社局", "2020-12-31"],
    ]}, merged=("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2"))
    cli.ok("import", "tasks", str(tasks))
    assert [r["title"] for r in json.loads(cli.ok("task", "list", "--json").stdout)][-1] == "新任务甲"
    progress = workbook(tmp_path / "进展.xlsx", {"Sheet": [
        ["任务编号", "填报单位", "填报日期", "完成进度(%)"], [], ["JY-001", "市人社局", "2020-09-25", "60"],
    ]}, merged=("A1:A2", "B1:B2", "C1:C2", "D1:D2"))
    cli.ok("import", "progress", str(progress), *AS_OF)
    assert [(e["task"], e["percent"]) for e in entries(cli)] == [("JY-001", 60.0)]


def test_a_formula_excel_computed_as_empty_text_leaves_its_cell_empty(cli, sqlite_seeded, tmp_path):
    # A template pre-fills 完成进度 with =IF(F3="","",F3/2): on a row nobody filled in, Excel saves "" for it.
    book = workbook(tmp_path / "人社局.xlsx", {"Sheet": [
        [*HEADER, "自评分"],
        ["JY-001", "2020-09-25", "=IF(F2=\"\",\"\",F2/2)", None, "已返还", 120],
        ["JY-002", None, "=IF(F3=\"\",\"\",F3/2)", None, None, None],
    ]})

    def cache(xml: str) -> str:
        xml = xml.replace('<c r="C2"><f>', '<c r="C2"><f>').replace("F2/2)</f><v />", "F2/2)</f><v>60</v>")
        return re.sub(r'<c r="C3"><f>(.*?)</f><v />', r'<c r="C3" t="str"><f>\1</f><v></v>', xml)

    patch(book, "xl/worksheets/sheet1.xml", cache)
    result = cli.ok("import", "progress", str(book), "-u", "市人社局", *AS_OF)
    assert "注意：1 行没有填写（只有任务编号、名称等预填内容），未导入。" in result.stderr.splitlines()
    assert [(e["task"], e["percent"]) for e in entries(cli)] == [("JY-001", 60.0)]


def test_a_formula_excel_computed_as_zero_counts_as_zero(cli, sqlite_seeded, tmp_path):
    # 0 is a value, not an empty cell: a started task reported at 0 % by a formula stays reported.
    book = workbook(tmp_path / "人社局.xlsx", {"Sheet": [
        [*HEADER, "自评分"], ["JY-001", "2020-09-25", "=F2*0", None, "尚未开展", 5],
    ]})
    patch(book, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("<f>F2*0</f><v />", "<f>F2*0</f><v>0</v>"))
    cli.ok("import", "progress", str(book), "-u", "市人社局", *AS_OF)
    assert [(e["task"], e["percent"]) for e in entries(cli)] == [("JY-001", 0.0)]
