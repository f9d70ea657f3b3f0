"""Routes of /api/v1/, one include per app."""

from django.urls import path

from common.api.views import HealthView
from transactions.api.views import TransactionDetailView, TransactionListView

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("transactions", TransactionListView.as_view(), name="transactions"),
    path("transactions/<uuid:pk>", TransactionDetailView.as_view(), name="transaction-detail"),
]
