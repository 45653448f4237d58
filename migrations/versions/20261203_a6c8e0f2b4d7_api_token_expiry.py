"""api_token: an end date, checked by the one liveness rule (issue 16, item 2)

Existing tokens keep working until revoked (no end date).

Revision ID: a6c8e0f2b4d7
Revises: f3b9d2c7a5e1
Create Date: 2026-12-03 07:45:00

"""

import sqlalchemy as sa
from alembic import op

from network.models.base import UTCDateTime

revision = "a6c8e0f2b4d7"
down_revision = "f3b9d2c7a5e1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.add_column(sa.Column("expires_at", UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.drop_column("expires_at")
