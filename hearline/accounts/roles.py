"""The roles a staff member can hold (DOMAIN.md, "Who uses it")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Intake agent")
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Department handler")
    SUPERVISOR = "supervisor", _("Supervisor")
    COORDINATOR = "coordinator", _("Emergency coordinator")
    MANAGER = "manager", _("Manager / analyst")
    ADMIN = "admin", _("Administrator")
