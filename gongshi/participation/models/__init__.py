from gongshi.participation.models.calendar import CalendarDay, DayKind, DeadlineSetting
from gongshi.participation.models.follow import (
    Delivery,
    DeliveryStatus,
    EmailSubscription,
    Event,
    EventKind,
    WebhookSubscription,
)
from gongshi.participation.models.opendays import (
    Finding,
    FindingPhoto,
    FindingResult,
    OpenDay,
    Registration,
    Supervisor,
    SupervisorInvitation,
    SupervisorKind,
)
from gongshi.participation.models.questions import (
    ContactKind,
    ContactVerification,
    Question,
    QuestionKind,
    Resolution,
)
from gongshi.participation.models.stamp import ParticipationStamp, touch

__all__ = [
    "CalendarDay",
    "ContactKind",
    "ContactVerification",
    "DayKind",
    "DeadlineSetting",
    "Delivery",
    "DeliveryStatus",
    "EmailSubscription",
    "Event",
    "EventKind",
    "Finding",
    "FindingPhoto",
    "FindingResult",
    "OpenDay",
    "ParticipationStamp",
    "Question",
    "QuestionKind",
    "Registration",
    "Resolution",
    "Supervisor",
    "SupervisorInvitation",
    "SupervisorKind",
    "WebhookSubscription",
    "touch",
]
