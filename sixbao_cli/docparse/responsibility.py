"""Who answers for a task: the responsibility brackets and label lines of a 六保 plan.

A plan names its units in a bracket inside the task's paragraph —
（责任单位：A、B、C）, (责任单位:A、B), 〔责任单位：…〕, [责任单位：…], 【…】, with full-
or half-width brackets and colons, often in markdown bold — or in label lines
after a section heading that apply to every item of the section (责任领导：…,
牵头单位：…, 配合单位：…). Labels and what they fill:

    责任单位 / 责任部门                     a unit list: the first unit leads, the rest support
    牵头单位 / 牵头部门                     leads
    配合单位 / 配合部门 / 协同单位 / 协助单位   supports
    责任领导 / 负责领导                     leaders (person names)
    完成时限 / 完成时间                     deadline_text, as written

Rules. Explicit 牵头 units lead — by label or inline (（X牵头，Y、Z配合）,
"X牵头、Y配合") — and everything else named supports; without them the first unit
listed leads. A unit list is split by :func:`~sixbao_cli.units.split_unit_list`,
so unit groups (各地党委、政府, 各市（州）、县（市、区）党委、政府) stay one unit; trailing
等 / 等有关部门 / 按职责分工负责 are dropped, names are normalised and repeats
removed. A list item that is only a deadline phrase (2020年12月底前完成) is the
deadline, not a unit. A value ends at its first 。: the sentence after it (以下各项
工作任务均需各镇负责实施…) is not a unit and comes back as a ``doc.responsibility_note``
warning. A bracket that never closes takes the rest of the paragraph
(``doc.unclosed_bracket``); a closing bracket of another shape (〔…】, 〔…)) closes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sixbao_cli.docparse.markers import RESPONSIBILITY_LABEL
from sixbao_cli.docparse.model import Responsibility
from sixbao_cli.phrases import find_deadlines
from sixbao_cli.units import normalize_name, split_unit_list

RawWarning = tuple[str, dict[str, object]]  # (catalog key, params): the caller adds the line

KINDS: dict[str, str] = {
    "责任单位": "units", "责任部门": "units",
    "牵头单位": "leads", "牵头部门": "leads",
    "配合单位": "supports", "配合部门": "supports", "协同单位": "supports", "协助单位": "supports",
    "责任领导": "leaders", "负责领导": "leaders",
    "完成时限": "deadline_text", "完成时间": "deadline_text",
}

_OPEN = "（(〔[【［〖"
_CLOSE = "）)〕]】］〗"
_LABEL = re.compile(rf"\**\s*(?P<label>{'|'.join(KINDS)})\s*\**\s*[:：∶]")
# A label outside brackets counts only at the paragraph's start or after a sentence's end.
_BARE_LABEL = re.compile(rf"(?:^|(?<=[。；;！!？?]))\s*{_LABEL.pattern}")
_SEP = "，,、;；"
# （X牵头，Y、Z配合）: a bracket without a label that only names who leads and who supports.
_INLINE = re.compile(
    rf"\s*由?(?P<leads>[^。：:!！?？]+?)牵头(?:负责|抓总)?"
    rf"(?:\s*[{_SEP}]\s*(?P<supports>[^。：:!！?？]+?)(?:配合|协同|协助|参与)(?:负责|实施)?)?\s*。?\s*"
)
# A unit marked in its own list: "市人社局（牵头）".
_PAREN_LEAD = re.compile(r"[（(]\s*牵头\s*[）)]$")
# Within a 责任单位 value: "X牵头，Y配合".
_LEAD_MARK = re.compile(rf"牵头(?:负责|抓总)?(?=$|[{_SEP}\s])")
# split_unit_list drops only one trailing 等 / 等单位 / 等部门 / 按职责分工负责, so 等有关部门,
# 等县直相关部门 and 等部门按职责分工负责 would stay glued to the unit's name; so would 配合 in "Y、Z配合".
_TRAILING = re.compile(
    r"(?:按职责分工负责|按职责负责|分别负责|负责|实施|配合|协同|协助|参与|等(?:[省市县区]直)?(?:有关|相关|其他)?(?:部门|单位)?)$"
)
_DEADLINE_REST = re.compile(r"(?:于|在|到|至)?(?:前|之前|以前)?(?:全部完成|完成|办结|到位)?")
_ANY_YEAR = 2020  # only whether a deadline phrase is there matters, not its date
# Not a unit's name: a lone character ("局"), prose an unclosed bracket swallowed
# ("同时要加强就业服务工作"), or a run longer than any body's name.
_NOT_A_UNIT = re.compile(r"^.$|^.{26,}$|要|加强|做好|推进|确保|落实|开展|工作$")


class _Reading:
    """What the labels of one paragraph name, before the first-unit rule is applied."""

    def __init__(self) -> None:
        self.leads: list[str] = []
        self.supports: list[str] = []
        self.listed: list[str] = []  # from 责任单位 lists: the first leads unless 牵头 units are named
        self.leaders: list[str] = []
        self.deadline: str | None = None
        self.labels = 0
        self.lists = 0  # 责任单位 lists and inline 牵头 brackets read: two in one paragraph is suspicious
        self.rejected: list[str] = []  # items that cannot be a unit's name

    def responsibility(self) -> Responsibility:
        if self.leads:
            leads, others = _unique(self.leads), [*self.listed, *self.supports]
        else:
            leads, others = _unique(self.listed[:1]), [*self.listed[1:], *self.supports]
        return Responsibility(
            leads=leads,
            supports=[u for u in _unique(others) if u not in leads],
            leaders=_unique(self.leaders),
            deadline_text=self.deadline,
        )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _units(text: str, reading: _Reading) -> list[str]:
    """The units of a written list; an item that is a deadline phrase goes to ``reading.deadline``."""
    units = []
    for item in split_unit_list(text):
        previous = None
        while previous != item:
            previous, item = item, _TRAILING.sub("", item)
        phrases = find_deadlines(item, _ANY_YEAR)
        if len(phrases) == 1 and _DEADLINE_REST.fullmatch(item[:phrases[0].start] + item[phrases[0].end:]):
            reading.deadline = reading.deadline or item
        elif item and _NOT_A_UNIT.search(item):
            reading.rejected.append(item)
        elif item:
            units.append(item)
    return units


def _names(text: str) -> list[str]:
    names = re.split(rf"[{_SEP}\s]+", unicodedata.normalize("NFKC", text))
    return _unique(re.sub(r"(?:同志|等)$", "", n) for n in names)


def _read_value(kind: str, value: str, reading: _Reading) -> None:
    if kind == "leaders":
        reading.leaders += _names(value)
    elif kind == "deadline_text":
        reading.deadline = reading.deadline or value or None
    elif kind == "leads":
        reading.leads += _units(value, reading)
    elif kind == "supports":
        reading.supports += _units(value, reading)
    elif mark := _LEAD_MARK.search(value):
        reading.lists += 1
        reading.leads += _units(value[:mark.start()], reading)
        reading.supports += _units(value[mark.end():], reading)
    else:
        reading.lists += 1
        units = _units(value, reading)
        marked = [u for u in units if _PAREN_LEAD.search(u)]
        if marked:  # 责任单位：市财政局、市人社局（牵头）: the marked unit leads, the rest support
            reading.leads += [_PAREN_LEAD.sub("", u) for u in marked]
            reading.supports += [u for u in units if u not in marked]
        else:
            reading.listed += units


def _read_labels(content: str, reading: _Reading, warnings: list[RawWarning]) -> None:
    """Read ``content`` that starts with a label: every label up to the next one, each value up to its 。."""
    content = content.replace("*", "")
    found = list(_LABEL.finditer(content))
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(content)
        value, _, note = content[m.end():end].partition("。")
        value, note = value.strip(_SEP + " \t\r\n"), note.strip()
        if note:
            warnings.append(("doc.responsibility_note", {"label": m["label"], "note": note}))
        if not value:
            warnings.append(("doc.empty_responsibility", {"label": m["label"]}))
        _read_value(KINDS[m["label"]], value, reading)
        reading.labels += 1


def _closings(text: str) -> dict[int, int | None]:
    """Where each bracket closes (any closing shape), None for one that never does: one pass with a stack.

    (A scan from each opening bracket would be quadratic on text full of unclosed ones.)
    """
    closes: dict[int, int | None] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            stack.append(i)
            closes[i] = None
        elif ch in _CLOSE and stack:
            closes[stack.pop()] = i
    return closes


def _cut(text: str, start: int, end: int) -> tuple[str, int]:
    """``text`` without ``text[start:end]`` and the bold markers around it, and where the cut now is."""
    while start >= 2 and text[start - 2:start] == "**":
        start -= 2
    while text[end:end + 2] == "**":
        end += 2
    left, right = text[:start].rstrip(), text[end:].lstrip()
    glue = " " if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum() else ""
    return left + glue + right, len(left)


def split_trailing(text: str) -> tuple[str, Responsibility | None, list[RawWarning]]:
    """Take the responsibility out of a task paragraph: its text without it, who is responsible, and warnings.

    The bracket may stand anywhere in the paragraph (usually at its end) or be the
    whole paragraph; a bare label at the paragraph's start or after a sentence's end
    (…。责任单位：A、B) runs to the paragraph's end. The text keeps its final 。 and is
    stripped. Without a responsibility bracket or label: the stripped text and None;
    with an empty one (（责任单位：）): an empty Responsibility and a warning.
    Warnings are (catalog key, params): ``doc.unclosed_bracket``,
    ``doc.responsibility_note``, ``doc.empty_responsibility``,
    ``doc.several_responsibilities``.

    >>> split_trailing("完成任务。〔责任单位：市人社局、市财政局等〕")
    ('完成任务。', Responsibility(leads=['市人社局'], supports=['市财政局'], leaders=[], deadline_text=None), [])
    """
    reading, warnings = _Reading(), []
    brackets = 0
    lists = []  # how many unit lists each bracket held
    i = 0
    closes = _closings(text)
    while i < len(text):
        if text[i] not in _OPEN:
            i += 1
            continue
        close = closes.get(i)
        if close is None and not _LABEL.match(text[i + 1:i + 24].replace("*", "")):
            i += 1  # an unclosed bracket that opens no label: nothing to read, and no slice of the rest
            continue
        content = text[i + 1:close] if close is not None else text[i + 1:]
        label = _LABEL.match(content.replace("*", ""))
        inline = None if label or close is None else _INLINE.fullmatch(content.replace("*", ""))
        if not (label or inline):
            i += 1
            continue
        if label and close is None:
            warnings.append(("doc.unclosed_bracket", {"label": label["label"]}))
        before = reading.lists
        if label:
            _read_labels(content, reading, warnings)
        else:
            reading.lists += 1
            reading.leads += _units(inline["leads"], reading)
            reading.supports += _units(inline["supports"] or "", reading)
        brackets += 1
        lists.append(reading.lists - before)
        end = len(text) if close is None else close + 1
        text, i = _cut(text, i, end)
        closes = _closings(text)  # positions moved: rare (a paragraph holds one or two such brackets)
    bare = _BARE_LABEL.search(text)
    if bare:
        _read_labels(text[bare.start():], reading, warnings)
        text, _ = _cut(text, bare.start(), len(text))
    if sum(1 for n in lists if n) > 1:
        warnings.append(("doc.several_responsibilities", {"count": sum(1 for n in lists if n)}))
    warnings += [("doc.unit_rejected", {"name": item}) for item in reading.rejected]
    if not (brackets or bare):
        return text.strip(), None, warnings
    return text.strip(), reading.responsibility(), warnings


def parse_label_line(text: str) -> tuple[str, list[str] | str] | None:
    """Read a line that is one label and its value: ("leaders" | "leads" | "supports" | "units" | "deadline_text", value).

    "责任领导：吴靖平、刘金波" → ("leaders", ["吴靖平", "刘金波"]); "牵头单位：省人社厅，各地党委、政府"
    → ("leads", ["省人社厅", "各地党委、政府"]); 协同单位 gives "supports", 负责领导
    "leaders"; "责任单位：A、B" → ("units", ["A", "B"]) — the caller applies
    :func:`responsibility_from_units`; "完成时限：2020年12月底" → ("deadline_text", "2020年12月底").
    A list rejoined across a page break (各地党\\n委、政府) reads as one. Text that is not
    a label line gives None, and so does a line one pair cannot tell (several labels,
    "责任单位：X牵头，Y配合", a unit list with a deadline in it): :func:`split_trailing`
    reads those whole. The sentence after a 。 in the value is dropped.
    """
    line = text.strip()
    if not RESPONSIBILITY_LABEL.match(line):
        return None
    reading, warnings = _Reading(), []
    _read_labels(line, reading, warnings)
    if reading.labels != 1:
        return None
    kind = KINDS[_LABEL.match(line.replace("*", ""))["label"]]
    if kind == "deadline_text":
        return kind, reading.deadline or ""
    if reading.deadline is not None:
        return None
    if kind == "units" and reading.supports:
        return None
    value = {"leaders": reading.leaders, "leads": reading.leads, "supports": reading.supports, "units": reading.listed}
    if kind == "units" and reading.leads:
        return "leads", reading.leads
    return kind, value[kind]


def merge(section: Responsibility, own: Responsibility | None) -> Responsibility:
    """An item's responsibility under a section block (责任领导 / 牵头单位 / 配合单位 lines after the heading).

    An item that names its lead names its whole team: its leads and supports
    replace the section's, even when it names no supports. An item that names only
    supports (配合单位：…) keeps the section's leads. Leaders and the deadline are the
    item's when it states them, else the section's. Neither argument is changed.
    """
    own = own or Responsibility()
    leads = list(own.leads or section.leads)
    supports = own.supports if own.leads or own.supports else section.supports
    return Responsibility(
        leads=leads,
        supports=[u for u in _unique(supports) if u not in leads],
        leaders=list(own.leaders or section.leaders),
        deadline_text=own.deadline_text or section.deadline_text,
    )


def responsibility_from_units(units: list[str]) -> Responsibility:
    """A 责任单位 list as a responsibility: the first unit leads, the rest support (names normalised, repeats dropped)."""
    names = _unique(normalize_name(u) for u in units)
    return Responsibility(leads=names[:1], supports=names[1:])


__all__ = ["KINDS", "merge", "parse_label_line", "responsibility_from_units", "split_trailing"]
