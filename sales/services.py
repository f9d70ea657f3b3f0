"""Writes of the sales app: departments, parents before children."""

from dataclasses import dataclass, field

from sales.models import Department


@dataclass(frozen=True)
class DepartmentRow:
    """One department as a source lists it; empty fields are left as they are."""

    code: str
    name: str
    parent_code: str = ""
    kind: str = Department.Kind.DEPARTMENT
    company: str = ""
    bin: str = ""
    iiko_id: str = ""
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DepartmentsOutcome:
    inserted: int
    updated: int
    orphans: list[str]  # codes written without a parent: their parent code names nothing known


def departments_upsert(*, rows: list[DepartmentRow]) -> DepartmentsOutcome:
    """Write ``rows`` parents first, whatever order they came in; an orphan is written and reported.

    Call inside a transaction (the sync runner's): either every row is written or none.
    """
    by_code = {row.code: row for row in rows}
    known = dict(Department.objects.filter(code__in=set(by_code) | {r.parent_code for r in rows})
                 .values_list("code", "pk"))
    inserted = updated = 0
    orphans: list[str] = []
    for level in _levels(by_code):
        for row in level:
            parent_pk = known.get(row.parent_code) if row.parent_code else None
            if row.parent_code and parent_pk is None:
                orphans.append(row.code)
            values = {"name": row.name, "kind": row.kind, "parent_code": row.parent_code, "parent_id": parent_pk}
            values.update({name: getattr(row, name) for name in ("company", "bin", "iiko_id") if getattr(row, name)})
            department, created = Department.objects.update_or_create(code=row.code, defaults=values)
            known[row.code] = department.pk
            inserted, updated = inserted + created, updated + (not created)
    return DepartmentsOutcome(inserted, updated, orphans)


def _levels(by_code: dict[str, DepartmentRow]) -> list[list[DepartmentRow]]:
    """Rows in generations: first those whose parent is not in the batch, then their children, and so on.

    A cycle (a row that is its own ancestor) is written last, as orphans would be.
    """
    done: set[str] = set()
    levels, left = [], dict(by_code)
    while left:
        level = [row for row in left.values() if row.parent_code not in left or row.parent_code in done]
        if not level:  # a cycle: cut it
            level = list(left.values())
        levels.append(sorted(level, key=lambda row: row.code))
        for row in level:
            done.add(row.code)
            left.pop(row.code)
    return levels
