"""What PayShack holds of the payment world, and how its API writes each transaction.

PayShack carries the ``91game`` payments: pay-ins and pay-outs, with the world's planned
differences (missing on one side, another amount or status, an order id used twice). It records
times in whole seconds and works in Indian Standard Time: a day filter means an IST day.
"""

import bisect
from array import array
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

from integrations.sandbox.rand import mix, pick
from integrations.sandbox.world import FIRST_NAMES, LAST_NAMES, MAX_PAYSHACK_OFFSET_S, Payment, World

IST = timezone(timedelta(hours=5, minutes=30), "IST")
PAYIN, PAYOUT = "payin", "payout"
CLIENT_NAME, CLIENT_ID = "91G_TECH_PVT_LTD", "CL91G0001"
# The second delivery of a planned duplicate: same order id, its own transaction id, a bit later.
DUPLICATE_DELAY = timedelta(seconds=45)
_LOOK_BEHIND = timedelta(seconds=MAX_PAYSHACK_OFFSET_S) + DUPLICATE_DELAY + timedelta(seconds=1)

# The world's status (Vima's words) → the words PayShack writes, chosen per payment.
STATUS_WORDS = {
    "success": (("SUCCESS", 70), ("Success", 30)),
    "fail": (("FAILED", 80), ("failed", 10), ("TAMPERED", 10)),
    "in_process": (("In Process", 60), ("PENDING", 40)),
    "user_input_required": (("INITIATED", 70), ("incomplete", 30)),
}
# SPEC 5.2's status map, stated here independently of the normalizer so that ground truth checks it.
UNIFIED_STATUS = {"success": "success", "failed": "failed", "tampered": "failed", "initiated": "pending",
                  "pending": "pending", "incomplete": "pending", "in process": "processing",
                  "refunded": "refunded", "cb_refunded": "refunded"}
BANKS = ("okaxis", "okhdfcbank", "oksbi", "ybl", "paytm")
IFSC = ("HDFC0001234", "ICIC0004321", "SBIN0005678", "UTIB0000042")
_S_WORD, _S_BANK, _S_UTR, _S_TYPE = 40, 41, 42, 43
RESELLER_ID, RESELLER_NAME, MERCHANT_UPI = "RS0001", "Indigate Direct", "91gtech@axisbank"
PAYIN_TYPES = ("UPI_INTENT", "UPI_COLLECT")


@dataclass(frozen=True, slots=True)
class ShackTxn:
    """One PayShack transaction: a world payment, or (copy 1) the second delivery of a duplicate."""

    payment: Payment
    copy: int

    @property
    def kind(self) -> str:
        return self.payment.direction

    @property
    def txn_id(self) -> str:
        prefix = "PI" if self.kind == PAYIN else "PO"
        return f"{prefix}{self.payment.index:09d}{'D' if self.copy else ''}"

    @property
    def created_at(self) -> datetime:
        return self.payment.payshack_created_at + (DUPLICATE_DELAY if self.copy else timedelta(0))

    def modified_at(self, now: datetime) -> datetime:
        changed = self.payment.payshack_changed_at
        if changed is not None and changed <= now:
            return max(changed, self.created_at)
        return self.created_at

    def status_word(self, now: datetime) -> str:
        state = self.payment.payshack_status_at(now)
        return pick(self.payment.index, self.copy, _S_WORD, STATUS_WORDS[state])

    def unified_status(self, now: datetime) -> str:
        return UNIFIED_STATUS[self.status_word(now).lower()]


