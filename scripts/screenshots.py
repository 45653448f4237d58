"""Screenshots of the demo community for README and docs: `make screenshots` (not in make test).

Seeds the demo into a throwaway instance, serves it with gunicorn, and has
Debian's Chromium photograph the front page, a profile, the home feed and a
busy post page, on a desktop and on a phone, into docs/img/.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = secrets.token_urlsafe(18)


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "network", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def pick_people(env: dict[str, str]) -> tuple[str, str, int]:
    """A customer to sign in as, a staff member whose profile to show, the busiest post."""
    code = (
        "from network import create_app\n"
        "from network.extensions import db\n"
        "from network.models import Member, Post, Role, Visibility\n"
        "from sqlalchemy import select, func\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    reader = db.session.scalar(select(Member).join(Post, Post.author_id == Member.id)"
        ".where(Member.role == Role.customer).group_by(Member.id)"
        ".order_by(func.count(Post.id).desc()).limit(1))\n"
        "    staff = db.session.scalar(select(Member).where(Member.role == Role.employee)"
        ".order_by(Member.id).limit(1))\n"
        "    busy = db.session.scalar(select(Post.id).where(Post.visibility == Visibility.public)"
        ".order_by(Post.comment_count.desc()).limit(1))\n"
        "    print(reader.email, staff.handle, busy)\n"
    )
    result = subprocess.run(
        [str(BIN / "python"), "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    email, handle, post_id = result.stdout.split()
    return email, handle, int(post_id)


def main() -> None:
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    instance = Path(tempfile.mkdtemp(prefix="screens-"))
    env = {
        **os.environ,
        "NETWORK_INSTANCE_PATH": str(instance),
        "NETWORK_SECRET_KEY": secrets.token_urlsafe(48),
        "PYTHONUNBUFFERED": "1",
    }
    run(env, "db", "upgrade")
    run(env, "seed-demo")
    reader, staff_handle, busy_post = pick_people(env)
    password_file = instance / "pw"
    password_file.write_text(PASSWORD + "\n")
    run(env, "set-password", reader, "--password-file", str(password_file))

    port = 8391
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-k",
            "gthread",
            "-w",
            "1",
            "--threads",
            "8",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for label, viewport in (
                ("desktop", {"width": 1280, "height": 900}),
                ("phone", {"width": 390, "height": 844}),
            ):
                visitor = browser.new_context(viewport=viewport, locale="en-US")
                page = visitor.new_page()
                page.goto(base + "/")
                page.screenshot(path=OUT / f"front-{label}.png")
                page.goto(f"{base}/u/{staff_handle}")
                page.screenshot(path=OUT / f"profile-{label}.png")
                page.goto(f"{base}/case-studies/1")  # the demo's public customer story
                page.screenshot(path=OUT / f"case-study-{label}.png", full_page=label == "desktop")
                member = browser.new_context(viewport=viewport, locale="en-US")
                page = member.new_page()
                page.goto(base + "/signin")
                page.get_by_label("Email or handle").fill(reader)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.goto(base + "/feed")
                page.screenshot(path=OUT / f"feed-{label}.png")
                page.goto(f"{base}/posts/{busy_post}")
                page.screenshot(path=OUT / f"post-{label}.png", full_page=label == "desktop")
                visitor.close()
                member.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
