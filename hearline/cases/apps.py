from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hearline.cases"
    label = "cases"
