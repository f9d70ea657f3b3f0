"""GET /api/v1/sync/status and POST /api/v1/sync/trigger (SPEC 8)."""

from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.permissions import IsFinanceManager
from integrations.choices import RunTrigger
from integrations.core.providers import PROVIDERS
from integrations.selectors import sync_status
from integrations.tasks import sync_provider


class SyncStatusView(APIView):
    def get(self, request):
        return Response({"data": sync_status()})


class _TriggerRequest(serializers.Serializer):
    source = serializers.ChoiceField(choices=sorted(PROVIDERS), required=False, allow_blank=True,
                                     help_text="one provider; all of them when left out")
    mode = serializers.ChoiceField(choices=["", "api", "portal"], required=False, default="")


class SyncTriggerView(APIView):
    """Queue a sync of one provider or all; a provider already syncing skips the extra run."""

    permission_classes = [IsFinanceManager]

    def post(self, request):
        asked = _TriggerRequest(data=request.data)
        asked.is_valid(raise_exception=True)
        sources = [asked.validated_data["source"]] if asked.validated_data.get("source") else sorted(PROVIDERS)
        queued = [
            {"source": source,
             "task_id": sync_provider.delay(source, trigger=RunTrigger.API, mode=asked.validated_data["mode"]).id}
            for source in sources
        ]
        return Response({"data": {"queued": queued}}, status=status.HTTP_202_ACCEPTED)
