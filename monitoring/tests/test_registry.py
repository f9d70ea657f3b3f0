"""Collectors other apps register (reconciliation's counts per class will come this way)."""

import pytest

from monitoring import registry
from monitoring.tests.conftest import sample

pytestmark = pytest.mark.django_db


class _Broken:
    def collect(self):
        raise RuntimeError("table missing")


def test_registered_values_appear_and_a_broken_collector_hides_nothing_else(monkeypatch, scrape):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))  # restored after the test
    registry.register_values(name="hub_example_results", documentation="Results per class.", labels=("class",),
                             read=lambda: {("matched",): 7, ("missing_vima",): 2})
    registry.register("broken", _Broken())
    samples = scrape()
    assert sample(samples, "hub_example_results", **{"class": "matched"}) == 7
    assert sample(samples, "hub_example_results", **{"class": "missing_vima"}) == 2
    assert sample(samples, "hub_metrics_collector_up", collector="broken") == 0
    assert sample(samples, "hub_metrics_collector_up", collector="hub_example_results") == 1
    assert sample(samples, "hub_metrics_collector_up", collector="sync") == 1


def test_a_counter_gets_its_total_suffix_and_other_kinds_are_refused(monkeypatch, scrape):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    registry.register_values(name="hub_example_done", documentation="Done.", labels=(), read=lambda: {(): 3},
                             kind="counter")
    assert sample(scrape(), "hub_example_done_total") == 3
    with pytest.raises(ValueError):
        registry.register_values(name="x", documentation="", labels=(), read=dict, kind="summary")
