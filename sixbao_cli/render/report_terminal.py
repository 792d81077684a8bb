"""A report layout on the terminal: coloured lamps and progress bars; plain aligned text when piped."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from sixbao_cli.render.layout import Cell, Layout
from sixbao_cli.render.text import new_table, print_table

_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green"}
_BAR = 10


def _bar(c: Cell) -> Text:
    """██████░░░░ with the 序时进度 marked ┃ where it falls: the gap between the two is the lag."""
    cells = ["░"] * _BAR
    fill = round(_BAR * max(0.0, min(c.actual or 0.0, 100.0)) / 100)
    for i in range(fill):
        cells[i] = "█"
    text = Text()
    mark = None if c.expected is None else min(_BAR - 1, int(_BAR * max(0.0, min(c.expected, 100.0)) / 100))
    for i, ch in enumerate(cells):
        if i == mark:
            text.append("┃", style="bold")
        else:
            text.append(ch, style="cyan" if ch == "█" else "dim")
    text.append(" " + c.text)
    return text


def _cell(c: Cell, terminal: bool) -> Text | str:
    if not terminal:
        return c.text
    if c.bar:
        return _bar(c)
    if c.light:
        return Text.assemble(("● ", _STYLE[c.light]), c.text)
    return c.text


def render_layout(console: Console, doc: Layout) -> None:
    """Print the report: title, subtitle, then each section's paragraphs, tables and numbered lines."""
    terminal = console.is_terminal
    console.print(Text(doc.title, style="bold" if terminal else ""))
    for line in doc.subtitle:
        console.print(line)
    for section in doc.sections:
        console.print()
        console.print(Text(section.heading, style="bold underline" if terminal else ""))
        for paragraph in section.paragraphs:
            console.print(paragraph)
        for caption, table in section.tables:
            out = new_table(console, *table.columns, title=caption)
            if terminal:
                for i, column in enumerate(out.columns):
                    # Chinese has no spaces to wrap at: fold long titles and unit lists, never cut them.
                    column.overflow = "fold"
                    if table.rows and all(row[i].numeric for row in table.rows):
                        column.justify = "right"
            for row in table.rows:
                out.add_row(*(_cell(c, terminal) for c in row))
            print_table(console, out)
        for i, line in enumerate(section.lines, 1):
            console.print(f"{i}. {line}")
