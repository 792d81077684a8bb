"""``sixbao unit list|add|alias``."""

from __future__ import annotations

from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, emit, open_ledger, output
from sixbao_cli.messages import t

app = typer.Typer(name="unit", help=t("unit.help"), no_args_is_help=True)


@app.command("list", help=t("unit.list.help"), epilog=t("unit.list.epilog"))
def list_(
    ctx: typer.Context,
    search: Annotated[str | None, typer.Option("--search", "-q", help=t("opt.unit_search"))] = None,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.services.units import list_units

    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        rows = list_units(conn, search=search)
    from sixbao_cli.render.units import render_unit_list

    output(rows, json_out, render_unit_list)


@app.command("add", help=t("unit.add.help"), epilog=t("unit.add.epilog"))
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="UNIT", help=t("arg.unit_name"))],
    alias: Annotated[list[str] | None, typer.Option("--alias", "-a", help=t("opt.alias"))] = None,
    parent: Annotated[str | None, typer.Option("--parent", help=t("opt.unit_parent"))] = None,
    region: Annotated[str | None, typer.Option("--region", help=t("opt.region"))] = None,
) -> None:
    from sixbao_cli.services.units import add_unit
    from sixbao_cli.units import normalize_name

    with open_ledger(ctx) as ledger, ledger.write() as conn:
        add_unit(conn, name, aliases=alias or [], parent=parent, region=region)
    emit(t("unit.added", name=normalize_name(name)))


@app.command("alias", help=t("unit.alias.help"), epilog=t("unit.alias.epilog"))
def alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="UNIT", help=t("arg.unit_name"))],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS…", help=t("arg.aliases"))],
) -> None:
    from sixbao_cli.services.units import add_alias

    with open_ledger(ctx) as ledger, ledger.write() as conn:
        pairs = [add_alias(conn, name, a) for a in aliases]
    for unit_name, a in pairs:
        emit(t("unit.aliased", alias=a, name=unit_name))
