"""The set-based write of one batch of one file's rows: stage, insert, sort out, update, link, and at the
file's end, delete what it no longer holds.

A table's rows of the batch go into a temporary staging table (COPY on PostgreSQL, one executemany on
SQLite), then each step is one statement over the whole batch, mostly the same SQL on both databases:
1. for a file replacing an earlier reading of it, the ids of the stored rows it holds, kept until the file
   ends (``ImportedRow``), so that ``file_rows_delete`` can then remove the rows of that file it no longer
   holds; when every staged key is stored already (the file read again), step 2 is skipped;
2. one INSERT of the keys not stored yet (detail lines linked to their repayment as they go in), returning
   what it inserted and its new ids (held as in step 1); on PostgreSQL the database sums what it inserted
   per monthly total, so a few groups cross to Python rather than every row; when it inserted every
   staged row (a new file), steps 3 and 4 are skipped;
3. the staged rows that differ from what is stored, with both versions (for the import log's changes
   and the totals they move);
4. one UPDATE of exactly those rows: unchanged rows are never written;
5. after repayments, one UPDATE that links (or re-dates) the detail lines of the staged repayments.
What each statement did to the monthly totals is added to the caller's ``Deltas``.
"""

from dataclasses import dataclass

from django.db import connection

from credit_portfolio.models import Expense, ImportedRow, Receipt, RepaymentDetail
from credit_portfolio.rollup import EXPENSES, RECEIPTS, Deltas, day, money

# Ids per ``IN (…)`` list: SQLite allows ~32,000 variables; 500 keeps statements short on both.
ID_CHUNK = 500


@dataclass(frozen=True)
class Table:
    """How one table is staged and compared: its key, the columns whose change is an update, and the
    columns a staged NULL leaves as stored (a details file without contracts keeps the repayment's)."""

    model: type
    keys: tuple[str, ...]
    compared: tuple[str, ...]
    kept: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def stage(self) -> str:
        return f"{self.name}_stage"

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.keys, *self.compared, "source_file", "source_row")

    @property
    def kind(self) -> str | None:
        """The monthly totals' kind of every row, or None when each row has its own (payment kind)."""
        return {Receipt: RECEIPTS, Expense: EXPENSES}.get(self.model)


RECEIPTS_TABLE = Table(Receipt, ("organization_id", "document"),
                       ("date", "contract_id", "bank_id", "bank_account", "currency", "amount", "payer", "fee",
                        "purpose"))
EXPENSES_TABLE = Table(Expense, ("organization_id", "document"),
                       ("date", "contract_id", "bank_id", "bank_account", "currency", "amount", "recipient",
                        "expense_item", "unconfirmed"))
DETAILS_TABLE = Table(RepaymentDetail, ("organization_id", "expense_document", "payment_kind", "amount", "line"),
                      ("contract_id", "vat"), kept=("contract_id",))
# What a stored row's monthly total is keyed and summed by (the kind is the table's, or the detail's).
GRAIN = ("organization_id", "contract_id", "bank_id", "date", "amount")


def _distinct(left: str, right: str) -> str:
    # The same NULL-safe comparison, spelled by each database.
    return f"{left} IS DISTINCT FROM {right}" if connection.vendor == "postgresql" else f"{left} IS NOT {right}"


def _changed(table: Table) -> str:
    parts = [f"(s.{c} IS NOT NULL AND {_distinct(f't.{c}', f's.{c}')})" if c in table.kept
             else _distinct(f"t.{c}", f"s.{c}") for c in table.compared]
    return "(" + " OR ".join(parts) + ")"


def _same_key(table: Table) -> str:
    return " AND ".join(f"t.{k} = s.{k}" for k in table.keys)


@dataclass
class Written:
    """What one table's write did: counts, and the changed rows as (document, {field: (before, after)})."""

    inserted: int = 0
    updated: int = 0
    changes: list = None


