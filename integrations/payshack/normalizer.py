"""PayShack transaction → NormalizedTransaction (SPEC 5.2). Pure: no I/O, no ORM, no clock.

One function reads both of PayShack's paths. The JSON API writes amounts as numbers and times in
UTC; the portal writes ``₹1,23,456.50`` and IST times without an offset, and "—" for nothing. The
same payment read either way gives the same row and the same ``data_hash``.
"""

import re
from datetime import UTC, timedelta, timezone
from decimal import Decimal

from integrations.core.fields import EMPTY, exact_decimal, is_empty, iso_time, later_times, text
from integrations.core.registry import NormalizationError
from transactions.rows import NormalizedTransaction

IST = timezone(timedelta(hours=5, minutes=30), "IST")
STATUS_MAP = {
    "success": "success",
    "failed": "failed",
    "tampered": "failed",
    "initiated": "pending",
    "pending": "pending",
    "incomplete": "pending",
    "in process": "processing",
    "refunded": "refunded",
    "cb_refunded": "refunded",
}
# Fields only pay-outs carry: their presence is how a record says it is a pay-out.
PAYOUT_FIELDS = ("beneName", "beneAccount", "beneIfsc", "beneEmail", "benePhone", "netAmount", "txnCharges")
_NOTHING = (*EMPTY, "—", "-")
# Digits grouped the Indian way (12,34,567.50) or the Western way (1,234,567.50), or not at all.
_GROUPED = re.compile(r"^\d{1,2}(,\d{2})*,\d{3}(\.\d+)?$|^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_PORTAL_TIME = re.compile(r"^(\d{2})-(\d{2})-(\d{4}) (\d{2}:\d{2}:\d{2})$")


def normalize_transaction(raw: dict, context: dict) -> NormalizedTransaction:
    """One PayShack pay-in or pay-out; ``context["projects"]`` maps client names to projects."""
    if not isinstance(raw, dict):
        raise NormalizationError(f"transaction is {type(raw).__name__}, not an object")
    raw_status = _value(raw, "txnStatus")
    status, warnings = _status(raw_status)
    payout = any(_value(raw, name) for name in PAYOUT_FIELDS)
    created_at = _time(raw, "createdAt", required=True)
    order_id = _value(raw, "orderId")
    return NormalizedTransaction(
        source="payshack",
        source_id=_txn_id(raw),
        reference_id=_value(raw, "spTxnId"),
        order_id=order_id,
        client_operation_id=order_id,
        project=_project(_value(raw, "clientName"), context),
        merchant_id=_value(raw, "clientId"),
        amount=_money(raw, "amount", required=True),
        currency="INR",
        fee=_money(raw, "txnCharges" if payout else "totalCommissionAmount"),
        status=status,
        original_status=raw_status,
        direction="payout" if payout else "payin",
        user_id=_value(raw, "beneAccount") if payout else _value(raw, "payerVpa"),
        user_name=_value(raw, "beneName"),
        country="IN",
        utr=_value(raw, "utr"),
        # paymentMode (UPI | IMPS | NEFT) is the method; transactionType (UPI_INTENT, …) is how it was used.
        payment_method=(_value(raw, "paymentMode") or _value(raw, "transactionType")).lower(),
        payment_product="payout" if payout else "payin",
        created_at=created_at,
        # here, so that a record's first bad field is still the one named
        **later_times(raw, created_at, created="createdAt", modified="modifiedAt", completed="completedAt",
                      parse=_time, nothing=_NOTHING),
        raw_data=raw,
        warnings=warnings,
    )


def _txn_id(raw: dict) -> str:
    """``txnId``, or ``transactionId`` where a pay-out names it so (both documented)."""
    value = _value(raw, "txnId") or _value(raw, "transactionId")
    if not value:
        raise NormalizationError("txnId is missing")
    return value


def parse_rupees(value, field: str = "amount") -> Decimal:
    """A rupee amount as the API (a number) or the portal (``₹1,23,456.50``) writes it."""
    if not isinstance(value, str):
        return exact_decimal(value, field)
    cleaned = value.strip().replace("₹", "").replace("INR", "").replace("Rs.", "").strip()
    negative = cleaned.startswith("-")
    digits = cleaned.lstrip("-").strip()
    if not _GROUPED.match(digits):
        raise NormalizationError(f"{field} {value!r} is not a rupee amount")
    number = exact_decimal(digits.replace(",", ""), field)
    return -number if negative else number


def _money(raw: dict, field: str, *, required: bool = False) -> Decimal | None:
    value = raw.get(field)
    if is_empty(value, _NOTHING):
        if required:
            raise NormalizationError(f"{field} is missing")
        return None
    return parse_rupees(value, field)


def _time(raw: dict, field: str, *, required: bool = False):
    """API times are ISO 8601 in UTC; portal times are ``dd-mm-yyyy HH:MM:SS`` in IST."""
    value = raw.get(field)
    if value in _NOTHING:
        return iso_time({}, field, required=required)
    portal = _PORTAL_TIME.match(str(value).strip())
    if portal:
        day, month, year, clock = portal.groups()
        value = f"{year}-{month}-{day}T{clock}"
    moment = iso_time({field: value}, field, required=required, naive_zone=IST)
    return moment.astimezone(UTC)


def _status(value: str) -> tuple[str, tuple[str, ...]]:
    word = value.lower()
    if word in STATUS_MAP:
        return STATUS_MAP[word], ()
    return "pending", (f"unknown txnStatus {value!r} kept as original_status and mapped to pending",)


def _project(client_name: str, context: dict) -> str:
    projects = context.get("projects", {})
    if client_name not in projects:
        raise NormalizationError(
            f"no project mapping for PayShack client {client_name!r}; add it under Project mappings and retry"
        )
    return projects[client_name]


def _value(raw: dict, field: str) -> str:
    """A text field; the portal's "—" means empty, like the API's null."""
    value = text(raw.get(field))
    return "" if value in _NOTHING else value
