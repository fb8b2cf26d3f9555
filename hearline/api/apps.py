from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hearline.api"
    label = "api"
