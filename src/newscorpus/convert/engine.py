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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import ConfigError

T = TypeVar("T")
Outcomes = list[Any]
ENGINES = ("local", "dask")


class Engine(Protocol):
    """Runs ``fn`` over ``tasks`` and yields ``fn(task)`` for each task, in task order.

    ``staging`` is a folder the engine may keep per-task results in (beside the output);
    the batch never reads it."""

    name: str

    def map(self, fn: Callable[[T], Outcomes], tasks: Sequence[T], staging: Path) -> Iterator[Outcomes]:
        ...


class LocalEngine:
    """This process (``jobs == 1``) or ``jobs`` worker processes of this machine."""

    name = "local"

    def __init__(self, jobs: int = 1, prepare: Callable[[Any], None] | None = None) -> None:
        self.jobs = jobs
        self.prepare = prepare  # run before the workers fork (e.g. import the converters once)

    def map(self, fn: Callable[[T], Outcomes], tasks: Sequence[T], staging: Path) -> Iterator[Outcomes]:
        if self.jobs > 1 and len(tasks) > 1:
            if self.prepare is not None:
                self.prepare(tasks)
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                yield from pool.map(fn, tasks, chunksize=4)
        else:
            yield from map(fn, tasks)


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
