"""A deterministic loan book in the original exports' format (``lending.files``), with its totals.

Row *i* depends only on the seed and *i*'s place, so the same seed and size give the same bytes:
the demo, the tests and the benchmark load files whose totals are known to the cent.
"""

import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from lending.files import FILES

YEAR = 2026
# dictionary.csv of the original system: its ids as the other files use them.
DICTIONARY = ((1, "тіло"), (2, "відсотки"), (3, "видача"), (4, "збір"))
BODY_ID, INTEREST_ID, ISSUANCE_ID, COLLECTION_ID = 1, 2, 3, 4
CREDITS_PER_BORROWER = 2


def _dmy(day: date | None) -> str:
    return "" if day is None else f"{day:%d.%m.%Y}"


def _credit(rng: random.Random, number: int, borrowers: int, year: int) -> tuple:
    issued = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    due = issued + timedelta(days=rng.choice((14, 30, 60)))
    body = Decimal(rng.randrange(50_000, 2_000_000)) / 100
    interest = (body * Decimal(rng.choice((10, 15, 20))) / 100).quantize(Decimal("0.01"))
    returned = issued + timedelta(days=rng.randrange(1, 90)) if rng.random() < 0.6 else None
    return (number, rng.randrange(1, borrowers + 1), issued, due, returned, body, interest)


def _payments(rng: random.Random, credit: tuple, first_id: int) -> list[tuple]:
    number, _, issued, _, returned, body, interest = credit
    last = returned or issued + timedelta(days=60)
    parts = rng.randrange(1, 4)
    rows = []
    for k in range(parts):
        paid_on = issued + timedelta(days=1 + rng.randrange(max((last - issued).days, 1)))
        share = (body / parts).quantize(Decimal("0.01")) if k < parts - 1 else body - (body / parts).quantize(
            Decimal("0.01")) * (parts - 1)
        rows.append((first_id + len(rows), number, paid_on, BODY_ID, share))
        if k == 0:
            rows.append((first_id + len(rows), number, paid_on, INTEREST_ID, interest))
    return rows if returned else rows[:1]


def _payments_of(rng: random.Random, credit: tuple, first_id: int, per_credit: int) -> list[tuple]:
    """Exactly ``per_credit`` repayments (at least 2): the interest once, the body in ``per_credit - 1`` parts
    (of a returned credit the whole body; of an open one all parts but the last). Cents as integers."""
    number, _, issued, _, returned, body, interest = credit
    span = max(((returned or issued + timedelta(days=60)) - issued).days, 1)
    body_cents, parts = int(body * 100), per_credit - (1 if returned else 0)
    share = body_cents // parts
    rows = [(first_id, number, issued + timedelta(days=1 + rng.randrange(span)), INTEREST_ID, int(interest * 100))]
    for k in range(per_credit - 1):
        cents = share if k < parts - 1 else body_cents - share * (parts - 1)
        rows.append((first_id + k + 1, number, issued + timedelta(days=1 + rng.randrange(span)), BODY_ID, cents))
    return rows


