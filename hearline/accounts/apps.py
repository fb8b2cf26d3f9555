from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hearline.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import organisations, session_limits

        organisations.connect()
        session_limits.connect()
