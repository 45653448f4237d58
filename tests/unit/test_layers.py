"""The import contracts (setup.cfg, run by `make lint`) refuse an upward import (issue 17, item 2).

`make lint` checks the tree as it is; this test checks that the contracts can fail:
a copy of the package with one upward import added is refused, and the copy as it
is passes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(tree / "setup.cfg")],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "network", tree / "network", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "setup.cfg", tree / "setup.cfg")
    return tree


def test_the_tree_keeps_its_layers(copy: Path) -> None:
    answer = _lint(copy)
    assert answer.returncode == 0, answer.stdout[-2000:]


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("posts/service.py", "from network.realtime import broadcast"),  # a service, to realtime
        ("models/post.py", "from network.posts import access"),  # the kernel, to a domain
        ("accounts/members.py", "from network.admin import service"),  # accounts, to admin
        ("web/forms.py", "from network.assembly import setup"),  # shared web, to the assembly
        # not upward, but across: these pairs are independent
        ("notifications/service.py", "from network.posts import access"),
        ("api/me.py", "from network.realtime import rooms"),
    ],
)
def test_an_upward_or_crossing_import_is_refused(copy: Path, module: str, upward: str) -> None:
    path = copy / "network" / module
    original = path.read_text()
    path.write_text(original + f"\n{upward}  # noqa\n")
    try:
        answer = _lint(copy)
    finally:
        path.write_text(original)
    assert answer.returncode != 0
    assert "BROKEN" in answer.stdout
