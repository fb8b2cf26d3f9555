from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    PORTAL = "portal", _("Web portal")
    SOCIAL = "social", _("Social media")


class Complainant(models.Model):
    """The person who complains, with the contact details given with a case. Personal data
    lives here only, so it can be masked, logged when revealed and anonymised when its
    retention period ends.

    A caller on file who gives other details with a new case gets a new record for that
    case (`person` names their first record): every case keeps the details given with it,
    the newest record is the person on file, the older ones are its history."""

    name = models.CharField(_("name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    social_account = models.CharField(
        _("social media account"), max_length=100, blank=True, help_text="platform:account"
    )
    id_number = models.CharField(_("ID number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    preferred_channel = models.CharField(
        _("preferred reply channel"),
        max_length=10,
        choices=ReplyChannel.choices,
        default=ReplyChannel.PHONE,
    )
    is_elderly = models.BooleanField(_("elderly"), default=False)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    is_ill = models.BooleanField(_("seriously ill"), default=False)
    person = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_records",
        help_text="the person's first record; empty on that first record",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complainant")
        verbose_name_plural = _("complainants")

    def __str__(self) -> str:
        return f"complainant #{self.pk}"

    @property
    def person_key(self) -> int:
        """The same number for every record of one person (their first record's id)."""
        return self.person_id or self.pk

    @property
    def is_vulnerable(self) -> bool:
        return self.is_elderly or self.is_disabled or self.is_ill
