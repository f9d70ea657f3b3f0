"""Posting from transactions: the difference between what the transactions say and what is posted.

For a range of business days, the transaction rollups of those days (kept exact by the write path) give the
target amount per key (day, source, project, currency, event, rule); the posted (or drafted) lines give what is
already there per key; only the difference is posted, as one new voucher per day and journal (``auto`` the first
time, ``adjusting`` after). So replaying a sync or posting a day twice posts nothing, and a refund after posting
posts exactly its amount. An event no single rule takes goes to the suspense account (both legs) and raises an
incident.

The run holds one lock (``ledger:posting``): two runs at once would both see the same difference.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from common.locks import job_lock
from ledger import selectors
from ledger.choices import AccountPurpose, RuleSide, VoucherKind, VoucherStatus
from ledger.errors import LedgerError
from ledger.models import Account, Journal, PostingRule, Voucher
from ledger.seed import chart_seed, seeded_sources
from ledger.selectors import PostingKey, Unmatched
from ledger.services.periods import period_check_posting, period_for
from ledger.services.vouchers import LineInput, system_user, voucher_create, voucher_post_by_system
from monitoring.choices import IncidentKind
from monitoring.services import incident_report

logger = logging.getLogger(__name__)

POSTING_LOCK = "ledger:posting"


class PostingBusy(LedgerError):
    """Another posting run holds the lock; the task tries again shortly."""

    def __init__(self):
        super().__init__("POSTING_BUSY", "another posting run is in progress")


@dataclass
class PostingOutcome:
    """What one run did: vouchers created (posted or left in draft), keys sent to suspense, days refused."""

    vouchers: list[int] = field(default_factory=list)
    posted: int = 0
    drafts: int = 0
    keys: int = 0
    unmatched: int = 0
    refused: list[dict] = field(default_factory=list)
    first_posted: date | None = None  # the earliest day whose balances moved

    def as_dict(self) -> dict:
        return {"vouchers": self.vouchers, "posted": self.posted, "drafts": self.drafts, "keys": self.keys,
                "unmatched": self.unmatched, "refused": self.refused}


def ledger_post(*, date_from: date, date_to: date, auto_post: bool | None = None) -> PostingOutcome:
    """Post what changed in the transactions of ``date_from``..``date_to`` (business days, inclusive)."""
    auto_post = settings.LEDGER_AUTO_POST if auto_post is None else auto_post
    outcome = PostingOutcome()
    with job_lock(POSTING_LOCK, busy=PostingBusy()):
        targets, unmatched = selectors.posting_targets(date_from=date_from, date_to=date_to)
        posted = selectors.posted_amounts(date_from=date_from, date_to=date_to)
        differences = {key: targets.get(key, Decimal(0)) - posted.get(key, Decimal(0))
                       for key in targets.keys() | posted.keys()}
        per_voucher = defaultdict(list)
        journals = _journals()
        for key, difference in differences.items():
            if difference:
                per_voucher[(key.day, journals.get(key.source) or journals[""])].append((key, difference))
        rules = PostingRule.objects.select_related("debit_account", "credit_account").in_bulk(
            {key.rule_id for key in differences if key.rule_id})
        for (day, journal), items in sorted(per_voucher.items(), key=lambda item: (item[0][0], item[0][1].code)):
            _post_one(day, journal, items, rules, auto_post, outcome)
    outcome.unmatched = len(unmatched)
    _report_unmatched([item for item in unmatched if differences.get(item.key)])
    return outcome


def _journals() -> dict[str, Journal]:
    """Provider journals by source; ``""`` is the general journal, for a source without one.

    A declared source without a journal (one added since the migration ran), or an empty chart (a flushed test
    database), is seeded first: its clearing account, journal and rules (``ledger.seed``)."""
    journals = {journal.source: journal for journal in Journal.objects.all()}
    if "" not in journals or set(seeded_sources()) - set(journals):
        chart_seed(account_model=Account, journal_model=Journal, rule_model=PostingRule)
        journals = {journal.source: journal for journal in Journal.objects.all()}
    journals[""] = Journal.objects.get(code="GEN")
    return journals


def _post_one(day: date, journal: Journal, items: list, rules: dict, auto_post: bool, outcome: PostingOutcome):
    """One voucher for one day and journal, in its own transaction: a refusal leaves the other days posted."""
    system = system_user()
    try:
        with transaction.atomic():
            period_check_posting(period=period_for(day), user=system, system=True)
            lines = [line for key, difference in sorted(items, key=_order) for line in _lines(key, difference, rules)]
            earlier = Voucher.objects.filter(source_day=day, journal=journal).exclude(status=VoucherStatus.CANCELLED)
            voucher = voucher_create(
                journal=journal, day=day, lines=lines, user=system, source_day=day,
                kind=VoucherKind.ADJUSTING if earlier.exists() else VoucherKind.AUTO,
                description=f"{journal.code} transactions of {day.isoformat()}")
            if auto_post:
                voucher_post_by_system(voucher=voucher)
    except LedgerError as error:
        outcome.refused.append({"day": day.isoformat(), "journal": journal.code, "rule": error.rule,
                                "message": error.message})
        incident_report(kind=IncidentKind.LEDGER_REFUSED, subject=f"ledger {journal.code} {day.isoformat()}",
                        detail=f"Posting {len(items)} amounts of {day.isoformat()} to {journal.code} was refused: "
                               f"{error.message}")
        return
    outcome.vouchers.append(voucher.pk)
    outcome.keys += len(items)
    if auto_post:
        outcome.posted += 1
        outcome.first_posted = min(day, outcome.first_posted or day)
    else:
        outcome.drafts += 1


def _order(item) -> tuple:
    key = item[0]
    return (*key[:5], key.rule_id or 0)


def _lines(key: PostingKey, difference: Decimal, rules: dict) -> list[LineInput]:
    """Two lines for a key's difference: the rule's debit account debited and its credit account credited
    (or the other way round for a negative difference); without a rule, both legs on suspense."""
    rule = rules.get(key.rule_id)
    if rule is not None:
        debit_account, credit_account = rule.debit_account, rule.credit_account
    else:
        debit_account = credit_account = Account.objects.get(purpose=AccountPurpose.SUSPENSE, source="")
    amount = abs(difference)
    common = {"currency": key.currency, "project": key.project, "rule_id": key.rule_id, "key_day": key.day,
              "key_source": key.source, "key_event": key.event}
    label = f"{key.event} {key.source} {key.project or '-'}" + ("" if rule else " (no rule: suspense)")
    first, second = (amount, Decimal(0)) if difference > 0 else (Decimal(0), amount)
    return [LineInput(account=debit_account, debit=first, credit=second, rule_side=RuleSide.DEBIT,
                      description=label, **common),
            LineInput(account=credit_account, debit=second, credit=first, rule_side=RuleSide.CREDIT,
                      description=label, **common)]


def _report_unmatched(unmatched: list[Unmatched]) -> None:
    """One incident per day for events sent to suspense, naming each key and the tied rules if any."""
    per_day = defaultdict(list)
    for item in unmatched:
        key = item.key
        why = f"rules {', '.join(map(str, item.tied))} tie" if item.tied else "no rule matches"
        per_day[key.day].append(f"{key.event} {key.source}/{key.project or '-'}/{key.currency}/{item.direction}: "
                                f"{why}")
    for day, problems in per_day.items():
        incident_report(kind=IncidentKind.LEDGER_UNMATCHED, subject=f"ledger suspense {day.isoformat()}",
                        detail=f"{len(problems)} amounts of {day.isoformat()} went to suspense: " + "; ".join(problems))
