"""Routes of /api/v1/credit-portfolio/."""

from django.urls import path

from credit_portfolio import selectors
from credit_portfolio.api.views import ExportView, ImportsView, PreviewView, answer_view

urlpatterns = [
    *(path(name, answer_view(name), name=f"credit-portfolio-{name}") for name in selectors.ANSWERS),
    path("export", ExportView.as_view(), name="credit-portfolio-export"),
    path("imports", ImportsView.as_view(), name="credit-portfolio-imports"),
    path("imports/preview", PreviewView.as_view(), name="credit-portfolio-import-preview"),
]