def rows_write(table: Table, staged: list[tuple], *, import_id, deltas: Deltas, hold: bool) -> Written:
    """Upsert ``staged`` (one tuple per key, in ``table.columns`` order); with ``hold``, remember that the
    file holds them (a file replacing an earlier reading of it: what it no longer holds goes at its end)."""
    with connection.cursor() as cursor:
        _stage(cursor, table, staged)
        stored = _hold_stored(cursor, table, import_id) if hold else None
        # Each of the next two statements searches the table for every staged key, and one of them finds
        # nothing when the batch is all stored (a file read again) or all new (a new file): it is skipped.
        # Inserting first changes no result: a row just inserted equals its staged row.
        inserted = 0 if stored == len(staged) else _insert_new(cursor, table, deltas,
                                                                 hold_for=import_id if hold else None)
        changes = [] if inserted == len(staged) else _update_changed(cursor, table, deltas)
        if table is EXPENSES_TABLE:
            _link_details(cursor, deltas)
    return Written(inserted, len(changes), changes)


def _hold_stored(cursor, table: Table, import_id) -> int:
    """Remember the ids of the stored rows among the staged ones (keys never change, so the rows inserted
    later are held by the insert itself); returns how many staged keys are stored."""
    cursor.execute(f"INSERT INTO {ImportedRow._meta.db_table} (import_id, row_id) "
                   f"SELECT %s, t.id FROM {table.stage} AS s JOIN {table.name} AS t ON {_same_key(table)}",
                   [_import_param(import_id)])
    return cursor.rowcount


