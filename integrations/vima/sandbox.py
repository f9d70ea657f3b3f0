"""The Vima sandbox: the payment world rendered as Vima's collector API (SPEC 5.1).

``GET {base}/operation`` with ``apikey`` or HTTP Basic auth, every documented filter, both cursors,
minor units in ``create_params``, major units in ``complete_amount``. Records change later and
reappear after the update cursor with a new ``operation_update_id``.
"""

import base64
from datetime import date, datetime, timedelta

import orjson

from integrations.sandbox.clock import Clock
from integrations.sandbox.rand import mix
from integrations.sandbox.server import SandboxError, SandboxResponse
from integrations.sandbox.world import COUNTRIES, FIRST_NAMES, LAST_NAMES, Payment, World

BASE_PATH = "/collector1/api/v1"
MAX_COUNT = 100
STATUSES = ("success", "fail", "in_process", "user_input_required")
_S_MALFORMED, _S_MALFORMED_KIND = 15, 16
MALFORMED_KINDS = ("no_operation_id", "bad_amount", "bad_created_at")


def is_malformed(world: World, index: int, rate: float) -> bool:
    """Whether the sandbox corrupts payment ``index`` (decided by the world's seed, so truth can know)."""
    return rate > 0 and mix(world.seed, index, _S_MALFORMED) % 1_000_000 < rate * 1_000_000


class VimaSandbox:
    """Answers Vima's API over a world; ``handle`` is called by the sandbox HTTP server."""

    def __init__(self, world: World, *, api_key: str, clock: Clock | None = None, malformed: float = 0.0):
        self.world, self.api_key, self.clock, self.malformed = world, api_key, clock or Clock(), malformed

    def handle(self, method, path, query, headers, body):
        if path == "/":
            return 200, {"status": "ready", "provider": "vima"}
        if path != f"{BASE_PATH}/operation" or method != "GET":
            raise SandboxError(404, f"no such endpoint: {method} {path}")
        self._authenticate(query, headers)
        return SandboxResponse(200, self.page_json(query), content_type="application/json")

    def _authenticate(self, query, headers):
        if query.get("apikey") == self.api_key:
            return
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            if self.api_key in (user, password):
                return
        raise SandboxError(401, "invalid api key")

    def operations(self, query: dict) -> list[dict]:
        """One page of operations for the query, as Vima renders them (parsed: for callers that inspect it)."""
        return orjson.loads(self.page_json(query))

    def page_json(self, query: dict) -> bytes:
        """One page of operations for the query, as the JSON array Vima sends."""
        count = _int(query, "count", 100)
        if not 1 <= count <= MAX_COUNT:
            raise SandboxError(400, f"count must be between 1 and {MAX_COUNT}")
        if query.get("status") and query["status"] not in STATUSES:
            raise SandboxError(400, f"unknown status {query['status']}")
        now = self.clock.now()
        descending = query.get("descending", "false") == "true"
        first, last = self._created_range(query, now)
        if "from_operation_update_id" in query:
            candidates = self._by_update_id(_int(query, "from_operation_update_id", 0), first, last, now)
        else:
            candidates = self._by_create_id(_int(query, "from_operation_create_id", 0), first, last, descending)
        page, filtered = [], bool(query.get("project") or query.get("status"))
        for payment, update_id in candidates:
            # A sync's requests carry no filter: skip the call that checks them.
            if self._matches(payment, query, now) if filtered else payment.on_vima:
                page.append(self.render_json(payment, now, update_id))
                if len(page) == count:
                    break
        return f"[{','.join(page)}]".encode()

    def _created_range(self, query, now) -> tuple[int, int]:
        """Index range [first, last) allowed by ``date`` / ``from`` / ``to`` and by what exists by now."""
        world = self.world
        first, last = 0, world.created_before(now)
        day_from = _date(query, "date") or _date(query, "from")
        day_to = _date(query, "date") or _date(query, "to")
        if day_from:
            first = max(first, world.created_before(_midnight(day_from) - timedelta(microseconds=1)))
        if day_to:
            last = min(last, world.created_before(_midnight(day_to) + timedelta(days=1) - timedelta(microseconds=1)))
        return first, last

    def _by_create_id(self, cursor, first, last, descending):
        world = self.world
        if descending:
            top = min(last, cursor - 1) if cursor else last
            indexes = range(top - 1, first - 1, -1)
        else:
            indexes = range(max(first, cursor), last)  # create id = index + 1 > cursor
        for index in indexes:
            yield world.payment(index), None

    def _by_update_id(self, cursor, first, last, now):
        """Records whose current update id is past ``cursor``: unchanged ones, then changes in order."""
        world = self.world
        changed_count = world.changes_before(now)
        for index in range(max(first, cursor), last):
            payment = world.payment(index)
            if payment.changed_at is None or payment.changed_at > now:
                yield payment, index + 1
        _, change_indexes = world.changes()
        for position in range(max(0, cursor - world.size), changed_count):
            index = change_indexes[position]
            if first <= index < last:
                yield world.payment(index), world.size + position + 1

    def _matches(self, payment: Payment, query, now) -> bool:
        if not payment.on_vima:
            return False
        if query.get("project") and payment.project != query["project"]:
            return False
        return not query.get("status") or payment.status_at(now) == query["status"]

    def render(self, payment: Payment, now: datetime, update_id: int | None = None) -> dict:
        """Payment as a Vima operation JSON object."""
        return orjson.loads(self.render_json(payment, now, update_id))

    def render_json(self, payment: Payment, now: datetime, update_id: int | None = None) -> str:
        """Payment as the text of a Vima operation JSON object.

        Written as text, not built as a dict and encoded: this runs for every record served, and
        the dict cost twice the text. Every value is a number or a string of the world's own
        making (digits, letters, ``@.-+:``), so nothing needs escaping.
        """
        world = self.world
        index, changed_at = payment.index, payment.changed_at
        changed = changed_at is not None and changed_at <= now
        if update_id is None:
            update_id = world.size + world.change_position(index) + 1 if changed else index + 1
        status = payment.final_status if changed_at is None or changed else "in_process"  # Payment.status_at
        created_iso = _iso(payment.created_at)
        modified_iso = _iso(changed_at) if changed else created_iso
        text = (
            f'{{"operation_id":"{1_000_000_000 + index}","reference_id":"vref-{index}",'
            f'"project":"{payment.project}","create_params":{{"params":{{"payment":{_payment_params(payment)}}}}},'
            f'"current_status":"{status}","payment_method_code":"{payment.method}",'
            f'"payment_product":"{payment.direction}","credentials_owner":"vima",'
            f'"operation_created_at":"{created_iso}","operation_modified_at":"{modified_iso}",'
            f'"operation_create_id":{index + 1},"operation_update_id":{update_id}'
        )
        payer = payment.payer_index
        if payment.key and not payment.key_in_c_id:
            text += f',"client_operation_id":"{payment.key}"'
        if payer % 5:
            text += f',"user_id":"u{payer}"'
        if payer % 10 == 0:
            text += f',"contact":"{_email(payment)}"'
        if status == "success":
            # Major units as a JSON number with the float's shortest digits, as Vima writes them.
            amount, fee = payment.amount_minor / 100, payment.fee_minor / 100
            text += (f',"complete_amount":{amount!r},"complete_currency":"{payment.currency}",'
                     f'"complete_created_at":"{modified_iso}","card_finish":[{{"charged_fee":{fee!r}}}]')
        text += "}"
        if is_malformed(world, index, self.malformed):
            record = orjson.loads(text)
            _corrupt(record, world, index)
            text = orjson.dumps(record).decode()
        return text


