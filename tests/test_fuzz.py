"""Hostile input, generated: whatever text or bytes come in, sixbao gives a result or a clean error.

Property-based tests (Hypothesis) over the readers that take what users and
documents write: the plan parser (docparse), deadline phrases and dates, unit
lists, and the progress and task importers on a real SQLite ledger. The only
failure allowed is a :class:`~sixbao_cli.errors.SixbaoError` (one catalogued
line for the user); any other exception is a bug. An importer that refuses a
file must leave the ledger exactly as it was.

The strategies mix arbitrary text with the fragments those readers look for —
Chinese numerals, 年/月/日/底/前/旬, 、，；, 牵头单位：, (一) and 1. numbering,
CSV separators and quotes, BOMs, GB18030 bytes — so the cases get past the
first check and into the parsers.

Each property runs a few thousand cases (the importers a few hundred) so the
file takes well under a minute; ``SIXBAO_FUZZ_EXAMPLES=N`` runs N cases per
property instead (benchmarks/fuzz_nightly.py does, with 50,000).
``SIXBAO_FUZZ_REPORT=FILE`` writes the cases each property ran to FILE as JSON.
"""

from __future__ import annotations

import collections
import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sixbao_cli.dates import parse_date
from sixbao_cli.docparse.model import ParsedDocument
from sixbao_cli.docparse.parser import parse, parse_text
from sixbao_cli.errors import SixbaoError
from sixbao_cli.phrases import DeadlinePhrase, find_deadlines, find_milestones, find_start, find_targets, task_deadline
from sixbao_cli.units import split_unit_list

from conftest import Cli, seed, snapshot

RUNS: collections.Counter[str] = collections.Counter()  # cases each property ran, for SIXBAO_FUZZ_REPORT
# How the importers' cases ended — "ok" or the error's catalog key — to see how far past the first check they get.
OUTCOMES: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)


def examples(default: int) -> int:
    """Cases per property: ``default``, or SIXBAO_FUZZ_EXAMPLES when set."""
    return int(os.environ.get("SIXBAO_FUZZ_EXAMPLES") or default)


def fuzz(default: int):
    """Hypothesis settings for one property: ``default`` cases, no per-case deadline (CI machines are slow)."""
    return settings(max_examples=examples(default), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much])


@pytest.fixture(scope="module", autouse=True)
def _report_runs():
    yield
    if out := os.environ.get("SIXBAO_FUZZ_REPORT"):
        report = {"cases": dict(RUNS), "outcomes": {k: dict(v.most_common()) for k, v in OUTCOMES.items()}}
        Path(out).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def ran(name: str) -> None:
    RUNS[name] += 1


# --- strategies ---------------------------------------------------------------------------------------------------

NUMERALS = list("〇○零一二三四五六七八九十两百千万亿") + ["二〇二〇", "十二", "三十一", "2020", "2021", "12", "31", "0", "13",
                                                     "32", "99999999999999999999", "１２", "２０２０", "0.6", "60%"]
DATE_WORDS = ["年", "月", "日", "号", "底", "前", "末", "初", "旬", "上旬", "中旬", "下旬", "年底", "月底", "年底前", "月底前",
              "之前", "以前", "起", "开始", "至", "到", "截至", "截止到", "于", "今年", "明年", "本年", "上半年", "下半年",
              "一季度", "三季度末", "第四季度", "年度内", "期间", "即日起", "印发之日起", "长期坚持", "常态化", "年内",
              "2020年12月31日前", "6月底前", "9月30日", "2020-09-25", "2020/9/25", "2020.9.25", "20200925",
              "今天", "昨天", "2020年2月30日", "13月底", "0年", "9999年", "《", "》", "（2018—2025年）"]
PUNCT = list("、，,；;。.：:（）()〔〕[]【】“”\"'—-~～/ \t\u3000") + ["\n", "\r\n", "\r", "\n\n", "\ufeff", "\x1a", "\x00"]
UNIT_WORDS = ["市人社局", "市人力资源和社会保障局", "省发展改革委", "县发改局", "市财政局", "市税务局", "各地党委、政府",
              "各市（州）、县（市、区）党委、政府", "各县（市、区）", "人民政府", "人行", "中国人民银行", "市", "县", "区",
              "省", "局", "厅", "委", "办", "等", "等部门", "及", "和", "与", "按职责分工负责", "各有关单位", "团省委"]
