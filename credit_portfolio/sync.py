"""The accounting folder as a sync ``Source``: one stream per file, read only when new or changed.

A stream's position is the file's ``size:mtime:sha256`` as last imported (committed with the file's
last rows and its import log, in one transaction). The listing alone says a file is unchanged (same
size and modification time): it is not even fetched. A file whose time moved but whose content did
not is fetched, hashed and logged as skipped. A file that cannot be read (unknown kind or layout,
corrupt, password-protected) is logged as failed and its position stays where it was; the other
files go on. Rows are read one page at a time from the calamine sheet.
"""

import hashlib
import uuid
from collections.abc import Iterator

from credit_portfolio.choices import SOURCE_NAME, FileKind, ImportStatus
from credit_portfolio.client import FtpClient, FtpSettings, RemoteFile
from credit_portfolio.columns import kind_from_name, organization_from_name
from credit_portfolio.normalizer import normalize_record, payment_kind_of
from credit_portfolio.reader import ExportError, Sheet, open_export, parse_money
from integrations.core.source import Page, StreamPosition

# Records per page: ten pages to a committed batch (``batch_rows``); small enough
# that a page of typed rows is a few hundred KB next to the sheet calamine holds.
PAGE_ROWS = 1_000


def stream_name(file_name: str) -> str:
    """A file's stream: a digest of its name (stream names are short; the import log keeps the name)."""
    return "file:" + hashlib.sha256(file_name.encode()).hexdigest()[:24]


def file_position(remote: RemoteFile, digest: str) -> StreamPosition:
    return StreamPosition(cursor=f"{remote.size}:{int(remote.modified_at.timestamp())}:{digest}")


def listed_unchanged(remote: RemoteFile, position: StreamPosition) -> bool:
    """Same size and modification time as when last imported: no need to fetch it."""
    size, _, rest = position.cursor.partition(":")
    stamp = rest.partition(":")[0]
    return bool(position.cursor) and size == str(remote.size) and stamp == str(int(remote.modified_at.timestamp()))


class PortfolioSource:
    name = SOURCE_NAME
    # Rows per committed batch: a file's position only moves at its end, so a crash re-reads the file
    # whatever the batch; larger batches only cut the per-batch costs (commit, staging, references),
    # measured at ~40% of a 100,000-row import in batches of 2,000.
    batch_rows = 10_000

    def __init__(self, settings: FtpSettings):
        self.client = FtpClient(settings)
        self._files: dict[str, RemoteFile] = {}

    def streams(self, positions: dict[str, StreamPosition]) -> list[str]:
        """The files that are new or changed since their last import, oldest first."""
        self._files = {}
        try:
            listing = self.client.list_exports()
        finally:
            # Each file is read by a reader process of its own, which logs in for itself and quits when
            # done: a connection opened here would be shared by every fork and ended by the first.
            self.client.close()
        for remote in listing:
            stream = stream_name(remote.name)
            if not listed_unchanged(remote, positions.get(stream, StreamPosition())):
                self._files[stream] = remote
        # Listed in the writer; the files are fetched by the reader process (integrations/core/reader.py) on a
        # connection of its own, rather than on a socket that both processes would hold.
        self.client.close()
        return list(self._files)

    def pages(self, stream: str, position: StreamPosition) -> Iterator[Page]:
        remote = self._files[stream]
        content, digest = self.client.fetch(remote.name)
        done = file_position(remote, digest)
        file = _file_facts(remote, digest)
        if position.cursor.endswith(f":{digest}"):
            yield Page([_event(file, ImportStatus.SKIPPED)], done, commit_after=True)
            return
        try:
            sheet = open_export(remote.name, content)
        except ExportError as exc:
            yield Page([_event(file, ImportStatus.FAILED, error=exc.message, details=exc.details)], position,
                       commit_after=True)
            return
        del content  # calamine holds the sheet now
        file.update(kind=sheet.kind, header_row=sheet.header_row, columns=columns_found(sheet))
        read = 0
        for records in _chunks(sheet_records(sheet, file), PAGE_ROWS):
            read += len(records)
            yield Page(records, position)  # the position moves only with the file's last rows
        yield Page([_event(file, ImportStatus.IMPORTED, rows_read=read)], done, commit_after=True)

    def normalize(self, raw: dict):
        return normalize_record(raw)

    def close(self) -> None:
        self.client.close()


def _file_facts(remote: RemoteFile, digest: str) -> dict:
    return {"import_id": uuid.uuid4().hex, "name": remote.name, "kind": kind_from_name(remote.name) or "",
            "organization": organization_from_name(remote.name), "size": remote.size,
            "modified_at": remote.modified_at.isoformat(), "content_hash": digest}


def _event(file: dict, status: str, **facts) -> dict:
    return {"file": file, "event": status, **facts}


def columns_found(sheet: Sheet) -> dict:
    return {m.field: {"header": m.header, "confidence": m.confidence} for m in sheet.columns}


def sheet_records(sheet: Sheet, file: dict) -> Iterator[dict]:
    """Every data row of ``sheet`` as a record, its cells as calamine typed them (a record the normalizer
    refuses has them made JSON first, ``json_cells``, for the quarantine).

    Details get their ``line``: 1 for the first line of a repayment with its kind and amount, 2 for an
    equal one after it, and so on, so a re-read finds the same lines wherever they moved in the file.
    """
    seen: dict[tuple, int] = {}
    for number, values in sheet.rows():
        record = {"file": file, "row": number, "values": values}
        if sheet.kind == FileKind.DETAILS:
            key = (values.get("expense_document"), payment_kind_of(values.get("payment_kind")),
                   _amount_key(values.get("amount")))
            seen[key] = record["line"] = seen.get(key, 0) + 1
        yield record


def _amount_key(value):
    try:
        return parse_money(value)
    except ValueError:
        return str(value)


def _chunks(records: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
