"""Deadlines, targets and milestones read from a task's prose: the rule tables of phrases.py.

Sentences marked "seed" are copied verbatim from the real plans in seed texts
(高台县, 长沙市, 赣州市, 吉林省, 南昌市青山湖区).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sixbao_cli.phrases import DeadlinePhrase, find_deadlines, find_milestones, find_start, find_targets, task_deadline
from sixbao_cli.quantities import MilestoneSpec, Target

# 高台县 保居民就业工作方案, 三、目标任务 (seed 002).
GAOTAI_JOBS = (
    "——城镇新增就业2600人以上,登记失业率控制在4.5%以内。5月底前城镇新增就业完成年度目标任务50%以上;"
    "11月底前完成全年目标任务,确保城镇就业人员就业基本稳定,不发生规模性失业风险。"
)
GAOTAI_GROUPS = (
    "——重点群体就业持续稳定。8月底前,高校毕业生初次就业率不低于去年水平,全年就业率达到85%以上;"
    "建档立卡贫困劳动力做到“应输尽输”;全年帮助就业困难人员就业340人以上,失业人员再就业800人以上,城镇零就业家庭实现动态清零。"
)
GAOTAI_ARREARS = (
    "9.细化清偿进度目标。对照当前剩余无分歧账款金额,按照“500万元以下的欠款6月底前实现清零,其他无分歧欠款10月底前清偿完毕”的要求,"
    "倒排月度清偿进度,强化资金保障,按期完成清偿任务。县财政局要强化督办责任,加大督办力度,指导协调相关单位、企业针对剩余欠款逐笔制定解决方案,"
    "逐月落实清偿计划,确保10月底前实现“应清尽清”。(责任单位:县工信局、县财政局)"
)


def spans(text: str, year: int = 2020) -> list[tuple[str, date]]:
    return [(p.text, p.date) for p in find_deadlines(text, year)]


# --- find_deadlines ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # full dates
    ("2020年12月31日前完成", [("2020年12月31日前", date(2020, 12, 31))]),
    ("2020年12月31日之前", [("2020年12月31日之前", date(2020, 12, 31))]),
    ("2020年12月31日以前", [("2020年12月31日以前", date(2020, 12, 31))]),
    ("12月31日前", [("12月31日前", date(2020, 12, 31))]),
    ("9月30号前报送", [("9月30号前", date(2020, 9, 30))]),
    ("有效期至2021年12月31日", [("至2021年12月31日", date(2021, 12, 31))]),
    ("截至2020年6月30日", [("截至2020年6月30日", date(2020, 6, 30))]),
    ("到 2020 年 12 月 31 日前", [("2020 年 12 月 31 日前", date(2020, 12, 31))]),
    ("２０２０年１２月３１日前", [("２０２０年１２月３１日前", date(2020, 12, 31))]),
    ("二〇二〇年十二月三十一日前", [("二〇二〇年十二月三十一日前", date(2020, 12, 31))]),
    ("2020年2月29日前", [("2020年2月29日前", date(2020, 2, 29))]),
    # month ends, February included
    ("6月底前", [("6月底前", date(2020, 6, 30))]),
    ("6月底", [("6月底", date(2020, 6, 30))]),
    ("6月末", [("6月末", date(2020, 6, 30))]),
    ("11月底前完成", [("11月底前", date(2020, 11, 30))]),
    ("十一月底前", [("十一月底前", date(2020, 11, 30))]),
    ("六月底前", [("六月底前", date(2020, 6, 30))]),
    ("１１月底前", [("１１月底前", date(2020, 11, 30))]),
    ("2月底前", [("2月底前", date(2020, 2, 29))]),
    ("2021年2月底前", [("2021年2月底前", date(2021, 2, 28))]),
    ("2021年6月底前", [("2021年6月底前", date(2021, 6, 30))]),
    ("明年3月底", [("明年3月底", date(2021, 3, 31))]),
    ("2020年12月底区行政审批局正式运行", [("2020年12月底", date(2020, 12, 31))]),
    # ten-day periods
    ("6月上旬前", [("6月上旬前", date(2020, 6, 10))]),
    ("6月上旬", [("6月上旬", date(2020, 6, 10))]),
    ("6月中旬", [("6月中旬", date(2020, 6, 20))]),
    ("6月下旬", [("6月下旬", date(2020, 6, 30))]),
    ("2月下旬", [("2月下旬", date(2020, 2, 29))]),
    ("9月中下旬", [("9月中下旬", date(2020, 9, 30))]),
    # year ends and the whole year
    ("2020年底前", [("2020年底前", date(2020, 12, 31))]),
    ("2020 年底", [("2020 年底", date(2020, 12, 31))]),
    ("2021年底", [("2021年底", date(2021, 12, 31))]),
    ("二〇二一年底前", [("二〇二一年底前", date(2021, 12, 31))]),
    ("年底前", [("年底前", date(2020, 12, 31))]),
    ("年底", [("年底", date(2020, 12, 31))]),
    ("年末", [("年末", date(2020, 12, 31))]),
    ("今年年底", [("今年年底", date(2020, 12, 31))]),
    ("年内", [("年内", date(2020, 12, 31))]),
    ("今年内", [("今年内", date(2020, 12, 31))]),
    ("2020年内", [("2020年内", date(2020, 12, 31))]),
    ("全年", [("全年", date(2020, 12, 31))]),
    ("上半年", [("上半年", date(2020, 6, 30))]),
    ("2020年上半年", [("2020年上半年", date(2020, 6, 30))]),
    ("下半年", [("下半年", date(2020, 12, 31))]),
    # quarters
    ("一季度", [("一季度", date(2020, 3, 31))]),
    ("第一季度", [("第一季度", date(2020, 3, 31))]),
    ("二季度", [("二季度", date(2020, 6, 30))]),
    ("三季度末", [("三季度末", date(2020, 9, 30))]),
    ("四季度", [("四季度", date(2020, 12, 31))]),
    ("第二季度末", [("第二季度末", date(2020, 6, 30))]),
    # several years
    ("今明两年", [("今明两年", date(2021, 12, 31))]),
    ("到2022年", [("到2022年", date(2022, 12, 31))]),
    ("2022年前", [("2022年前", date(2022, 12, 31))]),
    ("2022年以前", [("2022年以前", date(2022, 12, 31))]),
    ("到2022年底", [("2022年底", date(2022, 12, 31))]),
    ("（2019—2021年）", [("2019—2021年", date(2021, 12, 31))]),
    ("从2月1日起至6月", [("至6月", date(2020, 6, 30))]),  # a start, then 至: a deadline
    ("2月至6月底", [("6月底", date(2020, 6, 30))]),
    ("延长至6月", [("至6月", date(2020, 6, 30))]),
    # before a month: the day before it begins (the earlier of the two readings of 10月前)
    ("10月前完成", [("10月前", date(2020, 9, 30))]),
    ("10月份前", [("10月份前", date(2020, 9, 30))]),
    ("10月以前", [("10月以前", date(2020, 9, 30))]),
    ("2020年10月前", [("2020年10月前", date(2020, 9, 30))]),
    ("到10月前完成", [("10月前", date(2020, 9, 30))]),
    ("3月前", [("3月前", date(2020, 2, 29))]),
    ("明年1月前", [("明年1月前", date(2020, 12, 31))]),
    # the year's term
    ("本年度内完成", [("本年度内", date(2020, 12, 31))]),
    ("年度内完成", [("年度内", date(2020, 12, 31))]),
    ("确保在年度内完成", [("年度内", date(2020, 12, 31))]),
    ("今年度内", [("今年度内", date(2020, 12, 31))]),
    ("2021年度内", [("2021年度内", date(2021, 12, 31))]),
    ("本年度末", [("本年度末", date(2020, 12, 31))]),
    ("今年底", [("今年底", date(2020, 12, 31))]),
    ("年底之前", [("年底之前", date(2020, 12, 31))]),
    ("9月中旬前", [("9月中旬前", date(2020, 9, 20))]),
    ("第三季度", [("第三季度", date(2020, 9, 30))]),
    ("三季度", [("三季度", date(2020, 9, 30))]),
    # a half-year or quarter that is a deadline, not the period of a waiver
    ("上半年全部完成", [("上半年", date(2020, 6, 30))]),
    ("确保500户重点企业上半年产值增速实现正增长", [("上半年", date(2020, 6, 30))]),
    # several phrases in one sentence, in order
    ("5月底前完成50%，11月底前完成全年", [("5月底前", date(2020, 5, 31)), ("11月底前", date(2020, 11, 30))]),
    ("从2020年2月1日起至12月底", [("12月底", date(2020, 12, 31))]),
    ("即日起至年底", [("年底", date(2020, 12, 31))]),
    ("一季度完成30%，上半年过半，三季度末完成80%，年底前全面完成",
     [("一季度", date(2020, 3, 31)), ("上半年", date(2020, 6, 30)), ("三季度末", date(2020, 9, 30)), ("年底前", date(2020, 12, 31))]),
])
def test_deadlines(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "",
    "即日起",
    "长期坚持",
    "常态化开展干部入企帮扶活动",
    "9月30日",  # a date with no 前/至 is an event, not a deadline
    "2020年8月12日",
    "自2020年1月1日起",
    "离校2年内高校毕业生",
    "半年以上",
    "较上年底增长",
    "每年年底报送",
    "每季度召开一次",
    "完成全年目标任务",
    "奋力实现全年目标任务",
    "2月30日前",
    "2021年2月29日前",
    "13月底前",
    "达到 2017 年的 91%",
    "暂停起始日期可以追溯到2月1日",
    "一律延迟到2021年首个申报期内一并划缴",
    "签订1年以上劳动合同",
    # the period a waiver or a condition covers, not a deadline
    "免除上半年3个月租金",
    "免除2020年上半年3个月房屋租金",
    "减免一季度房租",
    "缓缴上半年社会保险费",
    "上半年的租金",
    "对一季度产值下降的企业",
    "对上半年工作进行总结",
    # a range of months, or a range before 期间, is the period a measure runs
    "2020年2月至6月",
    "2月至6月免征",
    "2020年1月至6月",
    "2月至4月的三项保险缴费",
    "2020年1月1日至12月31日期间",
    "2月1日至6月30日期间减半征收",
    # 6月前到期: what expires by then; 10月前后: around October; 10月前的: a qualifier
    "6月前到期的减税降费政策",
    "10月前后",
    "10月前的欠款",
    "3个月前",
    # a year that is not the plan's
    "在毕业年度内",
    "上年度内",
])
def test_no_deadline(text):
    assert find_deadlines(text, 2020) == []


def test_deadline_offsets_point_into_the_input():
    text = "要求，5月底前完成；１１月底前全面完成"
    phrases = find_deadlines(text, 2020)
    assert phrases == [
        DeadlinePhrase(date(2020, 5, 31), "5月底前", 3, 7),
        DeadlinePhrase(date(2020, 11, 30), "１１月底前", 10, 15),
    ]
    assert all(text[p.start:p.end] == p.text for p in phrases)


def test_year_less_phrases_take_the_given_year():
    assert spans("6月底前，2月底", 2021) == [("6月底前", date(2021, 6, 30)), ("2月底", date(2021, 2, 28))]
    assert spans("2月底", 2024) == [("2月底", date(2024, 2, 29))]
    assert spans("今明两年", 2021) == [("今明两年", date(2022, 12, 31))]


@pytest.mark.parametrize(("text", "expected"), [
    # seed 002
    ("发改、农业农村、财政、工信、商务、文旅、住建、交通、市场监管等行业主管部门6月上旬前制定惠企政策实施细则或操作办法",
     [("6月上旬前", date(2020, 6, 10))]),
    ("执行期限全部延长到今年年底。小微企业、个体工商户所得税缴纳一律延迟到2021年首个申报期内一并划缴。",
     [("今年年底", date(2020, 12, 31))]),
    ("确保2023年底前完成2018年底暂付款余额消化任务。",
     [("2023年底前", date(2023, 12, 31)), ("2018年底", date(2018, 12, 31))]),
    # seed 003
    ("全力推进实施“630攻坚”行动，到2020年12月31日前供电能力达到1000万千瓦。",
     [("2020年12月31日前", date(2020, 12, 31))]),
    ("本方案自2020年8月1日起施行，有效期至2021年12月31日。", [("至2021年12月31日", date(2021, 12, 31))]),
    # seed 001
    ("11月底前推出赣州智慧旅游手机APP4.0版，年底前建成红色旅游VR云平台系统及应用。",
     [("11月底前", date(2020, 11, 30)), ("年底前", date(2020, 12, 31))]),
    ("全年新增企业见习基地100个、见习人员2000人，市、县事业单位和国有企业今明两年招聘应届毕业大学生数量不低于新增岗位的50%。",
     [("全年", date(2020, 12, 31)), ("今明两年", date(2021, 12, 31))]),
    # seed 000
    ("力争在二季度产能利用率大幅提升。", [("二季度", date(2020, 6, 30))]),
    ("（注：以上补贴政策除有特殊说明外，执行期限均为：2020年1月1日至2020年12月31日。）",
     [("至2020年12月31日", date(2020, 12, 31))]),
    # seed 004
    ("到2020年底,建成5G基站不少于500个。", [("2020年底", date(2020, 12, 31))]),
])
def test_deadlines_in_seed_sentences(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # seed 002, 003: the half-year of a rent waiver
    ("加大减免中小微企业房租政策落实力度,对承租国有房屋的服务业小微企业和个体工商户,免除上半年3个月租金。", []),
    ("推动对承租国有房屋用于经营、出现困难的服务业小微企业和个体工商户，免除2020年上半年3个月房屋租金。", []),
    # seed 000: the quarter that qualifies which firms
    ("落实工业稳增长奖补政策，对一季度生产负荷增加、产能扩大、成功脱困且产值净增量 2000 万元以上的规上工业企业"
     "及新入规工业企业，按规定给予省级专项奖励支持。", []),
    ("对一季度工业产值降幅超过30%的规上企业进行逐户梳理，“一企一策一专班”制定帮扶方案", []),
    # seed 000, 002: month ranges of a waiver
    ("2020年2月至6月，免征中小微型企业养老保险、失业保险、工伤保险单位缴费。大型企业2月至4月的三项保险缴费可延缓并减半征收。", []),
    ("对全县企业职工医疗保险单位缴费部分进行减半征收,起止时间为2020年2月至6月;", []),
    ("对受疫情影响生产经营出现困难、确实无力按期足额缴纳医保费的企业施行缓缴政策,起止时间为2020年1月至6月。", []),
    ("落实国务院关于阶段性价格临时补贴提标扩面要求,3月至6月将社会救助和保障标准与物价上涨挂钩联动机制的每月价格临时补贴标准提高1倍", []),
    # seed 000, 002: the period in which a subsidy is earned
    ("2020年1月1日至12月31日期间，对从事公益性岗位政策期满仍未实现稳定就业人员，政策期限可再延长1年。", []),
    ("对2020年1月1日至12月31日期间,中小微企业新增吸纳本县劳动力且稳定就业半年以上、1年以上的,分别按照1000元/人、2000元/人标准给予中小微企业一次性奖补。", []),
    # seed 004: a policy's term that ends on a date (no 期间) stays its deadline
    ("政策享受期限可延长1年,实施期限为2020年1月1日至12月31日。", [("至12月31日", date(2020, 12, 31))]),
    # seed 001, 002: 6月前到期 names which policies, the deadline is the year's end
    ("落实6月前到期减税降费政策延长到年底（不含医保减半征收政策）", [("年底", date(2020, 12, 31))]),
    ("前期出台6月前到期的减税降费政策,包括免征中小微企业养老、失业和工伤保险单位缴费,执行期限全部延长到今年年底。",
     [("今年年底", date(2020, 12, 31))]),
    # seed 000: the graduates' year, not the plan's
    ("面向有就业意愿的实名登记的未就业高校毕业生，实施“211”就业服务行动，在毕业年度内至少推荐2次岗位信息", []),
])
def test_periods_in_seed_sentences_are_not_deadlines(text, expected):
    assert spans(text) == expected


# --- task_deadline -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    (GAOTAI_JOBS, date(2020, 11, 30)),
    ("500万元以下的欠款6月底前实现清零", date(2020, 6, 30)),
    (GAOTAI_ARREARS, date(2020, 10, 31)),
    ("5月底前完成50%，11月底前完成全年", date(2020, 11, 30)),
    ("11月底前完成全年目标任务，5月底前完成50%", date(2020, 11, 30)),
    ("确保2023年底前完成2018年底暂付款余额消化任务。", date(2023, 12, 31)),
    ("今明两年，全县各级事业单位空缺岗位主要用于专项招聘高校毕业生", date(2021, 12, 31)),
    ("从2020年2月1日起至12月底,免征中小微企业基本养老保险", date(2020, 12, 31)),
    ("即日起", None),
    ("长期坚持", None),
    ("常态化开展", None),
    ("", None),
])
def test_task_deadline(text, expected):
    found = task_deadline(text, 2020)
    assert (found.date if found else None) == expected


def test_task_deadline_is_the_first_of_equal_latest_phrases():
    found = task_deadline("6月底前完成，其余10月底前清偿完毕，确保10月底前实现“应清尽清”", 2020)
    assert found == DeadlinePhrase(date(2020, 10, 31), "10月底前", 9, 14)


# --- find_start ----------------------------------------------------------------------------------------------------

ISSUED = date(2020, 8, 12)


@pytest.mark.parametrize(("text", "issued", "expected"), [
    ("即日起", ISSUED, ISSUED),
    ("自即日起至年底", ISSUED, ISSUED),
    ("即日起", None, None),
    ("自印发之日起施行", ISSUED, ISSUED),
    ("从2020年2月1日起至12月底", ISSUED, date(2020, 2, 1)),
    ("自 2020 年 1 月 1 日起，合理上调企业和机关事业单位退休人员基本养老金水平。", None, date(2020, 1, 1)),  # seed 000
    ("本方案自2020年8月1日起施行，有效期至2021年12月31日。", None, date(2020, 8, 1)),  # seed 003
    ("3月1日起", None, date(2020, 3, 1)),
    ("自3月起", None, date(2020, 3, 1)),
    ("即日起，自2020年9月1日起执行", None, date(2020, 9, 1)),
    ("长期坚持", ISSUED, None),
    ("6月底前完成", ISSUED, None),
    ("2月30日起", None, None),
])
def test_start(text, issued, expected):
    assert find_start(text, 2020, issued) == expected


# --- find_targets --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("——城镇新增就业2600人以上", [Target("城镇新增就业", ">=", 2600, "人")]),
    ("城镇调查失业率控制在5.5%以内", [Target("城镇调查失业率", "<=", 5.5, "%")]),
    ("城镇调查失业率控制在5.5%", [Target("城镇调查失业率", "<=", 5.5, "%")]),
    ("新增就业21万人", [Target("新增就业", ">=", 210_000, "人")]),
    ("全年返还企业失业保险费3000万元以上。", [Target("返还企业失业保险费", ">=", 30_000_000, "元")]),  # seed 001
    ("确保城镇新增就业不少于2600人", [Target("城镇新增就业", ">=", 2600, "人")]),
    ("力争粮食播种面积稳定在27万亩以上", [Target("粮食播种面积", ">=", 270_000, "亩")]),
    ("确保省级以上农业产业化龙头企业保持在 500 户水平。", [Target("省级以上农业产业化龙头企业", "=", 500, "户")]),
    ("全年一般性支出压减不超过5%", [Target("一般性支出压减", "<=", 5, "%")]),
    ("全年完成补贴性职业培训30万人次", [Target("补贴性职业培训", ">=", 300_000, "人次")]),
    ("力争全年普惠型小微贷款融资成本较同期下降0.5个百分点以上", [Target("普惠型小微贷款融资成本较同期下降", ">=", 0.5, "个百分点")]),
    ("２０２０年全省完成城镇新增就业２１万人", [Target("城镇新增就业", ">=", 210_000, "人")]),
    ("城镇新增就业0.26万人以上", [Target("城镇新增就业", ">=", 2600, "人")]),
    ("力争今年“个转企”企业达到 5000 户。", [Target("“个转企”企业", ">=", 5000, "户")]),  # seed 000
    ("到2020年底,建成5G基站不少于500个。", [Target("建成5G基站", ">=", 500, "个")]),  # seed 004
    ("到2020年12月31日前供电能力达到1000万千瓦。", [Target("供电能力", ">=", 10_000_000, "千瓦")]),  # seed 003
    ("确保零就业家庭动态清零。", [Target("零就业家庭", "=", 0, None)]),
    ("500万元以下的欠款6月底前实现清零", [Target("500万元以下的欠款", "=", 0, None)]),
])
def test_targets(text, expected):
    assert find_targets(text) == expected


@pytest.mark.parametrize("text", [
    "",
    "常态化开展干部入企帮扶活动",
    "根据市委办发〔2020〕16号文件要求",
    "对首次创业且正常经营1年以上的,试点给予5000元的一次性创业补贴。",  # seed 002: a qualifier and a subsidy
    "在同一家企业连续工作时间每满1个月，给予企业600元／人／月的职业培训补贴，补贴期限最长不超过6个月。",  # seed 001
    "给予不超过实际缴费2/3的社会保险补贴，就业困难人员补贴期限最长不超过3年。",  # seed 001
    "其中对裁员（减员）率不高于5.5%的中小微企业，2020年12月31日前返还其上年度实际缴纳失业保险费的100%（对已申领一般企业稳岗返还的企业补齐差额部分）。",  # seed 001
    "对参保职工30人(含)以下的企业，裁员率放宽至不超过企业职工总数的20%",
    "对一季度生产负荷增加、产能扩大、成功脱困且产值净增量 2000 万元以上的规上工业企业及新入规工业企业，按规定给予省级专项奖励支持。",  # seed 000
    "确保有劳动能力和意愿的贫困家庭有1-2项持续增收产业项目、1-2人稳定就业创业",
    "第3条",
    "将劳务报酬比例由10%提高至15%。",
    "5月底前城镇新增就业完成年度目标任务50%以上",  # a milestone, not a target
    "争取年内完成县城2000户居民户内燃气设施设备的配套架设并通气。",  # seed 002: 2000户 qualifies 居民
    "开展“两不愁三保障”排查清零巩固提升行动。",
])
def test_no_target(text):
    assert find_targets(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    (GAOTAI_JOBS, [Target("城镇新增就业", ">=", 2600, "人"), Target("登记失业率", "<=", 4.5, "%")]),
    # the ——-led target and the sentence repeating it give one target
    ("——输转城乡富余劳动力3.04万人以上。全年实现输转城乡富余劳动力3.04万人,使长期转移就业的人员能够相对稳定就业。",
     [Target("输转城乡富余劳动力", ">=", 30_400, "人")]),
    (GAOTAI_GROUPS, [
        Target("就业率", ">=", 85, "%"),
        Target("帮助就业困难人员就业", ">=", 340, "人"),
        Target("失业人员再就业", ">=", 800, "人"),
        Target("城镇零就业家庭", "=", 0, None),
    ]),
    (GAOTAI_ARREARS, [Target("500万元以下的欠款", "=", 0, None)]),
    # seed 000: a 、 list after 完成
    ("2020年全省完成城镇新增就业21万人、新增创业1.5万人、农村劳动力转移就业300万人、补贴性职业培训人数30万人次、"
     "农民工向农技工转型培训1.8万人、新建省级农民工等人员返乡创业基地20个。", [
         Target("城镇新增就业", ">=", 210_000, "人"),
         Target("新增创业", ">=", 15_000, "人"),
         Target("农村劳动力转移就业", ">=", 3_000_000, "人"),
         Target("补贴性职业培训人数", ">=", 300_000, "人次"),
         Target("农民工向农技工转型培训", ">=", 18_000, "人"),
         Target("新建省级农民工等人员返乡创业基地", ">=", 20, "个"),
     ]),
    # seed 000: spaces around numbers, 亿 and 万 multipliers, a qualifier (277 万亩高标准农田) left out
    ("确保全年粮食播种面积达到 8500 万亩以上，粮食总产量正常年景达到 700 亿斤以上。加快完成 277 万亩高标准农田建设任务，"
     "全力推动项目开复工。继续实施农机购置补贴政策，力争 2020 年底主要农作物耕种收综合机械化水平达到 90%。", [
         Target("粮食播种面积", ">=", 85_000_000, "亩"),
         Target("粮食总产量正常年景", ">=", 70_000_000_000, "斤"),
         Target("主要农作物耕种收综合机械化水平", ">=", 90, "%"),
     ]),
    ("确保年末生猪存栏 830 万头以上。推进牛、羊、家禽产业发展，加快推进吉运 15 万头肉牛、皓月肉牛养殖、德翔 2 亿只肉鸡等项目建设。",
     [Target("生猪存栏", ">=", 8_300_000, "头")]),
    # seed 001: 全年 governs the rest of the sentence; 不低于…的50% is a goal here
    ("全年新增企业见习基地100个、见习人员2000人，市、县事业单位和国有企业今明两年招聘应届毕业大学生数量不低于新增岗位的50%。", [
        Target("新增企业见习基地", ">=", 100, "个"),
        Target("见习人员", ">=", 2000, "人"),
        Target("市、县事业单位和国有企业招聘应届毕业大学生数量", ">=", 50, "%"),
    ]),
    # seed 004: 力争 governs the clauses after it
    ("力争到2023年,新增省级农业产业化龙头企业2家,市级以上农业产业化龙头企业达16家,营业收入达到16.6亿元。", [
        Target("新增省级农业产业化龙头企业", ">=", 2, "家"),
        Target("市级以上农业产业化龙头企业", ">=", 16, "家"),
        Target("营业收入", ">=", 1_660_000_000, "元"),
    ]),
    # seed 002: a rule with 不得超过 is still a ceiling
    ("暂付款规模不得超过一般公共预算和政府性基金预算支出之和的5%。", [Target("暂付款规模", "<=", 5, "%")]),
    # seed 003: metrics are NFKC-normalized, as parse_target reads them from the command line
    ("开通中欧班列（长沙）500列以上。", [Target("开通中欧班列(长沙)", ">=", 500, "列")]),
])
def test_targets_in_seed_sentences(text, expected):
    assert find_targets(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # seed 000: 不低于 with 低 lost
    ("力争完成稻渔综合种养面积不于 70 万亩，渔业养殖总面积不低于 500 万亩。", [
        Target("稻渔综合种养面积", ">=", 700_000, "亩"), Target("渔业养殖总面积", ">=", 5_000_000, "亩")]),
    # 于 lost, or the comparator split by a line break or a space
    ("确保粮食播种面积不少27万亩", [Target("粮食播种面积", ">=", 270_000, "亩")]),
    ("确保登记失业率不高5%", [Target("登记失业率", "<=", 5, "%")]),
    ("全年一般性支出压减不超5%", [Target("一般性支出压减", "<=", 5, "%")]),
    ("确保粮食播种面积不低 于27万亩", [Target("粮食播种面积", ">=", 270_000, "亩")]),
    ("全年新建温室不少\n于2万亩", [Target("新建温室", ">=", 20_000, "亩")]),
    # a whole-region word before the measure, as 全省 is
    ("确保县本级一般性支出压减10%", [Target("一般性支出压减", ">=", 10, "%")]),
    ("全年完成市本级招商引资50亿元", [Target("招商引资", ">=", 5_000_000_000, "元")]),
    # seed 000: 推动全省… is the measure 主要农作物耕种收综合机械化水平, as elsewhere in the plan
    ("推动全省主要农作物耕种收综合机械化水平达到90%", [Target("主要农作物耕种收综合机械化水平", ">=", 90, "%")]),
    # seed 003: 市本级、园区、区县（市） is a list of places, part of the measure
    ("市本级、园区、区县（市）所属国有企业2020年至2021年招聘应届毕业生数量不低于新增岗位的50%。",
     [Target("市本级、园区、区县(市)所属国有企业招聘应届毕业生数量", ">=", 50, "%")]),
    # a goal verb that is part of a rate stays
    ("项目实现率达到95%", [Target("项目实现率", ">=", 95, "%")]),
    ("完成率达到95%", [Target("完成率", ">=", 95, "%")]),
])
def test_metrics_without_region_words_or_broken_comparators(text, expected):
    assert find_targets(text) == expected


@pytest.mark.parametrize("text", [
    # seed 003: 市本级 is where, not what; the measure (盘活“三资”) comes after the amount
    "持续推进平台公司转型、债务化解，加大盘活“三资”推进力度，力争全年完成市本级120亿元、区县(市)100亿元盘活“三资”目标任务。",
    # a broken comparator that says neither way, outside a goal: a rule, not a target
    "对符合条件的企业，补贴标准不于5%，按季度拨付。",
    "对符合条件的企业，担保费率不高5%，按季度拨付。",
])
def test_no_target_from_a_region_word_or_a_broken_rule(text):
    assert find_targets(text) == []


# --- find_milestones -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    (GAOTAI_JOBS, [MilestoneSpec(date(2020, 5, 31), 50, None), MilestoneSpec(date(2020, 11, 30), 100, None)]),
    ("5月底前完成年度目标任务50%以上；11月底前完成全年目标任务",
     [MilestoneSpec(date(2020, 5, 31), 50, None), MilestoneSpec(date(2020, 11, 30), 100, None)]),
    # order of the text does not matter: sorted by date
    ("11月底前完成全年目标任务，5月底前完成年度目标任务50%以上",
     [MilestoneSpec(date(2020, 5, 31), 50, None), MilestoneSpec(date(2020, 11, 30), 100, None)]),
    ("6月底前完成过半", [MilestoneSpec(date(2020, 6, 30), 50, None)]),
    ("时间过半、任务过半，上半年", []),  # 过半 before the deadline is not governed by it
    ("上半年时间过半、任务过半", [MilestoneSpec(date(2020, 6, 30), 50, None)]),
    ("6月底前全面完成", [MilestoneSpec(date(2020, 6, 30), 100, None)]),
    ("年底前全部完成", [MilestoneSpec(date(2020, 12, 31), 100, None)]),
    ("9月底前新增就业1500人", [MilestoneSpec(date(2020, 9, 30), None, 1500)]),
    ("上半年新增就业0.13万人以上", [MilestoneSpec(date(2020, 6, 30), None, 1300)]),
    ("3月底前完成年度任务的30%，6月底前完成60%，9月底前全面完成", [
        MilestoneSpec(date(2020, 3, 31), 30, None),
        MilestoneSpec(date(2020, 6, 30), 60, None),
        MilestoneSpec(date(2020, 9, 30), 100, None),
    ]),
    # one milestone per date: the first wins
    ("6月底前完成过半，6月30日前全面完成", [MilestoneSpec(date(2020, 6, 30), 50, None)]),
    # seed 000 and seed 001
    ("易地搬迁配套设施建设、住房和饮水安全扫尾工程任务上半年全部完成。", [MilestoneSpec(date(2020, 6, 30), 100, None)]),
    ("力争2020年底前全面完成县级行政审批局组建。", [MilestoneSpec(date(2020, 12, 31), 100, None)]),
])
def test_milestones(text, expected):
    assert find_milestones(text, 2020) == expected


@pytest.mark.parametrize("text", [
    "",
    "即日起",
    GAOTAI_GROUPS,  # 全年…340人以上 states targets, not steps
    "年底前新增就业2600人",
    "8月底前,高校毕业生初次就业率不低于去年水平",
    "6月底前开工率达到60%",  # a rate, not a share of the task
    "确保2023年底前完成2018年底暂付款余额消化任务。",
    "3月至6月将社会救助和保障标准与物价上涨挂钩联动机制的每月价格临时补贴标准提高1倍",
])
def test_no_milestone(text):
    assert find_milestones(text, 2020) == []


# --- anything goes in, lists or None come out ------------------------------------------------------------------------

_PLAN_ALPHABET = st.sampled_from(list(
    "0123456789０１２３〇○零一二三四五六七八九十两年月日号底末前后内上中下旬季度第半全今明本当到至截止起即以之"
    "万亿元人%％个户亩以上内下不少于超过控制在达到确保力争完成目标任务过半清零——、，。；：（）“”/／-. \n\t"
))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(), st.text(_PLAN_ALPHABET)), year=st.integers(min_value=-5, max_value=10_000),
       issued=st.one_of(st.none(), st.dates()))
def test_arbitrary_text_never_raises(text, year, issued):
    phrases = find_deadlines(text, year)
    assert isinstance(phrases, list)
    assert all(text[p.start:p.end] == p.text and isinstance(p.date, date) for p in phrases)
    assert [p.start for p in phrases] == sorted(p.start for p in phrases)
    due = task_deadline(text, year)
    assert due is None or due in phrases
    assert find_start(text, year, issued) is None or isinstance(find_start(text, year, issued), date)
    assert all(isinstance(t, Target) for t in find_targets(text))
    milestones = find_milestones(text, year)
    assert [m.due for m in milestones] == sorted({m.due for m in milestones})


@pytest.mark.parametrize(("text", "expected"), [
    ("落实《长沙市产业发展规划（2018—2025年）》，6月底前出台方案", [("6月底前", "2020-06-30")]),
    ("按照《关于2020年底前完成清欠工作的通知》要求，9月底前完成", [("9月底前", "2020-09-30")]),
])
def test_dates_inside_a_title_are_not_deadlines(text, expected):
    assert [(p.text, p.date.isoformat()) for p in find_deadlines(text, 2020)] == expected
