"""Every corpus line through post and comment bodies: never a 500, never executable markup."""

from __future__ import annotations

import pytest

from network.extensions import db
from network.models import Comment, Post
from tests.support.content import make_post
from tests.support.corpus import lines
from tests.support.markup import executable_markup
from tests.support.pages import csrf_token


@pytest.mark.parametrize("corpus", ["xss-payloads.txt", "naughty-strings.txt"])
def test_every_line_as_a_post_and_a_comment(app, customer, as_member, corpus):
    browser = as_member(customer)
    target = make_post(app, customer, title="target")
    token = csrf_token(browser.get("/posts/new").get_data(as_text=True))
    statuses = set()
    for index, line in enumerate(lines(corpus)):
        for path, data in (
            (
                "/posts",
                {
                    "title": line[:200],
                    "body": line,
                    "visibility": "public",
                    "key": f"post-{index:05d}",
                },
            ),
            (f"/posts/{target.id}/comments", {"body": line, "key": f"comment-{index:05d}"}),
        ):
            response = browser.post(path, data={**data, "csrf_token": token})
            statuses.add(response.status_code)
            assert response.status_code < 500, (path, line)
    assert statuses <= {302, 422}
    with app.app_context():
        for post in db.session.query(Post):
            assert executable_markup(post.body_html) == [], post.body
        for comment in db.session.query(Comment):
            assert executable_markup(comment.body_html) == [], comment.body
        assert db.session.query(Post).count() > 1


def test_posts_render_hostile_text_inert_on_the_page(app, client, customer):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    post = make_post(app, customer, title=payload, body=payload)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    article = page.split('<article class="post"')[1].split("</article>")[0]
    prose = article.split('<div class="prose">')[1].split("</div>")[0]
    assert executable_markup(prose) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article  # the title, shown as text
