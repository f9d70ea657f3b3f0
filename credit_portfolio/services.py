"""Writes of the credit portfolio: the one bulk write path of imported rows, and the import log.

``portfolio_rows_write`` is what the sink calls inside the sync runner's transaction: references
(organizations, banks, contracts) first, then each file's rows through the set-based ``writer`` (staged,
then a few statements per batch), the monthly totals moved by what those statements did, and at a file's
end the rows it no longer holds deleted. What changed is announced after commit.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from credit_portfolio.choices import SOURCE_NAME, FileKind, ImportStatus
from credit_portfolio.models import Bank, Contract, ImportLog, Organization
from credit_portfolio.normalizer import DetailRow, ExpenseRow, FileOutcome, ReceiptRow
from credit_portfolio.rollup import Deltas, totals_apply
from credit_portfolio.signals import portfolio_changed
from credit_portfolio.writer import (
    DETAILS_TABLE,
    EXPENSES_TABLE,
    RECEIPTS_TABLE,
    file_rows_delete,
    imported_rows_forget,
    rows_write,
)
from integrations.choices import RunStatus
from integrations.models import SyncRun

# Changed rows an import log keeps (field, before, after): enough to check a corrected file by eye.
MAX_CHANGES_LOGGED = 200
# Rows per INSERT / UPDATE statement: SQLite's bound on variables per statement allows ~2,500
# values; 500 rows of a dozen fields stay well within it on both databases.
STATEMENT_ROWS = 500


@dataclass
class _Tally:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list = field(default_factory=list)


@dataclass(frozen=True)
class WriteOutcome:
    inserted: int
    updated: int
    unchanged: int


def portfolio_rows_write(*, rows: list) -> WriteOutcome:
    """Store a batch of normalized rows (and close the import logs of files that ended in it).

    Call inside a transaction (the runner's). Each row counts once: inserted, updated or unchanged;
    a file's end record counts as unchanged. The monthly totals move with the rows, in the same transaction.
    """
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    files = {row.file.import_id: row.file for row in rows}
    refs = _References.load(rows)
    deltas = Deltas()
    by_file = defaultdict(list)
    for row in rows:
        if not isinstance(row, FileOutcome):
            by_file[row.file.import_id].append(row)
    logs = _logs_open(files)
    for import_id, file_rows in by_file.items():
        _file_rows_write(file_rows, refs, tallies[import_id], import_id=import_id, deltas=deltas,
                         hold=logs[import_id].replaces)
    _log_batch(logs, tallies)
    deleted = 0
    for outcome in (row for row in rows if isinstance(row, FileOutcome)):
        deleted += _log_outcome(outcome, deltas)
    totals_apply(deltas)
    inserted = sum(t.inserted for t in tallies.values())
    updated = sum(t.updated for t in tallies.values())
    if inserted or updated or deleted:
        transaction.on_commit(lambda: portfolio_changed.send(sender=ImportLog, inserted=inserted, updated=updated,
                                                             deleted=deleted))
    return WriteOutcome(inserted, updated, len(rows) - inserted - updated)


_TABLES = {ReceiptRow: RECEIPTS_TABLE, ExpenseRow: EXPENSES_TABLE, DetailRow: DETAILS_TABLE}


def _file_rows_write(rows: list, refs: "_References", tally: _Tally, *, import_id: str, deltas: Deltas,
                     hold: bool) -> None:
    """One file's rows of the batch (all of one kind): the last row of a key wins, the others count unchanged."""
    table = _TABLES[type(rows[0])]
    key = refs.key
    latest = {key(row): row for row in rows}
    tally.unchanged += len(rows) - len(latest)
    written = rows_write(table, [refs.staged(key, row) for key, row in latest.items()], import_id=import_id,
                         deltas=deltas, hold=hold)
    tally.inserted += written.inserted
    tally.updated += written.updated
    tally.unchanged += len(latest) - written.inserted - written.updated
    for document, diff in written.changes:
        _note_changes(tally, document, diff)


class _References:
    """Organizations, banks and contracts named by a batch, created when new; names → ids."""

    def __init__(self, organizations: dict, banks: dict, contracts: dict):
        self.organizations, self.banks, self.contracts = organizations, banks, contracts

    @classmethod
    def load(cls, rows: list) -> "_References":
        data = [r for r in rows if not isinstance(r, FileOutcome)]
        organizations = _names_to_ids(Organization, {r.organization for r in data})
        banks = _names_to_ids(Bank, {r.bank for r in data if getattr(r, "bank", "")})
        return cls(organizations, banks, _contracts(_contracts_wanted(data, organizations, banks)))

    def key(self, row) -> tuple:
        """The row's unique key in its table."""
        if isinstance(row, DetailRow):
            return (self.organizations[row.organization], row.expense_document, row.payment_kind, row.amount, row.line)
        return (self.organizations[row.organization], row.document)

    def staged(self, key: tuple, row) -> tuple:
        """The row (whose ``key`` it is) in its table's staging order (``writer.Table.columns``)."""
        place = (row.file.name, row.row)
        if isinstance(row, DetailRow):
            # A details file without the contract column leaves the contract its repayment gave the line (NULL).
            return (*key, self._contract(row), row.vat, *place)
        operation = (*key, row.date, self._contract(row), self.banks.get(row.bank), row.bank_account,
                     row.currency, row.amount)
        if isinstance(row, ReceiptRow):
            return (*operation, row.payer, row.fee, row.purpose, *place)
        return (*operation, row.recipient, row.expense_item, row.unconfirmed, *place)

    def _contract(self, row) -> int | None:
        return self.contracts.get((self.organizations[row.organization], row.contract)) if row.contract else None


def _contracts_wanted(rows: list, organizations: dict, banks: dict) -> dict[tuple[int, str], tuple]:
    """The contracts the rows name: (organization id, name) → (bank id, signing date), each the last one given.

    Worked out once per distinct (organization, contract, bank, date) rather than per row: a batch of
    10,000 rows names a handful of contracts. They are taken in the order of their last row, so that the
    last bank and date given win as they would row by row.
    """
    named = dict.fromkeys((r.organization, r.contract, getattr(r, "bank", ""), getattr(r, "contract_date", None))
                          for r in reversed(rows) if r.contract)
    wanted = {}
    for organization, contract, bank, signed in reversed(list(named)):
        key = (organizations[organization], contract)
        known = wanted.get(key, (None, None))
        wanted[key] = (banks.get(bank) or known[0], signed or known[1])
    return wanted


def _names_to_ids(model, names: set[str]) -> dict[str, int]:
    """Ids by name, the missing ones created (a batch names a few, nearly always known already)."""
    if not names:
        return {}
    known = dict(model.objects.filter(name__in=names).values_list("name", "pk"))
    if len(known) == len(names):
        return known
    model.objects.bulk_create([model(name=name) for name in sorted(names - set(known))], ignore_conflicts=True)
    return dict(model.objects.filter(name__in=names).values_list("name", "pk"))


def _contracts(wanted: dict[tuple[int, str], tuple]) -> dict[tuple[int, str], int]:
    """Contracts by (organization id, name); new ones created, a bank or signing date filled in when learnt."""
    if not wanted:
        return {}

    def found():
        return Contract.objects.filter(organization_id__in={org for org, _ in wanted},
                                       name__in={n for _, n in wanted})

    contracts = list(found())
    if {(c.organization_id, c.name) for c in contracts} >= set(wanted):
        missing = []
    else:
        missing = [Contract(organization_id=org, name=name, bank_id=bank, signed_on=signed)
                   for (org, name), (bank, signed) in wanted.items()]
        Contract.objects.bulk_create(missing, ignore_conflicts=True)
        contracts = list(found())
    ids, stale = {}, []
    for contract in contracts:
        key = (contract.organization_id, contract.name)
        if key not in wanted:
            continue
        ids[key] = contract.pk
        bank, signed = wanted[key]
        if (bank and contract.bank_id != bank) or (signed and contract.signed_on != signed):
            contract.bank_id, contract.signed_on = bank or contract.bank_id, signed or contract.signed_on
            stale.append(contract)
    Contract.objects.bulk_update(stale, ["bank", "signed_on"], batch_size=STATEMENT_ROWS)
    return ids


def _note_changes(tally: _Tally, document: str, diff: dict) -> None:
    if len(tally.changes) >= MAX_CHANGES_LOGGED:
        return
    for name, (before, after) in diff.items():
        tally.changes.append({"document": document, "field": name.removesuffix("_id"),
                              "before": _plain(before), "after": _plain(after)})


def _plain(value):
    return value if value is None or isinstance(value, bool | int) else str(value)


def _logs_open(files: dict) -> dict[str, ImportLog]:
    """Each file's import log, created on its first batch. ``replaces``: rows from an earlier reading of a file
    of that name are stored, so the rows this reading holds are kept track of (``ImportedRow``) until its end."""
    run_id = _current_run_id() if files else None
    logs = {}
    for import_id, file in files.items():
        log = ImportLog.objects.filter(import_id=import_id).first()
        if log is None:
            replaces = file.kind in _KIND_TABLES and _KIND_TABLES[file.kind].model.objects.filter(
                source_file=file.name).exists()
            log = ImportLog.objects.create(import_id=import_id, replaces=replaces, **_log_fields(file, run_id))
        logs[import_id] = log
    return logs


def _log_batch(logs: dict[str, ImportLog], tallies: dict[str, _Tally]) -> None:
    """Add the batch's counts (and noted changes) to each file's import log."""
    for import_id, log in logs.items():
        tally = tallies.get(import_id)
        if tally is None:
            continue
        ImportLog.objects.filter(pk=log.pk).update(
            inserted=F("inserted") + tally.inserted, updated=F("updated") + tally.updated,
            unchanged=F("unchanged") + tally.unchanged,
            changes=(log.changes + tally.changes)[:MAX_CHANGES_LOGGED],
        )


def _log_fields(file, run_id) -> dict:
    return {"run_id": run_id, "file_name": file.name, "kind": file.kind, "organization": file.organization,
            "size": file.size, "modified_at": datetime.fromisoformat(file.modified_at),
            "content_hash": file.content_hash, "header_row": file.header_row, "columns": file.columns}


def _current_run_id() -> int | None:
    """The portfolio's run in progress: the sink writes under the source's lock, so there is one."""
    return (SyncRun.objects.filter(source=SOURCE_NAME, status=RunStatus.RUNNING)
            .order_by("-started_at").values_list("pk", flat=True).first())


def _log_outcome(outcome: FileOutcome, deltas: Deltas) -> int:
    """Close the file's import log; a file read to its end also deletes the rows it no longer holds (returned)."""
    file, error, deleted = outcome.file, outcome.error, []
    log = ImportLog.objects.filter(import_id=file.import_id).first()
    if outcome.status == ImportStatus.IMPORTED and log is not None:
        rejected = outcome.rows_read - (log.inserted + log.updated + log.unchanged)
        if rejected:
            # Rows it no longer holds may be among those it could not read: nothing is deleted on a guess.
            error = (f"{rejected} row(s) of the file were rejected, so rows stored from an earlier version of it "
                     "and missing from this one were kept")
            imported_rows_forget(import_ids=[file.import_id])
        elif log.replaces:  # else every row stored from a file of that name came from this reading
            deleted = file_rows_delete(_KIND_TABLES[file.kind], file_name=file.name, import_id=file.import_id,
                                       deltas=deltas)
    changes = (log.changes if log else []) + [{"document": document, "field": "row", "before": "stored",
                                                "after": "deleted"} for document in deleted]
    ImportLog.objects.filter(import_id=file.import_id).update(
        status=outcome.status, rows_read=outcome.rows_read, error=error, deleted=len(deleted),
        header_row=file.header_row, columns=file.columns, finished_at=timezone.now(),
        changes=changes[:MAX_CHANGES_LOGGED],
    )
    return len(deleted)


_KIND_TABLES = {FileKind.RECEIPTS: RECEIPTS_TABLE, FileKind.EXPENSES: EXPENSES_TABLE, FileKind.DETAILS: DETAILS_TABLE}


def import_logs_finish(*, run: SyncRun) -> None:
    """After a portfolio run: count each file's rejected rows (from the run's quarantine) with their
    reasons, and mark files the run never finished as failed with the run's error."""
    from integrations.models import QuarantinedRecord

    rejected = defaultdict(list)
    entries = QuarantinedRecord.objects.filter(run=run).values_list("raw_payload", "error").order_by("pk")
    for payload, error in entries.iterator():
        import_id = ((payload or {}).get("file") or {}).get("import_id")
        rejected[import_id].append({"row": (payload or {}).get("row"), "reason": error})
    imported_rows_forget(import_ids=list(ImportLog.objects.filter(run=run).values_list("import_id", flat=True)))
    for log in ImportLog.objects.filter(run=run):
        reasons = rejected.get(log.import_id.hex, [])
        changes = {"rejected": len(reasons), "reasons": reasons[:MAX_CHANGES_LOGGED]}
        if log.status == ImportStatus.RUNNING:
            changes.update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                           error=run.error or "the run ended before this file was finished")
        ImportLog.objects.filter(pk=log.pk).update(**changes)
