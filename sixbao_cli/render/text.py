"""Shared pieces of terminal output: consoles, tables, numbers and bars.

On a terminal tables get borders and colour (unless NO_COLOR is set); piped,
they are plain aligned text with no escape codes, never wrapped or cut, and
with no trailing blanks — fit for grep, diff and files.
"""

from __future__ import annotations

import io
import sys

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sixbao_cli.render.formats import fmt_date, fmt_number, fmt_percent

# Wide enough that no table is ever wrapped when piped; tables do not expand,
# so lines stay as long as their content.
PIPE_WIDTH = 10_000


class _RstripLines(io.TextIOBase):
    """Passes text through to ``target`` with the blanks at the end of each line removed."""

    def __init__(self, target) -> None:
        self.target = target
        self.pending = ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self.target.write(line.rstrip() + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.target.write(self.pending.rstrip())
            self.pending = ""
        self.target.flush()


def stdout_console() -> Console:
    """The console for data (tables, cards, reports). User text is never read as markup."""
    if sys.stdout.isatty():
        return Console(highlight=False, markup=False)
    return Console(file=_RstripLines(sys.stdout), highlight=False, markup=False, width=PIPE_WIDTH,
                   no_color=True, color_system=None, force_terminal=False)


class PlainTable:
    """Aligned plain-text columns for pipes and files.

    rich measures and lays out every cell of a Table, which for a 100,000-task
    listing takes most of a minute; piped output needs none of that, only
    columns padded to the widest cell (counted in terminal cells, so Chinese
    characters count double).
    """

    def __init__(self, *headers: str, title: str | None = None):
        self.title = title
        self.rows: list[list[str]] = [list(headers)]

    def add_row(self, *cells: object, style: str | None = None) -> None:
        self.rows.append([c.plain if isinstance(c, Text) else str(c) for c in cells])

    def lines(self) -> list[str]:
        widths = [max(cell_len(row[i]) for row in self.rows) for i in range(len(self.rows[0]))]
        out = [self.title] if self.title else []
        for row in self.rows:
            padded = [cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True)]
            out.append("  ".join(padded).rstrip())
        return out


def new_table(console: Console, *headers: str, title: str | None = None) -> Table | PlainTable:
    """A table that lines up Chinese text: boxed rich table on a terminal, plain columns when piped."""
    from rich import box

    if not console.is_terminal:
        return PlainTable(*headers, title=title)
    return Table(*headers, title=title, box=box.SIMPLE_HEAD, header_style="bold", title_style="bold",
                 title_justify="left")


def print_table(console: Console, table: Table | PlainTable) -> None:
    """Print a table made by :func:`new_table`."""
    if isinstance(table, PlainTable):
        console.file.write("\n".join(table.lines()) + "\n")
    else:
        console.print(table)


__all__ = ["PIPE_WIDTH", "PlainTable", "bar", "fmt_date", "fmt_number", "fmt_percent", "new_table", "print_table",
           "stdout_console"]


def bar(percent: float | None, width: int = 20, *, plain: bool = False) -> Text:
    """A progress bar for ``percent``: ██████░░░░ 60%."""
    if percent is None:
        return Text("—")
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    if plain:
        return Text("#" * filled + "." * (width - filled) + f" {fmt_percent(percent)}")
    style = "green" if percent >= 100 else "cyan"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {fmt_percent(percent)}")
