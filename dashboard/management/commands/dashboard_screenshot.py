"""`manage.py dashboard_screenshot [--out docs/dashboard.png]`: the README's picture of the dashboard, from the demo.

Runs on the database the settings name (``make screenshot`` gives it a fresh embedded one): the demo in
its one-shot form (both sandboxes synced, the demo days reconciled), a finance admin to log in as, this
project's web server on a free loopback port, and Chromium photographing the dashboard as that admin
sees it. The picture shows what ``make run`` shows a newcomer a minute after start.
"""

import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common.roles import FINANCE_ADMIN
from integrations.payshack.portal import CHROMIUM_ARGS

USERNAME = "screenshot-admin"
# The dashboard and the reconciliation table beside it, without the admin's app list below.
VIEWPORT = {"width": 1400, "height": 1200}
CLIP = {"x": 0, "y": 0, "width": 1100, "height": 1110}
SERVER_START_SECONDS = 30


class Command(BaseCommand):
    help = "Fill the database with the demo and save a screenshot of the dashboard (for the README)."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="docs/dashboard.png", help="where the PNG goes")
        parser.add_argument("--size", type=int, default=30_000, help="payments in the demo world")
        parser.add_argument("--days", type=int, default=3, help="whole UTC days before today")

    def handle(self, *args, out, size, days, **options):
        if connection.vendor != "sqlite":
            raise CommandError("dashboard_screenshot fills its database with the demo and a finance admin: it runs "
                               f"on the embedded SQLite only (make screenshot), not on {connection.vendor}")
        call_command("demo", once=True, size=size, days=days, stdout=self.stdout)
        password = secrets.token_urlsafe(12)
        self._finance_admin(password)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                  cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_serving(f"{base}/api/v1/health", server)
            _photograph(base, password, Path(out))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        self.stdout.write(f"saved {out}")

    @staticmethod
    def _finance_admin(password: str) -> None:
        user, _ = get_user_model().objects.get_or_create(username=USERNAME, defaults={"is_staff": True})
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=FINANCE_ADMIN))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"the web server exited with code {server.returncode} before serving {url}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise CommandError(f"the web server did not answer {url} within {SERVER_START_SECONDS} s")


def _photograph(base: str, password: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE, headless=True,
                                             args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{base}/admin/login/?next=/admin/")
            page.fill("#id_username", USERNAME)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_selector("#dashboard")
            page.wait_for_load_state("load")
            page.wait_for_timeout(1_000)  # Chart.js animates the bars in
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), clip=CLIP)
        finally:
            browser.close()
