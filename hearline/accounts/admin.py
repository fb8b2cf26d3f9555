from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Department, User, UserRole


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "head"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "head", "appeals_to"]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "full_name", "department", "role_list", "is_active"]
    list_filter = ["department", "role_assignments__role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["department"]
    # django-stubs types `fieldsets` as BaseModelAdmin's optional list or tuple; auth's
    # UserAdmin sets a tuple.
    fieldsets = BaseUserAdmin.fieldsets + (  # type: ignore[operator]
        (_("Hearline"), {"fields": ["full_name", "department", "mobile"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Hearline"), {"fields": ["full_name", "department"]}),
    )

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return "、".join(r.get_role_display() for r in obj.role_assignments.all())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("department")
            .prefetch_related("role_assignments")
        )
