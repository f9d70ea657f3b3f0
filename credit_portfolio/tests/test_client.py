"""The FTP client against the FTP sandbox over loopback: listing, fetching, and its clear errors."""

import hashlib
import ipaddress
import socket
from datetime import UTC, datetime, timedelta

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


def _self_signed_certificate(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 signed by its own key, made here with ``cryptography`` (pyOpenSSL's own
    dependency): the server's PEM (key and certificate) and the certificate alone, for the client to trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ftp-sandbox")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
                   .not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    (folder / "server.pem").write_bytes(key_pem + cert_pem)
    (folder / "ca.pem").write_bytes(cert_pem)
    return str(folder / "server.pem"), str(folder / "ca.pem")


@pytest.fixture
def ftps_sandbox(tmp_path):
    server_pem, ca_pem = _self_signed_certificate(tmp_path)
    sandbox = FtpSandbox(certfile=server_pem).start()
    publish(World(seed=3, size=60), sandbox.root)
    sandbox.ca_file = ca_pem
    yield sandbox
    sandbox.stop()


def test_ftps_lists_and_fetches_over_tls_verifying_the_servers_certificate(ftps_sandbox):
    client = _client(ftps_sandbox, tls=True, ca_file=ftps_sandbox.ca_file)
    files = client.list_exports()
    content, digest = client.fetch(files[0].name)
    secured = client._ftp.sock.version(), type(client._ftp.sock).__name__
    client.close()
    assert len(files) == 9 and content == (ftps_sandbox.root / files[0].name).read_bytes()
    assert digest == hashlib.sha256(content).hexdigest()
    assert secured[0].startswith("TLS") and secured[1] == "SSLSocket"


def test_ftps_refuses_a_certificate_it_cannot_verify(ftps_sandbox):
    with pytest.raises(UpstreamError, match="certificate is not trusted") as caught:
        _client(ftps_sandbox, tls=True).list_exports()  # the system's CAs do not know the sandbox's
    assert caught.value.permanent


def test_an_ftps_server_refuses_a_plain_ftp_login(ftps_sandbox):
    with pytest.raises(UpstreamError, match="refused the login"):
        _client(ftps_sandbox).list_exports()
