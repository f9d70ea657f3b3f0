"""The cache namespaces of analytics and their time-to-live (SPEC 9)."""

# Metrics of transactions (overview, by project, by status, trends): bumped after every ingest.
METRICS = "metrics"

OVERVIEW_TTL = 60
TRENDS_TTL = 300
BY_PROJECT_TTL = 300
BY_STATUS_TTL = 300
