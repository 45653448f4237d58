"""The API's routes, gathered: importing this module registers every view on `blueprint`."""

from network.api import comments, feed, me, openapi, posts, users  # noqa: F401 (views register)
from network.api.blueprint import blueprint

__all__ = ["blueprint"]
