"""Bulk operations on vouchers and periods: a list of ids, mode ``atomic`` (all or nothing) or ``continue``
(each item in its own savepoint, failures reported, the rest committed). Unknown ids are failed items."""

import time
from collections.abc import Callable

from django.db import transaction

from ledger.errors import LedgerError
from ledger.services.periods import period_move
from ledger.services.vouchers import voucher_cancel, voucher_post, voucher_reverse, voucher_review

ACTIONS: dict[str, Callable] = {
    "post": lambda item_id, user: voucher_post(voucher_id=item_id, user=user),
    "review": lambda item_id, user: voucher_review(voucher_id=item_id, user=user),
    "reverse": lambda item_id, user: voucher_reverse(voucher_id=item_id, user=user),
    "cancel": lambda item_id, user: voucher_cancel(voucher_id=item_id, user=user),
    "close": lambda item_id, user: period_move(period_id=item_id, action="close", user=user),
}
MODES = ("atomic", "continue")


class _RollBack(Exception):
    """Raised inside an atomic bulk run to undo every item once one has failed."""


def bulk_apply(*, action: str, ids: list[int], mode: str, user) -> dict:
    """Apply ``action`` to each id; ``{total, succeeded, failed, results: [{id, ok, error?}], duration_ms}``."""
    started = time.monotonic()
    operation = ACTIONS[action]
    results = []
    try:
        with transaction.atomic():
            for item_id in ids:
                results.append(_one(operation, item_id, user))
            if mode == "atomic" and not all(result["ok"] for result in results):
                raise _RollBack
    except _RollBack:
        failed = next(result["id"] for result in results if not result["ok"])
        results = [result if not result["ok"] else
                   {"id": result["id"], "ok": False, "error": {"rule": "ROLLED_BACK",
                                                               "message": f"not applied: item {failed} failed"}}
                   for result in results]
    succeeded = sum(1 for result in results if result["ok"])
    return {"total": len(ids), "succeeded": succeeded, "failed": len(ids) - succeeded, "results": results,
            "duration_ms": round((time.monotonic() - started) * 1000, 1)}


def _one(operation, item_id: int, user) -> dict:
    try:
        with transaction.atomic():  # a savepoint: a failed item leaves nothing behind
            operation(item_id, user)
    except LedgerError as error:
        return {"id": item_id, "ok": False, "error": {"rule": error.rule, "message": error.message}}
    return {"id": item_id, "ok": True}
