"""Operational bookkeeping shared by every app: leases (expiring locks) and process heartbeats."""

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
