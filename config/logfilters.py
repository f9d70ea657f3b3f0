"""Log filters named in LOGGING (config/settings/base.py)."""

import logging


class KombuNoHostname(logging.Filter):
    """Drops kombu's "No hostname was supplied" warning: the embedded filesystem broker has no host, and kombu
    says so on every connection (over and over in `make run`'s log). Every other kombu warning passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No hostname was supplied")
