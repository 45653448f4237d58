"""post indexes that answer the feed and the most discussed strip alone

The front page's "most discussed this week" read every post of the week
through ix_post_created_at_id and looked each row up (29 ms at 1M posts on
SQLite). ix_post_created_at_discussion holds every column that query
filters and sorts on, and the id, so the week's posts are read from the
index alone.

The home feed reads each followed author's newest posts from the
(author_id, created_at, id) index; with state in it as well, PostgreSQL
answers those scans from the index alone (6.8 -> 1.3 ms at 1M posts). The
new index replaces the old one, whose columns it starts with.

Revision ID: a833a0b1fef6
Revises: 9d80dc1d999c
Create Date: 2026-11-26 13:19:33.309952

"""
from alembic import op


revision = 'a833a0b1fef6'
down_revision = '9d80dc1d999c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index(
            'ix_post_created_at_discussion',
            ['created_at', 'comment_count', 'visibility', 'state', 'id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_post_author_id_created_at_state',
            ['author_id', 'created_at', 'id', 'state'],
            unique=False,
        )
        batch_op.drop_index('ix_post_author_id_created_at')


def downgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index(
            'ix_post_author_id_created_at', ['author_id', 'created_at', 'id'], unique=False
        )
        batch_op.drop_index('ix_post_author_id_created_at_state')
        batch_op.drop_index('ix_post_created_at_discussion')
