"""Imports between apps flow one way (STYLE 4): what an app builds on never imports it back.

Read from the source (every ``import`` of a module outside tests and migrations, at import time or
inside a function alike), so a cycle is caught before it bites at start-up in some import order.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Cycles that were here before this test and that no change has untangled yet: listed so that no new one
# joins them unnoticed. Remove a pair once it is gone.
KNOWN_CYCLES = {frozenset({"credit_portfolio", "integrations"}), frozenset({"lending", "planning"}),
                # came with the merges of 3 December: analytics/selectors.py reads reconciliation's results for
                # the payments figure while reconciliation/services.py bumps the metrics namespace; common's money
                # formatting (admin_money.py, templatetags/money.py) reads transactions.money
                frozenset({"analytics", "reconciliation"}), frozenset({"common", "transactions"})}


def _apps() -> set[str]:
    """The Django apps (``config``, which wires them together and holds the Celery app, is not one)."""
    return {path.parent.name for path in ROOT.glob("*/apps.py")}


def _imports_between_apps() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) → the modules that import it."""
    apps, found = _apps(), defaultdict(list)
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                         [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
                for name in names:
                    target = name.split(".")[0]
                    if target in apps and target != app:
                        found[app, target].append(str(path.relative_to(ROOT)))
    return found


def test_transactions_import_nothing_from_analytics_which_builds_on_them():
    assert _imports_between_apps().get(("transactions", "analytics"), []) == []


def test_reconciliation_tells_monitoring_by_signal_and_never_imports_it():
    assert _imports_between_apps().get(("reconciliation", "monitoring"), []) == []


def test_no_two_apps_import_each_other():
    imports = _imports_between_apps()
    cycles = {frozenset({a, b}): (imports[a, b], imports[b, a]) for a, b in imports if (b, a) in imports}
    assert {pair: modules for pair, modules in cycles.items() if pair not in KNOWN_CYCLES} == {}
