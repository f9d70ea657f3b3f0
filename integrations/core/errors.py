"""Errors a provider integration raises; all carry a code the API maps to its envelope."""

from common.errors import ApplicationError, ErrorCode


class UpstreamError(ApplicationError):
    """A provider answered badly or not at all, after retries. ``permanent`` says retrying won't help."""

    default_code = ErrorCode.UPSTREAM_ERROR

    def __init__(self, message: str, *, status: int | None = None, body: str = "", permanent: bool = False,
                 evidence: dict[str, bytes] | None = None):
        super().__init__(message, details={"status": status, "body": body[:500]})
        self.status, self.body, self.permanent = status, body[:500], permanent
        # Files that show what went wrong (a screenshot, the page's HTML); the runner keeps them with the run.
        self.evidence = evidence or {}


class SyncAlreadyRunning(ApplicationError):
    """Another worker holds this provider's sync lease."""

    default_code = ErrorCode.CONFLICT
