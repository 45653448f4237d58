"""Seeded benchmark databases kept between runs, keyed by the schema head, the seed code and size.

Seeding 1M posts takes minutes; a run copies a kept database instead. SQLite:
the file under benchmarks/.cache/<key>/ (gitignored), copied into the run's
folder. PostgreSQL: a template database `bench_seed_<digest>` on the same server,
cloned with CREATE DATABASE ... TEMPLATE. The key names the migration head,
a hash of seed_data.py and corpus.py and the shape, so a new migration or a
change to the seeding seeds again; older entries of the same shape are
removed when a new one is made.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import corpus
import seed_data
import servers
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url

from network import create_app

CACHE = Path(__file__).resolve().parent / ".cache"
# Nobody types this password: cheap hashes make signing 250 members in take seconds.
CHEAP_HASHES = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1}


@dataclass
class Facts:
    """What a run needs to know about a seeded database."""

    password: str
    viewer_email: str
    hot_post_id: int
    seconds: float  # how long seeding took when it was done
    counts: dict[str, int] = field(default_factory=dict)
    reused: bool = False  # this run copied a kept database


def schema_head() -> str:
    heads = ScriptDirectory(str(servers.PROJECT_ROOT / "migrations")).get_heads()
    return "+".join(sorted(heads))


def seed_version() -> str:
    digest = hashlib.sha256()
    for module in (seed_data, corpus):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:10]


def shape_label(shape: seed_data.Shape) -> str:
    return (
        f"{shape.posts}p-{shape.members}m-{shape.comments}c-{shape.follows_each}f"
        f"-{shape.random_seed}s"
    )


def cache_key(shape: seed_data.Shape) -> str:
    return f"{shape_label(shape)}-{schema_head()}-{seed_version()}"


def migrate(env: dict[str, str]) -> None:
    """`flask db upgrade heads`: every head, so a moment with two (a migration being re-chained
    by someone else) still migrates."""
    done = subprocess.run(
        [str(servers.BIN / "flask"), "--app", "network", "db", "upgrade", "heads"],
        cwd=servers.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


def local_config(url: str, secret: str, instance: Path) -> dict[str, object]:
    """An in-process app on that database (seeding texts, signing in, profiling)."""
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": secret,
        "INSTANCE_PATH": str(instance),
        "RATELIMIT_ENABLED": False,  # 250 sign-ins from one address in a few seconds
        **CHEAP_HASHES,
    }


def _seed(
    url: str, env: dict[str, str], shape: seed_data.Shape, say: Callable[[str], None]
) -> Facts:
    migrate(env)
    password = secrets.token_urlsafe(16)
    app = create_app(
        local_config(url, env["NETWORK_SECRET_KEY"], Path(env["NETWORK_INSTANCE_PATH"]))
    )
    texts = corpus.make_texts(app, password)
    engine = create_engine(url)
    try:
        seeded = seed_data.seed(engine, shape, texts, say)
    finally:
        engine.dispose()
    return Facts(password, seeded.viewer_email, seeded.hot_post_id, seeded.seconds, seeded.counts)


def _read(path: Path) -> Facts | None:
    if not path.exists():
        return None
    return Facts(**json.loads(path.read_text()))


def _write(path: Path, facts: Facts) -> None:
    saved = asdict(facts)
    saved.pop("reused")
    path.write_text(json.dumps(saved))


def _older(shape: seed_data.Shape, keep: str, backend: str) -> list[Path]:
    """Entries of this shape and backend under another key (another schema head or seed)."""
    prefix = f"{backend}-{shape_label(shape)}-"
    return sorted(
        (entry for entry in CACHE.glob(prefix + "*") if entry.stem != f"{backend}-{keep}"),
        key=lambda entry: entry.stat().st_mtime,
        reverse=True,
    )


def _same_seed(entry: Path) -> bool:
    """An entry seeded by today's seed code (only its schema head is older)."""
    return entry.stem.endswith("-" + seed_version())


