"""The models, one module per aggregate; importing this package registers them all."""

from network.models.base import Base, UTCDateTime, utcnow
from network.models.case_study import (
    Audience,
    CaseStudy,
    CaseStudyConsent,
    CaseStudyRevision,
    CaseStudyStatus,
    CompanyScope,
    ConsentAction,
    ConsentEvent,
    NameScope,
    RevisionState,
)
from network.models.community import CommunitySetting
from network.models.follow import Follow
from network.models.idempotency import IdempotencyKey
from network.models.invitation import AuditEvent, Invitation
from network.models.mail_preference import MailPreference
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
from network.models.outbox import OutboxMessage, OutboxStatus
from network.models.post import (
    Comment,
    ContentState,
    ConversationEvent,
    EventKind,
    Post,
    Visibility,
)
from network.models.profile import CardField, Profile, ProfileVisibility
from network.models.upload import CaseStudyUpload, PostUpload, Upload, UploadPurpose

__all__ = [
    "ApiToken",
    "Audience",
    "AuditEvent",
    "Base",
    "CardField",
    "CaseStudy",
    "CaseStudyConsent",
    "CaseStudyRevision",
    "CaseStudyStatus",
    "CaseStudyUpload",
    "Comment",
    "CommunitySetting",
    "CompanyScope",
    "ConsentAction",
    "ConsentEvent",
    "ContentState",
    "ConversationEvent",
    "EventKind",
    "Follow",
    "IdempotencyKey",
    "Invitation",
    "MailPreference",
    "Member",
    "MemberSession",
    "MemberStatus",
    "NameScope",
    "Notification",
    "NotificationKind",
    "OneTimeToken",
    "OutboxMessage",
    "OutboxStatus",
    "Post",
    "PostUpload",
    "Profile",
    "ProfileVisibility",
    "RevisionState",
    "Role",
    "SignInEvent",
    "TokenPurpose",
    "UTCDateTime",
    "Upload",
    "UploadPurpose",
    "Visibility",
    "utcnow",
]
