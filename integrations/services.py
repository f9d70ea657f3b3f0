"""Writes of the integrations app: quarantining records and retrying them."""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from common.sinks import SinkResult
from common.sources import declaration
from integrations.choices import QuarantineState
from integrations.models import QuarantinedRecord, SyncEvidence, SyncRun, SyncState


@dataclass(frozen=True)
class QuarantineEntry:
    """A record that failed normalization, before it is stored."""

    source: str
    source_id: str
    raw_payload: dict
    error: str


def quarantine_records(*, run: SyncRun | None, entries: list[QuarantineEntry]) -> int:
    """Store failed records in one statement; returns how many."""
    QuarantinedRecord.objects.bulk_create(
        QuarantinedRecord(
            run=run, source=e.source, source_id=e.source_id[:128], raw_payload=e.raw_payload, error=e.error
        )
        for e in entries
    )
    return len(entries)


@dataclass(frozen=True)
class RetryOutcome:
    resolved: int
    still_failing: int
    upsert: SinkResult  # what the sinks wrote, summed


def quarantine_retry(*, records: list[QuarantinedRecord]) -> RetryOutcome:
    """Normalize open quarantined records again and write the ones that now pass, each to its source's sink.

    The records are re-read and locked first, so one discarded or resolved meanwhile is left
    alone. Records that still fail stay ``open`` with the new reason in ``retry_error``.
    """
    now = timezone.now()
    with transaction.atomic():
        open_records = list(
            QuarantinedRecord.objects.select_for_update()
            .filter(pk__in=[r.pk for r in records], state=QuarantineState.OPEN)
            .order_by("pk")
        )
        passed, failed = _renormalize(open_records)
        result = SinkResult()
        for sink, rows in _by_sink(passed).items():
            result += sink.write(rows)
        QuarantinedRecord.objects.filter(pk__in=[r.pk for r, _ in passed]).update(
            state=QuarantineState.RESOLVED, retried_at=now, retry_error=""
        )
        for record, reason in failed:
            record.retried_at, record.retry_error = now, reason[:2000]
        QuarantinedRecord.objects.bulk_update([record for record, _ in failed], ["retried_at", "retry_error"])
    return RetryOutcome(resolved=len(passed), still_failing=len(failed), upsert=result)


def _renormalize(records: list[QuarantinedRecord]) -> tuple[list, list]:
    """(record, row) for records that normalize to a valid row, (record, reason) for the others."""
    passed, failed = [], []
    normalizers: dict[str, tuple] = {}
    for record in records:
        try:
            if record.source not in normalizers:
                source = declaration(record.source)
                normalizers[record.source] = (*source.normalizer(), source.sink)
            normalize, context, sink = normalizers[record.source]
            passed.append((record, sink.prepare(normalize(record.raw_payload, context))))
        # Whatever a normalizer raises on bad input (decimal errors are ArithmeticError) keeps it quarantined.
        except (ValueError, LookupError, TypeError, ArithmeticError) as exc:
            failed.append((record, f"{type(exc).__name__}: {exc}"))
    return passed, failed


def _by_sink(passed: list) -> dict:
    rows: dict = {}
    for record, row in passed:
        rows.setdefault(declaration(record.source).sink, []).append(row)
    return rows


def quarantine_discard(*, records: list[QuarantinedRecord]) -> int:
    """Mark open records as discarded (kept as evidence, no longer open)."""
    return QuarantinedRecord.objects.filter(pk__in=[r.pk for r in records], state=QuarantineState.OPEN).update(
        state=QuarantineState.DISCARDED
    )


def sync_state_reset(*, source: str, stream: str) -> int:
    """Forget where one stream stands, so its next run reads from the start; returns rows removed."""
    deleted, _ = SyncState.objects.filter(source=source, stream=stream).delete()
    return deleted


def sync_evidence_store(*, run: SyncRun, files: dict[str, bytes]) -> list[SyncEvidence]:
    """Keep files that show why ``run`` failed (under MEDIA_ROOT/evidence), linked to the run."""
    stored = []
    for name, content in files.items():
        evidence = SyncEvidence(run=run, name=name)
        evidence.file.save(f"run-{run.pk}-{name}", ContentFile(content), save=True)
        stored.append(evidence)
    return stored


@dataclass(frozen=True)
class AccountsOutcome:
    created: int
    refreshed: int
    snapshots: int


def accounts_refresh(*, source: str, records: list, run: SyncRun) -> AccountsOutcome:
    """Upsert a provider's accounts and snapshot every wallet balance, in one transaction."""
    from integrations.models import BalanceSnapshot, ProviderAccount

    now, created, snapshots = timezone.now(), 0, []
    with transaction.atomic():
        for record in records:
            account, is_new = ProviderAccount.objects.update_or_create(
                source=source, kind=record.kind, external_id=record.external_id,
                defaults={"name": record.name, "status": record.status, "parent_external_id": record.parent_external_id,
                          "balance": record.balance, "currency": record.currency, "attributes": record.attributes,
                          "refreshed_at": now},
            )
            created += is_new
            if record.balance is not None:
                snapshots.append(BalanceSnapshot(account=account, run=run, balance=record.balance,
                                                 currency=record.currency, taken_at=now))
        BalanceSnapshot.objects.bulk_create(snapshots)
    return AccountsOutcome(created=created, refreshed=len(records) - created, snapshots=len(snapshots))
