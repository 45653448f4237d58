"""The models, one module per aggregate; importing this package registers them all."""

from network.models.base import Base, UTCDateTime, utcnow
from network.models.community import CommunitySetting
from network.models.member import (
    ApiToken,
    Member,
    MemberSession,
    MemberStatus,
    OneTimeToken,
    Role,
    SignInEvent,
    TokenPurpose,
)

__all__ = [
    "ApiToken",
    "Base",
    "CommunitySetting",
    "Member",
    "MemberSession",
    "MemberStatus",
    "OneTimeToken",
    "Role",
    "SignInEvent",
    "TokenPurpose",
    "UTCDateTime",
    "utcnow",
]
