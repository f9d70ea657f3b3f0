"""Writes of the credit portfolio: the one bulk write path of imported rows, and the import log.

``portfolio_rows_write`` is what the sink calls inside the sync runner's transaction: references
(organizations, banks, contracts) first, then receipts, repayments and details, each upserted by its
key with one select, one bulk insert and one bulk update per batch; details are linked to their
repayments (whichever came first) with one statement. What changed is announced after commit.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from credit_portfolio.choices import SOURCE_NAME, ImportStatus
from credit_portfolio.models import Bank, Contract, Expense, ImportLog, Organization, Receipt, RepaymentDetail
from credit_portfolio.normalizer import DetailRow, ExpenseRow, FileOutcome, ReceiptRow
from credit_portfolio.signals import portfolio_changed
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
    a file's end record counts as unchanged.
    """
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    files = {row.file.import_id: row.file for row in rows}
    by_type = defaultdict(list)
    for row in rows:
        by_type[type(row)].append(row)
    refs = _References.load(rows)
    for model, row_type, key_of, values_of in ((Receipt, ReceiptRow, _receipt_key, refs.receipt_values),
                                                (Expense, ExpenseRow, _expense_key, refs.expense_values),
                                                (RepaymentDetail, DetailRow, _detail_key, refs.detail_values)):
        _upsert(model, by_type[row_type], lambda row, key_of=key_of: key_of(row, refs.organizations), values_of,
                tallies)
    _link_details({(refs.organizations[r.organization], r.document) for r in by_type[ExpenseRow]}
                  | {(refs.organizations[r.organization], r.expense_document) for r in by_type[DetailRow]})
    _log_batch(files, tallies)
    for outcome in by_type[FileOutcome]:
        _log_outcome(outcome)
    inserted = sum(t.inserted for t in tallies.values())
    updated = sum(t.updated for t in tallies.values())
    if inserted or updated:
        transaction.on_commit(lambda: portfolio_changed.send(sender=ImportLog, inserted=inserted, updated=updated))
    return WriteOutcome(inserted, updated, len(rows) - inserted - updated)


class _References:
    """Organizations, banks and contracts named by a batch, created when new; names → ids."""

    def __init__(self, organizations: dict, banks: dict, contracts: dict):
        self.organizations, self.banks, self.contracts = organizations, banks, contracts

    @classmethod
    def load(cls, rows: list) -> "_References":
        data = [r for r in rows if not isinstance(r, FileOutcome)]
        organizations = _names_to_ids(Organization, {r.organization for r in data})
        banks = _names_to_ids(Bank, {r.bank for r in data if getattr(r, "bank", "")})
        wanted = {}
        for r in data:
            if r.contract:
                key = (organizations[r.organization], r.contract)
                bank_id = banks.get(getattr(r, "bank", ""))
                signed = getattr(r, "contract_date", None)
                known = wanted.get(key, (None, None))
                wanted[key] = (bank_id or known[0], signed or known[1])
        return cls(organizations, banks, _contracts(wanted))

    def receipt_values(self, row: ReceiptRow) -> dict:
        return {**self._operation(row), "payer": row.payer, "fee": row.fee, "purpose": row.purpose}

    def expense_values(self, row: ExpenseRow) -> dict:
        return {**self._operation(row), "recipient": row.recipient, "expense_item": row.expense_item,
                "unconfirmed": row.unconfirmed}

    def detail_values(self, row: DetailRow) -> dict:
        # A details file without the contract column leaves the contract its repayment gave the line.
        return {"vat": row.vat, **({"contract_id": self._contract(row)} if row.contract else {})}

    def _operation(self, row) -> dict:
        return {"date": row.date, "contract_id": self._contract(row), "bank_id": self.banks.get(row.bank),
                "bank_account": row.bank_account, "currency": row.currency, "amount": row.amount}

    def _contract(self, row) -> int | None:
        return self.contracts.get((self.organizations[row.organization], row.contract)) if row.contract else None


