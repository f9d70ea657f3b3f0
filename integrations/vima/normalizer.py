"""Vima operation → NormalizedTransaction (SPEC 5.1). Pure: no I/O, no ORM, no clock."""

from datetime import datetime
from decimal import Decimal

from integrations.core.fields import (
    EMPTY,
    as_dict,
    exact_decimal,
    is_empty,
    iso_time,
    later_times,
    required_text,
    text,
)
from integrations.core.registry import NormalizationError
from transactions.rows import NormalizedTransaction

STATUS_MAP = {
    "success": "success",
    "fail": "failed",
    "in_process": "pending",
    "user_input_required": "pending",
}


def normalize_operation(raw: dict, context: dict | None = None) -> NormalizedTransaction:
    """One Vima operation in the unified shape; raises NormalizationError naming the bad field."""
    if not isinstance(raw, dict):
        raise NormalizationError(f"operation is {type(raw).__name__}, not an object")
    create_params = as_dict(raw.get("create_params"))
    payment = _path(create_params, "params", "payment")
    payer = as_dict(payment.get("payer"))
    person = as_dict(payer.get("person"))
    amount_block = as_dict(payment.get("amount"))
    status, warnings = _status(raw.get("current_status"))
    created_at = _time(raw, "operation_created_at", required=True)
    contact = text(raw.get("contact"))
    identifiers = as_dict(payment.get("identifiers"))
    return NormalizedTransaction(
        source="vima",
        source_id=required_text(raw, "operation_id"),
        reference_id=text(raw.get("reference_id")),
        client_operation_id=text(raw.get("client_operation_id")) or text(identifiers.get("c_id")),
        project=text(raw.get("project")),
        amount=_amount(raw, amount_block),
        currency=(text(raw.get("complete_currency")) or text(amount_block.get("currency"))).upper(),
        fee=_fee(raw.get("card_finish")),
        status=status,
        original_status=text(raw.get("current_status")),
        direction=_direction(create_params, raw),
        user_id=text(raw.get("user_id")) or text(as_dict(payer.get("customer_account")).get("id")),
        user_email=text(payer.get("email")) or (contact if "@" in contact else ""),
        user_phone=text(payer.get("phone")) or (contact if contact and "@" not in contact else ""),
        user_name=" ".join(part for part in (text(person.get("first_name")), text(person.get("last_name"))) if part),
        country=text(as_dict(payment.get("client")).get("country")).upper(),
        payment_method=text(raw.get("payment_method_code")),
        payment_product=text(raw.get("payment_product")),
        created_at=created_at,
        # here, so that a record's first bad field is still the one named
        **later_times(raw, created_at, created="operation_created_at", modified="operation_modified_at",
                      completed="complete_created_at", parse=_time),
        source_create_cursor=text(raw.get("operation_create_id")),
        source_update_cursor=text(raw.get("operation_update_id")),
        raw_data=raw,
        warnings=warnings,
    )


def _direction(create_params: dict, raw: dict) -> str:
    """``create_params.method`` says it (``payment.in`` / ``payment.out``); older records only in the product."""
    method = text(create_params.get("method"))
    if method in ("payment.in", "payment.out"):
        return "payout" if method == "payment.out" else "payin"
    return "payout" if "payout" in text(raw.get("payment_product")).lower() else "payin"


def _status(value) -> tuple[str, tuple[str, ...]]:
    word = text(value)
    if word in STATUS_MAP:
        return STATUS_MAP[word], ()
    return "pending", (f"unknown current_status {word!r} kept as original_status and mapped to pending",)


def _amount(raw: dict, amount_block: dict) -> Decimal:
    """``complete_amount`` (major units) when present, else ``amount.value`` (minor units) / 100."""
    if not is_empty(raw.get("complete_amount")):
        return exact_decimal(raw["complete_amount"], "complete_amount")
    if amount_block.get("value") in EMPTY:
        raise NormalizationError("no amount: neither complete_amount nor create_params.params.payment.amount.value")
    minor = exact_decimal(amount_block["value"], "create_params.params.payment.amount.value")
    return minor.scaleb(-2)


def _fee(card_finish) -> Decimal | None:
    if not isinstance(card_finish, list):
        return None
    fees = [exact_decimal(item["charged_fee"], "card_finish[].charged_fee")
            for item in card_finish if isinstance(item, dict) and not is_empty(item.get("charged_fee"))]
    return sum(fees, Decimal(0)) if fees else None


def _time(raw: dict, field: str, *, required: bool = False) -> datetime | None:
    return iso_time(raw, field, required=required)


def _path(raw: dict, *keys) -> dict:
    node = raw
    for key in keys:
        node = as_dict(node.get(key))
    return node
