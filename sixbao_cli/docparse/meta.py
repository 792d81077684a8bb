"""A plan's identity: title, 文号, issuing body, issue date, year and level.

Plans arrive as the text of an official document (文件 header, 文号, title,
date in brackets) or of a government web page (发布机构, 生成日期, 文件编号
lines, a title broken over two or three short lines, a dated signature). The
readers below try the forms in order of trust: an explicit 成文日期 beats the
bracketed date under the title, which beats a signature date, which beats the
web page's publication date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sixbao_cli.docparse.model import DocumentMeta, Paragraph

_DOC_NUMBER = re.compile(r"([\u4e00-\u9fa5]{1,12})\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,4})\s*号")
_TITLE_END = re.compile(r"(?:意见|方案|措施|办法|通知|决定|规划|计划|细则)$")
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_HEAD_SCAN = 60  # identity lines sit at the top: the header, title, addressees and signature


def _date(m: re.Match) -> date | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _norm(text: str) -> str:
    text = _spaces(text)
    # in a title, a space between two Chinese characters is a line-wrap artefact, not a word break
    return re.sub(r"(?<=[\u4e00-\u9fa5“”《》、])\s+(?=[\u4e00-\u9fa5“”《》、])", "", text)


def find_doc_number(paragraphs: list[Paragraph]) -> str | None:
    """The 文号 (吉发〔2020〕17号), brackets made the official 〔〕."""
    for p in paragraphs[:_HEAD_SCAN]:
        m = _DOC_NUMBER.search(p.text)
        if not m:
            continue
        # A 文号 quoted in a sentence (根据…《…》(市委办发〔2020〕16号)要求) is another document's.
        labelled = re.search(r"(?:文件编号|文号|发文字号)\s*[:：]", p.text)
        if labelled or len(p.text.strip()) <= len(m.group(0)) + 4:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return None


def find_title(paragraphs: list[Paragraph]) -> tuple[str, str | None]:
    """The document's full title and what stands before 关于 (usually the issuer).

    A title broken over short lines ("…印发关于" / "做好…任务的" / "若干措施的通知")
    is joined back.
    """
    for i, p in enumerate(paragraphs[:_HEAD_SCAN]):
        if "关于" not in p.text or len(p.text) > 120 or p.text.startswith(("根据", "按照", "为")):
            continue
        title = p.text
        j = i + 1
        while not _TITLE_END.search(title) and j < len(paragraphs) and j <= i + 3 and len(paragraphs[j].text) <= 40:
            title += paragraphs[j].text
            j += 1
        if not _TITLE_END.search(title):
            continue
        before, _, after = title.partition("关于")
        issuer = re.sub(r"(?:印发|转发)$", "", before.strip()).strip() or None
        return _norm("关于" + after), issuer
    for p in paragraphs[:_HEAD_SCAN]:  # a title without 关于: "某某市保居民就业工作方案"
        text = p.text.strip()
        if _TITLE_END.search(text) and len(text) <= 60 and not re.search(r"[。；：:]|文件$", text):
            return _norm(text), None
    first = next((p.text for p in paragraphs if p.text.strip() and not p.text.strip().endswith("文件")), "")
    return _norm(first[:80]), None


def find_issuer(paragraphs: list[Paragraph], before_title: str | None) -> str | None:
    """The issuing body: before the title's 关于, else 发布机构, else the 文件 header, else the signature."""
    if before_title:
        return _spaces(before_title)  # co-issuers stay apart: 中共吉林省委 吉林省人民政府
    for p in paragraphs[:_HEAD_SCAN]:
        m = re.search(r"发布机构\s*[:：]\s*(\S+)", p.text)
        if m:
            return m.group(1)
    for p in paragraphs[:10]:
        m = re.match(r"^(.{2,30}?)文件$", p.text.strip())
        if m:
            return _spaces(m.group(1))
    for i, p in enumerate(paragraphs[:_HEAD_SCAN]):
        if _FULL_DATE.fullmatch(p.text.strip()) and i > 0 and len(paragraphs[i - 1].text) <= 40:
            return _spaces(paragraphs[i - 1].text)
    return None


def find_issue_date(paragraphs: list[Paragraph]) -> date | None:
    """成文日期, else the bracketed date under the title, else the signature date, else the
    "…日印发" line closing the document, else the web page's date."""
    head = paragraphs[:_HEAD_SCAN]
    for p in head:
        if "成文日期" in p.text and (m := _FULL_DATE.search(p.text) or _ISO_DATE.search(p.text)):
            return _date(m)
    for p in head:
        m = re.fullmatch(r"[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]", p.text.strip())
        if m:
            return _date(m)
    for p in head:
        m = _FULL_DATE.fullmatch(p.text.strip())
        if m:
            return _date(m)
    for p in paragraphs:
        # "2020年7月31日印发", alone or after the 印发机关 on the same line (the 版记 of GB/T 9704)
        m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发$", p.text.strip())
        if m:
            return _date(m)
    for p in head:
        if any(label in p.text for label in ("生成日期", "发布时间", "发布日期", "印发日期")):
            if m := _ISO_DATE.search(p.text) or _FULL_DATE.search(p.text):
                return _date(m)
    return None


def level_of(issuer: str | None, title: str) -> str | None:
    """province, city, county or district, from the issuing body (or the title)."""
    text = issuer or title
    if "自治区" in text and not re.search(r"[市州县旗]", text.split("自治区", 1)[1]):
        return "province"  # 内蒙古自治区人民政府: a province, not a district
    for marker, level in (("区", "district"), ("县", "county"), ("市", "city"), ("州", "city"), ("省", "province")):
        if re.search(rf"[\u4e00-\u9fa5]{marker}(?:委|人民政府|政府|办公|$|\s)", text):
            return level
    return None


def read_meta(paragraphs: list[Paragraph], *, fallback_year: int) -> DocumentMeta:
    """Everything :class:`DocumentMeta` holds, from the plan's paragraphs."""
    title, before = find_title(paragraphs)
    doc_number = find_doc_number(paragraphs)
    issuer = find_issuer(paragraphs, before)
    issued_on = find_issue_date(paragraphs)
    year = issued_on.year if issued_on else None
    if year is None and doc_number:
        year = int(re.search(r"〔(\d{4})〕", doc_number).group(1))
    if year is None:
        m = re.search(r"(20\d{2})\s*年", " ".join(p.text for p in paragraphs[:_HEAD_SCAN]))
        year = int(m.group(1)) if m else fallback_year
    return DocumentMeta(title, doc_number, issuer, issued_on, year, level_of(issuer, title))
