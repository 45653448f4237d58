"""notification: failed_sign_in kind and its attempts count (issue 16, item 4)

Revision ID: e7a2c4d9f1b6
Revises: d4e1f6a2b8c3
Create Date: 2026-12-03 07:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e7a2c4d9f1b6"
down_revision = "d4e1f6a2b8c3"
branch_labels = None
depends_on = None

KINDS_OLD = [
    "reply_to_post",
    "reply_after_you",
    "mention",
    "announcement",
    "consent_request",
    "consent_changes",
    "consent_granted",
    "consent_expiring",
    "case_withdrawn",
]
KINDS_NEW = [*KINDS_OLD, "failed_sign_in"]


def upgrade():
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_constraint(op.f("ck_notification_notification_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_notification_notification_kind"), sa.column("kind").in_(KINDS_NEW)
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=True))


def downgrade():
    op.execute("DELETE FROM notification WHERE kind = 'failed_sign_in'")
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_constraint(op.f("ck_notification_notification_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_notification_notification_kind"), sa.column("kind").in_(KINDS_OLD)
        )
