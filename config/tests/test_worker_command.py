"""`manage.py worker` as a supervisor stops it: a SIGTERM to its whole process group (honcho at Ctrl-C in
`make run`, `kill -- -PID`) is a warm shutdown of the main process, not every pool process killed mid-task."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from config.queues import all_queues

READY_TIMEOUT_S = 60
STOP_TIMEOUT_S = 60


def test_a_sigterm_to_the_workers_group_shuts_it_down_without_killing_its_pool(tmp_path):
    # Its own embedded world (SQLite, filesystem broker in tmp_path): started against the CI's RabbitMQ it
    # would consume the queues of whatever else uses that broker.
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.base")
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "manage.py", "worker", "--concurrency=2", "--loglevel=INFO"],
                                  cwd=Path(settings.BASE_DIR), env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # a group of its own, as honcho starts it
        try:
            _wait_for(lambda: b" ready." in log.read_bytes(), READY_TIMEOUT_S, log)
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=STOP_TIMEOUT_S)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
    text = log.read_text()
    assert "Warm shutdown" in text
    assert "exited with 'signal 15 (SIGTERM)'" not in text and "ERROR" not in text, text[-2000:]
    for queue in all_queues():  # and it consumed every queue the registry routes to
        assert f".> {queue} " in text


def _wait_for(ready, timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        assert time.monotonic() < deadline, f"the worker did not start: {log.read_text()[-2000:]}"
        time.sleep(0.2)
