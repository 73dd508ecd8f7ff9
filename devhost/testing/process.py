"""The dev host as a subprocess (``python -m devhost``), as `make run` starts it: temp state, an
app store path in the environment, kill -9 and restart on the same state and port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from devhost.testing.client import HostClient

ROOT = Path(__file__).resolve().parents[2]
# App settings the real app's bindings reference (%EVENTHUB_NAME%); a test may override them.
APP_DEFAULTS = {"EVENTHUB_NAME": "saga-events", "SAGA_HISTORY_PURGE_SCHEDULE": "0 0 * * * *"}
_LISTENING = re.compile(rb"dev host listening on (http://\S+)")


class DevHostProcess:
    def __init__(
        self,
        workdir: Path,
        app: str = "function_app:app",
        app_dir: Path = ROOT,
        env: dict[str, str] | None = None,
        virtual: bool = False,
        entry: tuple[str, ...] = ("-m", "devhost"),
        cwd: Path = ROOT,
    ) -> None:
        self.workdir = workdir
        self.state_path = workdir / "devhost.db"
        self.store_path = workdir / "saga.db"  # the app's SQLite store (SAGA_SQLITE_PATH)
        self.log_path = workdir / "devhost.log"
        self.env = {**os.environ, **APP_DEFAULTS, "SAGA_SQLITE_PATH": str(self.store_path)}
        self.env.update(env or {})
        self.args = ["--app", app, "--app-dir", str(app_dir), "--state", str(self.state_path)]
        self.args += ["--time", "virtual" if virtual else "real"]
        # What runs the host, from where: the benchmarks run another version's tree (cwd).
        self.entry, self.cwd = entry, cwd
        self.port = 0  # 0 until the first start picked a free one; restarts keep it
        self.base_url = ""
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def client(self) -> HostClient:
        return HostClient(self.base_url)

    def start(self, timeout: float = 20) -> DevHostProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, *self.entry, *self.args, "--port", str(self.port)],
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.base_url = self._wait_until_listening(timeout)
        self.port = int(self.base_url.rsplit(":", 1)[1])
        return self

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def restart(self) -> DevHostProcess:
        self.kill()
        return self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _wait_until_listening(self, timeout: float) -> str:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        deadline = time.monotonic() + timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            found = _LISTENING.search(self.log_path.read_bytes()[offset:])
            if found:
                return found.group(1).decode()
            if self.process.poll() is not None:
                raise RuntimeError(f"dev host exited with {self.process.returncode}:\n{self.log()}")
            time.sleep(0.02)
        raise RuntimeError(f"dev host did not start within {timeout}s:\n{self.log()}")
