"""Triggers that keep posted vouchers as they were posted, on PostgreSQL and on SQLite.

- No line of a posted voucher is inserted, changed or deleted.
- A posted voucher is neither changed (status included) nor deleted (deletes: PostgreSQL only, see below): a correction is a new, reversing voucher.
- A voucher becomes posted only with lines that balance per currency. (SQLite stores decimals as floating
  point, so there a difference under half the smallest stored unit counts as balanced.)

On SQLite (the embedded default) deletes are left to the ORM's PROTECT foreign keys: Django empties tables
between transactional tests with DELETE, which a delete trigger would refuse. PostgreSQL empties them with
TRUNCATE, which fires no row trigger, so there the database refuses deletes too.

Each refusal is an integrity error (SQLSTATE 23000 on PostgreSQL) whose message starts with its rule.
"""

from django.db import migrations

_POSTGRES = """
CREATE FUNCTION ledger_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM ledger_voucher WHERE id = OLD.voucher_id AND status = 'posted') THEN
        RAISE EXCEPTION 'POSTED_IMMUTABLE: voucher % is posted; its lines cannot change', OLD.voucher_id
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM ledger_voucher WHERE id = NEW.voucher_id AND status = 'posted') THEN
        RAISE EXCEPTION 'POSTED_IMMUTABLE: voucher % is posted; lines cannot be added', NEW.voucher_id
            USING ERRCODE = '23000';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER ledger_line_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_voucherline
    FOR EACH ROW EXECUTE FUNCTION ledger_line_guard();

CREATE FUNCTION ledger_voucher_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'posted' THEN
        RAISE EXCEPTION 'POSTED_IMMUTABLE: voucher % is posted; it cannot change', OLD.id USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.status = 'posted' THEN
        IF NOT EXISTS (SELECT 1 FROM ledger_voucherline WHERE voucher_id = NEW.id) THEN
            RAISE EXCEPTION 'EMPTY_VOUCHER: voucher % has no lines', NEW.id USING ERRCODE = '23000';
        END IF;
        IF EXISTS (SELECT 1 FROM ledger_voucherline WHERE voucher_id = NEW.id GROUP BY currency
                   HAVING SUM(debit) <> SUM(credit)) THEN
            RAISE EXCEPTION 'UNBALANCED: voucher % does not balance per currency', NEW.id USING ERRCODE = '23000';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_voucher_guard BEFORE UPDATE OR DELETE ON ledger_voucher
    FOR EACH ROW EXECUTE FUNCTION ledger_voucher_guard();
"""

_POSTGRES_DROP = """
DROP TRIGGER ledger_voucher_guard ON ledger_voucher; DROP FUNCTION ledger_voucher_guard();
DROP TRIGGER ledger_line_guard ON ledger_voucherline; DROP FUNCTION ledger_line_guard();
"""

_POSTED = "(SELECT status FROM ledger_voucher WHERE id = {}.voucher_id) = 'posted'"
_SQLITE = [
    f"""CREATE TRIGGER ledger_line_guard_insert BEFORE INSERT ON ledger_voucherline WHEN {_POSTED.format('NEW')}
        BEGIN SELECT RAISE(ABORT, 'POSTED_IMMUTABLE: lines cannot be added to a posted voucher'); END""",
    f"""CREATE TRIGGER ledger_line_guard_update BEFORE UPDATE ON ledger_voucherline
        WHEN {_POSTED.format('OLD')} OR {_POSTED.format('NEW')}
        BEGIN SELECT RAISE(ABORT, 'POSTED_IMMUTABLE: lines of a posted voucher cannot change'); END""",
    """CREATE TRIGGER ledger_voucher_guard_update BEFORE UPDATE ON ledger_voucher WHEN OLD.status = 'posted'
        BEGIN SELECT RAISE(ABORT, 'POSTED_IMMUTABLE: a posted voucher cannot change'); END""",
    """CREATE TRIGGER ledger_voucher_guard_empty BEFORE UPDATE OF status ON ledger_voucher
        WHEN NEW.status = 'posted' AND NOT EXISTS (SELECT 1 FROM ledger_voucherline WHERE voucher_id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'EMPTY_VOUCHER: a voucher without lines is never posted'); END""",
    """CREATE TRIGGER ledger_voucher_guard_balanced BEFORE UPDATE OF status ON ledger_voucher
        WHEN NEW.status = 'posted' AND EXISTS (SELECT 1 FROM ledger_voucherline WHERE voucher_id = NEW.id
                                               GROUP BY currency HAVING ABS(SUM(debit) - SUM(credit)) >= 0.00005)
        BEGIN SELECT RAISE(ABORT, 'UNBALANCED: a voucher is posted only with lines balanced per currency'); END""",
]
_SQLITE_NAMES = ["ledger_line_guard_insert", "ledger_line_guard_update", "ledger_voucher_guard_update",
                 "ledger_voucher_guard_empty", "ledger_voucher_guard_balanced"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_POSTGRES, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in _SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_POSTGRES_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for name in _SQLITE_NAMES:
            schema_editor.execute(f"DROP TRIGGER {name}")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
