"""Organisation tree, staff users and their roles."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hearline.core.tree import TreeNode

from .roles import Role


class DepartmentKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    DEPARTMENT = "department", _("Department")
    UNIT = "unit", _("Front-line unit")


class Department(TreeNode):
    """A node of the organisation tree: organisation → department → front-line unit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    appeals_to = models.ForeignKey(
        "self",
        verbose_name=_("appeals go to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "For an organisation: where appeals (申诉) against its answers are decided, such as "
            "the hotline's supervision office. Empty: the organisation above it."
        ),
    )

    class Meta(TreeNode.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def organisation(self) -> "Department":
        """The nearest organisation at or above this department (itself if it is one)."""
        if self.kind == DepartmentKind.ORGANISATION:
            return self
        ancestors = Department.objects.filter(
            pk__in=self.ancestor_ids(), kind=DepartmentKind.ORGANISATION
        )
        return max(ancestors, key=lambda d: len(d.path), default=self)


# A mainland mobile number as stored (digits only): what an SMS gateway can deliver to.
MOBILE_NUMBER = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mobile number."))


class User(AbstractUser):
    """A staff member. Belongs to one department and holds one or more roles."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        blank=True,
        help_text=_("For the notices the staff member chose to receive by SMS."),
        validators=[MOBILE_NUMBER],
    )
    notice_channels = models.JSONField(
        _("notice channels"),
        default=dict,
        blank=True,
        help_text=_("Per kind of notice, the channels it also comes by (see hearline.notify)."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this user holds, read once per request."""
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @cached_property
    def organisation(self) -> Department | None:
        """The organisation this user works in (a dispatcher's scope), read once per request."""
        return self.department.organisation() if self.department is not None else None

    def has_role(self, role: str) -> bool:
        return role in self.roles


class UserRole(models.Model):
    """One role held by one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return self.get_role_display()
