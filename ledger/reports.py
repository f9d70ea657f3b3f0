"""The ledger's reports as rows (a header first), for CSV and XLSX (``common.exports``) and the API.

- trial balance as of a date: every account with postings, per currency (the balances sum to zero);
- account statement: an account's posted lines in one currency with the running balance, read page by page;
- balance sheet at the end of a period: asset, liability and equity balances, and the period-to-date result
  (income minus expenses) that makes them balance;
- income statement of a period: the income and expense accounts' movement in that period.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from ledger import selectors
from ledger.choices import AccountType
from ledger.models import Account, AccountBalance, Period

# Lines read per statement page while writing a file: bounded memory at any length.
STATEMENT_CHUNK = 2_000
BALANCE_SHEET_TYPES = (AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY)
RESULT_TYPES = (AccountType.INCOME, AccountType.EXPENSE)


def trial_balance_rows(*, as_of: date) -> Iterator[tuple]:
    rows, totals = selectors.trial_balance(as_of=as_of)
    yield ("account", "name", "type", "currency", "debit", "credit", "balance (debit − credit)")
    for row in rows:
        yield (row.account.code, row.account.name, row.account.type, row.currency, row.debit, row.credit,
               row.balance)
    for currency, total in sorted(totals.items()):
        yield ("total", "", "", currency, "", "", total)


def statement_rows(*, account: Account, currency: str, date_from: date, date_to: date) -> Iterator[tuple]:
    yield ("date", "voucher", "description", "project", "debit", "credit", "running balance")
    after = None
    while True:
        rows, after = selectors.statement_page(account=account, currency=currency, date_from=date_from,
                                               date_to=date_to, limit=STATEMENT_CHUNK, after=after)
        for row in rows:
            yield (row["date"], row["voucher__number"], row["description"], row["project"], row["debit"],
                   row["credit"], row["balance"])
        if after is None:
            return


def _period_sums(periods, types) -> dict:
    sums = (AccountBalance.objects.filter(period__in=periods, account__type__in=types)
            .values_list("account", "currency").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    return {(account, currency): Decimal(d) - Decimal(c) for account, currency, d, c in sums}


def balance_sheet_rows(*, period: Period) -> Iterator[tuple]:
    """Assets as debit balances, liabilities and equity as credit balances, at the end of ``period``."""
    upto = Period.objects.filter(start__lte=period.start)
    balances = _period_sums(upto, BALANCE_SHEET_TYPES)
    result = _period_sums(upto, RESULT_TYPES)
    accounts = Account.objects.in_bulk({account for account, _ in balances})
    yield ("section", "account", "name", "currency", "amount")
    for (account_id, currency), balance in sorted(balances.items(), key=lambda item: accounts[item[0][0]].code):
        account = accounts[account_id]
        sign = 1 if account.type == AccountType.ASSET else -1
        yield (account.type, account.code, account.name, currency, sign * balance)
    per_currency = defaultdict(Decimal)
    for (_, currency), balance in result.items():
        per_currency[currency] -= balance  # income is a credit balance: a profit is positive
    for currency, amount in sorted(per_currency.items()):
        yield ("equity", "", "result to date (income − expenses)", currency, amount)


def income_statement_rows(*, period: Period) -> Iterator[tuple]:
    """Income (credit movement) and expenses (debit movement) of the accounts in ``period``."""
    movement = _period_sums([period], RESULT_TYPES)
    accounts = Account.objects.in_bulk({account for account, _ in movement})
    yield ("section", "account", "name", "currency", "amount")
    net = defaultdict(Decimal)
    for (account_id, currency), balance in sorted(movement.items(), key=lambda item: accounts[item[0][0]].code):
        account = accounts[account_id]
        amount = -balance if account.type == AccountType.INCOME else balance
        net[currency] += amount if account.type == AccountType.INCOME else -amount
        yield (account.type, account.code, account.name, currency, amount)
    for currency, amount in sorted(net.items()):
        yield ("result", "", "income − expenses", currency, amount)
