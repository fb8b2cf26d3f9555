from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "hearline.improvement"
    label = "improvement"
    verbose_name = _("Corrective actions")

    def ready(self) -> None:
        from . import observers

        observers.connect()
