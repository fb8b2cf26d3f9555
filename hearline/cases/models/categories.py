from django.db import models
from django.utils.translation import gettext_lazy as _

from hearline.core.tree import TreeNode


class Category(TreeNode):
    """A complaint category; categories form an admin-managed tree of any depth."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta(TreeNode.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name