def demo_write(*, directory: Path, seed: int, size: int, year: int = YEAR, repayments_per_credit: int | None = None
               ) -> dict:
    """Write the five files for ``size`` credits issued in ``year`` (and their plans) into ``directory`` and
    ``totals.json``; return the totals. ``repayments_per_credit`` None: one to six per credit (2.2 on
    average); a number (2 or more): exactly that many per credit (the benchmark's 10)."""
    if repayments_per_credit is not None:
        if repayments_per_credit < 2:
            raise ValueError("repayments_per_credit must be at least 2 (the interest and a part of the body)")
        return _demo_write_fixed(directory=directory, seed=seed, size=size, year=year, per_credit=repayments_per_credit)
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    borrowers = max(size // CREDITS_PER_BORROWER, 1)
    totals = {"borrowers": borrowers, "credits": size, "repayments": 0, "body": Decimal(0),
              "repaid_body": Decimal(0), "repaid_interest": Decimal(0)}
    with _writer(directory, "users.csv", "\r\n") as users:
        for number in range(1, borrowers + 1):
            users((number, f"borrower{number:07d}", date(year - 1, 1, 1) + timedelta(days=number % 365)))
    with _writer(directory, "credits.csv", "\n") as credits, _writer(directory, "payments.csv", "\r\n") as payments:
        for number in range(1, size + 1):
            credit = _credit(rng, number, borrowers, year)
            credits(credit)
            totals["body"] += credit[5]
            for row in _payments(rng, credit, totals["repayments"] + 1):
                payments(row)
                totals["repayments"] += 1
                totals["repaid_body" if row[3] == BODY_ID else "repaid_interest"] += row[4]
    _dictionary_and_plans(directory, rng, year, totals)
    return totals


def _demo_write_fixed(*, directory: Path, seed: int, size: int, year: int, per_credit: int) -> dict:
    """``demo_write`` with exactly ``per_credit`` repayments per credit, written in integer cents and with
    dates formatted once each: ten million repayment lines in minutes, not tens of minutes."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    borrowers = max(size // CREDITS_PER_BORROWER, 1)
    dmy = _DmyCache()
    totals = {"borrowers": borrowers, "credits": size, "repayments": 0, "body": 0, "repaid_body": 0,
              "repaid_interest": 0}
    with _writer(directory, "users.csv", "\r\n") as users:
        for number in range(1, borrowers + 1):
            users((number, f"borrower{number:07d}", date(year - 1, 1, 1) + timedelta(days=number % 365)))
    with (open(directory / "credits.csv", "w", encoding="utf-8", newline="") as credits,
          open(directory / "payments.csv", "w", encoding="utf-8", newline="") as payments):
        credits.write("\t".join(column for column, _ in FILES["credits.csv"]) + "\n")
        payments.write("\t".join(column for column, _ in FILES["payments.csv"]) + "\r\n")
        for number in range(1, size + 1):
            credit = _credit(rng, number, borrowers, year)
            _, user, issued, due, returned, body, interest = credit
            credits.write(f"{number}\t{user}\t{dmy(issued)}\t{dmy(due)}\t{dmy(returned)}\t{body}\t{interest}\n")
            totals["body"] += int(body * 100)
            rows = _payments_of(rng, credit, totals["repayments"] + 1, per_credit)
            payments.write("".join(f"{row[0]}\t{number}\t{dmy(row[2])}\t{row[3]}\t{row[4] // 100}."
                                   f"{row[4] % 100:02d}\r\n" for row in rows))
            totals["repayments"] += len(rows)
            totals["repaid_interest"] += rows[0][4]
            totals["repaid_body"] += sum(row[4] for row in rows[1:])
    for key in ("body", "repaid_body", "repaid_interest"):
        totals[key] = Decimal(totals[key]) / 100
    _dictionary_and_plans(directory, rng, year, totals)
    return totals


class _DmyCache(dict):
    """``dd.mm.yyyy`` of each date, formatted once (strftime per line would cost more than the rest of it)."""

    def __call__(self, day: date | None) -> str:
        if day is None:
            return ""
        found = self.get(day)
        if found is None:
            found = self[day] = _dmy(day)
        return found


def _dictionary_and_plans(directory: Path, rng: random.Random, year: int, totals: dict) -> None:
    """dictionary.csv, plans.csv (issuance and collection each month, 80-120 % of a twelfth of the bodies) and
    totals.json."""
    totals |= {"plans": 24, "planned": Decimal(0)}
    with _writer(directory, "dictionary.csv", "\n") as dictionary:
        for row in DICTIONARY:
            dictionary(row)
    with _writer(directory, "plans.csv", "\n") as plans:
        for month in range(1, 13):
            for category in (ISSUANCE_ID, COLLECTION_ID):
                amount = (totals["body"] / 12 * Decimal(rng.choice((80, 100, 120))) / 100).quantize(Decimal("0.01"))
                plans((date(year, month, 1), amount, category))
                totals["planned"] += amount
    (directory / "totals.json").write_text(json.dumps({key: str(value) for key, value in totals.items()}, indent=1))


class _writer:
    """Tab-separated lines of one file with its header, values written as the original system wrote them."""

    def __init__(self, directory: Path, name: str, newline: str):
        self.path, self.name, self.newline = directory / name, name, newline

    def __enter__(self):
        self.handle = self.path.open("w", encoding="utf-8", newline="")
        self._line([column for column, _ in FILES[self.name]])
        return lambda values: self._line([_dmy(v) if isinstance(v, date) or v is None else str(v) for v in values])

    def _line(self, values):
        self.handle.write("\t".join(values) + self.newline)

    def __exit__(self, *exc):
        self.handle.close()
