from django.contrib import admin
from django.utils import timezone

from .actions import do_save_policy
from .models import CalendarOverride, CalendarYear, SlaPolicy, WorkingSchedule


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "version",
        "category",
        "urgency",
        "channel",
        "department",
        "response_amount",
        "response_unit",
        "resolution_amount",
        "resolution_unit",
        "followup_days",
        "archive_days",
        "is_active",
    ]
    list_filter = ["is_active", "urgency"]
    readonly_fields = ["version", "previous", "created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        saved = do_save_policy(obj, acting_user=request.user)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # cases point at their policy version; deactivate instead


@admin.register(WorkingSchedule)
class WorkingScheduleAdmin(admin.ModelAdmin):
    list_display = ["organisation", "periods", "time_zone"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "reason", "organisation"]
    list_filter = ["is_workday", "organisation"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]

    def save_model(self, request, obj, form, change):
        obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)

    def get_changeform_initial_data(self, request):
        return {"year": timezone.localdate().year + 1}
