"""sixbao import progress refuses bad files: one clear message naming file, row and column, a non-zero exit,
and the ledger exactly as it was (every case in issue 5's "Bad input" list, and a few more)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli, new_pg_database, seed, snapshot

H = "任务编号,任务名称,填报日期,完成进度(%),完成数值,进展情况,存在问题,下步计划,填报人"
PERCENT_RULE = "完成进度请填 0 到 100 之间的百分数（60 或 60% 都表示百分之六十）。"
NOT_IMPORTED = "本文件未导入任何内容。"


def _text(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


CASES = [
    # (file name, bytes, extra options, exit code, the error line)
    ("空.csv", b"", (), 4, "错误：空.csv 是空文件，没有可导入的内容。"),
    ("空白.csv", _text("\n \n\t\n"), (), 4, "错误：空白.csv 是空文件，没有可导入的内容。"),
    ("表头.csv", _text(H + "\n"), (), 4, "错误：表头.csv 只有表头（第 1 行），没有数据行，没有可导入的内容。"),
    ("二进制.csv", bytes(range(256)) * 4, (), 4,
     "错误：二进制.csv 不是表格文件（CSV 或 .xlsx）。请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再导入。"),
    ("扫描件.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", (), 4,
     "错误：扫描件.csv 不是表格文件（CSV 或 .xlsx）。请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再导入。"),
    ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), (), 4,
     "错误：旧表.xls 是旧版 Excel（.xls）文件。请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再导入。"),
    ("坏表.xlsx", b"PK\x03\x04 not really a workbook", (), 4,
     "错误：坏表.xlsx 不是有效的 .xlsx 工作簿（可能已损坏）。请在 Excel 或 WPS 中重新另存为 .xlsx 后再导入。"),
    ("错编码.csv", _text(H + "\nJY-001,,2020-09-25,60,,已返还2100万元,,,\n", "gb18030"), ("--encoding", "utf-8"), 4,
     "错误：错编码.csv 第 1 行附近的内容不是 UTF-8 编码（--encoding 所指定）。请去掉 --encoding 让程序自动判断，"
     "或改用文件的实际编码。"),
    ("乱码.csv", _text("任务编号,填报日期,完成进度\nJY-001,2020-09-25,60\n", "utf-8"), ("--encoding", "gb18030"), 4,
     "错误：在 乱码.csv 的前 30 行中没有找到表头。文件按 GB18030 读取（--encoding）；列名若成了乱码，说明编码不对，"
     "请去掉 --encoding 让程序自动判断。"),
    ("无表头.csv", _text("甲,乙,丙\n1,2,3\n"), (), 4,
     "错误：在 无表头.csv 的前 30 行中没有找到表头：至少要有“任务编号”或“任务名称”、“填报日期”、“完成进度”或“完成数值”等列名。"
     "请检查列名后再导入。"),
    ("缺列.csv", _text("任务编号,完成进度,进展情况\nJY-001,60,x\n"), (), 4,
     "错误：缺列.csv 第 1 行的表头中没有“填报日期”列（表头：任务编号、完成进度、进展情况）。请补上该列后再导入。"),
    ("重复列.csv", _text("任务编号,填报日期,日期,完成进度\nJY-001,2020-09-25,2020-09-25,60\n"), (), 4,
     "错误：重复列.csv 第 1 行的表头中，B 列“填报日期”和 C 列“日期”是同一项，无法确定以哪列为准。请删去或改名其中一列。"),
    ("无单位.csv", _text(H + "\nJY-001,,2020-09-25,60,,,,,\n"), ("--no-unit",), 4,
     "错误：无单位.csv 没有“填报单位”列，命令中也没有 --unit。请加 --unit 单位名称（整个文件为同一单位），或在表中增加“填报单位”列。"),
    ("未知任务.csv", _text(H + "\nJY-01,,2020-09-25,60,,,,,\n"), (), 3,
     f"错误：未知任务.csv 第 2 行 A 列：任务编号“JY-01”不存在。是否要找：JY-001、JY-002？{NOT_IMPORTED}"),
    ("别人的任务.csv", _text(H + "\nJC-001,,2020-09-25,60,,,,,\n"), (), 4,
     "错误：别人的任务.csv 第 2 行：“市人力资源社会保障局”不是任务 JC-001 的牵头或配合单位"
     f"（该任务的单位：市财政局、各地党委、政府）。{NOT_IMPORTED}"),
    ("进度150.csv", _text(H + "\nJY-001,,2020-09-25,150,,,,,\n"), (), 4,
     f"错误：进度150.csv 第 2 行 D 列：完成进度(%) 的值“150”超出 0–100。{PERCENT_RULE}{NOT_IMPORTED}"),
    ("进度-5.csv", _text(H + "\nJY-001,,2020-09-25,-5,,,,,\n"), (), 4,
     f"错误：进度-5.csv 第 2 行 D 列：完成进度(%) 的值“-5”超出 0–100。{PERCENT_RULE}{NOT_IMPORTED}"),
    ("进度abc.csv", _text(H + "\nJY-001,,2020-09-25,abc,,,,,\n"), (), 4,
     f"错误：进度abc.csv 第 2 行 D 列：完成进度(%) 的值“abc”不是百分数。请写成 60、60% 或 0.6% 这样的数。{NOT_IMPORTED}"),
    ("进度歧义.csv", _text(H + "\nJY-001,,2020-09-25,0.6,,,,,\nJY-002,,2020-06-29,100,,,,,\n"), (), 4,
     "错误：进度歧义.csv 第 2 行 D 列：完成进度(%) 的值“0.6”有歧义：本列其他行按百分数填写，这是 0.6% 还是 60%？"
     f"请写成 60% 或 0.6%。{NOT_IMPORTED}"),
    ("2月30日.csv", _text(H + "\nJY-001,,2020-02-30,60,,,,,\n"), (), 4,
     f"错误：2月30日.csv 第 2 行 C 列：填报日期 的值“2020-02-30”是不存在的日期。请检查月份和日期。{NOT_IMPORTED}"),
    ("2999年.csv", _text(H + "\nJY-001,,2999-01-01,60,,,,,\n"), (), 4,
     f"错误：2999年.csv 第 2 行 C 列：填报日期 2999-01-01 晚于 --as-of 所给的 2020-10-31。进展只能填报已经发生的情况，请检查日期。"
     f"{NOT_IMPORTED}"),
    ("早于开始.csv", _text(H + "\nJY-001,,2020-06-01,10,,,,,\n"), (), 4,
     f"错误：早于开始.csv 第 2 行 C 列：填报日期 2020-06-01 早于任务 JY-001 的开始日期 2020-06-18。请检查日期。{NOT_IMPORTED}"),
    ("没日期.csv", _text(H + "\nJY-001,,,60,,x,,,\n"), (), 4,
     f"错误：没日期.csv 第 2 行 C 列：没有填写填报日期。请写成 2020-09-25 这样的日期。{NOT_IMPORTED}"),
    ("没进度.csv", _text(H + "\nJY-001,,2020-09-25,,,已返还,,,\n"), (), 4,
     f"错误：没进度.csv 第 2 行：完成进度(%)、完成数值 都没有填写，请至少填写一项。{NOT_IMPORTED}"),
    ("多一列.csv", _text(H + "\nJY-001,,2020-09-25,60,,x,,,,多余\n"), (), 4,
     "错误：多一列.csv 第 2 行有 10 个单元格，表头只有 9 列（从 J 列起多出）。请删去多余内容，或检查该行是否多了分隔符。"),
    ("引号.csv", _text(H + '\nJY-001,,2020-09-25,60,,"已返还,,,\nJY-002,,2020-06-29,100,,x,,,\n'), (), 4,
     "错误：引号.csv 第 2 行起引号（\"）不成对，之后的内容分不清各列。请检查该行的引号。"),
    ("矛盾.csv", _text(H + "\nJY-001,,2020-09-25,60,,x,,,\nJY-001,,2020-09-28,65,,x,,,\n"), (), 4,
     "错误：矛盾.csv 第 3 行：与第 2 行同为任务 JY-001（市人力资源社会保障局）2020年9月下旬的进展，内容却不同。"
     f"每项任务每旬只报一次：请删去或合并其中一行。{NOT_IMPORTED}"),
    ("表尾之后.csv", _text(H + "\nJY-001,,2020-09-25,60,,x,,,\n备注：无\nJY-002,,2020-06-29,100,,x,,,\n"), (), 4,
     "错误：表尾之后.csv 第 4 行：这一行在表尾（合计、备注或填表说明）之后，却填写了任务和进展。请把它移到表尾之前。"
     f"{NOT_IMPORTED}"),
    ("名称不明.csv", _text("任务名称,填报日期,完成进度\n不存在的任务,2020-09-25,60\n"), (), 3,
     "错误：名称不明.csv 第 2 行 A 列：台账中没有名称为“不存在的任务”的任务。请填写任务编号（见 sixbao task list），"
     f"或核对任务名称。{NOT_IMPORTED}"),
    ("别的单位.csv", _text("任务编号,填报单位,填报日期,完成进度\nJY-001,市财政局,2020-09-25,60\n"), (), 4,
     "错误：别的单位.csv 第 2 行 B 列：填报单位“市财政局”与 --unit 给出的“市人力资源社会保障局”不一致。请核对文件，"
     f"或去掉 --unit。{NOT_IMPORTED}"),
    ("单位不明.csv", _text("任务编号,填报单位,填报日期,完成进度\nJY-001,市人社,2020-09-25,60\n"), ("--no-unit",), 3,
     f"错误：单位不明.csv 第 2 行 B 列：单位“市人社”不存在。相近的单位或简称：市人社局。{NOT_IMPORTED}"),
    # a NUL past the first megabyte (the part looked at when the file is opened): PostgreSQL refuses NUL in text
    ("空字符.csv", _text(H + "\n" + "".join(f"JY-001,,2020-0{m}-{d},60,,{'已返还' * 30_000},,,\n" for m in (7, 8)
                                            for d in (5, 15, 25)) + "JY-002,,2020-06-29,100,,x\x00y,,,\n"),
     (), 4, "错误：空字符.csv 第 8 行含有空字符（NUL，0x00）：文件可能已损坏，或不是用 Excel 或 WPS 保存的文本表格。"
     "请删去该行的乱码，或在 Excel 或 WPS 中重新另存为 .xlsx 或 CSV 后再导入。"),
    ("空字符.json", '[{"任务编号": "JY-001", "填报日期": "2020-09-25", "完成进度(%)": 60, "进展情况": "x\\u0000y"}]'
     .encode(), (), 4, "错误：空字符.json 第 2 行含有空字符（NUL，0x00）：文件可能已损坏，或不是用 Excel 或 WPS 保存的文本表格。"
     "请删去该行的乱码，或在 Excel 或 WPS 中重新另存为 .xlsx 或 CSV 后再导入。"),
    ("编码名.csv", _text(H + "\n"), ("--encoding", "big-5-ish"), 4,
     "错误：不认识的编码“big-5-ish”。常用的有 utf-8、gb18030。"),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One seeded ledger per database for all the cases below: each must leave it exactly as it found it."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("shared") / "ledger.db")
    else:
        url = new_pg_database(request.getfixturevalue("pg_server"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIXBAO_DB", url)
        seed(Cli(), url)
    return url


@pytest.mark.parametrize(("name", "data", "options", "code", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_files_are_refused_and_change_nothing(cli, shared_ledger, tmp_path, monkeypatch, name, data, options,
                                                  code, message):
    monkeypatch.setenv("SIXBAO_DB", shared_ledger)
    seeded = shared_ledger
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(data)
    unit = () if "--no-unit" in options else ("-u", "市人社局")
    options = tuple(o for o in options if o != "--no-unit")
    before = snapshot(seeded)
    result = cli("import", "progress", name, *unit, *options, "--as-of", "2020-10-31")
    assert (result.exit_code, result.stderr.strip(), result.stdout) == (code, message, "")
    assert snapshot(seeded) == before


def test_every_problem_of_a_file_is_listed_by_row(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("多处.csv").write_bytes(_text(H + "\nJY-001,,2020-02-30,60,,,,,\nJY-002,,2020-06-29,abc,,,,,\n"
                                       "JC-001,,2020-09-25,60,,,,,\nJY-009,,2020-09-25,60,,,,,\n"))
    before = snapshot(seeded)
    result = cli("import", "progress", "多处.csv", "-u", "市人社局", "--as-of", "2020-10-31")
    assert result.exit_code == 4  # the first problem's: an impossible date
    assert result.stderr.splitlines() == [
        "错误：多处.csv 有 4 处问题，本文件未导入任何内容：",
        "  多处.csv 第 2 行 C 列：填报日期 的值“2020-02-30”是不存在的日期。请检查月份和日期。",
        "  多处.csv 第 3 行 D 列：完成进度(%) 的值“abc”不是百分数。请写成 60、60% 或 0.6% 这样的数。",
        "  多处.csv 第 4 行：“市人力资源社会保障局”不是任务 JC-001 的牵头或配合单位（该任务的单位：市财政局、各地党委、政府）。",
        "  多处.csv 第 5 行 A 列：任务编号“JY-009”不存在。是否要找：JY-001、JY-002？",
    ]
    assert snapshot(seeded) == before


def test_many_problems_are_capped_and_counted(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("满篇.csv").write_bytes(_text(H + "\n" + "".join(f"JY-001,,2020-02-30,{i},,,,,\n" for i in range(25))))
    result = cli("import", "progress", "满篇.csv", "-u", "市人社局", "--as-of", "2020-10-31")
    lines = result.stderr.splitlines()
    assert lines[0] == "错误：满篇.csv 有 25 处问题，本文件未导入任何内容："
    assert len(lines) == 22 and lines[-1] == "  ……另有 5 处问题未列出。"
    assert lines[1] == "  满篇.csv 第 2 行 C 列：填报日期 的值“2020-02-30”是不存在的日期。请检查月份和日期。"


def test_a_closed_task_takes_no_import(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli.ok("task", "done", "JY-002", "--note", "已核实")
    Path("销号.csv").write_bytes(_text(H + "\nJY-002,,2020-06-29,100,,,,,\n"))
    before = snapshot(seeded)
    result = cli("import", "progress", "销号.csv", "-u", "市人社局", "--as-of", "2020-10-31")
    assert (result.exit_code, result.stderr.strip()) == (5, f"错误：销号.csv 第 2 行：任务 JY-002 已销号，不再填报进展。{NOT_IMPORTED}")
    assert snapshot(seeded) == before


def test_dates_after_today_and_an_as_of_in_the_future(cli, seeded, tmp_path, monkeypatch):
    from sixbao_cli.clock import china_today

    monkeypatch.chdir(tmp_path)
    today = china_today()
    Path("未来.csv").write_bytes(_text(H + "\nJY-001,,2999-01-01,60,,,,,\n"))
    before = snapshot(seeded)
    result = cli("import", "progress", "未来.csv", "-u", "市人社局")
    assert result.stderr.strip() == (f"错误：未来.csv 第 2 行 C 列：填报日期 2999-01-01 晚于今天（{today}）。"
                                     f"进展只能填报已经发生的情况，请检查日期。{NOT_IMPORTED}")
    result = cli("import", "progress", "未来.csv", "-u", "市人社局", "--as-of", "2999-01-01")
    assert (result.exit_code, result.stderr.strip()) == (
        4, f"错误：--as-of 2999-01-01 晚于今天（{today}）。请给出今天或以前的日期。")
    assert snapshot(seeded) == before


def test_a_missing_file_is_named(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("import", "progress", "没有这个文件.csv", "-u", "市人社局")
    assert (result.exit_code, result.stderr.strip()) == (
        4, "错误：无法读取文件 没有这个文件.csv：文件或目录不存在")


# --- import tasks ---------------------------------------------------------------------------------

TH = "任务编号,任务名称,类别,牵头单位,配合单位,开始日期,完成时限"
TASK_CASES = [
    # (file name, bytes, exit code, the error line)
    ("缺名称.csv", _text("任务编号,类别,牵头单位\nJY-009,就业,市人社局\n"), 4,
     "错误：缺名称.csv 第 1 行的表头中没有“任务名称”列（表头：任务编号、类别、牵头单位）。请补上该列后再导入。"),
    ("无表头.csv", _text("甲,乙,丙\n1,2,3\n"), 4,
     "错误：在 无表头.csv 的前 30 行中没有找到表头：至少要有“任务名称”，以及“任务编号”“类别”“牵头单位”“完成时限”等列名。"
     "请检查列名后再导入。"),
    ("只有表头.csv", _text(TH + "\n"), 4, "错误：只有表头.csv 只有表头（第 1 行），没有数据行，没有可导入的内容。"),
    ("重复列.csv", _text("任务编号,任务名称,完成时限,截止日期\nJY-001,x,2020-12-31,2020-12-31\n"), 4,
     "错误：重复列.csv 第 1 行的表头中，C 列“完成时限”和 D 列“截止日期”是同一项，无法确定以哪列为准。请删去或改名其中一列。"),
    ("未知类别.csv", _text(TH + "\n,稳定外贸,稳外贸,市人社局,,2020-06-01,年底前\n"), 4,
     "错误：未知类别.csv 第 2 行 C 列：类别 的值“稳外贸”不是可用的类别。请填写：保居民就业（JY）、保基本民生（MS）、保市场主体（SC）、"
     "保粮食能源安全（LN）、保产业链供应链稳定（CL）、保基层运转（JC）、其他（QT），或“就业”“民生”这样的简称，或台账中已有的类别。"
     f"{NOT_IMPORTED}"),
    ("没有类别.csv", _text(TH + "\n,稳定外贸,,市人社局,,2020-06-01,年底前\n"), 4,
     "错误：没有类别.csv 第 2 行 C 列：没有填写类别。新任务须有类别（六保之一或“其他”），可填在本行，或写在上方的分类标题行"
     f"（如“一、保居民就业”）。{NOT_IMPORTED}"),
    ("未知单位.csv", _text(TH + "\n,稳定外贸,就业,市人社,,2020-06-01,年底前\n"), 3,
     f"错误：未知单位.csv 第 2 行 D 列：单位“市人社”不存在。相近的单位或简称：市人社局。{NOT_IMPORTED}"),
    ("时限不明.csv", _text(TH + "\n,稳定外贸,就业,市人社局,,2020-06-01,6月低前\n"), 4,
     "错误：时限不明.csv 第 2 行 G 列：完成时限 的值“6月低前”读不出日期。请写成 2020-12-31 这样的日期，或“年底前”“6月底前”"
     f"“2020年9月30日前”“三季度末”这样的时限；长期任务写“长期坚持”。{NOT_IMPORTED}"),
    ("不存在的日期.csv", _text(TH + "\n,稳定外贸,就业,市人社局,,2020-02-30,年底前\n"), 4,
     f"错误：不存在的日期.csv 第 2 行 F 列：开始日期 的值“2020-02-30”是不存在的日期。请检查月份和日期。{NOT_IMPORTED}"),
    ("开始晚于时限.csv", _text(TH + "\n,稳定外贸,就业,市人社局,,2020-10-01,2020-09-30\n"), 4,
     f"错误：开始晚于时限.csv 第 2 行 G 列：完成时限 2020-09-30 早于开始日期 2020-10-01。{NOT_IMPORTED}"),
    ("改开始.csv", _text(TH + "\nJY-002,,,,,2020-07-01,\n"), 4,
     f"错误：改开始.csv 第 2 行 F 列：完成时限 2020-06-30 早于开始日期 2020-07-01。{NOT_IMPORTED}"),
    ("重复编号.csv", _text(TH + "\nJY-001,加大援企稳岗返还力度,,,,,\njy-001,另一个名称,,,,,\n"), 4,
     f"错误：重复编号.csv 第 3 行 A 列：任务 JY-001 在第 2 行已经出现。每项任务在表中只能占一行：请删去或合并其中一行。{NOT_IMPORTED}"),
    ("按名称重复.csv", _text(TH + "\nJY-002,拓宽以工代训范围,,,,,\n,拓宽以工代训范围,,,,,2020-07-31\n"), 4,
     f"错误：按名称重复.csv 第 3 行 A 列：任务 JY-002 在第 2 行已经出现。每项任务在表中只能占一行：请删去或合并其中一行。{NOT_IMPORTED}"),
    ("没有名称.csv", _text(TH + "\nJY-009,,就业,市人社局,,2020-06-01,\n"), 4,
     f"错误：没有名称.csv 第 2 行 B 列：没有填写任务名称。新任务须有名称（已有的任务请填写其任务编号）。{NOT_IMPORTED}"),
    ("编号不合规.csv", _text(TH + "\nJY 009!,新任务,就业,市人社局,,2020-06-01,\n"), 4,
     "错误：编号不合规.csv 第 2 行 A 列：任务编号“JY 009!”不合规：只能用字母、数字，以“-”或“.”分段，例如 JY-001。"
     f"{NOT_IMPORTED}"),
    ("两种角色.csv", _text(TH + "\n,新任务,就业,市人社局,市人力资源社会保障局,2020-06-01,\n"), 4,
     f"错误：两种角色.csv 第 2 行 E 列：单位“市人力资源社会保障局”不能既是牵头单位又是配合单位。{NOT_IMPORTED}"),
    ("清空牵头.csv", _text(TH + "\nJY-001,,,无,,,\n"), 4,
     f"错误：清空牵头.csv 第 2 行 D 列：牵头单位不能清空：任务至少要有一个牵头单位。如要更换，请填写新的牵头单位。{NOT_IMPORTED}"),
    ("状态不明.csv", _text("任务名称,类别,牵头单位,状态\n新任务,就业,市人社局,进行中\n"), 4,
     "错误：状态不明.csv 第 2 行 D 列：状态“进行中”不存在。可用的状态：未启动(not_started)、推进中(in_progress)、已完成(completed)、"
     f"已销号(closed)、暂缓(suspended)。{NOT_IMPORTED}"),
    ("节点超出.csv", _text("任务编号,任务名称,时间节点\nJY-001,,2021-01-31:50%\n"), 4,
     f"错误：节点超出.csv 第 2 行 C 列：时间节点 2021-01-31 不在任务的开始日期 2020-06-18 与完成时限 2020-12-31 之间。{NOT_IMPORTED}"),
    ("目标不明.csv", _text("任务编号,任务名称,目标\nJY-001,,尽力而为\n"), 4,
     f"错误：目标不明.csv 第 2 行 C 列：目标“尽力而为”看不懂。请写成“指标≥数值单位”，例如：城镇新增就业>=2600人。{NOT_IMPORTED}"),
    ("未知上级.csv", _text("任务编号,任务名称,上级任务\nJY-001,,JY-099\n"), 3,
     f"错误：未知上级.csv 第 2 行 C 列：上级任务“JY-099”在台账和本文件中都不存在。请核对任务编号。{NOT_IMPORTED}"),
    ("表尾之后.csv", _text(TH + "\n,新任务,就业,市人社局,,2020-06-01,\n合计,1项,,,,,\n,又一个,就业,市人社局,,,\n"), 4,
     f"错误：表尾之后.csv 第 4 行：这一行在表尾（合计、备注或填表说明）之后，却填写了任务。请把它移到表尾之前。{NOT_IMPORTED}"),
    ("坏.json", b"[{\"title\": \"x\",}]", 4,
     "错误：坏.json 不是有效的 JSON（第 1 行附近：Expecting property name enclosed in double quotes）。"
     "请用 sixbao export 导出的 JSON，或改用 CSV、.xlsx。"),
    ("不是行.json", b'{"title": "x"}', 4,
     "错误：不是行.json 的内容不是一组记录：应为对象的数组 [{…}, {…}]，即 sixbao export --format json 的格式。"),
]


@pytest.mark.parametrize(("name", "data", "code", "message"), TASK_CASES, ids=[c[0] for c in TASK_CASES])
def test_bad_task_sheets_are_refused_and_change_nothing(cli, shared_ledger, tmp_path, monkeypatch, name, data, code,
                                                        message):
    monkeypatch.setenv("SIXBAO_DB", shared_ledger)
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(data)
    before = snapshot(shared_ledger)
    result = cli("import", "tasks", name, "--year", "2020")
    assert (result.exit_code, result.stderr.strip(), result.stdout) == (code, message, "")
    assert snapshot(shared_ledger) == before


def test_every_problem_of_a_task_sheet_is_listed_by_row(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("多处.csv").write_bytes(_text(TH + "\n,甲,就业,市人社,,2020-06-01,年底前\n,乙,外贸,市人社局,,2020-06-01,尽快\n"
                                          "JY-001,,,,,,2020-06-01\n"))
    before = snapshot(seeded)
    result = cli("import", "tasks", "多处.csv")
    assert result.exit_code == 3  # the first problem's: an unknown unit
    assert result.stderr.splitlines() == [
        "错误：多处.csv 有 4 处问题，本文件未导入任何内容：",
        "  多处.csv 第 2 行 D 列：单位“市人社”不存在。相近的单位或简称：市人社局。",
        "  多处.csv 第 3 行 C 列：类别 的值“外贸”不是可用的类别。请填写：保居民就业（JY）、保基本民生（MS）、保市场主体（SC）、"
        "保粮食能源安全（LN）、保产业链供应链稳定（CL）、保基层运转（JC）、其他（QT），或“就业”“民生”这样的简称，或台账中已有的类别。",
        "  多处.csv 第 3 行 G 列：完成时限 的值“尽快”读不出日期。请写成 2020-12-31 这样的日期，或“年底前”“6月底前”"
        "“2020年9月30日前”“三季度末”这样的时限；长期任务写“长期坚持”。",
        "  多处.csv 第 4 行 G 列：完成时限 2020-06-01 早于开始日期 2020-06-18。",
    ]
    assert snapshot(seeded) == before


def test_a_task_start_after_its_first_report_or_a_shared_title_is_refused(cli, seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli.ok("progress", "add", "JY-002", "-p", "60", "--date", "2020-06-25", "-u", "市人社局", "--note", "x")
    cli.ok("task", "add", "拓宽以工代训范围", "-c", "就业", "-l", "市财政局", "--start", "2020-06-18")
    Path("晚.csv").write_bytes(_text(TH + "\nJY-002,,,,,2020-06-28,\n,拓宽以工代训范围,,,,,2020-07-31\n"))
    before = snapshot(seeded)
    result = cli("import", "tasks", "晚.csv")
    assert (result.exit_code, result.stderr.splitlines()) == (4, [
        "错误：晚.csv 有 2 处问题，本文件未导入任何内容：",
        "  晚.csv 第 2 行 F 列：开始日期 2020-06-28 晚于已有的进展记录（2020-06-25）。",
        "  晚.csv 第 3 行 B 列：本行没有任务编号，而台账中名称为“拓宽以工代训范围”的任务有多项（JY-002、JY-003），无法确定是哪一项。"
        "请填写任务编号。",
    ])
    assert snapshot(seeded) == before
