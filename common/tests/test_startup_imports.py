"""Every web, worker and sync process starts Django; a heavy library imported at start-up costs each of them.

lightgbm took Django's set-up from 100 to 185 MB resident, and later scipy.signal cost 64 MB, both through the
forecasting admin's imports. Those libraries are imported where a model is fitted or an EWMA computed; this
test holds that in a fresh interpreter (the test process itself has imported them long ago).
"""

import json
import os
import subprocess
import sys

from django.conf import settings

# python_calamine (the credit portfolio reader, a few MB) is not among them: it may load at start-up.
HEAVY = ("lightgbm", "scipy", "pandas", "weasyprint", "playwright")

PROBE = """
import json, sys, django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # the URLconf and every app's views and admin, as a serving process loads them
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def test_django_set_up_with_its_urls_imports_no_heavy_library():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY)], env=env, capture_output=True,
                            text=True, timeout=120, cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
