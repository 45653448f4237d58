"""SEC-10: the expected status of every route for every kind of person, one module per domain.

Each module holds ROWS: "METHOD rule" -> (concrete path, {person: status}).  A
request is what a plain visit sends: GET, or POST with a valid CSRF token and
no fields.  Add a module's ROWS to EXPECTED below.
"""

import importlib
import pkgutil

EXPECTED: dict[str, tuple[str, dict[str, int]]] = {}
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "people":
        _rows = importlib.import_module(f"{__name__}.{_module.name}").ROWS
        _overlap = set(_rows) & set(EXPECTED)
        assert not _overlap, f"routes listed twice: {_overlap}"
        EXPECTED.update(_rows)
