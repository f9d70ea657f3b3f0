"""`manage.py sandbox serve vima …` runs a provider sandbox; `manage.py sandbox truth …` prints its ground truth."""

import json
import signal
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from credit_portfolio.sandbox.command import add_ftp_arguments, ftp_serve, ftp_truth
from integrations.sandbox.faults import Faults
from integrations.sandbox.server import SandboxServer
from integrations.sandbox.truth import world_truth
from integrations.sandbox.world import World

SANDBOXES = ("vima", "payshack", "onec", "iiko", "ftp")


class Command(BaseCommand):
    help = "Run a provider sandbox over a deterministic payment world, or print that world's ground truth."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="serve a provider's API on loopback")
        serve.add_argument("provider", choices=SANDBOXES)
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=8701)
        serve.add_argument("--api-key", default="sandbox-key")
        serve.add_argument("--latency-ms", type=int, default=0)
        serve.add_argument("--fault-5xx", type=float, default=0.0, help="share of requests answered 503")
        serve.add_argument("--fault-429", type=float, default=0.0, help="share of requests answered 429")
        serve.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds of a 429")
        serve.add_argument("--fault-drop", type=float, default=0.0, help="share of connections dropped")
        serve.add_argument("--malformed", type=float, default=0.0, help="share of records sent malformed (vima)")
        serve.add_argument("--email", default="finance@91game.example", help="payshack login")
        serve.add_argument("--password", default="sandbox-password", help="payshack login")
        serve.add_argument("--token-ttl", type=float, default=1800,
                           help="payshack token and portal session seconds; iiko token seconds")
        serve.add_argument("--departments", type=int, default=50, help="onec and iiko: departments in the world")
        serve.add_argument("--orphans", type=int, default=0, help="onec: departments whose parent does not exist")
        serve.add_argument("--portal-layout", default="standard",
                           choices=("standard", "renamed-column", "moved-table"),
                           help="payshack portal layout; the others break the browser client on purpose")
        truth = sub.add_parser("truth", help="print the ground truth as JSON")
        truth.add_argument("provider", nargs="?", choices=("payments", "ftp"), default="payments",
                           help="ftp: the credit portfolio's world; default: the payment world")
        truth.add_argument("--malformed", type=float, default=0.0)
        for command in (serve, truth):
            command.add_argument("--seed", type=int, default=42)
            command.add_argument("--size", type=int, default=100_000)
            command.add_argument("--days", type=int, default=7)
            command.add_argument("--start", type=date.fromisoformat, default=None,
                                 help="first day (UTC); default: the --days days up to today")
        add_ftp_arguments(serve, truth)

    def handle(self, *args, action, **options):
        if options["provider"] == "ftp":
            return self._ftp(action, options)
        if options["provider"] in ("onec", "iiko"):  # the POS world: the payment world is never built
            return self._pos(action, options)
        world = _world(options)
        if action == "truth":
            now = max(datetime.now(UTC), world.end + timedelta(days=1)) if options["start"] else datetime.now(UTC)
            document = world_truth(world, now=now, malformed_rate=options["malformed"])
            self.stdout.write(json.dumps(document, indent=2))
            return
        self._world_serve(world, options)

    def _ftp(self, action, options) -> None:
        if action == "truth":
            self.stdout.write(ftp_truth(options))
        else:
            ftp_serve(self.stdout, options)

    def _pos(self, action, options) -> None:
        """Serve 1C or iiko (``sandbox truth`` offers neither: their truth is the POS world's, in code)."""
        app, where = _pos_app(options)
        world = app.world
        self._serve(app, where, options, f"{len(world.departments)} departments over {world.days} days "
                                         f"from {world.start:%Y-%m-%d}")

    def _world_serve(self, world: World, options) -> None:
        app, where = _app(world, options)
        self._serve(app, where, options, f"{world.size:,} payments from {world.start:%Y-%m-%d} over "
                                         f"{world.days} days")

    def _serve(self, app, where, options, described: str) -> None:
        faults = Faults(latency_ms=options["latency_ms"], error_5xx=options["fault_5xx"],
                        rate_limit_429=options["fault_429"], retry_after_s=options["retry_after"],
                        drop_connection=options["fault_drop"])
        try:
            server = SandboxServer(app, host=options["host"], port=options["port"], faults=faults)
        except OSError as exc:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        # serve_forever runs in this thread, so shutdown() from a handler here would wait forever;
        # turning SIGTERM into KeyboardInterrupt ends the loop like Ctrl-C.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        self.stdout.write(f"{options['provider']} sandbox: {described}, serving {where(server.url)}", ending="\n")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def _app(world: World, options):
    """The provider's sandbox app over ``world``, and how to describe where it serves."""
    if options["provider"] == "payshack":
        from integrations.payshack.sandbox.app import PayShackSandbox

        app = PayShackSandbox(world, email=options["email"], password=options["password"],
                              token_ttl_s=options["token_ttl"], layout=options["portal_layout"])
        return app, lambda url: f"API {url}, portal {url}/portal/login"
    from integrations.vima.sandbox import BASE_PATH, VimaSandbox

    app = VimaSandbox(world, api_key=options["api_key"], malformed=options["malformed"])
    return app, lambda url: f"{url}{BASE_PATH}/operation"


def _pos_app(options):
    """The 1C or iiko sandbox over a points-of-sale world of ``--days`` days up to today."""
    from integrations.sandbox.pos_world import PosWorld

    start = options["start"] or (datetime.now(UTC).date() - timedelta(days=options["days"] - 1))
    try:
        world = PosWorld(seed=options["seed"], start=start, days=options["days"], departments=options["departments"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if options["provider"] == "onec":
        from integrations.onec.sandbox import BASE_PATH, OneCSandbox

        return OneCSandbox(world, api_key=options["api_key"], orphans=options["orphans"]), \
            lambda url: f"{url}{BASE_PATH}/objects"
    from integrations.iiko.sandbox import IikoSandbox

    app = IikoSandbox(world, login=options["email"], password=options["password"], token_ttl_s=options["token_ttl"])
    return app, lambda url: f"{url}/resto/api"


def _world(options) -> World:
    start = options["start"] or (datetime.now(UTC).date() - timedelta(days=options["days"] - 1))
    try:
        return World(seed=options["seed"], size=options["size"], start=start, days=options["days"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
