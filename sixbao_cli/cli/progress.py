"""``sixbao progress add|correct|list``."""

from __future__ import annotations

from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, LimitOpt, emit, interactive, note, open_ledger, output, today
from sixbao_cli.errors import ExitCode
from sixbao_cli.messages import t

app = typer.Typer(name="progress", help=t("progress.help"), no_args_is_help=True)

Percent = Annotated[str | None, typer.Option("--percent", "-p", help=t("opt.percent"))]
Value = Annotated[str | None, typer.Option("--value", help=t("opt.value"))]
When = Annotated[str | None, typer.Option("--date", help=t("opt.report_date"))]
Unit = Annotated[str | None, typer.Option("--unit", "-u", help=t("opt.report_unit"))]
Note = Annotated[str | None, typer.Option("--note", help=t("opt.progress_note"))]
Problems = Annotated[str | None, typer.Option("--problems", help=t("opt.problems"))]
Next = Annotated[str | None, typer.Option("--next", help=t("opt.next"))]
Reporter = Annotated[str | None, typer.Option("--reporter", help=t("opt.reporter"))]


def _ask(prompt: str, parse, *, default: str | None = None):
    """Ask until the answer parses; the parser's own message explains a refusal."""
    from sixbao_cli.errors import SixbaoError

    while True:
        answer = typer.prompt(prompt, default=default, show_default=default is not None)
        try:
            return parse(answer)
        except SixbaoError as exc:
            note(exc.message())


@app.command("add", help=t("progress.add.help"), epilog=t("progress.add.epilog"))
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help=t("arg.code"))],
    percent: Percent = None,
    value: Value = None,
    when: When = None,
    unit: Unit = None,
    note_text: Note = None,
    problems: Problems = None,
    next_steps: Next = None,
    reporter: Reporter = None,
) -> None:
    from sixbao_cli.dates import parse_date
    from sixbao_cli.quantities import parse_number, parse_percent
    from sixbao_cli.services.progress import ProgressSpec, add_progress, task_for_report

    pct = parse_percent(percent) if percent is not None else None
    val = parse_number(value, field="--value") if value is not None else None
    day = parse_date(when, field="--date", today=today()) if when else None
    missing = [name for name, v in (("--percent/--value", pct if val is None else val), ("--date", day),
                                    ("--unit", unit), ("--note", note_text)) if v is None]
    if missing and not interactive():
        from sixbao_cli.cli.common import error_line

        error_line(t("progress.add.missing", options=t("sep.list").join(missing), code=code))
        raise typer.Exit(ExitCode.USAGE)
    with open_ledger(ctx) as ledger:
        if missing:
            with ledger.read() as conn:
                task = task_for_report(conn, code)
                if unit is None:
                    unit = _ask_unit(conn, task)
            if pct is None and val is None:
                pct = _ask(t("prompt.percent"), parse_percent)
            if day is None:
                day = _ask(t("prompt.date"), lambda s: _report_day(s, task.code, task.start),
                           default=today().isoformat())
            if note_text is None:
                note_text = typer.prompt(t("prompt.note"))
            if problems is None:
                problems = typer.prompt(t("prompt.problems"), default="", show_default=False) or None
            if next_steps is None:
                next_steps = typer.prompt(t("prompt.next"), default="", show_default=False) or None
        spec = ProgressSpec(code=code, unit=unit, date=day, percent=pct, value=val, note=note_text,
                            problems=problems, next_steps=next_steps, reporter=reporter)
        with ledger.write() as conn:
            entry_id = add_progress(conn, spec, today=today())
    emit(t("progress.added", id=entry_id, code=code.upper(), date=day,
           amount=_amount(pct, val)))


def _ask_unit(conn, task) -> str:
    """Ask for the reporting unit until it is one of the task's units (names or aliases)."""
    from sixbao_cli.errors import InvalidInput, SixbaoError
    from sixbao_cli.services.units import resolve_unit, unit_name

    note(t("progress.add.units", units=t("sep.list").join(f"{n}（{t('role.' + r)}）" for n, r in task.units.items())))
    leads = [n for n, r in task.units.items() if r == "lead"]

    def check(answer: str) -> str:
        name = unit_name(conn, resolve_unit(conn, answer))
        if name not in task.units:
            raise InvalidInput("progress.unit_not_on_task", unit=name, code=task.code,
                               units=t("sep.list").join(task.units))
        return name

    while True:
        answer = typer.prompt(t("prompt.unit"), default=leads[0] if leads else None)
        try:
            return check(answer)
        except SixbaoError as exc:
            note(exc.message())


def _report_day(text: str, code: str, start):
    """A report date as the prompt accepts it: readable, not in the future, not before the task's start."""
    from sixbao_cli.dates import parse_date
    from sixbao_cli.errors import InvalidInput

    day = parse_date(text, field="--date", today=today())
    if day > today():
        raise InvalidInput("progress.future", date=day, today=today())
    if day < start:
        raise InvalidInput("progress.before_start", date=day, code=code, start=start)
    return day


def _amount(pct: float | None, val: float | None) -> str:
    from sixbao_cli.render.formats import fmt_number, fmt_percent

    return "，".join(x for x in (fmt_percent(pct) if pct is not None else "",
                                  fmt_number(val) if val is not None else "") if x)


@app.command("correct", help=t("progress.correct.help"), epilog=t("progress.correct.epilog"))
def correct(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help=t("arg.entry"))],
    percent: Percent = None,
    value: Value = None,
    when: When = None,
    note_text: Note = None,
    problems: Problems = None,
    next_steps: Next = None,
    reporter: Reporter = None,
) -> None:
    from sixbao_cli.dates import parse_date
    from sixbao_cli.quantities import parse_number, parse_percent
    from sixbao_cli.services.progress import correct_progress

    changes = dict(
        percent=parse_percent(percent) if percent is not None else None,
        value=parse_number(value, field="--value") if value is not None else None,
        date=parse_date(when, field="--date", today=today()) if when else None,
        note=note_text, problems=problems, next_steps=next_steps, reporter=reporter,
    )
    if all(v is None for v in changes.values()):
        from sixbao_cli.cli.common import error_line

        error_line(t("progress.correct.nothing"))
        raise typer.Exit(ExitCode.USAGE)
    with open_ledger(ctx) as ledger, ledger.write() as conn:
        new_id = correct_progress(conn, entry_id, today=today(), **changes)
    emit(t("progress.corrected", id=new_id, old=entry_id))


@app.command("list", help=t("progress.list.help"), epilog=t("progress.list.epilog"))
def list_(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Argument(metavar="CODE", help=t("arg.code_optional"))] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help=t("opt.unit_filter"))] = None,
    since: Annotated[str | None, typer.Option("--since", help=t("opt.since"))] = None,
    until: Annotated[str | None, typer.Option("--until", help=t("opt.until"))] = None,
    effective: Annotated[bool, typer.Option("--effective", help=t("opt.effective"))] = False,
    limit: LimitOpt = None,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.dates import parse_date
    from sixbao_cli.services.progress_query import list_entries
    from sixbao_cli.services.tasks import task_id
    from sixbao_cli.services.units import resolve_unit

    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        entries = list_entries(
            conn, task_id=task_id(conn, code) if code else None, unit_id=resolve_unit(conn, unit) if unit else None,
            since=parse_date(since, field="--since") if since else None,
            until=parse_date(until, field="--until") if until else None, effective_only=effective, limit=limit,
        )
    from sixbao_cli.render.progress import render_progress_list

    output(entries, json_out, render_progress_list)
