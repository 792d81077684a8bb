"""Deadlines, targets and milestones read from the prose of a plan's task.

A 六保 plan says "5月底前城镇新增就业完成年度目标任务50%以上；11月底前完成全年
目标任务" where a ledger wants a deadline (2020-11-30), a target (城镇新增就业 ≥
2600 人) and milestones (2020-05-31: 50 %, 2020-11-30: 100 %). No maintained
library does this job: the Chinese time-expression parsers (Time-NLP and its
ports) resolve words against "now" as spans of time, and know neither the plan
conventions (上旬前 is the 10th, 今明两年 ends next December, 全年目标任务 is not a
date) nor targets and milestones at all. So the rules are tables here, pure
functions over text, and precision comes before recall: a phrase that is not
recognised is left to the officer, a wrong date or target is worse.

Deadlines. Every pattern in ``_DEADLINES`` is a regular expression and the rule
that turns a match into a date; where matches overlap the longest wins. Dates
without a year take the plan's ``year``; 今年/本年/当年 are ``year``, 明年 is
``year + 1``. A bare full date (12月31日) is a deadline only with 前/之前/以前/
止/为止 after it or 到/至/截至/截止/于 before it; a bare year (2020年) only as
到2022年 or 2022年前. The phrase's ``text`` is the words that make the deadline:
a leading 到/至 is part of it only when the deadline needs it (至2020年6月30日,
到2022年). 全年 is a deadline except in 完成全年…/全年目标任务 (the year's target,
not its end); 上年底, 每年年底, 2年内 are not deadlines.

Periods are not deadlines: a half-year or quarter right after a waiver verb
(免除, 减免, 减半, 缓缴…) or 对, or right before 的/租金/N个月, is the time a
measure covers (免除上半年3个月租金, 对一季度产值下降的企业); so is a range of
months (2020年2月至6月免征…) and any date before 期间. With a start (2月1日起至
6月底) or on its own (6月底前) the end is a deadline, and so is the end of a
policy's term (实施期限为2020年1月1日至12月31日). 10月前 / 10月份前 is the day
before October (30 September): plans also write "6月前到期" for what expires in
June, and of the two readings the earlier never lets a task run late; 10月前后
and 6月前到期 are not deadlines. 本年度内 / 年度内 is the plan's year's end, but
毕业年度内 and 上年度内 are someone else's year.

Targets (``find_targets``). A quantity is a number with a unit from
``_MEASURE_UNITS`` (万/亿 applied by :func:`~sixbao_cli.quantities.parse_number`)
that ends its clause or list item (，、。； or a closing bracket next). Its
comparator: a suffix 以上 ``>=`` or 以内/以下 ``<=`` first; else the last word
before it — 不少于/不低于/至少/超过 ``>=``, 不超过/不高于/低于/控制在 ``<=``,
保持在/稳定在/维持在 ``=``; else ``>=``, because plans state floors (新增就业21万人
means at least that many). Only goals count, and the goal marker must be there:
a suffix 以上/以内, a comparator word right before the number, a goal word in the
clause (目标, 确保, 力争, 争取, 完成, 实现, 达到, 全年, 年内, 今年 — the first three
and the last three also govern the rest of the sentence), a ——-led target line,
or a sentence that is nothing but "measure + amount". A comparator word away
from its number (裁员率放宽至不超过职工总数的20%) is a rule unless the clause is a
goal. Never targets: durations and dates (年, 个月, 天, 周岁…), rates
(600元/人/月), fractions (2/3), ranges (1-2人), ordinals (第3), document numbers
(〔2020〕17号), numbers without a unit, qualifiers followed by a noun or 的
(1年以上劳动合同, 100%的企业), and shares of the year's task (完成年度目标任务
50%: a milestone). 清零 at the end of a clause is the target ``= 0``, no unit.

The metric is the text before the number (or before its comparator word) back to
the clause start or the previous amount of a 、 list, stripped of deadline
phrases, a leading year, whole-region words (全省, 全县, 市本级… — not when a list
of places follows: 市本级、园区…所属国有企业), goal verbs (实现, 完成, 确保, 力争,
争取, 达到, 推动, 落实, 累计… — not in 完成率), trailing comparator verbs (达到,
控制在, 提高到…), dashes, punctuation and spaces; what is left of a comparator a
typo or a line break broke (稻渔综合种养面积不于 70 万亩, 不低 于) goes too, and
says which way only when its second character is there (不少 ≥, 不超 ≤). Verbs
that belong to the measure stay: 城镇新增就业, 返还企业失业保险费, 输转城乡富余劳动力.
A metric that is nothing but a region (市本级120亿元) is no target; one that
itself holds an amount (企业现有职工人数15%) is dropped with its target.

Milestones (``find_milestones``): what a deadline phrase governs runs to the next
deadline or the sentence's end; in it 完成年度目标任务N% / 完成N% is N %, 过半 is
50 %, 全面完成 / 全部完成 / 完成全年目标任务 is 100 %, and an amount said with
完成/新增/累计/达到/实现/建成 or 以上 after a deadline other than 31 December
(9月底前新增就业1500人) is a value; an amount due on 31 December is the target.
"""