PLAN_WORDS = ["一、", "二、保居民就业", "三、保基本民生", "（一）", "（二）", "(三)", "（十）", "1.", "2．", "(1)", "①",
              "一是", "二是", "第一条", "第一章", "附件1", "附件：", "保居民就业", "保市场主体", "保基层运转", "总体要求",
              "牵头单位：", "配合单位：", "责任单位：", "责任领导：", "（牵头单位：", "（责任单位：", "，配合单位：",
              "目标任务：", "全年新增就业2600人以上", "返还失业保险费3000万元以上", "不低于90%", "≥", ">=", "达到",
              "完成", "加大援企稳岗返还力度。", "关于做好“六稳”工作落实“六保”任务的若干措施的通知", "赣州市人民政府办公室",
              "湘政办发〔2020〕12号", "2020年6月18日", "<html>", "<?xml", "抄送：", "印发"]
CSV_WORDS = ["任务编号", "任务名称", "填报日期", "完成进度(%)", "完成进度", "完成数值", "进展情况", "存在问题", "下步计划",
             "填报人", "填报单位", "类别", "牵头单位", "配合单位", "责任领导", "开始日期", "完成时限", "截止日期", "时间节点",
             "目标", "状态", "上级任务", "序号", "来源文件", "JY-001", "JY-002", "JC-001", "jy-001", "JY-999", "QT-001",
             "就业", "民生", "保基层运转", "60", "100%", "0.6", "150", "-5", "abc", "2600", "21万", "1.5", "=1+1", "@SUM(A1)",
             "合计", "备注：", "填表说明", "—", "无", "/", "已完成", "进行中", "推进中", "2020-05-31:50%", "5月底前:50%",
             "城镇新增就业>=2600人", "加大援企稳岗返还力度", '"', '""', '"a,b"', ",", "\t", ";", "|"]

KEYWORDS = NUMERALS + DATE_WORDS + PUNCT + UNIT_WORDS + PLAN_WORDS
short_text = st.text(max_size=6)
mixed_text = st.lists(st.one_of(st.sampled_from(KEYWORDS), st.sampled_from(NUMERALS + DATE_WORDS), short_text),
                      max_size=40).map("".join)
unit_text = st.lists(st.one_of(st.sampled_from(UNIT_WORDS), st.sampled_from(PUNCT), short_text), max_size=20).map("".join)


def _encode(text: str, how: str) -> bytes:
    if how == "utf-8-sig":
        return text.encode("utf-8-sig", "surrogatepass")
    if how == "gb18030":
        return text.encode("gb18030", "replace")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


