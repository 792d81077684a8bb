"""Who answers for a task: the responsibility brackets and label lines of responsibility.py.

Cases marked "seed" are copied from the real plans in the seed texts (000 吉林省,
001 赣州市, 002 高台县, 003 长沙市, 004 南昌市青山湖区); a paragraph broken across
a page break is given as the parser hands it over, rejoined.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sixbao_cli.docparse.markers import RESPONSIBILITY_LABEL
from sixbao_cli.docparse.model import Responsibility
from sixbao_cli.docparse.responsibility import (
    KINDS,
    merge,
    parse_label_line,
    responsibility_from_units,
    split_trailing,
)

R = Responsibility
JILIN_GROUP = "各市（州）、县（市、区）党委、政府"


# --- split_trailing ------------------------------------------------------------------------------------------------

# (text, text left, responsibility, warning keys)
SPLIT_CASES = [
    # bracket shapes, full and half width
    pytest.param("完成任务。（责任单位：A局、B局、C局）", "完成任务。", R(["A局"], ["B局", "C局"]), [], id="full-width round"),
    pytest.param("完成任务。(责任单位:A局、B局)", "完成任务。", R(["A局"], ["B局"]), [], id="half-width round"),
    pytest.param("完成任务。(责任单位：A局、B局)", "完成任务。", R(["A局"], ["B局"]), [], id="half bracket full colon"),
    pytest.param("完成任务。（责任单位:A局、B局）", "完成任务。", R(["A局"], ["B局"]), [], id="full bracket half colon"),
    pytest.param("完成任务。〔责任单位：A局、B局〕", "完成任务。", R(["A局"], ["B局"]), [], id="tortoise shell"),
    pytest.param("完成任务。[责任单位：A局、B局]", "完成任务。", R(["A局"], ["B局"]), [], id="square"),
    pytest.param("完成任务。【责任单位：A局、B局】", "完成任务。", R(["A局"], ["B局"]), [], id="lenticular"),
    pytest.param("完成任务。［责任单位：A局］", "完成任务。", R(["A局"]), [], id="full-width square"),
    pytest.param("完成任务。（ 责任单位 ： A局、 B局 ）", "完成任务。", R(["A局"], ["B局"]), [], id="spaces inside"),
    pytest.param("完成任务。〔责任单位：A局、B局】", "完成任务。", R(["A局"], ["B局"]), [], id="closed by another shape"),
    # markdown bold
    pytest.param("完成任务。**（责任单位：A局、B局）**", "完成任务。", R(["A局"], ["B局"]), [], id="bold around bracket"),
    pytest.param("完成任务。（**责任单位：A局、B局**）", "完成任务。", R(["A局"], ["B局"]), [], id="bold inside bracket"),
    pytest.param("完成任务。（**责任单位**：A局）", "完成任务。", R(["A局"]), [], id="bold label only"),
    # where the bracket stands
    pytest.param("（责任单位：A局、B局）", "", R(["A局"], ["B局"]), [], id="bracket on its own line"),
    pytest.param("完成任务（责任单位：A局）。", "完成任务。", R(["A局"]), [], id="bracket before the full stop"),
    pytest.param("先做甲。（责任单位：A局）再做乙。", "先做甲。再做乙。", R(["A局"]), [], id="bracket in the middle"),
    pytest.param("推进5G （责任单位：A局） network建设", "推进5G network建设", R(["A局"]), [], id="space kept between latin words"),
    pytest.param("完成任务。\n（责任单位：A局）", "完成任务。", R(["A局"]), [], id="bracket on the next line"),
    # label variants
    pytest.param("完成任务。（责任部门：A局、B局）", "完成任务。", R(["A局"], ["B局"]), [], id="责任部门"),
    pytest.param("完成任务。（牵头单位：A局、B局）", "完成任务。", R(["A局", "B局"]), [], id="牵头单位 only: all lead"),
    pytest.param("完成任务。（牵头部门：A局）", "完成任务。", R(["A局"]), [], id="牵头部门"),
    pytest.param("完成任务。（配合单位：B局）", "完成任务。", R([], ["B局"]), [], id="配合单位 only"),
    pytest.param("完成任务。（配合部门：B局）", "完成任务。", R([], ["B局"]), [], id="配合部门"),
    pytest.param("完成任务。（协同单位：B局、C局）", "完成任务。", R([], ["B局", "C局"]), [], id="协同单位"),
    pytest.param("完成任务。（责任领导：张三、李四）", "完成任务。", R(leaders=["张三", "李四"]), [], id="责任领导"),
    pytest.param("完成任务。（完成时限：2020年12月底）", "完成任务。", R(deadline_text="2020年12月底"), [], id="完成时限"),
    # lead and support in one bracket
    pytest.param("完成任务。（牵头单位：A局，配合单位：B局、C局）", "完成任务。", R(["A局"], ["B局", "C局"]), [], id="two labels"),
    pytest.param("完成任务。（牵头单位：A局；配合单位：B局；责任领导：张三；完成时限：2020年6月底前）", "完成任务。",
                 R(["A局"], ["B局"], ["张三"], "2020年6月底前"), [], id="four labels"),
    pytest.param("完成任务。（A局牵头，B局、C局配合）", "完成任务。", R(["A局"], ["B局", "C局"]), [], id="inline 牵头 配合"),
    pytest.param("完成任务。（A局牵头、B局配合）", "完成任务。", R(["A局"], ["B局"]), [], id="inline 牵头、配合"),
    pytest.param("完成任务。(A局、B局牵头,C局配合)", "完成任务。", R(["A局", "B局"], ["C局"]), [], id="inline two leads half width"),
    pytest.param("完成任务。（由A局牵头负责）", "完成任务。", R(["A局"]), [], id="inline 由…牵头负责"),
    pytest.param("完成任务。（责任单位：A局牵头，B局、C局配合）", "完成任务。", R(["A局"], ["B局", "C局"]), [], id="牵头 配合 in a 责任单位 list"),
    pytest.param("完成任务。（责任单位：B局、A局牵头，C局）", "完成任务。", R(["B局", "A局"], ["C局"]), [], id="牵头 after two units"),
    pytest.param("完成任务。（责任单位：A局，B局配合，C局）", "完成任务。", R(["A局"], ["B局", "C局"]), [], id="配合 after a middle unit"),
    pytest.param("完成任务。（责任单位：A局牵头，B局、C局配合负责）", "完成任务。", R(["A局"], ["B局", "C局"]), [], id="配合负责"),
    pytest.param("完成任务。（责任单位：A局、B局；配合单位：C局）", "完成任务。", R(["A局"], ["B局", "C局"]), [], id="责任单位 plus 配合单位"),
    # what is dropped from a list
    pytest.param("完成任务。（责任单位：A局、B局等）", "完成任务。", R(["A局"], ["B局"]), [], id="trailing 等"),
    pytest.param("完成任务。（责任单位：A局、B局等部门）", "完成任务。", R(["A局"], ["B局"]), [], id="trailing 等部门"),
    pytest.param("完成任务。（责任单位：A局、B局等有关部门）", "完成任务。", R(["A局"], ["B局"]), [], id="trailing 等有关部门"),
    pytest.param("完成任务。（责任单位：A局、B局按职责分工负责）", "完成任务。", R(["A局"], ["B局"]), [], id="按职责分工负责"),
    pytest.param("完成任务。（责任单位：A局、B局等部门按职责分工负责）", "完成任务。", R(["A局"], ["B局"]), [], id="等部门 and 按职责分工负责"),
    pytest.param("完成任务。（责任单位：A局、B局、A局）", "完成任务。", R(["A局"], ["B局"]), [], id="repeated unit"),
    pytest.param("完成任务。（责任单位：Ａ局、（B）局）", "完成任务。", R(["A局"], ["（B）局"]), [], id="names normalised"),
    pytest.param("完成任务。（责任单位：A局，2020年12月底前完成）", "完成任务。", R(["A局"], deadline_text="2020年12月底前完成"), [],
                 id="deadline inside the unit list"),
    # unit groups stay whole
    pytest.param("完成任务。（责任单位：A厅，各地党委、政府）", "完成任务。", R(["A厅"], ["各地党委、政府"]), [], id="各地党委、政府"),
    # the sentence after 。 inside the bracket, an unclosed bracket, an empty one
    pytest.param("完成任务。（责任单位：A局、B局。以下各项工作均由B局实施）", "完成任务。", R(["A局"], ["B局"]),
                 ["doc.responsibility_note"], id="sentence after 。"),
    pytest.param("完成任务。（责任单位：A局、B局", "完成任务。", R(["A局"], ["B局"]), ["doc.unclosed_bracket"], id="unclosed"),
    pytest.param("完成任务。〔责任单位：A局、各市（州）、县（市、区）党委、政府", "完成任务。", R(["A局"], [JILIN_GROUP]),
                 ["doc.unclosed_bracket"], id="unclosed with inner brackets"),
    pytest.param("完成任务。（责任单位：）", "完成任务。", R(), ["doc.empty_responsibility"], id="empty"),
    pytest.param("完成任务。（责任单位：A局）（责任单位：B局）", "完成任务。", R(["A局"], ["B局"]), ["doc.several_responsibilities"],
                 id="two unit lists"),
    # a bare label after the task's last sentence
    pytest.param("完成任务。责任单位：A局、B局", "完成任务。", R(["A局"], ["B局"]), [], id="bare label after the sentence"),
    pytest.param("牵头单位：A局；配合单位：B局", "", R(["A局"], ["B局"]), [], id="line of two labels"),
    # no responsibility at all
    pytest.param("完成任务（含附属设施）。", "完成任务（含附属设施）。", None, [], id="ordinary bracket"),
    pytest.param("各责任单位要狠抓落实。", "各责任单位要狠抓落实。", None, [], id="责任单位 in prose"),
    pytest.param("明确资金补助标准、完成时限等。", "明确资金补助标准、完成时限等。", None, [], id="完成时限 in prose"),
    pytest.param("县政府金融办牵头，人行支行建立会商机制。", "县政府金融办牵头，人行支行建立会商机制。", None, [], id="牵头 in prose"),
    pytest.param("  ", "", None, [], id="blank"),
]

SEED_CASES = [
    pytest.param(  # 001 赣州 （一）
        "（一）加大援企稳岗返还力度。加快落实失业保险稳岗返还政策，支持参保企业不裁员、少裁员。其中对裁员（减员）率不高于5.5%的中小微企业，"
        "2020年12月31日前返还其上年度实际缴纳失业保险费的100%（对已申领一般企业稳岗返还的企业补齐差额部分）。全年返还企业失业保险费3000万元以上。"
        "〔责任单位：市人社局、市财政局等〕",
        R(["市人社局"], ["市财政局"]), [], id="seed 001 赣州 （一）"),
    pytest.param(  # 001 赣州 （二十二）
        "（二十二）财力倾斜基层。确保财政资金安全高效使用。〔责任单位：市财政局，市直各单位〕",
        R(["市财政局"], ["市直各单位"]), [], id="seed 001 赣州 市直各单位"),
    pytest.param(  # 000 吉林 附件2 item 2
        "户安排一名乡科级以上领导包保，“一对一”精准帮扶。〔责任单位：省扶贫办、省委组织部，各市（州）、县（市、区）党委、政府〕",
        R(["省扶贫办"], ["省委组织部", JILIN_GROUP]), [], id="seed 000 吉林 附件2 2."),
    pytest.param(  # 000 吉林 附件2 item 1: bold around a square bracket
        "1. 因人因户精准施策。防范化解返贫和新致贫风险。**[责任单位：省扶贫办，各市（州）、县（市、区）党委、政府]**",
        R(["省扶贫办"], [JILIN_GROUP]), [], id="seed 000 吉林 bold square"),
    pytest.param(  # 000 吉林 附件2 item 5: bold, 等有关部门
        "5. 持续推动就业扶贫、产业扶贫、消费扶贫。促进消费扶贫。**〔责任单位：省扶贫办、省人社厅、省发展改革委、省财政厅、省农业农村厅、"
        "省商务厅、省委组织部等有关部门，各市（州）、县（市、区）党委、政府〕**",
        R(["省扶贫办"], ["省人社厅", "省发展改革委", "省财政厅", "省农业农村厅", "省商务厅", "省委组织部", JILIN_GROUP]), [],
        id="seed 000 吉林 等有关部门"),
    pytest.param(  # 000 吉林 附件1 (一): 按职责分工负责
        "补贴标准为每人800元，每人只能申请1次，每户企业最高5万元。（责任单位：省人社厅、省财政厅按职责分工负责）",
        R(["省人社厅"], ["省财政厅"]), [], id="seed 000 吉林 按职责分工负责"),
    pytest.param(  # 000 吉林 附件1 (五)
        "确保信息真实完整和动态更新。（责任单位：省人社厅、省就业工作领导小组相关单位按职责分工负责）",
        R(["省人社厅"], ["省就业工作领导小组相关单位"]), [], id="seed 000 吉林 领导小组相关单位"),
    pytest.param(  # 000 吉林 附件3 16.: bold inside the bracket
        "培育“礼遇吉林”系列旅游商品和文创产品。（**责任单位：省文旅厅、省商务厅、长春海关**）",
        R(["省文旅厅"], ["省商务厅", "长春海关"]), [], id="seed 000 吉林 bold inside"),
    pytest.param(  # 000 吉林 附件5 14.: bold around a half-width bracket
        "增强国际竞争软实力。**(责任单位：省商务厅)**", R(["省商务厅"]), [], id="seed 000 吉林 bold half-width"),
    pytest.param(  # 000 吉林 附件3 5.: the first unit leads even when a comma follows it
        "组织对各市（州）开展服务企业情况进行季调查季通报。（责任单位：省工信厅，省司法厅、省科技厅、省地方金融监管局、省税务局、省财政厅、"
        "省发改委、省人社厅）",
        R(["省工信厅"], ["省司法厅", "省科技厅", "省地方金融监管局", "省税务局", "省财政厅", "省发改委", "省人社厅"]), [],
        id="seed 000 吉林 comma after the lead"),
    pytest.param(  # 000 吉林 附件5 6.: rejoined across a page break
        "将资源优势转化为经济优势。〔责任单位：省自然资源厅、省工信厅、省发展改革委、省住建厅，各市（州）政府〕",
        R(["省自然资源厅"], ["省工信厅", "省发展改革委", "省住建厅", "各市（州）政府"]), [], id="seed 000 吉林 page break"),
    pytest.param(  # 000 吉林 附件5 13.: opened with 〔, closed with )
        "突出解决好企业资金难、融资难、融资贵等问题。〔责任单位：省自然资源厅、省人社厅、省财政厅、省地方金融监管局、省科技厅、省政数局)",
        R(["省自然资源厅"], ["省人社厅", "省财政厅", "省地方金融监管局", "省科技厅", "省政数局"]), [], id="seed 000 吉林 〔…)"),
    pytest.param(  # 000 吉林 附件6 1.: opened with 〔, closed with 】
        "全力确保基层运转支出需要。〔责任单位：省财政厅，各市（州）、县（市）政府】",
        R(["省财政厅"], ["各市（州）、县（市）政府"]), [], id="seed 000 吉林 〔…】"),
    pytest.param(  # 000 吉林 附件6 5.: half-width inner brackets
        "(市) 基层财政保障能力。〔责任单位：省财政厅，各市(州)、县(市)政府〕",
        R(["省财政厅"], ["各市（州）、县（市）政府"]), [], id="seed 000 吉林 half-width inner brackets"),
    pytest.param(  # 000 吉林 附件2 13.: the bracket on the next line
        "13. 落实城乡低保分类施保政策。按当地低保标准的一定比例增发补助金。\n〔责任单位：省民政厅，各市（州）、县（市、区）政府〕",
        R(["省民政厅"], ["各市（州）、县（市、区）政府"]), [], id="seed 000 吉林 next line"),
    pytest.param(  # 002 高台 保居民就业 1.: the sentence after 。
        "提升农民工劳动力价值。(责任单位:县发展改革局、县人社局、县住建局、县工信局、县农业农村局、县交通运输局、县商务局、县文广旅游局、"
        "县财政局,各镇人民政府。以下各项工作任务均需各镇负责实施,不再逐条列出)",
        R(["县发展改革局"], ["县人社局", "县住建局", "县工信局", "县农业农村局", "县交通运输局", "县商务局", "县文广旅游局", "县财政局",
                         "各镇人民政府"]),
        ["doc.responsibility_note"], id="seed 002 高台 note"),
    pytest.param(  # 002 高台 12.: 县财政局 named twice
        "积极引导高校毕业生进疆就业。(责任单位:县委组织部、县人社局、县教育局、县财政局、团县委、征兵办、县财政局)",
        R(["县委组织部"], ["县人社局", "县教育局", "县财政局", "团县委", "县征兵办"]), [], id="seed 002 高台 repeat"),
    pytest.param(  # 002 高台 保基本民生 4.
        "促进农民持续增收。(责任单位:县商务局、县扶贫办等县直相关部门,各镇人民政府)",
        R(["县商务局"], ["县扶贫办", "各镇人民政府"]), [], id="seed 002 高台 等县直相关部门"),
    pytest.param(  # 002 高台 保基本民生 7.
        "防范和化解价格重大风险。(责任单位:县市场监管局、县发展改革局等相关部门)",
        R(["县市场监管局"], ["县发展改革局"]), [], id="seed 002 高台 等相关部门"),
    pytest.param(  # 003 长沙 保居民就业 （一）
        "支持高校毕业生灵活就业，按规定给予社保补贴。（责任单位：市人力资源社会保障局、市教育局、市委编办、市国资委、各区县市人民政府）",
        R(["市人力资源社会保障局"], ["市教育局", "市委编办", "市国资委", "各区县市人民政府"]), [], id="seed 003 长沙 （一）"),
    pytest.param(  # 003 长沙 保基层运转 (二): rejoined across a page break
        "力争全年完成市本级120亿元、区县(市)100亿元盘活“三资”目标任务。(责任单位：市财政局、\n市税务局)",
        R(["市财政局"], ["市税务局"]), [], id="seed 003 长沙 page break"),
    pytest.param(  # 003 长沙 保居民就业 (四)
        "设。(责任单位：市人力资源社会保障局、各区县市人民政府和园区管委会)",
        R(["市人力资源社会保障局"], ["各区县市人民政府和园区管委会"]), [], id="seed 003 长沙 和园区管委会"),
    pytest.param(  # 004 青山湖 (三): half-width colon
        "推进城镇贫困群众脱贫解困。(责任单位:区民政局、区财政局、区人社局、区卫健委、区教体局、区住建局)",
        R(["区民政局"], ["区财政局", "区人社局", "区卫健委", "区教体局", "区住建局"]), [], id="seed 004 青山湖 (三)"),
    pytest.param(  # 004 青山湖 (十一): never closed
        "强化底线思维和风险意识,增强粮食应急处置能力。(责任单位:农业农村局、区商务局",
        R(["农业农村局"], ["区商务局"]), ["doc.unclosed_bracket"], id="seed 004 青山湖 unclosed"),
    pytest.param(  # 004 青山湖 (十) 财力向基层倾斜
        "加强库款情况动态监测,加大资金调度力度和频次。(责任单位:区财政局、区直有关部门,各镇、街道、园区)",
        R(["区财政局"], ["区直有关部门", "各镇、街道、园区"]), [], id="seed 004 青山湖 各镇、街道、园区"),
]


@pytest.mark.parametrize(("text", "rest", "expected", "warnings"), SPLIT_CASES)
def test_split_trailing(text, rest, expected, warnings):
    left, responsibility, found = split_trailing(text)
    assert left == rest
    assert responsibility == expected
    assert [key for key, _ in found] == warnings


@pytest.mark.parametrize(("text", "expected", "warnings"), SEED_CASES)
def test_split_trailing_seed(text, expected, warnings):
    left, responsibility, found = split_trailing(text)
    assert responsibility == expected
    assert [key for key, _ in found] == warnings
    assert "责任单位" not in left and left.endswith("。")


def test_warning_params():
    _, _, found = split_trailing("任务。（责任单位：A局、B局。以下各项工作均由B局实施）")
    assert found == [("doc.responsibility_note", {"label": "责任单位", "note": "以下各项工作均由B局实施"})]
    _, _, found = split_trailing("任务。〔责任部门：A局")
    assert found == [("doc.unclosed_bracket", {"label": "责任部门"})]
    _, _, found = split_trailing("任务。（牵头单位：）")
    assert found == [("doc.empty_responsibility", {"label": "牵头单位"})]
    _, _, found = split_trailing("任务。（责任单位：A局）（A局牵头）（责任单位：B局）")
    assert found == [("doc.several_responsibilities", {"count": 3})]
    # a lead and its supports in two brackets are one responsibility, not two
    assert split_trailing("任务。（牵头单位：A局）（配合单位：B局）")[2] == []


# --- parse_label_line ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    # seed 000 吉林, the section blocks after 二、保居民就业 and 三、保基本民生
    ("责任领导：吴靖平、刘金波、安立佳", ("leaders", ["吴靖平", "刘金波", "安立佳"])),
    ("牵头单位：省人社厅，各地党委、政府", ("leads", ["省人社厅", "各地党委、政府"])),
    ("配合单位：省教育厅、省退役军人事务厅", ("supports", ["省教育厅", "省退役军人事务厅"])),
    ("牵头单位：省民政厅、省人社厅、省扶贫办，各地党委、政府", ("leads", ["省民政厅", "省人社厅", "省扶贫办", "各地党委、政府"])),
    # seed 000 吉林 七、保基层运转: the list broken by a page break, rejoined with and without the break
    ("牵头单位：省委组织部、省财政厅、省民政厅，各地党委、政府", ("leads", ["省委组织部", "省财政厅", "省民政厅", "各地党委、政府"])),
    ("牵头单位：省委组织部、省财政厅、省民政厅，各地党\n委、政府", ("leads", ["省委组织部", "省财政厅", "省民政厅", "各地党委、政府"])),
    # seed 002 高台 保基层运转
    ("责任单位:各镇人民政府、县属各部门", ("units", ["各镇人民政府", "县属各部门"])),
    ("责任单位:县财政局", ("units", ["县财政局"])),
    # the other labels and spellings
    ("协同单位：A局、B局", ("supports", ["A局", "B局"])),
    ("协助单位：A局", ("supports", ["A局"])),
    ("配合部门：A局", ("supports", ["A局"])),
    ("牵头部门：A局", ("leads", ["A局"])),
    ("责任部门：A局、B局等", ("units", ["A局", "B局"])),
    ("负责领导：张三 李四", ("leaders", ["张三", "李四"])),
    ("责任领导：张三，李四;王五；赵六", ("leaders", ["张三", "李四", "王五", "赵六"])),
    ("**责任领导：** 张三、李四", ("leaders", ["张三", "李四"])),
    ("**责任领导**：张三", ("leaders", ["张三"])),
    ("  牵头单位:Ａ局  ", ("leads", ["A局"])),
    ("完成时限：2020年12月底", ("deadline_text", "2020年12月底")),
    ("完成时间：2020年12月31日前。", ("deadline_text", "2020年12月31日前")),
    ("责任单位：A局牵头", ("leads", ["A局"])),
    ("责任单位：各镇人民政府。以下各项工作任务均需各镇负责实施", ("units", ["各镇人民政府"])),
    # not one label and its value
    ("牵头单位：A局；配合单位：B局", None),
    ("责任单位：A局牵头，B局配合", None),
    ("责任单位：A局，2020年底前完成", None),
    ("二、保居民就业", None),
    ("（一）持续援企稳岗。", None),
    ("各责任单位要狠抓落实。", None),
    ("（责任单位：A局）", None),
    ("", None),
])
def test_parse_label_line(line, expected):
    assert parse_label_line(line) == expected


def test_label_lines_and_split_trailing_agree():
    for line in ("牵头单位：A局；配合单位：B局", "责任单位：A局牵头，B局配合"):
        assert parse_label_line(line) is None
        assert split_trailing(line) == ("", R(["A局"], ["B局"]), [])


def test_every_structural_label_has_a_kind():
    labels = re.search(r"\(([^()?]*)\)", RESPONSIBILITY_LABEL.pattern).group(1).split("|")
    assert sorted(labels) == sorted(KINDS)
    for label in KINDS:
        assert RESPONSIBILITY_LABEL.match(f"{label}：A")


# --- merge and responsibility_from_units ---------------------------------------------------------------------------

SECTION = R(["省人社厅", "各地党委、政府"], ["省教育厅", "省退役军人事务厅"], ["吴靖平", "刘金波"], "2020年12月底")


@pytest.mark.parametrize(("own", "expected"), [
    pytest.param(None, SECTION, id="no own responsibility"),
    pytest.param(R(), SECTION, id="empty own responsibility"),
    pytest.param(R(["省财政厅"], ["省税务局"]), R(["省财政厅"], ["省税务局"], ["吴靖平", "刘金波"], "2020年12月底"), id="own units replace"),
    pytest.param(R(["省财政厅"]), R(["省财政厅"], [], ["吴靖平", "刘金波"], "2020年12月底"), id="own lead alone: no section supports"),
    pytest.param(R([], ["省税务局"]), R(["省人社厅", "各地党委、政府"], ["省税务局"], ["吴靖平", "刘金波"], "2020年12月底"),
                 id="own supports only: section leads kept"),
    pytest.param(R([], ["省人社厅", "省税务局"]), R(["省人社厅", "各地党委、政府"], ["省税务局"], ["吴靖平", "刘金波"], "2020年12月底"),
                 id="a section lead is not also a support"),
    pytest.param(R(leaders=["阿东"]), R(SECTION.leads, SECTION.supports, ["阿东"], "2020年12月底"), id="own leaders win"),
    pytest.param(R(deadline_text="6月底前"), R(SECTION.leads, SECTION.supports, SECTION.leaders, "6月底前"), id="own deadline wins"),
])
def test_merge(own, expected):
    assert merge(SECTION, own) == expected


def test_merge_changes_neither_argument():
    section, own = R(["A局"], ["B局"], ["张三"]), R([], ["C局"])
    merged = merge(section, own)
    merged.leads.append("X")
    merged.supports.append("Y")
    merged.leaders.append("Z")
    assert section == R(["A局"], ["B局"], ["张三"]) and own == R([], ["C局"])


@pytest.mark.parametrize(("units", "expected"), [
    (["市人社局", "市财政局", "市教育局"], R(["市人社局"], ["市财政局", "市教育局"])),
    (["市人社局"], R(["市人社局"])),
    ([], R()),
    (["Ａ局", "B局", "A局", ""], R(["A局"], ["B局"])),
])
def test_responsibility_from_units(units, expected):
    assert responsibility_from_units(units) == expected


def test_parse_label_line_units_feed_responsibility_from_units():
    kind, units = parse_label_line("责任单位:各镇人民政府、县属各部门")
    assert kind == "units"
    assert responsibility_from_units(units) == R(["各镇人民政府"], ["县属各部门"])


# --- robustness ----------------------------------------------------------------------------------------------------

_PIECES = st.sampled_from([
    *KINDS, "：", ":", "∶", "（", "）", "(", ")", "〔", "〕", "[", "]", "【", "】", "**", "、", "，", ",", "；", "。", " ", "\n",
    "牵头", "配合", "负责", "由", "等", "等有关部门", "按职责分工负责", "各地党委", "政府", "各市（州）", "县（市、区）", "A局", "B厅",
    "2020年12月底前", "完成", "6月底",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join)))
def test_arbitrary_text_never_raises(text):
    left, responsibility, warnings = split_trailing(text)
    assert isinstance(left, str) and left == left.strip()
    if responsibility is None:
        assert left == text.strip()
    else:
        assert all(responsibility.leads) and all(responsibility.supports)
        assert not set(responsibility.leads) & set(responsibility.supports)
    assert all(key.startswith("doc.") and isinstance(params, dict) for key, params in warnings)
    parse_label_line(text)


def test_a_unit_marked_lead_in_its_own_list():
    text, resp, _ = split_trailing("做好稳岗工作。（责任单位：市财政局、市人社局（牵头）、市税务局）")
    assert (text, resp.leads, resp.supports) == ("做好稳岗工作。", ["市人社局"], ["市财政局", "市税务局"])
