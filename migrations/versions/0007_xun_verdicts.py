"""Verdicts kept between reports: whether each task was red at a 旬 checkpoint that has passed.

Derived data (services/verdicts.py): the ladder reads a past checkpoint's
verdicts here instead of judging it again. Emptying these tables loses
nothing but time; a later revision that changes what a verdict means empties
them.

Revision ID: 0007_xun_verdicts
Revises: 0006_batch_read_options
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_xun_verdicts"
down_revision = "0006_batch_read_options"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xun_verdict",
        sa.Column("checkpoint", sa.Date(), nullable=False),
        sa.Column("rules_key", sa.String(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("red", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("checkpoint", "rules_key", "task_id", name=op.f("pk_xun_verdict")),
    )
    op.create_table(
        "verdict_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("progress_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("unit_history_id", sa.Integer(), nullable=False),
        sa.Column("leader_history_id", sa.Integer(), nullable=False),
        sa.Column("undone_batches", sa.Integer(), nullable=False),
        sa.Column("undone_id_sum", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict_mark")),
    )


def downgrade() -> None:
    op.drop_table("verdict_mark")
    op.drop_table("xun_verdict")
