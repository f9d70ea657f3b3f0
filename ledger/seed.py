"""The seeded chart, journals and rules for the hub's flows (SPEC 11), and the system user.

``chart_seed`` is idempotent and takes the models as arguments, so that the data migration passes its
historical models and ``manage.py ledger seed`` (run after a new source is declared) the current ones. It
only adds what is missing: an account, journal or rule that finance staff edited in the admin stays as is.
"""

from decimal import Decimal

# (code, name, type, purpose, parent code, allows direct posting, is control)
_FIXED_ACCOUNTS = [
    ("1000", "Assets", "asset", "", None, False, False),
    ("1100", "Bank", "asset", "bank", "1000", True, False),
    ("1200", "Provider clearing", "asset", "", "1000", False, True),
    ("1900", "Suspense", "asset", "suspense", "1000", True, False),
    ("2000", "Liabilities", "liability", "", None, False, False),
    ("2100", "Customer funds (pay-ins owed on)", "liability", "customer_funds", "2000", True, False),
    ("2200", "Pay-outs", "liability", "payouts", "2000", True, False),
    ("2300", "Refunds", "liability", "refunds", "2000", True, False),
    ("5000", "Expenses", "expense", "", None, False, False),
    ("5100", "Fees expense", "expense", "fees", "5000", True, False),
    ("5200", "FX difference", "expense", "fx", "5000", True, False),
]
# event → (debit purpose, credit purpose); "clearing" is the provider's clearing account.
EVENT_ACCOUNTS = {
    "payin_settled": ("clearing", "customer_funds"),
    "payin_fee": ("fees", "clearing"),
    "payout_sent": ("payouts", "clearing"),
    "payout_fee": ("fees", "clearing"),
    "refund": ("refunds", "clearing"),
    "chargeback": ("refunds", "clearing"),
}
SEEDED_SOURCES = ("vima", "payshack")
CLEARING_TOLERANCE = Decimal("0.01")


def seeded_sources() -> list[str]:
    """The providers whose rows are transactions (their declarations), and Vima and PayShack in any case."""
    from common.sources import source_names

    return sorted(set(SEEDED_SOURCES) | set(source_names(sink="transactions")))


def chart_seed(*, account_model, journal_model, rule_model, sources=None) -> None:
    """Add the chart, the journals and the rules that are missing, for every provider in ``sources``."""
    by_code = {}
    for code, name, type_, purpose, parent, direct, control in _FIXED_ACCOUNTS:
        by_code[code] = _account(account_model, code, name=name, type=type_, purpose=purpose, source="",
                                 parent=by_code.get(parent), allows_direct_posting=direct, is_control=control)
    for code, name, kind in (("GEN", "General journal", "general"), ("BANK", "Bank journal", "bank")):
        journal_model.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    for number, source in enumerate(sources if sources is not None else seeded_sources(), start=1):
        _seed_source(account_model, journal_model, rule_model, source, by_code["1200"], number)


def _seed_source(account_model, journal_model, rule_model, source, clearing_parent, number) -> None:
    clearing = account_model.objects.filter(purpose="clearing", source=source).first()
    if clearing is None:
        code = _free_code(account_model, 1200 + number)
        clearing = _account(account_model, code, name=f"Clearing — {source}", type="asset", purpose="clearing",
                            source=source, parent=clearing_parent, allows_direct_posting=True, is_control=False,
                            tolerance_amount=CLEARING_TOLERANCE)
    if not journal_model.objects.filter(source=source).exists():
        journal_model.objects.create(code=source.upper()[:16], name=f"{source} journal", kind="provider",
                                     source=source)
    for event, (debit, credit) in EVENT_ACCOUNTS.items():
        if rule_model.objects.filter(event=event, source=source, project="", currency="", direction="").exists():
            continue
        accounts = {purpose: account_model.objects.get(purpose=purpose, source="") for purpose in (debit, credit)
                    if purpose != "clearing"}
        accounts["clearing"] = clearing
        rule_model.objects.create(name=f"{source}: {event}", event=event, source=source,
                                  debit_account=accounts[debit], credit_account=accounts[credit])


def _free_code(account_model, start: int) -> str:
    code = start
    while account_model.objects.filter(code=str(code)).exists():
        code += 1
    return str(code)


def _account(account_model, code, **fields):
    account, _ = account_model.objects.get_or_create(code=code, defaults=fields)
    return account


def system_user_seed(*, user_model, username: str):
    """The inactive user that creates and posts vouchers made from transactions (it never logs in)."""
    user, created = user_model.objects.get_or_create(username=username, defaults={"is_active": False})
    if created:
        user.password = "!"  # an unusable password, as set_unusable_password() writes it
        user.save(update_fields=["password"])
    return user
