"""The numbering and labels 六保 plans use, as patterns.

Levels, outermost first: 附件N (annex), 一、 or 第一章 / 第一部分 (section),
（一）/(一)/〔一〕 or 第一条 (item), 1. / 1、 / 1．(sub-item), (1) / （1） / ①
(sub-sub-item). Some plans number the items of a section as paragraphs
opening 一是… 二是… instead.
Responsibility labels: 责任领导 / 负责领导, 牵头单位 / 牵头部门, 配合单位 /
协同单位 / 协助单位, 责任单位 / 责任部门, 完成时限 / 完成时间.
"""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十"
_CN_NUM = f"[{CN_DIGITS}百零〇两]+"

ANNEX = re.compile(r"^附\s*件\s*([0-9０-９]+)\s*$")
SECTION = re.compile(rf"^({_CN_NUM})\s*[、，,．.]\s*(.*)$")
# （一） (一) 〔一〕 and the broken forms 一) / 十八) a plan may contain
ITEM = re.compile(rf"^(?:[（(〔\[]\s*({_CN_NUM})\s*[）)〕\]]|({_CN_NUM})\s*[）)])\s*(.*)$")
# 第二章 保居民就业, 第一部分 总体要求: a section of a plan written in chapters or parts
CHAPTER = re.compile(rf"^(第\s*(?:{_CN_NUM}|[0-9]{{1,2}})\s*(?:章|部分))\s*[、，,．.:：]?\s*(\S.*)$")
# 第一条 加大援企稳岗力度。… : an article, numbered straight through the plan
ARTICLE = re.compile(rf"^(第\s*({_CN_NUM}|[0-9]{{1,3}})\s*条)\s*[、，,．.:：]?\s*(\S.*)$")
# 一是稳定就业岗位。… : a paragraph that numbers the items of its section in words
POINT = re.compile(r"^(([一二三四五六七八九十]{1,3})\s*是)\s*[，,:：]?\s*(\S.*)$")
SUBITEM = re.compile(r"^([0-9０-９]{1,3})\s*(?:[.．、]|\s(?=\S))\s*(.*)$")
SUBSUBITEM = re.compile(r"^(?:[（(]\s*([0-9０-９]{1,3})\s*[）)]|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))\s*(.*)$")

RESPONSIBILITY_LABEL = re.compile(
    r"^\**\s*(责任领导|负责领导|牵头单位|牵头部门|配合单位|配合部门|协同单位|协助单位|责任单位|责任部门|完成时限|完成时间)"
    r"\s*\**\s*[:：]"
)


def is_structural(line: str) -> bool:
    """Does this line open a new unit of the plan (a heading, a numbered item, a label line)?"""
    text = line.strip()
    return bool(
        ANNEX.match(text) or SECTION.match(text) or CHAPTER.match(text) or ITEM.match(text) or ARTICLE.match(text)
        or SUBITEM.match(text) or SUBSUBITEM.match(text) or RESPONSIBILITY_LABEL.match(text)
    )


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十三 → 13, 二十七 → 27, 一百零五 → 105; None when it is not a Chinese number."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    text = text.strip()
    if not text or any(c not in digits and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + digits[ch] if current else digits[ch]
    return total + current
