"""The gunicorn entry point: `gunicorn -c gunicorn.conf.py` (see docs/deployment.md)."""

import os
import sys

from network import create_app
from network.assembly.serving import announce_first_admin, problems_before_serving

app = create_app()

_problems = problems_before_serving(app)
if _problems:
    for _problem in _problems:
        print(_problem, file=sys.stderr)
    # Exit status 3 is gunicorn's "worker failed to boot": the master stops
    # instead of restarting workers forever. Outside gunicorn it is just non-zero.
    sys.exit(3)

# gunicorn.conf.py says where it listens, so the link can be opened as printed.
for _line in announce_first_admin(app, os.environ.get("NETWORK_SERVING_URL")):
    print(_line, file=sys.stderr, flush=True)
