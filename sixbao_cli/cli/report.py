"""``sixbao report overdue|slow|stale|units|weekly|rules``: the supervision reports.

Every report answers as of ``--as-of`` (default today) from what the ledger
knew then, so a past week's report rebuilds the same. Output goes to the
terminal, or to files with ``--out`` (the format from each file's suffix or
``--format``), written whole or not at all — fit for cron.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, emit, note, open_ledger
from sixbao_cli.messages import t

app = typer.Typer(name="report", help=t("report.help"), no_args_is_help=True)

FORMATS = ("terminal", "markdown", "html", "csv", "json")
_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".csv": "csv",
           ".json": "json", ".txt": "terminal"}

AsOf = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help=t("opt.as_of"))]
Category = Annotated[str | None, typer.Option("--category", "-c", help=t("opt.category_filter"))]
Unit = Annotated[str | None, typer.Option("--unit", "-u", help=t("opt.report_filter_unit"))]
Leader = Annotated[str | None, typer.Option("--leader", help=t("opt.leader_filter"))]
Doc = Annotated[str | None, typer.Option("--doc", help=t("opt.report_doc"))]
Rules = Annotated[Path | None, typer.Option("--rules", metavar="FILE", help=t("opt.rules"))]
Format = Annotated[str | None, typer.Option("--format", "-f", metavar="|".join(FORMATS), help=t("opt.format"))]
Out = Annotated[list[Path] | None, typer.Option("--out", "-o", metavar="FILE", help=t("opt.out"))]
FailOn = Annotated[str, typer.Option("--fail-on", metavar="red|yellow|never", help=t("opt.fail_on"))]
DryRun = Annotated[bool, typer.Option("--dry-run", help=t("opt.report_dry_run"))]
Since = Annotated[str | None, typer.Option("--since", metavar="DATE", help=t("opt.ranking_since"))]
Limit = Annotated[int, typer.Option("--limit", min=0, metavar="N", help=t("opt.report_limit"))]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=t("opt.report_quiet"))]


def _as_of(text: str | None, option: str = "--as-of") -> date:
    from sixbao_cli.clock import china_today
    from sixbao_cli.dates import parse_date
    from sixbao_cli.errors import InvalidInput

    now = china_today()  # the plans' calendar, whatever the host's time zone
    if text is None:
        return now
    day = parse_date(text, today=now, field=option)
    if day > now:
        raise InvalidInput("report.as_of_future", option=option, day=day, today=now)
    if day.year < 2000:
        raise InvalidInput("report.as_of_too_early", option=option, day=day)
    return day


def _targets(fmt: str | None, outs: list[Path] | None) -> list[tuple[str, Path | None]]:
    """(format, file) pairs: each ``--out`` with its format, or the screen."""
    from sixbao_cli.errors import InvalidInput
    from sixbao_cli.outfiles import format_of

    if fmt is not None and fmt not in FORMATS:
        raise InvalidInput("report.bad_format", value=fmt, known=" | ".join(FORMATS))
    if not outs:
        return [(fmt or "terminal", None)]
    return [(fmt or format_of(path, _SUFFIX, format_option=True), path) for path in outs]


def _run(ctx: typer.Context, kind: str, *, as_of: str | None, category: str | None, unit: str | None,
         leader: str | None, doc: str | None, rules: Path | None, fmt: str | None, out: list[Path] | None,
         fail_on: str, dry_run: bool, quiet: bool = False, json_out: bool = False, period: str = "week",
         number: int | None = None, since: str | None = None, limit: int = 200) -> None:
    from sixbao_cli.errors import ExitCode, InvalidInput
    from sixbao_cli.services import keeping, kept_facts, verdicts
    from sixbao_cli.services.ledger_settings import effective_rules
    from sixbao_cli.services.reports import ReportFilter, build_report

    if json_out:
        if fmt not in (None, "json"):
            raise InvalidInput("report.json_and_format", value=fmt)
        fmt = "json"
    if fail_on not in ("red", "yellow", "never"):
        raise InvalidInput("report.bad_fail_on", value=fail_on)
    if period not in ("week", "xun"):
        raise InvalidInput("report.bad_period", value=period)
    day = _as_of(as_of)
    start = _as_of(since, "--since") if since else None
    targets = _targets(fmt, out)
    flt = ReportFilter(category=category, unit=unit, leader=leader, document=doc)
    with open_ledger(ctx, create=False) as ledger, ledger.connection() as conn:
        with ledger.read(conn):
            chosen_rules, _ = effective_rules(conn, rules)
            reached = verdicts.reach(conn)
            kept = verdicts.load(conn, chosen_rules, reached)
            facts = kept_facts.load(conn, day, reached)
            report = build_report(conn, kind, day, chosen_rules, flt, period_kind=period, number=number,
                                  since=start, limit=limit or None, kept=kept, facts=facts)
        _deliver(report, targets, dry_run, quiet)
        keeping.keep(ledger, conn, kept, facts)  # after the output: a report never waits on it
    red, yellow = report.totals.red, report.totals.yellow if fail_on == "yellow" else 0
    if fail_on != "never" and (red or yellow):
        key = "report.fail_on_red" if not yellow else "report.fail_on_yellow" if not red else "report.fail_on_both"
        note(t(key, red=red, yellow=yellow))
        raise typer.Exit(ExitCode.FLAGGED)


def _deliver(report, targets: list[tuple[str, Path | None]], dry_run: bool, quiet: bool) -> None:
    from sixbao_cli.outfiles import check, write_all
    from sixbao_cli.render.report_files import render

    if targets == [("terminal", None)] and not dry_run:
        from sixbao_cli.render.report_layout import layout
        from sixbao_cli.render.report_terminal import render_layout
        from sixbao_cli.render.text import stdout_console

        render_layout(stdout_console(), layout(report))
        return
    if dry_run:
        for _, path in targets:
            if path is not None:
                check(path)  # fail as the real write would, writing nothing
    texts = [(fmt, path, render(report, fmt)) for fmt, path in targets]
    if dry_run:
        for fmt, path, text in texts:
            note(t("report.would_write", file=str(path) if path else t("report.stdout"), format=fmt,
                   size=len(text.encode("utf-8"))))
        note(t("report.dry_run_summary", tasks=report.totals.tasks, red=report.totals.red,
               yellow=report.totals.yellow, items=len(report.items)))
        return
    to_screen = [text for _, path, text in texts if path is None]
    write_all([(path, text) for _, path, text in texts if path is not None])
    for text in to_screen:
        emit(text.rstrip("\n"))
    if quiet:
        return
    for _, path, _ in texts:
        if path is not None:
            note(t("report.written", file=str(path)))


@app.command("weekly", help=t("report.weekly.help"), epilog=t("report.weekly.epilog"))
def weekly(ctx: typer.Context, as_of: AsOf = None,
           period: Annotated[str, typer.Option("--period", metavar="week|xun", help=t("opt.period"))] = "week",
           number: Annotated[int | None, typer.Option("--number", min=1, help=t("opt.issue_number"))] = None,
           since: Since = None, category: Category = None, unit: Unit = None, leader: Leader = None, doc: Doc = None,
           rules: Rules = None, fmt: Format = None, out: Out = None, fail_on: FailOn = "never",
           dry_run: DryRun = False, quiet: Quiet = False, json_out: JsonOpt = False, limit: Limit = 200) -> None:
    _run(ctx, "weekly", as_of=as_of, category=category, unit=unit, leader=leader, doc=doc, rules=rules, fmt=fmt,
         out=out, fail_on=fail_on, dry_run=dry_run, quiet=quiet, json_out=json_out, period=period, number=number,
         since=since, limit=limit)


def _list_command(kind: str):
    """``report overdue | slow | stale``: one list each, the same options."""
    def command(ctx: typer.Context, as_of: AsOf = None, category: Category = None, unit: Unit = None,
                leader: Leader = None, doc: Doc = None, rules: Rules = None, fmt: Format = None, out: Out = None,
                fail_on: FailOn = "never", dry_run: DryRun = False, quiet: Quiet = False, json_out: JsonOpt = False,
                limit: Limit = 200) -> None:
        _run(ctx, kind, as_of=as_of, category=category, unit=unit, leader=leader, doc=doc, rules=rules, fmt=fmt,
             out=out, fail_on=fail_on, dry_run=dry_run, quiet=quiet, json_out=json_out, limit=limit)

    command.__name__ = kind
    return command


for _kind in ("overdue", "slow", "stale"):
    app.command(_kind, help=t(f"report.{_kind}.help"), epilog=t(f"report.{_kind}.epilog"))(_list_command(_kind))


@app.command("units", help=t("report.units.help"), epilog=t("report.units.epilog"))
def units(ctx: typer.Context, as_of: AsOf = None, since: Since = None, category: Category = None,
          unit: Unit = None, leader: Leader = None, doc: Doc = None, rules: Rules = None, fmt: Format = None,
          out: Out = None, fail_on: FailOn = "never", dry_run: DryRun = False, quiet: Quiet = False,
          json_out: JsonOpt = False, limit: Limit = 200) -> None:
    _run(ctx, "units", as_of=as_of, category=category, unit=unit, leader=leader, doc=doc, rules=rules, fmt=fmt,
         out=out, fail_on=fail_on, dry_run=dry_run, quiet=quiet, json_out=json_out, since=since, limit=limit)


@app.command("rules", help=t("report.rules.help"), epilog=t("report.rules.epilog"))
def rules_(ctx: typer.Context,
           use: Annotated[Path | None, typer.Option("--set", metavar="FILE", help=t("opt.rules_set"))] = None,
           reset: Annotated[bool, typer.Option("--reset", help=t("opt.rules_reset"))] = False,
           rules: Rules = None) -> None:
    from sixbao_cli.errors import InvalidInput
    from sixbao_cli.render.text import stdout_console
    from sixbao_cli.services.ledger_settings import RULES_KEY, clear_setting, effective_rules, store_rules

    if use is not None and reset:
        raise InvalidInput("report.rules_set_and_reset")
    if use is not None or reset:
        with open_ledger(ctx, create=False) as ledger, ledger.write() as conn:
            if use is not None:
                store_rules(conn, use)
                note(t("report.rules_stored", file=str(use)))
            else:
                cleared = clear_setting(conn, RULES_KEY)
                note(t("report.rules_reset" if cleared else "report.rules_were_default"))
        return
    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        chosen, source = effective_rules(conn, rules)
    from sixbao_cli.render.report_rules import render_rules

    render_rules(stdout_console(), chosen, source)
