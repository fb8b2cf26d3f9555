from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplainantAccess(models.Model):
    """A logged view of a complainant's unmasked personal data. Append-only."""

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="pii_accesses")
    fields = models.JSONField(_("fields shown"), default=list)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("complainant data access")
        verbose_name_plural = _("complainant data accesses")
        ordering = ["-accessed_at"]
