"""Configuration: one table of settings, loaded in a fixed order.

Order (later wins): the defaults below, then ``instance/config.py``, then
``NETWORK_*`` environment variables parsed with each setting's declared type,
then the mapping a test passes to ``create_app``.  Values derived from other
settings (cookie security, the upload cap in bytes) are computed last so that
every source can change their inputs.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: the repository root: templates/, static/, migrations/ and instance/ live here
PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SECRET = "change-me-to-the-output-of-flask-gen-secret"  # noqa: S105 (a known-bad value)
MIN_SECRET_LENGTH = 32


class ConfigError(ValueError):
    """A configuration value that cannot be parsed as its declared type."""


def _parse_str(raw: str) -> str:
    return raw


def _parse_int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigError(f"expected a whole number, got {raw!r}") from None


def _at_least(lowest: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        value = _parse_int(raw)
        if value < lowest:
            raise ConfigError(f"expected a whole number of at least {lowest}, got {raw!r}")
        return value

    parse.__name__ = f"integer, at least {lowest}"
    return parse


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"expected true or false, got {raw!r}")


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ConfigError(f"expected one of {', '.join(allowed)}, got {raw!r}")
        return value

    parse.__name__ = "one of: " + ", ".join(allowed)
    return parse


def _networks(raw: str) -> tuple[str, ...]:
    """Addresses or networks, comma-separated ("127.0.0.1, 10.0.0.0/8"); empty is none."""
    found = []
    for part in (piece.strip() for piece in raw.split(",")):
        if not part:
            continue
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise ConfigError(f"expected addresses or networks, got {part!r}") from None
        found.append(part)
    return tuple(found)


_networks.__name__ = "addresses or networks, comma-separated"


def _time_zone(raw: str) -> str:
    """An IANA time zone name ("Europe/Berlin"), as zoneinfo knows it."""
    import zoneinfo

    value = raw.strip()
    if value not in zoneinfo.available_timezones():
        raise ConfigError(f"expected an IANA time zone name such as Europe/Berlin, got {raw!r}")
    return value


_time_zone.__name__ = "an IANA time zone name"


def _hour(raw: str) -> int:
    value = _parse_int(raw)
    if not 0 <= value <= 23:
        raise ConfigError(f"expected an hour from 0 to 23, got {raw!r}")
    return value


_hour.__name__ = "integer, 0 to 23"


@dataclass(frozen=True)
class Setting:
    key: str  # the Flask config key
    env: str  # the environment variable that sets it
    parse: Callable[[str], Any]
    default: Any
    meaning: str

    @property
    def type_name(self) -> str:
        names = {_parse_str: "string", _parse_int: "integer", _parse_bool: "boolean"}
        return names.get(self.parse, self.parse.__name__)


# The one table of settings.  docs/configuration.md and README.md show it; a test
# keeps them in step.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        "NETWORK_SECRET_KEY",
        _parse_str,
        None,
        "Signs sessions and tokens. At least 32 characters; `flask --app network gen-secret` "
        "writes one into instance/config.py. The server refuses to start without it.",
    ),
    Setting(
        "SQLALCHEMY_DATABASE_URI",
        "NETWORK_DATABASE_URL",
        _parse_str,
        None,
        "Database URL. Unset: SQLite file network.sqlite in the instance folder. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/name.",
    ),
    Setting(
        "INSTANCE_PATH",
        "NETWORK_INSTANCE_PATH",
        _parse_str,
        None,
        "Folder for config.py, the SQLite database and uploads. Unset: instance/ in the "
        "checkout. A relative path is taken from the current directory.",
    ),
    Setting(
        "PUBLIC_URL",
        "NETWORK_PUBLIC_URL",
        _parse_str,
        None,
        "The address people use, e.g. https://community.example.com. Unset: URLs come from "
        "each request and Socket.IO accepts the same origin only. https turns on Secure "
        "cookies and HSTS.",
    ),
    Setting(
        "REDIS_URL",
        "NETWORK_REDIS_URL",
        _parse_str,
        None,
        "Redis for several processes: the Socket.IO message queue and the rate-limit store. "
        "Unset: both live in the process.",
    ),
    Setting(
        "SOCKETIO_CHANNEL",
        "NETWORK_SOCKETIO_CHANNEL",
        _parse_str,
        None,
        "Name of the Redis channel (and key prefix) this deployment's processes share for "
        "Socket.IO messages and the socket registry. Unset: derived from the database URL, so "
        "two deployments on one Redis do not hear each other.",
    ),
    Setting(
        "REALTIME_TTL",
        "NETWORK_REALTIME_TTL",
        _at_least(3),
        30,
        "Seconds a process's sockets stay in the Redis registry without its heartbeat (sent "
        "every third of this): after a crash, presence forgets them this much later.",
    ),
    Setting(
        "LOG_LEVEL",
        "NETWORK_LOG_LEVEL",
        _choice("debug", "info", "warning", "error"),
        "info",
        "How much the server logs.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        "NETWORK_TRUSTED_PROXIES",
        _parse_int,
        0,
        "How many reverse proxies (nginx) stand in front of the server; their "
        "X-Forwarded-For/-Proto headers are trusted, nobody else's.",
    ),
    Setting(
        "REGISTRATION",
        "NETWORK_REGISTRATION",
        _choice("open", "invite", "approval"),
        "open",
        "How people join: open, invite (an invitation link is needed) or approval (new members "
        "wait for an admin). Admins can change it on the community settings page.",
    ),
    Setting(
        "STAFF_DOMAINS",
        "NETWORK_STAFF_DOMAINS",
        _parse_str,
        None,
        "Company email domains, comma-separated (e.g. example.com, example.ru): a member who "
        "verifies an address there becomes an employee. Admins can change it.",
    ),
    Setting(
        "SMTP_HOST",
        "NETWORK_SMTP_HOST",
        _parse_str,
        None,
        "Mail server. Unset: mail is not sent and links meant for mail go to the server log.",
    ),
    Setting("SMTP_PORT", "NETWORK_SMTP_PORT", _parse_int, 587, "Mail server port."),
    Setting("SMTP_USER", "NETWORK_SMTP_USER", _parse_str, None, "Mail server user name."),
    Setting("SMTP_PASSWORD", "NETWORK_SMTP_PASSWORD", _parse_str, None, "Mail server password."),
    Setting(
        "SMTP_FROM",
        "NETWORK_SMTP_FROM",
        _parse_str,
        None,
        "Sender address of the community's mail.",
    ),
    Setting(
        "SMTP_SECURITY",
        "NETWORK_SMTP_SECURITY",
        _choice("none", "starttls", "ssl"),
        "starttls",
        "How mail is encrypted on the way to the mail server.",
    ),
    Setting(
        "MAIL_SENDER",
        "NETWORK_MAIL_SENDER",
        _choice("thread", "off"),
        "thread",
        "Who delivers the mail outbox: thread (a background thread in each server process, "
        "the embedded default) or off (a separate `flask send-mail --loop` service or timer "
        "does).",
    ),
    Setting(
        "MAIL_SENDER_SECONDS",
        "NETWORK_MAIL_SENDER_SECONDS",
        _at_least(1),
        30,
        "How often the sender thread looks for due mail; a commit that wrote mail wakes it "
        "at once.",
    ),
    Setting(
        "UPLOAD_MAX_MB",
        "NETWORK_UPLOAD_MAX_MB",
        _parse_int,
        10,
        "Largest accepted request body and upload, in megabytes; larger ones get 413.",
    ),
    Setting(
        "UPLOAD_JOBS",
        "NETWORK_UPLOAD_JOBS",
        _at_least(1),
        2,
        "Pictures each process decodes and re-encodes at once (each takes up to about "
        "100 MB while it runs); further uploads wait for a free slot.",
    ),
    Setting(
        "UPLOAD_WAIT_SECONDS",
        "NETWORK_UPLOAD_WAIT_SECONDS",
        _at_least(0),
        5,
        "How long an upload waits for a free picture slot before it gets 503 with Retry-After.",
    ),
    Setting(
        "DATABASE_POOL_SIZE",
        "NETWORK_DATABASE_POOL_SIZE",
        _at_least(1),
        16,
        "Database connections each process keeps open (and as many more at peaks): about "
        "the requests it serves at once. Processes × twice this must stay under "
        "PostgreSQL's max_connections.",
    ),
    Setting(
        "FRAGMENT_CACHE_MB",
        "NETWORK_FRAGMENT_CACHE_MB",
        _at_least(0),
        64,
        "Memory each process may keep rendered fragments in (post cards, comments, case-study "
        "cards), shared by every viewer and kept under a key of what they show; least recently "
        "used first out; 0 turns it off. With NETWORK_REDIS_URL, Redis is a second tier.",
    ),
    Setting(
        "SOCKETIO_ASYNC_MODE",
        "NETWORK_ASYNC_MODE",
        _choice("threading", "gevent"),
        "threading",
        "Socket.IO server mode: threading (gthread workers) or gevent.",
    ),
    Setting(
        "METRICS_FROM",
        "NETWORK_METRICS_FROM",
        _networks,
        ("127.0.0.1", "::1"),
        "Who may read Prometheus metrics at /metrics (client addresses or networks, "
        "comma-separated; behind a proxy set NETWORK_TRUSTED_PROXIES). Empty: /metrics is 404.",
    ),
    Setting(
        "LOG_FORMAT",
        "NETWORK_LOG_FORMAT",
        _choice("text", "json"),
        "text",
        "text: one line per event; json: one JSON object per line (time, level, logger, "
        "request_id, message), for log collectors.",
    ),
    Setting(
        "EXPECTED_SOCKETS",
        "NETWORK_EXPECTED_SOCKETS",
        _at_least(1),
        200,
        "Live connections (open tabs) one process should hold at once. gunicorn.conf.py sizes "
        "the server from it: in threading mode each socket holds a thread, so threads = this "
        "+ 32 for plain requests.",
    ),
    Setting(
        "DEFAULT_TIME_ZONE",
        "NETWORK_DEFAULT_TIME_ZONE",
        _time_zone,
        "UTC",
        "The time zone of a member who has not chosen one: their mail digests arrive at "
        "NETWORK_DIGEST_HOUR in it.",
    ),
    Setting(
        "DIGEST_HOUR",
        "NETWORK_DIGEST_HOUR",
        _hour,
        8,
        "The hour (0-23, each member's local time) after which `flask --app network run-jobs` "
        "sends the daily and weekly mail digests (weekly ones on Mondays); run it hourly.",
    ),
    Setting(
        "DEBUG",
        "NETWORK_DEBUG",
        _parse_bool,
        False,
        "Development mode: tracebacks in the browser. Never in production.",
    ),
)

SETTINGS_BY_ENV = {setting.env: setting for setting in SETTINGS}


def defaults() -> dict[str, Any]:
    """Fixed defaults that are not in the operator's table (framework switches)."""
    return {
        **{setting.key: setting.default for setting in SETTINGS},
        "TESTING": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # SEC-06: cookies
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 14 * 24 * 3600,
        "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # CSRF tokens live as long as the session, so a long draft still posts
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        # Redis down: count in this process's memory until it answers again, and let a
        # request through rather than answer 500 if counting fails (issue 18, item 4).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("en", "ru"),
        "SOCKETIO_MAX_PAYLOAD": 64 * 1024,
        # Seconds in which joins and leaves of a post's room make one presence event (0: each
        # its own; the in-process tests use 0 to read presence at once)
        "REALTIME_PRESENCE_WINDOW": 0.5,
        # argon2id: argon2-cffi's defaults (RFC 9106 low-memory); tests lower them
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "ARGON2_PARALLELISM": 4,
        # SEC-03 rate limits; Mastodon allows 25 sign-ins per 5 minutes per address
        "RATELIMIT_SIGN_IN_IP": "25 per 5 minutes",
        # Only the number counts: failures from unknown browsers before each next attempt
        # waits longer (network/accounts/throttle.py); the period is not used.
        "RATELIMIT_SIGN_IN_ACCOUNT": "10 per 5 minutes",
        "RATELIMIT_SIGN_UP_IP": "10 per hour",
        "RATELIMIT_MAIL_IP": "10 per 15 minutes",
        "RATELIMIT_MAIL_ACCOUNT": "3 per 15 minutes",
        # invitations one admin or staff member mails from the invitations pages
        "RATELIMIT_INVITE_MAIL": "30 per hour",
        "RATELIMIT_UPLOAD": "60 per 10 minutes",
        # The JSON API, per member (per address for anonymous callers)
        "RATELIMIT_API": "300 per minute",
        # Socket events, per member (or per socket for anonymous listeners)
        "RATELIMIT_SOCKET": {
            "default": "60 per minute",
            "on_comment": "10 per minute",
            "on_subscribe": "120 per minute",
            "on_watch_case_study": "120 per minute",  # one per card on a page
            "on_typing": "120 per minute",
            "typing_shown": "1 per 3 seconds",
        },
        # how long links stay good
        "VERIFY_EMAIL_HOURS": 48,
        "RESET_PASSWORD_MINUTES": 60,
        "FIRST_ADMIN_HOURS": 24,
        # a browser session without "remember me" ends after this many days unused
        "SESSION_IDLE_DAYS": 14,
        "JSON_SORT_KEYS": False,
    }


