"""What must hold on the five seed plans (issue 3), read by the parser itself."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from sixbao_cli.categories import SIX
from sixbao_cli.docparse.model import ParsedDocument
from sixbao_cli.docparse.parser import parse
from sixbao_cli.quantities import MilestoneSpec, Target
from sixbao_cli.units import unit_key

SEED = Path(__file__).resolve().parent.parent / "seed"


@cache
def seed(prefix: str) -> ParsedDocument:
    path = next(SEED.glob(f"{prefix}_*.txt"))
    return parse(path.read_bytes(), name=path.name, fallback_year=2026)


def per_category(tasks) -> list[int]:
    counts = Counter(t.category for t in tasks)
    return [counts[c] for c in SIX]


def by_number(doc: ParsedDocument, number: str, annex: int | None = None):
    found = [t for t in doc.tasks if t.number == number and t.annex == annex]
    assert len(found) == 1, [(t.number, t.annex) for t in found]
    return found[0]


def test_ganzhou_city_plan():
    doc = seed("001")
    assert (doc.title, doc.issuer, doc.issued_on, doc.level) == (
        "关于做好“六稳”工作落实“六保”任务的若干措施的通知", "赣州市人民政府办公室", date(2020, 6, 18), "city")
    assert len(doc.tasks) == 23
    assert per_category(doc.tasks) == [5, 3, 5, 3, 3, 4]
    first = by_number(doc, "（一）")
    assert (first.title, first.responsibility.leads, first.responsibility.supports, first.deadline) == (
        "加大援企稳岗返还力度", ["市人社局"], ["市财政局"], date(2020, 12, 31))
    assert first.section == "一、保居民就业"
    assert Target("全年返还企业失业保险费", ">=", 30_000_000, "元") in first.targets or any(
        t.value == 30_000_000 for t in first.targets)
    assert doc.warnings == []


def test_changsha_city_plan():
    doc = seed("003")
    assert (doc.doc_number, doc.issuer, doc.issued_on) == ("长政办发〔2020〕26号", "长沙市人民政府办公厅", date(2020, 7, 31))
    assert len(doc.tasks) == 27
    assert per_category(doc.tasks) == [4, 4, 5, 5, 5, 4]
    assert all(t.responsibility.leads for t in doc.tasks)
    assert "七、加强组织保障" in [c.heading for c in doc.context]  # context, not tasks


def test_qingshanhu_district_plan_with_broken_numbering():
    doc = seed("004")
    assert (doc.doc_number, doc.issued_on, doc.level) == ("湖政发〔2020〕25号", date(2020, 9, 25), "district")
    assert len(doc.tasks) == 18
    assert per_category(doc.tasks) == [2, 4, 4, 2, 3, 3]
    keys = Counter(w.key for w in doc.warnings)
    assert keys["doc.numbering"] == 5  # the five repeated "(十)"
    assert keys["doc.number_malformed"] == 1  # "十八)"
    assert [t.number for t in doc.tasks][-1] == "十八)"
    # 各镇、街道、园区 is one unit group
    assert any("各镇、街道、园区" in t.responsibility.supports for t in doc.tasks)


def test_jilin_province_opinion_and_its_six_annexes():
    doc = seed("000")
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued_on, doc.level) == (
        "关于落实“六保”任务的实施意见", "吉发〔2020〕17号", "中共吉林省委 吉林省人民政府", date(2020, 6, 5), "province")
    main = [t for t in doc.tasks if t.annex is None]
    assert len(main) == 27
    first = main[0]
    assert first.number == "(一)"
    assert first.responsibility.leaders == ["吴靖平", "刘金波", "安立佳"]
    assert first.responsibility.leads == ["省人社厅", "各地党委、政府"]
    assert first.responsibility.supports == ["省教育厅", "省退役军人事务厅"]
    # every item carries its section's block; 保基层运转's lead list crosses a page break
    assert all(t.responsibility.leaders and t.responsibility.leads for t in main)
    assert main[-1].responsibility.leads == ["省委组织部", "省财政厅", "省民政厅", "各地党委、政府"]
    annexes = {t.annex for t in doc.tasks if t.annex is not None}
    assert annexes == {1, 2, 3, 4, 5, 6}
    assert len([t for t in doc.tasks if t.annex is not None]) > 100
    annex2_task1 = next(t for t in doc.tasks if t.annex == 2 and t.number == "1.")
    assert annex2_task1.responsibility.leads == ["省扶贫办"]
    assert "各市（州）、县（市、区）党委、政府" in annex2_task1.responsibility.supports
    assert annex2_task1.parent_key is not None  # under （一）全面完成脱贫攻坚任务
    assert annex2_task1.deadline == date(2020, 6, 30)
    assert [w.key for w in doc.warnings if w.key == "doc.annex_marker_missing"] == ["doc.annex_marker_missing"]
    assert {t.annex_title for t in doc.tasks if t.annex == 5} == {"关于保产业链供应链稳定的实施方案"}
    for annex, category in zip(range(1, 7), SIX, strict=True):
        assert {t.category for t in doc.tasks if t.annex == annex} == {category}
    headings = [c.heading for c in doc.context]
    assert "一、总体要求" in headings and "八、强化工作落实" in headings
    assert any("每旬调度" in c.text for c in doc.context)  # the supervision rules stay with the document


def test_gaotai_county_six_bundled_plans():
    doc = seed("002")
    assert (doc.issuer, doc.issued_on, doc.level, doc.doc_number) == (
        "中共高台县委办公室 高台县人民政府办公室", date(2020, 8, 12), "county", None)  # 市委办发〔2020〕16号 is only cited
    plans = {t.annex: t.annex_title for t in doc.tasks}
    assert len(plans) == 6
    assert [categories for categories in (sorted({t.category for t in doc.tasks if t.annex == n}) for n in range(1, 7))] == \
        [[c] for c in SIX]
    jobs = next(t for t in doc.tasks if t.annex == 1 and Target("城镇新增就业", ">=", 2600, "人") in t.targets)
    assert jobs.milestones == [MilestoneSpec(date(2020, 5, 31), 50.0, None), MilestoneSpec(date(2020, 11, 30), 100.0, None)]
    # "500万元以下的欠款6月底前实现清零,其他无分歧欠款10月底前清偿完毕": 6月底前 is read (2020-06-30),
    # and the task, finished when all is repaid, is due at the later date
    (debts,) = [t for t in doc.tasks if "500万元以下的欠款6月底前实现清零" in t.text]
    from sixbao_cli.phrases import find_deadlines

    assert [(p.text, p.date) for p in find_deadlines(debts.text, doc.year)][:2] == [
        ("6月底前", date(2020, 6, 30)), ("10月底前", date(2020, 10, 31))]
    assert (debts.deadline, debts.deadline_text) == (date(2020, 10, 31), "10月底前")
    assert Target("500万元以下的欠款", "=", 0, None) in debts.targets
    # principles and the plan's targets section are not made tasks; its ——lines with targets are
    assert not any("坚持市场导向" in t.title for t in doc.tasks)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_task_is_placed_and_categorised(prefix):
    doc = seed(prefix)
    keys = [t.key for t in doc.tasks]
    assert len(keys) == len(set(keys))
    assert all(t.category and t.title and t.text for t in doc.tasks)
    known = set(keys)
    assert all(t.parent_key in known for t in doc.tasks if t.parent_key)


def test_same_text_in_another_encoding_is_the_same_plan():
    path = next(SEED.glob("001_*.txt"))
    text = path.read_text(encoding="utf-8")
    utf8 = parse(path.read_bytes(), name="a", fallback_year=2026)
    gb = parse(text.encode("gb18030"), name="b", fallback_year=2026)
    bom = parse(b"\xef\xbb\xbf" + text.encode("utf-8"), name="c", fallback_year=2026)
    assert utf8.checksum == gb.checksum == bom.checksum
    assert [t.title for t in gb.tasks] == [t.title for t in utf8.tasks]


# (seed, words of the task's text, deadline, as written): periods of a waiver or a subsidy are not deadlines
SEED_DEADLINES = [
    # 对一季度生产负荷增加…的规上工业企业: the quarter that qualifies a firm for the award
    ("000", "对一季度生产负荷增加", None, None),
    # 2020年1月1日至12月31日期间，对从事公益性岗位政策期满…: the period in which the extension applies
    ("000", "做好5000个临时公益性岗位开发工作", None, None),
    # 延长…政策期限至2021年4月30日 is the task's end; 2020年2月至6月 and 2月至4月 are periods of a waiver
    ("000", "免征中小微型企业养老保险", date(2021, 4, 30), "至2021年4月30日"),
    ("000", "任务上半年全部完成", date(2020, 6, 30), "上半年"),
    ("000", "确保500户重点企业上半年产值增速实现正增长", date(2020, 6, 30), "上半年"),
    ("002", "免除上半年3个月租金。引导国有银行", None, None),
    ("002", "3月至6月将社会救助", None, None),
    ("002", "对2020年1月1日至12月31日期间,中小微企业新增吸纳本县劳动力", None, None),
    ("002", "从2020年2月1日起至12月底", date(2020, 12, 31), "12月底"),
    ("002", "500万元以下的欠款6月底前实现清零", date(2020, 10, 31), "10月底前"),
    ("003", "免除2020年上半年3个月房屋租金", None, None),
    ("004", "实施期限为2020年1月1日至12月31日", date(2020, 12, 31), "至12月31日"),
]


@pytest.mark.parametrize(("prefix", "words", "deadline", "written"), SEED_DEADLINES, ids=[d[1] for d in SEED_DEADLINES])
def test_seed_deadlines_are_deadlines_not_periods(prefix, words, deadline, written):
    (found,) = [t for t in seed(prefix).tasks if words in t.text]
    assert (found.deadline, found.deadline_text) == (deadline, written)


def test_no_seed_deadline_falls_before_its_plan_but_those_the_plan_sets():
    late = {p: [w.params["deadline"] for w in seed(p).warnings if w.key == "doc.deadline_before_issue"]
            for p in ("000", "001", "002", "003", "004")}
    # 高台县 (issued 12 August) copies two deadlines of its June plans: 6月上旬前, 6月底前
    assert late == {"000": [], "001": [], "002": [date(2020, 6, 10), date(2020, 6, 30)], "003": [], "004": []}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_metrics_name_a_measure(prefix):
    metrics = [target.metric for t in seed(prefix).tasks for target in t.targets]
    assert metrics
    assert not [m for m in metrics if re.fullmatch(r"[省市县区州]本级|全[省市县区州]|[省市县区]", m)]
    assert not [m for m in metrics if re.search(r"不[低少高超得]?于?$|^(?:推动|落实|全省|全市|全县)", m)]


def test_seed_metrics_repaired():
    jilin = [target for t in seed("000").tasks for target in t.targets]
    assert Target("稻渔综合种养面积", ">=", 700_000, "亩") in jilin  # 不于 70 万亩 in the text
    assert Target("主要农作物耕种收综合机械化水平", ">=", 90, "%") in jilin
    changsha = {target.metric for t in seed("003").tasks for target in t.targets}
    assert "市本级" not in changsha  # 市本级120亿元: where, not what
    assert "市本级、园区、区县(市)所属国有企业招聘应届毕业生数量" in changsha


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_each_seed_unit_has_one_name(prefix):
    names = {u for t in seed(prefix).tasks for u in t.responsibility.leads + t.responsibility.supports}
    keys = Counter(unit_key(n) for n in names)
    assert [k for k, n in keys.items() if n > 1] == []


def test_seed_units_written_in_full_and_in_short():
    assert seed("000").unit_aliases == {
        "中国人民银行长春中心支行": "人民银行长春中心支行", "省发改委": "省发展改革委", "省粮食和物资储备局": "省粮食和储备局",
        "省应急管理厅": "省应急厅", "省文化和旅游厅": "省文旅厅"}
    assert seed("002").unit_aliases == {"县发改局": "县发展改革局", "县应急管理局": "县应急局"}
    (wind,) = [t for t in seed("002").tasks if "争取年底建成5万千瓦风电" in t.text]  # written 县发改局 there
    assert (wind.responsibility.leads, wind.deadline) == (["县发展改革局"], date(2020, 12, 31))
