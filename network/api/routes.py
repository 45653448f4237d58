"""The API's routes, gathered: importing this module registers every view on `blueprint`."""

# Imported for their side effect: each module's views register on `blueprint`.
from network.api import case_studies, comments, feed, me, openapi, posts, users  # noqa: F401
from network.api.blueprint import blueprint

__all__ = ["blueprint"]
