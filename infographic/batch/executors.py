"""Where jobs run: in this process, in a local process pool, or on a Dask cluster.

Each executor takes an iterable of jobs (pulled lazily, a few ahead of the workers, so memory does
not grow with the batch) and yields results as they finish, in any order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Iterable, Iterator, Protocol

from ..errors import InfographicError
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
    """``--jobs 1``: render in this process, one job after the other."""

    workers = 1

    def run(self, jobs: Iterable[Job]) -> Iterator[JobResult]:
        for job in jobs:
            yield render_job(job)

    def close(self) -> None:
        pass


def _crashed(job: Job, why: str) -> JobResult:
    return JobResult(job, error=f"row {job.row}: the worker process died ({why}); rerun the "
                     "batch to retry this row", reason=f"worker process died ({why})")


def _noop() -> None:
    return None


class PoolExecutor:
    """A local process pool.

    Workers are forked from this process while it has no other thread (they start at once, with
    the renderer already imported); otherwise they start from a fork server that has imported
    the renderer, since forking a process with threads is unsafe.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods and threading.active_count() == 1:
            context = multiprocessing.get_context("fork")
        elif "forkserver" in methods:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["infographic.batch.worker"])
        else:
            context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        pool.submit(_noop).result()  # start the workers now, before any progress thread
        return pool

    def start(self) -> None:
        """Start the workers (call before starting threads, so they can be forked)."""
        if self._pool is None:
            self._pool = self._new_pool()

    def run(self, jobs: Iterable[Job]) -> Iterator[JobResult]:
        """Results as they finish. If a worker dies (a crash, the OOM killer), the jobs in
        flight are tried once more on a fresh pool, one at a time, so the row that killed it
        is found and reported and the others render."""
        window = self.workers * 2
        source = iter(jobs)
        pending: dict[Future[JobResult], Job] = {}
        retry: list[Job] = []  # jobs lost with a broken pool, to run again alone
        retried: set[str] = set()
        exhausted = False
        while True:
            while len(pending) < (1 if retry else window) and (retry or not exhausted):
                if retry:
                    job = retry.pop(0)
                else:
                    job = next(source, None)
                    if job is None:
                        exhausted = True
                        break
                if self._pool is None:
                    self._pool = self._new_pool()
                try:
                    pending[self._pool.submit(render_job, job)] = job
                except BrokenProcessPool:  # a worker died; its futures will say which ones
                    retry.insert(0, job)  # this one never ran
                    if pending:
                        break
                    self._discard_pool()
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            lost: list[Job] = []
            for future in done:
                job = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    lost.append(job)
            if lost:  # every job in flight went down with the pool
                lost += list(pending.values())
                pending.clear()
                self._discard_pool()
                for job in lost:
                    if job.name in retried:  # it ran alone: this row killed the worker
                        yield _crashed(job, "the worker was killed while rendering this row")
                    else:
                        retried.add(job.name)
                        retry.append(job)

    def _discard_pool(self) -> None:
        """Drop a broken pool without waiting: joining it can hang when a worker died while
        the pool was feeding it (CPython issue 94777); its workers were already terminated."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Render on a Dask distributed cluster (``pip install 'infographic[dask]'``).

    ``address`` is a scheduler (``tcp://host:8786``); without one a ``LocalCluster`` of
    ``workers`` single-threaded worker processes is started for the batch. Workers need this
    package installed; they send back bytes, so they need no access to the output folder.
    """

    def __init__(self, address: str | None = None, workers: int | None = None,
                 **cluster_options: Any) -> None:
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
            future = self._client.submit(render_job, job, pure=False)
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
                yield _crashed(job, f"{type(exc).__name__}: {exc}")
            future.release()
            while len(in_flight) < window and submit():
                pass

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(jobs: int | None = None, kind: str = "pool",
                  scheduler: str | None = None) -> Executor:
    workers = jobs or default_jobs()
    if kind == "dask":
        return DaskExecutor(scheduler, workers)
    if kind != "pool":
        raise InfographicError(f"unknown executor '{kind}': use pool or dask")
    return SerialExecutor() if workers == 1 else PoolExecutor(workers)
