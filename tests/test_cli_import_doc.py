"""sixbao import-doc: a plan into the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import count, snapshot

SEED = Path(__file__).resolve().parent.parent / "seed"
GANZHOU = next(SEED.glob("001_*.txt"))
PLANS = Path(__file__).parent / "fixtures" / "plans"
CONTRACT_TASK_KEYS = {
    "code", "outcome", "key", "number", "annex", "annex_title", "section", "parent", "category", "title", "text",
    "lead_units", "support_units", "leaders", "start", "deadline", "deadline_text", "milestones", "targets", "line",
}


def test_import_writes_the_plan_and_prints_a_summary(cli, db_url):
    result = cli.ok("import-doc", str(GANZHOU))
    lines = result.stdout.splitlines()
    assert lines[0] == "已导入方案：关于做好“六稳”工作落实“六保”任务的若干措施的通知（赣州市人民政府办公室，2020-06-18）"
    assert lines[1] == "新增任务 23 项，更新 0 项，未变 0 项，方案中已删除 0 项。"
    assert lines[3].split() == ["正文", "5", "3", "5", "3", "3", "4", "0", "23"]
    assert result.stderr == ""  # no warnings for this plan
    assert count(db_url, "task") == 23 and count(db_url, "document") == 1
    card = json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)
    assert (card["title"], card["leads"], card["supports"], card["deadline"], card["number"]) == (
        "加大援企稳岗返还力度", ["市人社局"], ["市财政局"], "2020-12-31", "（一）")
    assert card["document"] == "关于做好“六稳”工作落实“六保”任务的若干措施的通知"
    assert card["start"] == "2020-06-18"  # the plan's date
    assert len(json.loads(cli.ok("task", "list", "-c", "就业", "--json").stdout)) == 5


def test_json_contract_and_dry_run_write_nothing(cli, db_url):
    cli.ok("init")
    before = snapshot(db_url)
    out = json.loads(cli.ok("import-doc", str(GANZHOU), "--dry-run", "--json").stdout)
    assert snapshot(db_url) == before
    assert set(out) == {"document", "outcome", "dry_run", "tasks", "dropped", "warnings"}
    assert out["document"] == {
        "title": "关于做好“六稳”工作落实“六保”任务的若干措施的通知", "doc_number": None, "issuer": "赣州市人民政府办公室",
        "issued_on": "2020-06-18", "year": 2020, "level": "city", "checksum": out["document"]["checksum"]}
    assert (out["outcome"], out["dry_run"], len(out["tasks"])) == ("new", True, 23)
    first = out["tasks"][0]
    assert set(first) == CONTRACT_TASK_KEYS
    assert (first["code"], first["number"], first["annex"], first["section"], first["category"]) == (
        "JY-001", "（一）", None, "一、保居民就业", "保居民就业")
    assert (first["lead_units"], first["support_units"], first["deadline"]) == (["市人社局"], ["市财政局"], "2020-12-31")
    assert {"metric": "全年返还企业失业保险费", "value": 30_000_000.0, "unit": "元", "comparator": ">="} in first["targets"] \
        or any(t["value"] == 30_000_000.0 for t in first["targets"])
    # a dry run shows the same codes the real import then gives
    real = json.loads(cli.ok("import-doc", str(GANZHOU), "--json").stdout)
    assert [t["code"] for t in real["tasks"]] == [t["code"] for t in out["tasks"]]
    assert real["dry_run"] is False


def test_the_same_plan_twice_or_in_another_encoding_changes_nothing(cli, db_url, tmp_path):
    cli.ok("import-doc", str(GANZHOU))
    before = snapshot(db_url)
    again = cli.ok("import-doc", str(GANZHOU))
    assert again.stdout.strip() == ("方案已在台账中，内容未变：关于做好“六稳”工作落实“六保”任务的若干措施的通知"
                                    "（赣州市人民政府办公室，2020-06-18）。台账未改动。")
    gb = tmp_path / "赣州-gb18030.txt"
    gb.write_bytes(GANZHOU.read_text(encoding="utf-8").encode("gb18030"))
    bom = tmp_path / "赣州-bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + GANZHOU.read_bytes())
    for path in (gb, bom):
        assert "内容未变" in cli.ok("import-doc", str(path)).stdout
    assert snapshot(db_url) == before


def test_a_revised_plan_updates_tasks_in_place_and_keeps_progress(cli, db_url, tmp_path):
    cli.ok("import-doc", str(GANZHOU))
    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-08-01", "-u", "市人社局", "--note", "已返还1200万元")
    text = GANZHOU.read_text(encoding="utf-8")
    revised = text.replace("2020年12月31日前返还其上年度", "2020年11月30日前返还其上年度")  # task （一）
    revised = revised.replace("全年返还企业失业保险费", "11月底前返还企业失业保险费", 1)
    revised = revised.replace("〔责任单位：市人社局、市财政局等〕", "〔责任单位：市人社局、市财政局、市税务局〕", 1)
    path = tmp_path / "赣州-修订.txt"
    path.write_text(revised, encoding="utf-8")
    out = json.loads(cli.ok("import-doc", str(path), "--json").stdout)
    assert out["outcome"] == "revised"
    assert [t["code"] for t in out["tasks"]] == [f"{p}-{n:03d}" for p, n in _codes()]
    changed = {t["code"]: t["outcome"] for t in out["tasks"]}
    assert changed["JY-001"] == "updated" and list(changed.values()).count("updated") == 1
    card = json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)
    assert card["deadline"] == "2020-11-30" and card["supports"] == ["市财政局", "市税务局"]
    assert [p["note"] for p in card["progress"]] == ["已返还1200万元"]  # progress kept
    assert {c["field"] for c in card["changes"]} >= {"deadline", "supports"}
    assert all(c["reason"].startswith("方案修订") for c in card["changes"] if c["field"] in ("deadline", "supports"))
    assert count(db_url, "document") == 1 and count(db_url, "task") == 23
    revised2 = revised.replace("2020年11月30日前返还其上年度", "2020年10月31日前返还其上年度")
    revised2 = revised2.replace("11月底前返还企业失业保险费", "10月底前返还企业失业保险费", 1)
    path.write_text(revised2, encoding="utf-8")
    lines = cli.ok("import-doc", str(path)).stdout.splitlines()
    assert lines[0].startswith("已按修订版更新方案：")
    assert lines[1] == "新增任务 0 项，更新 1 项，未变 22 项，方案中已删除 0 项。"
    assert "  JY-001 加大援企稳岗返还力度：任务内容、完成时限、时间节点 有变化" in lines


def _codes():
    for prefix, n in (("JY", 5), ("MS", 3), ("SC", 5), ("LN", 3), ("CL", 3), ("JC", 4)):
        for i in range(1, n + 1):
            yield prefix, i


def test_plan_units_go_through_the_alias_table(cli, db_url):
    cli.ok("unit", "add", "赣州市人力资源和社会保障局", "-a", "市人社局")
    out = json.loads(cli.ok("import-doc", str(GANZHOU), "--json").stdout)
    assert out["tasks"][0]["lead_units"] == ["赣州市人力资源和社会保障局"]  # the JSON says what the ledger stores
    assert json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)["leads"] == ["赣州市人力资源和社会保障局"]


def test_files_that_are_not_plans_are_refused_cleanly(cli, db_url, tmp_path):
    cli.ok("init")
    before = snapshot(db_url)
    pdf = tmp_path / "方案.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"\xef\xbb\xbf  \n\n")
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    cases = [
        (pdf, f"错误：{pdf} 是 Word/Excel/PDF 文件，不是纯文本。请在 WPS 或 Word 中“另存为”纯文本（.txt）后再导入。"),
        (empty, f"错误：{empty} 是空文件，没有可导入的内容。"),
        (binary, f"错误：{binary} 不是文本文件。请把方案另存为纯文本（.txt，UTF-8 或 GB18030 编码）后再导入。"),
        (tmp_path / "none.txt", f"错误：无法读取文件 {tmp_path / 'none.txt'}：文件或目录不存在"),
    ]
    for path, message in cases:
        result = cli("import-doc", str(path))
        assert (result.exit_code, result.stderr.strip()) == (4, message)
    assert snapshot(db_url) == before


def test_warnings_go_to_stderr_with_line_numbers(cli, db_url):
    result = cli.ok("import-doc", str(next(SEED.glob("004_*.txt"))))
    warnings = result.stderr.splitlines()
    assert "注意：第 80 行：编号 十八) 格式不完整（缺少括号），已按条目处理。" in warnings
    assert sum("不连续" in w for w in warnings) == 5
    assert "新增任务 18 项" in result.stdout


def _entries(cli, code):
    return [e["note"] for e in json.loads(cli.ok("progress", "list", code, "--json").stdout)]


def test_a_revision_that_deletes_an_item_moves_no_code_and_no_progress(cli, db_url, tmp_path):
    cli.ok("import-doc", str(GANZHOU))
    cli.ok("progress", "add", "JY-002", "-p", "30", "--date", "2020-08-01", "-u", "市人社局", "--note", "以工代训已培训300人")
    cli.ok("progress", "add", "JY-003", "-p", "20", "--date", "2020-08-01", "-u", "市人社局", "--note", "社保补贴已发放")
    text = GANZHOU.read_text(encoding="utf-8")
    start = text.index("（二）拓宽以工代训范围")
    end = text.index("（三）实施社会保险补贴")
    path = tmp_path / "删去第二项.txt"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    out = json.loads(cli.ok("import-doc", str(path), "--json").stdout)
    codes = {t["title"]: t["code"] for t in out["tasks"]}
    assert codes["实施社会保险补贴"] == "JY-003" and "拓宽以工代训范围" not in codes
    assert out["dropped"] == ["JY-002"]
    assert _entries(cli, "JY-003") == ["社保补贴已发放"]
    assert _entries(cli, "JY-002") == ["以工代训已培训300人"]  # kept with its own task
    assert json.loads(cli.ok("task", "show", "JY-003", "--json").stdout)["title"] == "实施社会保险补贴"


def test_a_revision_that_inserts_a_section_keeps_every_code(cli, db_url, tmp_path):
    cli.ok("import-doc", str(GANZHOU))
    before = {r["code"]: r["title"] for r in json.loads(cli.ok("task", "list", "--json").stdout)}
    text = GANZHOU.read_text(encoding="utf-8")
    text = text.replace("一、保居民就业", "一、总体要求\n\n坚持稳中求进工作总基调。\n\n二、保居民就业", 1)
    path = tmp_path / "加总体要求.txt"
    path.write_text(text, encoding="utf-8")
    out = json.loads(cli.ok("import-doc", str(path), "--json").stdout)
    assert {t["code"]: t["title"] for t in out["tasks"]} == before
    assert out["dropped"] == [] and {t["outcome"] for t in out["tasks"]} <= {"unchanged", "updated"}


def test_plans_of_unknown_issuers_are_never_merged(cli, db_url, tmp_path):
    plan = "关于落实“六保”任务的实施方案\n\n一、保居民就业\n\n（一）稳定就业。{unit}做好就业工作。（责任单位：{unit}）\n"
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(plan.format(unit="甲县人社局"), encoding="utf-8")
    b.write_text(plan.format(unit="乙县人社局"), encoding="utf-8")
    cli.ok("import-doc", str(a))
    out = json.loads(cli.ok("import-doc", str(b), "--json").stdout)
    assert out["outcome"] == "new" and out["tasks"][0]["code"] == "JY-002"
    assert json.loads(cli.ok("task", "show", "JY-001", "--json").stdout)["leads"] == ["甲县人社局"]
    assert count(db_url, "document") == 2


def test_a_file_without_numbered_tasks_is_refused(cli, db_url, tmp_path):
    cli.ok("init")
    before = snapshot(db_url)
    title_only = tmp_path / "只有标题.txt"
    title_only.write_text("关于落实“六保”任务的实施方案\n\n各单位要高度重视，认真抓好落实。\n", encoding="utf-8")
    result = cli("import-doc", str(title_only))
    assert result.exit_code == 4
    assert result.stderr.startswith("错误：在“关于落实“六保”任务的实施方案”中没有找到任何编号任务，未导入。")
    page = tmp_path / "网页.txt"
    page.write_text("<!DOCTYPE html><html><head><title>关于落实“六保”任务的实施方案</title></head></html>", encoding="utf-8")
    result = cli("import-doc", str(page))
    assert (result.exit_code, result.stderr.strip()) == (
        4, f"错误：{page} 是网页（HTML）文件，不是纯文本。请在浏览器中打开后全选复制，粘贴到记事本另存为 .txt 再导入。")
    assert snapshot(db_url) == before


def test_milestones_before_the_plans_date_are_kept(cli, db_url):
    cli.ok("import-doc", str(next(SEED.glob("002_*.txt"))))
    jobs = [r for r in json.loads(cli.ok("task", "list", "-q", "城镇新增就业2600人", "--json").stdout)]
    card = json.loads(cli.ok("task", "show", jobs[0]["code"], "--json").stdout)
    assert card["milestones"] == [{"due": "2020-05-31", "percent": 50.0, "value": None},
                                  {"due": "2020-11-30", "percent": 100.0, "value": None}]
    assert card["start"] <= "2020-05-31"


def test_a_dry_run_never_creates_a_ledger(cli, tmp_path):
    result = cli("--db", str(tmp_path / "new.db"), "import-doc", str(GANZHOU), "--dry-run")
    assert result.exit_code == 6 and "尚不存在" in result.stderr
    assert not (tmp_path / "new.db").exists()


def test_a_units_other_spelling_becomes_its_alias(cli, db_url, tmp_path):
    path = tmp_path / "简称.txt"
    path.write_text("关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、保市场主体\n\n"
                    "（一）稳定投资。加快项目建设。（责任单位：县发展改革局、县财政局）\n\n"
                    "（二）扩大消费。落实促消费政策。（责任单位：县发改局、县商务局）\n", encoding="utf-8")
    result = cli.ok("import-doc", str(path), "--json")
    out = json.loads(result.stdout)
    assert [t["lead_units"] for t in out["tasks"]] == [["县发展改革局"], ["县发展改革局"]]
    assert [w["code"] for w in out["warnings"]] == ["doc.unit_spelling"]
    rows = {r["name"]: r["aliases"] for r in json.loads(cli.ok("unit", "list", "--json").stdout)}
    assert rows == {"县发展改革局": ["县发改局"], "县财政局": [], "县商务局": []}
    # a later plan, or an officer, naming it either way finds the same unit
    cli.ok("task", "add", "做好项目储备", "-c", "市场主体", "--lead", "县发改局")
    assert json.loads(cli.ok("task", "show", "SC-003", "--json").stdout)["leads"] == ["县发展改革局"]


def test_plans_numbered_yishi_or_by_article_are_imported(cli, db_url):
    for name, count_ in (("points", 7), ("articles", 9), ("chapters", 4)):
        out = json.loads(cli.ok("import-doc", str(PLANS / f"{name}.txt"), "--json").stdout)
        assert (out["outcome"], len(out["tasks"])) == ("new", count_)
    assert count(db_url, "task") == 20
