"""Files that ship with sixbao: the Alembic environment and the seed plans.

In an installed wheel they live inside the package (``sixbao_cli/migrations``,
``sixbao_cli/seed``); in a source checkout they stand at the top of the
repository, beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The shipped folder ``name`` (``migrations`` or ``seed``)."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def seed_plans() -> list[Path]:
    """The seed plans, in file-name order."""
    return sorted(shipped("seed").glob("*.txt"))
