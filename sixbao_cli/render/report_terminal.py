"""A report layout on the terminal: coloured lamps and progress bars; plain aligned text when piped."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from sixbao_cli.render.layout import Cell, Layout, Table
from sixbao_cli.render.text import new_table, print_table

_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green"}
_BAR = 10
_TOKEN = 10  # terminal cells: a date is 10, 限期整改 8, a code 6; a title or a list of units is longer
_WIDE = 140  # below this many columns a progress bar's figures go under the bar, not beside it
_MIN_PROSE = 6  # the narrowest a folding column may be: three Chinese characters a line


def _bar(c: Cell, gap: str) -> Text:
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
    text.append(gap + c.text)
    return text


def _cell(c: Cell, terminal: bool, narrow: bool = False) -> Text | str:
    if not terminal:
        return c.text
    if c.bar:
        return _bar(c, "\n" if narrow else " ")
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
            if terminal:
                _print_table(console, table, caption)
                continue
            out = new_table(console, *table.columns, title=caption)
            for row in table.rows:
                out.add_row(*(_cell(c, terminal) for c in row))
            print_table(console, out)
        for i, line in enumerate(section.lines, 1):
            console.print(f"{i}. {line}")


def _print_table(console: Console, table: Table, caption: str | None) -> None:
    """``table`` on a terminal of the console's width, as columns or, where they cannot be read, as records.

    Codes, dates, percents, lamps, bars and ladder steps are kept whole: one
    broken mid-token ("JY-01 / 7", "2020- / 11-30") cannot be read. The prose
    columns (titles, units, problems) fold into the width that is left, shared
    so that short ones stay whole; rich alone cannot do this, since when a table
    does not fit it narrows every column alike, no_wrap ones included. When
    even so a prose column would get under three Chinese characters a line,
    each row is printed as a record, one "column  value" line each (as psql's
    expanded display does).
    """
    narrow = console.width < _WIDE
    rows = [[_cell(c, True, narrow) for c in row] for row in table.rows]
    token = [bool(rows) and all(c.numeric or c.light or c.bar or (" " not in c.text and cell_len(c.text) <= _TOKEN)
                                for c in (row[i] for row in table.rows)) for i in range(len(table.columns))]
    headers = [cell_len(name) for name in table.columns]
    # a header may fold, but not to one character a line
    natural = [max([_width(row[i]) for row in rows] + [min(headers[i], 4)]) for i in range(len(table.columns))]
    out = new_table(console, *table.columns, title=caption)
    for i, column in enumerate(out.columns):
        column.no_wrap = token[i]
        column.overflow = "ellipsis" if token[i] else "fold"  # Chinese has no spaces to wrap at: fold, never cut
        if table.rows and all(row[i].numeric for row in table.rows):
            column.justify = "right"
    fits = sum(max(n, h) for n, h in zip(natural, headers, strict=True)) + 3 * len(headers) + 2 <= console.width
    if not fits:
        room = console.width - (len(headers) + 1)  # with no padding, the box puts one space between columns
        widths: list[int | None] = [n if t else None for n, t in zip(natural, token, strict=True)]
        prose = [i for i, w in enumerate(widths) if w is None]
        left = room - sum(w for w in widths if w is not None)
        if prose and left // len(prose) < _MIN_PROSE or not prose and left < 0:
            _print_records(console, table, caption)
            return
        out.padding = (0, 0)  # the box's own space between columns is enough once space is short
        for i in sorted(prose, key=lambda i: natural[i]):  # the shortest first, each whole if its share allows
            widths[i] = min(natural[i], left // len([j for j in prose if widths[j] is None]))
            left -= widths[i]
        for i, column in enumerate(out.columns):
            column.width = widths[i]
            column.header = _fold(table.columns[i], widths[i])
    for row in rows:
        out.add_row(*row)
    console.print(out)


def _print_records(console: Console, table: Table, caption: str | None) -> None:
    """Each row of ``table`` as a record: the column names down the left, the values folded beside them."""
    if caption:
        console.print(Text(caption, style="bold"))
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    for n, row in enumerate(table.rows):
        if n:
            grid.add_row("", "")
        for name, c in zip(table.columns, row, strict=True):
            grid.add_row(name, _cell(c, True))
    console.print(grid)


def _width(cell: Text | str) -> int:
    """The terminal cells the widest line of a cell takes."""
    plain = cell.plain if isinstance(cell, Text) else cell
    return max(cell_len(line) for line in plain.split("\n"))


def _fold(text: str, width: int) -> str:
    """``text`` broken into as few lines of at most ``width`` terminal cells as it needs, of even length
    (a header over a narrow column: 实际／/序时进度, not 实际／序时进/度)."""
    fewest = len(_greedy(text, width))
    for even in range(-(-cell_len(text) // fewest), width + 1):
        lines = _greedy(text, even)
        if len(lines) <= fewest:
            return "\n".join(lines)
    return "\n".join(_greedy(text, width))


def _greedy(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and cell_len(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]
