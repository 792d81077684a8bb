"""The demo's overview."""

from __future__ import annotations

from rich.console import Console

from sixbao_cli import categories
from sixbao_cli.messages import t
from sixbao_cli.render.tasks import category_label
from sixbao_cli.render.text import new_table, print_table
from sixbao_cli.services.demo import DemoSummary


def render_demo(console: Console, where: str, s: DemoSummary) -> None:
    """Where the demo ledger is, what it holds, and what to try next."""
    console.print(t("demo.built" if s.created else "demo.exists", path=where))
    console.print(t("demo.counts", documents=s.documents, tasks=s.tasks, units=s.units, entries=s.entries))
    order = {c: i for i, c in enumerate(categories.SIX)}
    table = new_table(console, t("col.category"), t("col.tasks"), t("col.reporting"), t("col.done"))
    for category, total, reporting, done in sorted(s.by_category, key=lambda r: (order.get(r[0], 99), r[0])):
        table.add_row(category_label(category), str(total), str(reporting), str(done))
    print_table(console, table)
    console.print(t("demo.next"))
