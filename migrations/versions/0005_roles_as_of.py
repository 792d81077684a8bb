"""The units and 责任领导 a task had before they were replaced, so that a report rebuilt for an earlier day names them.

Changes made before this revision are kept in task_change as text only, and
a report for a day before them names the units as they are now.

Revision ID: 0005_roles_as_of
Revises: 0004_status_as_of
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_roles_as_of"
down_revision = "0004_status_as_of"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_unit_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'support')", name=op.f("ck_task_unit_history_role")),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_unit_history_task_id_task"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_task_unit_history_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_unit_history")),
    )
    op.create_index("ix_task_unit_history_task_id_replaced_at", "task_unit_history", ["task_id", "replaced_at"])
    op.create_index("ix_task_unit_history_replaced_at", "task_unit_history", ["replaced_at"])
    op.create_table(
        "task_leader_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_leader_history_task_id_task"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_leader_history")),
    )
    op.create_index("ix_task_leader_history_task_id_replaced_at", "task_leader_history", ["task_id", "replaced_at"])
    op.create_index("ix_task_leader_history_replaced_at", "task_leader_history", ["replaced_at"])


def downgrade() -> None:
    # Dropping a table drops its indexes.
    op.drop_table("task_leader_history")
    op.drop_table("task_unit_history")
