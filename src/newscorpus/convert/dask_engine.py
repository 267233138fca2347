"""The Dask engine (``--engine dask``, optional extra ``newscorpus[dask]``).

One Dask task per shard (an input file, or a byte range of a large JSONL file). A worker
converts its shard (records, rejections, skips; the records' MinHash signatures and band
keys go to ``<key>.sig.npy``/``<key>.band.npy``) and writes the outcomes to the staging
folder: a pickle written to a temporary name, fsynced and renamed, then a ``.done``
completion marker. The driver reads the shards back in task order, so the merge is the local
engine's; the duplicate search's band partitions then run as tasks too (:meth:`DaskEngine.run`).

- A shard whose marker exists (the same input path, size, modification time, format and
  options) is not converted again: a driver interrupted mid-run resumes where it stopped.
- A task whose worker dies is run again on another worker (Dask reschedules it), and a task
  that raises is retried; a shard written twice is the same file renamed over itself, so
  nothing is lost or doubled.

The staging folder must be visible to the workers at the same path (a shared filesystem on
a cluster; any folder on one machine). It is removed once the output is written.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ConfigError, MissingDependencyError, NewscorpusError
from .engine import Outcomes, batches

RETRIES = 2
R = TypeVar("R")
EXTRA_HINT = "the dask engine needs the optional extra: pip install 'newscorpus[dask]'"


def _client_modules() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise MissingDependencyError(f"{EXTRA_HINT} ({exc.name} is not installed)") from None
    return distributed


def _paths(staging: Path, key: str) -> tuple[Path, Path]:
    return staging / f"{key}.pkl", staging / f"{key}.done"


def run_shard(fn: Callable[[Any], Outcomes], task: Any, staging: str, key: str) -> str:
    """Convert one shard on a worker and stage its outcomes; returns ``key``."""
    data, done = _paths(Path(staging), key)
    if done.is_file():
        return key
    outcomes = fn(task)
    tmp = data.with_name(f"{data.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(outcomes, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(data)
    done.write_bytes(b"")
    return key


def run_shards(fn: Callable[[Any], Outcomes], tasks: list[Any], staging: str, keys: list[str]) -> list[str]:
    """Several shards in one Dask task (fewer round trips to the scheduler); each shard is
    staged with its own marker as soon as it is converted."""
    return [run_shard(fn, task, staging, key) for task, key in zip(tasks, keys, strict=True)]


def read_shard(staging: Path, key: str) -> Outcomes:
    data, _ = _paths(staging, key)
    with data.open("rb") as fh:
        outcomes: Outcomes = pickle.load(fh)
    return outcomes


class DaskEngine:
    """Runs the shards on a Dask cluster: the scheduler at ``scheduler`` (``tcp://HOST:PORT``),
    or a local cluster of ``workers`` processes started for the run."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 1, connect_timeout: float = 30) -> None:
        _client_modules()  # fail before any work when the extra is missing
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self.workers = max(1, workers)
        self.parallelism = max(2, self.workers)  # band partitions: at least two, any cluster
        self._session: Any = None  # the client of the open session
        self.resumed = 0  # shards of the last run read back from the staging folder
        self.submitted = 0  # shards of the last run sent to the workers

    @contextmanager
    def _client(self) -> Iterator[Any]:
        distributed = _client_modules()
        if self.scheduler is not None:
            try:
                client = distributed.Client(self.scheduler, timeout=self.connect_timeout,
                                            set_as_default=False)
            except (OSError, ValueError, TypeError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise ConfigError(f"cannot reach the Dask scheduler at {self.scheduler}: {reason}") from None
            with client:
                yield client
            return
        with distributed.LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster, set_as_default=False) as client:
            yield client

    @contextmanager
    def session(self) -> Iterator[None]:
        """One cluster client (and local cluster) for every task of the run."""
        if self._session is not None:
            yield
            return
        with self._client() as client:
            self._session = client
            try:
                yield
            finally:
                self._session = None

    def map(self, fn: Callable[[Any], Outcomes], tasks: Sequence[Any], staging: Path) -> Iterator[Outcomes]:
        """Shards by their ``key``: staged outcomes with a completion marker (resume)."""
        staging = staging.resolve()
        staging.mkdir(parents=True, exist_ok=True)
        # Workers may run in another folder: they get absolute paths (records keep the names).
        tasks = [replace(t, path=t.path.resolve()) if isinstance(t.path, Path) else t for t in tasks]
        keys = [t.key for t in tasks]
        pending = {i: k for i, k in enumerate(keys) if not _paths(staging, k)[1].is_file()}
        self.resumed, self.submitted = len(keys) - len(pending), len(pending)
        if not pending:
            for key in keys:
                yield read_shard(staging, key)
            return
        order = list(pending)
        # shards per Dask task, largest first (see engine.batches)
        plan = [[order[k] for k in b] for b in batches([tasks[i] for i in order], self.parallelism)]
        with self.session():
            client = self._session
            futures = [client.submit(run_shards, fn, [tasks[i] for i in batch], str(staging),
                                     [keys[i] for i in batch], key=f"shards-{keys[batch[0]]}-{len(batch)}",
                                     retries=RETRIES, pure=False) for batch in plan]
            of = {i: n for n, batch in enumerate(plan) for i in batch}
            for i, key in enumerate(keys):
                if i in of and futures[of[i]] is not None:
                    _result(futures[of[i]], tasks[i].name)
                    futures[of[i]] = None  # done: its shards are staged
                yield read_shard(staging, key)

    def run(self, fn: Callable[[Any], R], tasks: Sequence[Any]) -> list[R]:
        """Small tasks (the band partitions of the duplicate search) on the cluster."""
        with self.session():
            futures = [self._session.submit(fn, t, retries=RETRIES, pure=False) for t in tasks]
            return [_result(f, f"{getattr(fn, '__name__', 'task')} {i + 1}/{len(tasks)}")
                    for i, f in enumerate(futures)]


def _result(future: Any, name: str) -> Any:
    """The result of ``future``; a task the cluster gave up on is a one-line error."""
    try:
        return future.result()
    except (NewscorpusError, OSError):
        raise  # what the local engine raises too
    except Exception as exc:  # the cluster gave up on the task (e.g. KilledWorker)
        raise NewscorpusError(f"{name}: the Dask task failed ({type(exc).__name__}: "
                              f"{str(exc).splitlines()[0] if str(exc) else ''}); "
                              "run again to resume from the staged shards") from None