def instance_path_from(environ: Mapping[str, str], test_config: Mapping[str, Any] | None) -> str:
    """The absolute instance folder; it must be known before the app exists."""
    raw = (test_config or {}).get("INSTANCE_PATH") or environ.get("NETWORK_INSTANCE_PATH")
    path = Path(raw) if raw else PROJECT_ROOT / "instance"
    return str(path.resolve())


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """NETWORK_* variables, each parsed with its declared type (never JSON-guessed)."""
    values: dict[str, Any] = {}
    for name, raw in environ.items():
        setting = SETTINGS_BY_ENV.get(name)
        if setting is None:
            continue
        try:
            values[setting.key] = setting.parse(raw)
        except ConfigError as error:
            raise ConfigError(f"{name}: {error}") from None
    return values


def finish(config: dict[str, Any], instance_path: str) -> None:
    """Fill values that follow from others, after every source has spoken."""
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
            Path(instance_path) / "network.sqlite"
        )
    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config["SQLALCHEMY_DATABASE_URI"])
    config["INSTANCE_PATH"] = instance_path
    url = config["SQLALCHEMY_DATABASE_URI"]
    if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
        # A pool as big as the requests a process serves at once: with fewer,
        # the extra connections were opened and closed on every request.
        pool = {
            "pool_size": config["DATABASE_POOL_SIZE"],
            "max_overflow": config["DATABASE_POOL_SIZE"],
            # A database server's pooled connection is tested before use: after a restart
            # the first request gets a new one instead of an error (issue 18, item 4).
            "pool_pre_ping": not url.startswith("sqlite"),
        }
        config["SQLALCHEMY_ENGINE_OPTIONS"] = pool | dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    public_url = (config.get("PUBLIC_URL") or "").rstrip("/") or None
    config["PUBLIC_URL"] = public_url
    secure = bool(public_url and public_url.startswith("https://"))
    config["SESSION_COOKIE_SECURE"] = secure
    config["REMEMBER_COOKIE_SECURE"] = secure
    if public_url:
        config["PREFERRED_URL_SCHEME"] = "https" if secure else "http"
    config["MAX_CONTENT_LENGTH"] = int(config["UPLOAD_MAX_MB"]) * 1024 * 1024
    config.setdefault("RATELIMIT_STORAGE_URI", config.get("REDIS_URL") or "memory://")
    # One deployment, one channel: Redis pub/sub ignores the database number in the URL.
    config["SOCKETIO_CHANNEL"] = config.get("SOCKETIO_CHANNEL") or (
        "network-" + hashlib.sha256(url.encode()).hexdigest()[:16]
    )


def normalize_database_url(url: str) -> str:
    """Send every PostgreSQL URL to psycopg 3, whatever the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_problem(secret: str | None) -> str | None:
    """Why a secret key is unfit to serve with, or None when it is fit (SEC-42)."""
    if not secret:
        return "no secret key is set"
    if secret == EXAMPLE_SECRET:
        return "the secret key is the example value"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"the secret key is shorter than {MIN_SECRET_LENGTH} characters"
    return None