from __future__ import annotations

import bisect
import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sixbao_cli.errors import InvalidInput
from sixbao_cli.quantities import MilestoneSpec, Target, parse_number


@dataclass(frozen=True)
class DeadlinePhrase:
    """A deadline as written (``text``) at ``text[start:end]`` of the input, and the date it means."""

    date: date
    text: str
    start: int
    end: int


# --- Numbers and dates ---------------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_S = r"[ \t]*"  # spaces inside a phrase; plans extracted from PDF have them around numbers
_YEAR = r"(?<![0-9])[0-9]{4}(?![0-9])|[〇○零一二三四五六七八九]{4}"
_MONTH = r"(?<![0-9.])(?:1[0-2]|0?[1-9])(?![0-9])|(?<![〇○零一二三四五六七八九十])(?:十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])|(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
# An optional year before a month: 2020年 / 二〇二〇年 / 今年 / 明年.
_Y = rf"(?:(?P<y>{_YEAR}){_S}年{_S}|(?P<rel>今|本|当|明)年)?"
_TO = r"(?P<pre>(?<![达溯回])到|至|截至|截止到?|于)"
_BEFORE = r"(?:之前|以前|前)"
# Not a plan year when these come right before 年 (2年内, 上年底, 每年年底, 半年).
_NOT_A_YEAR = set("0123456789〇○零一二三四五六七八九十百千两几半多数上去前往历每跨同该年")
# 免除上半年3个月租金, 减免一季度…, 对一季度…的企业: a half-year or quarter right after a waiver verb or 对,
# or right before 的 / 租金 / N个月, is the period the measure covers.
_PERIOD_BEFORE = re.compile(r"(?:免除|免征|免收|减免|减半|减征|减收|缓缴|缓征|暂免|对)[ \t]*$")
_PERIOD_AFTER = re.compile(r"[ \t]*(?:的|租金|房租|房屋租金|[0-9一二三四五六七八九十两]+[ \t]*个月)")
# The start of a range that a 至/到 month ends: "2月" / "2020年1月" / "1月1日" right before it.
_RANGE_START = re.compile(
    r"(?:[0-9]|[一二三四五六七八九十])[ \t]*月份?(?:[ \t]*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[ \t]*[日号])?[ \t]*$")
# Words after which a bare 年度内 is the plan's year: 在年度内, 于年度内.
_YEAR_TERM_AFTER = set("在于将并要需")
# A date right before 期间 ends the period a measure covers.
_DURING = re.compile(r"[ \t]*期间")


def _cn_int(text: str) -> int:
    """23, 十一, 三十一 or 二〇二〇 as an int."""
    if text.isascii():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _one_for_one_nfkc() -> dict[int, str]:
    # The blocks where NFKC changes a character into one other character:
    # Latin-1, punctuation and symbols, circled numbers, CJK radicals and
    # compatibility forms, full-width forms. A table built once turns
    # normalisation into one str.translate instead of a call per character.
    blocks = [(0xA0, 0x100), (0x2000, 0x2C00), (0x2E80, 0x2FE0), (0x3000, 0x3400), (0xF900, 0xFB00),
              (0xFE10, 0xFE70), (0xFF00, 0xFFF0)]
    table = {}
    for lo, hi in blocks:
        for code in range(lo, hi):
            n = unicodedata.normalize("NFKC", chr(code))
            if len(n) == 1 and n != chr(code):
                table[code] = n
    return table


