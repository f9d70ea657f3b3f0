"""What a run reconciles and by which rules: kept with the run, so every result can be explained."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from transactions.choices import Status

# Statuses that say "not finished yet"; the other statuses are final and compared as they are.
OPEN_STATUSES = (Status.PENDING.value, Status.PROCESSING.value)
OPEN = "open"


def finality(status: str) -> str:
    """The status as compared across providers: ``pending`` and ``processing`` are both ``open``."""
    return OPEN if status in OPEN_STATUSES else status


class Review(NamedTuple):
    """A result's review, as a rerun carries it to the key's new result."""

    review_state: str
    assignee_id: int | None
    reason_code: str
    note: str
    reviewed_at: datetime | None


@dataclass(frozen=True)
class Tolerance:
    """Two amounts match when they differ by at most max(absolute, percent of the larger one)."""

    absolute: Decimal
    percent: Decimal

    def allows(self, left: Decimal, right: Decimal) -> bool:
        return abs(right - left) <= max(self.absolute, self.percent / 100 * max(abs(left), abs(right)))


@dataclass(frozen=True)
class RunParameters:
    """A range of business days (inclusive), the two sources and the rules of the run.

    ``left`` is the source whose key is ``client_operation_id`` (Vima), ``right`` the one whose key is
    ``order_id`` (PayShack). A result is dated by the left side's creation in ``time_zone`` (the right
    side's when only it has the key); rows up to ``lag`` outside the range are read so that a payment
    near midnight meets its partner on the other side of it (``meet``).
    """

    date_from: date
    date_to: date
    time_zone: str
    lag: timedelta
    projects: tuple[str, ...]
    default_tolerance: Tolerance
    tolerances: dict[str, Tolerance] = field(default_factory=dict)
    left: str = "vima"
    right: str = "payshack"

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.time_zone)).date()

    def meet(self, left_at: datetime, right_at: datetime) -> bool:
        """Whether two rows of one key are one payment: created on the same business day, or across a
        midnight within the settlement lag of each other. The rule does not depend on the range run, so
        a range gives what its days give one by one."""
        return self.local_date(left_at) == self.local_date(right_at) or abs(right_at - left_at) <= self.lag

    def tolerance_for(self, project: str) -> Tolerance:
        return self.tolerances.get(project, self.default_tolerance)

    @property
    def window(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC of the range's business days."""
        tz = ZoneInfo(self.time_zone)
        start = datetime.combine(self.date_from, time(), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.date_to + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
        return start, end

    @property
    def scan(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC of the rows read: the window widened by the settlement lag on both sides."""
        start, end = self.window
        return start - self.lag, end + self.lag

    def as_json(self) -> dict:
        return {
            "time_zone": self.time_zone,
            "settlement_lag_minutes": int(self.lag.total_seconds() // 60),
            "projects": list(self.projects),
            "tolerance": _tolerance_json(self.default_tolerance),
            "tolerances": {project: _tolerance_json(t) for project, t in sorted(self.tolerances.items())},
            "left": self.left,
            "right": self.right,
        }


def _tolerance_json(tolerance: Tolerance) -> dict:
    return {"absolute": str(tolerance.absolute), "percent": str(tolerance.percent)}
