"""page generation: the number kept pages are valid for (network/page_cache)

Revision ID: b65bd5471725
Revises: a833a0b1fef6
Create Date: 2026-11-26 15:19:39.458446

"""

import sqlalchemy as sa
from alembic import op

revision = "b65bd5471725"
down_revision = "a833a0b1fef6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_generation")),
    )
    # The one row; every write transaction moves it on from here.
    op.execute("INSERT INTO page_generation (id, n) VALUES (1, 0)")


def downgrade():
    op.drop_table("page_generation")
