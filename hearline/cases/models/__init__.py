from .attachments import Attachment
from .cases import Case, CaseState, Channel, Urgency
from .categories import Category
from .complainants import Complainant
from .pii import ComplainantAccess
from .timeline import CaseEvent

__all__ = [
    "Attachment",
    "Case",
    "CaseState",
    "CaseEvent",
    "Category",
    "Channel",
    "Complainant",
    "ComplainantAccess",
    "Urgency",
]
