"""`make run`'s log: a 4xx once (the access line), kombu's filesystem-broker hostname warning not at all."""

import logging

from config.logfilters import KombuNoHostname


def test_django_request_logs_only_server_errors():
    assert logging.getLogger("django.request").getEffectiveLevel() == logging.ERROR


def test_kombus_no_hostname_warning_is_dropped_and_other_warnings_pass():
    logger = logging.getLogger("kombu.connection")
    assert any(isinstance(f, KombuNoHostname) for f in logger.filters)

    def record(message):
        return logging.LogRecord("kombu.connection", logging.WARNING, __file__, 1, message, (), None)

    assert not logger.filter(record("No hostname was supplied. Reverting to default 'localhost'"))
    assert logger.filter(record("Connection to broker lost"))
