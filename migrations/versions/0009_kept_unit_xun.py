"""Reports per unit and 旬 kept between reports, for the ranking's 按时报送率.

Derived data (services/kept_facts.py, services/ranking.py): how many reports
each unit filed, as lead or as support, in each ended 旬 of the ranking
period, as a report found them. The next report counts again only the 旬 in
which something was recorded since. ``kept_fact_mark`` gains the 旬 the rows
cover; NULL: none kept. Emptying the table loses nothing but time.

Revision ID: 0009_kept_unit_xun
Revises: 0008_kept_facts
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op


revision = "0009_kept_unit_xun"
down_revision = "0008_kept_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_unit_xun",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("xun", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", "role", "xun", name=op.f("pk_kept_unit_xun")),
    )
    with op.batch_alter_table("kept_fact_mark") as batch:
        batch.add_column(sa.Column("xun_from", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("xun_to", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kept_fact_mark") as batch:
        batch.drop_column("xun_to")
        batch.drop_column("xun_from")
    op.drop_table("kept_unit_xun")
