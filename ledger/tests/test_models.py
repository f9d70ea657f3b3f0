"""What the database itself refuses: lines debit xor credit and non-negative, posted vouchers unchangeable,
unbalanced or empty vouchers never posted, numbers unique, one reversal per voucher."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from ledger.choices import VoucherStatus
from ledger.models import Voucher, VoucherLine
from ledger.services.periods import period_for
from ledger.services.vouchers import system_user, voucher_create, voucher_post_by_system
from ledger.tests.conftest import DAY, pair

pytestmark = pytest.mark.django_db


def _draft(chart, gen, amount="100.00"):
    return voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], amount), user=system_user(),
                          kind="auto")


def _sql(statement: str, *params):
    """Straight to the database, past the ORM's own PROTECT checks: the trigger is what is tested."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _refused(action, message: str):
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        action()
    assert message in str(refused.value)


@pytest.mark.parametrize(("debit", "credit"), [("1", "1"), ("0", "0"), ("-1", "0"), ("0", "-5")])
def test_a_line_is_debit_xor_credit_and_never_negative(chart, gen, debit, credit):
    voucher = _draft(chart, gen)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherLine.objects.create(voucher=voucher, account=chart["1100"], debit=Decimal(debit),
                                   credit=Decimal(credit), currency="INR", date=DAY)


def test_a_posted_voucher_and_its_lines_cannot_change(chart, gen):
    voucher = voucher_post_by_system(voucher=_draft(chart, gen))
    line = voucher.lines.first()
    _refused(lambda: VoucherLine.objects.filter(pk=line.pk).update(debit=Decimal("1")), "POSTED_IMMUTABLE")
    _refused(lambda: VoucherLine.objects.create(voucher=voucher, account=chart["1100"], debit=Decimal("1"),
                                                currency="INR", date=DAY), "POSTED_IMMUTABLE")
    _refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(description="changed"), "POSTED_IMMUTABLE")
    _refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(status=VoucherStatus.CANCELLED), "POSTED_IMMUTABLE")
    if connection.vendor == "postgresql":  # SQLite leaves deletes to the ORM (migration 0002 says why)
        _refused(lambda: _sql("DELETE FROM ledger_voucherline WHERE id = %s", line.pk), "POSTED_IMMUTABLE")
        _refused(lambda: _sql("DELETE FROM ledger_voucher WHERE id = %s", voucher.pk), "POSTED_IMMUTABLE")
    description = voucher.description
    voucher.refresh_from_db()
    assert (voucher.status, voucher.description, voucher.lines.count()) == (VoucherStatus.POSTED, description, 2)


def test_the_database_refuses_to_post_an_unbalanced_or_empty_voucher(chart, gen):
    voucher = _draft(chart, gen)
    VoucherLine.objects.filter(voucher=voucher, credit__gt=0).update(credit=Decimal("99.99"))
    posted = {"status": VoucherStatus.POSTED, "number": "GEN-2026-999999", "posted_by": system_user(),
              "posted_at": timezone.now()}
    _refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(**posted), "UNBALANCED")
    empty = Voucher.objects.create(journal=gen, date=DAY, period=period_for(DAY), created_by=system_user(),
                                   created_at=timezone.now())
    _refused(lambda: Voucher.objects.filter(pk=empty.pk).update(**posted), "EMPTY_VOUCHER")


def test_a_voucher_without_a_number_is_not_posted_and_numbers_are_unique(chart, gen):
    voucher = _draft(chart, gen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(status=VoucherStatus.POSTED, posted_by=system_user(),
                                                     posted_at=timezone.now())
    first = voucher_post_by_system(voucher=voucher)
    second = _draft(chart, gen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=second.pk).update(status=VoucherStatus.POSTED, number=first.number,
                                                    posted_by=system_user(), posted_at=timezone.now())


def test_a_voucher_is_reversed_at_most_once(chart, gen):
    original = voucher_post_by_system(voucher=_draft(chart, gen))
    voucher_create(journal=gen, day=DAY, lines=pair(chart["2100"], chart["1100"], "100.00"), user=system_user(),
                   kind="reversal", reverses=original)
    with pytest.raises(IntegrityError), transaction.atomic():
        voucher_create(journal=gen, day=DAY, lines=pair(chart["2100"], chart["1100"], "100.00"), user=system_user(),
                       kind="reversal", reverses=original)
