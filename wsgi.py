"""The gunicorn entry point: `gunicorn wsgi:app` (see docs/deployment.md)."""

import sys

from network import create_app
from network.serving import announce_first_admin, problems_before_serving

app = create_app()

_problems = problems_before_serving(app)
if _problems:
    for _problem in _problems:
        print(_problem, file=sys.stderr)
    # Exit status 3 is gunicorn's "worker failed to boot": the master stops
    # instead of restarting workers forever. Outside gunicorn it is just non-zero.
    sys.exit(3)

for _line in announce_first_admin(app, None):
    print(_line, file=sys.stderr, flush=True)
