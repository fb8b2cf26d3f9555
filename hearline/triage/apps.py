from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "hearline.triage"
    label = "triage"

    def ready(self) -> None:
        from . import observers

        observers.connect()
