"""Test-only views that raise each kind of error, to check the API's error envelope."""

from django.urls import path
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from common.api.permissions import IsFinanceManager
from common.errors import ApplicationError, ErrorCode

THROTTLE_CACHE_KEY = "tests:throttle:errors"


class _View(APIView):
    # Throttling is off except where tested: the suite's anonymous calls must not trip the anon rate.
    throttle_classes = []


class InvalidView(_View):
    permission_classes = []

    def get(self, request):
        raise exceptions.ValidationError({"from_date": ["Enter a valid date."]})


class UpstreamView(_View):
    permission_classes = []

    def get(self, request):
        raise ApplicationError("Vima answered 503.", code=ErrorCode.UPSTREAM_ERROR, details={"provider": "vima"})


class CrashView(_View):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")


class ManagerOnlyView(_View):
    permission_classes = [IsFinanceManager]

    def get(self, request):
        return Response({"data": {"user": request.user.username}})


class OncePerMinute(SimpleRateThrottle):
    rate = "1/minute"

    def get_cache_key(self, request, view):
        return THROTTLE_CACHE_KEY


class ThrottledView(_View):
    permission_classes = []
    throttle_classes = [OncePerMinute]

    def get(self, request):
        return Response({"data": "ok"})


urlpatterns = [
    path("api/v1/invalid", InvalidView.as_view()),
    path("api/v1/upstream", UpstreamView.as_view()),
    path("api/v1/crash", CrashView.as_view()),
    path("api/v1/manager-only", ManagerOnlyView.as_view()),
    path("api/v1/throttled", ThrottledView.as_view()),
]
