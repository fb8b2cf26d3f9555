from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hearline.demo"
    label = "demo"
