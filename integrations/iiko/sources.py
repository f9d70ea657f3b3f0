"""iiko's declaration: the corporation's departments and the SALES report, into the sales sink.

Modes (``manage.py sync iiko --mode …``, the beat schedules): ``""`` (nightly: departments, then
yesterday's sales, in the points of sale's time zone), ``departments`` (departments only), ``gaps``
(departments, then every recent day some department is missing from; ``sales/schedules.py``), or days
``YYYY-MM-DD`` / ``YYYY-MM-DD..YYYY-MM-DD`` (a resync of exactly those days).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from common.sources import Schedule, SourceDeclaration, register
from sales.sinks import SALES_SINK

MODES = ("departments", "gaps")
# The longest resync one command may ask for: a day is one report call of two days of orders.
MAX_RESYNC_DAYS = 93


def iiko_settings():
    from integrations.iiko.client import IikoSettings

    return IikoSettings(base_url=settings.IIKO_BASE_URL, login=settings.IIKO_LOGIN, password=settings.IIKO_PASSWORD,
                        timeout_s=settings.IIKO_TIMEOUT_SECONDS)


def sales_today() -> date:
    """Today in the points of sale's time zone (their sales days are local days)."""
    return datetime.now(ZoneInfo(settings.SALES_TIMEZONE)).date()


def days_of_mode(mode: str) -> list[date]:
    """The sales days a run in ``mode`` reads; ``ValueError`` names a mode that is none of the known ones."""
    if mode == "":
        return [sales_today() - timedelta(days=1)]
    if mode == "departments":
        return []
    if mode == "gaps":
        from sales.selectors import days_with_gaps

        return days_with_gaps(last=sales_today() - timedelta(days=1), days=settings.SALES_GAP_DAYS)
    try:
        first, _, last = mode.partition("..")
        first_day, last_day = date.fromisoformat(first), date.fromisoformat(last or first)
    except ValueError:
        raise ValueError(f"iiko mode {mode!r}: expected '', departments, gaps, YYYY-MM-DD or "
                         f"YYYY-MM-DD..YYYY-MM-DD") from None
    if not 0 <= (last_day - first_day).days < MAX_RESYNC_DAYS:
        raise ValueError(f"iiko mode {mode!r}: a resync runs forwards over at most {MAX_RESYNC_DAYS} days")
    return [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]


def _source(mode: str = ""):
    from integrations.iiko.sync import IikoSource
    from integrations.iiko.tokens import CacheTokens

    return IikoSource(iiko_settings(), days=days_of_mode(mode), tokens=CacheTokens())


def _normalizer():
    from integrations.iiko.normalizer import normalize

    # The quarantine's retry has no corporation list at hand: an order's department is checked on write.
    return (lambda raw, context: normalize(raw, codes_by_id=context["codes_by_id"],
                                           known_ids=frozenset(context["codes_by_id"]))), _known_departments()


def _known_departments() -> dict:
    from sales.models import Department

    return {"codes_by_id": dict(Department.objects.exclude(iiko_id=None).values_list("iiko_id", "code"))}


def _record_id(raw) -> str:
    if not isinstance(raw, dict):
        return ""
    return str(raw.get("OrderNum") or raw.get("code") or raw.get("SalesDay") or "")


IIKO = register(SourceDeclaration(
    name="iiko", label="iiko", listed=11, source=_source, normalizer=_normalizer, sink=SALES_SINK,
    settings=iiko_settings, record_id=_record_id, modes=MODES,
    sync=Schedule(crontab="0 2 * * *", timezone=settings.SALES_TIMEZONE,
                  description="iiko's departments, then yesterday's sales (SPEC 14: nightly at 02:00 local)."),
))
