"""The predecessor's answer shapes, made from the canonical API's answers (pure: dicts in, dicts out).

Nothing here counts or decides: every figure is a value the canonical selectors gave, renamed and flattened for
the Next.js dashboard written against the predecessor (flat bodies, JSON numbers).
"""

import math

from reconciliation.choices import ResultType
from transactions.choices import Status

# The predecessor's three statuses; "pending" is every payment not finished yet (SPEC 7's "open").
OPEN_STATUSES = (Status.PENDING, Status.PROCESSING)
ITEM_FIELDS = ("id", "source", "source_id", "client_operation_id", "project", "amount", "currency", "status",
               "user_name", "user_email", "user_phone", "created_at", "fee", "reference_id", "order_id", "utr",
               "user_id", "country", "merchant_id", "payment_method", "payment_product", "original_status",
               "updated_at", "completed_at")
DISCREPANCY_FIELDS = ("id", "discrepancy_type", "client_operation_id", "vima_amount", "payshack_amount",
                      "amount_diff", "vima_status", "payshack_status")


def transactions(page) -> dict:
    """``{items, page, limit, total, pages}`` from a ``TransactionsPage``."""
    return {"items": [{name: row[name] for name in ITEM_FIELDS} for row in page.rows], "page": page.page,
            "limit": page.limit, "total": page.total, "pages": math.ceil(page.total / page.limit)}


def _figures(money: dict | None, usd: dict | None) -> dict:
    return {"count": money["count"], "amount": money["amount"], "amount_usd": usd["amount"] if usd else None}


def _open(by_status: dict) -> dict:
    """Pending and processing as one: counts added, an amount only where every part has one in one currency."""
    parts = [by_status[status] for status in OPEN_STATUSES]
    currencies = {code for part in parts for code in part["by_currency"]}
    single = len(currencies) <= 1 and all(part["amount"] is not None for part in parts)
    return {"count": sum(part["count"] for part in parts),
            "amount": sum(part["amount"] for part in parts) if single else None,
            "currency": next(iter(currencies), None), "by_currency": {}}


def overview(native: dict, usd: dict | None) -> dict:
    """The predecessor's overview from the canonical one (``usd``: the same in USD, None when a rate is missing)."""
    statuses = {"success": (native["by_status"][Status.SUCCESS], usd and usd["by_status"][Status.SUCCESS]),
                "failed": (native["by_status"][Status.FAILED], usd and usd["by_status"][Status.FAILED]),
                "pending": (_open(native["by_status"]), usd and _open(usd["by_status"]))}
    return {
        "period": {"from": native["period"]["from_date"], "to": native["period"]["to_date"]},
        "total_count": native["total"]["count"],
        "total_amount": native["total"]["amount"],
        "total_amount_usd": usd["total"]["amount"] if usd else None,
        "currency": native["total"]["currency"],
        "by_status": {name: _figures(money, in_usd) for name, (money, in_usd) in statuses.items()},
        "by_source": {source: {"count": money["count"]} for source, money in native["by_source"].items()},
        "conversion_rate": native["conversion_rate"],
        "avg_ticket": native["avg_ticket"]["amount"],
        "avg_ticket_usd": usd["avg_ticket"]["amount"] if usd else None,
        "count_change_percent": native["trends"]["count"]["change_pct"],
    }


def by_project(rows: list[dict]) -> dict:
    return {"projects": [{"project": row["project"], "total_count": row["count"], "total_amount": row["amount"],
                          "conversion_rate": row["success_rate"]} for row in rows]}


def trends(answer: dict, granularity: str) -> dict:
    return {"period": {"from": answer["period"]["from_date"], "to": answer["period"]["to_date"]},
            "granularity": granularity,
            "data": [{"timestamp": point["timestamp"], "count": point["count"], "amount": point["amount"],
                      "success_count": point["success_count"], "failed_count": point["failed_count"]}
                     for point in answer["points"]]}


def _cursor(cursors: dict) -> str | None:
    """One stream: its cursor; several: ``stream=cursor`` joined by ``; ``; none: null."""
    if not cursors:
        return None
    if len(cursors) == 1:
        return next(iter(cursors.values())) or None
    return "; ".join(f"{stream}={cursor}" for stream, cursor in sorted(cursors.items()))


def sync_status(rows: list[dict]) -> dict:
    return {"sources": [{"source": row["source"], "status": row["status"], "records_synced": row["records_synced"],
                         "last_sync_at": row["last_sync"], "last_successful_sync": row["last_successful_sync"],
                         "next_sync_at": row["next_scheduled_run"], "last_cursor": _cursor(row["last_cursor"]),
                         "error_message": row["error"] or None} for row in rows]}


def reconciliation_summary(summary: dict) -> dict:
    counts = summary["counts"]
    by_type = {"amount": counts[ResultType.DISCREPANCY_AMOUNT], "status": counts[ResultType.DISCREPANCY_STATUS],
               "duplicate": counts[ResultType.DUPLICATE]}
    missing = {"missing_vima": counts[ResultType.MISSING_VIMA], "missing_payshack": counts[ResultType.MISSING_PAYSHACK]}
    return {
        "total_transactions": summary["total"],
        "matched": {"count": counts[ResultType.MATCHED], "percentage": summary["percentages"][ResultType.MATCHED]},
        "discrepancies": {"count": sum(by_type.values()), "by_type": by_type},
        "missing": {"count": sum(missing.values()), **missing},
        "run_at": summary["run_finished_at"],
    }


def discrepancy(result) -> dict:
    return {"id": result.pk, "discrepancy_type": result.result_type, "client_operation_id": result.key,
            "vima_amount": result.vima_amount, "payshack_amount": result.payshack_amount,
            "amount_diff": result.difference, "vima_status": result.vima_status or None,
            "payshack_status": result.payshack_status or None}
