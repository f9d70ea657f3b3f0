"""The rules of the exports (SPEC 12), declared once and checked in SQL over the staging tables
(``lending.staging``): the same statements run on PostgreSQL and on SQLite (only the regex operator and
the date cast differ), and name the first line that breaks a rule with its file and column.

Each file's rules, in the order they are checked: the kind of every value (a whole number, an amount, a
``dd.mm.yyyy`` date that exists) and the row rules, line by line; then the values that must be unique in
the file; then the references to rows of an earlier file (or of an earlier load). SQLite's load checks
them all before it writes. PostgreSQL's write keeps to the rows whose values have their kinds' form
(``well_formed``: what no constraint can refuse, ``1.005`` would be rounded) and compares the count;
everything else is also refused by the tables' constraints or the casts, and only then are the rules
asked which line it was (``lending.services``): a good file pays for one expression per row.
"""

from dataclasses import dataclass

from django.db import connection

from lending.files import FILES, LoadError, stage_table

CATEGORIES_TABLE = "lending_stage_categories"  # dictionary.csv resolved: number, category_id, code

# Patterns of ASCII digits (\d is any Unicode digit in both engines), without counted repeats: PostgreSQL's
# regex engine runs ``[0-9]{1,16}`` several times slower than ``[0-9]+``. The counts are checked by the
# full pattern where it matters (SQLite, and naming a problem); on PostgreSQL's write, NUMERIC(18, 2)
# refuses more than 16 digits before the point by itself, as the date cast refuses a day that does not exist.
DATE_PATTERN = r"^[0-9][0-9]\.[0-9][0-9]\.[0-9][0-9][0-9][0-9]$"
MONEY_PATTERN = r"^-?[0-9]+(\.[0-9][0-9]?)?$"
MONEY_PATTERN_FULL = r"^-?[0-9]{1,16}(\.[0-9]{1,2})?$"
EXPECTED = {"int": "a whole number", "money": "an amount such as 1500.00", "date": "a date as dd.mm.yyyy",
            "date?": "a date as dd.mm.yyyy"}
_DIGITS = "'0123456789'"


@dataclass(frozen=True)
class Rule:
    """A row breaks the rule where ``bad`` (SQL; ``{column}`` stands for the column's typed value) is true."""

    column: str
    bad: str
    problem: str  # ``{value}``: the raw value


ROW_RULES = {
    "credits.csv": (Rule("return_date", "{return_date} < {issuance_date}", "before the issuance date"),
                    Rule("actual_return_date", "{actual_return_date} < {issuance_date}", "before the issuance date"),
                    Rule("body", "{body} <= 0", "must be more than 0"),
                    Rule("percent", "{percent} < 0", "must not be negative")),
    "payments.csv": (Rule("type_id", f"{{type_id}} NOT IN (SELECT number FROM {CATEGORIES_TABLE} "
                                     "WHERE code IN ('body', 'interest'))",
                          "{value} is not the body or interest category"),
                     Rule("sum", "{sum} <= 0", "must be more than 0")),
    "plans.csv": (Rule("period", "substr(period, 1, 2) <> '01'", "not the first day of a month"),
                  Rule("sum", "{sum} < 0", "must not be negative"),
                  Rule("category_id", f"{{category_id}} NOT IN (SELECT number FROM {CATEGORIES_TABLE})",
                       "no category {value} in dictionary.csv")),
}
# Columns (or groups of them) whose values appear once per file, and what a second one is called.
UNIQUE = {"dictionary.csv": (("id",),), "users.csv": (("id",), ("login",)), "credits.csv": (("id",),),
          "payments.csv": (("id",),), "plans.csv": (("period", "category_id"),)}
_SECOND = {("period", "category_id"): "a second plan for this month and category"}
# A column that names a row of an earlier file: (its table, the staged file it may come from, message).
REFERENCES = {"credits.csv": ("user_id", "lending_borrower", "users.csv", "no user {value}"),
              "payments.csv": ("credit_id", "lending_credit", "credits.csv", "no credit {value}")}


