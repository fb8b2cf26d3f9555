from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hearline.accounts"
    label = "accounts"
