"""1C as a sync Source: one stream, the whole objects list as one page (it is small and has no cursor)."""

from collections.abc import Iterator

from django.utils import timezone

from integrations.core.source import Page, StreamPosition
from integrations.onec.client import OneCClient, OneCSettings
from integrations.onec.normalizer import normalize_object

DEPARTMENTS = "departments"


class OneCSource:
    name = "onec"

    def __init__(self, settings: OneCSettings):
        self.client = OneCClient(settings)
        self._codes: frozenset[str] = frozenset()

    def streams(self, positions) -> list[str]:
        return [DEPARTMENTS]

    def pages(self, stream: str, position: StreamPosition) -> Iterator[Page]:
        objects = self.client.objects()
        # The list is complete: a parent code missing from it names an orphan (normalize reports it).
        self._codes = frozenset(str(o.get("object_code") or "") for o in objects if isinstance(o, dict))
        yield Page(records=objects, position=StreamPosition(window_end=timezone.now().isoformat()), commit_after=True)

    def normalize(self, raw: dict):
        return normalize_object(raw, self._codes)

    def close(self) -> None:
        self.client.close()