def typed(name: str, column: str, alias: str = "") -> str:
    """The SQL value of a staged text column in its kind (the column's kind must have been checked)."""
    kind, raw = dict(FILES[name])[column], f"{alias}{column}"
    if kind == "int":
        return f"CAST({raw} AS BIGINT)"
    if kind == "money":
        return f"CAST({raw} AS NUMERIC(18, 2))"
    if kind == "text":
        return f"trim({raw})"
    iso = f"substr({raw}, 7, 4) || '-' || substr({raw}, 4, 2) || '-' || substr({raw}, 1, 2)"
    # SQLite keeps dates as ISO text (as Django does); CAST AS DATE there would keep only the year.
    value = f"CAST({iso} AS DATE)" if connection.vendor == "postgresql" else iso
    return f"CASE WHEN {raw} = '' THEN NULL ELSE {value} END" if kind == "date?" else value


def first_problem(name: str) -> LoadError | None:
    """The first rule ``name``'s staged rows break, as the error to raise (None: none)."""
    return _first_bad_row(name) or _first_repeat(name) or _first_orphan(name)


def well_formed(name: str, alias: str = "") -> tuple[str, list]:
    """SQL (and its parameters) true for a staged row of ``name`` whose every value has its kind's form, in
    one expression (one ``ltrim`` for all the whole numbers of the row), so that the write can keep to the
    rows that pass and compare the count. What the casts refuse by themselves is left to them (see above)."""
    digits, conditions, params = [], [], []
    for column, kind in FILES[name]:
        found, shape, patterns = _form(alias + column, kind)
        digits, conditions, params = digits + found, conditions + shape, params + patterns
    if digits:
        conditions.insert(0, f"ltrim({' || '.join(digits)}, {_DIGITS}) = ''")
    return " AND ".join(conditions) or "1 = 1", params


def _form(column: str, kind: str, *, full: bool = False) -> tuple[list[str], list[str], list[str]]:
    """A kind's form: (SQL values that must be all ASCII digits, SQL conditions, the regexes they take)."""
    if kind == "text":
        return [], [f"trim({column}) <> ''"], []
    if kind == "int":
        return [column], [f"length({column}) BETWEEN 1 AND 18"], []
    if kind == "money":
        return [], [_regex(column)], [MONEY_PATTERN_FULL if full else MONEY_PATTERN]
    if kind == "date?":
        return [], [f"({column} = '' OR {_regex(column)})"], [DATE_PATTERN]
    return [], [_regex(column)], [DATE_PATTERN]


def _regex(value: str) -> str:
    # Django gives SQLite connections a REGEXP function (Python's re); PostgreSQL has the ~ operator.
    return f"{value} ~ %s" if connection.vendor == "postgresql" else f"{value} REGEXP %s"


def _kind_checks(name: str) -> list[tuple[str, str, list, str]]:
    """(column, SQL true for a bad value, its parameters, problem) per column, in the file's column order:
    its form (in full), then for a date whether the day exists."""
    checks = []
    for column, kind in FILES[name]:
        digits, shape, patterns = _form(column, kind, full=True)
        good = [f"ltrim({part}, {_DIGITS}) = ''" for part in digits] + shape
        problem = "empty" if kind == "text" else f"expected {EXPECTED[kind]}, got {{value!r}}"
        checks.append((column, f"NOT ({' AND '.join(good)})", patterns, problem))
        if kind.startswith("date"):
            optional = f"{column} <> '' AND " if kind == "date?" else ""
            checks.append((column, f"{optional}NOT ({_real_date(column)})", [], problem))
    return checks


