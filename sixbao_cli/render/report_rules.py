"""``report rules``: the supervision rules in effect and where they come from."""

from __future__ import annotations

from rich.console import Console

from sixbao_cli.messages import t
from sixbao_cli.render.text import new_table, print_table
from sixbao_cli.rules import Rules


def render_rules(console: Console, rules: Rules, source: str) -> None:
    """Thresholds, reporting interval, ladder and ranking, then the 下步工作要求 lines."""
    console.print(t("rules.source", source=source))
    table = new_table(console, t("col.rule"), t("col.rule_value"))
    table.add_row(t("rules.show.yellow"), t("rules.show.points", n=f"{rules.yellow_behind:g}"))
    table.add_row(t("rules.show.red"), t("rules.show.points", n=f"{rules.red_behind:g}"))
    table.add_row(t("rules.show.due_soon"), t("rules.show.days", n=rules.due_soon_days))
    table.add_row(t("rules.show.interval"), t("rules.show.days", n=rules.report_interval_days))
    for step in rules.ladder:
        value = step.action + (t("rules.show.fix", n=step.fix_days) if step.fix_days else "")
        table.add_row(t("rules.show.step", n=step.after), value)
    table.add_row(t("rules.show.top"), str(rules.rank_top))
    table.add_row(t("rules.show.bottom"), str(rules.rank_bottom))
    print_table(console, table)
    if rules.requirements:
        console.print(t("rules.show.requirements"))
        for i, line in enumerate(rules.requirements, 1):
            console.print(f"{i}. {line}")
