"""A small threaded HTTP server for sandboxes: keep-alive, JSON answers, fault injection, a free port."""

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import orjson

from integrations.sandbox.faults import Faults


class SandboxError(Exception):
    """An HTTP error a sandbox answers on purpose (bad parameter, wrong credentials)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class SandboxResponse:
    """A non-JSON answer (a portal page, a redirect with a cookie)."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)


class SandboxHandler(BaseHTTPRequestHandler):
    """Routes requests to ``server.app.handle(method, path, query, headers, body)``.

    The app answers ``(status, payload)`` (sent as JSON) or a SandboxResponse.
    """

    protocol_version = "HTTP/1.1"  # keep-alive, as real providers
    # Headers and body go out in two writes; with Nagle on, the body's last segment waits for the
    # client's delayed ACK (measured: 46 ms a page on a keep-alive connection instead of 6).
    disable_nagle_algorithm = True
    server: "SandboxServer"

    def do_GET(self):  # noqa: N802 — the http.server naming
        self._serve("GET", b"")

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._serve("POST", self.rfile.read(length) if length else b"")

    def _serve(self, method: str, body: bytes):
        faults = self.server.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        parts = urlsplit(self.path)
        if parts.path != "/":  # the readiness probe never fails
            fault = faults.roll()
            if fault == "drop":
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if fault == "5xx":
                return self._send(503, {"error": "sandbox: injected upstream failure"})
            if fault == "429":
                return self._send(429, {"error": "sandbox: rate limited"}, {"Retry-After": str(faults.retry_after_s)})
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        try:
            answer = self.server.app.handle(method, parts.path, query, self.headers, body)
        except SandboxError as exc:
            answer = exc.status, {"error": exc.message}
        if isinstance(answer, SandboxResponse):
            return self._send(answer.status, answer.body, answer.headers, content_type=answer.content_type)
        self._send(*answer)

    def _send(self, status: int, payload, headers: dict | None = None, content_type: str = "application/json"):
        data = payload if isinstance(payload, bytes) else orjson.dumps(payload)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client went away (a browser closing a tab)
            self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002 — quiet: a sandbox serves thousands of pages
        pass


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 0, faults: Faults | None = None):
        super().__init__((host, port), SandboxHandler)
        self.app, self.faults = app, faults or Faults()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_thread(self) -> "SandboxServer":
        threading.Thread(target=self.serve_forever, name=f"sandbox-{self.server_address[1]}", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
