"""Provider metadata: the accounts a provider keeps for us (client wallets, resellers, service
providers), read by a provider package and stored by one shared run with a balance snapshot."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from common.locks import job_lock, metadata_lock_name
from integrations.choices import RunStatus
from integrations.core.errors import SyncAlreadyRunning, UpstreamError


@dataclass(frozen=True)
class AccountRecord:
    """One provider account, normalized; ``balance`` only for wallets."""

    kind: str  # ProviderAccount.Kind
    external_id: str
    name: str
    status: str = ""
    parent_external_id: str = ""
    balance: Decimal | None = None
    currency: str = ""
    attributes: dict = field(default_factory=dict)


LEASE_TTL = timedelta(minutes=5)


def metadata_run(*, source: str, read_accounts: Callable[[], list[AccountRecord]], trigger: str):
    """Read a provider's accounts and store them with a balance snapshot; returns the SyncRun.

    One run per provider at a time; a failed read writes nothing and ends the run as failed.
    """
    from integrations.core.runner import LOCK_WAIT, finish_run, runs_abandon
    from integrations.models import SyncRun
    from integrations.services import accounts_refresh

    busy = SyncAlreadyRunning(f"a {source} metadata sync is already running")
    with job_lock(metadata_lock_name(source), busy=busy, ttl=LEASE_TTL, wait=LOCK_WAIT) as lock:
        runs_abandon(source=source, kind=SyncRun.Kind.METADATA, found_by="the next run")
        run = SyncRun.objects.create(source=source, kind=SyncRun.Kind.METADATA, sink="accounts", trigger=trigger,
                                     started_at=timezone.now(), worker=lock.holder)
        try:
            records = read_accounts()
            outcome = accounts_refresh(source=source, records=records, run=run)
            SyncRun.objects.filter(pk=run.pk).update(fetched=len(records), inserted=outcome.created,
                                                     updated=outcome.refreshed, written=len(records))
            finish_run(run, RunStatus.SUCCEEDED)
        except UpstreamError as exc:
            finish_run(run, RunStatus.FAILED, error=exc.message)
        except Exception as exc:
            finish_run(run, RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
            raise
    return run