_NFKC_TABLE = _one_for_one_nfkc()


def _normalize(text: str) -> str:
    """NFKC character for character, so full-width digits and punctuation read as ASCII while offsets stay
    those of the input."""
    return text.translate(_NFKC_TABLE)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_of(m: re.Match[str], year: int) -> int:
    if m.group("y"):
        return _cn_int(m.group("y"))
    return year + 1 if m.group("rel") == "明" else year


def _prev_char(text: str, pos: int) -> str:
    """The first non-space character before ``pos`` ('' at the start)."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return text[pos - 1] if pos > 0 else ""


# --- Deadline patterns ---------------------------------------------------------------------------------------------

_Span = tuple[date, int, int]
_Rule = Callable[[re.Match[str], int, str], _Span | None]


def _whole(m: re.Match[str], day: date) -> _Span:
    return day, m.start(), m.end()


def _full_date(m: re.Match[str], year: int, text: str) -> _Span | None:
    if not (m.group("pre") or m.group("suf")):
        return None  # 2020年8月12日 alone is an event (or the document's date), not a deadline
    when = date(_year_of(m, year), _cn_int(m.group("m")), _cn_int(m.group("d")))
    return when, m.start("core") if m.group("suf") else m.start(), m.end()


def _dekad(m: re.Match[str], year: int, text: str) -> _Span:
    y, month = _year_of(m, year), _cn_int(m.group("m"))
    part = m.group("part")[-1]  # 中下旬 → 下
    return _whole(m, date(y, month, 10) if part == "上" else date(y, month, 20) if part == "中" else _month_end(y, month))


def _bare_year(m: re.Match[str], year: int) -> int | None:
    """The year of 年底/年内, or None when the 年 belongs to 2年内, 上年底, 每年年底."""
    if m.group("y") or m.group("rel"):
        return _year_of(m, year)
    return None if _prev_char(m.string, m.start()) in _NOT_A_YEAR else year


def _year_end(m: re.Match[str], year: int, text: str) -> _Span | None:
    y = _bare_year(m, year)
    return None if y is None else _whole(m, date(y, 12, 31))


def _whole_year(m: re.Match[str], year: int, text: str) -> _Span | None:
    # 完成全年目标任务 / 实现全年任务: the year's target, not the year's end.
    if _prev_char(text, m.start()) in ("成", "现") or re.match(r"(?:度)?(?:目标|任务|指标|计划)", text[m.end():]):
        return None
    return _whole(m, date(year, 12, 31))


def _covered_period(m: re.Match[str], text: str) -> bool:
    """Is the half-year or quarter at ``m`` the period a waiver or a condition covers, not a deadline?"""
    return bool(_PERIOD_BEFORE.search(text, max(0, m.start() - 4), m.start()) or _PERIOD_AFTER.match(text, m.end()))


def _half(m: re.Match[str], year: int, text: str) -> _Span | None:
    if _covered_period(m, text):
        return None
    return _whole(m, _month_end(_year_of(m, year), 6 if m.group("half") == "上" else 12))


def _quarter(m: re.Match[str], year: int, text: str) -> _Span | None:
    if _covered_period(m, text):
        return None
    quarter = _cn_int(m.group("q"))
    return _whole(m, _month_end(_year_of(m, year), quarter * 3))


def _to_month(m: re.Match[str], year: int, text: str) -> _Span | None:
    # 2月至6月 (免征…): a month range is the period a policy covers; 2月1日起至6月 has a start, and a deadline.
    if _RANGE_START.search(text, max(0, m.start() - 12), m.start()):
        return None
    return _whole(m, _month_end(_year_of(m, year), _cn_int(m.group("m"))))


def _before_month(m: re.Match[str], year: int, text: str) -> _Span:
    # 10月前: the day before October begins. Plans also write "6月前到期" for what expires in June,
    # so the reading is not certain; the earlier date is the one that never lets a task run late.
    first = date(_year_of(m, year), _cn_int(m.group("m")), 1)
    return _whole(m, date.fromordinal(first.toordinal() - 1))


def _year_term(m: re.Match[str], year: int, text: str) -> _Span | None:
    # 本年度内, 2020年度内; a bare 年度内 only where nothing names whose year it is (not 毕业年度内, 上年度内).
    if m.group("y") or m.group("rel"):
        return _whole(m, date(_year_of(m, year), 12, 31))
    before = _prev_char(text, m.start())
    if before and before not in _YEAR_TERM_AFTER and unicodedata.category(before) == "Lo":
        return None
    return _whole(m, date(year, 12, 31))


_DEADLINES: list[tuple[re.Pattern[str], _Rule]] = [
    # 2020年12月31日前, 12月31日之前, 至2020年6月30日, 二〇二〇年十二月三十一日前
    (re.compile(rf"(?:{_TO}{_S})?(?P<core>{_Y}(?P<m>{_MONTH}){_S}月{_S}(?P<d>{_DAY}){_S}[日号])(?:{_S}(?P<suf>{_BEFORE}|为止|止))?"
                r"(?![ \t]*(?:起|开始|以来|以后|后))"), _full_date),
    # 6月底前, 6月底, 6月末, 十一月底前, 2021年6月底前
    (re.compile(rf"{_Y}(?P<m>{_MONTH}){_S}月份?{_S}(?:底|末)(?:{_BEFORE})?"),
     lambda m, y, t: _whole(m, _month_end(_year_of(m, y), _cn_int(m.group("m"))))),
    # 6月上旬前 → 10th, 中旬 → 20th, 下旬 → the month's last day
    (re.compile(rf"{_Y}(?P<m>{_MONTH}){_S}月份?{_S}(?P<part>上中|中下|上|中|下)旬(?:{_BEFORE}|末)?"), _dekad),
    # 至6月, 到2022年12月 (a month with nothing after it) → the month's last day; not 2月至6月 (a period)
    (re.compile(rf"{_TO}{_S}{_Y}(?P<m>{_MONTH}){_S}月份?"
                r"(?![ \t]*(?:[0-9一二三四五六七八九十底末初中上下前]|份?[底末前]|[以之]前))"), _to_month),
    # 10月前, 10月份前 → the last day before that month (30 September); not 6月前到期, 10月前后, 10月前的
    (re.compile(rf"{_Y}(?P<m>{_MONTH}){_S}月份?{_S}{_BEFORE}(?![ \t]*(?:后|的|到期|已))"), _before_month),
    # 2020年底前, 今年年底, 年底, 年末
    (re.compile(rf"(?:(?P<y>{_YEAR}){_S}|(?P<rel>今|本|当|明))?年{_S}(?:年)?(?:底|末)(?:{_BEFORE})?"), _year_end),
    # 年内, 今年内, 2020年内
    (re.compile(rf"(?:(?P<y>{_YEAR}){_S}|(?P<rel>今|本|当|明))?年内"), _year_end),
    # 本年度内, 2020年度内, 年度内, 本年度末
    (re.compile(rf"(?:(?P<y>{_YEAR}){_S}|(?P<rel>今|本|当|明))?年度(?:内|末|底)"), _year_term),
    # 全年
    (re.compile(r"全年"), _whole_year),
    # 上半年 → Jun 30, 下半年 → Dec 31
    (re.compile(rf"{_Y}(?P<half>上|下)半年(?:{_BEFORE}|末|底)?"), _half),
    # 一季度, 第二季度末 → the quarter's last day
    (re.compile(rf"{_Y}第?(?<![〇○零一二三四五六七八九十])(?P<q>[1-4一二三四])季度(?:{_BEFORE}|末|底)?"), _quarter),
    # 今明两年 → Dec 31 of next year
    (re.compile(r"今明两年"), lambda m, y, t: _whole(m, date(y + 1, 12, 31))),
    # 2020—2022年 → the end of the last year
    (re.compile(rf"(?<![0-9])[0-9]{{4}}{_S}年?{_S}[-—–~～至到]{_S}(?P<y>[0-9]{{4}}){_S}年(?![ \t]*[0-9一二三四五六七八九十])"),
     lambda m, y, t: _whole(m, date(int(m.group("y")), 12, 31))),
    # 到2022年, 2022年前 → Dec 31 of that year
    (re.compile(rf"(?:{_TO}{_S}(?P<y>{_YEAR}){_S}年(?:{_BEFORE})?|(?P<y2>{_YEAR}){_S}年{_BEFORE})"
                r"(?![ \t]*(?:[0-9一二三四五六七八九十]|[上下]半|第|度|首|初|底|末|内|的))"),
     lambda m, y, t: _whole(m, date(_cn_int(m.group("y") or m.group("y2")), 12, 31))),
]


# What each _DEADLINES pattern cannot match without: a pattern whose literal is
# absent from a text is not run on it (most task texts have no 旬, 季度, 半年 …).
_REQUIRED = ("月", "月", "旬", "月", "前", "年", "年内", "年度", "全年", "半年", "季度", "今明两年", "年", "年")
assert len(_REQUIRED) == len(_DEADLINES)


def _not_a_deadline(norm: str, start: int, end: int) -> bool:
    # A date inside a title in 《》 ("《…规划（2018—2025年）》") names the document, not a deadline;
    # one before 期间 ("2020年1月1日至12月31日期间") ends the period a measure covers.
    return norm.rfind("《", 0, start) > norm.rfind("》", 0, start) or bool(_DURING.match(norm, end))


@lru_cache(maxsize=1024)
def _scan(text: str, year: int) -> tuple[DeadlinePhrase, ...]:
    # Cached: the deadline, milestone and target readers each scan the same task
    # text, and a plan has thousands of them; the phrases are immutable.
    norm = _normalize(text)
    found: list[_Span] = []
    for (pattern, rule), literal in zip(_DEADLINES, _REQUIRED, strict=True):
        if literal not in norm:
            continue
        for m in pattern.finditer(norm):
            try:
                span = rule(m, year, norm)
            except (ValueError, OverflowError):  # 2月30日, 13月底, year 0: not a date, so not a deadline
                continue
            if span is not None:
                found.append(span)
    found = [span for span in found if not _not_a_deadline(norm, span[1], span[2])]
    chosen: list[_Span] = []
    starts: list[int] = []  # the chosen spans, kept sorted by start: they never overlap
    for when, start, end in sorted(found, key=lambda s: (s[1] - s[2], s[1])):  # longest first
        at = bisect.bisect_left(starts, start)
        if (at == 0 or chosen[at - 1][2] <= start) and (at == len(starts) or end <= starts[at]):
            chosen.insert(at, (when, start, end))
            starts.insert(at, start)
    return tuple(DeadlinePhrase(when, text[start:end], start, end) for when, start, end in chosen)


def find_deadlines(text: str, year: int) -> list[DeadlinePhrase]:
    """Every deadline phrase of ``text`` in order; phrases without a year belong to ``year``.

    >>> [(p.text, p.date.isoformat()) for p in find_deadlines("5月底前完成50%，年底前全面完成", 2020)]
    [('5月底前', '2020-05-31'), ('年底前', '2020-12-31')]
    """
    return list(_scan(text or "", year))


def task_deadline(text: str, year: int) -> DeadlinePhrase | None:
    """The deadline that governs a task: the latest of its phrases (the first of them on a tie).

    "5月底前完成50%…11月底前完成全年目标任务" is due on 11-30. Text with no deadline
    phrase — 即日起, 长期坚持, 常态化 — gives None.
    """
    phrases = find_deadlines(text, year)
    if not phrases:
        return None
    latest = max(p.date for p in phrases)
    return next(p for p in phrases if p.date == latest)


_STARTS: list[tuple[re.Pattern[str], Callable[[re.Match[str], int, date | None], date | None]]] = [
    (re.compile(r"即日起|即日开始|(?:印发|发布|公布|发文|下发)之日起"), lambda m, y, issued: issued),
    (re.compile(rf"{_Y}(?P<m>{_MONTH}){_S}月{_S}(?:(?P<d>{_DAY}){_S}[日号])?{_S}(?:起|开始)"),
     lambda m, y, issued: date(_year_of(m, y), _cn_int(m.group("m")), _cn_int(m.group("d")) if m.group("d") else 1)),
]


def find_start(text: str, year: int, issued: date | None = None) -> date | None:
    """When a task starts: 即日起 (or 印发之日起) is ``issued``; "2020年2月1日起" / "自3月起" is that date.

    The first start phrase that gives a date wins; None when there is none, or only
    即日起 and the issue date is unknown.
    """
    norm = _normalize(text or "")
    hits: list[tuple[int, date | None]] = []
    for pattern, rule in _STARTS:
        for m in pattern.finditer(norm):
            try:
                hits.append((m.start(), rule(m, year, issued)))
            except (ValueError, OverflowError):
                continue
    return next((when for _, when in sorted(hits, key=lambda h: h[0]) if when is not None), None)


# --- Targets -------------------------------------------------------------------------------------------------------

_MEASURE_UNITS = (
    "个百分点", "百分点", "%", "‰", "人次", "户次", "人", "名", "户", "家", "个", "元", "公顷", "亩", "公斤", "千克", "吨", "斤",
    "头", "只", "羽", "千瓦时", "千瓦", "兆瓦", "条", "列", "项", "所", "座", "公里", "千米", "平方米", "立方米", "米", "套",
    "间", "台", "辆", "次", "场", "批", "张", "件", "处", "栋", "倍", "笔", "床", "标箱",
)
# Numbers in these are dates, durations or ages — policy terms, never targets.
_TIME_UNITS = ("年", "月", "日", "号", "天", "周", "旬", "季", "小时", "岁", "个月", "个工作日", "周岁")
_SUFFIX_CMP = {"以上": ">=", "及以上": ">=", "以内": "<=", "以下": "<=", "及以下": "<="}
_WORD_CMP = {
    "不少于": ">=", "不低于": ">=", "不得少于": ">=", "不得低于": ">=", "至少": ">=", "超过": ">=", "突破": ">=", "多于": ">=",
    "不超过": "<=", "不得超过": "<=", "不得高于": "<=", "不高于": "<=", "低于": "<=", "少于": "<=", "控制在": "<=",
    "控制到": "<=", "保持在": "=", "稳定在": "=", "维持在": "=",
}
_GOAL_WORDS = ("目标", "确保", "力争", "争取", "完成", "实现", "达到", "全年", "年内", "今年")
# These open a goal that runs on to the sentence's end: 力争到2023年，新增…2家，…达16家.
_CARRIED_GOAL_WORDS = ("确保", "力争", "争取", "全年", "年内", "今年")
_QUANTITY = re.compile(
    r"(?<![0-9.,第〔\[【(])(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<mult>[万亿])?\s*"
    rf"(?P<unit>{'|'.join(map(re.escape, sorted(_MEASURE_UNITS + _TIME_UNITS, key=len, reverse=True)))})?\s*"
    r"(?P<suffix>及以上|及以下|以上|以内|以下)?"
)
# What may follow a target's quantity: the clause's end, a list separator or a closing bracket.
_QUANTITY_END = re.compile(r"\s*(?:左右|的水平|水平)?\s*(?:$|[,，。;；、:：!！?？)）」』”\"]|和|及|等)")
_SENTENCES = re.compile(r"[。;；!！?？]|\n\s*\n|\n(?=\s*——)")
_CLAUSES = re.compile(r"[,，:：]")
# Whole-region words (全省, 市本级) qualify the measure unless a list of places follows (市本级、园区…所属国有企业);
# goal verbs go unless they are part of a rate or amount (完成率).
_REGION_WORDS = r"全省|全市|全县|全区|全州|全旗|全国|我省|我市|我县|我区|本市|本县|[省市县区州]本级"
_LEAD_TRIM = re.compile(
    rf"^(?:[0-9]{{4}}\s*年度?|(?:{_REGION_WORDS})(?![、和及与])|其中|同时|按照|将|"
    r"(?:实现|完成|确保|力争|争取|努力|做到|达到|推动|落实)(?![率量额])|全年|年内|今年|当年|累计|[-—–－―:：,，、\s])+"
)
_TAIL_TRIM = re.compile(
    r"(?:达到|达|实现|完成|确保|控制在|控制到|保持在|稳定在|维持在|"
    r"(?:提高|提升|增加|扩大|扩充|增长|下降|降低|压减|减少|放宽|调整|降|升)?(?:到|至)|"
    r"年均|动态|全部|基本|[-—–－―:：,，、\s])+$"
)
# A comparator with a character lost, right before the number: 不于, 不低, 不少, 不超, 不.
_BROKEN_CMP = re.compile(r"不(?P<way>[低少高超])?于?\s*$")
_BROKEN_WAY = {"低": ">=", "少": ">=", "高": "<=", "超": "<="}
_HAS_QUANTITY = re.compile(rf"[0-9]\s*[万亿]?\s*(?:{'|'.join(map(re.escape, _MEASURE_UNITS))})")
_TASK_SHARE = re.compile(r"(?:目标任务|年度任务|全年任务|年度目标|任务|计划)(?:的)?\s*$")


@dataclass(frozen=True)
class _Quantity:
    start: int  # where the number starts in the sentence
    end: int
    value: float
    unit: str | None
    suffix: str | None


def _quantities(clause: str) -> Iterator[_Quantity]:
    """Numbers with units that end their clause or list item (not 1年以上劳动合同, 600元/人/月, 2/3)."""
    for m in _QUANTITY.finditer(clause):
        unit = m.group("unit")
        if not unit or unit in _TIME_UNITS or m.group("mult") and unit in ("%", "‰"):
            continue
        if re.search(r"[0-9]\s*[-—–~～]\s*$", clause[:m.start()]):  # 1-2人: a range
            continue
        if not _QUANTITY_END.match(clause, m.end()):  # 100%的…, 1年以上劳动合同, 600元/人
            continue
        try:
            value = round(parse_number(m.group("num") + (m.group("mult") or ""), field="target"), 6)
        except InvalidInput:
            continue
        yield _Quantity(m.start(), m.end(), value, unit, m.group("suffix"))


def _strip_deadlines(text: str) -> str:
    """``text`` without its deadline phrases and the 到/至 that led into them."""
    for p in reversed(find_deadlines(text, 2000)):
        text = re.sub(r"(?:到|至|截至|截止到?|于)\s*$", "", text[:p.start]) + text[p.end:]
    return text


def _metric(region: str) -> str:
    """The measure named before a number: 确保全年粮食播种面积达到 → 粮食播种面积."""
    metric = _strip_deadlines(region)
    previous = None
    while previous != metric:
        previous = metric
        metric = _TAIL_TRIM.sub("", _LEAD_TRIM.sub("", metric))
        for left, right in ("“”", "「」", "()"):  # a bracket the clause split cut from its pair
            if metric.startswith(left) and right not in metric:
                metric = metric[1:]
            if metric.endswith(right) and left not in metric:
                metric = metric[:-1]
    return re.sub(r"\s+", "", metric)


def _comparator(region: str) -> tuple[str | None, str, bool]:
    """The comparator word in ``region`` (the last one), the region before it, and whether it touches the number.

    What is left of a comparator a typo broke (不于 for 不低于, 不少 for 不少于) is cut from the region; it
    says which way only when its second character survives, and never counts as touching the number.
    """
    best: tuple[int, int, str] | None = None  # (end, length, word): the last word, the longest of those ending there
    for word in _WORD_CMP:
        at = region.rfind(word)
        if at >= 0 and (best is None or (at + len(word), len(word)) > best[:2]):
            best = (at + len(word), len(word), word)
    if best is None or region[best[0]:].strip():
        broken = _BROKEN_CMP.search(region)
        if broken:
            return _BROKEN_WAY.get(broken.group("way")), region[:broken.start()], False
    if best is None:
        return None, region, False
    return _WORD_CMP[best[2]], region[:best[0] - best[1]], not region[best[0]:].strip()


def _targets_in(sentence: str, led: bool) -> Iterator[Target]:
    carried = led
    for clause in _CLAUSES.split(sentence):
        goal = carried or any(w in clause for w in _GOAL_WORDS)
        carried = carried or any(w in clause for w in _CARRIED_GOAL_WORDS)
        begin = 0
        for q in _quantities(clause):
            region = re.sub(r"\s+", "", clause[begin:q.start])  # 不低 于: a comparator a line break split
            begin = q.end
            if q.unit in ("%", "‰") and _TASK_SHARE.search(_strip_deadlines(region)):
                continue  # 完成年度目标任务50%: a milestone, not a target
            word_cmp, region, touching = _comparator(region)
            cmp = _SUFFIX_CMP[q.suffix] if q.suffix else word_cmp
            # 裁员率放宽至不超过职工总数的20%: a comparator away from its number is a rule, unless the clause is a goal.
            if not goal and not q.suffix and not touching:
                continue
            metric = _metric(region)
            if metric and not _HAS_QUANTITY.search(metric):
                yield Target(metric, cmp or ">=", q.value, q.unit)
        cleared = re.search(r"(?:实现|做到|全部|动态|基本)*清零\s*[”\"」』)）]*\s*$", clause)
        if cleared:
            metric = _metric(clause[begin:cleared.start()])
            if metric:
                yield Target(metric, "=", 0.0, None)


def find_targets(text: str) -> list[Target]:
    """The quantitative targets stated in ``text``, in order and without repeats (rules in the module docstring).

    >>> find_targets("——城镇新增就业2600人以上，登记失业率控制在4.5%以内。")
    [Target(metric='城镇新增就业', comparator='>=', value=2600.0, unit='人'), \
Target(metric='登记失业率', comparator='<=', value=4.5, unit='%')]
    """
    norm = _normalize(text or "")
    targets: dict[Target, None] = {}
    for sentence in _SENTENCES.split(norm):
        # A ——-led line, or a sentence that is nothing but "measure + amount" (新增就业21万人), states targets.
        led = sentence.lstrip().startswith(("——", "--", "—")) or (
            not _CLAUSES.search(sentence) and any(q.end >= len(sentence.rstrip()) for q in _quantities(sentence)))
        for target in _targets_in(sentence, led):
            targets.setdefault(target)
    return list(targets)


# --- Milestones ----------------------------------------------------------------------------------------------------

_HALF = re.compile(r"过半")
_PROGRESS = re.compile(r"完成|新增|累计|达到|实现|建成|不少于")
_ALL_DONE = re.compile(r"全面完成|全部完成|完成全年(?:目标)?任务|完成(?:年度|全部)?(?:目标)?任务|完成全年(?![0-9])")
# 完成年度目标任务50%, 完成任务的30%, 完成60%, 进度达到80%: a share of the whole task.
_SHARE = re.compile(r"(?:任务|目标|计划|完成|进度(?:达到)?)(?:的)?\s*(?P<pct>[0-9]+(?:\.[0-9]+)?)\s*%")


def find_milestones(text: str, year: int) -> list[MilestoneSpec]:
    """Progress steps: each deadline phrase and what must be done by then, sorted by date, one per date.

    "5月底前完成年度目标任务50%以上；11月底前完成全年目标任务" gives 05-31 at 50 % and
    11-30 at 100 %. 过半 is 50 %; 全面完成, 全部完成 and 完成全年目标任务 are 100 %; an
    amount after a part-year deadline (9月底前新增就业1500人) is a value. What a
    deadline governs runs to the next deadline or the end of its sentence.
    """
    text = text or ""
    norm = _normalize(text)
    phrases = find_deadlines(text, year)
    found: dict[date, MilestoneSpec] = {}
    stops = [m.start() for m in _SENTENCES.finditer(norm)] if phrases else []
    for i, phrase in enumerate(phrases):
        at = bisect.bisect_left(stops, phrase.end)  # the sentence's end, found once for all phrases
        end = stops[at] if at < len(stops) else len(norm)
        if i + 1 < len(phrases):
            end = min(end, phrases[i + 1].start)
        scope = norm[phrase.end:end]
        share = _SHARE.search(scope)
        if share and float(share.group("pct")) <= 100:
            milestone = MilestoneSpec(phrase.date, float(share.group("pct")), None)
        elif _HALF.search(scope):
            milestone = MilestoneSpec(phrase.date, 50.0, None)
        elif _ALL_DONE.search(scope):
            milestone = MilestoneSpec(phrase.date, 100.0, None)
        elif (phrase.date.month, phrase.date.day) != (12, 31):  # an amount due at a year's end is its target, not a step
            amounts = [q for clause in _CLAUSES.split(scope) for q in _quantities(clause) if q.unit not in ("%", "‰", "倍")]
            if not amounts or not (amounts[0].suffix or _PROGRESS.search(scope)):
                continue
            milestone = MilestoneSpec(phrase.date, None, amounts[0].value)
        else:
            continue
        found.setdefault(phrase.date, milestone)
    return [found[d] for d in sorted(found)]


__all__ = ["DeadlinePhrase", "find_deadlines", "find_milestones", "find_start", "find_targets", "task_deadline"]
