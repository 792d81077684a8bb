"""What is wrong with an imported file, found before anything is written, said with file, row and column.

An import checks the whole file and reports every problem it finds (the
first :data:`SHOWN` by row, and how many more), so that a department fixes
its sheet once instead of once per error. One problem is one line; several
are a heading line and one indented line each. The exit code is that of the
first problem listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sixbao_cli.errors import SixbaoError
from sixbao_cli.messages import t

SHOWN = 20


@dataclass(order=True)
class Problem:
    """One problem: where (row, column letter or "" for the whole row) and what."""

    row: int
    column: str
    seq: int
    error: SixbaoError = field(compare=False)
    located: bool = field(default=False, compare=False)  # the message names file and row itself

    def line(self, file: str) -> str:
        if self.located:
            return self.error.message()
        at = t("import.at_cell", file=file, row=self.row, column=self.column) if self.column \
            else t("import.at_row", file=file, row=self.row)
        return t("import.problem_line", at=at, problem=self.error.message())


class Problems:
    """Problems collected while a file is read and checked; at most :data:`SHOWN` of each kind are kept."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []
        self.count = 0
        self._kept: dict[str, int] = {}

    def wants(self, kind: str) -> bool:
        """Is another problem of this kind still shown? (Building a message with suggestions costs queries.)"""
        return self._kept.get(kind, 0) < SHOWN

    def add(self, kind: str, row: int, column: str, error: SixbaoError) -> None:
        """Record a problem at ``row`` (and ``column``, a letter, or "" for the whole row)."""
        self.count += 1
        if self.wants(kind):
            self._kept[kind] = self._kept.get(kind, 0) + 1
            self.items.append(Problem(row, column, self.count, error))

    def stop(self, row: int, error: SixbaoError) -> None:
        """The file cannot be read past ``row`` (bad quotes, bytes not in its encoding): said with what was found."""
        self.count += 1
        self.items.append(Problem(row, "", self.count, error, located=True))

    def count_more(self, kind: str, n: int) -> None:
        """``n`` more problems of a kind found by a query that only fetched the first ones."""
        self.count += n

    def raise_if_any(self) -> None:
        """Raise one error saying every problem (the first :data:`SHOWN` by row); nothing when there is none."""
        if not self.count:
            return
        shown = sorted(self.items)[:SHOWN]
        first = shown[0]
        cls = type(first.error)
        if self.count == 1:
            raise cls("import.problem", line=first.line(self.file))
        lines = "\n".join("  " + p.line(self.file) for p in shown)
        more = self.count - len(shown)
        raise cls("import.problems", file=self.file, n=self.count, lines=lines,
                  more=t("import.problems_more", n=more) if more else "")
