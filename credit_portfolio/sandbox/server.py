"""The FTP sandbox: the world's exports in a folder, served by pyftpdlib with a login (FTPS with a certificate).

Files get modification times in the order the accounting system would drop them, except that the
second organization's details are older than its repayments (details before their expenses).
"""

import os
import tempfile
import threading
from pathlib import Path

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

from credit_portfolio.choices import FileKind
from credit_portfolio.sandbox.files import file_name, format_of, sheet_rows, write_file
from credit_portfolio.sandbox.world import ORGANIZATIONS, World

# The exports' drop time (2025-06-02 06:00 UTC) and each kind's offset from it, in seconds.
DROPPED_AT = 1_748_844_000
KIND_OFFSETS = {FileKind.RECEIPTS: 0, FileKind.EXPENSES: 60, FileKind.DETAILS: 120}
DETAILS_FIRST_ORGANIZATION = 1


def publish(world: World, root: Path, *, fmt: str = "mixed", only: tuple[int, str] | None = None,
            dropped_at: int = DROPPED_AT) -> list[Path]:
    """Write the world's exports (or only ``(organization, kind)``) into ``root``; returns the paths written."""
    written = []
    for org in range(len(ORGANIZATIONS)):
        for kind in FileKind.values:
            if only and only != (org, kind):
                continue
            path = root / file_name(org, kind, format_of(org, fmt))
            write_file(path, sheet_rows(world, org, kind), format_of(org, fmt))
            offset = -60 if (org == DETAILS_FIRST_ORGANIZATION and kind == FileKind.DETAILS) else KIND_OFFSETS[kind]
            stamp = dropped_at + offset + org
            os.utime(path, (stamp, stamp))
            written.append(path)
    return written


class FtpSandbox:
    """An FTP server over a folder, on loopback; ``start()`` serves in a thread, ``stop()`` ends it."""

    def __init__(self, root: Path | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 user: str = "accounting", password: str = "sandbox-password", certfile: str = ""):
        self._tmp = None if root else tempfile.TemporaryDirectory(prefix="ftp-sandbox-")
        self.root = Path(root or self._tmp.name)
        authorizer = DummyAuthorizer()
        authorizer.add_user(user, password, str(self.root), perm="elr")  # list and read only
        handler = type("SandboxHandler", (_tls_handler() if certfile else FTPHandler,), {})
        handler.authorizer = authorizer
        handler.banner = "credit portfolio FTP sandbox"
        handler.use_encoding = "utf8"
        if certfile:
            handler.certfile = certfile
            # FTPS only: a client that does not secure the login and the files is refused.
            handler.tls_control_required = handler.tls_data_required = True
        handler.log_prefix = "ftp-sandbox %(username)s"
        self.server = FTPServer((host, port), handler)
        self.host, self.port = self.server.address[:2]
        self.user, self.password = user, password
        self._thread = None

    def start(self) -> "FtpSandbox":
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"handle_exit": False},
                                        daemon=True, name="ftp-sandbox")
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.close_all()
        if self._thread:
            self._thread.join(timeout=5)
        if self._tmp:
            self._tmp.cleanup()

    @property
    def url(self) -> str:
        return f"ftp://{self.user}@{self.host}:{self.port}/"


def _tls_handler():
    """pyftpdlib's FTPS handler needs pyOpenSSL, which only an FTPS sandbox does; say so instead of an ImportError."""
    try:
        from pyftpdlib.handlers.ftps.control import TLS_FTPHandler
    except ImportError as exc:
        raise RuntimeError("an FTPS sandbox (a certificate given) needs pyOpenSSL installed") from exc
    return TLS_FTPHandler
