"""Where the ledger lives and which language to speak.

Kept free of heavy imports: the CLI reads these before deciding whether the
database stack is needed at all.
"""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "SIXBAO_DB"
LANG_ENV = "SIXBAO_LANG"
BUSY_TIMEOUT_ENV = "SIXBAO_BUSY_TIMEOUT"
LEDGER_FILE = "ledger.db"


def default_db_path() -> Path:
    """The embedded ledger in the user's data directory (XDG_DATA_HOME on Linux)."""
    import platformdirs  # cheap, but only needed here

    return platformdirs.user_data_path("sixbao", appauthor=False) / LEDGER_FILE


def resolve_db_url(option: str | None) -> str:
    """Turn ``--db``, else ``$SIXBAO_DB``, else the default path, into a SQLAlchemy URL.

    The default's directory is created on the way (readable by its owner only).
    A plain path becomes an absolute ``sqlite:///`` URL; ``postgres://`` and
    ``postgresql://`` get the psycopg 3 driver.
    """
    value = option or os.environ.get(DB_ENV)
    if not value:
        path = default_db_path()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        value = str(path)
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().absolute())
    scheme, rest = value.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg://" + rest
    return value


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or None for other databases and in-memory ones."""
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///"):].split("?", 1)[0]
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    return Path(path)


def display_url(url: str) -> str:
    """The URL with any password hidden, fit to print."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def busy_timeout(default: float) -> float:
    """Seconds to wait for a ledger another program holds locked: ``$SIXBAO_BUSY_TIMEOUT``, else ``default``.

    Cron jobs that must not hang set it low; an office whose large imports take
    longer than the default sets it higher.
    """
    value = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        from sixbao_cli.errors import InvalidInput

        raise InvalidInput("db.bad_busy_timeout", name=BUSY_TIMEOUT_ENV, value=value)
    return seconds
