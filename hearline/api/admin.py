from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from hearline.accounts.models import Department
from hearline.accounts.roles import Role

from .actions import do_create_api_token, do_revoke_api_token
from .models import ApiToken


class NewTokenForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.all(), required=False
    )

    class Meta:
        model = ApiToken
        fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created here or with `hearline apikey create`; the token is shown once."""

    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = NewTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else ["name", "role", "department"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        department = form.cleaned_data.get("department")
        token, raw = do_create_api_token(
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            department_code=department.code if department else None,
        )
        obj.pk = token.pk
        messages.warning(request, _("New token (shown only now): %(token)s") % {"token": raw})

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            do_revoke_api_token(token)
