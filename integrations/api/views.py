"""GET /api/v1/sync/status and POST /api/v1/sync/trigger (SPEC 8)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import ChoiceParam
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import data_envelope
from common.api.scope import NotProjectLimited
from common.cache import cached
from common.sources import declarations, source_choices, source_names
from integrations.choices import SYNC_STATUS, SYNC_STATUS_TTL, RunTrigger
from integrations.selectors import sync_status
from integrations.tasks import sync_provider


class SyncStatusSerializer(serializers.Serializer):
    source = serializers.CharField()
    status = serializers.CharField(help_text="running, succeeded, failed or never_run")
    last_sync = serializers.DateTimeField(allow_null=True)
    last_sync_finished = serializers.DateTimeField(allow_null=True)
    last_successful_sync = serializers.DateTimeField(allow_null=True)
    records_synced = serializers.IntegerField()
    inserted = serializers.IntegerField()
    updated = serializers.IntegerField()
    quarantined = serializers.IntegerField()
    mode = serializers.CharField()
    error = serializers.CharField()
    next_scheduled_run = serializers.DateTimeField(allow_null=True)
    last_cursor = serializers.DictField(child=serializers.CharField())


class SyncStatusView(APIView):
    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="sync_status",
                   responses=data_envelope("SyncStatusList", SyncStatusSerializer(many=True)))
    def get(self, request):
        return Response({"data": cached(SYNC_STATUS, "status", ttl=SYNC_STATUS_TTL, compute=sync_status)})


class _TriggerRequest(serializers.Serializer):
    """Both fields optional; neither may be empty (leave a field out for "every provider", "its usual mode")."""

    # The choices from the declarations when a serializer is built, not when imported: every source is listed.
    source = ChoiceParam(source_choices, help_text="one provider; all of them when left out")
    mode = ChoiceParam(lambda: sorted({mode for d in declarations() for mode in d.modes}),
                       help_text="how to read (e.g. api or portal); the provider's usual mode when left out")


class SyncTriggerView(APIView):
    """Queue a sync of one provider or all; a provider already syncing skips the extra run."""

    permission_classes = [IsFinanceManager, NotProjectLimited]

    @extend_schema(operation_id="sync_trigger", request=_TriggerRequest,
                   responses={202: data_envelope("SyncQueued", serializers.DictField())})
    def post(self, request):
        asked = _TriggerRequest(data=request.data)
        asked.is_valid(raise_exception=True)
        sources = [asked.validated_data["source"]] if asked.validated_data.get("source") else sorted(source_names())
        return Response({"data": {"queued": syncs_queue(sources, mode=asked.validated_data.get("mode", ""))}},
                        status=status.HTTP_202_ACCEPTED)


def syncs_queue(sources: list[str], *, mode: str = "") -> list[dict]:
    """A sync task of each source, queued as asked through the API: ``[{source, task_id}]``."""
    return [{"source": source, "task_id": sync_provider.delay(source, trigger=RunTrigger.API, mode=mode).id}
            for source in sources]
