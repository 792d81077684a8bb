"""What an import batch's file was read with — its encoding, --year, --unit — so that the same bytes read otherwise
are imported again instead of being taken as already in the ledger.

Batches recorded before this revision have none (NULL) and count as read with
the default options: the same file without options is still recognised.

Revision ID: 0006_batch_read_options
Revises: 0005_roles_as_of
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_batch_read_options"
down_revision = "0005_roles_as_of"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("import_batch", sa.Column("read_options", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("import_batch", "read_options")
