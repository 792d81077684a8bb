"""An index for reading each task's status as of a date: (task_id, field, changed_at) on task_change.

It replaces the index on task_id alone, which it covers.

Revision ID: 0004_status_as_of
Revises: 0003_plans
Create Date: 2026-11-21
"""

from alembic import op

revision = "0004_status_as_of"
down_revision = "0003_plans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_task_change_task_id_field_changed_at", "task_change", ["task_id", "field", "changed_at"],
                    unique=False)
    op.drop_index("ix_task_change_task_id", table_name="task_change")


def downgrade() -> None:
    op.create_index("ix_task_change_task_id", "task_change", ["task_id"], unique=False)
    op.drop_index("ix_task_change_task_id_field_changed_at", table_name="task_change")
