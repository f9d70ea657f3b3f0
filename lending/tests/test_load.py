"""Loading the exports: generated files equal the generator's totals, a re-load changes nothing,
a bad row stops the load naming file, line and column and writes nothing."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from lending.demo import demo_write
from lending.files import LoadError
from lending.models import Borrower, Credit, LoanDay, Repayment
from lending.services import loan_book_load
from planning.models import Plan

pytestmark = pytest.mark.django_db


def _counts():
    return (Borrower.objects.count(), Credit.objects.count(), Repayment.objects.count(), Plan.objects.count())


def test_generated_files_load_to_the_generators_totals_to_the_cent(tmp_path):
    call_command("lending", "demo", "--seed", "7", "--size", "300", str(tmp_path))
    totals = json.loads((tmp_path / "totals.json").read_text())
    call_command("lending", "load", str(tmp_path))
    assert _counts() == (int(totals["borrowers"]), 300, int(totals["repayments"]), 24)
    assert Credit.objects.aggregate(s=Sum("body"))["s"].quantize(Decimal("0.01")) == Decimal(totals["body"])
    body = Repayment.objects.filter(type="body").aggregate(s=Sum("amount"))["s"]
    interest = Repayment.objects.filter(type="interest").aggregate(s=Sum("amount"))["s"]
    assert body.quantize(Decimal("0.01")) == Decimal(totals["repaid_body"])
    assert interest.quantize(Decimal("0.01")) == Decimal(totals["repaid_interest"])
    assert Plan.objects.aggregate(s=Sum("amount"))["s"].quantize(Decimal("0.01")) == Decimal(totals["planned"])
    # The daily totals the answers read, rebuilt by the load, to the cent.
    days = {kind: (n, Decimal(cents) / 100) for kind, n, cents in LoanDay.objects.values("kind").annotate(
        n=Sum("count"), cents=Sum("amount_e2")).values_list("kind", "n", "cents")}
    assert days["issuance"] == (300, Decimal(totals["body"]))
    assert days["body"][1] == Decimal(totals["repaid_body"])
    assert days["interest"][1] == Decimal(totals["repaid_interest"])
    assert days["body"][0] + days["interest"][0] == int(totals["repayments"])


def test_the_generator_is_deterministic(tmp_path):
    demo_write(directory=tmp_path / "a", seed=3, size=50)
    demo_write(directory=tmp_path / "b", seed=3, size=50)
    for name in ("users.csv", "credits.csv", "payments.csv", "plans.csv", "dictionary.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_loading_the_same_files_again_changes_nothing(tmp_path):
    demo_write(directory=tmp_path, seed=1, size=40)
    loan_book_load(directory=tmp_path, currency="UAH")
    versions = _row_versions()
    before = (list(Credit.objects.order_by("id").values_list()), list(Repayment.objects.order_by("id").values_list()),
              list(Plan.objects.order_by("id").values_list()))
    loan_book_load(directory=tmp_path, currency="UAH")
    after = (list(Credit.objects.order_by("id").values_list()), list(Repayment.objects.order_by("id").values_list()),
             list(Plan.objects.order_by("id").values_list()))
    assert after == before
    assert _row_versions() == versions


def _row_versions():
    """PostgreSQL's xmin of every repayment: a row rewritten with equal values gets a new one."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM lending_repayment ORDER BY id")
        return cursor.fetchall()


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")


@pytest.fixture
def small_book(tmp_path):
    """One borrower, one credit, two repayments, one plan, by hand (LF and CRLF lines)."""
    _write(tmp_path, "dictionary.csv", "id\tname\n1\tтіло\n2\tвідсотки\n3\tвидача\n4\tзбір\n")
    _write(tmp_path, "users.csv", "id\tlogin\tregistration_date\r\n1\tolena\t01.12.2025\r\n")
    _write(tmp_path, "credits.csv", "id\tuser_id\tissuance_date\treturn_date\tactual_return_date\tbody\tpercent\n"
                                    "10\t1\t05.01.2026\t05.02.2026\t\t5000.00\t750.00\n")
    _write(tmp_path, "payments.csv", "id\tcredit_id\tpayment_date\ttype_id\tsum\n"
                                     "100\t10\t20.01.2026\t1\t1000.50\n101\t10\t20.01.2026\t2\t750.00\n")
    _write(tmp_path, "plans.csv", "period\tsum\tcategory_id\n01.01.2026\t4000.00\t3\n")
    return tmp_path


def test_a_small_book_by_hand(small_book):
    assert loan_book_load(directory=small_book, currency="UAH").repayments == 2
    credit = Credit.objects.get()
    assert (credit.borrower.login, str(credit.issued_on), credit.returned_on, credit.body) == (
        "olena", "2026-01-05", None, Decimal("5000.00"))
    assert sorted(Repayment.objects.values_list("type", "amount")) == [("body", Decimal("1000.50")),
                                                                       ("interest", Decimal("750.00"))]
    plan = Plan.objects.get()
    assert (plan.category.code, str(plan.month), plan.project, plan.amount, plan.currency) == (
        "issuance", "2026-01-01", "", Decimal("4000.00"), "UAH")


