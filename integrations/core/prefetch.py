"""Overlap fetching with writing: a thread pulls the next pages while the caller stores the current ones."""

import queue
import threading
from collections.abc import Iterable, Iterator

_DONE = object()


def prefetched(items: Iterable, *, depth: int) -> Iterator:
    """Yield ``items`` in order, produced up to ``depth`` ahead by a background thread.

    An exception in the producer is raised in the consumer at the point it would have occurred.
    If the consumer stops early, the producer is told to stop after its current item.
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce():
        try:
            for item in items:
                if stop.is_set():
                    return
                buffer.put((item, None))
        except BaseException as exc:  # noqa: BLE001 — handed to the consumer, which re-raises it
            buffer.put((_DONE, exc))
            return
        buffer.put((_DONE, None))

    thread = threading.Thread(target=produce, name="prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, error = buffer.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full buffer
            try:
                buffer.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()
