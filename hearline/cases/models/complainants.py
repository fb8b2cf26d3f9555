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
    """The person who complains. Personal data lives here only, so it can be masked,
    logged when revealed and anonymised when its retention period ends."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complainant")
        verbose_name_plural = _("complainants")

    def __str__(self) -> str:
        return f"complainant #{self.pk}"

    @property
    def is_vulnerable(self) -> bool:
        return self.is_elderly or self.is_disabled or self.is_ill
