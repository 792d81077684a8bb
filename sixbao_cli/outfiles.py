"""Writing output files whole or not at all: reports, exports and fill-in sheets.

A report, export or template lands in a folder others open (cron writes the
周报 into a shared drive): a reader must never see half a file, and a run that
fails must leave the previous one as it was. So every file is written beside
its destination under a temporary name and moved into place when complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sixbao_cli.errors import InvalidInput
from sixbao_cli.messages import os_reason, t


def format_of(path: Path, suffixes: Mapping[str, str], *, format_option: bool = False) -> str:
    """The format ``suffixes`` (".csv" -> "csv" …) give the file ``path``'s suffix; any other suffix is refused.

    A file's name must not contradict its content: CSV text written into r.xls
    is a file neither Excel nor ``import`` reads back. ``format_option`` says
    the command has ``--format``, which the message then offers.
    """
    chosen = suffixes.get(Path(path).suffix.lower())
    if chosen is None:
        raise InvalidInput("out.unknown_suffix_or_format" if format_option else "out.unknown_suffix",
                           file=str(path), known=t("sep.list").join(suffixes))
    return chosen


def _unwritable(path: Path, exc: OSError) -> InvalidInput:
    return InvalidInput("out.unwritable", file=str(path), reason=os_reason(exc))


def stage(path: Path) -> str:
    """An empty temporary file beside ``path`` (its name), or :class:`InvalidInput` saying why there can be none."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidInput("out.is_dir", file=str(path))
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except FileNotFoundError:
        raise InvalidInput("out.no_dir", file=str(path), dir=str(target.parent)) from None
    except OSError as exc:
        raise _unwritable(path, exc) from None
    os.close(fd)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temp, 0o644 & ~mask)  # mkstemp makes it 0600; a report is for others to read
    return temp


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A temporary file beside ``path`` to write (yielded by name), moved into place only if the block succeeds.

    On any error the temporary file is removed, whatever stood at ``path`` is
    untouched, and an OSError becomes one clear :class:`InvalidInput`.
    """
    temp = stage(path)
    try:
        yield temp
        os.replace(temp, Path(path).expanduser())
    except OSError as exc:
        _remove(temp)
        raise _unwritable(path, exc) from None
    except BaseException:
        _remove(temp)
        raise


def write_all(files: list[tuple[Path, str]]) -> None:
    """Write every (path, UTF-8 text) or none: all staged first, then each moved into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            temp = stage(path)
            staged.append((temp, path))
            try:
                with open(temp, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            except OSError as exc:
                raise _unwritable(path, exc) from None
        for temp, path in staged:
            os.replace(temp, Path(path).expanduser())
    except BaseException:
        for temp, _ in staged:
            _remove(temp)
        raise


def _remove(temp: str) -> None:
    if os.path.exists(temp):
        os.unlink(temp)
