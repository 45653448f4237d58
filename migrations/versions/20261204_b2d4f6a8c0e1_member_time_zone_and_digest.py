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


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuild of `member` renames the
# table, which the consent log's triggers (they name member) refuse. SQLite has had
# ADD and DROP COLUMN since 3.35.


def upgrade():
    op.add_column("member", sa.Column("time_zone", sa.String(length=64), nullable=True))
    op.add_column("member", sa.Column("last_digest_at", UTCDateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("member", "last_digest_at")
    op.drop_column("member", "time_zone")
