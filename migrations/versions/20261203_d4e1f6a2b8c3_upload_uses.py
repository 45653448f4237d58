"""uploads: which posts show each picture, and an index on case-study logos (issue 16, item 8)

GET /uploads/<name> serves a picture with the visibility of what shows it. The
table is filled here from the pictures existing posts already show (their
author's own uploads only, as the posts service records them from now on).

Revision ID: d4e1f6a2b8c3
Revises: c15a0e7d1d01
Create Date: 2026-12-03 07:00:00

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "d4e1f6a2b8c3"
down_revision = "c15a0e7d1d01"
branch_labels = None
depends_on = None

_SHOWN = re.compile(r'<img[^>]* src="/uploads/([A-Za-z0-9_-]{16,48}\.(?:jpg|png|webp))"')
_BATCH = 500


def _backfill(connection) -> None:
    posts = connection.execute(
        sa.text(
            "SELECT id, author_id, body_html FROM post "
            "WHERE body_html LIKE '%/uploads/%' ORDER BY id"
        )
    )
    while rows := posts.fetchmany(_BATCH):
        wanted = {
            (row.id, row.author_id, name) for row in rows for name in _SHOWN.findall(row.body_html)
        }
        if not wanted:
            continue
        names = sorted({name for _post, _author, name in wanted})
        uploads = {
            (row.name, row.owner_id): row.id
            for row in connection.execute(
                sa.text("SELECT id, name, owner_id FROM upload WHERE name IN :names").bindparams(
                    sa.bindparam("names", expanding=True)
                ),
                {"names": names},
            )
        }
        links = {
            (uploads[(name, author)], post)
            for post, author, name in wanted
            if (name, author) in uploads
        }
        if links:
            connection.execute(
                sa.text("INSERT INTO post_upload (upload_id, post_id) VALUES (:upload, :post)"),
                [{"upload": upload, "post": post} for upload, post in sorted(links)],
            )


def upgrade():
    op.create_table(
        "post_upload",
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_post_upload_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
            name=op.f("fk_post_upload_upload_id_upload"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("upload_id", "post_id", name=op.f("pk_post_upload")),
    )
    with op.batch_alter_table("post_upload") as batch_op:
        batch_op.create_index(batch_op.f("ix_post_upload_post_id"), ["post_id"], unique=False)
    with op.batch_alter_table("case_study_revision") as batch_op:
        batch_op.create_index("ix_case_study_revision_logo", ["logo"], unique=False)
    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table("case_study_revision") as batch_op:
        batch_op.drop_index("ix_case_study_revision_logo")
    with op.batch_alter_table("post_upload") as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_upload_post_id"))
    op.drop_table("post_upload")
