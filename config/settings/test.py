"""Test settings: only what tests need changed from base."""

import atexit
import os
import shutil
import tempfile

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

if not REDIS_URL:
    # One process in tests: local memory keeps test runs from sharing var/cache.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Metrics files of this test process only: two test runs at once must not add up each other's counts.
PROMETHEUS_MULTIPROC_DIR = tempfile.mkdtemp(prefix="hub-metrics-")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = PROMETHEUS_MULTIPROC_DIR
atexit.register(shutil.rmtree, PROMETHEUS_MULTIPROC_DIR, ignore_errors=True)
