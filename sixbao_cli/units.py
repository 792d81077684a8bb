"""Unit names: normalising them and splitting the lists plans write.

A plan writes "市人社局、市财政局等" or "省人社厅，各地党委、政府"; a unit group
such as 各地党委、政府 or 各市（州）、县（市、区）党委、政府 is one unit, so the
list splits on 、，,;； only outside brackets and never inside such a group.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from types import SimpleNamespace

_OPEN = "（([〔【"
_CLOSE = "）)]〕】"
_SEPARATORS = "、，,;；"
@functools.cache
def _patterns() -> SimpleNamespace:
    """The patterns for splitting and keying unit lists, compiled on first use.

    Compiled at import they cost every command that touches a unit name
    (progress add, task show, …) ~3 ms of start-up, for work that only
    plans and imported sheets need.
    """
    return SimpleNamespace(
        # A list item that only names the bodies of the item before it: "党委、政府".
        body_only=re.compile(r"^(?:人民)?(?:政府|党委|党委政府|人大|政协|管委会)$"),
        # An item that only names places and waits for the bodies that follow it:
        # "各市（州）" in "各市（州）、县（市、区）党委、政府" — it joins the next item only
        # when that one is itself places followed by their bodies (县（市、区）党委).
        places_only=re.compile(r"^各[^、，]*?[市州县区镇乡街道]）?$"),
        places_with_bodies=re.compile(r"^[^局厅委办]*?[市州县区镇乡街道]）?(?:党委|人民政府|政府)"),
        trailing_etc=re.compile(r"(?:等(?:有关|相关|县直相关|市直相关|省直相关)?(?:单位|部门)?|按职责分工负责)+$"),
        # Place types that continue a group opened by 各: "各镇、街道、园区" is one unit.
        bare_place=re.compile(r"^(?:镇|乡|乡镇|街道|街道办事处|园区|社区|村|开发区|工业园区|高新区|管委会)$"),
        # A department named without the level its neighbours carry: "县发改局、财政局" means 县财政局.
        # Only short stems (财政局, 商务局, 发改委): a longer name such as 吉林银保监局 names its own place.
        bare_department=re.compile(r"^[^省市县区州镇乡各]{2,4}[局委办厅]$"),
        level=re.compile(r"^([省市县区])(?!场)[^省市县区]"),  # not the 市 of 市场监管局
        # Two departments run together by a lost separator: "区农业农村局区科工局".
        run_together=re.compile(r"(?<=[局委办厅])(?=[省市县区][\u4e00-\u9fa5]{1,8}?[局委办厅](?:$|[、，,;；]))"),
        # The official short forms of a department's name, which plans mix within one text (省发展改革委
        # and 省发改委, 县应急管理局 and 县应急局). Each long form has exactly one short form and no other
        # body is called by it; place names, levels and anything less certain (人行高台县支行 /
        # 人行高台支行) are left as written.
        short_forms=(
            (re.compile(r"发展和?改革(?:委员会|委)"), "发改委"),
            (re.compile(r"发展和?改革局"), "发改局"),
            (re.compile(r"人力资源和?社会保障(?=[局厅])"), "人社"),
            (re.compile(r"应急管理(?=[局厅])"), "应急"),
            (re.compile(r"文化和旅游(?=[局厅])"), "文旅"),
            (re.compile(r"粮食和物资储备(?=局)"), "粮食和储备"),
            (re.compile(r"^(?:中国)?人民银行"), "人行"),
        ),
    )


def unit_key(name: str) -> str:
    """What two spellings of one body have in common: the normalised name with official short forms.

    >>> unit_key("县发展改革局") == unit_key("县发改局"), unit_key("市人力资源和社会保障局")
    (True, '市人社局')
    """
    key = normalize_name(name)
    for long_form, short in _patterns().short_forms:
        key = long_form.sub(short, key)
    return key


def normalize_name(name: str) -> str:
    """One spelling for a unit name: NFKC, no white space, full-width brackets. Normalising twice changes nothing."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    # NFKC spells some signs as a space and a combining mark (¯ is " ̄"): with the space gone the
    # mark joins the letter before it, which only a second pass composes.
    text = unicodedata.normalize("NFKC", text)
    return text.replace("(", "（").replace(")", "）")


def split_unit_list(text: str) -> list[str]:
    """Split a written list of units into normalised names, keeping unit groups whole."""
    text = normalize_name(text)
    items: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in _SEPARATORS and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    merged: list[str] = []
    level = None
    rx = _patterns()
    items = [piece for item in items for piece in rx.run_together.split(item.strip())]
    for item in (i.strip() for i in items):
        item = rx.trailing_etc.sub("", item)
        if not item:
            continue
        if merged and (rx.body_only.match(item) or (rx.places_only.match(merged[-1]) and rx.places_with_bodies.match(item))
                       or (merged[-1].startswith("各") and rx.bare_place.match(item))):
            merged[-1] = f"{merged[-1]}、{item}"
            continue
        if level and rx.bare_department.match(item):
            item = level + item
        m = rx.level.match(item)
        level = m.group(1) if m else level
        merged.append(item)
    return merged
