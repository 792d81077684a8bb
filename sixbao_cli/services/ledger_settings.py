"""Per-ledger settings, and the supervision rules a ledger uses.

A shared (PostgreSQL) ledger is read from many desks, so the office's own
rules are kept in the ledger itself, as the TOML text, rather than as a path
that exists on one machine only.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.messages import t
from sixbao_cli.rules import Rules, load_rules

RULES_KEY = "rules"


def get_setting(conn: Connection, key: str) -> str | None:
    """The setting's value, or None when it is not set."""
    return conn.execute(select(T.setting.c.value).where(T.setting.c.key == key)).scalar()


def set_setting(conn: Connection, key: str, value: str) -> None:
    """Set ``key`` to ``value``, replacing any earlier value."""
    if get_setting(conn, key) is None:
        conn.execute(insert(T.setting).values(key=key, value=value))
    else:
        conn.execute(update(T.setting).where(T.setting.c.key == key).values(value=value))


def clear_setting(conn: Connection, key: str) -> bool:
    """Remove ``key``; False when it was not set."""
    return conn.execute(delete(T.setting).where(T.setting.c.key == key)).rowcount > 0


def effective_rules(conn: Connection, path: Path | None) -> tuple[Rules, str]:
    """The rules a report uses, and where they came from: ``--rules FILE``, else the ledger's, else the defaults."""
    if path is not None:
        return load_rules(path), str(path)
    stored = get_setting(conn, RULES_KEY)
    if stored is not None:
        name = t("rules.stored_name")  # errors name the stored rules in place of a file
        return load_rules(text=stored, name=name), name
    return load_rules(), "rules_default.toml"


def store_rules(conn: Connection, path: Path) -> Rules:
    """Check the rules file at ``path`` and keep its text as the ledger's rules."""
    from sixbao_cli.rules import read_rules_text

    text = read_rules_text(path)
    rules = load_rules(text=text, name=str(path))
    set_setting(conn, RULES_KEY, text)
    return rules
