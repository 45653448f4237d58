"""member: a time zone (IANA name) and when the mail digest last ran (issue 20, items 2-3)

Existing members follow NETWORK_DEFAULT_TIME_ZONE (NULL) and have had no digest.

Revision ID: b2d4f6a8c0e1
Revises: a6c8e0f2b4d7
Create Date: 2026-12-04 01:30:00

"""

import sqlalchemy as sa
from alembic import op

from network.models.base import UTCDateTime

revision = "b2d4f6a8c0e1"
down_revision = "a6c8e0f2b4d7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("member") as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("last_digest_at", UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("member") as batch_op:
        batch_op.drop_column("last_digest_at")
        batch_op.drop_column("time_zone")
