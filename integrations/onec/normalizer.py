"""1C's objects → department rows (pure: no ORM, no network)."""

from integrations.core.registry import NormalizationError
from sales.models import Department
from sales.services import DepartmentRow

ROOT = "0"  # 1C's object_parent of an organization


def normalize_object(raw: dict, listed_codes: frozenset[str] = frozenset()) -> DepartmentRow:
    """One object; ``listed_codes`` (every code of the same list) tells an orphan, reported as a warning."""
    code = str(raw.get("object_code") or "").strip()
    if not code:
        raise NormalizationError(f"object_code is missing or empty in {raw!r}"[:300])
    parent = str(raw.get("object_parent") or ROOT).strip()
    parent = "" if parent == ROOT else parent
    warnings = (f"{code}: its parent {parent} is not in 1C's list",) if parent and listed_codes and \
        parent not in listed_codes else ()
    return DepartmentRow(
        code=code, name=str(raw.get("object_name") or code)[:255], parent_code=parent,
        kind=Department.Kind.DEPARTMENT if parent else Department.Kind.ORGANIZATION,
        company=str(raw.get("object_company") or "")[:255], bin=str(raw.get("object_bin") or "")[:32],
        warnings=warnings,
    )
