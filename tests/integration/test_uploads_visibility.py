"""Issue 16, item 8: a picture is served with the visibility of what shows it (SEC-11, SEC-31)."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from network.extensions import db
from network.models import Member
from network.uploads import service
from tests.integration import pictures
from tests.support import case_studies
from tests.support.content import make_post


def picture_of(app, owner: Member, kind: str = "PNG") -> str:
    """The owner uploads a picture (as the post editor does); its URL."""
    with app.app_context():
        upload = service.store_image(
            db.session.get(Member, owner.id),
            FileStorage(io.BytesIO(pictures.picture(kind)), filename="photo"),
            "post_image",
        )
        return service.upload_url(upload.name)


def showing(url: str, words: str = "Our new espresso bar") -> str:
    return f"{words}\n\n![the bar]({url})"


def loads(browser, url: str) -> int:
    return browser.get(url).status_code


def edit(app, author: Member, post, **changes) -> None:
    from network.posts import service as posts

    with app.app_context():
        current = posts.load_post(post.id)
        fields = {"title": current.title, "body": current.body, "visibility": current.visibility}
        posts.edit_post(
            db.session.get(Member, author.id),
            post.id,
            version=current.version,
            **(fields | changes),
        )


# Posts -------------------------------------------------------------------------------------


@pytest.mark.both_databases
def test_a_public_posts_picture_is_public_and_shared_caches_may_keep_it_briefly(
    app, client, customer
):
    url = picture_of(app, customer)
    make_post(app, customer, showing(url))
    served = client.get(url)
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "public, max-age=600"


@pytest.mark.both_databases
def test_a_members_only_posts_picture_needs_a_member(app, client, customer, intruder, as_member):
    url = picture_of(app, customer)
    make_post(app, customer, showing(url), visibility="members")
    assert loads(client, url) == 404  # anonymous: as if absent
    served = as_member(intruder).get(url)  # any member may see a members-only post
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "private, max-age=600"


def test_a_picture_goes_members_only_when_its_post_does(app, client, customer, as_member):
    url = picture_of(app, customer)
    post = make_post(app, customer, showing(url))
    assert loads(client, url) == 200
    edit(app, customer, post, visibility="members")
    assert loads(client, url) == 404
    assert loads(as_member(customer), url) == 200


def test_a_picture_leaves_with_its_post_on_edit(app, client, customer):
    url = picture_of(app, customer)
    post = make_post(app, customer, showing(url))
    edit(app, customer, post, body="No picture any more.")
    assert loads(client, url) == 404


def test_a_deleted_posts_picture_is_gone_for_everyone_but_its_owner(
    app, client, customer, intruder, moderator, as_member
):
    from network.posts import service as posts

    url = picture_of(app, customer)
    post = make_post(app, customer, showing(url))
    with app.app_context():
        posts.delete_post(db.session.get(Member, customer.id), post.id)
    assert loads(client, url) == 404
    assert loads(as_member(intruder), url) == 404
    assert loads(as_member(moderator), url) == 404
    assert loads(as_member(customer), url) == 200  # still their own file


def test_a_hidden_posts_picture_is_seen_by_its_author_and_moderators_only(
    app, client, customer, intruder, moderator, as_member
):
    from network.posts import service as posts

    url = picture_of(app, customer)
    post = make_post(app, customer, showing(url))
    with app.app_context():
        posts.set_post_hidden(db.session.get(Member, moderator.id), post.id, True)
    assert loads(client, url) == 404
    assert loads(as_member(intruder), url) == 404
    by_moderator = as_member(moderator).get(url)
    assert by_moderator.status_code == 200
    assert by_moderator.headers["Cache-Control"].startswith("private")
    assert loads(as_member(customer), url) == 200


def test_a_picture_no_post_shows_yet_is_its_owners_alone(
    app, client, customer, intruder, as_member
):
    url = picture_of(app, customer)  # uploaded in the editor, post not saved yet
    assert loads(as_member(customer), url) == 200
    assert loads(client, url) == 404
    assert loads(as_member(intruder), url) == 404


def test_an_intruder_cannot_publish_someone_elses_picture_by_quoting_its_url(
    app, client, customer, intruder
):
    url = picture_of(app, customer)
    make_post(app, customer, showing(url), visibility="members")
    make_post(app, intruder, showing(url, "Look what I found"))  # a public post
    assert loads(client, url) == 404  # only the owner's own posts decide


def test_the_lookup_costs_the_same_for_a_picture_in_one_post_or_thirty(
    app, client, customer, count_queries
):
    once = picture_of(app, customer)
    make_post(app, customer, showing(once), visibility="members")
    often = picture_of(app, customer)
    for number in range(30):
        make_post(app, customer, showing(often, f"Day {number}"), visibility="members")
    costs = []
    for url in (once, often):
        with count_queries() as counted:
            assert loads(client, url) == 404  # every post members-only: all of them looked at
        costs.append(counted.count)
    assert costs[0] == costs[1] <= 6


# Case studies ------------------------------------------------------------------------------


def _logo_story(app, employee, customer, **scopes) -> tuple[int, str]:
    url = picture_of(app, employee)
    case_studies.opt_in(app, customer)
    case_study_id = case_studies.make_case_study(
        app, employee, customer, logo=url.rsplit("/", 1)[-1]
    )
    return case_study_id, url


def test_a_draft_case_studys_logo_is_for_staff_only(
    app, client, employee, customer, intruder, member_factory, as_member
):
    from network.models import Role

    case_study_id, url = _logo_story(app, employee, customer)
    colleague = member_factory(role=Role.employee, handle="erik", display_name="Erik Employee")
    assert loads(client, url) == 404
    assert loads(as_member(intruder), url) == 404
    assert loads(as_member(customer), url) == 404  # not asked yet: they see nothing
    assert loads(as_member(colleague), url) == 200
    case_studies.ask(app, employee, case_study_id)
    assert loads(as_member(customer), url) == 200  # now they review it, logo included


@pytest.mark.both_databases
def test_a_published_logo_is_public_only_when_the_consent_shows_it(
    app, client, employee, customer, member_factory
):
    from network.models import Role

    shown_id, shown = _logo_story(app, employee, customer)
    case_studies.ask(app, employee, shown_id)
    case_studies.grant(app, customer, shown_id, logo=True)
    case_studies.publish(app, employee, shown_id)
    served = client.get(shown)
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "public, max-age=600"

    other = member_factory(role=Role.customer, handle="olga", display_name="Olga Other")
    withheld_id, withheld = _logo_story(app, employee, other)
    case_studies.ask(app, employee, withheld_id)
    case_studies.grant(app, other, withheld_id, logo=False)
    case_studies.publish(app, employee, withheld_id)
    assert loads(client, withheld) == 404  # published, but the customer kept their logo out


def test_a_members_only_storys_logo_needs_a_member(
    app, client, employee, customer, intruder, as_member
):
    case_study_id, url = _logo_story(app, employee, customer)
    case_studies.ask(app, employee, case_study_id)
    case_studies.grant(app, customer, case_study_id, logo=True, audience="members")
    case_studies.publish(app, employee, case_study_id)
    assert loads(client, url) == 404
    served = as_member(intruder).get(url)
    assert served.status_code == 200 and served.headers["Cache-Control"].startswith("private")


def test_a_withdrawn_storys_logo_is_404_to_all_but_staff_and_its_customer(
    app, client, employee, customer, intruder, as_member
):
    case_study_id, url = _logo_story(app, employee, customer)
    case_studies.ask(app, employee, case_study_id)
    case_studies.grant(app, customer, case_study_id, logo=True)
    case_studies.publish(app, employee, case_study_id)
    assert loads(client, url) == 200
    case_studies.withdraw(app, customer, case_study_id)
    assert loads(client, url) == 404
    assert loads(as_member(intruder), url) == 404
    assert loads(as_member(customer), url) == 200
    assert loads(as_member(employee), url) == 200


def test_a_picture_in_a_case_studys_prose_follows_the_published_story(
    app, client, employee, customer, intruder, as_member
):
    url = picture_of(app, employee)
    case_studies.opt_in(app, customer)
    case_study_id = case_studies.make_case_study(
        app, employee, customer, solution=showing(url, "The new counter")
    )
    assert loads(client, url) == 404  # a draft: staff only
    assert loads(as_member(employee), url) == 200
    case_studies.ask(app, employee, case_study_id)
    assert loads(as_member(customer), url) == 200  # the customer reviews it, pictures too
    case_studies.grant(app, customer, case_study_id)  # the public web
    case_studies.publish(app, employee, case_study_id)
    served = client.get(url)
    assert served.status_code == 200 and served.headers["Cache-Control"].startswith("public")
    case_studies.withdraw(app, customer, case_study_id)
    assert loads(client, url) == 404
    assert loads(as_member(intruder), url) == 404
    assert loads(as_member(employee), url) == 200


def test_staff_cannot_publish_a_customers_picture_by_quoting_it_in_a_case_study(
    app, client, employee, customer
):
    from network.models import Visibility

    url = picture_of(app, customer)
    make_post(app, customer, showing(url), visibility=Visibility.members)
    case_studies.opt_in(app, customer)
    case_study_id = case_studies.make_case_study(app, employee, customer, solution=showing(url))
    case_studies.ask(app, employee, case_study_id)
    case_studies.grant(app, customer, case_study_id)
    case_studies.publish(app, employee, case_study_id)
    assert loads(client, url) == 404  # still the members-only post's picture


# What stays public -------------------------------------------------------------------------


def test_avatars_stay_public_and_immutable(app, client, customer):
    from network.profiles import avatars

    with app.app_context():
        avatars.set_avatar(
            db.session.get(Member, customer.id),
            FileStorage(io.BytesIO(pictures.picture("PNG", 300, 300)), filename="me.png"),
        )
        url = avatars.avatar_url(db.session.get(Member, customer.id), 128)
    served = client.get(url)
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_communitys_logo_is_public(app, client, admin):
    from network.admin import service as settings

    url = picture_of(app, admin)
    with app.app_context():
        settings.update_settings(db.session.get(Member, admin.id), {"logo": url.rsplit("/", 1)[-1]})
    assert loads(client, url) == 200


def test_the_communitys_terms_page_pictures_are_public(app, client, admin):
    from network.admin import service as settings

    url = picture_of(app, admin)
    with app.app_context():
        settings.update_settings(db.session.get(Member, admin.id), {"terms": showing(url)})
    assert loads(client, url) == 200


def test_a_picture_in_a_profile_follows_the_profiles_visibility(
    app, client, customer, intruder, as_member
):
    from network.profiles import service as profiles

    url = picture_of(app, customer)

    def save_profile(visibility: str, version: int) -> None:
        with app.app_context():
            changes = profiles.ProfileChanges(
                display_name=customer.display_name, bio=showing(url), visibility=visibility
            )
            profiles.update_profile(db.session.get(Member, customer.id), changes, version)

    save_profile("public", 0)
    served = client.get(url)
    assert served.status_code == 200 and served.headers["Cache-Control"].startswith("public")
    save_profile("members", 1)
    assert loads(client, url) == 404
    assert loads(as_member(intruder), url) == 200


# The migration fills the lookup for posts written before it --------------------------------


@pytest.mark.both_databases
def test_the_migration_links_existing_posts_to_their_authors_pictures(db_backend, tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import insert, select

    from network.database import write_transaction
    from network.models import Member, Post, PostUpload, Upload, UploadPurpose
    from tests.support.migrations import empty_database_app

    def old_member(session, handle):
        # A core insert of the columns that schema had: the model has gained some since.
        table = Member.__table__
        return session.execute(
            insert(table)
            .values(email=f"{handle}@example.com", handle=handle, display_name=handle)
            .values(password_hash="-")
            .returning(table.c.id)
        ).scalar_one()

    with empty_database_app(db_backend, tmp_path):
        upgrade(revision="c15a0e7d1d01")  # the schema before the lookup existed
        with write_transaction() as session:
            author_id, quoter_id = old_member(session, "carla"), old_member(session, "ivan")
        name = "OldPictureOldPicture0001.png"
        html = f'<p><img alt="bar" src="/uploads/{name}"></p>'
        with write_transaction() as session:
            picture = Upload(
                owner_id=author_id,
                name=name,
                content_type="image/png",
                width=1,
                height=1,
                byte_size=1,
                purpose=UploadPurpose.post_image,
            )
            own = Post(author_id=author_id, body="old", body_html=html)
            quoting = Post(author_id=quoter_id, body="quote", body_html=html)
            plain = Post(author_id=author_id, body="none", body_html="<p>no picture</p>")
            session.add_all([picture, own, quoting, plain])
        ids = (picture.id, own.id)
        db.session.remove()
        upgrade()
        links = db.session.execute(select(PostUpload.upload_id, PostUpload.post_id)).all()
        assert [tuple(link) for link in links] == [ids]  # the author's own post only
        db.session.remove()
        # Leave an empty schema at head, as the other tests of this database expect.
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