@pytest.mark.parametrize(("name", "text", "where"), [
    ("payments.csv", "id\tcredit_id\tpayment_date\ttype_id\tsum\n100\t10\t20.01.2026\t1\t1000.50\n"
                     "101\t11\t20.01.2026\t2\t750.00\n", ("payments.csv", 3, "credit_id")),
    ("payments.csv", "id\tcredit_id\tpayment_date\ttype_id\tsum\n100\t10\t31.02.2026\t1\t1000.50\n",
     ("payments.csv", 2, "payment_date")),
    ("payments.csv", "id\tcredit_id\tpayment_date\ttype_id\tsum\n100\t10\t20.01.2026\t3\t1000.50\n",
     ("payments.csv", 2, "type_id")),
    ("credits.csv", "id\tuser_id\tissuance_date\treturn_date\tactual_return_date\tbody\tpercent\n"
                    "10\t1\t05.01.2026\t05.02.2026\t\t50x0.00\t750.00\n", ("credits.csv", 2, "body")),
    ("credits.csv", "id\tuser_id\tissuance_date\treturn_date\tactual_return_date\tbody\tpercent\n"
                    "10\t1\t05.01.2026\t04.01.2026\t\t5000.00\t750.00\n", ("credits.csv", 2, "return_date")),
    ("users.csv", "id\tlogin\tregistration_date\n1\tolena\t01.12.2025\n2\tolena\t01.12.2025\n",
     ("users.csv", 3, "login")),
    ("plans.csv", "period\tsum\tcategory_id\n02.01.2026\t4000.00\t3\n", ("plans.csv", 2, "period")),
    ("plans.csv", "period\tsum\tcategory_id\n01.01.2026\t4000.00\t3\n01.01.2026\t1.00\t3\n",
     ("plans.csv", 3, "period")),
    ("dictionary.csv", "id\tname\n1\tтіло\n2\tштраф\n", ("dictionary.csv", 3, "name")),
    ("users.csv", "id\tname\tregistration_date\n", ("users.csv", 1, None)),
])
def test_a_bad_row_stops_the_load_naming_file_line_and_column(small_book, name, text, where):
    _write(small_book, name, text)
    with pytest.raises(LoadError) as raised:
        loan_book_load(directory=small_book, currency="UAH")
    details = raised.value.details
    assert (details["file"], details["line"], details["column"]) == where
    assert _counts() == (0, 0, 0, 0)


def test_a_bad_row_after_a_good_load_keeps_the_good_one_whole(small_book):
    loan_book_load(directory=small_book, currency="UAH")
    _write(small_book, "payments.csv", "id\tcredit_id\tpayment_date\ttype_id\tsum\n102\t10\t21.01.2026\t1\t5.00\n"
                                       "103\t10\t21.01.2026\t1\t-5.00\n")
    with pytest.raises(CommandError, match=r"payments.csv, line 3, column sum"):
        call_command("lending", "load", str(small_book))
    assert _counts() == (1, 1, 2, 1)


def test_a_missing_file_is_named(small_book):
    (small_book / "plans.csv").unlink()
    with pytest.raises(LoadError, match="missing: no plans.csv"):
        loan_book_load(directory=small_book, currency="UAH")


_PAYMENTS = "id\tcredit_id\tpayment_date\ttype_id\tsum\n"
_CREDITS = "id\tuser_id\tissuance_date\treturn_date\tactual_return_date\tbody\tpercent\n"


@pytest.mark.parametrize(("name", "text", "where"), [
    # Values a cast would take (rounded, trimmed, signed) and the rules refuse, alike on both databases.
    ("payments.csv", _PAYMENTS + "100\t10\t20.01.2026\t1\t1000.505\n", ("payments.csv", 2, "sum")),
    ("payments.csv", _PAYMENTS + "100\t10\t20.01.2026\t1\t1000.\n", ("payments.csv", 2, "sum")),
    ("payments.csv", _PAYMENTS + "100\t10\t20.01.2026\t1\t12345678901234567.00\n", ("payments.csv", 2, "sum")),
    ("payments.csv", _PAYMENTS + "100\t 10\t20.01.2026\t1\t5.00\n", ("payments.csv", 2, "credit_id")),
    ("payments.csv", _PAYMENTS + "+100\t10\t20.01.2026\t1\t5.00\n", ("payments.csv", 2, "id")),
    ("payments.csv", _PAYMENTS + "100\t10\t1.01.2026\t1\t5.00\n", ("payments.csv", 2, "payment_date")),
    ("payments.csv", _PAYMENTS + "100\t10\t29.02.2025\t1\t5.00\n", ("payments.csv", 2, "payment_date")),
    ("payments.csv", _PAYMENTS + "100\t10\t20.01.2026\t1\t5.00\n100\t10\t21.01.2026\t2\t1.00\n",
     ("payments.csv", 3, "id")),
    ("payments.csv", _PAYMENTS + "100\t10\t20.01.2026\t1\t5.00\t7\n", ("payments.csv", 2, None)),
    ("payments.csv", _PAYMENTS + "100\t10\t20.01.2026\t1\t5.00\n\n", ("payments.csv", 3, None)),
    ("credits.csv", _CREDITS + "10\t1\t05.01.2026\t05.02.2026\t04.01.2026\t5000.00\t750.00\n",
     ("credits.csv", 2, "actual_return_date")),
    ("credits.csv", _CREDITS + "10\t2\t05.01.2026\t05.02.2026\t\t5000.00\t750.00\n", ("credits.csv", 2, "user_id")),
])
def test_the_rules_refuse_alike_on_both_databases(small_book, name, text, where):
    _write(small_book, name, text)
    with pytest.raises(LoadError) as raised:
        loan_book_load(directory=small_book, currency="UAH")
    details = raised.value.details
    assert (details["file"], details["line"], details["column"]) == where
    assert _counts() == (0, 0, 0, 0)


