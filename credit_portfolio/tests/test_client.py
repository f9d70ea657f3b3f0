"""The FTP client against the FTP sandbox over loopback: listing, fetching, and its clear errors."""

import hashlib
import socket
from datetime import UTC, datetime

import pytest

from credit_portfolio.choices import FileKind
from credit_portfolio.client import FtpClient, FtpSettings
from credit_portfolio.sandbox.server import DROPPED_AT, FtpSandbox, publish
from credit_portfolio.sandbox.world import World
from integrations.core.errors import UpstreamError


@pytest.fixture
def ftp_sandbox():
    sandbox = FtpSandbox().start()
    publish(World(seed=3, size=60), sandbox.root)
    yield sandbox
    sandbox.stop()


def _client(sandbox, **overrides) -> FtpClient:
    values = {"host": sandbox.host, "port": sandbox.port, "user": sandbox.user, "password": sandbox.password}
    return FtpClient(FtpSettings(**{**values, **overrides}))


def test_lists_the_exports_oldest_first_with_size_and_time(ftp_sandbox):
    (ftp_sandbox.root / "notes.txt").write_text("not an export")
    client = _client(ftp_sandbox)
    files = client.list_exports()
    client.close()
    assert len(files) == 9 and all(f.name.endswith((".xlsx", ".xls", ".xlsb")) for f in files)
    # The second organization's details were dropped before its repayments: the listing keeps that order.
    assert files[0].name == "АО Бета Строй - Spisanie(rasshifrovka) XLS.xls"
    assert files[0].modified_at == datetime.fromtimestamp(DROPPED_AT - 60 + 1, UTC)
    assert files[0].size == (ftp_sandbox.root / files[0].name).stat().st_size


def test_fetches_a_file_with_its_hash(ftp_sandbox):
    [path] = publish(World(seed=3, size=60), ftp_sandbox.root, only=(0, FileKind.RECEIPTS))
    client = _client(ftp_sandbox)
    content, digest = client.fetch(path.name)
    client.close()
    assert content == path.read_bytes() and digest == hashlib.sha256(content).hexdigest()


def test_a_refused_login_is_a_permanent_upstream_error(ftp_sandbox):
    with pytest.raises(UpstreamError, match="refused the login of 'accounting'") as caught:
        _client(ftp_sandbox, password="wrong").list_exports()
    assert caught.value.permanent


def test_a_server_that_is_down_is_an_upstream_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UpstreamError, match="is unreachable"):
        FtpClient(FtpSettings(host="127.0.0.1", port=port, user="u", password="p")).list_exports()