def _payment_params(payment: Payment) -> str:
    payer, key, currency = payment.payer_index, payment.key, payment.currency
    identifiers = f'{{"c_id":"{key}"}}' if key else "{}"
    text = (f'{{"amount":{{"value":{payment.amount_minor},"currency":"{currency}"}},'
            f'"client":{{"country":"{COUNTRIES[currency]}"}},"identifiers":{identifiers},'
            f'"customer":{{"account_id":"acc-{payer}"}}')
    if payer % 10:  # one payer in ten is known only by its contact
        text += (f',"payer":{{"email":"{_email(payment)}","phone":"+91{9_000_000_000 + payer}",'
                 f'"person":{{"first_name":"{FIRST_NAMES[payer % len(FIRST_NAMES)]}",'
                 f'"last_name":"{LAST_NAMES[payer // 10 % len(LAST_NAMES)]}"}}}}')
    return text + "}"


def _corrupt(record: dict, world: World, index: int) -> None:
    kind = MALFORMED_KINDS[mix(world.seed, index, _S_MALFORMED_KIND) % len(MALFORMED_KINDS)]
    if kind == "no_operation_id":
        del record["operation_id"]
    elif kind == "bad_amount":
        record["create_params"]["params"]["payment"]["amount"]["value"] = "12,34x"
        record.pop("complete_amount", None)
    else:
        record["operation_created_at"] = "yesterday at noon"


def _email(payment: Payment) -> str:
    return f"payer{payment.payer_index}@mail.example"


def _iso(moment: datetime) -> str:
    """UTC with microseconds and a Z (isoformat is several times faster than strftime)."""
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


def _midnight(day: date) -> datetime:
    from datetime import UTC

    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _int(query, name, default):
    try:
        return int(query.get(name, default))
    except ValueError:
        raise SandboxError(400, f"{name} must be an integer") from None


def _date(query, name):
    if not query.get(name):
        return None
    try:
        return date.fromisoformat(query[name])
    except ValueError:
        raise SandboxError(400, f"{name} must be YYYY-MM-DD") from None
