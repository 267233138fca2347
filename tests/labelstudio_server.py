"""Start a real, throw-away Label Studio server for tests.

The server runs from its own virtualenv (``.venv-ls``) on a copy of an initialised data
directory (``.ls-template``); both are made by ``tools/labelstudio.sh install template``.
Starting from the copy takes a few seconds instead of ~45 s of migrations.

Usage::

    with LabelStudioServer() as ls:
        client = LabelStudio(base_url=ls.url, api_key=ls.token)
        ...
        ls.kill()    # or ls.stop(): same data dir and port survive
        ls.start()   # back up on the same port, data intact

This is a helper module, not a conftest: ``from tests.labelstudio_server import
LabelStudioServer`` in a fixture.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_DIR = REPO_ROOT / ".venv-ls"
TEMPLATE_DIR = REPO_ROOT / ".ls-template"
ENV_FILE = REPO_ROOT / "tools" / "labelstudio-test.env"
TEMPLATE_MARKER = ".newscorpus-template-ok"
SETUP_HINT = "run `tools/labelstudio.sh install template` in the repository root"

# Environment for the server process. SSRF protection off so webhooks to 127.0.0.1 work;
# no version check, analytics or Sentry reports (the test machine has no internet).
SERVER_ENV = {
    "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
    "LABEL_STUDIO_SSRF_PROTECTION_ENABLED": "false",
    "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
    "LABEL_STUDIO_SENTRY_DSN": "",
    "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",
}
# Variables from the test process that must not leak into the server's Python/Django.
_DROP_ENV = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")


class LabelStudioServerError(RuntimeError):
    """The server could not be set up, started or stopped."""


def read_test_env(path: Path = ENV_FILE) -> dict[str, str]:
    """Parse the KEY=VALUE file holding the test-only credentials."""
    if not path.is_file():
        raise LabelStudioServerError(f"missing {path}")
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise LabelStudioServerError(f"{path}: bad line {raw!r}")
        values[key.strip()] = value.strip()
    return values


def free_port(host: str = "127.0.0.1") -> int:
    """A loopback port that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


class LabelStudioServer:
    """A Label Studio server on a private copy of the template data dir.

    ``url`` is ``http://127.0.0.1:<port>``; ``token`` is the legacy API token
    (``Authorization: Token <token>``). ``stop()``/``kill()`` then ``start()`` reuse the same
    data dir and port. ``close()`` stops the server and deletes the temp dir.
    """

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        base_dir: str | os.PathLike[str] | None = None,
        port: int | None = None,
        startup_timeout: float = 120.0,
        venv_dir: Path = VENV_DIR,
        template_dir: Path = TEMPLATE_DIR,
    ) -> None:
        self.executable = Path(venv_dir) / "bin" / "label-studio"
        self.template_dir = Path(template_dir)
        if not self.executable.is_file() or not os.access(self.executable, os.X_OK):
            raise LabelStudioServerError(
                f"Label Studio is not installed: {self.executable} is missing; {SETUP_HINT}"
            )
        if not (self.template_dir / TEMPLATE_MARKER).is_file():
            raise LabelStudioServerError(
                f"Label Studio template data dir {self.template_dir} is missing or incomplete; "
                f"{SETUP_HINT}"
            )
        creds = read_test_env()
        self.username = creds["LS_USERNAME"]
        self.password = creds["LS_PASSWORD"]
        self.token = creds["LS_TOKEN"]
        self.startup_timeout = startup_timeout
        self.port = port if port is not None else free_port(self.host)
        self.url = f"http://{self.host}:{self.port}"
        self._base_dir = base_dir
        self.workdir: Path | None = None
        self.data_dir: Path | None = None
        self.log_path: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_file = None
        self.last_start_seconds: float | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> LabelStudioServer:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _prepare(self) -> None:
        if self.workdir is not None:
            return
        self.workdir = Path(tempfile.mkdtemp(prefix="newscorpus-ls-", dir=self._base_dir))
        self.data_dir = self.workdir / "data"
        self.log_path = self.workdir / "label-studio.log"
        shutil.copytree(self.template_dir, self.data_dir, symlinks=True)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start the server (copying the template on first use) and wait for /health."""
        if self.running:
            raise LabelStudioServerError(f"Label Studio is already running on {self.url}")
        self._prepare()
        assert self.data_dir is not None and self.log_path is not None
        if not _port_is_free(self.host, self.port):
            # label-studio would silently move to port+1; refuse instead.
            raise LabelStudioServerError(f"port {self.port} on {self.host} is busy")
        env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
        env.update(SERVER_ENV)
        env["LABEL_STUDIO_BASE_DATA_DIR"] = str(self.data_dir)
        cmd = [
            str(self.executable),
            "start",
            "--no-browser",
            "--data-dir",
            str(self.data_dir),
            "--internal-host",
            self.host,
            "--port",
            str(self.port),
        ]
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._log_file.write(f"\n=== {time.strftime('%H:%M:%S')} $ {' '.join(cmd)}\n".encode())
        self._log_file.flush()
        t0 = time.monotonic()
        self._proc = subprocess.Popen(
            cmd,
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() signals the whole tree
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.kill()
            raise
        self.last_start_seconds = time.monotonic() - t0

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            assert self._proc is not None
            code = self._proc.poll()
            if code is not None:
                raise LabelStudioServerError(
                    f"Label Studio exited with code {code} before answering /health on "
                    f"{self.url}\n{self.log_tail()}"
                )
            try:
                if self.health() == {"status": "UP"}:
                    return
                last_error = "health not UP"
            except (OSError, ValueError) as exc:
                last_error = repr(exc)
            time.sleep(0.25)
        raise LabelStudioServerError(
            f"Label Studio did not answer GET {self.url}/health with status UP within "
            f"{self.startup_timeout:.0f} s (last error: {last_error})\n{self.log_tail()}"
        )

    def health(self, timeout: float = 2.0) -> object:
        """GET /health on our exact port and return the decoded JSON."""
        with urllib.request.urlopen(f"{self.url}/health", timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def stop(self, timeout: float = 20.0) -> None:
        """Stop gracefully (SIGTERM to the process group), SIGKILL after ``timeout``."""
        self._terminate(signal.SIGTERM, timeout)

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        self._terminate(signal.SIGKILL, 10.0)

    def _terminate(self, sig: signal.Signals, timeout: float) -> None:
        proc, self._proc = self._proc, None
        try:
            if proc is not None and proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, sig)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
            if proc is not None:
                # Children left in the group (none expected with runserver --noreload).
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
        finally:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None
        self._wait_port_released()

    def _wait_port_released(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _port_is_free(self.host, self.port):
                return
            time.sleep(0.1)

    def close(self) -> None:
        """Stop the server and delete its temp dir (data and log)."""
        try:
            self.stop()
        finally:
            if self.workdir is not None:
                shutil.rmtree(self.workdir, ignore_errors=True)
                self.workdir = self.data_dir = self.log_path = None

    # -- diagnostics -----------------------------------------------------------------------

    def log_tail(self, lines: int = 60) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no server log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last {lines} lines of {self.log_path} ---\n{tail}"

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<LabelStudioServer {self.url} {state} data_dir={self.data_dir}>"
