"""Operational bookkeeping shared by every app: leases (expiring locks), process heartbeats, cache namespace
versions and files prepared by workers."""

from django.conf import settings
from django.db import models


class Lease(models.Model):
    """An expiring lock on a named piece of work, held by one worker at a time.

    A worker that dies simply stops renewing: once ``expires_at`` passes, the next claim wins.
    Claims are conditional updates (see ``common.services.lease_acquire``), so they are atomic
    on every database without advisory locks.
    """

    name = models.CharField(max_length=128, primary_key=True)
    holder = models.CharField(max_length=128, blank=True, default="")
    acquired_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} held by {self.holder or 'nobody'}"


class Heartbeat(models.Model):
    """When a long-running process (the Celery worker, beat) last proved it was alive."""

    name = models.CharField(max_length=64, primary_key=True)
    last_seen_at = models.DateTimeField()
    detail = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {self.last_seen_at:%Y-%m-%d %H:%M:%S}Z"


class TokenProjectLimit(models.Model):
    """Limits an API token to some projects: a partner's token sees only its own project's rows,
    totals, reconciliation results and exports. A token without limits sees every project."""

    token = models.ForeignKey("authtoken.Token", on_delete=models.CASCADE, related_name="project_limits")
    project = models.CharField(max_length=64, help_text="Our project slug, e.g. 91game.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "project"], name="token_project_limit_unique")]
        ordering = ["token", "project"]

    def __str__(self):
        return f"token of {self.token.user} limited to {self.project}"


class CacheNamespace(models.Model):
    """The version of one cache namespace (``common.cache``), kept where the data is.

    A write that changes a namespace's data bumps its version in its own database transaction, so the
    bump commits (or rolls back) with the data: a cache that stalls or drops a write cannot lose it.
    """

    name = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField(help_text="Part of every cached key of the namespace; a bump makes them unread.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"cache namespace {self.name} at version {self.version}"


class PreparedFile(models.Model):
    """A file a worker writes for a request too big to answer at once: a large XLSX export, a PDF report.

    The request answers 202 with the file's URL (``/api/v1/files/<id>``), which answers 202 until the
    file is ready and then gives it. ``renderer`` is the dotted path of the function that writes it
    (``common.prepared_files``); ``key`` names what was asked, so asking again gives the same file.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    renderer = models.CharField(max_length=128, help_text="Dotted path of the function that writes the file.")
    key = models.CharField(max_length=255, unique=True, help_text="What was asked: the same key, the same file.")
    params = models.JSONField(default=dict, blank=True)
    projects = models.JSONField(null=True, blank=True,
                                help_text="The projects the asker was limited to (null: every project).")
    shared = models.BooleanField(default=False, help_text="Any user may fetch it, not only the one who asked.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="files/%Y/%m/%d", blank=True)
    filename = models.CharField(max_length=255, blank=True, default="")
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Rows written, for a table.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or self.renderer} ({self.status})"


class UserProfile(models.Model):
    """What the product knows about a user beyond Django's account: the department they work in.

    Access to some data follows the department (the credit portfolio: ``settings.FINANCE_DEPARTMENT``).
    """

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="profile")
    department = models.CharField(max_length=128, blank=True, default="",
                                  help_text="e.g. finance; compared without regard to case.")

    class Meta:
        ordering = ["user"]

    def __str__(self):
        return f"{self.user} ({self.department or 'no department'})"
