"""A report in each format as text, and writing report files whole or not at all.

Cron writes the 周报 into a shared folder that others open: a reader must
never see half a file, and a run that fails must leave the last good one. So
every file is written beside its destination under a temporary name and moved
into place only when all of them are written.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sixbao_cli.errors import InvalidInput
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


def write_all(files: list[tuple[Path, str]]) -> None:
    """Write every (path, text) or none: temporary files first, then each moved into place.

    A path that cannot be written raises :class:`InvalidInput` naming it, and
    the temporary files already made are removed.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            staged.append((_stage(path, text), path))
        for temp, path in staged:
            os.replace(temp, path)
    except BaseException:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)
        raise


def _stage(path: Path, text: str) -> str:
    target = path.expanduser()
    if target.is_dir():
        raise InvalidInput("report.out_is_dir", file=str(path))
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path("."))
    except FileNotFoundError:
        raise InvalidInput("report.out_no_dir", file=str(path), dir=str(target.parent)) from None
    except OSError as exc:
        raise InvalidInput("report.out_unwritable", file=str(path), reason=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, 0o644 & ~_umask())
    except OSError as exc:
        os.unlink(temp)
        raise InvalidInput("report.out_unwritable", file=str(path), reason=exc.strerror or str(exc)) from None
    return temp


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A temporary file beside ``path`` to write (yielded by name), moved into place only if the block succeeds.

    For outputs too large to hold as text (an export of every progress entry):
    the writer streams into the temporary file; on any error it is removed and
    whatever stood at ``path`` before is untouched.
    """
    temp = _stage(path, "")
    try:
        yield temp
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
