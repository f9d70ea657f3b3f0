"""iiko's records → rows of the sales sink (pure: no ORM, no network).

Departments come from the corporation list (``type`` JURPERSON is an organization, DEPARTMENT a
department whose ``parentId`` names its organization by iiko id); orders from the SALES report. A
page of a day's sales opens with ``{"SalesDay": "YYYY-MM-DD"}`` (see ``IikoSource``).
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from integrations.core.registry import NormalizationError
from sales.models import Department
from sales.services import DepartmentRow, SaleOrder, SalesDay

DAY_HEADER = "SalesDay"
ORGANIZATION_TYPES = frozenset({"JURPERSON", "CORPORATION"})
CENTS = Decimal("0.01")


def normalize(raw: dict, *, codes_by_id: dict[str, str], known_ids: frozenset[str]):
    """Any record of the iiko source: a day's header, an order, or a corporation item."""
    if DAY_HEADER in raw:
        return SalesDay(day=date.fromisoformat(str(raw[DAY_HEADER])))
    if "OrderNum" in raw or "CloseTime" in raw:
        return normalize_order(raw, known_ids)
    return normalize_department(raw, codes_by_id)


def normalize_department(raw: dict, codes_by_id: dict[str, str]) -> DepartmentRow:
    """One corporation item; its parent is named by the code of the item whose id it gives."""
    code, iiko_id = str(raw.get("code") or "").strip(), str(raw.get("id") or "").strip()
    if not code or not iiko_id:
        raise NormalizationError(f"a corporation item needs id and code: {raw!r}"[:300])
    parent_id = str(raw.get("parentId") or "").strip()
    parent = codes_by_id.get(parent_id, "")
    warnings = (f"{code}: its parent {parent_id} is not in iiko's list",) if parent_id and not parent else ()
    organization = str(raw.get("type") or "").upper() in ORGANIZATION_TYPES
    return DepartmentRow(code=code, name=str(raw.get("name") or code)[:255], parent_code=parent, iiko_id=iiko_id,
                         kind=Department.Kind.ORGANIZATION if organization else Department.Kind.DEPARTMENT,
                         warnings=warnings)


def normalize_order(raw: dict, known_ids: frozenset[str]) -> SaleOrder:
    """One row of the SALES report: department, close time (the POS's local time), order number, amount."""
    department = str(raw.get("Department.Id") or "")
    if department not in known_ids:
        raise NormalizationError(f"order {raw.get('OrderNum')}: department {department!r} is not in iiko's list")
    try:
        closed_at = datetime.fromisoformat(str(raw["CloseTime"])).replace(tzinfo=None)
        amount = Decimal(str(raw["DishSumInt"])).quantize(CENTS)
    except (KeyError, ValueError, InvalidOperation) as exc:
        raise NormalizationError(f"order {raw.get('OrderNum')}: bad CloseTime or DishSumInt ({exc})") from None
    if not amount.is_finite():
        raise NormalizationError(f"order {raw.get('OrderNum')}: DishSumInt {raw['DishSumInt']!r} is not a number")
    return SaleOrder(department_iiko_id=department, number=str(raw.get("OrderNum") or ""), closed_at=closed_at,
                     amount=amount)
