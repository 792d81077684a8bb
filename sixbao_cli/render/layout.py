"""A report as a printable document: title, sections, paragraphs, tables.

The supervision reports are composed once into this neutral form
(:mod:`sixbao_cli.render.report_layout`), then written out by one small writer
per format — terminal, Markdown, HTML — so the formats cannot drift apart in
what they say. No rich here: the Markdown and HTML writers do not need it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and optionally a light colour or a progress bar (actual vs expected)."""

    text: str
    light: str | None = None  # red | yellow | green: drawn as a coloured lamp
    actual: float | None = None  # with ``bar``: the bar's fill
    expected: float | None = None  # with ``bar``: the 序时进度 mark
    bar: bool = False
    numeric: bool = False  # right-aligned


@dataclass
class Table:
    """Columns and rows of cells."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Section:
    """A heading, then paragraphs, a table and numbered lines, each optional."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str | None, Table]] = field(default_factory=list)  # (caption, table)
    lines: list[str] = field(default_factory=list)  # numbered items, e.g. 下步工作要求


@dataclass
class Layout:
    """The whole report."""

    title: str
    subtitle: list[str]
    sections: list[Section]
    lang: str = "zh"


def cell(text: object, **kw) -> Cell:
    """A cell from any value; ``None`` shows as a dash."""
    return Cell("—" if text is None or text == "" else str(text), **kw)
