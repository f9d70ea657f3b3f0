"""Reconciliation on /metrics (counts per class of the latest run) and its discrepancy alert, once per incident."""

import pytest
from django.core import mail

from monitoring.models import AlertIncident
from monitoring.tests.conftest import metrics_token, sample, scrape  # noqa: F401 — fixtures
from reconciliation.services import reconciliation_run

from .conftest import DAY, payshack_row, vima

pytestmark = pytest.mark.django_db
D = DAY.date()


def run_and_commit(capture):
    with capture(execute=True):
        return reconciliation_run(date_from=D, date_to=D)


def test_the_latest_run_counts_per_class_are_on_metrics(write, scrape):  # noqa: F811
    write(vima("a"), payshack_row("a"), vima("b"), payshack_row("c", "1200.00"), vima("c"))
    run = reconciliation_run(date_from=D, date_to=D)
    samples = scrape()
    for klass, count in run.counts.items():
        assert sample(samples, "hub_reconciliation_results", **{"class": klass}) == count
    assert sample(samples, "hub_reconciliation_results", **{"class": "matched"}) == 1
    assert sample(samples, "hub_reconciliation_results", **{"class": "missing_payshack"}) == 1


def test_a_discrepancy_share_above_the_threshold_mails_once_until_a_run_is_back_under_it(
        write, settings, finance_admin, django_capture_on_commit_callbacks):
    settings.ALERT_DISCREPANCY_SHARE = 0.25
    finance_admin.email = "controller@example.com"
    finance_admin.save()
    write(vima("a"), payshack_row("a"), vima("b"), vima("c"))  # 2 of 3 missing on PayShack
    run_and_commit(django_capture_on_commit_callbacks)
    run_and_commit(django_capture_on_commit_callbacks)  # the rerun is the same incident
    assert len(mail.outbox) == 1
    assert "2 of 3" in mail.outbox[0].body and mail.outbox[0].to == ["controller@example.com"]
    incident = AlertIncident.objects.get()
    assert incident.subject == f"vima-payshack {D}" and incident.closed_at is None
    write(payshack_row("b"), payshack_row("c"))
    run_and_commit(django_capture_on_commit_callbacks)
    incident.refresh_from_db()
    assert incident.closed_at is not None and incident.occurrences == 2
