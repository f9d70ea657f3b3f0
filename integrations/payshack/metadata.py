"""PayShack's metadata (SPEC 5.2): client wallets with balances, resellers, service providers.

``accounts_from`` is pure: the provider's lists → AccountRecords; ``read_accounts`` fetches them.
"""

from integrations.core.accounts import AccountRecord
from integrations.core.fields import required_text, text
from integrations.payshack.client import PayShackClient
from integrations.payshack.normalizer import parse_rupees


def read_accounts(client: PayShackClient) -> list[AccountRecord]:
    try:
        return accounts_from(client.clients(), client.resellers(), client.service_providers())
    finally:
        client.close()


def accounts_from(clients: list[dict], resellers: list[dict], service_providers: list[dict]) -> list[AccountRecord]:
    records = [
        AccountRecord(kind="client", external_id=required_text(c, "clientId"), name=_client_name(c),
                      status=text(c.get("status")), parent_external_id=text(c.get("resellerId")),
                      balance=_balance(c), currency=text(c.get("currency")) or "INR", attributes=c)
        for c in clients
    ]
    records += [AccountRecord(kind="reseller", external_id=required_text(r, "resellerId"),
                              name=text(r.get("resellerName")), status=text(r.get("status")), attributes=r)
                for r in resellers]
    records += [AccountRecord(kind="service_provider", external_id=required_text(s, "spId"), name=text(s.get("spName")),
                              status=text(s.get("status")), attributes=s)
                for s in service_providers]
    return records


def _client_name(client: dict) -> str:
    """Documented as ``name`` or ``companyName`` (``clientName`` is how transactions name it)."""
    return text(client.get("name")) or text(client.get("companyName")) or text(client.get("clientName"))


def _balance(client: dict):
    """Documented as ``balance`` or ``walletBalance``; None when the client shows neither."""
    for field in ("balance", "walletBalance"):
        if client.get(field) is not None:
            return parse_rupees(client[field], field)
    return None
