"""``sixbao task add|list|show|edit|done``."""

from __future__ import annotations

from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, LimitOpt, emit, note, open_ledger, output, today
from sixbao_cli.messages import t

app = typer.Typer(name="task", help=t("task.help"), no_args_is_help=True)

Lead = Annotated[list[str] | None, typer.Option("--lead", "-l", help=t("opt.lead"))]
Support = Annotated[list[str] | None, typer.Option("--support", "-s", help=t("opt.support"))]
Leader = Annotated[list[str] | None, typer.Option("--leader", help=t("opt.leader"))]
Milestone = Annotated[list[str] | None, typer.Option("--milestone", "-m", help=t("opt.milestone"))]
CreateUnits = Annotated[bool, typer.Option("--create-units", help=t("opt.create_units"))]


def _units(values: list[str] | None) -> list[str] | None:
    from sixbao_cli.units import split_unit_list

    if values is None:
        return None
    return [name for value in values for name in split_unit_list(value)]


def _leaders(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [name.strip() for value in values for name in value.replace("，", "、").replace(",", "、").split("、")
            if name.strip()]


@app.command("add", help=t("task.add.help"), epilog=t("task.add.epilog"))
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(metavar="TITLE", help=t("arg.title"))],
    category: Annotated[str, typer.Option("--category", "-c", help=t("opt.category"))],
    lead: Lead = None,
    support: Support = None,
    leader: Leader = None,
    code: Annotated[str | None, typer.Option("--code", help=t("opt.code"))] = None,
    body: Annotated[str | None, typer.Option("--text", help=t("opt.text"))] = None,
    start: Annotated[str | None, typer.Option("--start", help=t("opt.start"))] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", "-d", help=t("opt.deadline"))] = None,
    target: Annotated[str | None, typer.Option("--target", help=t("opt.target"))] = None,
    milestone: Milestone = None,
    parent: Annotated[str | None, typer.Option("--parent", help=t("opt.parent"))] = None,
    create_units: CreateUnits = False,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.dates import parse_date
    from sixbao_cli.quantities import parse_milestone, parse_target
    from sixbao_cli.services.tasks import TaskSpec, add_task, task_card

    spec = TaskSpec(
        title=title, category=category, code=code, body=body, leads=_units(lead) or [],
        supports=_units(support) or [], leaders=_leaders(leader) or [],
        start=parse_date(start, field="--start") if start else None,
        deadline=parse_date(deadline, field="--deadline") if deadline else None,
        target=parse_target(target) if target else None,
        milestones=[parse_milestone(m) for m in milestone or []], parent_code=parent,
    )
    with open_ledger(ctx) as ledger, ledger.write() as conn:
        new_code = add_task(conn, spec, today=today(), create_units=create_units)
        card = task_card(conn, new_code)
    if json_out:
        from sixbao_cli.render.jsonout import to_json

        emit(to_json(card))
    else:
        emit(t("task.added", code=new_code, title=card.title))


@app.command("list", help=t("task.list.help"), epilog=t("task.list.epilog"))
def list_(
    ctx: typer.Context,
    category: Annotated[str | None, typer.Option("--category", "-c", help=t("opt.category_filter"))] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help=t("opt.unit_filter"))] = None,
    role: Annotated[str, typer.Option("--role", help=t("opt.role"))] = "any",
    leader: Annotated[str | None, typer.Option("--leader", help=t("opt.leader_filter"))] = None,
    status: Annotated[str | None, typer.Option("--status", help=t("opt.status_filter"))] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help=t("opt.due_before"))] = None,
    due_after: Annotated[str | None, typer.Option("--due-after", help=t("opt.due_after"))] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help=t("opt.search"))] = None,
    limit: LimitOpt = None,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.dates import parse_date
    from sixbao_cli.services.tasks import TaskFilter, list_tasks
    from sixbao_cli.vocab import parse_role, parse_status

    flt = TaskFilter(
        category=category, unit=unit, unit_role=parse_role(role), leader=leader,
        status=parse_status(status) if status else None,
        deadline_before=parse_date(due_before, field="--due-before") if due_before else None,
        deadline_after=parse_date(due_after, field="--due-after") if due_after else None,
        text=search, limit=limit,
    )
    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        rows = list_tasks(conn, flt)
    from sixbao_cli.render.tasks import render_task_list

    output(rows, json_out, render_task_list)


@app.command("show", help=t("task.show.help"), epilog=t("task.show.epilog"))
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help=t("arg.code"))],
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.services.tasks import task_card

    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        card = task_card(conn, code)
    from sixbao_cli.render.tasks import render_card

    output(card, json_out, render_card)


@app.command("edit", help=t("task.edit.help"), epilog=t("task.edit.epilog"))
def edit(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help=t("arg.code"))],
    title: Annotated[str | None, typer.Option("--title", help=t("opt.new_title"))] = None,
    body: Annotated[str | None, typer.Option("--text", help=t("opt.text"))] = None,
    category: Annotated[str | None, typer.Option("--category", "-c", help=t("opt.category"))] = None,
    lead: Lead = None,
    support: Support = None,
    leader: Leader = None,
    start: Annotated[str | None, typer.Option("--start", help=t("opt.start"))] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", "-d", help=t("opt.deadline"))] = None,
    target: Annotated[str | None, typer.Option("--target", help=t("opt.target"))] = None,
    no_target: Annotated[bool, typer.Option("--no-target", help=t("opt.no_target"))] = False,
    milestone: Milestone = None,
    no_milestones: Annotated[bool, typer.Option("--no-milestones", help=t("opt.no_milestones"))] = False,
    status: Annotated[str | None, typer.Option("--status", help=t("opt.status_set"))] = None,
    reason: Annotated[str | None, typer.Option("--reason", help=t("opt.reason"))] = None,
    force: Annotated[bool, typer.Option("--force", help=t("opt.force_closed"))] = False,
    create_units: CreateUnits = False,
) -> None:
    from sixbao_cli.dates import parse_date
    from sixbao_cli.quantities import parse_milestone, parse_target
    from sixbao_cli.services.tasks import TaskChanges, edit_task
    from sixbao_cli.vocab import parse_status

    changes = TaskChanges(
        title=title, body=body, category=category, leads=_units(lead), supports=_units(support),
        leaders=_leaders(leader), start=parse_date(start, field="--start") if start else None,
        deadline=parse_date(deadline, field="--deadline") if deadline else None,
        target=parse_target(target) if target else None, clear_target=no_target,
        milestones=[] if no_milestones else ([parse_milestone(m) for m in milestone] if milestone else None),
        status=parse_status(status) if status else None,
    )
    with open_ledger(ctx) as ledger, ledger.write() as conn:
        done = edit_task(conn, code, changes, force=force, reason=reason, create_units=create_units)
    if not done:
        note(t("task.edit.nothing", code=code.upper()))
        return
    for name, old, new in done:
        note(t("task.edit.changed", field=t(f"field.{name}"), old=_show(old), new=_show(new)))


def _show(value: object) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return "、".join(map(str, value))
    from sixbao_cli.vocab import STATUSES, status_label

    return status_label(value) if value in STATUSES else str(value)


@app.command("done", help=t("task.done.help"), epilog=t("task.done.epilog"))
def done(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help=t("arg.code"))],
    note_text: Annotated[str, typer.Option("--note", help=t("opt.done_note"))],
) -> None:
    from sixbao_cli.services.tasks import close_task

    with open_ledger(ctx) as ledger, ledger.write() as conn:
        closed = close_task(conn, code, note=note_text)
    emit(t("task.closed", code=closed))
