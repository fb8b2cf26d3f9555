from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hearline.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import organisations

        organisations.connect()
