"""consent: the words that identify the customer, checked by the name-leak guard

Revision ID: c15a0e7d1d01
Revises: b65bd5471725
Create Date: 2026-12-03 06:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c15a0e7d1d01"
down_revision = "b65bd5471725"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_study_consent") as batch_op:
        batch_op.add_column(
            sa.Column("identifying_words", sa.JSON(), server_default="[]", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("case_study_consent") as batch_op:
        batch_op.drop_column("identifying_words")
