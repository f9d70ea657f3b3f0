"""Plan categories and monthly plans (SPEC 12)."""

from django.db import models
from django.db.models import Q

from planning.choices import CategoryCode


class Category(models.Model):
    """What a plan is for. The code is fixed (code reads it); the name is what people see and what
    plan files name (the original data names them in Ukrainian: тіло, відсотки, видача, збір)."""

    code = models.CharField(max_length=32, choices=CategoryCode.choices, unique=True)
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Plan(models.Model):
    """The amount planned for one month (its first day), category and project ("" for none)."""

    month = models.DateField(help_text="First day of the month.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="plans")
    project = models.CharField(max_length=64, blank=True, default="", help_text="Empty: no project.")
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # "" stands for "no project", so the uniqueness holds for plans without one too (NULLs would not).
            models.UniqueConstraint(fields=["month", "category", "project"], name="plan_month_category_project"),
            models.CheckConstraint(condition=Q(month__day=1), name="plan_month_first_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="plan_amount_not_negative"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="plan_currency_iso"),
        ]
        ordering = ["month", "category", "project"]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.category} {self.project or '-'}: {self.amount} {self.currency}"
