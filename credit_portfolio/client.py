"""The FTP (or FTPS) client of the accounting folder: list the exports, fetch one. I/O only, no ORM."""

import ftplib
import hashlib
import io
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime

from credit_portfolio.columns import EXTENSIONS
from integrations.core.errors import UpstreamError

TIMEOUT_S = 30


@dataclass(frozen=True)
class FtpSettings:
    host: str
    port: int = 21
    user: str = ""
    password: str = ""
    folder: str = "/"
    tls: bool = False
    ca_file: str = ""  # FTPS: the PEM the server's certificate is verified against (else the system's CAs)


@dataclass(frozen=True)
class RemoteFile:
    """A file as the listing shows it: what decides whether it is new or changed before fetching it."""

    name: str
    size: int
    modified_at: datetime  # UTC


def _tls_context(settings: FtpSettings) -> ssl.SSLContext:
    """Certificate and host name verified (ftplib's own default verifies neither)."""
    return ssl.create_default_context(cafile=settings.ca_file or None)


class FtpClient:
    def __init__(self, settings: FtpSettings):
        self.settings = settings
        self._ftp = None

    def _connection(self) -> ftplib.FTP:
        if self._ftp is None:
            s = self.settings
            ftp = ftplib.FTP_TLS(context=_tls_context(s), timeout=TIMEOUT_S) if s.tls else ftplib.FTP(timeout=TIMEOUT_S)
            ftp.encoding = "utf-8"
            try:
                ftp.connect(s.host, s.port)
                ftp.login(s.user, s.password)
                if s.tls:
                    ftp.prot_p()
                ftp.cwd(s.folder)
            except ssl.SSLCertVerificationError as exc:
                ftp.close()
                raise UpstreamError(f"FTPS {s.host}:{s.port}: the server's certificate is not trusted "
                                    f"({exc.verify_message}); set CREDIT_PORTFOLIO_FTP_CA_FILE to its CA",
                                    permanent=True) from exc
            except ftplib.error_perm as exc:
                ftp.close()
                raise UpstreamError(f"FTP {s.host}:{s.port} refused the login of {s.user!r} or the folder "
                                    f"{s.folder!r}: {exc}", permanent=True) from exc
            except (OSError, EOFError, ftplib.Error) as exc:
                ftp.close()
                raise UpstreamError(f"FTP {s.host}:{s.port} is unreachable: {exc}") from exc
            self._ftp = ftp
        return self._ftp

    def list_exports(self) -> list[RemoteFile]:
        """The folder's workbooks (by extension), oldest first: the order the accounting system dropped them."""
        try:
            entries = list(self._connection().mlsd(facts=["type", "size", "modify"]))
        except (OSError, EOFError, ftplib.Error) as exc:
            raise UpstreamError(f"FTP listing failed: {exc}") from exc
        files = [RemoteFile(name, int(facts["size"]),
                            datetime.strptime(facts["modify"][:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC))
                 for name, facts in entries
                 if facts.get("type") == "file" and name.lower().endswith(EXTENSIONS)]
        return sorted(files, key=lambda f: (f.modified_at, f.name))

    def fetch(self, name: str) -> tuple[bytes, str]:
        """The file's bytes and their SHA-256."""
        buffer = io.BytesIO()
        try:
            self._connection().retrbinary(f"RETR {name}", buffer.write)
        except (OSError, EOFError, ftplib.Error) as exc:
            raise UpstreamError(f"FTP download of {name!r} failed: {exc}") from exc
        content = buffer.getvalue()
        return content, hashlib.sha256(content).hexdigest()

    def close(self) -> None:
        if self._ftp is not None:
            try:
                self._ftp.quit()
            except (OSError, EOFError, ftplib.Error):
                self._ftp.close()
            self._ftp = None
