"""From a plan's bytes to a :class:`ParsedDocument`: its structure, tasks, responsibility and context.

The plans nest: a document (or each annex 附件N, or each 工作方案 bundled in
one file) holds sections 一、 whose items （一） may hold sub-items 1.; a
section is either a 保 with tasks, a list of 工作任务/工作措施 under the plan's
own 保, 目标任务 lines (——城镇新增就业2600人以上) or context (总体要求, 保障措施
…). Some plans write chapters 第一章 and articles 第一条 (numbered straight
through, context included) instead, or number a section's items as paragraphs
一是… 二是… — which are tasks only where no other numbering holds the section.
The walk below reads paragraphs in order and keeps that position; every
irregularity it works around becomes a warning with its line number.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from sixbao_cli import categories
from sixbao_cli.docparse import markers
from sixbao_cli.docparse.meta import read_meta
from sixbao_cli.docparse.model import (
    ContextBlock,
    DocumentMeta,
    Paragraph,
    ParsedDocument,
    ParsedTask,
    ParseWarning,
    Responsibility,
)
from sixbao_cli.docparse.responsibility import merge, parse_label_line, responsibility_from_units, split_trailing
from sixbao_cli.docparse.source import decode, paragraphs
from sixbao_cli.messages import t
from sixbao_cli.phrases import find_milestones, find_start, find_targets, task_deadline
from sixbao_cli.units import unit_key

# Headings of sections that explain rather than assign (checked before anything else:
# "二、保基本民生工作原则" names a 保 but holds principles, not tasks).
_CONTEXT_HEADING = re.compile(
    r"总体要求|指导思想|工作原则|基本原则|工作对象|保障措施|工作要求|保障机制|组织保障|组织领导|工作落实|推进落实|"
    r"实施步骤|工作机制|督导|考核|宣传|责任分工|责任落实|落实机制|有关要求|组织实施|强化保障|加强领导|总则|附则|其他事项"
)
# A heading that names one of the six exactly is that 保's tasks ("狠抓保居民就业工作落实",
# "强化考核保基层运转") — unless it ends in a word that only context sections end in
# ("保基本民生工作原则").
_SIX_NAMED = re.compile(r"保(?:居民就业|基本民生|市场主体|粮食能源安全|粮食安全|能源安全|产业链供应链稳定|基层运转)")
_CONTEXT_ENDING = re.compile(r"(?:工作原则|基本原则|工作对象|工作要求|保障措施|总体要求|指导思想|组织保障)$")
_TARGET_HEADING = re.compile(r"目标任务|工作目标|主要目标|总体目标|目标要求")
_TASK_HEADING = re.compile(r"工作任务|工作措施|主要任务|重点任务|具体措施|主要措施|重点工作|工作重点|主要举措")
_PLAN_TITLE = re.compile(r"^关于.{2,40}?(?:工作|实施)?方案$")
_ANNEX_LIST = re.compile(r"^[-—•·\s]*附\s*件\s*[:：]\s*(.*)$")
_ANNEX_ENTRY = re.compile(r"([0-9０-９]{1,2})\s*[.．、]\s*(关于.+?)(?=\s*[0-9０-９]{1,2}\s*[.．、]\s*关于|$)")
# The lines that close a document (its 版记): nothing after them belongs to a task.
_CLOSING = re.compile(
    r"^(?:抄送|抄报|主送)\s*[:：]|^[（(]?此件|^本(?:方案|意见|办法|措施|通知)自.{2,20}(?:起施行|起执行|施行)|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$"
)
_CATEGORY_WORDS = [
    (re.compile(r"居民就业|稳就业|保就业|就业"), "保居民就业"),
    (re.compile(r"基本民生|民生"), "保基本民生"),
    (re.compile(r"市场主体"), "保市场主体"),
    (re.compile(r"粮食能源|粮食安全|能源安全|粮食|能源"), "保粮食能源安全"),
    (re.compile(r"产业链|供应链"), "保产业链供应链稳定"),
    (re.compile(r"基层运转|基层"), "保基层运转"),
]
_TITLE_MAX = 60


def category_of(text: str) -> str | None:
    """The 保 a heading or plan title speaks of (with its variants), or None.

    The earliest mention wins: "保粮食能源安全和重要民生商品供应" is about 粮食能源.
    """
    found = [(m.start(), category) for pattern, category in _CATEGORY_WORDS if (m := pattern.search(text))]
    return min(found)[1] if found else None


def checksum(text: str) -> str:
    """The plan's identity for re-imports: the same text in any encoding gives the same sum."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


