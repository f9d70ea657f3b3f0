"""Exports: the API endpoint and the admin actions stream the same file, exact money, filters applied."""

import csv
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from transactions import exports
from transactions.exports import EXPORT_FIELDS
from transactions.models import Transaction
from transactions.tests.test_api import stored  # noqa: F401 — the 31 rows of the list tests

pytestmark = pytest.mark.django_db
URL = "/api/v1/export/transactions"


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_streams_every_filtered_row_oldest_first_with_exact_amounts(api_client, viewer, stored):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, {"format": "csv", "source": "vima", "status": "failed"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="transactions-')
    rows = read_csv(response)
    assert rows[0] == list(EXPORT_FIELDS) and len(rows) == 1 + 10
    amount, created = EXPORT_FIELDS.index("amount"), EXPORT_FIELDS.index("created_at")
    assert rows[1][amount] == "100.1000" and rows[1][created] == "2026-03-10T00:00:00Z"
    assert [r[created] for r in rows[1:]] == sorted(r[created] for r in rows[1:])


def test_xlsx_holds_the_same_rows_with_amounts_as_numbers(api_client, viewer, stored):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, {"format": "xlsx", "search": "ord-7"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header == EXPORT_FIELDS
    assert Decimal(str(row[EXPORT_FIELDS.index("amount")])) == Decimal("123456.50")


@pytest.mark.parametrize("params", [{"format": "pdf"}, {}, {"format": "csv", "status": "lost"}])
def test_a_wrong_format_or_filter_is_a_400(api_client, viewer, params):
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, params)
    assert response.status_code == 400 and json.loads(response.content)["error"]["code"] == "VALIDATION_ERROR"


def test_the_admin_action_exports_through_the_same_code(client, viewer, stored):  # noqa: F811
    client.force_login(viewer)
    ids = [str(pk) for pk in Transaction.objects.filter(project="monetix").values_list("pk", flat=True)]
    response = client.post("/admin/transactions/transaction/", {"action": "export_csv", "_selected_action": ids})
    rows = read_csv(response)
    assert len(rows) == 1 + 15 and {r[EXPORT_FIELDS.index("project")] for r in rows[1:]} == {"monetix"}


def test_both_csv_paths_write_the_same_bytes(stored):  # noqa: F811
    from datetime import UTC, datetime

    from conftest import build_row
    from transactions.exports import csv_chunks
    from transactions.services import transactions_upsert

    awkward = build_row(source_id="odd", user_name='Rao, "Asha"\nsecond line', user_email="", fee=Decimal("0.0001"),
                        created_at=datetime(2026, 3, 10, 1, 2, 3, 450, tzinfo=UTC), amount=Decimal("-12.5"),
                        completed_at=datetime(2026, 3, 10, 1, 2, 4, tzinfo=UTC))
    transactions_upsert(rows=[awkward])
    everything = Transaction.objects.all()
    python = b"".join(csv_chunks(everything, allow_copy=False))
    assert b"".join(csv_chunks(everything)) == python  # COPY on PostgreSQL; the same code elsewhere
    text = python.decode("utf-8-sig")
    assert '"Rao, ""Asha""\nsecond line"' in text and "2026-03-10T01:02:03.000450Z" in text
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + 32


def _store(count: int, *, first: int = 0) -> None:
    from datetime import UTC, datetime, timedelta

    from conftest import build_row
    from transactions.services import transactions_upsert

    start = datetime(2026, 6, 1, tzinfo=UTC)
    for offset in range(first, first + count, 10_000):
        transactions_upsert(rows=[build_row(source_id=f"m{i}", created_at=start + timedelta(seconds=i),
                                            updated_at=start, raw_data={})
                                  for i in range(offset, min(first + count, offset + 10_000))])


def _traced_export(client, fmt: str) -> tuple[int, int, int]:
    """(bytes, lines, peak bytes allocated while streaming): memory is measured, never time."""
    import tracemalloc

    tracemalloc.start()
    try:
        response = client.get(URL, {"format": fmt})
        size = lines = 0
        for chunk in response.streaming_content:
            size, lines = size + len(chunk), lines + chunk.count(b"\n")
        return size, lines, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_exporting_100000_rows_as_csv_streams_with_bounded_memory(api_client, viewer):
    _store(100_000)
    api_client.force_authenticate(viewer)
    size, lines, peak = _traced_export(api_client, "csv")
    assert lines == 1 + 100_000  # the whole file went through
    assert peak < 25_000_000, f"peak {peak / 1e6:.1f} MB while writing {size / 1e6:.1f} MB"


def test_xlsx_memory_does_not_grow_with_the_rows(monkeypatch):
    """openpyxl's write-only mode keeps no rows; checked on 4,000 then 10,000 rows (XLSX writing is slow
    under tracemalloc, and the growth, not the size, is what shows whether rows are kept). Memory holds
    by design up to two fetches from the cursor (the one being written and the next, 2 × CHUNK_ROWS),
    so both sizes are at least that. The file is
    built as the API builds it, and goes straight to disk here so that its own size is not counted;
    sending it is Django's FileResponse reading that file in blocks. A warm-up export first, so that
    one-time allocations (imports, caches) fall outside both measurements."""
    monkeypatch.setattr("common.exports.XLSX_SPOOL_BYTES", 1)  # 0 would mean never
    _store(2 * exports.CHUNK_ROWS)
    exports.xlsx_file(Transaction.objects.all()).close()
    small = _traced_xlsx()
    _store(6_000, first=2 * exports.CHUNK_ROWS)
    large = _traced_xlsx()
    assert large[0] > 2 * small[0]  # the file grew with the rows
    growth = large[1] - small[1]
    # Keeping the 6,000 extra rows would cost well over 7 MB (a row is about 1 KB as a tuple, more as cells).
    assert growth < 1_000_000, f"peak grew from {small[1] / 1e6:.1f} to {large[1] / 1e6:.1f} MB"


def _traced_xlsx() -> tuple[int, int]:
    """(file size, peak bytes allocated while building it)."""
    import tracemalloc

    tracemalloc.start()
    try:
        with exports.xlsx_file(Transaction.objects.all()) as output:
            peak = tracemalloc.get_traced_memory()[1]
            return output.seek(0, 2), peak
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_escaped_and_numbers_are_not(start):
    """Issue 18 item 7: ``=HYPERLINK("http://evil";"x")`` in a stored text field leaves every writer (CSV by
    COPY and in Python, XLSX) with a leading apostrophe; a negative amount stays a number."""
    from conftest import build_row
    from transactions.services import transactions_upsert

    evil = start + 'HYPERLINK("http://evil";"x")'
    transactions_upsert(rows=[build_row(source_id="evil", user_name=evil, amount=Decimal("-12.50"))])
    everything = Transaction.objects.all()
    for allow_copy in (True, False):
        text = b"".join(exports.csv_chunks(everything, allow_copy=allow_copy)).decode("utf-8-sig")
        header, row = list(csv.reader(io.StringIO(text, newline="")))
        assert row[header.index("user_name")] == "'" + evil, allow_copy
        assert Decimal(row[header.index("amount")]) == Decimal("-12.50")
    sheet = load_workbook(exports.xlsx_file(everything), read_only=True).active
    header, row = [tuple(cell.value for cell in line) for line in sheet.iter_rows()]
    # (XML reads a stored CR back as LF)
    assert row[header.index("user_name")] == ("'" + evil).replace("\r", "\n")
    assert row[header.index("amount")] == Decimal("-12.50")
