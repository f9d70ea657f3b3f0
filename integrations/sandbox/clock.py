"""The sandbox's notion of now: real time, or a time a test sets and moves."""

from datetime import UTC, datetime


class Clock:
    """Real UTC time unless frozen; tests freeze it and move it to release new payments and changes."""

    def __init__(self, frozen_at: datetime | None = None):
        self._frozen_at = frozen_at

    def now(self) -> datetime:
        return self._frozen_at or datetime.now(UTC)

    def set(self, moment: datetime) -> None:
        self._frozen_at = moment
