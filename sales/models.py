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


class _SalesCell(models.Model):
    """What a department sold in one cell (a day, or an hour of a day), by the orders' close time.

    ``day`` and ``hour`` are the department's local business day and hour as the POS reports close
    times, not UTC instants: a sales day is a local calendar day. Amounts are in ``currency``.
    """

    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    day = models.DateField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    orders = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    synced_at = models.DateTimeField()

    class Meta:
        abstract = True


class DailySales(_SalesCell):
    """A department's sales on one local day; every department iiko lists has a row for a synced day
    (zero when it sold nothing), so a missing row means the day was not synced for it (a gap)."""

    class Meta:
        verbose_name_plural = "daily sales"
        ordering = ["-day", "department"]
        constraints = [models.UniqueConstraint(fields=["department", "day"], name="sales_daily_department_day")]
        indexes = [models.Index(fields=["day"], name="sales_daily_day")]

    def __str__(self):
        return f"{self.department_id} {self.day}: {self.amount}"


class HourlySales(_SalesCell):
    """A department's sales in one local hour (0–23) of a day; hours without orders have no row."""

    hour = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name_plural = "hourly sales"
        ordering = ["-day", "department", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["department", "day", "hour"], name="sales_hourly_department_day_hour"),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="sales_hourly_hour_0_23"),
        ]
        indexes = [models.Index(fields=["day"], name="sales_hourly_day")]

    def __str__(self):
        return f"{self.department_id} {self.day} {self.hour:02d}h: {self.amount}"
