"""Where iiko's token is kept between runs: the cache, shared by workers (``IikoClient``'s ``TokenStore``)."""

from django.core.cache import cache

TOKEN_KEY = "iiko:token"
# iiko's tokens live about an hour; the cache forgets one a little sooner, and a 401 before that makes the
# client log in again once anyway.
TOKEN_TTL_S = 50 * 60


class CacheTokens:
    def get(self) -> str | None:
        return cache.get(TOKEN_KEY)

    def set(self, token: str | None) -> None:
        if token is None:
            cache.delete(TOKEN_KEY)
        else:
            cache.set(TOKEN_KEY, token, TOKEN_TTL_S)
