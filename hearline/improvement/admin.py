from django.contrib import admin

from .models import CorrectiveAction


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(admin.ModelAdmin):
    list_display = ("what", "status", "due_date", "owner", "incident")
    list_filter = ("status",)
    search_fields = ("what",)
    filter_horizontal = ("categories", "target_departments")
