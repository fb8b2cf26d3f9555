from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hearline.core"
    label = "core"
