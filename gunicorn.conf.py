"""gunicorn's settings for the community: `gunicorn -c gunicorn.conf.py` (what `make run` does).

One worker per process, sized from the configuration (NETWORK_ASYNC_MODE,
NETWORK_EXPECTED_SOCKETS; see network/assembly/serving.py). The address comes from
NETWORK_BIND (default 127.0.0.1:8000) or gunicorn's own --bind, which wins.

This file runs in gunicorn's master, before a gevent worker monkey-patches the
standard library: it imports the settings alone (serving.py loads nothing of the
app at import time); wsgi.py builds the app in the worker, after the patching.
"""

import os

from network.assembly.serving import gunicorn_sizes

wsgi_app = "wsgi:app"
bind = [os.environ.get("NETWORK_BIND", "127.0.0.1:8000")]
# Two servers on one host would collide on gunicorn 27's control socket in the home folder.
control_socket_disable = True
graceful_timeout = 10
globals().update(gunicorn_sizes(os.environ))


def when_ready(server):
    """Say where the community answers, once the socket is bound."""
    public = (os.environ.get("NETWORK_PUBLIC_URL") or "").rstrip("/")
    for address in server.cfg.bind:
        url = public or f"http://{address}"
        print(f"Serving the community at {url}/ (Ctrl+C to stop)", flush=True)
        # wsgi.py, imported by the workers forked after this, prints the first-admin
        # link with it.
        os.environ.setdefault("NETWORK_SERVING_URL", url)
    cfg = server.cfg  # what gunicorn runs with: this file's sizes, or its own flags
    server.log.info(
        "worker_class=%s workers=%d threads=%d worker_connections=%d",
        cfg.worker_class_str,
        cfg.workers,
        cfg.threads,
        cfg.worker_connections,
    )
