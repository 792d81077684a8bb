"""Domain errors and the exit codes they map to.

Every failure a user can cause is a :class:`SixbaoError` carrying a catalog key
and its parameters; the CLI prints ``error.message()`` as one line on stderr
and exits with ``error.exit_code``. Nothing here imports the CLI stack.
"""

from __future__ import annotations

from enum import IntEnum

from sixbao_cli.messages import lang, t


class ExitCode(IntEnum):
    """Process exit codes; documented in the README and stable for cron wrappers."""

    OK = 0
    FAILURE = 1  # an unexpected internal error
    USAGE = 2  # bad command-line syntax (click's own code)
    NOT_FOUND = 3  # unknown task, unit, entry
    INVALID = 4  # a value that cannot be accepted
    CONFLICT = 5  # the ledger's state forbids it (销号 task, duplicate code)
    DATABASE = 6  # the ledger cannot be opened or written
    SCHEMA = 7  # the ledger's schema is newer than this program, or foreign
    FLAGGED = 8  # report --fail-on: red (or yellow) tasks found; the report itself was written
    UNHEALTHY = 9  # db check: the ledger failed an integrity, key or consistency check; the report was printed


class SixbaoError(Exception):
    """A failure with a catalogued, translated message."""

    exit_code = ExitCode.FAILURE

    def __init__(self, key: str, *, where: str | None = None, hint: str | None = None, **params: object):
        self.key = key
        self.where = where
        self.hint = hint
        self.params = params
        super().__init__(key)

    def message(self) -> str:
        """The whole line: where, what, and how to fix it."""
        text = t(self.key, **self.params)
        if self.where:
            text = f"{self.where}: {text}"
        if self.hint:
            text = f"{text}{' ' if lang() == 'en' else ''}{self.hint}"
        return text

    def __str__(self) -> str:
        return self.message()


class NotFound(SixbaoError):
    exit_code = ExitCode.NOT_FOUND


class InvalidInput(SixbaoError):
    exit_code = ExitCode.INVALID


class Conflict(SixbaoError):
    exit_code = ExitCode.CONFLICT


class LedgerUnavailable(SixbaoError):
    exit_code = ExitCode.DATABASE


class SchemaMismatch(SixbaoError):
    exit_code = ExitCode.SCHEMA
