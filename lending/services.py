"""Loading the loan book from the original exports (SPEC 12): all five files in one transaction.

Each file is staged as text (``lending.staging``: COPY on PostgreSQL), checked by the rules of
``lending.rules`` and written by one ``INSERT … SELECT … ON CONFLICT`` per table that converts the
values in SQL: no row passes through Python. On SQLite every rule is checked before the write. On
PostgreSQL only the kinds of the values are (what no constraint can refuse); the other rules are also
the tables' constraints, so the database refuses a row that breaks one, the transaction rolls back and
the same rules then name the file, line and column. A good file pays for one check, not for every rule.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round
from django.utils import timezone

from lending.demo import demo_write
from lending.files import FILES, ORDER, LoadError, stage_table
from lending.models import Credit, LoanDay, LoanDayKind, Repayment
from lending.rules import CATEGORIES_TABLE, first_problem, has_repeat, typed, well_formed
from lending.staging import stage_file, stages_drop
from planning.models import Category, Plan
from planning.signals import loan_book_changed, plans_changed

# A table gets more than this many rows and at least a sixteenth of what it holds: its foreign keys are
# dropped for the insert and added back, which checks them in one join, as pg_restore does. Checked row
# by row they cost about 10 µs each (a lookup and a row lock on the parent); the join costs about a
# twentieth of that per row of the whole table.
BULK_MIN_ROWS = 10_000
BULK_SHARE = 16
# Memory for the load's joins and the foreign keys' check on PostgreSQL (a million parent ids hash in it).
LOAD_WORK_MEM = "128MB"


@dataclass(frozen=True)
class LoadResult:
    """Rows read from each file."""

    borrowers: int
    credits: int
    repayments: int
    plans: int


def loan_book_load(*, directory: Path, currency: str) -> LoadResult:
    """Stage and check every file, then write them all in one transaction: a row that breaks a rule raises
    ``LoadError`` (file, line, column) and nothing is written. Plans of ``plans.csv`` have no project and
    are in ``currency``."""
    try:
        staged = {name: stage_file(directory, name) for name in ORDER}
        _categories_stage()
        if connection.vendor != "postgresql":
            for name in ORDER[1:]:
                if problem := first_problem(name):
                    raise problem
        try:
            _write(staged, currency)
        except (DatabaseError, _Refused):
            # The write kept out a malformed row, or the database refused one (a constraint): the rules say
            # which, where (the transaction has rolled back; the staging tables are still there).
            for name in ORDER[1:]:
                if problem := first_problem(name):
                    raise problem from None
            raise
    finally:
        stages_drop(ORDER)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {CATEGORIES_TABLE}")
    return LoadResult(staged["users.csv"], staged["credits.csv"], staged["payments.csv"], staged["plans.csv"])


class _Refused(LoadError):
    """The write found a row of the file malformed (the rules then name it)."""

    def __init__(self, name: str):
        super().__init__(name, None, None, "a row breaks a rule")


def _write(staged: dict[str, int], currency: str) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL work_mem = '{LOAD_WORK_MEM}'")
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{LOAD_WORK_MEM}'")
        book = _write_file("users.csv", staged, "lending_borrower", {
            "id": "id", "login": "login", "registered_on": "registration_date"})
        book += _write_file("credits.csv", staged, "lending_credit", {
            "id": "id", "borrower_id": "user_id", "issued_on": "issuance_date", "due_on": "return_date",
            "returned_on": "actual_return_date", "body": "body", "interest": "percent"})
        book += _write_file("payments.csv", staged, "lending_repayment", {
            "id": "id", "credit_id": "credit_id", "paid_on": "payment_date", "type": "c.code", "amount": "sum"},
            join="type_id", kinds=("body", "interest"))
        planned = _write_file("plans.csv", staged, "planning_plan", {
            "month": "period", "category_id": "c.category_id", "project": "''", "amount": "sum",
            "currency": "%s", "created_at": "%s"}, join="category_id", key=["month", "category_id", "project"],
            kept=["created_at"], params=[currency, connection.ops.adapt_datetimefield_value(timezone.now())])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Django's foreign keys are deferred to the commit: checked here, so a refusal is ours to name.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if book:  # a re-load of the same files changes no row, and invalidates no answer
            loan_days_rebuild()
            transaction.on_commit(partial(loan_book_changed.send, sender=Credit))
        if planned:
            transaction.on_commit(partial(plans_changed.send, sender=Plan, codes=_plan_codes()))


def _write_file(name: str, staged: dict[str, int], table: str, values: dict[str, str], *, join: str = "",
                kinds=(), key=("id",), kept=(), params=()) -> int:
    """Write the staged rows of ``name`` into ``table`` (``values``: each column's file column or SQL): rows
    inserted or changed. Into an empty table a plain INSERT of the well-formed rows, which must be all of
    them (a bulk one with indexes and foreign keys set aside); else an upsert that leaves equal rows alone."""
    good, good_params = well_formed(name, "s.")
    columns = list(values)
    select = _select(name, list(values.values()), join=join, kinds=kinds)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
        empty = cursor.fetchone() is None
        if not empty:
            cursor.execute(f"SELECT 1 FROM {stage_table(name)} s WHERE NOT ({good}) LIMIT 1", good_params)
            if cursor.fetchone() or has_repeat(name):
                raise _Refused(name)
    if empty:
        with _set_aside(table, staged[name], indexes=True), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {select} AND {good}", [*params, *good_params])
            if cursor.rowcount != staged[name]:
                raise _Refused(name)
            return cursor.rowcount
    with _set_aside(table, staged[name], indexes=False):
        return _upsert(table, columns, select, key=list(key), kept=kept, params=params)


def _select(name: str, values: list[str], *, join: str = "", kinds=()) -> str:
    """SELECT of the staged rows of ``name`` as the table's values: a file's column converted in its kind,
    ``c.…`` a column of the file's category (``join``: the column naming it), anything else as it is."""
    columns = {column for column, _ in FILES[name]}
    listed = ", ".join(typed(name, value, "s.") if value in columns else value for value in values)
    source = f"{stage_table(name)} s"
    if join:
        only = f" AND c.code IN ({', '.join(repr(kind) for kind in kinds)})" if kinds else ""
        # LEFT: a number of no (fitting) category gives NULL, which the NOT NULL column refuses.
        source += f" LEFT JOIN {CATEGORIES_TABLE} c ON c.number = {typed(name, join, 's.')}{only}"
    return f"SELECT {listed} FROM {source} WHERE true"  # WHERE: SQLite's parser needs it before ON CONFLICT


def _upsert(table: str, columns: list[str], select: str, *, key: list[str], kept=(), params=()) -> int:
    """INSERT … SELECT, updating the rows whose ``key`` exists where a value differs (all but the key and
    ``kept``): equal rows are left alone. Rows inserted or changed."""
    others = [column for column in columns if column not in key and column not in kept]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {select} ON CONFLICT ({', '.join(key)}) "
                       f"DO UPDATE SET {', '.join(f'{column} = excluded.{column}' for column in others)} WHERE "
                       + " OR ".join(f"{table}.{column} IS DISTINCT FROM excluded.{column}" for column in others),
                       list(params))
        return cursor.rowcount


