from datetime import timedelta

import pytest
from django.utils import timezone

from common.models import Lease
from common.services import lease_acquire, lease_release, lease_renew

pytestmark = pytest.mark.django_db

TTL = timedelta(minutes=5)


def _expire(name):
    Lease.objects.filter(name=name).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_first_holder_gets_the_lease():
    assert lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL) is True
    lease = Lease.objects.get()
    assert (lease.name, lease.holder) == ("sync:vima", "worker-a")
    assert lease.expires_at - lease.acquired_at == TTL


def test_second_holder_is_refused_while_the_lease_is_valid():
    lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL)
    before = Lease.objects.values().get()
    assert lease_acquire(name="sync:vima", holder="worker-b", ttl=TTL) is False
    assert Lease.objects.values().get() == before


def test_expired_lease_is_taken_over_by_another_holder():
    lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL)
    _expire("sync:vima")
    assert lease_acquire(name="sync:vima", holder="worker-b", ttl=TTL) is True
    lease = Lease.objects.get()
    assert lease.holder == "worker-b"
    assert lease.expires_at > timezone.now()


def test_same_holder_reacquires_and_extends():
    lease_acquire(name="sync:vima", holder="worker-a", ttl=timedelta(seconds=10))
    first_expiry = Lease.objects.get().expires_at
    assert lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL) is True
    assert Lease.objects.count() == 1
    assert Lease.objects.get().expires_at > first_expiry


def test_leases_are_independent_by_name():
    assert lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL) is True
    assert lease_acquire(name="sync:payshack", holder="worker-b", ttl=TTL) is True
    assert dict(Lease.objects.values_list("name", "holder")) == {"sync:vima": "worker-a", "sync:payshack": "worker-b"}


def test_release_frees_the_lease_for_someone_else():
    lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL)
    lease_release(name="sync:vima", holder="worker-a")
    lease = Lease.objects.get()
    assert (lease.holder, lease.expires_at) == ("", None)
    assert lease_acquire(name="sync:vima", holder="worker-b", ttl=TTL) is True
    assert Lease.objects.get().holder == "worker-b"


def test_release_by_a_non_holder_changes_nothing():
    lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL)
    before = Lease.objects.values().get()
    lease_release(name="sync:vima", holder="worker-b")
    assert Lease.objects.values().get() == before


def test_renew_extends_a_held_lease():
    lease_acquire(name="sync:vima", holder="worker-a", ttl=timedelta(seconds=10))
    first_expiry = Lease.objects.get().expires_at
    assert lease_renew(name="sync:vima", holder="worker-a", ttl=TTL) is True
    assert Lease.objects.get().expires_at > first_expiry


def test_renew_fails_after_the_lease_was_lost():
    lease_acquire(name="sync:vima", holder="worker-a", ttl=TTL)
    _expire("sync:vima")
    lease_acquire(name="sync:vima", holder="worker-b", ttl=TTL)
    before = Lease.objects.values().get()
    assert lease_renew(name="sync:vima", holder="worker-a", ttl=TTL) is False
    assert Lease.objects.values().get() == before
