"""``manage.py sandbox serve ftp …`` and ``sandbox truth ftp …``: the credit portfolio's FTP sandbox."""

import json
import signal
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from credit_portfolio.sandbox.files import FORMATS
from credit_portfolio.sandbox.server import FtpSandbox, publish
from credit_portfolio.sandbox.truth import world_truth
from credit_portfolio.sandbox.world import World


def add_ftp_arguments(serve, truth) -> None:
    serve.add_argument("--format", default="mixed", choices=("mixed", *FORMATS),
                       help="ftp: every export in this format (mixed: one format per organization)")
    serve.add_argument("--user", default="accounting", help="ftp login")
    serve.add_argument("--root", default="", help="ftp: folder to publish into (default: a temporary one)")
    serve.add_argument("--certfile", default="", help="ftp: PEM certificate and key; serves FTPS")
    for command in (serve, truth):
        command.add_argument("--revision", type=int, default=0, help="ftp: 1 = the corrected exports")


def ftp_world(options) -> World:
    try:
        return World(seed=options["seed"], size=options["size"], revision=options["revision"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


def ftp_truth(options) -> str:
    return json.dumps(world_truth(ftp_world(options)), indent=2, ensure_ascii=False)


def ftp_serve(stdout, options) -> None:
    world = ftp_world(options)
    root = Path(options["root"] or tempfile.mkdtemp(prefix="ftp-sandbox-"))
    root.mkdir(parents=True, exist_ok=True)
    publish(world, root, fmt=options["format"])
    try:
        sandbox = FtpSandbox(root, host=options["host"], port=options["port"], user=options["user"],
                             password=options["password"], certfile=options["certfile"])
    except OSError as exc:
        raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    stdout.write(f"ftp sandbox: {world.size:,} repayments in {root}, serving {sandbox.url}\n")
    stdout.flush()
    try:
        sandbox.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.server.close_all()
