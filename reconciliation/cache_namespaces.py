"""The reconciliation cache namespace (SPEC 9): bumped when a run finishes or a review changes."""

RECONCILIATION = "reconciliation"
SUMMARY_TTL = 3600
