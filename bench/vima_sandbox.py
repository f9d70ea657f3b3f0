"""Throughput of the Vima sandbox over HTTP: the update stream served to one keep-alive client.

    python -m bench.vima_sandbox --size 1000000 [--pages N]

The sandbox (world seed 42, --size payments over the 7 days before today, clock frozen a day after
the world ends, so every payment and every change is in the past) runs in a process of its own, so
the client's GIL does not slow it down. A plain ``httpx.Client`` reads the update stream from cursor
0 in pages of 100 (all of it, or --pages) and prints operations/s served and ms per page. Target:
≥ 30,000 operations/s. ``sandbox_process`` is shared with ``bench.vima_sync``.
"""

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx
import orjson

from bench.setup import cpu_yardstick, serving_process

API_KEY = "bench-key"
SEED = 42
DAYS = 7
PAGE_SIZE = 100  # Vima's maximum ``count``


def _serve(size: int, conn) -> None:
    """The sandbox process: build the world, listen on a free port, send back its URL, serve until terminated."""
    from integrations.sandbox.clock import Clock
    from integrations.sandbox.server import SandboxServer
    from integrations.sandbox.world import World
    from integrations.vima.sandbox import BASE_PATH, VimaSandbox

    world = World(seed=SEED, size=size, start=datetime.now(UTC).date() - timedelta(days=DAYS), days=DAYS)
    started = time.perf_counter()
    world.changes()  # built once, on the first update-stream request otherwise: set-up, not serving
    index_s = time.perf_counter() - started
    server = SandboxServer(VimaSandbox(world, api_key=API_KEY, clock=Clock(world.end + timedelta(days=1))))
    conn.send((server.url + BASE_PATH, index_s))
    conn.close()
    server.serve_forever()


def sandbox_process(size: int):
    """A Vima sandbox in a spawned process; yields (base URL, seconds it took to index the world's changes)."""
    return serving_process(_serve, size, name="vima-sandbox")


def read_update_stream(base_url: str, max_pages: int | None) -> tuple[int, list[float], float]:
    """Read pages until the stream ends or ``max_pages``; returns (operations, seconds per page, seconds parsing)."""
    operations, cursor, page_s, parse_s = 0, 0, [], 0.0
    with httpx.Client(base_url=base_url, timeout=30) as client:
        while max_pages is None or len(page_s) < max_pages:
            started = time.perf_counter()
            response = client.get("/operation", params={"apikey": API_KEY, "from_operation_update_id": cursor,
                                                        "count": PAGE_SIZE})
            response.raise_for_status()
            received = time.perf_counter()
            records = orjson.loads(response.content)  # the sandbox is measured, not the client's parser
            parse_s += time.perf_counter() - received
            page_s.append(time.perf_counter() - started)
            operations += len(records)
            if len(records) < PAGE_SIZE:
                break
            cursor = records[-1]["operation_update_id"]
    return operations, page_s, parse_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="payments in the world")
    parser.add_argument("--pages", type=int, default=None, help="stop after this many pages (default: all)")
    args = parser.parse_args()
    print(f"yardstick: {cpu_yardstick()}")

    with sandbox_process(args.size) as (base_url, index_s):
        print(f"vima sandbox: {args.size:,} payments, separate process, change index built in {index_s:.1f} s")
        started = time.perf_counter()
        operations, page_s, parse_s = read_update_stream(base_url, args.pages)
        elapsed = time.perf_counter() - started
    ms = sorted(s * 1000 for s in page_s)
    print(f"read {len(page_s):,} pages, {operations:,} operations in {elapsed:.1f} s")
    print(f"operations/s served: {operations / elapsed:,.0f}  (target >= 30,000)")
    print(f"ms per page: mean {statistics.fmean(ms):.2f}  p50 {ms[len(ms) // 2]:.2f}  p99 {ms[len(ms) * 99 // 100]:.2f}"
          f"  (of which client JSON parse {parse_s * 1000 / len(ms):.2f})")


if __name__ == "__main__":
    main()
