"""Operator commands: gen-secret and set-community (issue 2, item 3)."""

from __future__ import annotations

import ast
import stat
from pathlib import Path

from network.config import EXAMPLE_SECRET, secret_problem


def read_secret(config_file: Path) -> str:
    for line in config_file.read_text().splitlines():
        if line.startswith("SECRET_KEY"):
            return ast.literal_eval(line.split("=", 1)[1].strip())
    raise AssertionError("no SECRET_KEY line")


def test_gen_secret_writes_a_fit_secret_readable_only_by_the_owner(app, runner):
    result = runner.invoke(args=["gen-secret"])
    assert result.exit_code == 0, result.output
    config_file = Path(app.instance_path) / "config.py"
    assert secret_problem(read_secret(config_file)) is None
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600


def test_gen_secret_keeps_other_settings_and_replaces_the_example(app, runner):
    config_file = Path(app.instance_path) / "config.py"
    config_file.write_text(f"SMTP_HOST = 'mail.example'\nSECRET_KEY = {EXAMPLE_SECRET!r}\n")
    assert runner.invoke(args=["gen-secret"]).exit_code == 0
    text = config_file.read_text()
    assert "SMTP_HOST = 'mail.example'" in text
    assert read_secret(config_file) != EXAMPLE_SECRET
    assert text.count("SECRET_KEY") == 1


def test_gen_secret_never_silently_replaces_a_good_secret(app, runner):
    runner.invoke(args=["gen-secret"])
    config_file = Path(app.instance_path) / "config.py"
    first = read_secret(config_file)

    refused = runner.invoke(args=["gen-secret"])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    kept = runner.invoke(args=["gen-secret", "--if-missing"])
    assert kept.exit_code == 0 and "kept" in kept.output
    assert read_secret(config_file) == first

    assert runner.invoke(args=["gen-secret", "--force"]).exit_code == 0
    assert read_secret(config_file) != first


def test_set_community_names_the_community(app, runner, client):
    result = runner.invoke(args=["set-community", "--name", "Acme Users", "--tagline", "Hi"])
    assert result.exit_code == 0, result.output
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Acme Users" in page and "Hi" in page


def test_set_community_refuses_bad_input_clearly(runner):
    assert runner.invoke(args=["set-community"]).exit_code == 2
    too_long = runner.invoke(args=["set-community", "--name", "x" * 200])
    assert too_long.exit_code == 1
    assert "at most 80 characters" in too_long.output
