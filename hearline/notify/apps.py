from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hearline.notify"
    label = "notify"
