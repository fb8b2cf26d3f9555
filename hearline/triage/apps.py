from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "hearline.triage"
    label = "triage"
