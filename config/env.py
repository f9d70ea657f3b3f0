"""The one place that reads the environment.

Every setting comes from an environment variable; with none set, the product runs on its
embedded default (SQLite, a file cache and a filesystem broker under ``var/``).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Embedded-mode state (database, cache, broker queues, evidence files) lives here.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# Production sets DEBUG=false (and then SECRET_KEY); the embedded default runs with DEBUG on.
DEBUG = env.bool("DEBUG", default=True)
