"""Totals the metrics read (rollups) and the exchange rates that convert them."""

from django.db import models

from analytics.spans import Span
from common.sources import source_choices
from transactions.choices import Direction, Status


class TransactionRollup(models.Model):
    """Totals of the transactions of one group (source, project, status, currency, direction)
    created in one piece of time: a 15-minute slot, an hour or a day (UTC; see ``analytics.spans``).

    Every transaction counts once at each width. Kept exact by the write path: every upsert adds
    its inserts and moves its updates between groups in the same database transaction
    (``analytics.services.rollups_apply``). Money is held in ten-thousandths of the currency unit
    (the stored precision of amounts) as integers, so that SUM is exact and fast on every
    database, SQLite included, which would otherwise add floats.
    """

    span = models.PositiveSmallIntegerField(choices=Span.choices, help_text="Width in minutes.")
    slot = models.DateTimeField(help_text="Start of the piece of time (UTC).")
    source = models.CharField(max_length=16, choices=source_choices)
    project = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    currency = models.CharField(max_length=3)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    count = models.BigIntegerField()
    amount_e4 = models.BigIntegerField(help_text="Sum of amounts in ten-thousandths of the currency unit.")
    fee_e4 = models.BigIntegerField(help_text="Sum of fees in ten-thousandths of the currency unit.")

    class Meta:
        constraints = [
            # Span and slot first: every metric reads ranges of one width.
            models.UniqueConstraint(fields=["span", "slot", "source", "project", "status", "currency", "direction"],
                                    name="rollup_group_slot_unique"),
        ]
        indexes = [
            models.Index(fields=["span", "project", "slot"], name="rollup_project_slot"),
            # Every column a metric reads, so that PostgreSQL sums a period from the index alone
            # (an index-only scan: a month of India's days reads half as many pages). SQLite builds
            # it without the INCLUDE part.
            models.Index(fields=["span", "slot"], include=["source", "project", "status", "currency", "direction",
                                                           "count", "amount_e4", "fee_e4"],
                         name="rollup_span_slot_covering"),
        ]

    def __str__(self):
        return (f"{self.slot:%Y-%m-%d %H:%M}+{self.span}m {self.source}/{self.project}/{self.status} "
                f"{self.currency}: {self.count}")


class FxRate(models.Model):
    """How many units of ``quote`` one unit of ``base`` buys on ``day`` (a reference rate, e.g. the
    central bank's fixing). Metrics in a reporting currency convert each day's totals with the latest
    rate on or before that day; a rate may be used in either direction."""

    day = models.DateField()
    base = models.CharField(max_length=3, help_text="ISO 4217, e.g. USD")
    quote = models.CharField(max_length=3, help_text="ISO 4217, e.g. INR")
    rate = models.DecimalField(max_digits=24, decimal_places=10)
    source = models.CharField(max_length=64, blank=True, default="", help_text="Where the rate comes from.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "day"], name="fx_rate_pair_day_unique"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="fx_rate_positive"),
            models.CheckConstraint(condition=~models.Q(base=models.F("quote")), name="fx_rate_two_currencies"),
        ]
        ordering = ["-day", "base", "quote"]
        verbose_name = "FX rate"

    def __str__(self):
        return f"{self.day} 1 {self.base} = {self.rate} {self.quote}"
