"""post index for the most discussed strip

The front page's "most discussed this week" read every post of the week
through ix_post_created_at_id and looked each row up (29 ms at 1M posts on
SQLite). This index holds every column that query filters and sorts on, so
the week's posts are read from the index alone.

Revision ID: a833a0b1fef6
Revises: cb97d669bb59
Create Date: 2026-11-26 13:19:33.309952

"""
from alembic import op


revision = 'a833a0b1fef6'
down_revision = 'cb97d669bb59'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index(
            'ix_post_created_at_discussion',
            ['created_at', 'comment_count', 'visibility', 'state'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_created_at_discussion')
