"""The models, one module per aggregate; importing this package registers them all."""

from network.models.base import Base, UTCDateTime, utcnow
from network.models.community import CommunitySetting
from network.models.follow import Follow
from network.models.idempotency import IdempotencyKey
from network.models.invitation import AuditEvent, Invitation
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
from network.models.notification import Notification, NotificationKind
from network.models.post import (
    Comment,
    ContentState,
    ConversationEvent,
    EventKind,
    Post,
    Visibility,
)
from network.models.profile import CardField, Profile, ProfileVisibility
from network.models.upload import Upload, UploadPurpose

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "CardField",
    "Comment",
    "CommunitySetting",
    "ContentState",
    "ConversationEvent",
    "EventKind",
    "Follow",
    "IdempotencyKey",
    "Invitation",
    "Member",
    "MemberSession",
    "MemberStatus",
    "Notification",
    "NotificationKind",
    "OneTimeToken",
    "Post",
    "Profile",
    "ProfileVisibility",
    "Role",
    "SignInEvent",
    "TokenPurpose",
    "UTCDateTime",
    "Upload",
    "UploadPurpose",
    "Visibility",
    "utcnow",
]
