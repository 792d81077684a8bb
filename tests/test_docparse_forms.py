"""The forms a 六保 plan takes, end to end: parse() on one small plan per form (docparse/parser.py).

Each plan in tests/fixtures/plans/ is written in the tradition of the seed plans
(吉林省, 赣州市, 高台县, 长沙市, 南昌市青山湖区) but as another province, city or
county would write it, and shows one form: a section's block of 责任领导/牵头单位/
配合单位 lines, responsibility brackets of every shape, label lines after the
paragraph, the deadline phrases, 目标任务 target lines, sub-items, annexes,
bundled 工作方案, context sections, misnumbered items, items numbered 一是… or
第一条 (under 一、 sections or 第一章 chapters), a page copied from a government
web site, and the header and footer of an official document.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sixbao_cli.docparse.model import ParsedDocument, ParsedTask
from sixbao_cli.docparse.parser import parse, parse_text
from sixbao_cli.phrases import find_deadlines
from sixbao_cli.quantities import MilestoneSpec, Target

PLANS = Path(__file__).parent / "fixtures" / "plans"
JILIN_GROUP = "各市（州）、县（市、区）党委、政府"


def plan(name: str, *, fallback_year: int = 2020) -> ParsedDocument:
    """The fixture plan ``name`` (without .txt), read from its bytes as ``sixbao import-doc`` reads it."""
    path = PLANS / f"{name}.txt"
    return parse(path.read_bytes(), name=path.name, fallback_year=fallback_year)


def task(doc: ParsedDocument, number: str, annex: int | None = None) -> ParsedTask:
    """The one task numbered ``number`` (as written) in ``annex``."""
    (found,) = [t for t in doc.tasks if t.number == number and t.annex == annex]
    return found


def who(t: ParsedTask) -> tuple[list[str], list[str], list[str]]:
    """(leads, supports, leaders)."""
    r = t.responsibility
    return r.leads, r.supports, r.leaders


def keys(doc: ParsedDocument) -> list[str]:
    return [w.key for w in doc.warnings]


# --- a section's block of label lines (辽宁省, after 吉林省) -------------------------------------------------------------

def test_section_block_applies_to_every_item_and_an_own_bracket_overrides_its_units():
    doc = plan("section_block")
    jobs_leaders = ["王建国", "李红梅"]
    assert [(t.number, t.category, *who(t)) for t in doc.tasks] == [
        ("（一）", "保居民就业", ["省人社厅", "各地党委、政府"], ["省教育厅", "省退役军人事务厅"], jobs_leaders),
        # its own （牵头单位：…，配合单位：…） replaces the section's units; the section's leaders stay
        ("（二）", "保居民就业", ["省教育厅"], ["省财政厅", "团省委"], jobs_leaders),
        ("(三)", "保居民就业", ["省人社厅", "各地党委、政府"], ["省教育厅", "省退役军人事务厅"], jobs_leaders),
        # 牵头单位：省民政厅，各地党 / (blank line) / 委、政府 — a page break inside the unit group
        ("（四）", "保基本民生", ["省民政厅", "各地党委、政府"], ["省财政厅", "省医保局"], ["赵志刚"]),
        ("（五）", "保基本民生", ["省医保局"], ["省卫生健康委"], ["赵志刚"]),
    ]
    assert keys(doc) == []


def test_section_block_plan_outline():
    doc = plan("section_block")
    assert [(t.title, t.section, t.annex, t.parent_key) for t in doc.tasks] == [
        ("稳定就业岗位", "二、保居民就业", None, None),
        ("抓好高校毕业生就业", "二、保居民就业", None, None),
        ("扶持创业带动就业", "二、保居民就业", None, None),
        ("保障困难群众基本生活", "三、保基本民生", None, None),
        ("做好重点人群医疗保障", "三、保基本民生", None, None),
    ]
    assert task(doc, "（二）").text == "抓好高校毕业生就业。扩大事业单位公开招聘规模，开发一批科研助理岗位。"
    assert task(doc, "（五）").text == "做好重点人群医疗保障。落实贫困人口医疗救助政策。"
    # the label lines are not text of any task, and 总体要求 is context
    assert not any("牵头单位" in t.text or "责任领导" in t.text for t in doc.tasks)
    assert [c.heading for c in doc.context][1:] == ["一、总体要求"]
    assert all((t.deadline, t.targets, t.milestones) == (None, [], []) for t in doc.tasks)


def test_section_block_plan_identity():
    doc = plan("section_block")
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued_on, doc.year, doc.level) == (
        "关于全面落实“六保”任务的实施意见", "辽发〔2020〕17号", "中共辽宁省委 辽宁省人民政府", date(2020, 6, 5), 2020, "province",
    )


# --- responsibility brackets inside the paragraph (宜春市, after 赣州市) -----------------------------------------------

def test_inline_brackets_of_every_shape():
    doc = plan("inline_brackets")
    assert [(t.number, t.title, t.responsibility.leads, t.responsibility.supports) for t in doc.tasks] == [
        ("（一）", "加大援企稳岗力度", ["市人社局"], ["市财政局", "市税务局"]),  # （责任单位：A、B、C）
        ("（二）", "拓宽以工代训范围", ["市人社局"], ["市财政局"]),  # 〔责任单位：…〕
        ("（三）", "支持多渠道灵活就业", ["市人社局"], ["市市场监管局"]),  # [责任单位:…]
        ("（四）", "实施社会保险补贴", ["市人社局"], ["市医保局"]),  # (责任单位:…)
        ("（五）", "巩固脱贫攻坚成果", ["市扶贫办"], ["市农业农村局"]),  # （**责任单位**：…）
        ("（六）", "加大社会保障力度", ["市民政局"], ["市财政局"]),  # …。**责任单位**：… with no bracket
        ("（七）", "提升公共服务水平", ["市发改委"], ["市财政局"]),  # trailing 等
        ("（八）", "保障困难群众基本生活", ["市民政局"], ["市发改委", "各县（市、区）政府"]),  # 按职责分工负责
        ("（九）", "做好因疫致贫返贫人员帮扶", ["市扶贫办"], ["各地党委、政府"]),
        ("（十）", "兜牢农村低保底线", ["市民政局"], ["市扶贫办", JILIN_GROUP]),
    ]
    assert [t.category for t in doc.tasks] == ["保居民就业"] * 4 + ["保基本民生"] * 6
    assert keys(doc) == ["doc.year_assumed"]  # the plan gives no year


def test_inline_brackets_leave_the_text_without_them():
    doc = plan("inline_brackets")
    assert task(doc, "（一）").text == "加大援企稳岗力度。对不裁员或少裁员的中小微企业，返还其上年度缴纳失业保险费的50%。"
    assert task(doc, "（六）").text == "加大社会保障力度。扩大低保覆盖面，将符合条件的返乡无业人员纳入低保范围。"
    assert task(doc, "（九）").text == "做好因疫致贫返贫人员帮扶。"
    assert not any(c in t.text for t in doc.tasks for c in "（〔[(*")


def test_inline_brackets_plan_identity():
    doc = plan("inline_brackets")
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued_on, doc.level) == (
        "关于做好“六稳”工作落实“六保”任务的若干措施", None, "宜春市人民政府办公室", None, "city",
    )


# --- label lines after the paragraph (民勤县, after 高台县) ------------------------------------------------------------

def test_label_lines_after_the_paragraph():
    doc = plan("label_lines")
    assert [(t.number, *who(t), t.deadline, t.deadline_text) for t in doc.tasks] == [
        # （责任单位：…） on the line after the paragraph
        ("（一）", ["县税务局"], ["县财政局"], [], None, None),
        # lead and support in one bracket, on its own line
        ("（二）", ["县政府金融办"], ["人行民勤县支行", "县财政局"], [], None, None),
        # 牵头单位 / 协同单位 / 配合单位 / 负责领导 / 完成时限, one line each
        ("（三）", ["县国资局"], ["县财政局", "县住建局", "各乡镇人民政府"], ["张立新"], date(2020, 12, 31), "2020年12月底"),
        # a bare 责任单位： line right under the paragraph
        ("（四）", ["县政务服务中心"], ["县市场监管局"], [], None, None),
        # 牵头单位；配合单位；完成时限 in one bracket
        ("（五）", ["县工信局"], ["县财政局"], [], date(2020, 9, 30), "2020年9月底前"),
    ]
    assert task(doc, "（三）").text == "减轻企业房租负担。对承租国有房屋的小微企业和个体工商户，免除上半年3个月租金。"
    assert {t.category for t in doc.tasks} == {"保市场主体"}  # from the plan's title, under 一、工作措施
    assert {(t.annex, t.section) for t in doc.tasks} == {(None, "一、工作措施")}
    assert keys(doc) == []


# --- deadline phrases (资阳市 2020, 绵竹市 2021) -------------------------------------------------------------------------

DEADLINES_2020 = [
    ("（一）", date(2020, 12, 31), "2020年12月31日前"),
    ("（二）", date(2020, 6, 30), "6月底前"),
    ("（三）", date(2020, 11, 30), "11月底前"),
    ("（四）", date(2020, 6, 10), "6月上旬前"),
    ("（五）", date(2020, 12, 31), "年底前"),
    ("（六）", date(2020, 12, 31), "年内"),
    ("（七）", date(2020, 6, 30), "上半年"),
    ("（八）", date(2020, 6, 30), "二季度"),
    ("（九）", date(2021, 12, 31), "今明两年"),
    ("（十）", date(2020, 12, 31), "年底前"),  # 即日起…，年底前实现全覆盖
]


@pytest.mark.parametrize(("number", "deadline", "written"), DEADLINES_2020, ids=[d[2] for d in DEADLINES_2020])
def test_deadline_forms(number, deadline, written):
    t = task(plan("deadlines_2020"), number)
    assert (t.deadline, t.deadline_text) == (deadline, written)


def test_deadline_plan_starts_and_milestones():
    doc = plan("deadlines_2020")
    assert doc.issued_on == date(2020, 5, 20)
    # 即日起 starts on the day the plan was issued; no other task states a start
    assert [(t.number, t.start) for t in doc.tasks if t.start] == [("（十）", date(2020, 5, 20))]
    assert task(doc, "（七）").milestones == [MilestoneSpec(date(2020, 6, 30), 100.0, None)]  # 上半年全部完成
    assert task(doc, "（九）").targets == [Target("新增小微企业首贷户", ">=", 1000.0, "户")]
    assert [t.category for t in doc.tasks] == ["保居民就业"] * 4 + ["保基本民生"] * 3 + ["保市场主体"] * 3
    assert keys(doc) == []


def test_year_less_dates_take_the_plans_own_year():
    doc = plan("deadlines_2021", fallback_year=2020)  # the fallback must not win over "(2021年3月1日)"
    assert (doc.issued_on, doc.year) == (date(2021, 3, 1), 2021)
    assert [(t.number, t.deadline, t.deadline_text, t.start) for t in doc.tasks] == [
        ("（一）", date(2021, 6, 30), "6月底前", None),
        ("（二）", date(2021, 12, 31), "年底前", None),
        ("（三）", date(2022, 12, 31), "今明两年", None),
        ("（四）", None, None, date(2021, 3, 1)),  # 即日起
        ("（五）", date(2021, 9, 30), "9月30日前", None),  # the latest of 3月31日前 and 9月30日前
    ]
    assert task(doc, "（一）").milestones == [MilestoneSpec(date(2021, 6, 30), None, 20.0)]
    assert keys(doc) == []


# --- 目标任务 target lines (临泽县, after 高台县) ------------------------------------------------------------------------

def test_target_lines_become_target_tasks():
    doc = plan("targets")
    targets = [t for t in doc.tasks if t.number.startswith("——")]
    assert [(t.number, t.section, t.category, t.parent_key, t.title) for t in targets] == [
        ("——1", "二、目标任务", "保居民就业", None, "城镇新增就业2600人以上，登记失业率控制在4.5%以内"),
        ("——2", "二、目标任务", "保居民就业", None, "输转城乡富余劳动力3.04万人以上"),
        ("——3", "二、目标任务", "保居民就业", None, "城镇调查失业率不超过5.5%"),
    ]
    assert [t.targets for t in targets] == [
        [Target("城镇新增就业", ">=", 2600.0, "人"), Target("登记失业率", "<=", 4.5, "%")],
        [Target("输转城乡富余劳动力", ">=", 30400.0, "人")],
        [Target("城镇调查失业率", "<=", 5.5, "%")],
    ]
    first = targets[0]
    # "5月底前完成年度目标任务50%以上；11月底前完成全年目标任务"
    assert first.milestones == [MilestoneSpec(date(2020, 5, 31), 50.0, None), MilestoneSpec(date(2020, 11, 30), 100.0, None)]
    assert (first.deadline, first.deadline_text) == (date(2020, 11, 30), "11月底前")
    # a target line names nobody and is not warned about it
    assert all(t.responsibility.is_empty() for t in targets)
    assert keys(doc) == ["doc.year_assumed"]  # the plan gives no year


def test_targets_in_task_prose_and_principles_that_are_not_targets():
    doc = plan("targets")
    assert task(doc, "（一）").targets == [
        Target("城镇新增就业", ">=", 210000.0, "人"),  # 21万人
        Target("帮助就业困难人员实现就业", ">=", 5000.0, "人"),
    ]
    assert task(doc, "（二）").targets == [Target("开发乡村公益性岗位", ">=", 300.0, "个")]  # 不少于
    assert len(doc.tasks) == 5  # the ——lines under 工作原则 are context
    assert [c.heading for c in doc.context][1:] == ["一、工作原则", "二、目标任务"]
    assert "——稳存量、扩增量" in doc.context[1].text


# --- sub-items (通化市, after 吉林省 附件2) ------------------------------------------------------------------------------

def test_sub_items_are_children_of_their_group():
    doc = plan("subitems")
    groups = {t.number: t for t in doc.tasks if t.parent_key is None}
    assert list(groups) == ["（一）", "（二）"]
    assert [(t.number, t.parent_key, t.title) for t in doc.tasks if t.parent_key] == [
        ("1.", groups["（一）"].key, "因人因户精准施策"),
        ("2.", groups["（一）"].key, "强化政策兜底"),
        ("3、", groups["（二）"].key, "落实落细社会救助政策"),
        ("4．", groups["（二）"].key, "做好残疾人照料服务"),
    ]
    assert {t.category for t in doc.tasks} == {"保基本民生"}
    assert {t.section for t in doc.tasks} == {"二、工作任务"}
    assert [c.heading for c in doc.context][1:] == ["一、工作目标", "三、保障措施"]
    assert keys(doc) == ["doc.year_assumed"]  # the plan gives no year  # a group whose children name units needs none of its own


def test_sub_sub_items_stay_in_the_text():
    doc = plan("subitems")
    assert task(doc, "1.").text == (
        "因人因户精准施策。对未脱贫人口逐户制定帮扶措施：（1）落实产业帮扶；（2）落实就业帮扶。6月底前除人均纯收入外全部达到退出标准。"
    )
    assert task(doc, "2.").text == (
        "强化政策兜底。持续推进农村低保标准与扶贫标准“两线合一”。\n①将完全丧失劳动能力的贫困人口纳入低保；\n②对因病因残致贫的家庭实施临时救助。"
    )
    assert [(t.number, *who(t), t.deadline) for t in doc.tasks if t.parent_key] == [
        ("1.", ["省扶贫办"], [JILIN_GROUP], [], date(2020, 6, 30)),
        ("2.", ["省民政厅"], ["省财政厅"], [], None),  # 〔责任单位：…〕 on its own line after ① ②
        ("3、", ["省民政厅"], [], [], None),
        ("4．", ["省民政厅"], ["省残联"], [], None),
    ]


# --- annexes (白山市, 通辽市, 赤峰市, after 吉林省) -----------------------------------------------------------------------

def test_annexes_each_with_their_own_numbering_and_title():
    doc = plan("annexes")
    assert [(t.annex, t.annex_title, t.number, t.category, t.title) for t in doc.tasks] == [
        (1, "关于保居民就业的实施方案", "（一）", "保居民就业", "加大援企稳岗力度"),
        (1, "关于保居民就业的实施方案", "（二）", "保居民就业", "抓好高校毕业生就业"),
        (2, "关于保基本民生的实施方案", "（一）", "保基本民生", "提高城乡低保标准"),
        (2, "关于保基本民生的实施方案", "（二）", "保基本民生", "保障社会保险待遇"),
        (2, "关于保基本民生的实施方案", "（三）", "保基本民生", "做好未成年人关爱保护"),
    ]
    assert len({t.key for t in doc.tasks}) == 5
    assert task(doc, "（一）", annex=1).deadline == date(2021, 4, 30)
    assert task(doc, "（一）", annex=2).targets == [Target("城乡低保标准", ">=", 600.0, "元")]
    # the main text's 总体要求 and 强化工作落实 and each annex's 工作目标 are context
    assert [(c.annex, c.heading) for c in doc.context][1:] == [
        (None, "一、总体要求"), (None, "二、强化工作落实"), (1, "一、工作目标"), (2, "一、工作目标"),
    ]
    assert keys(doc) == []


def test_missing_annex_marker_is_recognised_from_the_list_of_annexes():
    doc = plan("annex_marker_missing")  # "附件 1" is there, "附件 2" is not
    assert [(t.annex, t.annex_title, t.number, t.category) for t in doc.tasks] == [
        (1, "关于保市场主体的实施方案", "（一）", "保市场主体"),
        (1, "关于保市场主体的实施方案", "（二）", "保市场主体"),
        (2, "关于保产业链供应链稳定的实施方案", "（一）", "保产业链供应链稳定"),
        (2, "关于保产业链供应链稳定的实施方案", "（二）", "保产业链供应链稳定"),
    ]
    assert [(w.line, w.key, w.params) for w in doc.warnings] == [
        (24, "doc.annex_marker_missing", {"annex": 2, "title": "关于保产业链供应链稳定的实施方案"}),
    ]


def test_missing_annex_marker_with_the_list_of_annexes_on_one_line():
    doc = plan("annex_list_one_line")  # 附件：1. 关于…的实施方案 2. 关于…的实施方案
    assert [(t.annex, t.annex_title, t.number, t.category) for t in doc.tasks] == [
        (1, "关于保市场主体的实施方案", "（一）", "保市场主体"),
        (1, "关于保市场主体的实施方案", "（二）", "保市场主体"),
        (2, "关于保产业链供应链稳定的实施方案", "（一）", "保产业链供应链稳定"),
        (2, "关于保产业链供应链稳定的实施方案", "（二）", "保产业链供应链稳定"),
    ]
    assert keys(doc) == ["doc.annex_marker_missing"]


# --- bundled 工作方案 (肃南县, after 高台县) ----------------------------------------------------------------------------

def test_bundled_plans_are_numbered_like_annexes():
    doc = plan("bundled")
    assert [(t.annex, t.annex_title, t.section, t.number, t.category, t.title) for t in doc.tasks] == [
        (1, "关于保居民就业工作方案", "二、目标任务", "——1", "保居民就业", "城镇新增就业800人以上"),
        (1, "关于保居民就业工作方案", "三、工作措施", "（一）", "保居民就业", "稳定就业岗位"),
        (1, "关于保居民就业工作方案", "三、工作措施", "1.", "保居民就业", "加大援企稳岗力度"),
        (1, "关于保居民就业工作方案", "三、工作措施", "2.", "保居民就业", "落实创业担保贷款政策"),
        (2, "关于保基本民生工作方案", "二、工作措施", "（一）", "保基本民生", "切实做到应保尽保"),
        (2, "关于保基本民生工作方案", "二、工作措施", "1.", "保基本民生", "加强动态监测"),
        (2, "关于保基本民生工作方案", "二、工作措施", "2.", "保基本民生", "提高保障水平"),
    ]
    assert task(doc, "——1", annex=1).targets == [Target("城镇新增就业", ">=", 800.0, "人")]
    assert [(t.number, t.annex, *who(t)) for t in doc.tasks if t.parent_key] == [
        ("1.", 1, ["县人社局"], ["县财政局", "县税务局"], []),  # （牵头单位：…；配合单位：…）
        ("2.", 1, ["人行肃南县支行"], ["县人社局"], []),
        ("1.", 2, ["县民政局"], ["各乡镇人民政府"], []),
        ("2.", 2, ["县民政局"], ["县财政局"], []),
    ]
    # 工作对象 and 工作原则 are context of their own plan
    assert [(c.annex, c.heading) for c in doc.context] == [
        (None, "关于印发肃南县“六保”工作方案的通知"), (1, "关于保居民就业工作方案"), (1, "一、工作对象"),
        (1, "二、目标任务"), (2, "关于保基本民生工作方案"), (2, "一、工作原则"),
    ]
    assert keys(doc) == []


def test_bundled_plans_identity_is_the_notices():
    doc = plan("bundled")
    # the 文号 cited in "根据《…》（张办发〔2020〕16号）要求" is another document's; the signature
    # date 2020年8月20日 beats the web page's 发布时间:2020-09-10
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued_on, doc.level) == (
        "关于印发肃南县“六保”工作方案的通知", None, "中共肃南县委办公室 肃南县人民政府办公室", date(2020, 8, 20), "county",
    )


def test_single_plan_titled_guanyu_names_its_category():
    doc = plan("single_plan")
    assert [(t.number, t.category, t.section, *who(t)) for t in doc.tasks] == [
        ("（一）", "保基本民生", "一、工作措施", ["县民政局"], ["县财政局"], []),
        ("（二）", "保基本民生", "一、工作措施", ["县民政局"], [], []),
    ]
    assert doc.title == "关于保基本民生工作方案"


def test_single_plan_titled_guanyu_is_the_main_text():
    doc = plan("single_plan")
    assert [(t.annex, t.annex_title) for t in doc.tasks] == [(None, None), (None, None)]
    assert [c.annex for c in doc.context] == [None]


# --- context sections and categories (萍乡市) ----------------------------------------------------------------------------

def test_sections_map_to_the_six_or_to_their_own_category():
    doc = plan("sections")
    assert [(t.number, t.section, t.category) for t in doc.tasks] == [
        ("（一）", "三、居民就业基本稳定", "保居民就业"),
        ("（二）", "四、保粮食安全", "保粮食能源安全"),
        ("（三）", "五、保能源安全", "保粮食能源安全"),
        ("（四）", "六、稳投资", "稳投资"),
        ("（五）", "七、稳外贸稳外资", "稳外贸稳外资"),
    ]
    assert task(doc, "（二）").targets == [Target("粮食播种面积", "=", 3000000.0, "亩")]  # 稳定在300万亩
    assert keys(doc) == []


def test_general_requirements_principles_and_safeguards_are_context():
    doc = plan("sections")
    assert [c.heading for c in doc.context][1:] == ["一、总体要求", "二、工作原则", "八、保障措施"]
    safeguards = doc.context[-1]
    assert safeguards.text == (
        "（一）加强组织领导。各地各部门要把“六保”工作摆上重要位置。\n（二）强化督导考核。将“六保”任务落实情况纳入年度考核。"
    )
    assert len(doc.tasks) == 5  # 保障措施's （一）（二） are not tasks


HEADINGS = [
    pytest.param("保居民就业", "保居民就业", id="jobs"),
    pytest.param("居民就业基本稳定", "保居民就业", id="jobs-stable"),
    pytest.param("保基本民生", "保基本民生", id="livelihoods"),
    pytest.param("保市场主体", "保市场主体", id="market-entities"),
    pytest.param("保粮食安全", "保粮食能源安全", id="food-security"),
    pytest.param("保能源安全", "保粮食能源安全", id="energy-security"),
    pytest.param("保产业链供应链稳定", "保产业链供应链稳定", id="supply-chains"),
    pytest.param("保基层运转", "保基层运转", id="grassroots"),
    pytest.param("稳金融", "稳金融", id="six-stabilities-finance"),
    pytest.param("稳投资", "稳投资", id="six-stabilities-investment"),
    pytest.param("稳外贸稳外资", "稳外贸稳外资", id="six-stabilities-trade"),
    pytest.param("扩大内需促进消费", "扩大内需促进消费", id="domestic-demand"),
    pytest.param(
        "保粮食能源安全和重要民生商品供应", "保粮食能源安全", id="food-energy-and-staples",
    ),
]


@pytest.mark.parametrize(("heading", "category"), HEADINGS)
def test_section_heading_category(heading, category):
    text = f"萍乡市人民政府关于落实“六保”任务的实施意见\n\n一、{heading}\n\n（一）推动重点企业稳产满产。落实惠企政策。（责任单位：市发改委）\n"
    (only,) = parse_text(text, fallback_year=2020).tasks
    assert (only.section, only.category) == (f"一、{heading}", category)


# --- numbering defects (东湖区, after 青山湖区) ---------------------------------------------------------------------------

def test_repeated_and_malformed_numbers_are_warnings_not_failures():
    doc = plan("numbering_defects")
    assert [(t.number, t.title) for t in doc.tasks] == [
        ("(一)", "推动产业链协同复产达产"),
        ("(二)", "畅通产业链供应链国内市场循环"),
        ("(二)", "实施铸链强链补链扩链工程"),
        ("(四)", "加快5G基站建设"),
        ("(十)", "强化开源节流"),
        ("(十)", "财力向基层倾斜"),
        ("十八)", "切实防范债务风险"),
    ]
    assert len({t.key for t in doc.tasks}) == 7  # repeated numbers still give distinct keys
    # items are numbered straight through the plan: the expected number follows the position,
    # so the repeated (二) is one warning and (四) after it none
    assert [(w.line, w.key, w.params) for w in doc.warnings] == [
        (9, "doc.numbering", {"number": "(二)", "expected": 3}),
        (15, "doc.numbering", {"number": "(十)", "expected": 5}),
        (17, "doc.numbering", {"number": "(十)", "expected": 6}),
        (19, "doc.number_malformed", {"number": "十八)"}),
        (19, "doc.numbering", {"number": "十八)", "expected": 7}),
    ]
    assert who(task(doc, "十八)")) == (["区财政局"], ["区金融办"], [])
    assert task(doc, "(四)").deadline == date(2020, 12, 31)  # 到2020年底


# --- a page copied from a web site (金塔县) ------------------------------------------------------------------------------

def test_web_page_furniture_nbsp_half_width_punctuation_and_broken_lines():
    doc = plan("messy")
    everything = "\n".join([*(t.text for t in doc.tasks), *(c.text for c in doc.context)])
    for furniture in ("字体", "打印", "扫一扫", "浏览量", "欢迎您的访问", "\u00a0"):
        assert furniture not in everything
    assert [(t.number, *who(t)) for t in doc.tasks] == [
        # 牵头单位:县人社局,各乡镇党 / (blank line) / 委、政府 ; 配合单位:县财政局;县税务局
        ("(一)", ["县人社局", "各乡镇党委、政府"], ["县财政局", "县税务局"], ["王明"]),
        # its own bracket never closes: the rest of the paragraph is its unit list
        ("(二)", ["县人社局"], ["县农业农村局"], ["王明"]),
        ("(三)", ["县人社局"], ["县教育局"], ["王明"]),
    ]
    assert task(doc, "(二)").text == "拓宽就业渠道。开发乡村公益性岗位,引导农民工就地就近就业。"
    # a page break inside 劳动合 / 同 is joined back
    assert "签订1年以上劳动合同并按规定缴纳社会保险的" in task(doc, "(三)").text
    assert task(doc, "(三)").targets == [Target("开展农民工职业技能培训", ">=", 1000.0, "人次")]
    assert [(w.line, w.key) for w in doc.warnings] == [(1, "doc.year_assumed"), (20, "doc.unclosed_bracket")]


def test_half_width_full_stop_ends_the_title():
    doc = plan("messy")
    assert [t.title for t in doc.tasks][1:] == ["拓宽就业渠道", "加强技能培训"]


def test_half_width_full_stop_ends_the_first_title():
    doc = plan("messy")  # (一)稳定就业岗位.落实援企稳岗政策,…返还失业保险费.
    assert task(doc, "(一)").title == "稳定就业岗位"


def test_the_same_plan_in_gb18030_parses_the_same():
    text = (PLANS / "messy.txt").read_text(encoding="utf-8")
    utf8, gbk = (parse(text.encode(codec), name="messy.txt", fallback_year=2020) for codec in ("utf-8", "gb18030"))
    assert gbk == utf8


# --- document identity: 文号, issuing body, issue date --------------------------------------------------------------------

# (fixture, title, 文号, issuer, issue date, level)
IDENTITIES = [
    # 文件编号: 湖政发[2020]25号 in a web page's header; 成文日期 2020-09-20 beats 生成日期 2020-09-28
    ("meta_web", "关于印发湖口县做好“六稳”工作落实“六保”任务实施办法的通知", "湖政发〔2020〕25号", "湖口县人民政府",
     date(2020, 9, 20), "county"),
    # the 文号 on its own line under the 文件 header; the date from "2020年7月31日印发" at the end
    ("meta_printed", "关于印发株洲市全面落实“六保”任务做好当前重点工作实施方案的通知", "株政办发〔2020〕26号",
     "株洲市人民政府办公室", date(2020, 7, 31), "city"),
    # only a cited 文号 (根据《…》（市委办发〔2020〕16号）要求): none of its own; 成文日期：2020年8月5日
    ("meta_cited", "关于印发民乐县保基层运转工作方案的通知", None, "中共民乐县委办公室 民乐县人民政府办公室",
     date(2020, 8, 5), "county"),
]


@pytest.mark.parametrize(("name", "title", "number", "issuer", "issued", "level"), IDENTITIES, ids=[i[0] for i in IDENTITIES])
def test_document_identity(name, title, number, issuer, issued, level):
    doc = plan(name, fallback_year=2019)
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued_on, doc.year, doc.level) == (
        title, number, issuer, issued, 2020, level,
    )


def test_a_cited_document_number_is_never_taken():
    doc = plan("meta_web")
    assert "九府发〔2020〕16号" in doc.context[0].text
    assert doc.doc_number == "湖政发〔2020〕25号"


TITLE = "株洲市人民政府关于落实“六保”任务的实施意见"
BODY = "一、保居民就业\n\n（一）稳定就业岗位。落实援企稳岗政策。（责任单位：市人社局）\n"
# (above the title, under the title, after the body, 文号, issue date)
HEADERS_AND_FOOTERS = [
    pytest.param("株洲市人民政府文件\n\n株政发〔2020〕25号", "", "", "株政发〔2020〕25号", None, id="doc-number-tortoise-brackets"),
    pytest.param("株洲市人民政府文件\n\n株政发[2020]25号", "", "", "株政发〔2020〕25号", None, id="doc-number-square-brackets"),
    pytest.param("株洲市人民政府文件\n\n株政发［2020］25号", "", "", "株政发〔2020〕25号", None, id="doc-number-full-width-square"),
    pytest.param("", "根据湘政发〔2020〕16号文件精神，制定本意见。", "", None, None, id="cited-doc-number"),
    pytest.param("", "（2020年6月5日）", "", None, date(2020, 6, 5), id="date-under-title"),
    pytest.param("", "", "株洲市人民政府\n\n2020年7月31日", None, date(2020, 7, 31), id="signature-date"),
    pytest.param("", "", "株洲市人民政府办公室\n\n2020年7月31日印发", None, date(2020, 7, 31), id="printed-on-line"),
    pytest.param("", "成文日期：2020年09月20日\n发布日期：2020年09月28日", "", None, date(2020, 9, 20), id="written-on-field"),
    pytest.param(
        "", "", "抄送：市委有关部门，株洲军分区。\n\n株洲市人民政府办公室　　　　　2020年7月31日印发", None, date(2020, 7, 31),
        id="printer-and-printed-on-one-line",
    ),
]


@pytest.mark.parametrize(("above", "under", "after", "number", "issued"), HEADERS_AND_FOOTERS)
def test_header_and_footer_forms(above, under, after, number, issued):
    text = "\n\n".join(part for part in (above, TITLE, under, BODY, after) if part)
    doc = parse_text(text, fallback_year=2020)
    assert (doc.doc_number, doc.issued_on) == (number, issued)
    assert (doc.title, doc.issuer, doc.level) == ("关于落实“六保”任务的实施意见", "株洲市人民政府", "city")
    assert [(t.number, t.responsibility.leads) for t in doc.tasks] == [("（一）", ["市人社局"])]


def test_closing_lines_after_the_last_task_are_not_its_text():
    doc = plan("meta_printed")
    last = doc.tasks[-1]
    assert last.text == "兜牢“三保”底线。优先保障基层“三保”支出。"
    assert last.start is None


def test_bao_headings_nested_under_a_tasks_section():
    doc = parse_text("关于落实“六保”任务的实施方案\n\n一、总体要求\n\n坚持稳中求进。\n\n二、重点任务\n\n（一）保居民就业\n\n"
                     "1.稳定就业岗位。做好稳岗工作。（责任单位：县人社局）\n\n（二）保基本民生\n\n"
                     "2.兜牢底线。做好低保工作。（责任单位：县民政局）\n", fallback_year=2020)
    assert [(t.number, t.category, t.title) for t in doc.tasks] == [
        ("1.", "保居民就业", "稳定就业岗位"), ("2.", "保基本民生", "兜牢底线")]


def test_parts_of_a_task_that_name_their_own_units_are_all_kept():
    doc = parse_text("关于落实“六保”任务的实施方案\n\n一、保市场主体\n\n（一）加大金融支持。\n\n"
                     "(1)落实贴息政策。（责任单位：县财政局）\n\n(2)扩大担保规模。（责任单位：县中小企业信用担保公司、县工信局）\n",
                     fallback_year=2020)
    (task,) = doc.tasks
    assert task.responsibility.leads == ["县财政局", "县中小企业信用担保公司"]
    assert task.responsibility.supports == ["县工信局"]
    assert "doc.several_responsibilities" in [w.key for w in doc.warnings]


@pytest.mark.parametrize(("issuer", "level"), [
    ("内蒙古自治区人民政府", "province"), ("广西壮族自治区人民政府办公厅", "province"),
    ("宁夏回族自治区吴忠市人民政府", "city"), ("新疆维吾尔自治区乌鲁木齐市天山区人民政府", "district"),
])
def test_autonomous_regions_are_provinces(issuer, level):
    from sixbao_cli.docparse.meta import level_of

    assert level_of(issuer, "") == level


def test_the_printed_layout_without_blank_lines():
    """Masthead, 文号, title, date and signature on consecutive lines (GB/T 9704), as PDF-to-text gives them."""
    doc = parse_text("某某市人民政府文件\n某政发〔2020〕9号\n关于落实“六保”任务的实施意见\n(2020年6月10日)\n"
                     "为落实“六保”任务，提出如下意见。\n一、保居民就业\n（一）稳定就业。做好稳岗工作。（责任单位：市人社局）\n\n"
                     "某某市人民政府\n2020年6月10日\n", fallback_year=2026)
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued_on, doc.year, doc.level) == (
        "关于落实“六保”任务的实施意见", "某政发〔2020〕9号", "某某市人民政府", date(2020, 6, 10), 2020, "city")
    assert [t.title for t in doc.tasks] == ["稳定就业"]


def test_a_title_without_guanyu():
    doc = parse_text("某某县人民政府文件\n\n某某县保居民就业工作方案\n\n（2020年5月8日）\n\n一、工作措施\n\n"
                     "（一）稳定就业。做好稳岗工作。（责任单位：县人社局）\n", fallback_year=2026)
    assert (doc.title, doc.issued_on, [t.category for t in doc.tasks]) == (
        "某某县保居民就业工作方案", date(2020, 5, 8), ["保居民就业"])


@pytest.mark.parametrize(("heading", "tasks", "category"), [
    ("狠抓保居民就业工作落实", 1, "保居民就业"),
    ("保市场主体，强化督导服务", 1, "保市场主体"),
    ("强化考核保基层运转", 1, "保基层运转"),
    ("保基本民生工作原则", 0, None),
    ("有关要求", 0, None),
    ("组织实施", 0, None),
    ("附则", 0, None),
])
def test_a_heading_naming_one_of_the_six_holds_tasks_unless_it_is_context(heading, tasks, category):
    doc = parse_text(f"关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、{heading}\n\n"
                     "（一）做好重点工作。按期完成。（责任单位：县人社局）\n", fallback_year=2020)
    assert len(doc.tasks) == tasks
    assert [t.category for t in doc.tasks] == ([category] if tasks else [])


def test_what_cannot_be_a_unit_is_left_out_with_a_warning():
    doc = parse_text("关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、保居民就业\n\n"
                     "（一）稳定就业。做好稳岗工作。（责任单位：区人社局、局、区财政局）\n\n"
                     "（二）扩大就业。做好服务。（责任单位：区就业局、同时要加强就业服务工作\n", fallback_year=2020)
    first, second = doc.tasks
    assert (first.responsibility.leads, first.responsibility.supports) == (["区人社局"], ["区财政局"])
    assert second.responsibility.leads == ["区就业局"] and second.responsibility.supports == []
    assert [w.params["name"] for w in doc.warnings if w.key == "doc.unit_rejected"] == ["局", "同时要加强就业服务工作"]


def test_hostile_text_full_of_unclosed_brackets_and_dates_still_parses():
    """20,000 unclosed brackets and as many deadline phrases: read in one pass (this used to take minutes)."""
    text = ("关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、保居民就业\n\n（一）做好工作。（责任单位：县人社局）\n\n"
            + "（二）加强服务" + "（服务" * 20000 + "\n\n（三）分步推进。" + "，".join("5月底前完成" for _ in range(20000)) + "\n")
    doc = parse_text(text, fallback_year=2020)
    assert [t.number for t in doc.tasks] == ["（一）", "（二）", "（三）"]
    assert doc.tasks[2].deadline == date(2020, 5, 31)


def test_hostile_text_of_points_periods_and_broken_comparators_still_parses():
    """Thousands of 一是 paragraphs, waived half-years, month ranges and a comparator of 20,000 不: one pass."""
    text = ("关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、保居民就业\n\n"
            + "一是做好工作。（责任单位：县人社局）\n\n" * 2000
            + "第一条 分步推进。" + "，".join("免除上半年3个月租金，2月至6月免征，10月前完成" for _ in range(5000))
            + "，力争完成面积" + "不" * 20000 + "于5万亩。" + " " * 20000 + "上半年" + "1" * 20000 + "\n")
    doc = parse_text(text, fallback_year=2020)
    assert len(doc.tasks) == 2001 and doc.tasks[-1].number == "第一条"
    assert (doc.tasks[-1].deadline, doc.tasks[-1].deadline_text) == (date(2020, 9, 30), "10月前")
    assert [w.key for w in doc.warnings] == ["doc.numbering"] * 1999 + ["doc.no_responsible_unit"]  # 一是 again and again


def test_a_responsibility_block_after_a_sections_items_applies_to_the_section():
    doc = parse_text("关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、保居民就业\n\n（一）稳定就业岗位。做好稳岗工作。\n\n"
                     "（二）扩大就业渠道。开发公益岗位。\n\n牵头单位：县人社局\n\n配合单位：县财政局、县税务局\n\n"
                     "二、保基本民生\n\n（三）兜牢底线。做好低保工作。\n\n牵头单位：县民政局\n", fallback_year=2020)
    assert [(t.number, t.responsibility.leads, t.responsibility.supports) for t in doc.tasks] == [
        ("（一）", ["县人社局"], ["县财政局", "县税务局"]), ("（二）", ["县人社局"], ["县财政局", "县税务局"]),
        ("（三）", ["县民政局"], [])]
    assert [w.key for w in doc.warnings] == ["doc.block_at_section_end"]


# --- items numbered 一是… 二是… (山丹县, after 高台县) -----------------------------------------------------------------

def test_paragraphs_numbered_yishi_are_the_tasks_of_their_section():
    doc = plan("points")
    assert [(t.number, t.section, t.category, t.title, *who(t)[:2]) for t in doc.tasks] == [
        ("一是", "二、保居民就业", "保居民就业", "稳定企业就业岗位", ["县人社局"], ["县财政局"]),
        # its 责任单位 on the line after the paragraph
        ("二是", "二、保居民就业", "保居民就业", "促进高校毕业生就业", ["县人社局"], ["县教育局", "团县委"]),
        # a second paragraph without a number continues it
        ("三是", "二、保居民就业", "保居民就业", "开发乡村公益性岗位", ["县人社局"], ["县扶贫办"]),
        # numbering starts again in each section
        ("一是", "三、保基本民生", "保基本民生", "兜牢困难群众基本生活", ["县民政局"], []),
        ("二是", "三、保基本民生", "保基本民生", "保障重点群体医疗", ["县医保局"], ["县卫生健康局"]),
        ("（一）", "四、保市场主体", "保市场主体", "减轻企业房租负担", ["县国资局"], ["县财政局"]),
        ("（二）", "四、保市场主体", "保市场主体", "加大金融支持力度", ["县政府金融办"], ["人行山丹县支行"]),
    ]
    assert all(t.parent_key is None for t in doc.tasks)
    assert doc.tasks[2].text == "开发乡村公益性岗位。统筹开发乡村公益性岗位，优先安置建档立卡贫困劳动力。\n" \
        "对疫情期间无法外出务工的贫困劳动力，给予临时性岗位补贴。"
    assert keys(doc) == []


def test_yishi_inside_a_numbered_item_or_a_context_section_is_not_a_task():
    doc = plan("points")
    # under （一）, 一是…二是… are the item's own steps
    assert task(doc, "（一）").text.endswith("\n一是由县国资局牵头建立减免台账。二是县财政局做好资金保障。")
    context = {c.heading: c.text for c in doc.context}
    assert context["五、保障措施"].startswith("一是加强组织领导。") and "二是强化督查考核" in context["五、保障措施"]
    assert context["一、总体要求"].endswith("一是坚持底线思维，二是坚持精准施策。")


def test_deadlines_of_the_yishi_plan():
    doc = plan("points")
    assert [(t.number, t.deadline, t.deadline_text) for t in doc.tasks] == [
        ("一是", date(2020, 12, 31), "本年度内"),
        ("二是", date(2020, 12, 31), "全年"),  # the later of 10月前 (09-30) and 全年
        ("三是", None, None),  # 疫情期间 is no date
        ("一是", date(2020, 9, 20), "9月中旬前"),
        ("二是", date(2020, 9, 30), "三季度末"),
        ("（一）", None, None),  # 免除上半年3个月租金: the months the waiver covers
        ("（二）", date(2020, 12, 31), "年底前"),
    ]
    assert [p.text for p in find_deadlines(doc.tasks[1].text, doc.year)] == ["10月前", "全年"]


# --- articles 第一条 … under the six (抚州市, after 赣州市) ----------------------------------------------------------

def test_articles_are_the_tasks_of_the_six_sections():
    doc = plan("articles")
    assert [(t.number, t.section, t.category, t.title) for t in doc.tasks] == [
        ("第一条", "一、保居民就业", "保居民就业", "加大援企稳岗力度"),
        ("第二条", "一、保居民就业", "保居民就业", "拓宽高校毕业生就业渠道"),
        ("第三条", "二、保基本民生", "保基本民生", "提高困难群众保障水平"),
        ("第四条", "二、保基本民生", "保基本民生", "做好脱贫攻坚收官工作"),
        ("第五条", "三、保市场主体", "保市场主体", "减免企业房租"),
        ("第六条", "三、保市场主体", "保市场主体", "降低企业融资成本"),
        ("第七条", "四、保粮食能源安全", "保粮食能源安全", "稳定粮食生产"),
        ("第八条", "五、保产业链供应链稳定", "保产业链供应链稳定", "推动产业链协同复工达产"),
        ("第九条", "六、保基层运转", "保基层运转", "兜牢“三保”底线"),
    ]
    assert who(task(doc, "第六条")) == (["市政府金融办"], ["人民银行抚州市中心支行", "抚州银保监分局"], [])
    assert task(doc, "第一条").text.startswith("加大援企稳岗力度。对不裁员")  # the number is not text
    # the articles of 保障措施 stay context, and count in the numbering
    assert doc.context[-1].heading == "七、保障措施" and doc.context[-1].text.startswith("第十条 加强组织领导。")
    assert (doc.issuer, doc.issued_on, doc.level) == ("抚州市人民政府办公室", date(2020, 6, 28), "city")
    assert keys(doc) == []


def test_deadlines_of_the_article_plan():
    doc = plan("articles")
    assert [(t.number, t.deadline, t.deadline_text) for t in doc.tasks] == [
        ("第一条", date(2020, 12, 31), "2020年12月31日前"),
        ("第二条", date(2020, 9, 30), "10月份前"),  # before October
        ("第三条", date(2020, 12, 31), "年底前"),  # 2020年2月至6月 is the period of the higher subsidy
        ("第四条", date(2020, 6, 30), "上半年"),
        ("第五条", None, None),  # 免除2020年上半年3个月房屋租金
        ("第六条", date(2020, 12, 31), "全年"),
        ("第七条", date(2020, 12, 31), "全年"),
        ("第八条", date(2020, 9, 30), "三季度末"),
        ("第九条", None, None),
    ]
    assert task(doc, "第四条").milestones == [MilestoneSpec(date(2020, 6, 30), 100.0, None)]  # 上半年全部完成


def test_chapters_hold_articles_numbered_straight_through():
    doc = plan("chapters")
    assert [(t.number, t.section, t.category, t.deadline, t.deadline_text) for t in doc.tasks] == [
        ("第三条", "第二章 保居民就业", "保居民就业", date(2020, 12, 31), "年度内"),
        ("第四条", "第二章 保居民就业", "保居民就业", date(2020, 12, 31), "全年"),
        # 6月前到期 says which policies; they run to 年底
        ("第五条", "第三章 保市场主体", "保市场主体", date(2020, 12, 31), "年底"),
        ("第五条", "第三章 保市场主体", "保市场主体", None, None),
    ]
    assert [t.targets for t in doc.tasks][1] == [Target("城镇新增就业", ">=", 2800.0, "人")]
    # 总则 and 附则 are context, and their articles count: 第五条 twice is one warning, 第七条 is in its place
    assert [c.heading for c in doc.context][1:] == ["第一章 总则", "第四章 附则"]
    assert [(w.key, w.line, w.params) for w in doc.warnings] == [
        ("doc.numbering", 21, {"number": "第五条", "expected": 6})]


@pytest.mark.parametrize("text", [
    "关于落实“六保”任务的实施方案\n\n一、保居民就业\n\n一是稳定就业。做好稳岗工作。（责任单位：县人社局）\n",
    "关于落实“六保”任务的实施方案\n\n一、保居民就业\n\n第一条 稳定就业。做好稳岗工作。（责任单位：县人社局）\n",
    "关于落实“六保”任务的实施方案\n\n第一章 保居民就业\n\n第一条 稳定就业。做好稳岗工作。（责任单位：县人社局）\n",
])
def test_plans_numbered_without_brackets_have_tasks(text):
    doc = parse_text(text, fallback_year=2020)
    assert [(t.title, t.category, t.responsibility.leads) for t in doc.tasks] == [("稳定就业", "保居民就业", ["县人社局"])]


# --- one unit, one name -------------------------------------------------------------------------------------------

def test_a_unit_written_in_full_and_in_short_is_one_unit():
    doc = parse_text(
        "关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、保市场主体\n\n"
        "（一）稳定投资。加快项目建设。（责任单位：县发展改革局、县人力资源和社会保障局）\n\n"
        "（二）扩大消费。落实促消费政策。（责任单位：县商务局、县发改局、县人社局）\n\n"
        "（三）保障安全生产。（责任单位：县应急管理局、县发改局、县应急局）\n", fallback_year=2020)
    assert [who(t)[:2] for t in doc.tasks] == [
        (["县发展改革局"], ["县人力资源和社会保障局"]),
        (["县商务局"], ["县发展改革局", "县人力资源和社会保障局"]),
        (["县应急管理局"], ["县发展改革局"]),  # 县应急局 is its lead: named once
    ]
    assert doc.unit_aliases == {"县发改局": "县发展改革局", "县人社局": "县人力资源和社会保障局", "县应急局": "县应急管理局"}
    assert [(w.key, w.line, w.params["other"]) for w in doc.warnings] == [
        ("doc.unit_spelling", 8, "县发改局"), ("doc.unit_spelling", 8, "县人社局"), ("doc.unit_spelling", 10, "县应急局")]


def test_units_that_only_look_alike_stay_apart():
    doc = parse_text(
        "关于落实“六保”任务的实施方案\n（2020年6月1日）\n\n一、保市场主体\n\n"
        "（一）加大金融支持。（责任单位：人行高台县支行、人行高台支行、县发改局、市发改委、县应急办、县应急局）\n",
        fallback_year=2020)
    assert who(doc.tasks[0])[:2] == (["人行高台县支行"], ["人行高台支行", "县发改局", "市发改委", "县应急办", "县应急局"])
    assert doc.unit_aliases == {} and keys(doc) == []