@dataclass
class _Section:
    ordinal: int
    heading: str
    kind: str  # task | target | context
    category: str | None
    block: Responsibility = field(default_factory=Responsibility)
    items: int = 0
    subs: int = 0  # sub-items met directly in this section (no （一） group around them)
    targets: int = 0


@dataclass
class _Plan:
    annex: int | None
    title: str | None
    category: str | None
    sections: int = 0
    items: int = 0  # items met so far in this plan
    subs: int = 0  # sub-items met so far in this plan
    restart: bool | None = None  # do item numbers restart in each section? (learnt at the second section)
    articles: int = 0  # 第N条 met so far in this plan, context included: articles number straight through


class _Walker:
    def __init__(self, meta: DocumentMeta, warnings: list[ParseWarning]):
        self.meta = meta
        self.warnings = warnings
        self.tasks: list[ParsedTask] = []
        self.context: list[ContextBlock] = []
        self.annex_titles: dict[int, str] = {}
        self.plan = _Plan(None, meta.title, category_of(meta.title))
        self.section: _Section | None = None
        self.item: ParsedTask | None = None  # the current （一） task
        self.task: ParsedTask | None = None  # the task paragraphs and label lines attach to
        self.own: dict[str, Responsibility] = {}  # task key -> its own responsibility
        self.block: ContextBlock | None = None
        self.in_annex_list = False
        self.expect_title = False  # just after "附件 N": the next short 关于… line is the annex's title
        self.task_closed = False
        self.from_labels: dict[str, int] = {}  # task key -> line of a label line that gave it units
        self.bundled = 0
        # each section's 责任领导/牵头单位/配合单位 block, by (annex, section heading)
        self.blocks: dict[tuple[int | None, str | None], Responsibility] = {}
        # indexes kept as tasks are added, so nothing rescans the task list (the parse stays linear)
        self.children: dict[str, list[str]] = {}
        self.ordinals: dict[tuple[int | None, str, str | None], int] = {}
        self.unit_aliases: dict[str, str] = {}  # another spelling of a unit -> the name the plan uses first

    # --- warnings and context ---------------------------------------------------------
    def warn(self, line: int, key: str, **params: object) -> None:
        self.warnings.append(ParseWarning(line, key, params))

    def add_context(self, p: Paragraph, heading: str | None = None) -> None:
        if heading is not None or self.block is None:
            self.block = ContextBlock(self.plan.annex, heading or (self.plan.title or ""), "", p.line)
            self.context.append(self.block)
            if heading is not None:
                return
        self.block.text = f"{self.block.text}\n{p.text}".strip()

    # --- plans --------------------------------------------------------------------------
    def start_plan(self, annex: int | None, title: str | None, line: int) -> None:
        self.plan = _Plan(annex, title, category_of(title or ""))
        self.section = None
        self.item = self.task = None
        self.block = None
        self.in_annex_list = False

    def plan_boundary(self, p: Paragraph) -> bool:
        text = p.text.strip()
        m = markers.ANNEX.match(text)
        if m:
            number = int(unicodedata.normalize("NFKC", m.group(1)))
            self.start_plan(number, self.annex_titles.get(number), p.line)
            self.expect_title = True
            return True
        if self.expect_title:
            self.expect_title = False
            if text.startswith("关于") and len(text) <= 60:
                self.plan.title = text
                self.plan.category = category_of(text) or self.plan.category
                return True
        if _PLAN_TITLE.match(text) and self.tasks_or_sections_seen() and not self.is_own_title(text):
            known = [n for n, title in self.annex_titles.items() if _same_title(title, text)]
            if known:
                number = known[0]
                if self.plan.annex != number:
                    self.warn(p.line, "doc.annex_marker_missing", annex=number, title=text)
                    self.start_plan(number, text, p.line)
                return True
            if self.plan.annex is None or self.bundled:
                self.bundled += 1
                self.start_plan(self.bundled, text, p.line)
                return True
            number = self.plan.annex + 1  # an annex whose marker and list entry are both missing
            self.warn(p.line, "doc.annex_marker_missing", annex=number, title=text)
            self.start_plan(number, text, p.line)
            return True
        return False

    def tasks_or_sections_seen(self) -> bool:
        return bool(self.plan.sections or self.tasks or self.bundled == 0)

    def is_own_title(self, text: str) -> bool:
        """The document's own title line (a single 工作方案 that is the whole file), not a bundled plan."""
        return not (self.tasks or self.plan.sections or self.bundled) and _same_title(text, self.meta.title)

    # --- sections -------------------------------------------------------------------------
    def classify(self, heading: str, inherited: str | None) -> tuple[str, str | None] | None:
        """(kind, category) for a heading; None when it names nothing a heading names."""
        if _SIX_NAMED.search(heading) and not _CONTEXT_ENDING.search(heading.rstrip("。.")):
            return "task", category_of(_SIX_NAMED.search(heading).group(0))
        if _CONTEXT_HEADING.search(heading):
            return "context", None
        if _TARGET_HEADING.search(heading):
            return "target", inherited
        if _TASK_HEADING.search(heading):
            return "task", inherited
        if category_of(heading):
            return "task", category_of(heading)
        return None

    def start_section(self, p: Paragraph, number: str, heading: str, sep: str = "、") -> None:
        self.plan.sections += 1
        heading = heading.strip()
        full = f"{number}{sep}{heading}" if number else heading
        kind, category = self.classify(heading, self.plan.category) or (
            "task", categories.canonical(re.sub(r"[。.]$", "", heading)))
        if kind == "task" and category is None:
            category = categories.OTHER
        self.start_part(p, full, kind, category)

    def sub_heading(self, p: Paragraph, written: str, heading: str) -> bool:
        """An item that is a heading inside a section — （一）工作对象, （四）工作措施 — not a task."""
        if len(heading) > 20 or re.search(r"[。；，,]", heading) or self.section is None:
            return False
        found = self.classify(heading, self.section.category or self.plan.category)
        names_a_bao = heading.startswith("保") and category_of(heading) is not None  # 二、重点任务 （一）保居民就业
        if found is None or (found[0] == "task" and not _TASK_HEADING.search(heading) and not names_a_bao):
            return False
        kind, category = found
        base = self.section.heading.split(" ", 1)[0]
        self.plan.sections += 1
        self.start_part(p, f"{base} {written}{heading}", kind, category or self.section.category)
        return True

    def start_part(self, p: Paragraph, full: str, kind: str, category: str | None) -> None:
        self.section = _Section(self.plan.sections, full, kind, category)
        self.blocks[(self.plan.annex, full)] = self.section.block
        self.item = self.task = None
        self.block = None
        if kind != "task":
            self.add_context(p, heading=full)

    # --- tasks ------------------------------------------------------------------------------
    def new_task(self, p: Paragraph, number: str, body: str, *, level: int, parent: ParsedTask | None) -> ParsedTask:
        section = self.section
        if section is None:  # items before any section heading: the plan's own category
            self.plan.sections += 1
            self.start_part(p, "", "task", self.plan.category or categories.OTHER)
            section = self.section
        section.items += 1
        text, own, raw = split_trailing(body)
        for key, params in raw:
            self.warn(p.line, key, **params)
        scope = (self.plan.annex, section.heading, parent.key if parent else None)
        ordinal = self.ordinals[scope] = self.ordinals.get(scope, 0) + 1
        key = f"{self.plan.annex or 0}.{section.ordinal}.{parent.key.rsplit('.', 1)[-1] + '.' if parent else ''}{ordinal}"
        task = ParsedTask(
            key=key, number=number, annex=self.plan.annex, annex_title=self.plan.title if self.plan.annex else None,
            section=section.heading or None, category=section.category or categories.OTHER, title=_title(text),
            text=text, parent_key=parent.key if parent else None, responsibility=Responsibility(),
            deadline=None, deadline_text=None, start=None, milestones=[], targets=[], line=p.line,
        )
        self.own[key] = own or Responsibility()
        # A paragraph that closes with its own 责任单位 bracket is the whole task:
        # an unnumbered paragraph after it is the plan speaking again, not more task.
        self.task_closed = own is not None and bool(own.leads)
        self.tasks.append(task)
        if parent is not None:
            self.children.setdefault(parent.key, []).append(key)
        if level == 2:
            self.item = task
        self.task = task
        return task

    def check_number(self, p: Paragraph, found: int | None, written: str, *, sub: bool) -> None:
        """Warn when an item's number is not the one its position calls for.

        Plans number items either afresh in each section or straight through the
        plan (青山湖区: （一）…（十八） across six sections); which one is learnt from
        the first item of the second section. The expected number follows the
        position, so one repeated "(十)" is one warning, not a cascade.
        """
        plan, section = self.plan, self.section
        if sub:
            plan.subs += 1
            if self.item is not None:
                in_scope = len(self.children.get(self.item.key, ())) + 1
            else:
                section.subs += 1
                in_scope = section.subs
            candidates = {plan.subs, in_scope}
        else:
            plan.items += 1
            in_section = (section.items + 1) if section else plan.items
            if plan.restart is None and section is not None and section.items == 0 and plan.items > 1:
                plan.restart = found == 1
            candidates = {in_section} if plan.restart else {plan.items} if plan.restart is False \
                else {in_section, plan.items}
        if found is None:
            self.warn(p.line, "doc.number_unreadable", number=written)
        elif found not in candidates:
            self.warn(p.line, "doc.numbering", number=written, expected=min(candidates))

    def check_article(self, p: Paragraph, found: int | None, written: str) -> None:
        """Warn when an article's number is not its place among the plan's articles (context included)."""
        self.plan.articles += 1
        if found is None:
            self.warn(p.line, "doc.number_unreadable", number=written)
        elif found != self.plan.articles:
            self.warn(p.line, "doc.numbering", number=written, expected=self.plan.articles)

    def points_here(self) -> bool:
        """May a 一是… paragraph open a task here: in a section of tasks that no other numbering holds?"""
        section = self.section
        if section is None or section.kind != "task":
            return False
        return self.task is None or (self.item is not None and self.item.number.endswith("是"))

    # --- the walk -----------------------------------------------------------------------------
    def feed(self, p: Paragraph) -> None:
        text = p.text.strip()
        if not text:
            return
        if self.annex_list(p, text) or self.plan_boundary(p):
            return
        m = markers.SECTION.match(text)
        if m and len(m.group(2)) <= 40 and not re.search(r"[。；]", m.group(2)[:-1]):
            self.start_section(p, m.group(1), m.group(2))
            return
        m = markers.CHAPTER.match(text)
        if m and len(m.group(2)) <= 40 and not re.search(r"[。；]", m.group(2)[:-1]):
            self.start_section(p, re.sub(r"\s+", "", m.group(1)), m.group(2), sep=" ")
            return
        m = re.match(r"^[、，]\s*(\S.{1,14})$", text)
        if m and self.classify(m.group(1), self.plan.category):  # "、目标任务": the section's number fell out
            self.warn(p.line, "doc.section_number_missing", heading=m.group(1))
            self.start_section(p, "", m.group(1))
            return
        label = parse_label_line(text)
        if label is not None:
            self.label(p, *label)
            return
        if self.tasks and _CLOSING.search(text):  # the document's closing lines: context from here on
            if not (self.section is not None and self.section.kind == "context" and self.section.heading == ""):
                self.start_part(p, "", "context", None)
                self.add_context(p, heading=t("doc.closing"))
            self.add_context(p)
            return
        m = markers.ITEM.match(text)
        if m and self.sub_heading(p, text[: len(text) - len(m.group(3))].strip(), m.group(3).strip()):
            return
        article = markers.ARTICLE.match(text)
        if article:
            self.check_article(p, markers.cn_to_int(article.group(2)) or _ascii_int(article.group(2)), article.group(1))
        section = self.section
        if section is not None and section.kind == "context" or (section is None and not self.tasks_here()):
            if section is not None or not (markers.ITEM.match(text) or article):
                self.add_context(p)
                return
        if article:
            if section is not None and section.kind == "target":
                self.add_context(p)
            else:
                self.new_task(p, re.sub(r"\s+", "", article.group(1)), article.group(3), level=2, parent=None)
            return
        m = markers.ITEM.match(text)
        if m:
            written = text[: len(text) - len(m.group(3))].strip()
            if m.group(2):
                self.warn(p.line, "doc.number_malformed", number=written)
            if section is not None and section.kind == "target":
                self.add_context(p)
                return
            self.check_number(p, markers.cn_to_int(m.group(1) or m.group(2)), written, sub=False)
            self.new_task(p, written, m.group(3), level=2, parent=None)
            return
        m = markers.SUBITEM.match(text)
        if m and not (section is not None and section.kind == "target"):
            written = text[: len(text) - len(m.group(2))].strip()
            self.check_number(p, int(unicodedata.normalize("NFKC", m.group(1))), written, sub=True)
            self.new_task(p, written, m.group(2), level=3, parent=self.item)
            return
        if section is not None and section.kind == "target":
            self.target_line(p, text)
            return
        m = markers.POINT.match(text)
        if m and self.points_here():
            written = re.sub(r"\s+", "", m.group(1))
            self.check_number(p, markers.cn_to_int(m.group(2)), written, sub=False)
            self.new_task(p, written, m.group(3), level=2, parent=None)
            return
        if self.task is not None and not self.task_closed:
            body, own, raw = split_trailing(text)
            for key, params in raw:
                self.warn(p.line, key, **params)
            if own is not None:
                before = self.own[self.task.key]
                if before.leads and own.leads:  # (1) … (责任单位：A) (2) … (责任单位：B): the task needs them all
                    self.warn(p.line, "doc.several_responsibilities", count=2)
                self.own[self.task.key] = _union(before, own)
            if body:
                self.task.text = f"{self.task.text}\n{body}"
            return
        self.add_context(p)

    def tasks_here(self) -> bool:
        return self.plan.category is not None and self.plan.annex is not None

    def annex_list(self, p: Paragraph, text: str) -> bool:
        m = _ANNEX_LIST.match(text)
        if m:
            self.in_annex_list = True
            text = m.group(1)
            if not text:
                return True
        if not self.in_annex_list:
            return False
        entries = _ANNEX_ENTRY.findall(text)
        if entries and text.lstrip().startswith(entries[0][0]):
            for number, title in entries:  # one per line, or several on one line
                self.annex_titles[int(unicodedata.normalize("NFKC", number))] = title.strip()
            return True
        self.in_annex_list = False
        return False

    def label(self, p: Paragraph, kind: str, value: list[str] | str) -> None:
        if self.task is None and self.section is not None:
            target = self.section.block
        elif self.task is not None:
            target = self.own[self.task.key]
            parent = self.task.parent_key
            if parent is not None and kind in ("units", "leads", "supports") and not any(
                    self.own[child].leads for child in self.children.get(parent, ())):
                # "责任单位：…" on its own line after a group's sub-items, none of which
                # named its own units: it answers for the whole group （一）.
                target = self.own[parent]
            elif kind in ("units", "leads", "supports"):
                self.from_labels.setdefault(self.task.key, p.line)
        else:
            self.add_context(p)
            return
        if kind == "units":
            target.leads, target.supports = responsibility_from_units(value).leads, responsibility_from_units(value).supports
        elif kind == "deadline_text":
            target.deadline_text = value
        else:
            getattr(target, kind).extend(v for v in value if v not in getattr(target, kind))

    def target_line(self, p: Paragraph, text: str) -> None:
        self.add_context(p)
        if not text.lstrip().startswith(("——", "—", "--")):
            return
        body = text.lstrip("—- ").strip()
        if not find_targets(body):
            return
        section = self.section
        section.targets += 1
        key = f"{self.plan.annex or 0}.{section.ordinal}.t{section.targets}"
        task = ParsedTask(
            key=key, number=f"——{section.targets}", annex=self.plan.annex,
            annex_title=self.plan.title if self.plan.annex else None, section=section.heading,
            category=section.category or self.plan.category or categories.OTHER, title=_title(body), text=body,
            parent_key=None, responsibility=Responsibility(), deadline=None, deadline_text=None, start=None,
            milestones=[], targets=[], line=p.line,
        )
        self.own[key] = Responsibility()
        self.tasks.append(task)

    # --- after the walk -----------------------------------------------------------------------
    def section_end_blocks(self) -> None:
        """A 牵头单位/配合单位 block written after a section's items belongs to the section.

        Seen as: only the last item of the section has units, and they came from
        label lines after it, not from a bracket in its own paragraph.
        """
        tops: dict[tuple[int | None, str], list[ParsedTask]] = {}
        for task in self.tasks:
            if task.parent_key is None and not task.key.rsplit(".", 1)[-1].startswith("t"):
                tops.setdefault((task.annex, task.section or ""), []).append(task)
        for where, tasks in tops.items():
            last = tasks[-1].key
            block = self.blocks.get(where)
            if (len(tasks) < 2 or block is None or block.leads or last not in self.from_labels
                    or [t.key for t in tasks if self.own[t.key].leads] != [last]):
                continue
            own = self.own[last]
            block.leads, block.supports = own.leads, own.supports
            block.leaders = block.leaders or own.leaders
            self.own[last] = Responsibility(deadline_text=own.deadline_text)
            self.warn(self.from_labels[last], "doc.block_at_section_end", section=where[1])

    def finish(self) -> None:
        self.section_end_blocks()
        year, issued = self.meta.year, self.meta.issued_on
        for task in self.tasks:
            inherited = self.blocks.get((task.annex, task.section or ""), Responsibility())
            if task.parent_key is not None:  # a sub-item answers to its group's units unless it names its own
                inherited = merge(inherited, self.own.get(task.parent_key))
            task.responsibility = merge(inherited, self.own.get(task.key))
            text = task.text
            phrase = None
            if task.responsibility.deadline_text:
                phrase = task_deadline(task.responsibility.deadline_text, year)
            phrase = phrase or task_deadline(text, year)
            task.deadline = phrase.date if phrase else None
            task.deadline_text = phrase.text if phrase else task.responsibility.deadline_text
            if task.deadline and issued and task.deadline < issued:
                self.warn(task.line, "doc.deadline_before_issue", number=task.number, deadline=task.deadline,
                          issued=issued)
            task.start = find_start(text, year, issued)
            task.milestones = find_milestones(text, year)
            task.targets = find_targets(text)
            has_children = task.key in self.children
            if not (task.responsibility.leads or has_children or task.key.rsplit(".", 1)[-1].startswith("t")):
                self.warn(task.line, "doc.no_responsible_unit", number=task.number, title=task.title)
        self.one_name_per_unit()

    def one_name_per_unit(self) -> None:
        """One unit, one name: a body the plan writes in full and in short (县发展改革局, 县发改局) keeps
        the spelling the plan uses first; the other is kept as its alias, with a warning."""
        chosen: dict[str, str] = {}  # unit_key -> the name the plan first gave it
        for task in self.tasks:
            r = task.responsibility
            named = [self.unit_name(name, task, chosen) for name in r.leads + r.supports]
            leads = list(dict.fromkeys(named[:len(r.leads)]))
            supports = [u for u in dict.fromkeys(named[len(r.leads):]) if u not in leads]
            task.responsibility = Responsibility(leads, supports, r.leaders, r.deadline_text)

    def unit_name(self, name: str, task: ParsedTask, chosen: dict[str, str]) -> str:
        first = chosen.setdefault(unit_key(name), name)
        if first != name and name not in self.unit_aliases:
            self.unit_aliases[name] = first
            self.warn(task.line, "doc.unit_spelling", other=name, name=first)
        return first