def as_bytes(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """The text in UTF-8 (with or without BOM), GB18030 or UTF-16, sometimes cut or with raw bytes spliced in."""
    encoded = st.builds(_encode, texts, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    spliced = st.builds(lambda a, b, c: a[: len(a) // 2] + b + a[len(a) // 2:][: c], encoded, st.binary(max_size=16),
                        st.integers(0, 400))
    return st.one_of(encoded, spliced, st.binary(max_size=200))


plan_lines = st.lists(st.one_of(st.sampled_from(PLAN_WORDS), mixed_text, unit_text), max_size=30)
plan_text = st.one_of(mixed_text, plan_lines.map("\n".join),
                      st.lists(st.tuples(st.sampled_from(PLAN_WORDS), mixed_text), max_size=12)
                      .map(lambda pairs: "\n".join(a + b for a, b in pairs)))


def _csv(header: list[str], rows: list[list[str]], sep: str, end: str) -> str:
    return end.join(sep.join(row) for row in [header, *rows]) + end


cell = st.one_of(st.sampled_from(CSV_WORDS), st.sampled_from(DATE_WORDS + UNIT_WORDS), short_text, st.just(""))
csv_text = st.builds(
    _csv,
    st.one_of(st.just(["任务编号", "任务名称", "填报日期", "完成进度(%)", "完成数值", "进展情况", "存在问题", "下步计划", "填报人"]),
              st.just(["任务编号", "任务名称", "类别", "牵头单位", "配合单位", "开始日期", "完成时限"]),
              st.lists(st.sampled_from(CSV_WORDS[:22]), min_size=1, max_size=10),
              st.lists(cell, max_size=8)),
    st.lists(st.lists(cell, max_size=10), max_size=8),
    st.sampled_from([",", "\t", ";", "，", "|"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
# Sheets that look like the real thing — a header a department would write, rows of likely values with now and
# then anything at all — so that cases get past the header and into the row checks, the ledger and the writes.
COLUMN_VALUES = {
    "任务编号": ["JY-001", "JY-002", "JC-001", "jy-001", "JY-009", "", "QT-001", "JY 009!"],
    "任务名称": ["", "加大援企稳岗返还力度", "拓宽以工代训范围", "保障基层运转资金", "新任务", "稳定外贸"],
    "填报日期": ["2020-09-25", "2020-06-29", "2020/10/5", "2020年10月15日", "20201020", "2020-02-30", "", "今天",
             "2999-01-01", "2020-06-01"],
    "完成进度(%)": ["60", "100%", "0.6", "50", "abc", "", "150", "-5", "６０％", "1e3", "nan", "inf"],
    "完成数值": ["", "2600", "21万", "1.5", "-1", "一千"],
    "填报单位": ["", "市人社局", "市财政局", "市人社", "市人力资源社会保障局"],
    "类别": ["就业", "民生", "保基层运转", "", "外贸", "JY"],
    "牵头单位": ["市人社局", "市财政局、市税务局", "无", "", "新单位", "各地党委、政府"],
    "配合单位": ["", "市财政局", "市税务局、各地党委、政府", "—", "市人社局"],
    "开始日期": ["2020-06-01", "", "2020-02-30", "2020-10-01"],
    "完成时限": ["年底前", "6月底前", "2020-12-31", "", "长期坚持", "6月低前", "2020-09-30", "三季度末", "9999年底前"],
    "时间节点": ["", "2020-09-30:50%", "5月底前:50%", "2021-01-31:50%", "x"],
    "目标": ["", "城镇新增就业>=2600人", "尽力而为", "返还失业保险费≥3000万元"],
    "状态": ["", "未启动", "推进中", "进行中", "closed"],
    "上级任务": ["", "JY-001", "JY-099"],
}
REAL_HEADERS = [
    ["任务编号", "任务名称", "填报日期", "完成进度(%)", "完成数值", "进展情况", "存在问题", "下步计划", "填报人"],
    ["任务编号", "填报单位", "填报日期", "完成进度(%)"],
    ["任务编号", "任务名称", "类别", "牵头单位", "配合单位", "开始日期", "完成时限"],
    ["任务编号", "任务名称", "类别", "牵头单位", "配合单位", "完成时限", "时间节点", "目标", "状态", "上级任务"],
]


@st.composite
def plausible_rows(draw) -> list[list[object]]:
    header = list(draw(st.sampled_from(REAL_HEADERS)))
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    rows: list[list[object]] = [header]
    for _ in range(draw(st.integers(0, 6))):
        row: list[object] = []
        for column in header:
            pool = COLUMN_VALUES.get(column, ["", "已完成", "x", "王五"])
            row.append(draw(st.one_of(st.just(pool[0]), st.sampled_from(pool), cell)))
        rows.append(row[: draw(st.integers(len(row) - 1, len(row)))] if row else row)
    if draw(st.booleans()):
        rows.insert(0, [draw(st.sampled_from(["进展填报表", "", "附件1"]))])  # a title line above the header
    return rows


def _csv_bytes(rows: list[list[object]], sep: str, encoding: str) -> bytes:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding, "replace")


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _xlsx_cell(value: object) -> object:
    # openpyxl refuses control characters; a workbook cannot hold them either.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


xlsx_value = st.one_of(st.integers(-10, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                       st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.sampled_from([0.6, 1, 60, 100.0]))
sheet_cases = st.one_of(
    st.tuples(st.builds(_csv_bytes, plausible_rows(), st.sampled_from([",", ",", "\t", ";"]),
                        st.sampled_from(["utf-8-sig", "utf-8", "gb18030"])), st.just(".csv")),
    st.tuples(st.builds(_csv_bytes, plausible_rows(), st.just(","), st.just("utf-8-sig")), st.just(".csv")),
    st.tuples(st.builds(_xlsx_bytes, st.one_of(plausible_rows(), st.lists(st.lists(st.one_of(cell, xlsx_value),
                                                                                     max_size=6), max_size=5))),
              st.just(".xlsx")),
    st.tuples(st.one_of(as_bytes(csv_text), as_bytes(mixed_text)),
              st.sampled_from([".csv", ".csv", ".txt", ".tsv", ".json", ".xlsx"])),
)


# --- the plan parser ------------------------------------------------------------------------------------------------

def _parsed_or_refused(data: bytes) -> ParsedDocument | None:
    try:
        return parse(data, name="方案.txt", fallback_year=2020)
    except SixbaoError as exc:
        assert exc.message()  # a catalogued line that renders
        return None


@fuzz(1500)
@given(data=as_bytes(plan_text))
@example(data=b"\xef\xbb\xbf\xe4\xb8\x80\xe3\x80\x81")  # BOM + 一、
@example(data="（一）加大力度。（牵头单位：市人社局".encode("gb18030"))
def test_plan_bytes_parse_or_are_refused_cleanly(data):
    ran("plan_bytes")
    doc = _parsed_or_refused(data)
    if doc is not None:
        assert all(t.title for t in doc.tasks)


@fuzz(1500)
@given(text=plan_text, year=st.integers(1900, 2100))
def test_plan_text_parses(text, year):
    ran("plan_text")
    try:
        doc = parse_text(text, fallback_year=year)
    except SixbaoError:
        return
    for task in doc.tasks:
        assert all(u for u in task.responsibility.leads + task.responsibility.supports)


# --- date phrases and dates ---------------------------------------------------------------------------------------

def _check_phrases(text: str, phrases: list[DeadlinePhrase]) -> None:
    ends = [p.start for p in phrases]
    assert ends == sorted(ends)
    for p in phrases:
        assert text[p.start:p.end] == p.text and p.start < p.end


@fuzz(3000)
@given(text=mixed_text, year=st.integers(1, 9999))
@example(text="9999年底前", year=9999)
@example(text="明年底前", year=9999)
@example(text="十三月底前", year=2020)
def test_deadline_phrases_never_raise(text, year):
    ran("deadline_phrases")
    phrases = find_deadlines(text, year)
    _check_phrases(text, phrases)
    chosen = task_deadline(text, year)
    assert (chosen is None) == (not phrases)
    try:
        find_start(text, year, date(2020, 6, 18))
        find_targets(text)
        find_milestones(text, year)
    except SixbaoError:
        pass


@fuzz(2000)
@given(text=st.one_of(mixed_text, st.text(max_size=20)))
@example(text="99999-1-1")
@example(text="0000年1月1日")
@example(text="２０２０年９月２５日")
def test_dates_read_or_refuse_cleanly(text):
    ran("parse_date")
    try:
        day = parse_date(text, today=date(2020, 10, 31), field="--date")
    except SixbaoError as exc:
        assert exc.exit_code == 4 and exc.message()
        return
    assert isinstance(day, date)


@fuzz(2000)
@given(value=st.one_of(mixed_text, st.integers(), st.floats(allow_nan=True), st.none()), year=st.integers(1, 9999))
def test_deadline_cells_read_or_refuse_cleanly(value, year):
    from sixbao_cli.services.task_sheet import read_deadline, read_milestones

    ran("deadline_cells")
    try:
        read_deadline(value, field="完成时限", year=year, today=date(2020, 10, 31))
    except SixbaoError:
        pass
    if isinstance(value, str):
        try:
            read_milestones(value, field="时间节点", year=year, today=date(2020, 10, 31))
        except SixbaoError:
            pass


# --- numbers, targets and milestones as typed on the command line ----------------------------------------------------

quantity_text = st.lists(st.one_of(st.sampled_from(NUMERALS + CSV_WORDS[-30:] + ["万", "亿", "%", "％", ":", "：", "≥", ">=",
                                                                              "不少于", "以上", "1e308", "_", "-"]),
                                   short_text), max_size=12).map("".join)


@fuzz(2000)
@given(text=st.one_of(quantity_text, st.text(max_size=20)))
@example(text="1e308万")
@example(text="城镇新增就业>=1e308亿人")
@example(text="2020-02-30:50%")
def test_numbers_targets_and_milestones_read_or_refuse_cleanly(text):
    from sixbao_cli.quantities import parse_milestone, parse_number, parse_percent, parse_target

    ran("quantities")
    for reader in (lambda v: parse_number(v, field="--value"), parse_percent, parse_target, parse_milestone):
        try:
            reader(text)
        except SixbaoError as exc:
            assert exc.message()


# --- rules files --------------------------------------------------------------------------------------------------

RULES_WORDS = ["[lights]", "[reporting]", "[[ladder]]", "[ranking]", "[requirements]", "yellow_behind", "red_behind",
               "due_soon_days", "interval_days", "after", "action", "fix_days", " = ", "=", "\n", '"', "'''", "[", "]",
               "{", "}", "1", "0", "-5", "3650", "1e9", "nan", "inf", "true", '"通报批评"', '"约谈"', "#", ".", ","]
rules_text = st.lists(st.one_of(st.sampled_from(RULES_WORDS), st.sampled_from(RULES_WORDS), short_text),
                      max_size=40).map("".join)


@fuzz(2000)
@given(text=st.one_of(rules_text, st.text(max_size=60)))
@example(text="[lights]\nyellow_behind = nan\n")
@example(text="[lights]\nyellow_behind = inf\nred_behind = inf\n")
@example(text="[[ladder]]\nafter = 1e400\naction = 'x'\n")
def test_rules_files_load_or_refuse_cleanly(text):
    from sixbao_cli.rules import load_rules

    ran("rules")
    try:
        load_rules(text=text, name="规则.toml")
    except SixbaoError as exc:
        assert exc.message()


# --- unit lists -----------------------------------------------------------------------------------------------------

@fuzz(2000)
@given(text=st.one_of(unit_text, st.text(max_size=30)))
@example(text="（（（、")
@example(text="）、各")
def test_unit_lists_split_into_names(text):
    ran("unit_lists")
    names = split_unit_list(text)
    assert all(name and name == name.strip() for name in names)


# --- the importers, on a real SQLite ledger ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_ledger(tmp_path_factory: pytest.TempPathFactory):
    """One seeded SQLite ledger for every case; refused files must leave it exactly as it was."""
    from sixbao_cli.schema import open_ledger
    from sixbao_cli.settings import resolve_db_url

    folder = tmp_path_factory.mktemp("fuzz")
    url = str(folder / "ledger.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIXBAO_DB", url)
        seed(Cli(), url)
    ledger = open_ledger(resolve_db_url(url))
    state = {"snapshot": snapshot(url)}
    yield ledger, url, folder, state
    ledger.close()


def _import_or_refuse(fuzz_ledger, kind: str, data: bytes, suffix: str, run) -> None:
    ledger, url, folder, state = fuzz_ledger
    path = folder / f"表{suffix}"
    path.write_bytes(data)
    try:
        with ledger.write() as conn:
            run(conn, path)
    except SixbaoError as exc:
        OUTCOMES[kind][exc.key] += 1
        assert exc.message()
        after = snapshot(url)
        assert after == state["snapshot"], "a refused file changed the ledger"
        return
    OUTCOMES[kind]["ok"] += 1
    state["snapshot"] = snapshot(url)  # it was imported: the ledger the next case starts from


@fuzz(200)
@given(case=sheet_cases, unit=st.sampled_from(["市人社局", None]), replace=st.booleans())
@example(case=("任务编号,填报日期,完成进度\nJY-001,2020-09-25,60\n".encode("gb18030"), ".csv"), unit="市人社局",
         replace=False)
def test_progress_import_of_any_bytes_is_clean(fuzz_ledger, case, unit, replace):
    from sixbao_cli.services.progress_import import ImportOptions, import_progress

    ran("import_progress")
    opts = ImportOptions(as_of=date(2020, 10, 31), as_of_given=True, unit=unit, replace=replace)
    _import_or_refuse(fuzz_ledger, "import_progress", *case,
                      lambda conn, path: import_progress(conn, path, opts, today=date(2020, 10, 31)))


@fuzz(200)
@given(case=sheet_cases, create_units=st.booleans(), year=st.sampled_from([2020, None]))
@example(case=("任务名称,类别,牵头单位,完成时限\n新任务,就业,市人社局,年底前\n".encode(), ".csv"), create_units=False,
         year=2020)
def test_task_import_of_any_bytes_is_clean(fuzz_ledger, case, create_units, year):
    from sixbao_cli.services.task_import import TaskImportOptions, import_tasks

    ran("import_tasks")
    opts = TaskImportOptions(create_units=create_units, year=year)
    _import_or_refuse(fuzz_ledger, "import_tasks", *case,
                      lambda conn, path: import_tasks(conn, path, opts, today=date(2020, 10, 31)))
