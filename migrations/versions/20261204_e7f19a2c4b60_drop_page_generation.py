"""drop page generation: fragments are keyed by what they show (network/fragments)

The whole-page cache and its database-wide number are gone; nothing reads
or bumps the row any more.

Revision ID: e7f19a2c4b60
Revises: b2d4f6a8c0e1
Create Date: 2026-12-04 01:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e7f19a2c4b60"
down_revision = "b2d4f6a8c0e1"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("page_generation")


def downgrade():
    op.create_table(
        "page_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_generation")),
    )
    op.execute("INSERT INTO page_generation (id, n) VALUES (1, 0)")
