"""A file's preview before it is imported: what the import would make of it, writing nothing.

Its kind, the header row found, each column's mapping with its confidence and a type suggestion,
the first rows as they would be stored, and every problem (up to a bound) with its row and column.
"""

import uuid
from datetime import UTC, datetime

from credit_portfolio.columns import COLUMNS, DATE, FLAG, MONEY, organization_from_name
from credit_portfolio.normalizer import FileOutcome, json_cell, normalize_record
from credit_portfolio.reader import ExportError, open_export, parse_date, parse_money
from credit_portfolio.sync import columns_found, sheet_records

# Rows shown as they would be stored, and values sampled per column for its type suggestion.
SHOWN_ROWS = 20
# Problems listed; beyond this the preview counts them only (a file of bad rows has as many problems).
MAX_PROBLEMS = 500


def file_preview(*, name: str, content: bytes) -> dict:
    """What importing ``name`` would do; never raises for a bad file (``readable`` False says why)."""
    try:
        sheet = open_export(name, content)
    except ExportError as exc:
        return {"file": name, "readable": False, "problems": [exc.message], "details": exc.details}
    file = {"import_id": f"preview-{uuid.uuid4().hex}", "name": name, "kind": sheet.kind,
            "organization": organization_from_name(name), "size": len(content),
            "modified_at": datetime.now(UTC).isoformat(), "content_hash": "", "header_row": sheet.header_row,
            "columns": columns_found(sheet)}
    shown, problems, samples, total, bad = [], [], {m.field: [] for m in sheet.columns}, 0, 0
    for record in sheet_records(sheet, file):
        total += 1
        for field, values in samples.items():
            if len(values) < SHOWN_ROWS and record["values"].get(field) not in (None, ""):
                values.append(json_cell(record["values"][field]))
        try:
            row = normalize_record(record)
        except ValueError as exc:
            bad += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(str(exc))
            continue
        if len(shown) < SHOWN_ROWS and not isinstance(row, FileOutcome):
            shown.append(_stored(row))
    return {"file": name, "readable": True, "kind": sheet.kind, "header_row": sheet.header_row,
            "columns": [_column(sheet.kind, m, samples[m.field]) for m in sheet.columns],
            "unmatched_headers": sheet.unmatched, "missing_optional": _missing(sheet),
            "rows_found": total, "rows_with_problems": bad, "rows": shown, "problems": problems}


def _stored(row) -> dict:
    values = row._asdict()
    values.pop("file")
    return {key: (str(value) if value is not None and not isinstance(value, bool | int | str) else value)
            for key, value in values.items()}


def _column(kind: str, mapped, sample: list) -> dict:
    expected = next(c.type for c in COLUMNS[kind] if c.field == mapped.field)
    return {"field": mapped.field, "header": mapped.header, "confidence": mapped.confidence,
            "expected_type": expected, "suggested_type": suggest_type(sample)}


def suggest_type(values: list) -> str:
    """What the sampled values look like: money, date, or text (empty column: text)."""
    for kind, parse in ((DATE, parse_date), (MONEY, parse_money)):
        try:
            if values and all(parse(v) is not None for v in values):
                return kind
        except ValueError:
            continue
    if values and all(str(v).strip().casefold() in ("да", "нет", "yes", "no") for v in values):
        return FLAG
    return "text"


def _missing(sheet) -> list[str]:
    found = {m.field for m in sheet.columns}
    return [c.header for c in COLUMNS[sheet.kind] if not c.required and c.field not in found]