def _real_date(column: str) -> str:
    """SQL true when the ``dd.mm.yyyy`` of ``column`` (already of that form) is a day of the calendar."""
    day, month, year = (f"CAST(substr({column}, {start}, {length}) AS INTEGER)"
                        for start, length in ((1, 2), (4, 2), (7, 4)))
    leap = f"(({year} %% 4 = 0 AND {year} %% 100 <> 0) OR {year} %% 400 = 0)"
    last = (f"CASE WHEN {month} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
            f"WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END")
    return f"{year} >= 1 AND {month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {last}"


def _first_bad_row(name: str) -> LoadError | None:
    """One pass over the staged rows: the first line with a bad value or a broken row rule."""
    values = {column: typed(name, column) for column, _ in FILES[name]}
    checks = _kind_checks(name) + [(rule.column, rule.bad.format(**values), [], rule.problem)
                                   for rule in ROW_RULES.get(name, ())]
    # CASE tries the checks in order and stops at the first true one: a row rule casts only checked values.
    cases = " ".join(f"WHEN {bad} THEN {number}" for number, (_, bad, _, _) in enumerate(checks))
    params = [param for _, _, params, _ in checks for param in params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT line, problem FROM (SELECT line, CASE {cases} END AS problem "
                       f"FROM {stage_table(name)}) AS checked WHERE problem IS NOT NULL ORDER BY line LIMIT 1",
                       params)
        found = cursor.fetchone()
    if found is None:
        return None
    column, _, _, problem = checks[found[1]]
    return LoadError(name, found[0], column, problem.format(value=_raw(name, found[0], column)))


def _raw(name: str, line: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {stage_table(name)} WHERE line = %s", [line])
        return cursor.fetchone()[0]


def _first_repeat(name: str) -> LoadError | None:
    """The first line whose unique value (or group of values) an earlier line of the file has."""
    table = stage_table(name)
    for columns in UNIQUE.get(name, ()):
        key = ", ".join(typed(name, column) for column in columns)
        with connection.cursor() as cursor:
            # The repeated keys first (one aggregate), then the second line of the earliest of them.
            cursor.execute(f"SELECT MIN(second) FROM (SELECT line AS second, ROW_NUMBER() OVER (PARTITION BY {key} "
                           f"ORDER BY line) AS nth FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} "
                           f"GROUP BY {key} HAVING COUNT(*) > 1)) AS repeats WHERE nth = 2", [])
            line = cursor.fetchone()[0]
        if line is not None:
            value = _raw(name, line, columns[0])
            shown = repr(int(value) if dict(FILES[name])[columns[0]] == "int" else value.strip())
            return LoadError(name, line, columns[0], _SECOND.get(columns, f"{shown} appears twice in the file"))
    return None


def has_repeat(name: str) -> bool:
    """Whether a unique value (or group) of ``name`` appears twice in the file: one aggregate per key, for a
    write that would not see it (an upsert leaves a row equal to the stored one alone, so a second row of
    its id would pass as the only change)."""
    table = stage_table(name)
    with connection.cursor() as cursor:
        for columns in UNIQUE.get(name, ()):
            key = ", ".join(typed(name, column) for column in columns)
            cursor.execute(f"SELECT 1 FROM {table} GROUP BY {key} HAVING COUNT(*) > 1 LIMIT 1", [])
            if cursor.fetchone():
                return True
    return False


def _first_orphan(name: str) -> LoadError | None:
    """The first line naming a row that is neither in the earlier file nor stored."""
    if name not in REFERENCES:
        return None
    column, table, parent, problem = REFERENCES[name]
    value, parent_id = typed(name, column, "s."), typed(parent, "id", "p.")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.line, s.{column} FROM {stage_table(name)} s "
                       f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = {value}) "
                       f"AND NOT EXISTS (SELECT 1 FROM {stage_table(parent)} p WHERE {parent_id} = {value}) "
                       "ORDER BY s.line LIMIT 1", [])
        found = cursor.fetchone()
    return LoadError(name, found[0], column, problem.format(value=int(found[1]))) if found else None