def _ascii_int(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    return int(text) if text.isdigit() else None


def _union(a: Responsibility, b: Responsibility) -> Responsibility:
    """Both lists of units: a task whose parts (1)(2)… each name their own units answers to all of them."""
    leads = list(dict.fromkeys(a.leads + b.leads))
    supports = [u for u in dict.fromkeys(a.supports + b.supports) if u not in leads]
    return Responsibility(leads, supports, list(dict.fromkeys(a.leaders + b.leaders)),
                          a.deadline_text or b.deadline_text)


def _dedupe(warnings: list[ParseWarning]) -> list[ParseWarning]:
    """One warning per line and kind (the paragraph reader and the responsibility reader may both see it)."""
    seen: set[tuple[int, str, object]] = set()
    bracket_lines = {w.line for w in warnings if w.key == "doc.unclosed_bracket"}
    out = []
    for w in sorted(warnings, key=lambda w: w.line):
        if w.key == "doc.unclosed_paragraph" and w.line in bracket_lines:
            continue  # the same open bracket, better said by the responsibility reader
        seen_as = (w.line, w.key, w.params.get("other"))  # two units' spellings on one line are two warnings
        if seen_as not in seen:
            seen.add(seen_as)
            out.append(w)
    return out


def _same_title(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[\s的]", "", unicodedata.normalize("NFKC", s))

    return norm(a) == norm(b)


def _title(text: str) -> str:
    """A task's title: its first sentence when that is short (as plans write it), else its opening words."""
    first = re.split(r"[。；;]|(?<![0-9])\.(?![0-9])", text, maxsplit=1)[0].strip()
    if first and len(first) <= _TITLE_MAX:
        return first
    return text[: _TITLE_MAX - 1].rstrip() + "…"


def parse(data: bytes, *, name: str, fallback_year: int) -> ParsedDocument:
    """Read a plan file into a :class:`ParsedDocument` (raises InvalidInput when it is not text)."""
    text = decode(data, name=name)
    return parse_text(text, fallback_year=fallback_year)


def parse_text(text: str, *, fallback_year: int) -> ParsedDocument:
    """Read a plan's text into a :class:`ParsedDocument`."""
    paras, warnings = paragraphs(text)
    meta = read_meta(paras, fallback_year=fallback_year)
    walker = _Walker(meta, list(warnings))
    if meta.issued_on is None and meta.doc_number is None and not re.search(r"20\d{2}\s*年", text[:20000]):
        walker.warn(1, "doc.year_assumed", year=meta.year)
    for p in paras:
        walker.feed(p)
    walker.finish()
    return ParsedDocument(**vars(meta), checksum=checksum(text), tasks=walker.tasks, context=walker.context,
                          warnings=_dedupe(walker.warnings), unit_aliases=walker.unit_aliases)