@contextmanager
def _set_aside(table: str, rows: int, *, indexes: bool):
    """On PostgreSQL, for a load large against the table: its foreign keys (and with ``indexes`` its indexes
    that hold no constraint) dropped for the write and made again after it, in the same transaction: a
    foreign key is then checked in one join and an index built in one sort, not row by row."""
    if connection.vendor != "postgresql" or rows < BULK_MIN_ROWS:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        if rows * BULK_SHARE < cursor.fetchone()[0]:
            yield
            return
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        keys = cursor.fetchall()
        found = []
        if indexes:
            cursor.execute("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON "
                           "c.oid = i.indexrelid WHERE i.indrelid = %s::regclass AND NOT i.indisunique", [table])
            found = cursor.fetchall()
        # The deferred checks of the rows written so far, now: ALTER TABLE refuses a table with pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _, definition in found:
            cursor.execute(definition)
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        # Statistics of the new rows at once (a sample), before autovacuum gets to it: without them the
        # planner takes a table of millions for empty, and a borrower's credits for a scan of all repayments.
        cursor.execute(f"ANALYZE {table}")


def _categories_stage() -> None:
    """dictionary.csv's ids matched to the categories by name (case aside), staged for the write's joins."""
    if problem := first_problem("dictionary.csv"):
        raise problem
    by_name = {category.name.casefold(): category for category in Category.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT line, {typed('dictionary.csv', 'id')}, {typed('dictionary.csv', 'name')} "
                       f"FROM {stage_table('dictionary.csv')} ORDER BY line")
        rows = cursor.fetchall()
    for line, _, name in rows:
        if name.casefold() not in by_name:
            raise LoadError("dictionary.csv", line, "name", f"unknown category {name!r}")
    found = [(number, by_name[name.casefold()]) for _, number, name in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CATEGORIES_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {CATEGORIES_TABLE} (number BIGINT PRIMARY KEY, "
                       "category_id BIGINT NOT NULL, code VARCHAR(32) NOT NULL)")
        cursor.executemany(f"INSERT INTO {CATEGORIES_TABLE} VALUES (%s, %s, %s)",
                           [(number, category.pk, category.code) for number, category in found])


def _plan_codes() -> frozenset[str]:
    """The categories of the plans in plans.csv (read while the staging table is still there)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT c.code FROM {stage_table('plans.csv')} s JOIN {CATEGORIES_TABLE} c "
                       f"ON c.number = {typed('plans.csv', 'category_id', 's.')}")
        return frozenset(row[0] for row in cursor.fetchall())


def loan_book_demo(*, directory: Path, seed: int, size: int, year: int) -> LoadResult:
    """A generated loan book of ``size`` credits and its plans for ``year``, written to ``directory`` and
    loaded (the demo's; the same seed writes the same files, so running it again changes nothing)."""
    demo_write(directory=directory, seed=seed, size=size, year=year)
    return loan_book_load(directory=directory, currency="UAH")


def _cents(field: str):
    # ROUND first: SQLite holds decimals as floats, and 1000.5 * 100 need not be 100050 exactly.
    return Sum(Cast(Round(F(field) * 100), output_field=BigIntegerField()))


def loan_days_rebuild() -> None:
    """The daily totals of the whole book again, from credits and repayments (a few statements that
    each read one table once; the result is one row per day and kind). Run inside the load's
    transaction, so an updated credit or repayment moves its totals too."""
    issued = Credit.objects.values("issued_on").annotate(n=Count("id"), cents=_cents("body")).order_by()
    repaid = Repayment.objects.values("paid_on", "type").annotate(n=Count("id"), cents=_cents("amount")).order_by()
    LoanDay.objects.all().delete()
    LoanDay.objects.bulk_create(
        [LoanDay(day=row["issued_on"], kind=LoanDayKind.ISSUANCE, count=row["n"], amount_e2=row["cents"])
         for row in issued]
        + [LoanDay(day=row["paid_on"], kind=row["type"], count=row["n"], amount_e2=row["cents"]) for row in repaid],
        batch_size=2_000)
