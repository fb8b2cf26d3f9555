from .attachments import Attachment
from .cases import Case, CaseState, Channel, Urgency
from .categories import Category
from .complainants import Complainant
from .pii import ComplainantAccess
from .receipts import IntakeReceipt, ReceiptState
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
    "IntakeReceipt",
    "ReceiptState",
    "Urgency",
]