def test_a_repeated_id_is_refused_when_the_rows_exist_already(small_book):
    loan_book_load(directory=small_book, currency="UAH")
    _write(small_book, "payments.csv", _PAYMENTS + "100\t10\t20.01.2026\t1\t1000.50\n100\t10\t20.01.2026\t1\t9.00\n")
    with pytest.raises(LoadError) as raised:
        loan_book_load(directory=small_book, currency="UAH")
    assert (raised.value.details["line"], raised.value.details["column"]) == (3, "id")
    assert sorted(Repayment.objects.values_list("id", "amount")) == [(100, Decimal("1000.50")),
                                                                     (101, Decimal("750.00"))]


def test_values_are_kept_as_written(small_book):
    """A backslash is data (COPY's text format would read it as an escape), a BOM and CRLF are not."""
    (small_book / "users.csv").write_bytes(b"\xef\xbb\xbfid\tlogin\tregistration_date\r\n1\tol\\ena\\N\t01.12.2025\r\n")
    loan_book_load(directory=small_book, currency="UAH")
    assert Borrower.objects.get().login == "ol\\ena\\N"


def _schema(table):
    """The table's indexes and foreign keys as PostgreSQL states them (None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                       "ORDER BY 1", [table])
        return indexes, cursor.fetchall()


@pytest.fixture
def bulk(monkeypatch):
    """Every load counts as large: the indexes and foreign keys are set aside and made again (PostgreSQL)."""
    monkeypatch.setattr("lending.services.BULK_MIN_ROWS", 1)
    tables = ("lending_borrower", "lending_credit", "lending_repayment")
    return {table: _schema(table) for table in tables}


def test_a_bulk_load_equals_the_totals_and_keeps_the_schema(tmp_path, bulk):
    totals = demo_write(directory=tmp_path, seed=5, size=200, repayments_per_credit=10)
    loan_book_load(directory=tmp_path, currency="UAH")
    assert _counts() == (100, 200, 2000, 24)
    cent = Decimal("0.01")
    assert Repayment.objects.filter(type="body").aggregate(s=Sum("amount"))["s"].quantize(cent) == totals["repaid_body"]
    assert Repayment.objects.filter(type="interest").aggregate(s=Sum("amount"))["s"].quantize(cent) == totals[
        "repaid_interest"]
    assert Credit.objects.aggregate(s=Sum("body"))["s"].quantize(cent) == totals["body"]
    assert {table: _schema(table) for table in bulk} == bulk


def test_an_orphan_in_a_bulk_load_is_named_and_nothing_is_written(tmp_path, bulk):
    demo_write(directory=tmp_path, seed=5, size=50, repayments_per_credit=3)
    with (tmp_path / "payments.csv").open("a", newline="") as payments:
        payments.write("999999\t51\t02.02.2026\t1\t10.00\r\n")
    with pytest.raises(LoadError) as raised:
        loan_book_load(directory=tmp_path, currency="UAH")
    assert (raised.value.details["line"], raised.value.details["column"]) == (152, "credit_id")
    assert _counts() == (0, 0, 0, 0)
    assert {table: _schema(table) for table in bulk} == bulk


def test_the_generator_writes_exactly_the_repayments_asked_for(tmp_path):
    totals = demo_write(directory=tmp_path, seed=2, size=30, repayments_per_credit=10)
    lines = (tmp_path / "payments.csv").read_text().splitlines()[1:]
    assert totals["repayments"] == len(lines) == 300
    with pytest.raises(ValueError, match="at least 2"):
        demo_write(directory=tmp_path, seed=2, size=30, repayments_per_credit=1)


def test_a_bulk_table_after_a_table_written_row_by_row(tmp_path, monkeypatch):
    """Credits written with their foreign keys checked at the end, then repayments in bulk: the pending
    checks of the credits run before the repayments' foreign key is set aside (PostgreSQL refuses it else)."""
    monkeypatch.setattr("lending.services.BULK_MIN_ROWS", 100)
    demo_write(directory=tmp_path, seed=5, size=50, repayments_per_credit=3)
    loan_book_load(directory=tmp_path, currency="UAH")
    assert _counts() == (25, 50, 150, 24)