def _names_to_ids(model, names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    model.objects.bulk_create([model(name=name) for name in sorted(names)], ignore_conflicts=True)
    return dict(model.objects.filter(name__in=names).values_list("name", "pk"))


def _contracts(wanted: dict[tuple[int, str], tuple]) -> dict[tuple[int, str], int]:
    """Contracts by (organization id, name); new ones created, a bank or signing date filled in when learnt."""
    if not wanted:
        return {}
    Contract.objects.bulk_create([Contract(organization_id=org, name=name, bank_id=bank, signed_on=signed)
                                  for (org, name), (bank, signed) in wanted.items()], ignore_conflicts=True)
    found = Contract.objects.filter(organization_id__in={org for org, _ in wanted}, name__in={n for _, n in wanted})
    ids, stale = {}, []
    for contract in found:
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


def _receipt_key(row, orgs) -> tuple:
    return (orgs[row.organization], row.document)


_expense_key = _receipt_key


def _detail_key(row, orgs) -> tuple:
    return (orgs[row.organization], row.expense_document, row.payment_kind, row.amount, row.line)


_KEY_FIELDS = {Receipt: ("organization_id", "document"), Expense: ("organization_id", "document"),
               RepaymentDetail: ("organization_id", "expense_document", "payment_kind", "amount", "line")}


# Columns an insert always writes though a row may leave them out (a details file without contracts).
_INSERT_DEFAULTS = {RepaymentDetail: {"contract_id": None}}
# The stored values a row is compared with.
_COMPARED = {Receipt: ("date", "contract_id", "bank_id", "bank_account", "currency", "amount", "payer", "fee",
                       "purpose"),
             Expense: ("date", "contract_id", "bank_id", "bank_account", "currency", "amount", "recipient",
                       "expense_item", "unconfirmed"),
             RepaymentDetail: ("contract_id", "vat")}


def _upsert(model, rows: list, key_of: Callable, values_of: Callable, tallies: dict) -> None:
    """Insert new keys, update changed ones, count the rest unchanged; the last row of a key wins."""
    if not rows:
        return
    latest = {}
    for row in rows:
        key = key_of(row)
        if key in latest:
            tallies[latest[key].file.import_id].unchanged += 1  # overwritten by a later row of the batch
        latest[key] = row
    existing = _existing(model, latest)
    new, changed, fields = [], [], set()
    key_fields, defaults = _KEY_FIELDS[model], _INSERT_DEFAULTS.get(model, {})
    for key, row in latest.items():
        values = values_of(row)
        tally = tallies[row.file.import_id]
        place = {"source_file": row.file.name, "source_row": row.row}
        stored = existing.get(key)
        if stored is None:
            new.append({**dict(zip(key_fields, key, strict=True)), **defaults, **values, **place})
            tally.inserted += 1
            continue
        pk, before = stored
        diff = {name: (before[name], value) for name, value in values.items() if before[name] != value}
        if not diff:
            tally.unchanged += 1
            continue
        changed.append(model(pk=pk, **{name: value for name, (_, value) in diff.items()}, **place))
        fields.update(diff)
        tally.updated += 1
        _note_changes(tally, key, diff)
    rows_insert(model=model, records=new)
    if changed:
        model.objects.bulk_update(changed, [*sorted(fields), "source_file", "source_row"], batch_size=STATEMENT_ROWS)


def _existing(model, latest: dict) -> dict:
    """Stored rows of the batch's keys: key → (pk, {compared field: value}); plain tuples, no model objects."""
    key_fields, compared = _KEY_FIELDS[model], _COMPARED[model]
    found = model.objects.filter(organization_id__in={key[0] for key in latest},
                                 **{f"{key_fields[1]}__in": {key[1] for key in latest}})
    width = len(key_fields)
    return {values[1:width + 1]: (values[0], dict(zip(compared, values[width + 1:], strict=True)))
            for values in found.values_list("pk", *key_fields, *compared)}


def rows_insert(*, model, records: list[dict]) -> None:
    """Insert new rows (every record with the same fields): COPY on PostgreSQL, ``bulk_create`` elsewhere.

    Only keys known to be new come here (looked up under the import's lock), so no conflict can arise.
    """
    if not records:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**record) for record in records], batch_size=STATEMENT_ROWS)
        return
    names = list(records[0])
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in names)
    with connection.cursor() as cursor:
        # The driver's own cursor: Django's debug wrapper takes no COPY.
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for record in records:
                copy.write_row([record[name] for name in names])


def _note_changes(tally: _Tally, key: tuple, diff: dict) -> None:
    if len(tally.changes) >= MAX_CHANGES_LOGGED:
        return
    document = key[1]
    for name, (before, after) in diff.items():
        tally.changes.append({"document": document, "field": name.removesuffix("_id"),
                              "before": _plain(before), "after": _plain(after)})


def _plain(value):
    return value if value is None or isinstance(value, bool | int) else str(value)


def _link_details(pairs: set[tuple[int, str]]) -> None:
    """Point the details of these repayments at them and copy their date, contract and bank: one statement.

    Runs after repayments and after details are written, so whichever arrives second links the pair.
    """
    if not pairs:
        return
    expense = Expense.objects.filter(organization_id=OuterRef("organization_id"), document=OuterRef("expense_document"))
    RepaymentDetail.objects.filter(
        organization_id__in={org for org, _ in pairs}, expense_document__in={doc for _, doc in pairs},
    ).update(
        expense_id=Subquery(expense.values("pk")[:1]), date=Subquery(expense.values("date")[:1]),
        contract_id=Coalesce(F("contract_id"), Subquery(expense.values("contract_id")[:1])),
        bank_id=Subquery(expense.values("bank_id")[:1]),
    )


def _log_batch(files: dict, tallies: dict[str, _Tally]) -> None:
    """Add the batch's counts (and noted changes) to each file's import log, creating it on its first batch."""
    run_id = _current_run_id() if files else None
    for import_id, file in files.items():
        log, _ = ImportLog.objects.get_or_create(import_id=import_id, defaults=_log_fields(file, run_id))
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


def _log_outcome(outcome: FileOutcome) -> None:
    ImportLog.objects.filter(import_id=outcome.file.import_id).update(
        status=outcome.status, rows_read=outcome.rows_read, error=outcome.error,
        header_row=outcome.file.header_row, columns=outcome.file.columns, finished_at=timezone.now(),
    )


def import_logs_finish(*, run: SyncRun) -> None:
    """After a portfolio run: count each file's rejected rows (from the run's quarantine) with their
    reasons, and mark files the run never finished as failed with the run's error."""
    from integrations.models import QuarantinedRecord

    rejected = defaultdict(list)
    entries = QuarantinedRecord.objects.filter(run=run).values_list("raw_payload", "error").order_by("pk")
    for payload, error in entries.iterator():
        import_id = ((payload or {}).get("file") or {}).get("import_id")
        rejected[import_id].append({"row": (payload or {}).get("row"), "reason": error})
    for log in ImportLog.objects.filter(run=run):
        reasons = rejected.get(log.import_id.hex, [])
        changes = {"rejected": len(reasons), "reasons": reasons[:MAX_CHANGES_LOGGED]}
        if log.status == ImportStatus.RUNNING:
            changes.update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                           error=run.error or "the run ended before this file was finished")
        ImportLog.objects.filter(pk=log.pk).update(**changes)
