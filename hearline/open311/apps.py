from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "hearline.open311"
    label = "open311"

    def ready(self) -> None:
        from . import observers

        observers.connect()
