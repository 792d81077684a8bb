"""A report layout as Markdown (GitHub-flavoured tables), for mail, wikis and the 周报 archive."""

from __future__ import annotations

import re

from sixbao_cli.render.layout import Cell, Layout, Table

_LAMP = {"red": "🔴", "yellow": "🟡", "green": "🟢"}


# Everything Markdown or the HTML inside it would read as markup; a backslash makes each one literal
# (CommonMark lets any ASCII punctuation be escaped so), and it stays readable in the plain .md file.
_MARKUP = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START_HASH = re.compile(r"^(\s*)#", re.MULTILINE)


def _escape(text: str, newline: str = " ") -> str:
    """``text`` (from the ledger or the user) as literal Markdown, its line breaks joined with ``newline``."""
    text = _LINE_START_HASH.sub(r"\1\\#", _MARKUP.sub(r"\\\1", text))
    return newline.join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _cell(c: Cell) -> str:
    # A table row is one line: a line break inside a cell (a multi-line 存在问题) becomes <br>, which
    # GitHub-flavoured tables and the wikis that render them show as a break, and which reads plainly as text.
    text = _escape(c.text, "<br>")
    if c.light and not c.bar:
        text = f"{_LAMP[c.light]} {text}"
    return text


def table_lines(table: Table) -> list[str]:
    """The table as Markdown lines; numeric columns right-aligned."""
    numeric = [bool(table.rows) and all(row[i].numeric for row in table.rows) for i in range(len(table.columns))]
    out = ["| " + " | ".join(_escape(c) for c in table.columns) + " |",
           "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return out


def to_markdown(doc: Layout) -> str:
    """The whole report as Markdown text, ending in one newline."""
    subtitle = [_escape(line) for line in doc.subtitle]
    out = [f"# {_escape(doc.title)}", ""]
    out += [line + "  " for line in subtitle[:-1]] + subtitle[-1:] + [""]
    for section in doc.sections:
        out += [f"## {_escape(section.heading)}", ""]
        for paragraph in section.paragraphs:
            out += [_escape(paragraph), ""]
        for caption, table in section.tables:
            if caption:
                out += [f"**{_escape(caption)}**", ""]
            out += table_lines(table) + [""]
        if section.lines:
            out += [f"{i}. {_escape(line)}" for i, line in enumerate(section.lines, 1)] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
