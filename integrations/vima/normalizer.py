"""Vima operation → NormalizedTransaction (SPEC 5.1). Pure: no I/O, no ORM, no clock."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from integrations.core.registry import NormalizationError
from transactions.rows import NormalizedTransaction

STATUS_MAP = {
    "success": "success",
    "fail": "failed",
    "in_process": "pending",
    "user_input_required": "pending",
}
_EMPTY = (None, "", "None", "null")


def normalize_operation(raw: dict, context: dict | None = None) -> NormalizedTransaction:
    """One Vima operation in the unified shape; raises NormalizationError naming the bad field."""
    if not isinstance(raw, dict):
        raise NormalizationError(f"operation is {type(raw).__name__}, not an object")
    payment = _path(raw, "create_params", "params", "payment")
    payer = _dict(payment.get("payer"))
    person = _dict(payer.get("person"))
    amount_block = _dict(payment.get("amount"))
    status, warnings = _status(raw.get("current_status"))
    created_at = _time(raw, "operation_created_at", required=True)
    contact = _text(raw.get("contact"))
    identifiers = _dict(payment.get("identifiers"))
    return NormalizedTransaction(
        source="vima",
        source_id=_required_text(raw, "operation_id"),
        reference_id=_text(raw.get("reference_id")),
        client_operation_id=_text(raw.get("client_operation_id")) or _text(identifiers.get("c_id")),
        project=_text(raw.get("project")),
        amount=_amount(raw, amount_block),
        currency=(_text(raw.get("complete_currency")) or _text(amount_block.get("currency"))).upper(),
        fee=_fee(raw.get("card_finish")),
        status=status,
        original_status=_text(raw.get("current_status")),
        direction="payout" if "payout" in _text(raw.get("payment_product")).lower() else "payin",
        user_id=_text(raw.get("user_id")) or _text(_dict(payment.get("customer")).get("account_id")),
        user_email=_text(payer.get("email")) or (contact if "@" in contact else ""),
        user_phone=_text(payer.get("phone")) or (contact if contact and "@" not in contact else ""),
        user_name=" ".join(part for part in (_text(person.get("first_name")), _text(person.get("last_name"))) if part),
        country=_text(_dict(payment.get("client")).get("country")).upper(),
        payment_method=_text(raw.get("payment_method_code")),
        payment_product=_text(raw.get("payment_product")),
        created_at=created_at,
        updated_at=_time(raw, "operation_modified_at") or created_at,
        completed_at=_time(raw, "complete_created_at"),
        source_create_cursor=_text(raw.get("operation_create_id")),
        source_update_cursor=_text(raw.get("operation_update_id")),
        raw_data=raw,
        warnings=warnings,
    )


def _status(value) -> tuple[str, tuple[str, ...]]:
    word = _text(value)
    if word in STATUS_MAP:
        return STATUS_MAP[word], ()
    return "pending", (f"unknown current_status {word!r} kept as original_status and mapped to pending",)


def _amount(raw: dict, amount_block: dict) -> Decimal:
    """``complete_amount`` (major units) when present, else ``amount.value`` (minor units) / 100."""
    if raw.get("complete_amount") not in _EMPTY:
        return _decimal(raw["complete_amount"], "complete_amount")
    if amount_block.get("value") in _EMPTY:
        raise NormalizationError("no amount: neither complete_amount nor create_params.params.payment.amount.value")
    minor = _decimal(amount_block["value"], "create_params.params.payment.amount.value")
    return minor.scaleb(-2)


def _fee(card_finish) -> Decimal | None:
    if not isinstance(card_finish, list):
        return None
    fees = [_decimal(item["charged_fee"], "card_finish[].charged_fee")
            for item in card_finish if isinstance(item, dict) and item.get("charged_fee") not in _EMPTY]
    return sum(fees, Decimal(0)) if fees else None


def _decimal(value, field: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise NormalizationError(f"{field} {value!r} must be an exact number, not {type(value).__name__}")
    try:
        number = Decimal(value) if isinstance(value, (int, Decimal)) else Decimal(str(value).strip())
    except InvalidOperation:
        raise NormalizationError(f"{field} {value!r} is not a number") from None
    if not number.is_finite():
        raise NormalizationError(f"{field} {value!r} is not a finite number")
    return number


def _time(raw: dict, field: str, *, required: bool = False) -> datetime | None:
    value = raw.get(field)
    if value in _EMPTY:
        if required:
            raise NormalizationError(f"{field} is missing")
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise NormalizationError(f"{field} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise NormalizationError(f"{field} {value!r} has no time zone")
    return moment


def _required_text(raw: dict, field: str) -> str:
    value = _text(raw.get(field))
    if not value:
        raise NormalizationError(f"{field} is missing")
    return value


def _text(value) -> str:
    return "" if value in _EMPTY else str(value).strip()


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _path(raw: dict, *keys) -> dict:
    node = raw
    for key in keys:
        node = _dict(node.get(key))
    return node
