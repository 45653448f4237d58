"""Configuration: sources in order, values with their declared types (issue 2, item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from network import create_app
from network.config import (
    EXAMPLE_SECRET,
    SETTINGS,
    ConfigError,
    from_environment,
    normalize_database_url,
    secret_problem,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def make_app(instance: Path, **test_config):
    return create_app({"INSTANCE_PATH": str(instance), **test_config})


def test_later_sources_win_defaults_file_environment_test_mapping(tmp_path, clean_env):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SMTP_PORT = 2500\nSMTP_HOST = 'file.example'\nUPLOAD_MAX_MB = 3\nLOG_LEVEL = 'warning'\n"
    )
    clean_env.setenv("NETWORK_SMTP_HOST", "env.example")
    clean_env.setenv("NETWORK_UPLOAD_MAX_MB", "4")

    app = make_app(instance, UPLOAD_MAX_MB=5)

    assert app.config["SMTP_SECURITY"] == "starttls"  # default
    assert app.config["SMTP_PORT"] == 2500  # instance file over default
    assert app.config["LOG_LEVEL"] == "warning"
    assert app.config["SMTP_HOST"] == "env.example"  # environment over file
    assert app.config["UPLOAD_MAX_MB"] == 5  # test mapping over environment
    assert app.config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024  # derived after all sources


def test_environment_values_take_their_declared_types(tmp_path, clean_env):
    clean_env.setenv("NETWORK_SMTP_PORT", "2525")
    clean_env.setenv("NETWORK_SMTP_PASSWORD", "123456")  # digits, yet a password is text
    clean_env.setenv("NETWORK_DEBUG", "no")
    clean_env.setenv("NETWORK_SMTP_SECURITY", "SSL")
    clean_env.setenv("NETWORK_TRUSTED_PROXIES", " 1 ")

    app = make_app(tmp_path / "instance")

    assert app.config["SMTP_PORT"] == 2525
    assert app.config["SMTP_PASSWORD"] == "123456"
    assert app.config["DEBUG"] is False
    assert app.config["SMTP_SECURITY"] == "ssl"
    assert app.config["TRUSTED_PROXIES"] == 1


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("NETWORK_SMTP_PORT", "twenty", "whole number"),
        ("NETWORK_DEBUG", "maybe", "true or false"),
        ("NETWORK_SMTP_SECURITY", "tls", "none, starttls, ssl"),
        ("NETWORK_LOG_LEVEL", "loud", "debug, info"),
        ("NETWORK_DATABASE_POOL_SIZE", "0", "at least 1"),
        ("NETWORK_FRAGMENT_CACHE_MB", "-5", "at least 0"),
        ("NETWORK_FRAGMENT_CACHE_MB", "lots", "whole number"),
    ],
)
def test_a_malformed_value_names_its_variable_and_what_was_expected(name, value, expected):
    with pytest.raises(ConfigError) as caught:
        from_environment({name: value})
    assert name in str(caught.value)
    assert expected in str(caught.value)


def test_unrelated_environment_variables_are_ignored():
    assert from_environment({"HOME": "/root", "NETWORK_UNKNOWN": "x"}) == {}


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path, clean_env):
    app = make_app(tmp_path / "inst")
    expected = "sqlite:///" + str((tmp_path / "inst" / "network.sqlite").resolve())
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_postgres_urls_go_to_psycopg_3():
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_a_relative_instance_path_is_made_absolute(tmp_path, clean_env):
    clean_env.chdir(tmp_path)
    clean_env.setenv("NETWORK_INSTANCE_PATH", "data/here")
    app = create_app()
    assert app.instance_path == str(tmp_path / "data" / "here")
    assert Path(app.instance_path).is_absolute()


def test_templates_static_and_migrations_are_found_by_absolute_paths(tmp_path, clean_env):
    clean_env.chdir(tmp_path)  # anywhere but the checkout
    app = make_app(tmp_path / "instance")
    assert app.template_folder == str(PROJECT_ROOT / "templates")
    assert app.static_folder == str(PROJECT_ROOT / "static")
    assert app.extensions["migrate"].directory == str(PROJECT_ROOT / "migrations")


def test_https_public_url_makes_cookies_secure(tmp_path, clean_env):
    secure = make_app(tmp_path / "a", PUBLIC_URL="https://community.example.com/")
    plain = make_app(tmp_path / "b", PUBLIC_URL="http://community.example.com")
    unset = make_app(tmp_path / "c")
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    assert secure.config["REMEMBER_COOKIE_SECURE"] is True
    assert secure.config["PUBLIC_URL"] == "https://community.example.com"
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert unset.config["SESSION_COOKIE_SECURE"] is False


def test_session_defaults_follow_sec_06(tmp_path, clean_env):
    config = make_app(tmp_path / "i").config
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["WTF_CSRF_TIME_LIMIT"] is None
    assert config["REMEMBER_COOKIE_DURATION"] <= 30 * 24 * 3600
    assert config["RATELIMIT_HEADERS_ENABLED"] is True


def test_redis_url_becomes_the_rate_limit_store(tmp_path, clean_env):
    app = make_app(tmp_path / "i", REDIS_URL="redis://127.0.0.1:6379/0")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert make_app(tmp_path / "j").config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_an_app_without_redis_does_not_inherit_an_earlier_apps_queue(tmp_path, clean_env):
    from network.extensions import socketio

    make_app(tmp_path / "i", REDIS_URL="redis://127.0.0.1:6379/0")
    plain = make_app(tmp_path / "j", SQLALCHEMY_DATABASE_URI="sqlite://")
    client = socketio.test_client(plain)  # refuses to run over a message queue
    client.disconnect()


def test_create_app_has_no_side_effects(tmp_path, clean_env, capsys):
    instance = tmp_path / "never-made"
    app = make_app(instance)  # no secret at all: still builds, never refuses
    assert app.config["SECRET_KEY"] is None
    assert not instance.exists()  # no folder, no database file, no schema
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        (None, "no secret key"),
        ("", "no secret key"),
        ("short-secret", "shorter than 32"),
        (EXAMPLE_SECRET, "example value"),
    ],
)
def test_unfit_secrets_are_named(secret, problem):
    assert problem in (secret_problem(secret) or "")


def test_a_long_random_secret_is_fit():
    assert secret_problem("k" * 32) is None


def test_every_setting_is_documented_in_docs_and_readme():
    docs = (PROJECT_ROOT / "docs" / "configuration.md").read_text()
    readme = (PROJECT_ROOT / "README.md").read_text()
    for setting in SETTINGS:
        row = re.search(rf"^\|\s*`{setting.env}`.*$", docs, re.MULTILINE)
        assert row, f"{setting.env} has no row in docs/configuration.md"
        assert f"`{setting.key}`" in row.group(0), f"{setting.env}: key missing from its row"
        assert setting.type_name in row.group(0), f"{setting.env}: type missing from its row"
        assert setting.env in readme, f"{setting.env} is missing from README.md"
