"""What the parser produces: plain data, serialisable to the documented JSON contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sixbao_cli.messages import t
from sixbao_cli.quantities import MilestoneSpec, Target


@dataclass(frozen=True)
class ParseWarning:
    """Something odd in the text that the parser worked around: where, and what (a catalog key)."""

    line: int
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self) -> str:
        """The warning in the user's language, with its line number."""
        return t("doc.warning_line", line=self.line, text=t(self.key, **self.params))


@dataclass(frozen=True)
class Paragraph:
    """One logical paragraph of the plan, rejoined across page breaks; ``line`` is where it starts (1-based)."""

    text: str
    line: int


@dataclass
class Responsibility:
    """Who answers for a task: lead units (牵头), support units (配合), leaders (责任领导), a stated time limit."""

    leads: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    deadline_text: str | None = None

    def is_empty(self) -> bool:
        return not (self.leads or self.supports or self.leaders or self.deadline_text)


@dataclass
class ParsedTask:
    """One task as the plan states it."""

    key: str  # stable position key within the document: "附件2/二/（一）/1."
    number: str  # as written: （十三）, 5.
    annex: int | None  # annex (or bundled plan) ordinal; None for the main text
    annex_title: str | None
    section: str | None  # the section heading: 二、保居民就业
    category: str
    title: str
    text: str
    parent_key: str | None
    responsibility: Responsibility
    deadline: date | None
    deadline_text: str | None
    start: date | None
    milestones: list[MilestoneSpec]
    targets: list[Target]
    line: int


@dataclass
class ContextBlock:
    """A part of the plan that is not a task (总体要求, 保障措施 …): kept with the document."""

    annex: int | None
    heading: str
    text: str
    line: int


@dataclass
class DocumentMeta:
    """What the parser learns about the plan itself."""

    title: str
    doc_number: str | None
    issuer: str | None
    issued_on: date | None
    year: int
    level: str | None


@dataclass
class ParsedDocument(DocumentMeta):
    """The whole plan: its identity, tasks, context and the warnings met on the way."""

    checksum: str
    tasks: list[ParsedTask] = field(default_factory=list)
    context: list[ContextBlock] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    unit_aliases: dict[str, str] = field(default_factory=dict)  # another spelling of a unit -> the name used
