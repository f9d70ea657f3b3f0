"""Posting rules: which one applies to an event, and refusing a rule that would tie with another.

The most specific active rule wins (more of ``source``, ``project``, ``currency``, ``direction`` filled and
matching), then the lower ``priority``. Two rules equal on both are a tie: never a silent pick.
"""

from dataclasses import dataclass

from django.db import transaction

from ledger.errors import LedgerError
from ledger.models import PostingRule


@dataclass(frozen=True)
class Choice:
    """The rule chosen for an event, or None with the tied rules (empty when none matched)."""

    rule: PostingRule | None
    tied: tuple[PostingRule, ...] = ()


def rule_choose(rules: list[PostingRule], *, event: str, source: str, project: str, currency: str,
                direction: str) -> Choice:
    """The winning rule among ``rules`` (the active ones, loaded once per run) for one event."""
    values = {"source": source, "project": project, "currency": currency, "direction": direction}
    matching = [rule for rule in rules if rule.event == event and rule.is_active
                and all(not getattr(rule, f) or getattr(rule, f) == values[f] for f in PostingRule.MATCH_FIELDS)]
    if not matching:
        return Choice(None)
    best = max(rule.specificity for rule in matching)
    top = [rule for rule in matching if rule.specificity == best]
    lowest = min(rule.priority for rule in top)
    winners = tuple(rule for rule in top if rule.priority == lowest)
    return Choice(winners[0]) if len(winners) == 1 else Choice(None, tied=winners)


def _can_tie(a: PostingRule, b: PostingRule) -> bool:
    """Whether some event matches both equally: same event, specificity and priority, no field set apart."""
    if a.event != b.event or a.specificity != b.specificity or a.priority != b.priority:
        return False
    return all(not getattr(a, f) or not getattr(b, f) or getattr(a, f) == getattr(b, f)
               for f in PostingRule.MATCH_FIELDS)


def rule_conflicts(rules: list[PostingRule] | None = None) -> list[tuple[PostingRule, PostingRule]]:
    """Pairs of active rules that tie for some event (shown in the admin; the posting run sends such events
    to suspense and raises an incident)."""
    rules = rules if rules is not None else list(PostingRule.objects.filter(is_active=True))
    active = [rule for rule in rules if rule.is_active]
    return [(a, b) for i, a in enumerate(active) for b in active[i + 1:] if _can_tie(a, b)]


def rule_ties(rule: PostingRule) -> list[PostingRule]:
    """The active rules ``rule`` (saved or not) would tie with, if it is active."""
    if not rule.is_active:
        return []
    others = PostingRule.objects.filter(event=rule.event, is_active=True)
    if rule.pk:
        others = others.exclude(pk=rule.pk)
    return [other for other in others if _can_tie(rule, other)]


def rule_save(*, rule: PostingRule) -> PostingRule:
    """Save a rule unless, active, it would tie with another active rule (``RULE_TIE``, nothing saved)."""
    with transaction.atomic():
        # Two saves of rules of one event wait for each other, so neither misses the other's tie.
        list(PostingRule.objects.select_for_update().filter(event=rule.event, is_active=True).values_list("pk"))
        tied = rule_ties(rule)
        if tied:
            names = ", ".join(f"{other.name!r} (id {other.pk})" for other in tied)
            raise LedgerError("RULE_TIE", f"this rule would tie with {names}: same event, as specific, same "
                              "priority; give one a different priority or more fields",
                              tied=[other.pk for other in tied])
        rule.save()
    return rule
