"""uploads: which case-study revisions show each picture in their prose (issue 16, item 8)

Pictures in a case study's text are served with the story's visibility. The
table is filled from the revisions that already show a staff member's upload.

Revision ID: f3b9d2c7a5e1
Revises: e7a2c4d9f1b6
Create Date: 2026-12-03 07:20:00

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "f3b9d2c7a5e1"
down_revision = "e7a2c4d9f1b6"
branch_labels = None
depends_on = None

_SHOWN = re.compile(r'<img[^>]* src="/uploads/([A-Za-z0-9_-]{16,48}\.(?:jpg|png|webp))"')


def upgrade():
    op.create_table(
        "case_study_upload",
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["case_study_revision.id"],
            name=op.f("fk_case_study_upload_revision_id_case_study_revision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
            name=op.f("fk_case_study_upload_upload_id_upload"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("upload_id", "revision_id", name=op.f("pk_case_study_upload")),
    )
    with op.batch_alter_table("case_study_upload") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_study_upload_revision_id"), ["revision_id"], unique=False
        )
    connection = op.get_bind()
    revisions = connection.execute(
        sa.text(
            "SELECT id, challenge_html || solution_html || results_html AS html "
            "FROM case_study_revision"
        )
    ).fetchall()
    staff_uploads = {
        row.name: row.id
        for row in connection.execute(
            sa.text(
                "SELECT upload.id, upload.name FROM upload JOIN member "
                "ON member.id = upload.owner_id WHERE member.role IN ('employee', 'admin')"
            )
        )
    }
    links = {
        (staff_uploads[name], row.id)
        for row in revisions
        for name in _SHOWN.findall(row.html or "")
        if name in staff_uploads
    }
    if links:
        op.bulk_insert(
            sa.table("case_study_upload", sa.column("upload_id"), sa.column("revision_id")),
            [{"upload_id": upload, "revision_id": rev} for upload, rev in sorted(links)],
        )


def downgrade():
    with op.batch_alter_table("case_study_upload") as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_study_upload_revision_id"))
    op.drop_table("case_study_upload")
