"""Values typed by officers: dates, numbers, percents, targets, milestones, unit lists, categories."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sixbao_cli.categories import canonical, code_prefix
from sixbao_cli.dates import parse_date
from sixbao_cli.errors import InvalidInput
from sixbao_cli.quantities import MilestoneSpec, Target, parse_milestone, parse_number, parse_percent, parse_target
from sixbao_cli.units import normalize_name, split_unit_list, unit_key


@pytest.mark.parametrize(("text", "expected"), [
    ("2020-09-25", date(2020, 9, 25)),
    ("2020/9/25", date(2020, 9, 25)),
    ("2020.9.5", date(2020, 9, 5)),
    ("2020年9月25日", date(2020, 9, 25)),
    ("2020年9月25号", date(2020, 9, 25)),
    ("2020 年 9 月 5 日", date(2020, 9, 5)),
    ("２０２０－０９－２５", date(2020, 9, 25)),
    ("20200925", date(2020, 9, 25)),
    ("2020-02-29", date(2020, 2, 29)),
    ("今天", date(2020, 10, 1)),
    ("yesterday", date(2020, 9, 30)),
])
def test_dates(text, expected):
    assert parse_date(text, today=date(2020, 10, 1)) == expected


@pytest.mark.parametrize(("text", "key"), [
    ("2020-02-30", "date.impossible"),
    ("2021-02-29", "date.impossible"),
    ("2020-13-01", "date.impossible"),
    ("9月25日", "date.unreadable"),
    ("6月底前", "date.unreadable"),
    ("", "date.unreadable"),
    ("2020-9", "date.unreadable"),
])
def test_bad_dates(text, key):
    with pytest.raises(InvalidInput) as exc:
        parse_date(text, field="--date")
    assert exc.value.key == key


@pytest.mark.parametrize(("text", "expected"), [
    ("2600", 2600), ("1.5", 1.5), ("21万", 210_000), ("1.2亿", 120_000_000), ("３０００", 3000), ("1,300", 1300),
])
def test_numbers(text, expected):
    assert parse_number(text, field="--value") == expected


@pytest.mark.parametrize("text", ["abc", "", "1e999", "nan", "--1"])
def test_bad_numbers(text):
    with pytest.raises(InvalidInput):
        parse_number(text, field="--value")


@pytest.mark.parametrize(("text", "expected"), [("60", 60), ("60%", 60), ("６０％", 60), ("0", 0), ("100", 100), ("62.5", 62.5)])
def test_percents(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["101", "-1", "100.01", "x%"])
def test_bad_percents(text):
    with pytest.raises(InvalidInput):
        parse_percent(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("城镇新增就业>=2600人", Target("城镇新增就业", ">=", 2600, "人")),
    ("城镇新增就业 ≥ 0.26万 人", Target("城镇新增就业", ">=", 2600, "人")),
    ("城镇调查失业率<=5.5%", Target("城镇调查失业率", "<=", 5.5, "%")),
    ("返还失业保险费>=3000万元", Target("返还失业保险费", ">=", 30_000_000, "元")),
    ("欠款=0", Target("欠款", "=", 0, None)),
    ("城镇新增就业不少于2600人", Target("城镇新增就业", ">=", 2600, "人")),
    ("登记失业率=4.5%以内", Target("登记失业率", "<=", 4.5, "%")),
    ("输转劳动力=3.04万人以上", Target("输转劳动力", ">=", 30_400, "人")),
])
def test_targets(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["很多", ">=2600", "就业>=多"])
def test_bad_targets(text):
    with pytest.raises(InvalidInput):
        parse_target(text)


def test_milestones():
    assert parse_milestone("2020-05-31:50%") == MilestoneSpec(date(2020, 5, 31), 50, None)
    assert parse_milestone("2020-05-31：1300") == MilestoneSpec(date(2020, 5, 31), None, 1300)
    for bad in ("2020-05-31", ":50%", "2020-05-32:50%", "2020-05-31:150%"):
        with pytest.raises(InvalidInput):
            parse_milestone(bad)


@pytest.mark.parametrize(("text", "expected"), [
    ("市人社局、市财政局等", ["市人社局", "市财政局"]),
    ("省人社厅，各地党委、政府", ["省人社厅", "各地党委、政府"]),
    ("各市（州）、县（市、区）党委、政府", ["各市（州）、县（市、区）党委、政府"]),
    ("各市(州)、县(市、区)党委、政府，省财政厅", ["各市（州）、县（市、区）党委、政府", "省财政厅"]),
    ("县发改局; 县财政局;县人社局", ["县发改局", "县财政局", "县人社局"]),
    ("A, B ,C", ["A", "B", "C"]),
    ("各镇党委、政府", ["各镇党委、政府"]),
    ("各市（州）、长白山管委会", ["各市（州）", "长白山管委会"]),  # places join only their own bodies
    ("区财政局、区直有关部门,各镇、街道、园区", ["区财政局", "区直有关部门", "各镇、街道、园区"]),
    ("县发改局、财政局、商务局", ["县发改局", "县财政局", "县商务局"]),  # the level carries over
    ("区农业农村局区科工局、区民政局", ["区农业农村局", "区科工局", "区民政局"]),  # a lost separator
    ("市委组织部、市委宣传部", ["市委组织部", "市委宣传部"]),
    ("县发展改革局", ["县发展改革局"]), ("市人力资源社会保障局", ["市人力资源社会保障局"]),
    ("县人社局、团县委、人行高台县支行", ["县人社局", "团县委", "人行高台县支行"]),
    ("X等有关部门", ["X"]), ("A、B等县直相关部门", ["A", "B"]), ("A等部门按职责分工负责", ["A"]),
    ("各市（州）、县（市、区）人民政府，省财政厅", ["各市（州）、县（市、区）人民政府", "省财政厅"]),
    ("市直各相关单位按职责分工负责", ["市直各相关单位"]),
    ("、、", []),
])
def test_unit_lists(text, expected):
    assert split_unit_list(text) == expected


def test_unit_names_normalise():
    assert normalize_name(" 市人力资源 社会保障局 ") == "市人力资源社会保障局"
    assert normalize_name("各市(州)") == "各市（州）"
    assert normalize_name("E\u00af局") == "\u0112局"  # ¯ is a space and a macron; the macron joins the E


@settings(max_examples=500)
@given(st.text())
def test_normalising_a_unit_name_twice_changes_nothing(name):
    # a name kept normalised must be found again when an officer's spelling of it is normalised
    once = normalize_name(name)
    assert normalize_name(once) == once


@pytest.mark.parametrize(("names", "key"), [
    # the official short forms: one body, whichever way the plan writes it
    (["县发展改革局", "县发展和改革局", "县发改局"], "县发改局"),
    (["省发展改革委", "省发展和改革委员会", "省发改委"], "省发改委"),
    (["市人力资源社会保障局", "市人力资源和社会保障局", "市人社局"], "市人社局"),
    (["省人力资源和社会保障厅", "省人社厅"], "省人社厅"),
    (["省应急管理厅", "省应急厅"], "省应急厅"),
    (["县应急管理局", "县应急局"], "县应急局"),
    (["省文化和旅游厅", "省文旅厅"], "省文旅厅"),
    (["省粮食和物资储备局", "省粮食和储备局"], "省粮食和储备局"),
    (["中国人民银行长春中心支行", "人民银行长春中心支行", "人行长春中心支行"], "人行长春中心支行"),
    (["市 人力资源 社会保障局"], "市人社局"),  # normalised first
    # what is not a short form of anything stays as written
    (["县发改委"], "县发改委"),  # a 委 is not a 局: counties have one or the other
    (["县应急办"], "县应急办"),
    (["人行高台县支行"], "人行高台县支行"),
    (["人行高台支行"], "人行高台支行"),
    (["县文体广电旅游局"], "县文体广电旅游局"),
    (["发展改革研究中心"], "发展改革研究中心"),
    (["省畜牧业管理局"], "省畜牧业管理局"),
])
def test_unit_keys(names, key):
    assert [unit_key(name) for name in names] == [key] * len(names)


@pytest.mark.parametrize(("text", "expected"), [
    ("就业", "保居民就业"), ("保居民就业", "保居民就业"), ("jobs", "保居民就业"), ("保粮食安全", "保粮食能源安全"),
    ("产业链", "保产业链供应链稳定"), ("基层运转", "保基层运转"), ("稳外贸", "稳外贸"),
])
def test_categories(text, expected):
    assert canonical(text) == expected


def test_code_prefixes():
    assert [code_prefix(c) for c in ("保居民就业", "保基本民生", "保市场主体", "保粮食能源安全", "保产业链供应链稳定",
                                     "保基层运转", "稳外贸")] == ["JY", "MS", "SC", "LN", "CL", "JC", "QT"]
