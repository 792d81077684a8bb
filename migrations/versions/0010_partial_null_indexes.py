"""Indexes on task.parent_id and progress.batch_id over the rows where they are set.

Most tasks have no parent and most entries are typed in, not imported, so
these columns are mostly NULL. After ``ANALYZE`` (which sixbao never runs,
but ``sqlite3 ledger.db ANALYZE``, ``PRAGMA optimize`` or a DB browser may)
SQLite's statistics count the NULLs as one value shared by all those rows,
and the planner stops using these indexes: ``report weekly`` on 100,000 tasks
scanned the task table once per task and did not finish. Partial indexes
(``WHERE … IS NOT NULL``) hold no NULLs to mislead it and serve every ``=``
and ``IN`` the ledger asks of these columns (models.py ``_present``).

Revision ID: 0010_partial_null_indexes
Revises: 0009_kept_unit_xun
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op


revision = "0010_partial_null_indexes"
down_revision = "0009_kept_unit_xun"
branch_labels = None
depends_on = None

INDEXES = (("ix_task_parent_id", "task", "parent_id"), ("ix_progress_batch_id", "progress", "batch_id"))


def upgrade() -> None:
    for name, table, column in INDEXES:
        where = sa.text(f"{column} IS NOT NULL")
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, table, column in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column])
