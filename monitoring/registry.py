"""Collectors read at scrape time, which any app can register: one place for what /metrics shows.

An app declares its collectors in a ``collectors.py`` module (found on the first scrape, as
schedules.py modules are), calling ``register`` with a prometheus-client collector or
``register_values`` with a function that returns the current values. Monitoring's own collectors
(``monitoring/collectors.py``: syncs, reconciliation, alerts) register this way.
"""

import logging
from collections.abc import Callable, Iterable, Mapping

from django.utils.module_loading import autodiscover_modules
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

logger = logging.getLogger(__name__)

_REGISTRY: dict[str, object] = {}


def register(name: str, collector) -> None:
    """Add ``collector`` (an object with ``collect() -> Iterable[Metric]``) under ``name``; re-registering replaces."""
    _REGISTRY[name] = collector


def register_values(*, name: str, documentation: str, labels: tuple[str, ...],
                    read: Callable[[], Mapping[tuple[str, ...], float]], kind: str = "gauge") -> None:
    """Register a metric whose values ``read()`` returns as {label values: value}, at every scrape.

    ``kind`` is ``gauge`` (a current count) or ``counter`` (a running total that never goes down).
    """
    if kind not in ("gauge", "counter"):
        raise ValueError(f"kind must be gauge or counter, not {kind!r}")
    register(name, _ValuesCollector(name, documentation, labels, read, kind))


class _ValuesCollector:
    def __init__(self, name, documentation, labels, read, kind):
        self.name, self.documentation, self.labels, self.read, self.kind = name, documentation, labels, read, kind

    def collect(self) -> Iterable[Metric]:
        family_class = GaugeMetricFamily if self.kind == "gauge" else CounterMetricFamily
        family = family_class(self.name, self.documentation, labels=list(self.labels))
        for label_values, value in sorted(self.read().items()):
            family.add_metric(list(label_values), value)
        yield family


class RegisteredCollectors:
    """Every registered collector as one; a collector that fails is logged and reported down, not fatal."""

    def collect(self) -> Iterable[Metric]:
        autodiscover_modules("collectors")
        up = GaugeMetricFamily("hub_metrics_collector_up", "1 when the collector answered at this scrape.",
                               labels=["collector"])
        for name, collector in sorted(_REGISTRY.items()):
            try:
                families = list(collector.collect())
            except Exception:  # noqa: BLE001 — one broken collector must not hide every other metric
                logger.exception("metrics collector %s failed", name)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up
