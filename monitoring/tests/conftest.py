"""The shared payment world and the Vima sandbox (real loopback server), for syncs that feed metrics and alerts."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from integrations.conftest import clock, world  # noqa: F401 — fixtures, reused as they are
from integrations.vima.tests.conftest import start_vima  # noqa: F401 — fixture

METRICS_TOKEN = "scrape-token-for-tests"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = METRICS_TOKEN
    return METRICS_TOKEN


@pytest.fixture
def scrape(client, metrics_token):
    """GET /metrics as Prometheus would; returns {(name, sorted labels): value} of every sample."""

    def read() -> dict:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
        assert response.status_code == 200, response.content
        samples = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return read


def sample(samples: dict, name: str, **labels) -> float:
    """One sample's value, 0 when the series is absent (counters before their first event)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)
