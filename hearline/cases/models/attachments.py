from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    PHOTO = "photo", _("Photo")
    RECORDING = "recording", _("Recording")
    DOCUMENT = "document", _("Document")


class Attachment(models.Model):
    """A file on a case: evidence, photo, call recording or document. Checked for size and
    type (by content, not just by name) before it is stored."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="empty when a channel brought the file in (e-mail, webhook)",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]
