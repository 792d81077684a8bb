"""Writing output files whole or not at all: reports, exports and fill-in sheets.

A report, export or template lands in a folder others open (cron writes the
周报 into a shared drive): a reader must never see half a file, and a run that
fails must leave the previous one as it was. So every regular file is written
beside its destination under a temporary name, flushed to disk and moved into
place when complete, keeping the permissions (and, where allowed, the owner
and group) of the file it replaces.

What is not a regular file is written through, never replaced: a device such
as ``/dev/null``, a FIFO, or ``/dev/stdout`` (a cron job run as root must not
turn the system's ``/dev/null`` into a report). A symbolic link is followed and
its target replaced, so the link stays a link.

This is written by hand rather than taken from a library: ``atomicwrites``, the
usual choice, is archived by its author and neither follows links, keeps a
replaced file's mode nor writes through devices; those three are the point here.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
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

# Paths through these name an open file descriptor (/dev/stdout → /proc/self/fd/1): whatever it
# leads to, the descriptor is written to, never a file replaced under it.
_DESCRIPTOR_DIRS = ("/proc/", "/dev/fd/")
_MAX_LINKS = 40  # as the kernel's own limit on a chain of symbolic links


@dataclass(frozen=True)
class Destination:
    """Where output for a path the user gave really goes."""

    path: Path  # the file to write: the path itself, or the end of its chain of links
    stream: bool  # written through (a device, a FIFO, a descriptor), not replaced
    mode: int | None = None  # permission bits of the regular file it replaces
    owner: tuple[int, int] | None = None  # its (uid, gid)


def _unwritable(path: Path, exc: OSError) -> InvalidInput:
    return InvalidInput("out.unwritable", file=str(path), reason=os_reason(exc))


def destination(path: Path) -> Destination:
    """Follow ``path``'s symbolic links to what will be written; :class:`InvalidInput` if it is a directory."""
    current = str(Path(path).expanduser())
    for _ in range(_MAX_LINKS):
        if current.startswith(_DESCRIPTOR_DIRS):
            return Destination(Path(current), stream=True)
        try:
            info = os.lstat(current)
        except OSError:
            return Destination(Path(current), stream=False)  # a new file; staging says what is wrong, if anything
        if stat.S_ISLNK(info.st_mode):
            # joined, not normalised: "dir/../x" must mean what the system makes of it
            current = os.path.join(os.path.dirname(current), os.readlink(current))
            continue
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput("out.is_dir", file=str(path))
        if not stat.S_ISREG(info.st_mode):
            return Destination(Path(current), stream=True)
        return Destination(Path(current), stream=False, mode=stat.S_IMODE(info.st_mode),
                           owner=(info.st_uid, info.st_gid))
    raise _unwritable(path, OSError(errno.ELOOP, os.strerror(errno.ELOOP)))


def check(path: Path) -> Destination:
    """Everything a write to ``path`` would check, without writing: :class:`InvalidInput` saying why it would fail."""
    dest = destination(path)
    if dest.stream:
        if not os.access(dest.path, os.W_OK):
            raise _unwritable(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
        return dest
    folder = dest.path.parent
    if not folder.exists():
        raise InvalidInput("out.no_dir", file=str(path), dir=str(folder))
    if not folder.is_dir():
        raise _unwritable(path, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _unwritable(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
    return dest


def stage(path: Path, dest: Destination | None = None) -> str:
    """An empty temporary file beside where ``path`` leads (its name), for :func:`_settle` once written.

    Raises :class:`InvalidInput` saying why there can be none.
    """
    dest = dest or destination(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{dest.path.name}.", suffix=".tmp", dir=dest.path.parent)
    except FileNotFoundError:
        raise InvalidInput("out.no_dir", file=str(path), dir=str(dest.path.parent)) from None
    except OSError as exc:
        raise _unwritable(path, exc) from None
    os.close(fd)  # writable by its owner while it is written; :func:`_settle` gives it its mode before the move
    return temp


def _settle(temp: str, dest: Destination) -> None:
    """Give a written temporary file the mode (and owner, as far as allowed) of the file it replaces.

    Only now, after writing: a file replaced read-only (0444) would otherwise
    refuse its own content, though the folder allows the replacement.
    """
    fd = os.open(temp, os.O_RDONLY)
    try:
        if dest.mode is None:
            mask = os.umask(0)
            os.umask(mask)
            os.fchmod(fd, 0o644 & ~mask)  # mkstemp makes it 0600; a report is for others to read
        else:
            _keep_owner(fd, dest.owner)
            os.fchmod(fd, dest.mode)  # after chown, which may clear set-id bits
    finally:
        os.close(fd)


def _keep_owner(fd: int, owner: tuple[int, int] | None) -> None:
    """Give the new file the old one's owner and group, or at least its group, as far as we are allowed."""
    if owner is None:
        return
    uid, gid = owner
    for wanted in ((uid, gid), (-1, gid)):
        try:
            os.fchown(fd, *wanted)
            return
        except OSError:
            continue


def _sync(name: str) -> None:
    """Flush a written file to disk, so a crash after the rename cannot leave it empty."""
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename itself has happened
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A file name to write ``path``'s content to, in place only if the block succeeds.

    For a regular file it is a temporary file beside the destination, moved
    into place at the end; on any error it is removed and whatever stood at
    ``path`` is untouched. For a device, FIFO or descriptor it is the
    destination itself, written through. An OSError becomes one clear
    :class:`InvalidInput`.
    """
    dest = destination(path)
    if dest.stream:
        # Written whole into a temporary file, then appended: opened for writing, /dev/stdout redirected
        # to a log (cron's ">> log") would be truncated, and a workbook needs a file it can seek in.
        fd, temp = tempfile.mkstemp(prefix="sixbao-out-", suffix=Path(path).suffix)
        os.close(fd)
        try:
            yield temp
            with open(temp, "rb") as source, open(dest.path, "ab") as target:
                shutil.copyfileobj(source, target)
        except OSError as exc:
            raise _unwritable(path, exc) from None
        finally:
            _remove(temp)
        return
    temp = stage(path, dest)
    try:
        yield temp
        _sync(temp)
        _settle(temp, dest)
        os.replace(temp, dest.path)
    except OSError as exc:
        _remove(temp)
        raise _unwritable(path, exc) from None
    except BaseException:
        _remove(temp)
        raise
    _sync_folder(dest.path.parent)


def write_all(files: list[tuple[Path, str]]) -> None:
    """Write every (path, UTF-8 text) or none.

    Regular files are all staged and flushed first; then devices and the like
    are written through; then each staged file is moved into place.
    """
    staged: list[tuple[str, Path]] = []
    streams: list[tuple[Path, Path, str]] = []
    try:
        for path, text in files:
            dest = destination(path)
            if dest.stream:
                streams.append((path, dest.path, text))
                continue
            temp = stage(path, dest)
            staged.append((temp, dest.path))
            try:
                with open(temp, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                _settle(temp, dest)
            except OSError as exc:
                raise _unwritable(path, exc) from None
        for path, target, text in streams:
            try:
                # appending: /dev/stdout redirected to a log (cron's ">> log") must not truncate it
                with open(target, "a", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            except OSError as exc:
                raise _unwritable(path, exc) from None
        for temp, target in staged:
            os.replace(temp, target)
    except BaseException:
        for temp, _ in staged:
            _remove(temp)
        raise
    for folder in {target.parent for _, target in staged}:
        _sync_folder(folder)


def _remove(temp: str) -> None:
    if os.path.exists(temp):
        os.unlink(temp)
