"""Task listings and the task card."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sixbao_cli import categories
from sixbao_cli.clock import china_time
from sixbao_cli.messages import lang, t
from sixbao_cli.render.progress import progress_table
from sixbao_cli.render.text import bar, fmt_date, fmt_number, fmt_percent, new_table, print_table
from sixbao_cli.services.tasks import TaskCard, TaskRow
from sixbao_cli.vocab import status_label


def category_label(category: str) -> str:
    """The category as the reader's language names it."""
    return categories.english(category) if lang() == "en" else category


def render_task_list(console: Console, rows: list[TaskRow]) -> None:
    """The ``task list`` table, or a line saying nothing matched."""
    if not rows:
        console.print(t("task.list.none"))
        return
    table = new_table(console, t("col.code"), t("col.title"), t("col.category"), t("col.lead"),
                      t("col.deadline"), t("col.status"), t("col.percent"), t("col.last_report"))
    for r in rows:
        table.add_row(r.code, r.title, category_label(r.category), "、".join(r.leads), fmt_date(r.deadline),
                      status_label(r.status), fmt_percent(r.percent), fmt_date(r.last_report))
    print_table(console, table)
    console.print(t("task.list.count", n=len(rows)))


def _target_text(card: TaskCard) -> str:
    if card.target is None:
        return "—"
    tg = card.target
    cmp = {">=": "≥", "<=": "≤", "=": "="}[tg.comparator]
    return f"{tg.metric} {cmp} {fmt_number(tg.value)}{tg.unit or ''}"


def render_card(console: Console, card: TaskCard) -> None:
    """The ``task show`` card: fields, milestones, then the progress history."""
    plain = not console.is_terminal
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="" if plain else "bold")
    fields.add_column()
    deadline = fmt_date(card.deadline)
    if card.deadline_text:
        deadline = f"{deadline}（{card.deadline_text}）"
    lines = [
        (t("col.category"), category_label(card.category)),
        (t("col.status"), status_label(card.status)),
        (t("col.lead"), "、".join(card.leads) or "—"),
        (t("col.support"), "、".join(card.supports) or "—"),
        (t("col.leaders"), "、".join(card.leaders) or "—"),
        (t("col.start"), fmt_date(card.start)),
        (t("col.deadline"), deadline),
        (t("col.target"), _target_text(card)),
    ]
    if card.document:
        lines.insert(0, (t("col.document"), f"{card.document} {card.number or ''}".strip()))
    if card.parent:
        lines.insert(1, (t("col.parent"), card.parent))
    if card.milestones:
        lines.append((t("col.milestones"), "；".join(
            f"{m.due} → {fmt_percent(m.percent) if m.percent is not None else fmt_number(m.value)}"
            for m in card.milestones)))
    if card.status == "closed":
        lines.append((t("col.closed"), f"{card.closed_at:%Y-%m-%d} {card.closed_note or ''}"))
    for label, value in lines:
        fields.add_row(label, value)
    fields.add_row(t("col.progress"), bar(card.percent, plain=plain))
    parts = [fields]
    if card.body and card.body != card.title:
        parts += [Text(""), Text(card.body)]
    heading = f"{card.code}  {card.title}"
    if plain:
        console.print(heading)
        console.print(Group(*parts))
    else:
        console.print(Panel(Group(*parts), title=Text(heading, style="bold"), title_align="left"))
    console.print()
    if card.progress:
        print_table(console, progress_table(console, card.progress, title=t("task.card.history"), show_task=False))
    else:
        console.print(t("task.card.no_progress"))
    if card.changes:
        console.print()
        table = new_table(console, t("col.changed_at"), t("col.field"), t("col.old"), t("col.new"), t("col.reason"),
                          title=t("task.card.changes"))
        for ch in card.changes:
            table.add_row(china_time(ch.changed_at), _field_label(ch.field),
                          _value_label(ch.field, ch.old), _value_label(ch.field, ch.new), ch.reason or "")
        print_table(console, table)


def _field_label(name: str) -> str:
    return t(f"field.{name}")


def _value_label(name: str, value: str | None) -> str:
    if value is None:
        return "—"
    return status_label(value) if name == "status" else value
