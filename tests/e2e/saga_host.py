"""Starts the real app on the dev host as a subprocess (temp state and store, free port)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class SagaHost:
    base_url: str
    store_path: str
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dev host exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it serves
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dev host did not start in time")


@pytest.fixture(scope="module")
def saga_host_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[dict[str, str]], SagaHost]]:
    hosts: list[SagaHost] = []

    def start(app_env: dict[str, str]) -> SagaHost:
        workdir = tmp_path_factory.mktemp("host")
        port = free_port()
        env = {**os.environ, "SAGA_SQLITE_PATH": str(workdir / "saga.db"), **app_env}
        log = (workdir / "host.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "devhost",
                "--app",
                "function_app:app",
                "--port",
                str(port),
                "--state",
                str(workdir / "state.db"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        host = SagaHost(f"http://127.0.0.1:{port}", env["SAGA_SQLITE_PATH"], process)
        hosts.append(host)
        wait_until_serving(f"{host.base_url}/api/saga/x-0/status", process)
        return host

    yield start
    for host in hosts:
        host.process.kill()
        host.process.wait()
