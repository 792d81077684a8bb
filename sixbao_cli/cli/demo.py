"""``sixbao demo``: a ledger to look around in."""

from __future__ import annotations

import typer

from sixbao_cli.cli.common import open_ledger, today


def demo(ctx: typer.Context) -> None:
    from sixbao_cli.render.demo import render_demo
    from sixbao_cli.render.text import stdout_console
    from sixbao_cli.services.demo import build_demo

    with open_ledger(ctx) as ledger:
        with ledger.write() as conn:
            summary = build_demo(conn, today=today())
        render_demo(stdout_console(), ledger.where, summary)
