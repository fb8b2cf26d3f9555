"""Materialised-path trees: departments and categories are both trees queried by subtree."""

from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class TreeNode(models.Model):
    """Abstract tree node whose `path` ("/1/4/9/") lists the ids from the root to itself.

    `path` is maintained on save for the node and its whole subtree, so "everything under X"
    is a single indexed prefix query: `path__startswith=x.path`.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        abstract = True
        ordering = ["path"]

    def save(self, *args, **kwargs) -> None:
        """Save and keep `path` of this node and all its descendants consistent."""
        with transaction.atomic():
            parent = self.parent
            if parent is not None and self.path and parent.path.startswith(self.path):
                raise ValueError("a node cannot be moved under its own subtree")
            old_path = self.path
            super().save(*args, **kwargs)
            prefix = parent.path if parent is not None else "/"
            new_path = f"{prefix}{self.pk}/"
            if new_path != old_path:
                nodes = type(self)._default_manager
                nodes.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    nodes.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                    )
                self.path = new_path

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this node, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: "TreeNode") -> bool:
        """True when this node is `other` or lies in its subtree."""
        return bool(other.path) and self.path.startswith(other.path)
