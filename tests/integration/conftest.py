"""Fixtures of the integration tests: a Label Studio server for each test module that asks for
one (and a client of it), and a Dask scheduler and two workers on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newscorpus.annotate.client import LabelStudioClient, Secret
from tests.conftest import REPO
from tests.labelstudio_server import LabelStudioServer

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"),
                                                               os.environ.get("PYTHONPATH")]))}


@pytest.fixture(scope="module")
def ls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudioServer]:
    with LabelStudioServer(base_dir=tmp_path_factory.mktemp("labelstudio")) as server:
        yield server


@pytest.fixture
def client(ls: LabelStudioServer) -> Iterator[LabelStudioClient]:
    with LabelStudioClient(ls.url, Secret(ls.token)) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A ``dask scheduler`` and two ``dask worker`` processes, as the README starts them."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = (tmp_path / "dask.log").open("wb")
    dask = [sys.executable, "-m", "dask"]
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], env=ENV, stdout=log, stderr=log, cwd=tmp_path)
    workers = [subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--host", "127.0.0.1"],
                                env=ENV, stdout=log, stderr=log, cwd=tmp_path) for _ in range(2)]
    try:
        from distributed import Client

        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        yield Cluster(address, scheduler, workers)
    finally:
        for p in [*workers, scheduler]:
            p.kill()
            p.wait()
        log.close()
