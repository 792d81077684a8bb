"""Plans imported as documents: each task's place in its plan, every target it states, the plan's context.

Written so that SQLite never rebuilds the task table (which would drop the
full-text triggers on it): new columns are added in place and uniqueness is a
unique index.

Revision ID: 0003_plans
Revises: 0002_progress_by_date
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_plans"
down_revision = "0002_progress_by_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("source_key", sa.String(), nullable=True))
    op.add_column("task", sa.Column("position", sa.Integer(), nullable=True))
    op.create_index("uq_task_document_id_source_key", "task", ["document_id", "source_key"], unique=True)
    op.create_table(
        "task_target",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("comparator", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.CheckConstraint("comparator IN ('>=', '<=', '=')", name=op.f("ck_task_target_comparator")),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_target_task_id_task"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", "position", name=op.f("pk_task_target")),
    )
    op.create_table(
        "document_context",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annex", sa.Integer(), nullable=True),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_document_context_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_context")),
    )
    op.create_index(op.f("ix_document_context_document_id"), "document_context", ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_table("document_context")
    op.drop_table("task_target")
    op.drop_index("uq_task_document_id_source_key", table_name="task")
    # DROP COLUMN, not a batch rebuild: SQLite >= 3.35 drops an unindexed column in place
    op.drop_column("task", "position")
    op.drop_column("task", "source_key")
