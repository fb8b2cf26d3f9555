from django.contrib import admin

from .actions import do_save_synonym_group
from .models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """Synonyms are edited here; saving re-indexes the articles."""

    list_display = ("words",)
    search_fields = ("words",)

    def save_model(self, request, obj, form, change):
        saved = do_save_synonym_group(words=obj.words, group_id=obj.pk, acting_user=request.user)
        obj.pk = saved.pk
