"""The README's table of environment variables against the code: every variable read is listed, nothing else is,
a literal default in the code is the default the table gives, and .env.example offers each one."""

import ast
import os
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
HEADER = "| variable | embedded default | what it does |"
# Not the product's settings: virtualenv and packages, run state, and the benchmarks' own harness variables.
SKIPPED_DIRS = {".venv", "node_modules", "var", "artifacts", "bench", "tests", "migrations", ".git"}
ENV_METHODS = {"str", "bool", "int", "float", "list", "tuple", "dict", "json", "url", "db", "db_url", "cache",
               "cache_url", "email", "email_url", "search_url", "path", "decimal", "parse_value"}


def _sources() -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [name for name in dirs if name not in SKIPPED_DIRS]  # never descend into a virtualenv
        found += [Path(folder) / name for name in files if name.endswith(".py") and name != "conftest.py"]
    return sorted(found)


def _name_and_default(call: ast.Call, default_position: int):
    if not call.args or not isinstance(call.args[0], ast.Constant) or not isinstance(call.args[0].value, str):
        return None
    default = next((keyword.value for keyword in call.keywords if keyword.arg == "default"), None)
    if default is None and len(call.args) > default_position:
        default = call.args[default_position]
    return call.args[0].value, default


def _is_os_environ(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name)
            and node.value.id == "os")


def _reads(tree: ast.AST):
    """(name, default node or None) of every environment read: django-environ's ``env``, ``os.environ``, getenv."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value) and isinstance(node.ctx, ast.Load):
            if isinstance(node.slice, ast.Constant):
                yield node.slice.value, None
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "env":
            found = _name_and_default(node, 2)  # env(name, cast, default)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env" \
                and func.attr in ENV_METHODS:
            found = _name_and_default(node, 1)
        elif isinstance(func, ast.Attribute) and _is_os_environ(func.value) and func.attr in ("get", "setdefault"):
            found = _name_and_default(node, 1)
        elif isinstance(func, ast.Attribute) and func.attr == "getenv" and isinstance(func.value, ast.Name) \
                and func.value.id == "os":
            found = _name_and_default(node, 1)
        else:
            continue
        if found:
            yield found


def code_reads() -> dict[str, list]:
    """Every variable the project's code reads → the defaults it is read with (AST nodes, None when absent)."""
    reads: dict[str, list] = {}
    for path in _sources():
        for name, default in _reads(ast.parse(path.read_text(), filename=str(path))):
            reads.setdefault(name, []).append(default)
    return reads


def readme_table() -> dict[str, str]:
    """The README table's rows: variable → its embedded-default cell."""
    lines = (ROOT / "README.md").read_text().splitlines()
    start = lines.index(HEADER) + 2  # past the header and its --- line
    rows = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        name = re.fullmatch(r"`([A-Z][A-Z0-9_]*)`", cells[0])
        assert name, f"not a variable name in backticks: {cells[0]!r}"
        assert name[1] not in rows, f"{name[1]} is listed twice"
        rows[name[1]] = cells[1]
    return rows


def _rendered(default: ast.AST):
    """A literal default as the table writes it ("" for an empty value); None when it is computed."""
    try:
        value = ast.literal_eval(default)
    except ValueError:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value).strip()


def test_the_scanner_finds_reads_of_every_kind():
    tree = ast.parse("import os\nenv.int('A', default=5)\nenv('B', int, 7)\nos.environ.get('C')\n"
                     "os.environ['D']\nos.environ.setdefault('E', 'x')\nos.getenv('F')\nos.environ['G'] = '1'\n"
                     "Decimal(env.str('H', default='0.01'))\nsettings.env.get('I')\n")
    found = {name: (_rendered(default) if default is not None else None) for name, default in _reads(tree)}
    assert found == {"A": "5", "B": "7", "C": None, "D": None, "E": "x", "F": None, "H": "0.01"}


def test_every_variable_the_code_reads_is_in_the_readme_table_and_nothing_else():
    read, listed = set(code_reads()), set(readme_table())
    assert read - listed == set(), "read by the code but missing from the README's table"
    assert listed - read == set(), "in the README's table but read nowhere"
    # The settings the SPEC names (section 10) are among them.
    assert {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "PAYSHACK_MODE",
            "PLAYWRIGHT_CHROMIUM_EXECUTABLE", "OPERATIONS_RETENTION_DAYS"} <= read


def test_each_literal_default_in_the_code_is_the_tables_default():
    table = readme_table()
    for name, defaults in sorted(code_reads().items()):
        for default in defaults:
            expected = _rendered(default) if default is not None else None
            if expected is None:
                continue  # computed from other settings: the table says it in words
            cell = table[name]
            if expected == "":
                assert cell.startswith("empty"), f"{name}: the code's default is empty, the table says {cell!r}"
            else:
                shown = re.match(r"`([^`]*)`", cell)
                assert shown and shown[1].strip() == expected, f"{name}: the code's default is {expected!r}, " \
                                                               f"the table says {cell!r}"


def test_env_example_offers_every_variable_of_the_table():
    text = (ROOT / ".env.example").read_text()
    offered = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    assert set(readme_table()) - offered == set()
