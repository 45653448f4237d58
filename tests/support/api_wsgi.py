"""gunicorn entry point for the API's schemathesis run: wsgi.py with the API rate limit lifted.

No NETWORK_* setting reaches RATELIMIT_API, so the test server is built
here with that one override; it refuses to serve for the same reasons as
wsgi.py (no secret, no schema).
"""

import sys

from network import create_app
from network.assembly.serving import problems_before_serving

app = create_app({"RATELIMIT_API": "100000 per minute"})

_problems = problems_before_serving(app)
if _problems:
    for _problem in _problems:
        print(_problem, file=sys.stderr)
    sys.exit(3)
