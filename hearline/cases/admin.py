from django.contrib import admin

from .models import Category, IntakeReceipt


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(IntakeReceipt)
class IntakeReceiptAdmin(admin.ModelAdmin):
    """Complaints received for background registration, to find any refused; read-only, and
    without the complaint itself (its complainant is shown only with the case)."""

    list_display = ["tracking_number", "state", "received_at", "submitted_by", "case"]
    list_filter = ["state"]
    search_fields = ["tracking_number"]
    fields = ("tracking_number", "state", "received_at", "submitted_by", "case", "error")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
