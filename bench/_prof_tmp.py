import time
from bench.api import _setup, _client
_setup()
from datetime import UTC, datetime, timedelta
c = _client()
today = datetime.now(UTC).date()
month = {"from_date": str(today - timedelta(days=29)), "to_date": str(today)}
c.get("/api/v1/metrics/overview", month)
s=time.perf_counter()
for _ in range(1500): c.get("/api/v1/metrics/overview", month)
print((time.perf_counter()-s)/1500*1000)
