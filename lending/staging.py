"""The exports into temporary staging tables, as text, one row per line with its line number, so that the
rules (``lending.rules``) and the write are set-based SQL. On PostgreSQL the file is streamed into COPY
as it is (only CRLF and backslashes are rewritten, a megabyte at a time): no value is parsed in Python.
On SQLite the lines are split in Python and inserted in batches (correct there, not fast).
"""

from pathlib import Path

from django.db import connection, transaction

from lending.files import FILES, LoadError, header_check, split_line, stage_table

CHUNK_BYTES = 1 << 20  # read and COPY a megabyte at a time: few calls, little memory
SQLITE_BATCH_ROWS = 10_000  # rows per executemany on SQLite


def stage_file(directory: Path, name: str) -> int:
    """Stage ``name`` of ``directory`` in its temporary table (replacing an earlier one); the number of rows.

    The table lives as long as the connection, outside the load's transaction: the COPY runs in its own
    savepoint (a transaction of its own outside a test), before the write takes any lock on shared tables.
    """
    path = directory / name
    if not path.is_file():
        raise LoadError(name, None, None, f"missing: no {name} in {directory}")
    table, columns = stage_table(name), [column for column, _ in FILES[name]]
    with path.open("rb") as handle:
        header_check(name, handle.readline())
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            if connection.vendor == "postgresql":
                return _copy(cursor, handle, path, name, table, columns)
            return _insert(cursor, handle, name, table, columns)


def stages_drop(names) -> None:
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {stage_table(name)}")


def _copy(cursor, handle, path: Path, name: str, table: str, columns: list[str]) -> int:
    import psycopg

    listed = ", ".join(columns)
    # The identity numbers the rows as COPY reads them: line 2 is the first after the header.
    cursor.execute(f"CREATE TEMPORARY TABLE {table} (line BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 2), "
                   + ", ".join(f"{column} TEXT NOT NULL" for column in columns) + ")")
    try:
        with transaction.atomic(), cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
            carry = b""
            while chunk := handle.read(CHUNK_BYTES):
                chunk = carry + chunk
                # A CR at the chunk's end may be the first half of a CRLF: it waits for the next chunk.
                carry, chunk = (b"\r", chunk[:-1]) if chunk.endswith(b"\r") else (b"", chunk)
                # COPY's text format: a backslash escapes, so each one is doubled; lines end in LF.
                copy.write(chunk.replace(b"\\", b"\\\\").replace(b"\r\n", b"\n"))
            copy.write(carry)
    except psycopg.Error as error:
        raise _line_problem(path, name) or LoadError(name, None, None, f"unreadable: {error}") from None
    if cursor.cursor.rowcount >= 0:  # psycopg counts the rows COPY took
        return cursor.cursor.rowcount
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    return cursor.fetchone()[0]


def _line_problem(path: Path, name: str) -> LoadError | None:
    """The line COPY refused, found again in Python (on the error path only)."""
    with path.open("rb") as handle:
        handle.readline()
        for number, line in enumerate(handle, start=2):
            try:
                split_line(name, number, line)
            except LoadError as problem:
                return problem
            if b"\r" in line.rstrip(b"\r\n"):
                return LoadError(name, number, None, "a carriage return inside the line")
    return None


def _insert(cursor, handle, name: str, table: str, columns: list[str]) -> int:
    cursor.execute(f"CREATE TEMPORARY TABLE {table} (line INTEGER PRIMARY KEY, "
                   + ", ".join(f"{column} TEXT NOT NULL" for column in columns) + ")")
    sql = f"INSERT INTO {table} (line, {', '.join(columns)}) VALUES ({', '.join(['%s'] * (len(columns) + 1))})"
    batch, rows = [], 0
    for number, line in enumerate(handle, start=2):
        batch.append([number, *split_line(name, number, line)])
        if len(batch) == SQLITE_BATCH_ROWS:
            cursor.executemany(sql, batch)
            rows, batch = rows + len(batch), []
    cursor.executemany(sql, batch)
    return rows + len(batch)
