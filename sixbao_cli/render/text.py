"""Shared pieces of terminal output: consoles, tables, numbers and bars.

On a terminal tables get borders and colour (unless NO_COLOR is set); piped,
they are plain aligned text with no escape codes, never wrapped or cut, and
with no trailing blanks — fit for grep, diff and files.
"""

from __future__ import annotations

import io
import sys

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


def new_table(console: Console, *headers: str, title: str | None = None) -> Table:
    """A table that lines up Chinese text: boxed on a terminal, plain when piped."""
    from rich import box

    plain = not console.is_terminal
    table = Table(
        *headers, title=title, box=None if plain else box.SIMPLE_HEAD, show_edge=not plain, pad_edge=not plain,
        header_style="" if plain else "bold", title_style="" if plain else "bold", title_justify="left",
    )
    return table


__all__ = ["PIPE_WIDTH", "bar", "fmt_date", "fmt_number", "fmt_percent", "new_table", "stdout_console"]


def bar(percent: float | None, width: int = 20, *, plain: bool = False) -> Text:
    """A progress bar for ``percent``: ██████░░░░ 60%."""
    if percent is None:
        return Text("—")
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    if plain:
        return Text("#" * filled + "." * (width - filled) + f" {fmt_percent(percent)}")
    style = "green" if percent >= 100 else "cyan"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {fmt_percent(percent)}")
