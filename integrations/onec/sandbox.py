"""The 1C exchange sandbox (SPEC 14): ``GET /v1/objects`` with an API key, the departments as a JSON array.

Organizations have ``object_parent`` "0"; departments name their organization's code. Departments are
listed before their organizations (a client must not assume parents come first), and ``orphans``
extra departments name a parent that does not exist.
"""

from integrations.sandbox.pos_world import PosWorld
from integrations.sandbox.server import SandboxError

BASE_PATH = "/v1"
API_KEY_HEADER = "X-API-Key"
MISSING_PARENT = "ORG-GONE"


class OneCSandbox:
    """Answers the exchange service's objects list over a POS world."""

    def __init__(self, world: PosWorld, *, api_key: str, orphans: int = 0):
        self.world, self.api_key, self.orphans = world, api_key, orphans
        self.requests = 0

    def handle(self, method, path, query, headers, body):
        if path == "/":
            return 200, {"status": "ready", "provider": "onec"}
        if path != f"{BASE_PATH}/objects" or method != "GET":
            raise SandboxError(404, f"no such endpoint: {method} {path}")
        if headers.get(API_KEY_HEADER) != self.api_key:
            raise SandboxError(401, f"missing or wrong {API_KEY_HEADER}")
        self.requests += 1
        return 200, self.objects()

    def objects(self) -> list[dict]:
        departments = [_object(d.code, d.name, d.parent, self._company(d.parent)) for d in self.world.departments]
        orphans = [_object(f"X{i:03d}", f"Orphan {i}", MISSING_PARENT, "") for i in range(1, self.orphans + 1)]
        organizations = [_object(o.code, o.name, "0", o.company, o.bin) for o in self.world.organizations]
        return departments + orphans + organizations

    def _company(self, code: str) -> str:
        return next((o.company for o in self.world.organizations if o.code == code), "")


def _object(code: str, name: str, parent: str, company: str, bin_: str = "") -> dict:
    return {"object_code": code, "object_name": name, "object_parent": parent, "object_company": company,
            "object_bin": bin_}
