"""Project-wide templates (top-level ``templates/``): the admin's name and the PDF reports' shared layout."""

import pytest
from django.template.loader import get_template, render_to_string

pytestmark = pytest.mark.django_db


def test_every_admin_page_carries_the_products_name(client, finance_admin):
    login = client.get("/admin/login/").content.decode()
    assert "<title>Log in | Finance operations hub</title>" in login
    client.force_login(finance_admin)
    home = client.get("/admin/").content.decode()
    assert '<div id="site-name"><a href="/admin/">Finance operations hub</a></div>' in home


def test_a_report_fills_the_shared_pdf_layout():
    assert get_template("reconciliation/report.html").template.nodelist[0].parent_name.token == '"report_base.html"'
    page = render_to_string("report_base.html")
    assert "@page { size: A4" in page and 'counter(page) " of " counter(pages)' in page
