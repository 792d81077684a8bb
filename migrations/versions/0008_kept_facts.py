"""Facts kept between reports: each task's status, latest entry and lead unit's last report on a day.

Derived data (services/kept_facts.py): a report judges the tasks nothing has
happened to since the kept day on these facts instead of reading them back
from the progress and change tables. Emptying the tables loses nothing but
time. The index on progress.recorded_at finds what was recorded since.

Revision ID: 0008_kept_facts
Revises: 0007_xun_verdicts
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op


revision = "0008_kept_facts"
down_revision = "0007_xun_verdicts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_fact",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("last_lead", sa.Date(), nullable=True),
        sa.Column("last_report", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("next_pct", sa.Float(), nullable=True),
        sa.Column("prev_due", sa.Date(), nullable=True),
        sa.Column("prev_pct", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_kept_fact")),
    )
    op.create_table(
        "kept_fact_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("progress_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("unit_history_id", sa.Integer(), nullable=False),
        sa.Column("leader_history_id", sa.Integer(), nullable=False),
        sa.Column("undone_batches", sa.Integer(), nullable=False),
        sa.Column("undone_id_sum", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_fact_mark")),
    )
    op.create_index("ix_progress_recorded_at", "progress", ["recorded_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_progress_recorded_at", table_name="progress")
    op.drop_table("kept_fact_mark")
    op.drop_table("kept_fact")
