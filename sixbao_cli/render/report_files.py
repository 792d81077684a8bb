"""A report in each format as text (files are written by :mod:`sixbao_cli.outfiles`)."""

from __future__ import annotations

import io

from sixbao_cli.services.reports import Report


def render(report: Report, fmt: str) -> str:
    """The report as ``fmt`` text: terminal (plain), markdown, html, csv or json."""
    if fmt == "json":
        from sixbao_cli.render.report_json import to_json

        return to_json(report)
    if fmt == "csv":
        from sixbao_cli.render.report_csv import to_csv

        return to_csv(report)
    from sixbao_cli.render.report_layout import layout

    doc = layout(report)
    if fmt == "markdown":
        from sixbao_cli.render.markdown import to_markdown

        return to_markdown(doc)
    if fmt == "html":
        from sixbao_cli.render.html import to_html

        return to_html(doc)
    from rich.console import Console

    from sixbao_cli.render.report_terminal import render_layout
    from sixbao_cli.render.text import PIPE_WIDTH

    buf = io.StringIO()
    render_layout(Console(file=buf, width=PIPE_WIDTH, no_color=True, color_system=None, force_terminal=False,
                          highlight=False, markup=False), doc)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
