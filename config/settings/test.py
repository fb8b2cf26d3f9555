"""Test settings: the base settings with fast password hashing and tasks run inline."""

from .base import *  # noqa: F403
from .base import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

HEARLINE_MESSAGE_BACKENDS = {
    "sms": {"BACKEND": "hearline.notify.backends.MemoryBackend"},
    "social": {"BACKEND": "hearline.notify.backends.MemoryBackend"},
    "email": {"BACKEND": "hearline.notify.backends.DjangoEmailBackend"},
    "upstream": {"BACKEND": "hearline.notify.backends.MemoryBackend"},
}
