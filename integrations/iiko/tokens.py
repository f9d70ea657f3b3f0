"""Where iiko's token is kept between runs: the cache, shared by workers (``IikoClient``'s ``TokenStore``)."""

from django.core.cache import cache

TOKEN_KEY = "iiko:token"
# iiko's tokens live about an hour; the cache forgets one a little sooner, and a 401 before that makes the
# client log in again once anyway.
TOKEN_TTL_S = 50 * 60


class CacheTokens:
    """The token kept in a cache (the default one unless given), so that the next run, in another process,
    reuses it until it expires."""

    def __init__(self, store=None):
        self.store = store if store is not None else cache

    def get(self) -> str | None:
        return self.store.get(TOKEN_KEY)

    def set(self, token: str | None) -> None:
        if token is None:
            self.store.delete(TOKEN_KEY)
        else:
            self.store.set(TOKEN_KEY, token, TOKEN_TTL_S)
