"""The Vima sandbox: the payment world rendered as Vima's collector API (SPEC 5.1).

``GET {base}/operation`` with ``apikey`` or HTTP Basic auth, every documented filter, both cursors,
minor units in ``create_params``, major units in ``complete_amount`` (8 decimals). Records change
later and reappear after the update cursor with a new ``operation_update_id``. Cursors are
19-digit decimal ids sent as JSON strings, as Vima documents them: the world's sequence number
*n* (create: index + 1; update: see ``_by_update_id``) is ``ID_BASE + n * ID_STEP``, and a cursor
filter accepts any such id and means "after it".
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
# Cursor ids: 19 digits (snowflake-like: a time part and 12 bits of sequence), past any 64-bit float's
# exact range, which is why Vima sends them as strings.
ID_BASE, ID_STEP = 1_067_250_934_146_775_040, 4096
SERVICE, SERVICE_ID = "multihub-api", 31
INTEGRATION_TYPES = ("h2h", "hpp")


def cursor_id(sequence: int) -> str:
    """The documented cursor for the world's sequence number ``sequence`` (≥ 1)."""
    return str(ID_BASE + sequence * ID_STEP)


def cursor_sequence(cursor: int, *, round_up: bool = False) -> int:
    """The sequence number a cursor filter stands at: ids after ``cursor`` have a larger one (0 before all)."""
    if cursor <= ID_BASE:
        return 0
    offset = cursor - ID_BASE
    return -(-offset // ID_STEP) if round_up else offset // ID_STEP


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
            cursor = cursor_sequence(_int(query, "from_operation_update_id", 0))
            candidates = self._by_update_id(cursor, first, last, now)
        else:
            cursor = cursor_sequence(_int(query, "from_operation_create_id", 0), round_up=descending)
            candidates = self._by_create_id(cursor, first, last, descending)
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
        # Each time is formatted once (microseconds, for the cards) and the ISO form cut from it.
        created_card = _card_time(payment.created_at)
        modified_card = _card_time(changed_at) if changed else created_card
        created_iso, modified_iso = _iso_from_card(created_card), _iso_from_card(modified_card)
        amount = _major(payment.amount_minor)
        final = status in ("success", "fail")
        payer = payment.payer_index
        text = (
            f'{{"operation_id":"{1_000_000_000 + index}","reference_id":"vref-{index}",'
            f'"service":"{SERVICE}","service_env":"prod","project":"{payment.project}","project_env":"prod",'
            f'"ip_addr":"10.{payer >> 16 & 255}.{payer >> 8 & 255}.{payer & 255}",'
            f'"create_params":{{"method":"payment.{"out" if payment.direction == "payout" else "in"}",'
            f'"service_id":{SERVICE_ID},"params":{{"payment":{_payment_params(payment)}}}}},'
            f'"current_status":"{status}",'
            + (f'"payment_status":"{status}",' if final and index % 3 else "")  # not in every record
            + f'"operation_state":"{"completed" if final else "processing"}",'
            f'"payment_product":"{SERVICE}","payment_method_type":"fiat",'
            f'"payment_method_code":"{payment.method}","credentials_owner":"vima",'
            f'"integration_type":"{INTEGRATION_TYPES[index & 1]}",'
            f'"operation_created_at":"{created_iso}","operation_modified_at":"{modified_iso}",'
            f'"card_start":[{_card(payment, amount, created_card, created_card)}],'
            f'"operation_create_id":"{ID_BASE + (index + 1) * ID_STEP}",'
            f'"operation_update_id":"{ID_BASE + update_id * ID_STEP}",'
            f'"payment_custom_data":{{"order_ref":"{payment.key or f"vref-{index}"}","channel":"web"}}'
        )
        if payment.key and not payment.key_in_c_id:
            text += f',"client_operation_id":"{payment.key}"'
        if payer % 5:
            text += f',"user_id":"u{payer}"'
        if payer % 10 == 0:
            text += f',"contact":"{_email(payment)}"'
        if status == "success":
            text += (f',"complete_amount":{amount},"complete_currency":"{payment.currency}",'
                     f'"complete_created_at":"{modified_iso}","complete_modified_at":"{modified_iso}",'
                     f'"card_finish":[{_card(payment, amount, created_card, modified_card, finish=True)}]')
        text += "}"
        if is_malformed(world, index, self.malformed):
            record = orjson.loads(text)
            _corrupt(record, world, index)
            text = orjson.dumps(record).decode()
        return text


def _payment_params(payment: Payment) -> str:
    payer, key, currency = payment.payer_index, payment.key, payment.currency
    # c_id is a JSON number in the documented sample (the merchant's own id); where the world keeps
    # the matching key only there (``key_in_c_id``), it is that key.
    if not key:
        identifiers = "{}"
    elif payment.key_in_c_id:
        identifiers = f'{{"c_id":"{key}"}}'
    else:
        identifiers = f'{{"c_id":{700_000_000 + payment.index}}}'
    account = f'"customer_account":{{"id":"acc-{payer}"}}'
    if payer % 10:  # one payer in ten is known only by its contact and customer account
        account = (f'"email":"{_email(payment)}","phone":"+91{9_000_000_000 + payer}",'
                   f'"person":{{"first_name":"{FIRST_NAMES[payer % len(FIRST_NAMES)]}",'
                   f'"last_name":"{LAST_NAMES[payer // 10 % len(LAST_NAMES)]}"}},{account}')
    return (f'{{"payer":{{{account}}},"amount":{{"value":{payment.amount_minor},"currency":"{currency}"}},'
            f'"client":{{"country":"{COUNTRIES[currency]}","language":"en"}},"identifiers":{identifiers}}}')


def _card(payment: Payment, amount: str, created: str, modified: str, *, finish: bool = False) -> str:
    """One ``card_start`` / ``card_finish`` entry; its times come written ``YYYY-MM-DD HH:MM:SS.ffffff`` (UTC)."""
    index = payment.index
    text = (f'{{"action_id":"{2_000_000_000 + index * 2 + finish}","payment_id":"vpay-{index}",'
            f'"currency":"{payment.currency}","amount":{amount},'
            f'"created_at":"{created}","modified_at":"{modified}"')
    if finish:
        text += (f',"charged_currency":"{payment.currency}","charged_amount":{amount},'
                 f'"charged_fee":{_major(payment.fee_minor)},"result":"success"')
    return text + "}"


def _major(minor: int) -> str:
    """Minor units as the JSON number Vima writes: major units with 8 decimals."""
    return f"{minor // 100}.{minor % 100:02d}000000"


def _card_time(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds")[:-6]


def _iso_from_card(card_time: str) -> str:
    """The documented operation time (ISO 8601, milliseconds, Z) cut from a card time of the same moment."""
    return f"{card_time[:10]}T{card_time[11:23]}Z"


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
