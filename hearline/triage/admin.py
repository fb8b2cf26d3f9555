from django.contrib import admin

from .models import LexiconTerm, RoutingRule, TriageModel


@admin.register(LexiconTerm)
class LexiconTermAdmin(admin.ModelAdmin):
    list_display = ("term", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("term",)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "priority",
        "category",
        "district",
        "keywords",
        "department",
        "automatic",
        "is_active",
    )
    list_filter = ("automatic", "is_active")
    list_editable = ("priority", "is_active")


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    """Models are trained with `hearline triage train`; here they can be read and retired."""

    list_display = ("target", "version", "source", "n_samples", "is_active", "created_at")
    list_filter = ("target", "is_active")
    readonly_fields = (
        "target",
        "version",
        "source",
        "n_samples",
        "labels",
        "metrics",
        "created_at",
    )
    fields = (*readonly_fields, "is_active")

    def has_add_permission(self, request):
        return False