def ist_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the IST days ``first`` … ``last``."""
    start = datetime(first.year, first.month, first.day, tzinfo=IST).astimezone(UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=IST).astimezone(UTC) + timedelta(days=1)
    return start, end


class Ledger:
    """PayShack's transactions of one kind within IST days, in creation order, built once per range."""

    def __init__(self, world: World):
        self.world = world
        self._ranges = lru_cache(maxsize=64)(self._build_ranges)

    def txns(self, kind: str, first: date | None, last: date | None, now: datetime) -> list[ShackTxn]:
        """Transactions of ``kind`` created in the IST days [first, last] and by ``now``, oldest first."""
        times, entries = self._range(kind, first, last)
        visible = bisect.bisect_right(times, int(now.timestamp()))
        return [ShackTxn(self.world.payment(index), copy) for index, copy in entries[:visible]]

    def count(self, kind: str, first: date | None, last: date | None, now: datetime) -> int:
        times, _ = self._range(kind, first, last)
        return bisect.bisect_right(times, int(now.timestamp()))

    def page(self, kind, first, last, now, *, offset: int, limit: int) -> list[ShackTxn]:
        """Newest first, as PayShack lists them: ``limit`` transactions after the ``offset`` newest."""
        times, entries = self._range(kind, first, last)
        visible = bisect.bisect_right(times, int(now.timestamp()))
        top = visible - offset
        chosen = entries[max(0, top - limit):max(0, top)]
        return [ShackTxn(self.world.payment(index), copy) for index, copy in reversed(chosen)]

    def find(self, *, order_id: str = "", txn_id: str = "") -> list[ShackTxn]:
        """The transactions with this order id or transaction id (ids encode the world index)."""
        index = _index_from(order_id, f"ord-{self.world.seed}-") if order_id else _index_from(txn_id[2:11], "")
        if index is None or not 0 <= index < self.world.size:
            return []
        payment = self.world.payment(index)
        if not (payment.on_payshack and payment.project == "91game"):
            return []
        txns = [ShackTxn(payment, copy) for copy in range(2 if payment.presence == "duplicate" else 1)]
        return [txn for txn in txns if not txn_id or txn.txn_id == txn_id]

    def _range(self, kind: str, first: date | None, last: date | None) -> tuple[array, list]:
        return self._ranges(first, last)[kind]

    def _build_ranges(self, first: date | None, last: date | None) -> dict[str, tuple[array, list]]:
        """Both kinds' (creation times in epoch seconds, [(index, copy)]) for the IST days, in one pass."""
        world = self.world
        start = ist_day_bounds(first, first)[0] if first else world.start
        end = ist_day_bounds(last, last)[1] if last else world.end + _LOOK_BEHIND
        found = {PAYIN: [], PAYOUT: []}
        for index in range(world.created_before(start - _LOOK_BEHIND), world.created_before(end)):
            if world.project_of(index) != "91game":
                continue
            payment = world.payment(index)
            if not payment.on_payshack:
                continue
            for copy in range(2 if payment.presence == "duplicate" else 1):
                created = ShackTxn(payment, copy).created_at
                if start <= created < end:
                    found[payment.direction].append((int(created.timestamp()), index, copy))
        ranges = {}
        for kind, entries in found.items():
            entries.sort()
            ranges[kind] = (array("q", (t for t, _, _ in entries)), [(index, copy) for _, index, copy in entries])
        return ranges


def render_txn(txn: ShackTxn, now: datetime) -> dict:
    """A transaction as PayShack's JSON API writes it (amounts in rupees as JSON numbers, times in UTC)."""
    payment, word = txn.payment, txn.status_word(now)
    unified = UNIFIED_STATUS[word.lower()]
    modified = txn.modified_at(now)
    amount_minor, fee_minor = payment.payshack_amount_minor, payment.fee_minor
    record = {
        "_id": payment.index * 2 + txn.copy + 1,
        "txnId": txn.txn_id,
        "orderId": payment.key,
        "spTxnId": f"SP{payment.index:010d}{txn.copy}",
        "amount": amount_minor / 100,
        "utr": _utr(payment) if unified == "success" else None,
        "txnStatus": word,
        "clientName": CLIENT_NAME,
        "clientId": CLIENT_ID,
        "resellerId": RESELLER_ID,
        "resellerName": RESELLER_NAME,
        "transactionType": PAYIN_TYPES[mix(payment.index, 0, _S_TYPE) & 1] if txn.kind == PAYIN else "IMPS",
        "paymentMode": "UPI" if txn.kind == PAYIN else "IMPS",
        "createdAt": iso_utc(txn.created_at),
        "modifiedAt": iso_utc(modified),
        "completedAt": iso_utc(modified) if unified in ("success", "failed") else None,
    }
    first, last = payer_name(payment)
    if txn.kind == PAYIN:
        record.update(paidAmount=amount_minor / 100 if unified == "success" else 0,
                      totalCommissionAmount=fee_minor / 100, upiId=MERCHANT_UPI,
                      payerVpa=f"{first.lower()}.{last.lower()}{payment.payer_index}@"
                               f"{BANKS[mix(payment.index, 0, _S_BANK) % len(BANKS)]}",
                      payerName=f"{first} {last}", payerPhone=_phone(payment),
                      rrn=record["utr"])
    else:
        record.update(beneName=f"{first} {last}", beneAccount=f"{50100000000 + payment.payer_index * 7919}",
                      beneIfsc=IFSC[payment.payer_index % len(IFSC)], txnCharges=fee_minor / 100,
                      netAmount=(amount_minor - fee_minor) / 100, beneEmail=f"payer{payment.payer_index}@mail.example",
                      benePhone=_phone(payment))
        if payment.index % 4 == 0:  # the documentation allows either name for a pay-out's id
            record["transactionId"] = record.pop("txnId")
    return record


def _phone(payment: Payment) -> str:
    return f"+91{9_000_000_000 + payment.payer_index}"


def payer_name(payment: Payment) -> tuple[str, str]:
    return (FIRST_NAMES[payment.payer_index % len(FIRST_NAMES)],
            LAST_NAMES[payment.payer_index // len(FIRST_NAMES) % len(LAST_NAMES)])


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def _utr(payment: Payment) -> str:
    return f"{400000000000 + mix(payment.index, 0, _S_UTR) % 99999999999:012d}"


def _index_from(text: str, prefix: str) -> int | None:
    if not text.startswith(prefix):
        return None
    try:
        return int(text[len(prefix):])
    except ValueError:
        return None
