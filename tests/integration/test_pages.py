"""Pages, languages, error pages and the front door (issue 2, items 5 and 6)."""

from __future__ import annotations

import pytest
from flask import abort, request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from network.web.errors import rerenders_form_on_csrf_error
from tests.support.pages import csrf_token, executable_inline_script, unlabelled_controls


def test_the_welcome_page_greets_visitors_in_english(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Welcome to the community" in page
    assert 'href="#main"' in page  # skip link for keyboard users
    assert unlabelled_controls(page) == []
    assert executable_inline_script(page) == []


def test_the_community_name_appears_once_set(client, ctx):
    from network.community.service import set_value

    set_value("name", "Acme Users")
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "<title>Acme Users</title>" in page
    assert "Welcome to Acme Users" in page


def test_accept_language_chooses_russian(client):
    page = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="ru">' in page
    assert "Добро пожаловать" in page
    assert "Перейти к содержимому" in page


def test_unknown_languages_fall_back_to_english(client):
    page = client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_the_language_switch_remembers_the_choice(client):
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post("/language", data={"language": "ru", "next": "/", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "ru" and cookie.http_only
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page


def test_the_language_switch_never_redirects_off_site(client):
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post(
        "/language", data={"language": "en", "next": "//evil.com", "csrf_token": token}
    )
    assert response.headers["Location"] == "/"


def test_the_language_switch_refuses_unknown_languages(client):
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post("/language", data={"language": "xx", "csrf_token": token})
    assert response.status_code == 400
    assert client.get_cookie("lang") is None


def test_a_post_without_csrf_token_is_refused_with_a_clear_page(client):
    response = client.post("/language", data={"language": "ru"})
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
    assert client.get_cookie("lang") is None


def test_the_health_check_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


# Error pages: each status, both languages, nothing internal ---------------------------------


@pytest.fixture
def app_with_failures(app):
    @app.route("/boom/<int:status>", methods=["GET", "POST"])
    def boom(status: int):
        if status == 500:
            raise RuntimeError("database password is hunter2 at /srv/secret.py line 7")
        if status == 413:
            return str(len(request.form))  # reading the body trips the size cap
        abort(status)

    return app


@pytest.mark.parametrize(
    ("status", "english", "russian"),
    [
        (400, "Bad request", "Неверный запрос"),
        (403, "Not allowed", "Нет доступа"),
        (404, "Page not found", "Страница не найдена"),
        (405, "Not allowed", "Нет доступа"),
        (409, "Changed meanwhile", "Изменено в это время"),
        (422, "Please check the form", "Проверьте форму"),
        (429, "Too many requests", "Слишком много запросов"),
        (500, "Something went wrong", "Что-то пошло не так"),
    ],
)
def test_error_pages_speak_both_languages(app_with_failures, status, english, russian):
    client = app_with_failures.test_client()
    path = "/boom/405" if status == 405 else f"/boom/{status}"
    method = client.put if status == 405 else client.get
    for language, title in (("en", english), ("ru", russian)):
        response = method(path, headers={"Accept-Language": language})
        assert response.status_code == status
        page = response.get_data(as_text=True)
        assert f'<h1 id="error-title">{title}</h1>' in page
        assert response.headers["Content-Security-Policy"]


def test_a_server_error_reveals_nothing_and_gives_a_reference(app_with_failures, caplog):
    response = app_with_failures.test_client().get("/boom/500")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    for leak in ("hunter2", "RuntimeError", "Traceback", "secret.py"):
        assert leak not in page
    request_id = response.headers["X-Request-ID"]
    assert request_id in page


def test_a_body_over_the_cap_gets_413(app_with_failures):
    app_with_failures.config["MAX_CONTENT_LENGTH"] = 1024
    client = app_with_failures.test_client()
    response = client.post("/boom/413", data={"field": "x" * 4096})
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_api_paths_answer_errors_in_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json == {"error": {"code": "not_found", "message": "Page not found"}}


# Forms keep their text when the CSRF token fails (SEC-06) -----------------------------------


class NoteForm(FlaskForm):
    body = StringField("Body", validators=[DataRequired()])


@pytest.fixture
def app_with_a_form(app):
    @app.route("/note", methods=["GET", "POST"])
    @rerenders_form_on_csrf_error
    def note():
        form = NoteForm()
        if form.validate_on_submit():
            return "saved"
        errors = "; ".join(form.csrf_token.errors)
        return f"<textarea>{form.body.data or ''}</textarea><p>{errors}</p>", (
            422 if request.method == "POST" else 200
        )

    return app


def test_a_csrf_failure_shows_the_form_again_with_the_text_kept(app_with_a_form):
    client = app_with_a_form.test_client()
    client.get("/")  # a session exists, but the form was sent without its token
    response = client.post("/note", data={"body": "my long careful answer"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "my long careful answer" in page
    assert "CSRF" in page


def test_the_same_form_saves_with_its_token(app_with_a_form):
    client = app_with_a_form.test_client()
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post("/note", data={"body": "hello", "csrf_token": token})
    assert response.get_data(as_text=True) == "saved"
