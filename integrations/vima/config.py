"""Vima's settings object, read from Django settings in one place."""

from django.conf import settings

from integrations.vima.client import VimaSettings


def vima_settings() -> VimaSettings:
    return VimaSettings(
        base_url=settings.VIMA_BASE_URL, api_key=settings.VIMA_API_KEY, timeout_s=settings.VIMA_TIMEOUT_SECONDS
    )
