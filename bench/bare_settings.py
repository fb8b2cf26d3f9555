"""Hearline's settings with one more URL: /bare/cases (bench/bare_urls.py), for
bench/domain_overhead.py. Never used outside the benchmark."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bare_urls"
