"""Alembic environment for the sixbao ledger.

sixbao runs the revisions itself (``sixbao db upgrade`` and on first use),
handing over an open connection inside its write transaction. Developers
autogenerate new revisions against a scratch database with
``python -m sixbao_cli.devtools revision "message"``.
"""

from alembic import context
from sqlalchemy import create_engine

from sixbao_cli.models import metadata
from sixbao_cli.schema import declared


def render_item(type_, obj, autogen_context):
    """Render sixbao's column types as plain SQLAlchemy ones, so revisions never import the app."""
    if type_ == "type":
        name = type(obj).__name__
        if name == "AutoString":
            return "sa.String()"
        if name == "UtcDateTime":
            return "sa.DateTime(timezone=True)"
    return False


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=declared,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        run(conn)
