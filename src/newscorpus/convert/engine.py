"""Conversion engines: what runs the per-input conversion of a batch.

An engine maps the batch's per-input function over its tasks and yields each task's outcomes
(records with their MinHash signature, rejections, skips) *in task order*, so that the batch
merges them the same way whatever ran them: the articles, duplicate groups, quarantine and
summary are the same bytes under every engine.

- :class:`LocalEngine` (``--engine local``, the default): this process, or ``jobs`` worker
  processes on this machine.
- :class:`~newscorpus.convert.dask_engine.DaskEngine` (``--engine dask``, the optional extra
  ``newscorpus[dask]``): a Dask cluster, one task per input file (a *shard*), each shard's
  outcomes staged on disk with a completion marker so that an interrupted run resumes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")
Outcomes = list[Any]
ENGINES = ("local", "dask")


class Engine(Protocol):
    """Runs the tasks of a batch.

    :meth:`map` runs ``fn`` over ``tasks`` (conversion shards, each with a stable ``key``
    and, optionally, a ``cost``: its size in bytes, what :func:`batches` plans by) and
    yields ``fn(task)`` for each task, in task order; ``staging`` is a folder the engine
    may keep per-task results in (beside the output). :meth:`run` runs small tasks (the
    duplicate search's band partitions) and returns their results in task order.
    :meth:`session` keeps the engine's workers (processes, a cluster client) for both.
    ``parallelism`` is how many tasks it runs at once (the number of band partitions)."""

    name: str
    parallelism: int

    def session(self) -> AbstractContextManager[None]:
        ...

    def map(self, fn: Callable[[T], Outcomes], tasks: Sequence[T], staging: Path) -> Iterator[Outcomes]:
        ...

    def run(self, fn: Callable[[T], R], tasks: Sequence[T]) -> list[R]:
        ...


class LocalEngine:
    """This process (``jobs == 1``) or ``jobs`` worker processes of this machine, started
    once per session (conversion shards and band partitions share them)."""

    name = "local"

    def __init__(self, jobs: int = 1, prepare: Callable[[Any], None] | None = None) -> None:
        self.jobs = jobs
        self.parallelism = max(1, jobs)
        self.prepare = prepare  # run before the workers fork (e.g. import the converters once)
        self._pool: ProcessPoolExecutor | None = None

    @contextmanager
    def session(self) -> Iterator[None]:
        if self.jobs <= 1 or self._pool is not None:
            yield
            return
        # workers start at the first submit, after ``prepare``: they inherit what it loaded
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            self._pool = pool
            try:
                yield
            finally:
                self._pool = None

    def map(self, fn: Callable[[T], Outcomes], tasks: Sequence[T], staging: Path) -> Iterator[Outcomes]:
        if self.jobs > 1 and len(tasks) > 1:
            if self.prepare is not None:
                self.prepare(tasks)
            with self.session():
                assert self._pool is not None
                yield from _in_task_order(self._pool, fn, tasks, self.jobs)
        else:
            yield from map(fn, tasks)

    def run(self, fn: Callable[[T], R], tasks: Sequence[T]) -> list[R]:
        if self.jobs > 1 and len(tasks) > 1:
            with self.session():
                assert self._pool is not None
                return list(self._pool.map(fn, tasks))
        return [fn(t) for t in tasks]


def _run_batch(fn: Callable[[T], Outcomes], tasks: list[T]) -> list[Outcomes]:
    return [fn(t) for t in tasks]


def _in_task_order(pool: ProcessPoolExecutor, fn: Callable[[T], Outcomes], tasks: Sequence[T],
                   jobs: int) -> Iterator[Outcomes]:
    """``fn(task)`` for each task, in task order, the :func:`batches` sent largest first: a
    batch's outcomes wait (in this process) until those of every task before it are given."""
    plan = batches(tasks, jobs)
    futures: list[Future[list[Outcomes]]] = [pool.submit(_run_batch, fn, [tasks[i] for i in b]) for b in plan]
    where = {i: (n, k) for n, b in enumerate(plan) for k, i in enumerate(b)}
    done: dict[int, list[Outcomes]] = {}
    try:
        for i in range(len(tasks)):
            n, k = where[i]
            if n not in done:
                done[n] = futures[n].result()
            yield done[n][k]
            if k == len(plan[n]) - 1:
                del done[n]  # a batch's tasks are in task order: all of them given
    finally:
        for future in futures:
            future.cancel()


def tasks_per_batch(tasks: int, jobs: int) -> int:
    """Tasks sent to a worker at once (a process pool's batch, shards in one Dask task): few
    round trips, yet enough batches to balance ``jobs`` workers."""
    return max(1, min(4, tasks // (jobs * 8)))


def batches(tasks: Sequence[Any], jobs: int) -> list[list[int]]:
    """The tasks (their positions) in batches for ``jobs`` workers, largest first: tasks are
    taken by decreasing ``cost`` (their size in bytes; equal costs, or none, keep task order),
    so that the run does not end with one worker converting a big shard while the others wait;
    a batch holds up to :func:`tasks_per_batch` tasks, fewer when their cost passes an eighth of
    a worker's share (a big shard goes alone). Each batch lists its tasks in task order."""
    costs = [max(0, int(getattr(t, "cost", 0) or 0)) for t in tasks]
    order = sorted(range(len(tasks)), key=lambda i: -costs[i])
    most = tasks_per_batch(len(tasks), jobs)
    share = sum(costs) / (max(1, jobs) * 8)
    plan: list[list[int]] = []
    cost = 0
    for i in order:
        if not plan or len(plan[-1]) >= most or (cost + costs[i] > share and cost > 0):
            plan.append([])
            cost = 0
        plan[-1].append(i)
        cost += costs[i]
    return [sorted(b) for b in plan]


def make_engine(name: str = "local", *, jobs: int = 1, scheduler: str | None = None,
                workers: int | None = None) -> Engine | None:
    """The engine called ``name``; ``None`` for the local engine (the batch's own default,
    with ``jobs`` processes). ``scheduler`` (``tcp://HOST:PORT``) and ``workers`` are the
    Dask engine's: connect to a running scheduler, or start ``workers`` local processes."""
    if name == "local":
        if scheduler is not None or workers is not None:
            raise ConfigError("--scheduler and --workers need --engine dask")
        return None
    if name == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(scheduler=scheduler, workers=workers or jobs)
    raise ConfigError(f"unknown engine {name!r} (known engines: {', '.join(ENGINES)})")


def staging_dir(output: Path) -> Path:
    """Where an engine stages the shards of a conversion into ``output``: a hidden folder
    beside it, removed once the output is written."""
    return output.with_name(f".{output.stem}.staging")


def clear_staging(output: Path) -> None:
    """Remove the staging folder of ``output`` once the output is written."""
    shutil.rmtree(staging_dir(output), ignore_errors=True)
