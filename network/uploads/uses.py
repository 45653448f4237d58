"""What shows each upload, and so who may load it: the visibility of its post, case study or page.

GET /uploads/<name> answers with the most open of the uses this viewer may see:

- an avatar, the community's logo, or a picture on the terms or privacy page: anyone,
  cacheable by shared caches;
- a picture in a post (its author's own upload, recorded in post_upload by the posts
  service): whoever may see that post (network/posts/access.py), so a members-only post's
  picture needs a member, and a hidden or deleted post's picture is 404 to those who may not
  see the post;
- a case study's logo: whoever sees the case study's workings (staff, its customer), and
  everyone in the published story's audience when the consent shows the logo
  (network/case_studies/access.py), so a withdrawn or expired story's logo is 404 to them;
- a picture in a case study's prose (a staff member's upload, recorded in case_study_upload
  by the case-study service): the same, when the published revision shows it;
- a picture in a profile's text: whoever may see that profile;
- and its owner, always (the editor shows a picture before the post is saved).

Anything else is 404, as if the file did not exist (SEC-11). Each step is one or two
indexed queries, and at most a few case studies are looked at, so the cost is bounded.
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from network import sanitize
from network.case_studies import access as case_studies
from network.community import service as community
from network.exceptions import NotFound
from network.extensions import db
from network.models import (
    CaseStudyRevision,
    CaseStudyUpload,
    ContentState,
    Member,
    Post,
    PostUpload,
    Profile,
    Role,
    Upload,
    UploadPurpose,
    Visibility,
)
from network.posts import access as post_access
from network.profiles import service as profiles
from network.uploads.service import upload_url

#: posts and case studies looked at per request: a picture shown in more than this is rare,
#: and the first visible one decides
MAX_USES = 20
MAX_CASE_STUDIES = 3


class Audience(enum.Enum):
    """Who the answer is for: anyone (shared caches may keep it) or this viewer alone."""

    public = "public"
    private = "private"


def _viewer_id(viewer: Any) -> int | None:
    return viewer.id if getattr(viewer, "is_authenticated", False) else None


def names_shown(markup: str) -> set[str]:
    """The upload names a piece of sanitized HTML shows."""
    prefix = upload_url("")
    return {
        path[len(prefix) :] for path in sanitize.upload_images(markup) if path.startswith(prefix)
    }


def record_post(session: Session, post: Post) -> None:
    """Record which of its author's uploads a post shows, in the caller's write transaction.

    Called by the posts service on create and edit, after the sanitized HTML is set and
    the post has an id. Another member's upload in the text is not recorded, so quoting
    someone's picture never widens who may load it. Raises nothing of its own.
    """
    names = names_shown(post.body_html)
    session.execute(delete(PostUpload).where(PostUpload.post_id == post.id))
    if not names:
        return
    upload_ids = session.scalars(
        select(Upload.id).where(Upload.name.in_(sorted(names)), Upload.owner_id == post.author_id)
    ).all()
    session.add_all(PostUpload(upload_id=upload_id, post_id=post.id) for upload_id in upload_ids)


def record_case_study(session: Session, revision: CaseStudyRevision) -> None:
    """Record which staff members' uploads a case-study revision shows in its prose, in the
    caller's write transaction (the case-study service calls it on create and revise).

    A customer's upload quoted there is not recorded: staff cannot make a members-only
    picture public by quoting it. Raises nothing of its own.
    """
    html = revision.challenge_html + revision.solution_html + revision.results_html
    names = names_shown(html)
    session.execute(delete(CaseStudyUpload).where(CaseStudyUpload.revision_id == revision.id))
    if not names:
        return
    upload_ids = session.scalars(
        select(Upload.id)
        .join(Member, Member.id == Upload.owner_id)
        .where(Upload.name.in_(sorted(names)), Member.role.in_([Role.employee, Role.admin]))
    ).all()
    session.add_all(
        CaseStudyUpload(upload_id=upload_id, revision_id=revision.id) for upload_id in upload_ids
    )


def _community_shows(name: str) -> bool:
    settings = community.profile()
    if settings.logo == name:
        return True
    return any(
        name in names_shown(page.get("html", "")) for page in (settings.terms, settings.privacy)
    )


def _through_posts(viewer: Any, upload: Upload) -> Audience | None:
    posts = db.session.scalars(
        select(Post)
        .join(PostUpload, PostUpload.post_id == Post.id)
        .where(PostUpload.upload_id == upload.id)
        .order_by(Post.id)
        .limit(MAX_USES)
    ).all()
    best = None
    for post in posts:
        if not post_access.can_view_post(viewer, post):
            continue
        if post.visibility == Visibility.public and post.state == ContentState.visible:
            return Audience.public
        best = Audience.private
    return best


def _through_case_studies(viewer: Any, upload: Upload) -> Audience | None:
    as_logo = set(
        db.session.scalars(
            select(CaseStudyRevision.case_study_id)
            .where(CaseStudyRevision.logo == upload.name)
            .distinct()
            .order_by(CaseStudyRevision.case_study_id)
            .limit(MAX_CASE_STUDIES)
        )
    )
    # In the prose: which revisions show it, so the published one decides for readers.
    in_prose: dict[int, set[int]] = {}
    for case_study_id, revision_id in db.session.execute(
        select(CaseStudyRevision.case_study_id, CaseStudyRevision.id)
        .join(CaseStudyUpload, CaseStudyUpload.revision_id == CaseStudyRevision.id)
        .where(CaseStudyUpload.upload_id == upload.id)
        .order_by(CaseStudyRevision.id)
        .limit(MAX_USES)
    ):
        in_prose.setdefault(case_study_id, set()).add(revision_id)
    best = None
    for case_study_id in sorted(as_logo | set(in_prose))[:MAX_CASE_STUDIES]:
        try:
            viewed = case_studies.view(viewer, case_study_id)
        except NotFound:
            continue
        story = viewed.published
        published_revision = viewed.case_study.published_revision_id
        shown = story is not None and (
            (case_study_id in as_logo and story.logo_url == upload_url(upload.name))
            or published_revision in in_prose.get(case_study_id, set())
        )
        if shown:
            if story.public:
                return Audience.public
            best = Audience.private
        elif viewed.workings:
            best = Audience.private  # staff and its customer see every revision, drafts too
    return best


def _through_profile(viewer: Any, upload: Upload) -> Audience | None:
    row = db.session.execute(
        select(Member.handle, Profile.bio_html)
        .join(Profile, Profile.member_id == Member.id)
        .where(Member.id == upload.owner_id)
    ).first()
    if row is None or upload.name not in names_shown(row.bio_html or ""):
        return None
    try:
        profiles.find_visible(row.handle, None)
        return Audience.public
    except NotFound:
        pass
    try:
        profiles.find_visible(row.handle, viewer)
        return Audience.private
    except NotFound:
        return None


def audience(viewer: Any, upload: Upload) -> Audience | None:
    """Who may load this upload: public, private (this viewer alone) or None (404)."""
    if upload.purpose == UploadPurpose.avatar or _community_shows(upload.name):
        return Audience.public
    best = None
    for step in (_through_posts, _through_case_studies, _through_profile):
        found = step(viewer, upload)
        if found == Audience.public:
            return found
        best = best or found
    if best is None and _viewer_id(viewer) == upload.owner_id:
        return Audience.private
    return best
