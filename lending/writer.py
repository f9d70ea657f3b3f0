"""One bulk write path for the loan book's tables: COPY into a staging table and one upsert on
PostgreSQL, ``bulk_create(update_conflicts=True)`` on SQLite. Rows equal to the stored ones are
left alone on PostgreSQL (``IS DISTINCT FROM``), so loading the same files again rewrites nothing.
"""

from django.db import connection

BATCH_ROWS = 5_000  # rows per bulk_create statement on SQLite (its limit on variables per statement)


def rows_upsert(*, model, fields: list[str], rows: list[tuple], key: list[str], insert_only=()) -> int:
    """Insert ``rows`` (values of ``fields``, in order) into ``model``'s table, updating rows whose ``key``
    exists (all fields but the key and ``insert_only`` ones, such as a creation time). Returns how many
    rows were inserted or changed on PostgreSQL; on SQLite, which cannot tell, every row counts."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _copy_upsert(model, fields, rows, key, insert_only)
    objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    updated = [name for name in fields if name not in key and name not in insert_only]
    for start in range(0, len(objects), BATCH_ROWS):
        model.objects.bulk_create(objects[start:start + BATCH_ROWS], update_conflicts=True,
                                  unique_fields=key, update_fields=updated)
    return len(rows)


def _copy_upsert(model, fields: list[str], rows: list[tuple], key: list[str], insert_only) -> int:
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]
    key_columns = [model._meta.get_field(name).column for name in key]
    kept = key_columns + [model._meta.get_field(name).column for name in insert_only]
    others = [column for column in columns if column not in kept]
    quoted = ", ".join(f'"{column}"' for column in columns)
    stage = f"{table}_stage"
    with connection.cursor() as cursor:
        # Only the loaded columns, without the table's NOT NULLs (an identity id is filled by the insert).
        cursor.execute(f'CREATE TEMPORARY TABLE "{stage}" ON COMMIT DROP AS '
                       f'SELECT {quoted} FROM "{table}" WITH NO DATA')
        # The driver's own cursor: Django's debug wrapper takes no COPY.
        with cursor.cursor.copy(f'COPY "{stage}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f'"{column}" = EXCLUDED."{column}"' for column in others)
        changed = " OR ".join(f'"{table}"."{column}" IS DISTINCT FROM EXCLUDED."{column}"' for column in others)
        cursor.execute(f'INSERT INTO "{table}" ({quoted}) SELECT {quoted} FROM "{stage}" '
                       f'ON CONFLICT ({", ".join(key_columns)}) DO UPDATE SET {assignments} WHERE {changed}')
        written = cursor.rowcount  # inserted rows and changed ones; equal rows are left alone
        cursor.execute(f'DROP TABLE "{stage}"')
    return written
