"""`make run`, exactly as the README gives it (on a free port and a temp state), answers the seed's
curl example with plain HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.e2e.saga_api import SagaApi

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_listener(api: SagaApi, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "make run exited"
        try:
            api.status("sequential-probe")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("make run did not start listening")


def test_make_run_serves_the_seed_example(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SAGA_SQLITE_PATH": str(tmp_path / "saga.db")}
    command = ["make", "-s", "run", f"PORT={port}", f"STATE={tmp_path / 'state.db'}"]
    with (tmp_path / "run.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    api = SagaApi(f"http://127.0.0.1:{port}")
    try:
        wait_for_listener(api, process)
        code, body = api.post("/api/saga/sequential", {"order_id": "123", "amount": 100})
        assert code == 202
        assert api.wait_until_done(body["id"])["saga_status"] == "completed"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
