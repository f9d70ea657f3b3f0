"""Cache: Redis from REDIS_URL, or a file cache under var/ as the embedded default.

The embedded default is a file cache rather than local memory because web, worker and beat are
separate processes: an invalidation made by the worker has to reach the web process.
"""

from config.env import VAR_DIR, env

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A dead Redis must not take the API down: reads miss, writes are dropped,
                # and /api/v1/health reports the cache as down.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="hub"),
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
