"""A report layout as Markdown (GitHub-flavoured tables), for mail, wikis and the 周报 archive."""

from __future__ import annotations

from sixbao_cli.render.layout import Cell, Layout, Table

_LAMP = {"red": "🔴", "yellow": "🟡", "green": "🟢"}


def _escape(text: str) -> str:
    # A pipe would end the cell and a newline the row; markup characters are left as written.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")


def _cell(c: Cell) -> str:
    text = _escape(c.text)
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
    out = [f"# {_escape(doc.title)}", ""]
    out += [line + "  " for line in doc.subtitle[:-1]] + doc.subtitle[-1:] + [""]
    for section in doc.sections:
        out += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            out += [paragraph, ""]
        for caption, table in section.tables:
            if caption:
                out += [f"**{caption}**", ""]
            out += table_lines(table) + [""]
        if section.lines:
            out += [f"{i}. {line}" for i, line in enumerate(section.lines, 1)] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
