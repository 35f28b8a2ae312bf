"""Where jobs run: in local worker processes, on a Dask cluster, or (tests) in this process.

Each executor takes an iterable of jobs (pulled lazily, as workers become free, so memory does
not grow with the batch) and yields results as they finish, in any order. Pool and Dask jobs run
in worker processes with a hard deadline and a memory cap (:mod:`infographic.isolation`): a job
that hangs, or asks for gigabytes, fails its row and the batch goes on.
"""

from __future__ import annotations

import os
import traceback
from typing import Any, Iterable, Iterator, Protocol

from .. import limits
from ..errors import InfographicError, LimitError
from ..isolation import IsolatedPool, Task, memory_budget, run_isolated
from .plan import Job
from .worker import JobResult, render_job


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Executor(Protocol):
    workers: int

    def run(self, jobs: Iterable[Job]) -> Iterator[JobResult]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Render in this process, one job after the other, with no hard deadline: for tests,
    debugging and embedding (``run_batch(options, SerialExecutor())``). The command line always
    uses :class:`PoolExecutor`."""

    workers = 1

    def run(self, jobs: Iterable[Job]) -> Iterator[JobResult]:
        for job in jobs:
            try:
                yield render_job(job)
            except MemoryError:
                yield _failed(job, LimitError("the render ran out of memory"))

    def close(self) -> None:
        pass


def _failed(job: Job, exc: BaseException) -> JobResult:
    if isinstance(exc, InfographicError):
        exc.with_row(job.row)
        return JobResult(job, error=str(exc), reason=exc.message, field=exc.field)
    detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return JobResult(job, error=f"row {job.row}: internal error while rendering: {detail}",
                     reason=f"internal error: {detail}")


def _task(job: Job, seconds: float) -> Task:
    return Task(render_job, (job,), seconds=seconds, memory=memory_budget(job.pixels), tag=job)


def render_job_isolated(job: Job, seconds: float | None = None) -> JobResult:
    """:func:`render_job` in a worker process of this one, with a hard deadline and a memory
    cap: what a Dask worker runs (a task on a Dask worker cannot be killed on its own)."""
    try:
        return run_isolated(render_job, job, seconds=seconds, memory=memory_budget(job.pixels))
    except Exception as exc:
        return _failed(job, exc)


class PoolExecutor:
    """Local worker processes (:mod:`infographic.isolation`), one job each at a time.

    A job past its deadline (``seconds``) has its worker killed and its row failed with the
    reason; so does a job that runs out of its memory budget (it grows with the output's pixels)
    or kills its worker. A fresh worker takes the next job: one row never stops the batch.
    """

    def __init__(self, workers: int, seconds: float | None = None) -> None:
        self.workers = workers
        self.seconds = limits.ISOLATED_SECONDS if seconds is None else seconds
        self._pool = IsolatedPool(workers)

    def start(self) -> None:
        """Start the workers (call before starting threads, so they can be forked)."""
        self._pool.start()

    def run(self, jobs: Iterable[Job]) -> Iterator[JobResult]:
        """Results as they finish, in any order."""
        for outcome in self._pool.run(_task(job, self.seconds) for job in jobs):
            job = outcome.task.tag
            yield outcome.value if outcome.error is None else _failed(job, outcome.error)

    def close(self) -> None:
        self._pool.close()


class DaskExecutor:
    """Render on a Dask distributed cluster (``pip install 'infographic[dask]'``).

    ``address`` is a scheduler (``tcp://host:8786``); without one a ``LocalCluster`` of
    ``workers`` single-threaded worker processes is started for the batch. Workers need this
    package installed; they send back bytes, so they need no access to the output folder.
    """

    def __init__(self, address: str | None = None, workers: int | None = None,
                 seconds: float | None = None, **cluster_options: Any) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InfographicError("the Dask executor needs the 'dask' extra: "
                                   "pip install 'infographic[dask]'") from None
        self._cluster = None
        if address:
            self._client = Client(address)
        else:
            options = {"n_workers": workers or default_jobs(), "threads_per_worker": 1,
                       "processes": True, "dashboard_address": ":0", **cluster_options}
            self._cluster = LocalCluster(**options)
            self._client = Client(self._cluster)
        self.workers = max(1, sum(self._client.nthreads().values()))
        self.seconds = limits.ISOLATED_SECONDS if seconds is None else seconds

    def run(self, jobs: Iterable[Job]) -> Iterator[JobResult]:
        from distributed import as_completed

        window = self.workers * 2
        source = iter(jobs)
        futures = as_completed()
        in_flight: dict[Any, Job] = {}

        def submit() -> bool:
            job = next(source, None)
            if job is None:
                return False
            future = self._client.submit(render_job_isolated, job, self.seconds, pure=False)
            in_flight[future] = job
            futures.add(future)
            return True

        while len(in_flight) < window and submit():
            pass
        for future in futures:
            job = in_flight.pop(future)
            try:
                yield future.result()
            except Exception as exc:  # the worker died or the cluster lost the task
                yield _failed(job, LimitError(f"the Dask worker died or lost this task "
                                              f"({type(exc).__name__}: {exc}); rerun the "
                                              "batch to retry this row"))
            future.release()
            while len(in_flight) < window and submit():
                pass

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(jobs: int | None = None, kind: str = "pool", scheduler: str | None = None,
                  seconds: float | None = None) -> Executor:
    """Every job runs in a worker process with a hard deadline (``seconds``), ``--jobs 1`` too."""
    workers = jobs or default_jobs()
    if kind == "dask":
        return DaskExecutor(scheduler, workers, seconds)
    if kind != "pool":
        raise InfographicError(f"unknown executor '{kind}': use pool or dask")
    return PoolExecutor(workers, seconds)
