"""A run as shards on connections of their own, one run of a pair at a time, and what a run that did
not finish leaves behind (nothing that counts)."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection

from common.services import lease_acquire
from reconciliation.choices import RunStatus
from reconciliation.engine import shards
from reconciliation.models import ReconciliationResult, ReconciliationRun
from reconciliation.selectors import current_runs
from reconciliation.services import ReconciliationBusy, reconciliation_queue, reconciliation_run
from reconciliation.tasks import run_queued

from .conftest import DAY, payshack_row, vima
from .test_engine import _COMPARED, _scenario

D = DAY.date()
LEASE = "reconciliation:vima-payshack"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="shards run on PostgreSQL only")


def _many_keys(write, n: int = 300):
    """Keys of every class spread over two days, so that each shard gets some of each."""
    rows = []
    for i in range(n):
        at = DAY + timedelta(days=i % 2, minutes=i)
        rows.append(vima(f"k{i}", "100.00", at=at))
        if i % 7:
            rows.append(payshack_row(f"k{i}", "100.00" if i % 5 else "150.00", at=at + timedelta(minutes=3),
                                     status="success" if i % 11 else "failed"))
        if i % 13 == 0:
            rows.append(payshack_row(f"k{i}", at=at + timedelta(minutes=4), source_id=f"dup-{i}"))
    write(*rows)


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("payshack_mapping")  # seeded by a migration, but an earlier transactional test flushes it
def test_shards_give_exactly_the_results_of_one_statement(write, settings):
    _scenario(write)
    _many_keys(write)
    runs = {}
    for count in (1, 3):
        settings.RECONCILIATION_SHARDS = count
        runs[count] = reconciliation_run(date_from=D, date_to=D + timedelta(days=1))
    assert runs[3].counts == runs[1].counts and sum(runs[3].counts.values()) > 300
    assert sorted(runs[3].results.values_list(*_COMPARED)) == sorted(runs[1].results.values_list(*_COMPARED))


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("payshack_mapping")
def test_a_failing_shard_leaves_a_failed_run_without_results_and_the_earlier_run_current(write, settings,
                                                                                          monkeypatch):
    settings.RECONCILIATION_SHARDS = 2
    _many_keys(write)
    earlier = reconciliation_run(date_from=D, date_to=D)
    assert earlier.total > 0
    real = shards.results_write_sql

    def second_shard_fails(*, shard, **kwargs):
        if shard[0] == 1:
            raise RuntimeError("connection lost")
        return real(shard=shard, **kwargs)

    # A shard cannot be made to fail with real data short of breaking the database; one stand-in
    # fails while the other writes and commits for real.
    monkeypatch.setattr(shards, "results_write_sql", second_shard_fails)
    with pytest.raises(RuntimeError):
        reconciliation_run(date_from=D, date_to=D)
    failed = ReconciliationRun.objects.exclude(pk=earlier.pk).get()
    assert (failed.status, failed.error) == (RunStatus.FAILED, "RuntimeError: connection lost")
    assert not ReconciliationResult.objects.filter(run=failed).exists()
    earlier.refresh_from_db()
    assert earlier.superseded_by is None and earlier.results.count() == earlier.total


@contextmanager
def _pair_held_by_another_worker():
    """What another worker's run holds: on PostgreSQL a session advisory lock on its own connection
    (which a test can also drop, as a killed worker's would be), on SQLite the pair's lease."""
    if connection.vendor != "postgresql":
        lease_acquire(name=LEASE, holder="another worker", ttl=timedelta(minutes=5))
        yield
        return
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], host=db["HOST"] or None, port=db["PORT"] or None,
                         user=db["USER"] or None, password=db["PASSWORD"] or None, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [LEASE])
        yield


@pytest.mark.django_db
def test_a_second_run_of_the_pair_is_refused_while_one_runs_and_a_queued_one_waits(write, finance_manager):
    write(vima("a"))
    with _pair_held_by_another_worker():
        with pytest.raises(ReconciliationBusy, match="already running"):
            reconciliation_run(date_from=D, date_to=D)
        assert not ReconciliationRun.objects.exists()
        queued = reconciliation_queue(date_from=D, date_to=D, user=finance_manager)
        with pytest.raises(ReconciliationBusy):
            run_queued(queued.pk)  # called directly, the task's retry re-raises
        queued.refresh_from_db()
        assert queued.status == RunStatus.QUEUED and not queued.results.exists()
    if connection.vendor == "postgresql":  # the other worker's connection is gone: so is its lock
        run_queued(queued.pk)
        queued.refresh_from_db()
        assert queued.status == RunStatus.SUCCEEDED and queued.results.count() == 1


@pytest.mark.django_db
def test_the_lease_is_given_back_after_a_run_even_a_failed_one(write, monkeypatch):
    write(vima("a"))
    reconciliation_run(date_from=D, date_to=D)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reconciliation.services.results_write", broken)  # as in test_services
    with pytest.raises(RuntimeError):
        reconciliation_run(date_from=D, date_to=D)
    monkeypatch.undo()
    assert reconciliation_run(date_from=D, date_to=D).status == RunStatus.SUCCEEDED


@pytest.mark.django_db
def test_a_run_abandoned_mid_way_is_failed_by_the_next_run_and_its_results_dropped(write, api_client, viewer):
    write(vima("a"), payshack_row("a"))
    finished = reconciliation_run(date_from=D, date_to=D)
    # What a worker killed between its shards' commits and the run's own leaves behind.
    abandoned = ReconciliationRun.objects.create(date_from=D, date_to=D, status=RunStatus.RUNNING, started_at=DAY)
    stray = ReconciliationResult.objects.create(run=abandoned, key="a", result_date=D, project="91game",
                                                result_type="matched")
    api_client.force_authenticate(viewer)
    assert api_client.get(f"/api/v1/reconciliation/results/{stray.pk}").status_code == 404
    assert api_client.get(f"/api/v1/reconciliation/results/{finished.results.get().pk}").status_code == 200

    reconciliation_run(date_from=D, date_to=D)
    abandoned.refresh_from_db()
    assert abandoned.status == RunStatus.FAILED and abandoned.error.startswith("abandoned")
    assert not ReconciliationResult.objects.filter(run=abandoned).exists()


@pytest.mark.django_db
def test_a_queued_run_carried_out_after_a_newer_one_is_current_once_it_finishes(write, finance_manager):
    write(vima("a"), payshack_row("a"))
    queued = reconciliation_queue(date_from=D, date_to=D, user=finance_manager)  # the lower id
    direct = reconciliation_run(date_from=D, date_to=D)
    run_queued(queued.pk)  # its worker got the pair's lock only now
    queued.refresh_from_db()
    direct.refresh_from_db()
    assert queued.status == RunStatus.SUCCEEDED and direct.superseded_by == queued
    assert current_runs(date_from=D, date_to=D) == {D: queued.pk}
