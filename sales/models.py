"""Points of sale: departments (from 1C and iiko) in their hierarchy, and their sales per day and hour."""

from django.db import models


class Department(models.Model):
    """An organization or a department, keyed by the code 1C and iiko share.

    ``parent_code`` is what the source said; ``parent`` is set once that parent exists. A department
    whose parent code names nothing known is an orphan: kept, with ``parent`` empty, and reported.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", "Organization"
        DEPARTMENT = "department", "Department"

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    parent_code = models.CharField(max_length=64, blank=True, default="")
    company = models.CharField(max_length=255, blank=True, default="")
    bin = models.CharField(max_length=32, blank=True, default="", help_text="The company's business id (BIN).")
    iiko_id = models.CharField(max_length=36, null=True, blank=True, unique=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_orphan(self) -> bool:
        return bool(self.parent_code) and self.parent_id is None
