"""Shared pieces of terminal output: consoles, tables, numbers and bars.

On a terminal tables get borders and colour (unless NO_COLOR is set); piped,
they are plain aligned text with no escape codes, wide enough not to wrap.
"""

from __future__ import annotations

import os
import sys
from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

PIPE_WIDTH = 240


def stdout_console() -> Console:
    """The console for data (tables, cards, reports)."""
    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, width=int(os.environ.get("COLUMNS", PIPE_WIDTH)), no_color=True,
                   color_system=None, force_terminal=False)


def stderr_console() -> Console:
    """The console for messages, warnings and confirmations."""
    return Console(stderr=True, highlight=False, no_color=not sys.stderr.isatty() or None)


def new_table(console: Console, *headers: str, title: str | None = None) -> Table:
    """A table that lines up Chinese text: boxed on a terminal, plain when piped."""
    from rich import box

    plain = not console.is_terminal
    table = Table(
        *headers, title=title, box=None if plain else box.SIMPLE_HEAD, show_edge=not plain, pad_edge=not plain,
        header_style="" if plain else "bold", title_style="" if plain else "bold", title_justify="left",
    )
    return table


def fmt_date(value: date | None) -> str:
    """ISO date, or a dash."""
    return value.isoformat() if value else "—"


def fmt_number(value: float | None) -> str:
    """2600, 0.5, 210000 — no trailing zeros; a dash for nothing."""
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_percent(value: float | None) -> str:
    """60%, 62.5%, or a dash."""
    return "—" if value is None else f"{fmt_number(value)}%"


def bar(percent: float | None, width: int = 20, *, plain: bool = False) -> Text:
    """A progress bar for ``percent``: ██████░░░░ 60%."""
    if percent is None:
        return Text("—")
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    if plain:
        return Text("#" * filled + "." * (width - filled) + f" {fmt_percent(percent)}")
    style = "green" if percent >= 100 else "cyan"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {fmt_percent(percent)}")
