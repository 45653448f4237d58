"""The models, one module per aggregate; importing this package registers them all."""

from network.models.base import Base, UTCDateTime, utcnow
from network.models.community import CommunitySetting

__all__ = ["Base", "CommunitySetting", "UTCDateTime", "utcnow"]
