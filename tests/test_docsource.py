"""Reading a plan file: decoding its bytes, tidying lines, rebuilding paragraphs (docparse/source.py).

The synthetic cases are shaped after the seed plans; the seed checks at the
end run the real files in seed/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sixbao_cli.docparse.markers import ITEM, SECTION
from sixbao_cli.docparse.source import clean_line, decode, is_furniture, paragraphs
from sixbao_cli.errors import InvalidInput

SEED = Path(__file__).parent.parent / "seed"
DECODE_KEYS = {"doc.not_text", "doc.binary_office", "doc.empty"}


def seed_text(prefix: str) -> str:
    (path,) = SEED.glob(f"{prefix}_*.txt")
    return decode(path.read_bytes(), name=path.name)


def texts(text: str) -> list[str]:
    return [p.text for p in paragraphs(text)[0]]


# --- decode ----------------------------------------------------------------------------------------------------------

PLAN = "关于保居民就业的实施方案\n（一）持续援企稳岗。"


@pytest.mark.parametrize(("data", "expected"), [
    (PLAN.encode("utf-8"), PLAN),
    (b"\xef\xbb\xbf" + PLAN.encode("utf-8"), PLAN),
    (PLAN.encode("gb18030"), PLAN),
    (PLAN.encode("gbk"), PLAN),
    ("\ufeff".encode("utf-16-le") + PLAN.encode("utf-16-le"), PLAN),  # Notepad's "Unicode"
    (PLAN.replace("\n", "\r\n").encode("utf-8"), PLAN),
    (PLAN.replace("\n", "\r").encode("gb18030"), PLAN),
    ("一\r\n\r\n二\r三\n".encode(), "一\n\n二\n三\n"),
    (PLAN.encode("gb18030") + b"\x1a", PLAN),  # a DOS editor's end-of-file mark
    (b"plain ASCII text", "plain ASCII text"),
])
def test_decode_reads_text(data, expected):
    assert decode(data, name="plan.txt") == expected


@pytest.mark.parametrize(("data", "key", "params"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "doc.binary_office", {"kind": "PDF"}),
    (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "doc.binary_office", {"kind": "DOCX/XLSX/ZIP"}),
    (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(20), "doc.binary_office", {"kind": "DOC/XLS/WPS"}),
    (b"{\\rtf1\\ansi\\ansicpg936 ...}", "doc.binary_office", {"kind": "RTF"}),
    (PLAN.encode("utf-8") + b"\x00\x00", "doc.not_text", {}),
    (PLAN.encode("utf-16-le"), "doc.not_text", {}),  # UTF-16 without a byte-order mark has NUL bytes
    (b"\xff\xd8\xff\xe0 JFIF", "doc.not_text", {}),  # undecodable in UTF-8 and GB18030
    (b"\x01\x02\x03\x04\x05\x06\x07\x08ab", "doc.not_text", {}),  # mostly control characters
    (b"", "doc.empty", {}),
    (b" \r\n\t\r\n", "doc.empty", {}),
    ("\u3000\u00a0\u200b\n".encode(), "doc.empty", {}),
    (b"\xef\xbb\xbf", "doc.empty", {}),
])
def test_decode_refuses(data, key, params):
    with pytest.raises(InvalidInput) as caught:
        decode(data, name="plan.docx")
    assert caught.value.key == key
    assert caught.value.params == {"file": "plan.docx", **params}


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_decode_of_any_bytes_is_text_or_a_clear_refusal(data):
    try:
        assert isinstance(decode(data, name="x.txt"), str)
    except InvalidInput as exc:
        assert exc.key in DECODE_KEYS
        assert exc.params["file"] == "x.txt"


# --- clean_line ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("（一）持续援企稳岗。", "（一）持续援企稳岗。"),
    ("\u3000\u3000为扎实做好“六稳”工作，全面落实“六保”任务。\u3000", "为扎实做好“六稳”工作，全面落实“六保”任务。"),
    ("责任领导：吴靖平\u00a0\u00a0刘金波", "责任领导：吴靖平 刘金波"),
    ("\u2002\u2002\u2002\u2002南昌市青山湖区人民政府", "南昌市青山湖区人民政府"),  # seed 004
    ("中共高台县委办公室\u2002 高台县人民政府办公室", "中共高台县委办公室 高台县人民政府办公室"),  # seed 002
    ("自 2020 年\t1 月  1 日起", "自 2020 年 1 月 1 日起"),
    ("牵头\u200b单位\ufeff：省人社厅\u200d", "牵头单位：省人社厅"),
    ("（二）**抓好粮食收购储备**。", "（二）抓好粮食收购储备。"),  # seed 003
    ("（**责任单位：省文旅厅、省商务厅、长春海关**）", "（责任单位：省文旅厅、省商务厅、长春海关）"),  # seed 000
    ("各地党委、政府〕**", "各地党委、政府〕"),
    ("经区政府研究,现将《实施办法》印发给你们:", "经区政府研究,现将《实施办法》印发给你们:"),  # half-width kept
    ("10∶11 字体:【 打印", "10∶11 字体:【 打印"),
    ("第*项\x07", "第*项"),
    ("\x0c下一页的第一行", "下一页的第一行"),  # pdftotext's form feed
    (" \u3000 ", ""),
])
def test_clean_line(line, expected):
    assert clean_line(line) == expected


@given(st.text())
def test_clean_line_is_idempotent_and_tidy(line):
    cleaned = clean_line(line)
    assert clean_line(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned and "**" not in cleaned


# --- furniture -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "furniture"), [
    ("字体:【 打印", True),  # seed 002
    ("浏览量: 字体:", True),  # seed 004
    ("扫一扫在手机打开当前页", True),
    ("【打印】【关闭】", True),
    ("打印此页|关闭窗口", True),
    ("分享", True),
    ("分享到：", True),
    ("扫码浏览", True),
    ("浏览次数：1234", True),
    ("【字体：大 中 小】【打印】【关闭】", True),
    ("青山湖区人民政府网站欢迎您的访问!", True),
    ("— 3 —", True),
    ("- 12 -", True),
    ("第 3 页 共 10 页", True),
    # metadata the document parser reads is not furniture
    ("索引号: QSHQ-1134-4556-8391 主题分类:", False),
    ("发布机构: 青山湖区人民政府 生成日期: 2020-09-25", False),
    ("文件编号: 湖政发〔2020〕25号 有效性: 有效", False),
    ("公开范围: 面向全社会 公开方式: 主动公开", False),
    ("来源:高台县委办 高台县政府办 作者: 发布时间:2020-09-17 10∶11", False),
    ("打印机采购", False),
    ("（一）分享经验做法。", False),
    ("2020年8月12日", False),
    ("3", False),
])
def test_is_furniture(line, furniture):
    assert is_furniture(line) is furniture


# --- paragraphs ------------------------------------------------------------------------------------------------------

BROKEN_ITEM = "7. 落实落细社会救助政策。对受疫情影响导致基本生活困难的本地户籍居民，符合低保条件的要及时纳入。对不符"


@pytest.mark.parametrize(("text", "expected"), [
    # a page break inside a sentence: rejoined
    (f"{BROKEN_ITEM}\n\n件的，包括染疫人员，及时纳入临时救助范围。", [f"{BROKEN_ITEM}件的，包括染疫人员，及时纳入临时救助范围。"]),
    # a short line that already finished a sentence and broke off the next one
    ("14. 保障社会保险待遇。自2020年1月1日起，合理上\n\n调退休人员基本养老金水平。",
     ["14. 保障社会保险待遇。自2020年1月1日起，合理上调退休人员基本养老金水平。"]),
    # a numbered full line without any comma
    ("10. 各重点行业产业链分别建立重点生产企业清单、核心配套企业清单、重点项目清单\n\n和政策清单。",
     ["10. 各重点行业产业链分别建立重点生产企业清单、核心配套企业清单、重点项目清单和政策清单。"]),
    # an unfinished list of units after a responsibility label
    ("牵头单位：省委组织部、省财政厅、省民政厅，各地党\n\n委、政府", ["牵头单位：省委组织部、省财政厅、省民政厅，各地党委、政府"]),
    ("牵头单位：省人社厅\n\n配合单位：省教育厅", ["牵头单位：省人社厅", "配合单位：省教育厅"]),
    # an unclosed bracket the next line closes
    ("（一）稳岗位〔责任单位：省财政厅，各市（州）、\n\n县（市）政府〕", ["（一）稳岗位〔责任单位：省财政厅，各市（州）、县（市）政府〕"]),
    # titles and headings keep to themselves
    ("关于保居民就业的实施方案\n\n按照《关于落实“六保”任务的实施意见》要求，制定本方案。",
     ["关于保居民就业的实施方案", "按照《关于落实“六保”任务的实施意见》要求，制定本方案。"]),
    ("二、保居民就业\n\n责任领导：吴靖平、刘金波", ["二、保居民就业", "责任领导：吴靖平、刘金波"]),
    ("附件 1\n\n关于保居民就业的实施方案", ["附件 1", "关于保居民就业的实施方案"]),
    ("中共吉林省委 吉林省人民政府 关于落实“六保”任务的实施意见\n\n(2020年6月5日)",
     ["中共吉林省委 吉林省人民政府 关于落实“六保”任务的实施意见", "(2020年6月5日)"]),
    ("长沙市人民政府办公厅 关于印发长沙市全面落实“六保”任务做好 当前重点工作实施方案的通知\n\n各区县（市）人民政府，市直机关各单位：",
     ["长沙市人民政府办公厅 关于印发长沙市全面落实“六保”任务做好 当前重点工作实施方案的通知", "各区县（市）人民政府，市直机关各单位："]),
    ("(一)优化预算编制,加强预算管理\n\n责任单位:县财政局", ["(一)优化预算编制,加强预算管理", "责任单位:县财政局"]),
    # a finished sentence, or a numbered item next, ends the paragraph
    ("全面落实各项政策。\n\n另起一段的正文，继续写下去", ["全面落实各项政策。", "另起一段的正文，继续写下去"]),
    (f"{BROKEN_ITEM}\n\n8. 做好分散供养特困人员照料服务。", [BROKEN_ITEM, "8. 做好分散供养特困人员照料服务。"]),
    (f"{BROKEN_ITEM}\n\n(二)拓宽就业渠道。", [BROKEN_ITEM, "(二)拓宽就业渠道。"]),
    # a closing quote ends a sentence only after a full stop
    ("（十三）支持新业态。引导商贸企业开展“网红直播”\n\n等线上促销活动。", ["（十三）支持新业态。引导商贸企业开展“网红直播”等线上促销活动。"]),
    ("（十三）支持新业态。要求做到“应保尽保。”\n\n另起一段，继续写。", ["（十三）支持新业态。要求做到“应保尽保。”", "另起一段，继续写。"]),
    # consecutive lines: one paragraph, joined without a space between CJK, with one between ASCII words
    ("赣州市人民政府办公室印发关于\n做好“六稳”工作落实“六保”任务的\n若干措施的通知",
     ["赣州市人民政府办公室印发关于做好“六稳”工作落实“六保”任务的若干措施的通知"]),
    ("稳定 IT\n产业链，推进 Windows\nServer 国产化替代。", ["稳定 IT产业链，推进 Windows Server 国产化替代。"]),
    # ... unless the next line opens a unit, the line before ends a sentence, or an addressee line follows a title
    ("- 附件：1. 关于保居民就业的实施方案\n2. 关于保基本民生的实施方案", ["- 附件：1. 关于保居民就业的实施方案", "2. 关于保基本民生的实施方案"]),
    ("一、保居民就业\n（一）加大援企稳岗返还力度。", ["一、保居民就业", "（一）加大援企稳岗返还力度。"]),
    ("第二章 保居民就业\n第三条 加大援企稳岗返还力度", ["第二章 保居民就业", "第三条 加大援企稳岗返还力度"]),
    ("第三条 加大援企稳岗返还力度，做好稳岗工作\n第四条 拓宽就业渠道", ["第三条 加大援企稳岗返还力度，做好稳岗工作", "第四条 拓宽就业渠道"]),
    ("现将措施印发给你们，请认真贯彻执行。\n 2020年6月18日", ["现将措施印发给你们，请认真贯彻执行。", "2020年6月18日"]),
    ("若干措施的通知\n各县（市、区）人民政府，市政府各部门：", ["若干措施的通知", "各县（市、区）人民政府，市政府各部门："]),
    # a responsibility note on its own line belongs to the task before it
    ("13. 落实分类施保政策。按比例增发补助金。\n〔责任单位：省民政厅〕", ["13. 落实分类施保政策。按比例增发补助金。〔责任单位：省民政厅〕"]),
    ("24. 推行工程款预付制度。必须提供支付担保。\n\n（责任单位：省发改委、省住建厅）", ["24. 推行工程款预付制度。必须提供支付担保。（责任单位：省发改委、省住建厅）"]),
    # metadata fields stay one a paragraph
    ("索引号: QSHQ-1134 主题分类:\n发布机构: 青山湖区人民政府 生成日期: 2020-09-25\n文件编号: 湖政发〔2020〕25号 有效性: 有效",
     ["索引号: QSHQ-1134 主题分类:", "发布机构: 青山湖区人民政府 生成日期: 2020-09-25", "文件编号: 湖政发〔2020〕25号 有效性: 有效"]),
    # furniture and page numbers vanish, even from between the halves of a sentence
    (f"{BROKEN_ITEM}\n\n— 3 —\n\n件的，及时纳入。", [f"{BROKEN_ITEM}件的，及时纳入。"]),
    ("关于印发实施办法的通知\n\n浏览量: 字体:\n\n各镇人民政府:", ["关于印发实施办法的通知", "各镇人民政府:"]),
    ("字体:【 打印\n\n扫一扫在手机打开当前页\n", []),
    ("", []),
    ("\n \n\u3000\n", []),
])
def test_paragraph_joining(text, expected):
    assert texts(text) == expected


def test_paragraph_lines_are_where_they_start():
    text = "\r\n标题\r\n\r\n(一) 持续援企稳岗。将面临困难且恢复有望的企业纳入范围，\r\n\r\n有条件的地区给予补贴。\r\n\r\n二、保基本民生\r\n"
    found, warnings = paragraphs(text)
    assert [(p.line, p.text) for p in found] == [
        (2, "标题"),
        (4, "(一) 持续援企稳岗。将面临困难且恢复有望的企业纳入范围，有条件的地区给予补贴。"),
        (8, "二、保基本民生"),
    ]
    assert warnings == []


def test_an_unclosed_bracket_is_reported_where_its_paragraph_ends():
    text = ("二、保基本民生\n\n"
            "(四)完善社会保障。落实价格临时补贴。(责任单位:人社局、财政局,各镇、街道、\n园区\n\n"
            "(五)提升公共服务水平。(责任单位:民政局)")
    found, warnings = paragraphs(text)
    assert len(found) == 3
    assert [(w.line, w.key, w.params) for w in warnings] == [(4, "doc.unclosed_paragraph", {"text": "任单位:人社局、财政局,各镇、街道、园区"})]
    assert warnings[0].params["text"] == found[1].text[-20:]


def test_a_closer_with_nothing_open_is_no_warning():
    assert paragraphs("十八)切实防范债务风险。\n\n1)加强管理。")[1] == []


def _visible(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(st.text(alphabet=st.sampled_from(list("一二十（）()〔〕、，。：:*1. 附件责任单位牵头\n\n\r\u3000\u00a0\u200b“”字体打印")) | st.characters(),
               max_size=200))
@settings(max_examples=300, deadline=None)
def test_paragraphs_keep_every_character_of_the_plan(text):
    found, warnings = paragraphs(text)
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept = [line for line in lines if line and not is_furniture(line)]
    assert _visible("".join(p.text for p in found)) == _visible("".join(kept))
    starts = [p.line for p in found]
    assert starts == sorted(set(starts))
    assert all(1 <= n <= len(lines) and p.text for n, p in zip(starts, found, strict=True))
    assert all(w.key == "doc.unclosed_paragraph" for w in warnings)


# --- the seed plans --------------------------------------------------------------------------------------------------

SEED_PREFIXES = ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_items_and_sections_start_their_own_paragraphs(prefix):
    text = seed_text(prefix)
    found, _ = paragraphs(text)
    by_line = {p.line: p.text for p in found}
    for number, raw in enumerate(text.split("\n"), start=1):
        line = clean_line(raw)
        if ITEM.match(line):
            assert by_line.get(number, "").startswith(line), (number, line)
        if SECTION.match(line) and len(line) <= 12:
            assert by_line.get(number) == line, (number, line)


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seeds_decode_the_same_from_gb18030(prefix):
    (path,) = SEED.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    assert decode(text.encode("gb18030"), name=path.name) == decode(path.read_bytes(), name=path.name)


def test_seed_000_rejoins_page_breaks():
    found = texts(seed_text("000"))
    assert any("对不符合低保和特困供养条件的，包括因疫情影响" in p for p in found)
    assert "牵头单位：省委组织部、省财政厅、省民政厅，各地党委、政府" in found
    assert any("逐项推动落实。各地政府要抓紧制定本地区落实方案" in p for p in found)
    assert any(p.startswith("（一）加强组织领导。各地各部门要将粮食能源安全工作摆上重要位置。") for p in found)
    assert not [p for p in found if p.startswith(("件的", "委、政府", "务枢纽", "政府〕", "调企业"))]
    annex = found.index("附件 1")
    assert found[annex:annex + 3] == [
        "附件 1",
        "关于保居民就业的实施方案",
        "按照《关于落实“六保”任务的实施意见》要求，制定保居民就业实施方案如下。",
    ]
    assert found[:4] == ["中共吉林省委文件", "吉发〔2020〕17号", "中共吉林省委 吉林省人民政府 关于落实“六保”任务的实施意见", "(2020年6月5日)"]


def test_seed_000_attaches_loose_responsibility_notes():
    found = texts(seed_text("000"))
    assert not [p for p in found if p.startswith(("（责任单位", "(责任单位", "〔责任单位"))]
    assert any(p.endswith("必须对等提供工程款支付担保。（责任单位：省发改委、省住建厅、省工信厅、省财政厅）") for p in found)


def test_seed_000_warns_of_its_one_broken_bracket():
    _, warnings = paragraphs(seed_text("000"))
    assert [(w.line, w.key) for w in warnings] == [(375, "doc.unclosed_paragraph")]


def test_seed_001_has_23_items():
    found = texts(seed_text("001"))
    assert len([p for p in found if p.startswith(("（", "(")) and ITEM.match(p)]) == 23
    assert found[:2] == ["赣州市人民政府办公室印发关于做好“六稳”工作落实“六保”任务的若干措施的通知",
                         "各县（市、区）人民政府，市政府各部门，市属、驻市各单位："]
    assert found[-1].startswith("各地各部门要建立重点任务推进台账")


def test_seed_002_drops_page_furniture_and_keeps_metadata():
    found = texts(seed_text("002"))
    assert found[:2] == ["中共高台县委办公室 高台县人民政府办公室关于印发高台县“六保”工作方案的通知",
                         "来源:高台县委办 高台县政府办 作者: 发布时间:2020-09-17 10∶11"]
    assert not [p for p in found if "字体" in p or "扫一扫" in p]
    assert "、目标任务" in found  # the plan's own misprint, kept as written


def test_seed_003_loses_its_markdown_bold():
    found = texts(seed_text("003"))
    assert any(p.startswith("（二）抓好粮食收购储备。稳妥推进收储制度改革") for p in found)
    assert not [p for p in found if "*" in p]


def test_seed_004_drops_page_furniture_and_keeps_metadata():
    found, warnings = paragraphs(seed_text("004"))
    text = [p.text for p in found]
    assert text[:4] == [
        "索引号: QSHQ-1134-4556-8391 主题分类:",
        "发布机构: 青山湖区人民政府 生成日期: 2020-09-25",
        "文件编号: 湖政发〔2020〕25号 有效性: 有效",
        "公开范围: 面向全社会 公开方式: 主动公开",
    ]
    assert "南昌市青山湖区人民政府" in text
    assert not [p for p in text if re.search("浏览量|字体|欢迎您|打印此页|扫码|^分享$", p)]
    # several responsibility notes of this plan are never closed
    assert {w.line for w in warnings} == {44, 48, 52, 62, 68, 70}
    assert {w.key for w in warnings} == {"doc.unclosed_paragraph"}
