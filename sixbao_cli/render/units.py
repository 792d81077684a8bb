"""The unit list."""

from __future__ import annotations

from rich.console import Console

from sixbao_cli.messages import t
from sixbao_cli.render.text import new_table, print_table
from sixbao_cli.services.units import UnitRow


def render_unit_list(console: Console, rows: list[UnitRow]) -> None:
    """The ``unit list`` table, or a line saying there are none."""
    if not rows:
        console.print(t("unit.list.none"))
        return
    table = new_table(console, t("col.unit"), t("col.aliases"), t("col.parent_unit"), t("col.lead_tasks"),
                      t("col.support_tasks"))
    for r in rows:
        table.add_row(r.name, "、".join(r.aliases), r.parent or "", str(r.lead_tasks), str(r.support_tasks))
    print_table(console, table)
    console.print(t("unit.list.count", n=len(rows)))
