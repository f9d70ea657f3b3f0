"""Departments are written parents first whatever order they arrive in; an orphan is kept and reported."""

import pytest

from sales.models import Department
from sales.services import DepartmentRow, departments_upsert

pytestmark = pytest.mark.django_db


def test_children_listed_before_parents_are_written_under_them():
    rows = [DepartmentRow(code="D002", name="Cafe 2", parent_code="ORG01"),
            DepartmentRow(code="D001", name="Cafe 1", parent_code="ORG01", iiko_id="abc"),
            DepartmentRow(code="ORG01", name="Org", kind=Department.Kind.ORGANIZATION, company="Org LLP")]
    outcome = departments_upsert(rows=rows)
    assert (outcome.inserted, outcome.updated, outcome.orphans) == (3, 0, [])
    org = Department.objects.get(code="ORG01")
    assert sorted(org.children.values_list("code", flat=True)) == ["D001", "D002"]
    assert Department.objects.get(code="D001").iiko_id == "abc"


def test_an_orphan_is_written_without_parent_and_reported_then_adopted():
    outcome = departments_upsert(rows=[DepartmentRow(code="X001", name="Orphan", parent_code="ORG-GONE")])
    assert outcome.orphans == ["X001"]
    orphan = Department.objects.get(code="X001")
    assert orphan.is_orphan and orphan.parent is None
    departments_upsert(rows=[DepartmentRow(code="ORG-GONE", name="Back", kind=Department.Kind.ORGANIZATION),
                             DepartmentRow(code="X001", name="Orphan", parent_code="ORG-GONE")])
    orphan.refresh_from_db()
    assert orphan.parent.code == "ORG-GONE" and not orphan.is_orphan


def test_a_second_source_keeps_what_the_first_gave():
    departments_upsert(rows=[DepartmentRow(code="D001", name="Cafe 1", company="Co", bin="123")])
    outcome = departments_upsert(rows=[DepartmentRow(code="D001", name="Cafe 1", iiko_id="u-1")])
    department = Department.objects.get(code="D001")
    assert outcome.updated == 1
    assert (department.company, department.bin, department.iiko_id) == ("Co", "123", "u-1")
