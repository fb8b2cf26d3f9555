from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hearline.web"
    label = "web"
