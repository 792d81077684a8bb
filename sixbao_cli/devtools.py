"""Developer commands: regenerate ``tables.py`` and autogenerate a revision.

    python -m sixbao_cli.devtools tables          # rewrite sixbao_cli/tables.py from models.py
    python -m sixbao_cli.devtools revision "msg"  # new revision 000N_msg in migrations/versions

Why ``tables.py`` exists: importing SQLModel (and through it the ORM and
pydantic) costs about 0.15 s of the 0.5 s a ``progress add`` may take on a
2-core machine, so the program at run time works with SQLAlchemy Core tables.
They are generated from ``models.py``, the one schema of record, and
``tests/test_tables_generated.py`` fails when the two drift apart.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint

ROOT = Path(__file__).resolve().parent
TABLES_PY = ROOT / "tables.py"

_TYPES = {
    "AutoString": "String()",
    "String": "String()",
    "Text": "Text()",
    "Integer": "Integer()",
    "BigInteger": "BigInteger()",
    "Float": "Float()",
    "Date": "Date()",
    "Boolean": "Boolean()",
}


def _type(col) -> str:
    name = type(col.type).__name__
    return "UtcDateTime()" if name == "UtcDateTime" else _TYPES[name]


def render_tables() -> str:
    """The source of ``tables.py`` for the current models."""
    from sixbao_cli.models import metadata

    out = [
        '"""SQLAlchemy Core mirror of models.py. GENERATED: do not edit.',
        "",
        "Regenerate with ``python -m sixbao_cli.devtools tables``; see devtools.py for why it exists.",
        '"""',
        "",
        "from sqlalchemy import (",
        "    BigInteger, Boolean, CheckConstraint, Column, Date, Float, ForeignKeyConstraint, Index,",
        "    Integer, MetaData, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, text,",
        ")",
        "",
        "from sixbao_cli.sqltypes import UtcDateTime",
        "",
        "# Every constraint carries the name models.py's naming convention gave it.",
        "metadata = MetaData()",
        "",
    ]
    for table in metadata.sorted_tables:
        out.append(f"{table.name} = Table(")
        out.append(f"    {table.name!r},")
        out.append("    metadata,")
        for col in table.columns:
            out.append(f"    Column({col.name!r}, {_type(col)}, nullable={col.nullable}),")
        for cons in sorted(table.constraints, key=lambda c: (type(c).__name__, str(c.name))):
            cols = [c.name for c in cons.columns] if not isinstance(cons, CheckConstraint) else []
            if isinstance(cons, PrimaryKeyConstraint):
                out.append(f"    PrimaryKeyConstraint(*{cols!r}, name={cons.name!r}),")
            elif isinstance(cons, UniqueConstraint):
                out.append(f"    UniqueConstraint(*{cols!r}, name={cons.name!r}),")
            elif isinstance(cons, ForeignKeyConstraint):
                refs = [e.target_fullname for e in cons.elements]
                out.append(
                    f"    ForeignKeyConstraint({cols!r}, {refs!r}, name={cons.name!r}, ondelete={cons.ondelete!r}),"
                )
            elif isinstance(cons, CheckConstraint):
                out.append(f"    CheckConstraint({str(cons.sqltext)!r}, name={cons.name!r}),")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            cols = [c.name for c in index.columns]
            where = "".join(
                f", {dialect}_where=text({str(index.dialect_options[dialect]['where'])!r})"
                for dialect in ("sqlite", "postgresql") if index.dialect_options[dialect]["where"] is not None
            )
            out.append(f"    Index({str(index.name)!r}, *{cols!r}, unique={index.unique}{where}),")
        out.append(")")
        out.append("")
    return "\n".join(out)


def write_tables() -> None:
    """Rewrite ``tables.py``."""
    TABLES_PY.write_text(render_tables(), encoding="utf-8")


def new_revision(message: str) -> None:
    """Autogenerate a revision from the difference between the head schema and the models."""
    from alembic import command
    from alembic.config import Config

    from sixbao_cli.schema import REVISIONS, migrations_dir, open_ledger

    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    rev_id = f"{len(REVISIONS) + 1:04d}_{slug}"  # then add rev_id to schema.REVISIONS
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/scratch.db"
        open_ledger(url).close()
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_dir()))
        cfg.set_main_option("sqlalchemy.url", url)
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    if sys.argv[1:2] == ["tables"]:
        write_tables()
    elif sys.argv[1:2] == ["revision"] and len(sys.argv) == 3:
        new_revision(sys.argv[2])
    else:
        sys.exit(__doc__)