def _stage(cursor, table: Table, staged: list[tuple]) -> None:
    columns = ", ".join(table.columns)
    # Same column types as the table, none of its constraints; kept for the connection's life.
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table.stage} AS SELECT {columns} FROM {table.name} "
                   "WHERE 1 = 0")
    if connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {table.stage}")
        with cursor.copy(f"COPY {table.stage} ({columns}) FROM STDIN") as copy:
            for values in staged:
                copy.write_row(values)
        # A fresh temporary table has no statistics: without them the planner may scan the whole
        # table for every batch instead of probing its unique index once per staged row. The key
        # columns are all it joins on; sampling every column took twice as long.
        cursor.execute(f"ANALYZE {table.stage} ({', '.join(table.keys)})")
        return
    cursor.execute(f"DELETE FROM {table.stage}")
    fields = [table.model._meta.get_field(name) for name in table.columns]  # an attname finds its field too
    cursor.executemany(f"INSERT INTO {table.stage} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
                       [[f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
                        for values in staged])


def _update_changed(cursor, table: Table, deltas: Deltas) -> list:
    """Rewrite the staged rows that differ from the stored ones; returns what changed, row by row."""
    grain = ("payment_kind", *GRAIN) if table.kind is None else GRAIN
    document = table.keys[1]
    cursor.execute(
        f"SELECT {', '.join(f't.{c}' for c in grain)}, s.{document}, {', '.join(f't.{c}' for c in table.compared)}, "
        f"{', '.join(f's.{c}' for c in table.compared)} FROM {table.stage} AS s JOIN {table.name} AS t "
        f"ON {_same_key(table)} WHERE {_changed(table)}")
    found = cursor.fetchall()
    if not found:
        return []
    width, n = len(grain), len(table.compared)
    changes = []
    for values in found:
        old = dict(zip(grain, values[:width], strict=True))
        before = values[width + 1:width + 1 + n]
        after = values[width + 1 + n:]
        diff = {c: (_typed(table, c, b), _typed(table, c, a)) for c, b, a in zip(table.compared, before, after,
                                                                                  strict=True)
                if not (c in table.kept and a is None) and _differs(b, a)}
        new = {**old, **{c: a for c, (_, a) in diff.items() if c in old}}
        kind = table.kind or old["payment_kind"]
        deltas.add(kind, *(old[c] for c in GRAIN), sign=-1)
        deltas.add(kind, *(new[c] for c in GRAIN))
        changes.append((values[width], diff))
    sets = ", ".join(f"{c} = COALESCE(s.{c}, t.{c})" if c in table.kept else f"{c} = s.{c}"
                     for c in (*table.compared, "source_file", "source_row"))
    cursor.execute(f"UPDATE {table.name} AS t SET {sets} FROM {table.stage} AS s "
                   f"WHERE {_same_key(table)} AND {_changed(table)}")
    return changes


def _typed(table: Table, column: str, value):
    """A value as raw SQL hands it back, typed as its field is (SQLite: floats, text dates, 0 and 1)."""
    if value is None:
        return None
    kind = table.model._meta.get_field(column).get_internal_type()
    if kind == "DecimalField":
        return money(value)
    if kind == "DateField":
        return day(value)
    if kind == "BooleanField":
        return bool(value)
    return value


def _differs(before, after) -> bool:
    """SQLite hands amounts back as floats and dates as text: compare them as the values they stand for."""
    if before is None or after is None:
        return before is not after
    if isinstance(before, float) or isinstance(after, float):
        return money(before) != money(after)
    return str(before) != str(after)


def _insert_new(cursor, table: Table, deltas: Deltas, *, hold_for=None) -> int:
    """Insert the staged keys not stored yet (held for the import ``hold_for`` if given); returns how many."""
    insert = _insert_sql(table) + f" RETURNING id, {_grain(table)}"
    if connection.vendor == "postgresql":
        return _insert_summed(cursor, table, insert, deltas, hold_for)
    cursor.execute(insert)
    inserted = cursor.fetchall()
    for values in inserted:
        deltas.add(*((table.kind, *values[1:]) if table.kind else values[1:]))
    if hold_for is not None:
        cursor.executemany(f"INSERT INTO {ImportedRow._meta.db_table} (import_id, row_id) VALUES (%s, %s)",
                           [(_import_param(hold_for), values[0]) for values in inserted])
    return len(inserted)


def _insert_summed(cursor, table: Table, insert: str, deltas: Deltas, hold_for) -> int:
    """PostgreSQL: the insert, its new ids held from its ``RETURNING`` (not looked up again by key), and what it
    adds to the monthly totals summed by the database: a few groups cross to Python instead of every row."""
    held = (f", held AS (INSERT INTO {ImportedRow._meta.db_table} (import_id, row_id) SELECT %s, id FROM ins)"
            if hold_for is not None else "")
    kind = "" if table.kind else "payment_kind, "
    group = f"{kind}organization_id, contract_id, bank_id, date_trunc('month', date)::date"
    cursor.execute(f"WITH ins AS ({insert}){held} SELECT {group}, sum(amount), count(*), max(date) FROM ins "
                   f"GROUP BY {group}",
                   [_import_param(hold_for)] if hold_for is not None else None)
    inserted = 0
    for values in cursor.fetchall():
        *group, amount, operations, latest = values if not table.kind else (table.kind, *values)
        deltas.add_summed(*group, amount=amount, operations=operations, latest=latest)
        inserted += operations
    return inserted


def _grain(table: Table) -> str:
    return ", ".join(GRAIN if table.kind else ("payment_kind", *GRAIN))


def _insert_sql(table: Table) -> str:
    """INSERT … SELECT of the staged rows whose key is not stored (no RETURNING)."""
    missing = f"NOT EXISTS (SELECT 1 FROM {table.name} AS t WHERE {_same_key(table)})"
    if table is DETAILS_TABLE:
        # Linked to its repayment if that is stored already: its date, bank and (if the file has none) contract.
        plain = [c for c in table.columns if c != "contract_id"]
        return (f"INSERT INTO {table.name} ({', '.join(plain)}, contract_id, expense_id, date, bank_id) "
                f"SELECT {', '.join(f's.{c}' for c in plain)}, COALESCE(s.contract_id, e.contract_id), e.id, "
                f"e.date, e.bank_id FROM {table.stage} AS s LEFT JOIN {EXPENSES_TABLE.name} AS e "
                f"ON e.organization_id = s.organization_id AND e.document = s.expense_document WHERE {missing}")
    return (f"INSERT INTO {table.name} ({', '.join(table.columns)}) "
            f"SELECT {', '.join(f's.{c}' for c in table.columns)} FROM {table.stage} AS s WHERE {missing}")


def _link_condition() -> str:
    return (f"({_distinct('d.expense_id', 'e.id')} OR {_distinct('d.date', 'e.date')} OR "
            f"{_distinct('d.bank_id', 'e.bank_id')} OR (d.contract_id IS NULL AND e.contract_id IS NOT NULL))")


def _link_details(cursor, deltas: Deltas) -> None:
    """Point the detail lines of the staged repayments at them, with their date, bank and contract."""
    joined = (f"FROM {EXPENSES_TABLE.stage} AS s JOIN {EXPENSES_TABLE.name} AS e "
              f"ON e.organization_id = s.organization_id AND e.document = s.document")
    same = "d.organization_id = e.organization_id AND d.expense_document = e.document"
    cursor.execute(f"SELECT d.payment_kind, d.organization_id, d.contract_id, d.bank_id, d.date, d.amount, "
                   f"e.contract_id, e.bank_id, e.date {joined} JOIN {DETAILS_TABLE.name} AS d ON {same} "
                   f"WHERE {_link_condition()}")
    found = cursor.fetchall()
    if not found:
        return
    for kind, org, contract, bank, when, amount, e_contract, e_bank, e_date in found:
        deltas.add(kind, org, contract, bank, when, amount, sign=-1)
        deltas.add(kind, org, contract or e_contract, e_bank, e_date, amount)
    cursor.execute(f"UPDATE {DETAILS_TABLE.name} AS d SET expense_id = e.id, date = e.date, bank_id = e.bank_id, "
                   f"contract_id = COALESCE(d.contract_id, e.contract_id) {joined} WHERE {same} "
                   f"AND {_link_condition()}")


def _import_param(import_id):
    return ImportedRow._meta.get_field("import_id").get_db_prep_value(import_id, connection)


def file_rows_delete(table: Table, *, file_name: str, import_id, deltas: Deltas) -> list[str]:
    """Delete the rows last written from ``file_name`` that its import ``import_id`` did not hold; returns
    their documents. A deleted repayment's detail lines stay, unlinked, until a repayment takes them again."""
    seen = (f"NOT EXISTS (SELECT 1 FROM {ImportedRow._meta.db_table} AS r WHERE r.import_id = %s "
            f"AND r.row_id = t.id)")
    grain = ("payment_kind", *GRAIN) if table.kind is None else GRAIN
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.id, t.{table.keys[1]}, {', '.join(f't.{c}' for c in grain)} FROM {table.name} AS t "
                       f"WHERE t.source_file = %s AND {seen}", [file_name, _import_param(import_id)])
        gone = cursor.fetchall()
        for values in gone:
            deltas.add(*((table.kind, *values[2:]) if table.kind else values[2:]), sign=-1)
        ids = [values[0] for values in gone]
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start:start + ID_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            if table is EXPENSES_TABLE:
                _unlink_details(cursor, marks, chunk, deltas)
            cursor.execute(f"DELETE FROM {table.name} WHERE id IN ({marks})", chunk)
        cursor.execute(f"DELETE FROM {ImportedRow._meta.db_table} WHERE import_id = %s", [_import_param(import_id)])
    return [values[1] for values in gone]


def _unlink_details(cursor, marks: str, expense_ids: list, deltas: Deltas) -> None:
    cursor.execute(f"SELECT payment_kind, {', '.join(GRAIN)} FROM {DETAILS_TABLE.name} WHERE expense_id IN ({marks})",
                   expense_ids)
    for values in cursor.fetchall():
        deltas.add(*values, sign=-1)
    cursor.execute(f"UPDATE {DETAILS_TABLE.name} SET expense_id = NULL, date = NULL, bank_id = NULL "
                   f"WHERE expense_id IN ({marks})", expense_ids)


def imported_rows_forget(*, import_ids: list) -> None:
    """Drop the held-row ids of imports that ended without reaching their file's end."""
    ImportedRow.objects.filter(import_id__in=import_ids).delete()
