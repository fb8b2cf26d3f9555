"""Administrators configure incident kinds and the plans (预案) with their steps and leaders;
incidents themselves change only through the coordinator's actions, so the admin shows them
read-only."""

from django.contrib import admin

from .models import Incident, IncidentKind, PlanStep, ResponsePlan


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 1


@admin.register(ResponsePlan)
class ResponsePlanAdmin(admin.ModelAdmin):
    list_display = ("name", "trigger", "kind", "organisation", "is_active")
    list_filter = ("trigger", "is_active")
    filter_horizontal = ("leaders",)
    inlines = [PlanStepInline]


@admin.register(IncidentKind)
class IncidentKindAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "threshold",
        "window_minutes",
        "radius_m",
        "department",
        "aftermath_of",
    )
    list_editable = ("threshold", "window_minutes", "radius_m")
    list_filter = ("is_active",)
    filter_horizontal = ("categories",)


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "state", "started_at", "coordinator")
    list_filter = ("state", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
