"""An index for listing progress newest first across all tasks (progress list).

Revision ID: 0002_progress_by_date
Revises: 0001_ledger
Create Date: 2026-11-21
"""

from alembic import op

revision = "0002_progress_by_date"
down_revision = "0001_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_progress_report_date_id", "progress", ["report_date", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_progress_report_date_id", table_name="progress")
