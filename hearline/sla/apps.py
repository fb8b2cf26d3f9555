from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "hearline.sla"
    label = "sla"

    def ready(self) -> None:
        from . import observers, signals

        signals.connect()
        observers.connect()
