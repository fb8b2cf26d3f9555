from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hearline.notify"
    label = "notify"

    def ready(self) -> None:
        from . import observers

        observers.connect()