def _upgraded(url: str, env: dict[str, str], say: Callable[[str], None]) -> bool:
    """Migrate an older kept database to today's head, as a deployment's upgrade would."""
    try:
        migrate(env | {"NETWORK_DATABASE_URL": url})
    except RuntimeError as error:
        say(f"  could not migrate it ({str(error).splitlines()[-1]}); seeding instead")
        return False
    return True


def sqlite_database(
    instance: Path, env: dict[str, str], shape: seed_data.Shape, say: Callable[[str], None]
) -> tuple[str, Facts]:
    """A seeded SQLite file in the run's folder, copied from the cache.

    When the cache has none for today's key, an older one of the same shape and
    seed code is migrated to the head; failing that, a fresh one is seeded.
    """
    key = cache_key(shape)
    kept = CACHE / f"sqlite-{key}"
    facts = _read(kept / "facts.json")
    if facts is None:
        partial = CACHE / f"partial-sqlite-{key}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        url = f"sqlite:///{partial / 'network.sqlite'}"
        older = [entry for entry in _older(shape, key, "sqlite") if _same_seed(entry)]
        if older and (older_facts := _read(older[0] / "facts.json")):
            say(f"migrating the kept database {older[0].name} to {schema_head()}")
            shutil.copyfile(older[0] / "network.sqlite", partial / "network.sqlite")
            facts = older_facts if _upgraded(url, env, say) else None
        if facts is None:
            say(f"seeding (no kept database for {key})")
            (partial / "network.sqlite").unlink(missing_ok=True)
            facts = _seed(url, env | {"NETWORK_DATABASE_URL": url}, shape, say)
        _write(partial / "facts.json", facts)
        for old in _older(shape, key, "sqlite"):
            shutil.rmtree(old, ignore_errors=True)
        partial.rename(kept)
    else:
        facts.reused = True
        say(f"copying the kept database {kept.name}")
    shutil.copyfile(kept / "network.sqlite", instance / "network.sqlite")
    return f"sqlite:///{instance / 'network.sqlite'}", facts


def _admin(server_url: str):
    url = make_url(server_url).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _exists(server_url: str, name: str) -> bool:
    engine = _admin(server_url)
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}
        ).scalar()
    engine.dispose()
    return bool(found)


def drop_postgres(server_url: str, name: str) -> None:
    engine = _admin(server_url)
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def _create(server_url: str, name: str, template: str | None = None) -> str:
    engine = _admin(server_url)
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        like = f' TEMPLATE "{template}"' if template else ""
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"{like}')
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def template_name(key: str) -> str:
    return "bench_seed_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def postgres_database(
    server_url: str,
    name: str,
    env: dict[str, str],
    shape: seed_data.Shape,
    say: Callable[[str], None],
) -> tuple[str, Facts]:
    """The run's database `name`, cloned from the kept template (made first if absent: from an
    older template of the same shape and seed code, migrated to the head, or seeded)."""
    key = cache_key(shape)
    template = template_name(key)
    facts_path = CACHE / f"postgresql-{key}.json"
    facts = _read(facts_path) if _exists(server_url, template) else None
    if facts is None:
        CACHE.mkdir(parents=True, exist_ok=True)
        older = [
            entry
            for entry in _older(shape, key, "postgresql")
            if _same_seed(entry) and _exists(server_url, _template_of(entry))
        ]
        if older and (older_facts := _read(older[0])):
            say(f"migrating the kept database {_template_of(older[0])} to {schema_head()}")
            url = _create(server_url, template, _template_of(older[0]))
            if _upgraded(url, env, say):
                facts = older_facts
                _vacuum(url)
        if facts is None:
            say(f"seeding (no kept database for {key})")
            url = _create(server_url, template)
            facts = _seed(url, env | {"NETWORK_DATABASE_URL": url}, shape, say)
        _write(facts_path, facts)
        for old in _older(shape, key, "postgresql"):
            drop_postgres(server_url, _template_of(old))
            old.unlink(missing_ok=True)
    else:
        facts.reused = True
        say(f"cloning the kept database {template}")
    return _create(server_url, name, template), facts


def _template_of(entry: Path) -> str:
    return template_name(entry.stem.removeprefix("postgresql-"))


def _vacuum(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
