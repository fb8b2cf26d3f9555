from django.contrib import admin

from .actions import do_save_synonym_group
from .models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """Synonyms are edited here; saving re-indexes the articles."""

    list_display = ("words",)
    search_fields = ("words",)

    def save_model(self, request, obj, form, change):
        saved = do_save_synonym_group(request.user, words=obj.words, group_id=obj.pk)
        obj.pk = saved.pk
