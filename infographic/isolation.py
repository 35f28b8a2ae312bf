"""Run a call in a worker process that can be killed: a hard deadline and a memory cap.

The render's own limits (:class:`~infographic.limits.time_limit`, the size checks) interrupt
Python code and refuse what they can see coming, but one long C call (cairo drawing a circle of
radius 1e40, a huge pattern tile, a big-integer power) cannot be interrupted, and memory is only
checked before the allocations we know of. A worker process contains whatever the call does: it
is killed at its deadline, its address space is capped (``RLIMIT_AS``, raised back after each
call), and the caller gets a :class:`~infographic.errors.LimitError` instead of a hang, a
``MemoryError`` or a machine out of memory. A worker that died (a crash, the OOM killer) is a
``LimitError`` too, and is replaced.

Two ways in:

* :func:`run_isolated` — one call, on a worker kept for the next call (the API's
  ``render(..., isolated=True)``, the preview);
* :class:`IsolatedPool` — N workers, tasks pulled as workers become free, outcomes yielded as
  they finish (the batch: a row past its deadline fails, the others go on).

Workers are forked from this process when no other thread could hold a lock at that moment
(fast: the renderer is already imported); otherwise, or where there is no ``fork``, a fresh
interpreter is started (``sys.executable``), about a second. The call, its arguments and its
result travel pickled over a pipe, so they must be picklable (functions by module and name).
Workers ignore Ctrl-C (the caller decides) and end when the caller closes them or exits.
"""

from __future__ import annotations

import math
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

from . import limits
from .errors import LimitError

try:
    import resource
except ImportError:  # Windows: no address-space cap; the deadline still holds
    resource = None  # type: ignore[assignment]



def memory_budget(pixels: int = 0) -> int:
    """Bytes an isolated render may allocate for an output of ``pixels`` pixels."""
    return limits.ISOLATED_MEMORY_BASE + limits.ISOLATED_MEMORY_PER_PIXEL * max(0, pixels)


@dataclass(frozen=True)
class Task:
    """One call for a worker. ``memory`` is what the call may allocate on top of what the worker
    holds already (None: no cap); ``tag`` stays here and comes back with the outcome."""

    func: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    seconds: float = field(default_factory=lambda: limits.ISOLATED_SECONDS)
    memory: int | None = field(default_factory=memory_budget)
    tag: Any = None


@dataclass
class Outcome:
    """What a task gave: ``value``, or ``error`` (the call's exception, or a LimitError)."""

    task: Task
    value: Any = None
    error: BaseException | None = None


def _deadline_error(task: Task) -> LimitError:
    return LimitError(f"the render took longer than {task.seconds:g} s and its process was "
                      "stopped; the layout or data asks for too much work (a shape or pattern "
                      "far larger than the canvas, a huge number, a loop)")


def _memory_error(task: Task) -> LimitError:
    budget = f"{task.memory / 2**20:,.0f} MB" if task.memory else "the memory available"
    return LimitError(f"the render needed more than {budget} of memory and was stopped; the "
                      "layout or data asks for too much (a huge image, pattern or shape): "
                      "simplify it or use a smaller size")


def _death_error(code: int | None) -> LimitError:
    if code is not None and code < 0:
        try:
            how = f"signal {signal.Signals(-code).name}"
        except ValueError:
            how = f"signal {-code}"
    else:
        how = f"exit status {code}"
    return LimitError(f"the worker was killed while rendering ({how}): it may have run out of "
                      "memory or crashed; rerun to retry")


# --- the worker's side ---------------------------------------------------------------------------

def _address_space() -> int:
    """Bytes of address space this process uses now (0 when it cannot be told)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _cap_memory(budget: int | None) -> tuple[int, int] | None:
    """Cap this process's address space at what it uses now plus ``budget``; returns the
    previous limits, to restore."""
    if budget is None or resource is None or not hasattr(resource, "RLIMIT_AS"):
        return None
    previous = resource.getrlimit(resource.RLIMIT_AS)
    soft, hard = previous
    cap = _address_space() + budget
    for bound in (soft, hard):
        if bound != resource.RLIM_INFINITY:
            cap = min(cap, bound)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return previous


@contextmanager
def capped_memory(budget: int | None) -> Iterator[None]:
    """Within the block this process may allocate at most ``budget`` more bytes of address space
    (``RLIMIT_AS``; None: no cap); the previous limit comes back after it. For a worker process
    of one's own (the preview's), where :func:`run_isolated` does not fit."""
    previous = _cap_memory(budget)
    try:
        yield
    finally:
        if previous is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous)


def _die_with_caller(caller: int) -> None:
    """Linux: be killed when the caller dies (``kill -9`` of a batch ends its renders too)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != caller:  # it died before we asked
        os._exit(1)


def _serve(receive_fd: int, send_fd: int, announce: bool = False) -> None:
    """The worker's loop: a message is ``(func, args, kwargs, seconds, memory)``, or
    ``("path", sys.path)`` first; the reply is ``(kind, value)`` with kind ok, error or memory.
    ``announce``: first say ``ready`` (a fresh interpreter, once it has imported the renderer)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the caller, who stops us
    for name in ("SIGTERM", "SIGALRM"):  # a forked worker may inherit the caller's handlers
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    receiver, sender = Connection(receive_fd, writable=False), Connection(send_fd, readable=False)
    if announce:
        sender.send_bytes(b"ready")
    while True:
        try:
            message = receiver.recv_bytes()
        except (EOFError, OSError):
            return  # the caller closed us, or exited
        previous = None
        try:
            func, args, kwargs, seconds, memory = pickle.loads(message)
            if func == "path":
                sys.path[:] = args
                continue
            if hasattr(signal, "SIGALRM"):
                signal.alarm(math.ceil(seconds) + limits.ISOLATED_ALARM_GRACE_SECONDS)
            previous = _cap_memory(memory)
            reply: tuple[str, Any] = ("ok", func(*args, **kwargs))
        except MemoryError:
            reply = ("memory", None)
        except BaseException as exc:  # the call's own error, whatever it is, goes back
            reply = ("error", exc)
        finally:
            if previous is not None:
                resource.setrlimit(resource.RLIMIT_AS, previous)
            if hasattr(signal, "SIGALRM"):
                signal.alarm(0)
        try:
            data = pickle.dumps(reply)
        except Exception as exc:  # an unpicklable result or exception
            data = pickle.dumps(("error", RuntimeError(
                f"{type(reply[1]).__name__}: {str(reply[1])[:500]} (not picklable: {exc})")))
        try:
            sender.send_bytes(data)
        except OSError:
            return  # the caller is gone
        if reply[0] == "memory":
            return  # a heap that hit its cap is not reused


_BOOT = ("import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); import sys; "
         "from infographic.isolation import _die_with_caller, _serve; "
         "_die_with_caller(int(sys.argv[3])); import infographic; "
         "_serve(int(sys.argv[1]), int(sys.argv[2]), announce=True)")

#: The caller's ends of every worker's pipes: a forked worker closes the others' (a copy held
#: open there would keep a worker from seeing its caller close it).
_OPEN_FDS: set[int] = set()
_FORK_SAFE_THREADS = {"infographic-watchdog"}  # limits.time_limit's; reset after a fork


def _can_fork() -> bool:
    """Fork only when no other thread could hold a lock the worker needs."""
    if not hasattr(os, "fork"):
        return False
    main = threading.main_thread()
    return all(t is main or t.name in _FORK_SAFE_THREADS for t in threading.enumerate())


# --- the caller's side ---------------------------------------------------------------------------

class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self) -> None:
        to_caller, from_worker = os.pipe()  # worker writes, caller reads
        from_caller, to_worker = os.pipe()  # caller writes, worker reads
        self._popen: subprocess.Popen | None = None
        caller = os.getpid()
        if _can_fork():
            pid = os.fork()
            if pid == 0:  # the worker
                code = 0
                try:
                    for fd in (*_OPEN_FDS, to_caller, to_worker):
                        try:
                            os.close(fd)
                        except OSError:
                            pass
                    _die_with_caller(caller)
                    _serve(from_caller, from_worker)
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            self.pid = pid
        else:
            self._popen = subprocess.Popen(
                [sys.executable, "-c", _BOOT, str(from_caller), str(from_worker), str(caller)],
                pass_fds=(from_caller, from_worker), stdin=subprocess.DEVNULL)
            self.pid = self._popen.pid
        os.close(from_caller)
        os.close(from_worker)
        _OPEN_FDS.update((to_caller, to_worker))
        self._fds = (to_caller, to_worker)
        self.receiver = Connection(to_caller, writable=False)
        self.sender = Connection(to_worker, readable=False)
        self.alive = True
        self._ready = self._popen is None  # a forked worker has the renderer already
        self.task: Task | None = None
        self.deadline = 0.0
        if self._popen is not None:
            self.sender.send_bytes(pickle.dumps(("path", list(sys.path), {}, 0, None)))

    def _wait_until_ready(self) -> None:
        """A fresh interpreter imports the renderer first: that is not the task's time."""
        if self._ready:
            return
        try:
            ready = self.receiver.poll(limits.ISOLATED_STARTUP_SECONDS) and self.receiver.recv_bytes()
        except EOFError:
            ready = False
        if ready != b"ready":
            raise OSError(f"a worker process ({sys.executable}) did not start")
        self._ready = True

    def start(self, task: Task) -> None:
        self._wait_until_ready()
        self.sender.send_bytes(pickle.dumps((task.func, task.args, task.kwargs, task.seconds,
                                             task.memory)))
        self.task = task
        self.deadline = time.monotonic() + task.seconds

    def finish(self) -> Outcome:
        """Read the reply of the running task (call when :attr:`receiver` is ready)."""
        task = self.task
        assert task is not None
        self.task = None
        try:
            kind, value = pickle.loads(self.receiver.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            return Outcome(task, error=_death_error(self.stop()))
        if kind == "ok":
            return Outcome(task, value=value)
        if kind == "memory":
            self.stop()
            return Outcome(task, error=_memory_error(task))
        return Outcome(task, error=value)

    def expire(self) -> Outcome:
        """The running task is past its deadline: kill the worker."""
        task = self.task
        assert task is not None
        self.task = None
        self.stop()
        return Outcome(task, error=_deadline_error(task))

    def call(self, task: Task) -> Outcome:
        self.start(task)
        if not wait([self.receiver], max(0.0, self.deadline - time.monotonic())):
            return self.expire()
        return self.finish()

    def stop(self, kill: bool = True) -> int | None:
        """End the worker (killed, or asked to end by closing its pipe); returns its status."""
        if not self.alive:
            return None
        self.alive = False
        for connection in (self.sender, self.receiver):
            connection.close()
        _OPEN_FDS.difference_update(self._fds)
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._popen is not None:
            try:
                return self._popen.wait(timeout=None if kill else limits.ISOLATED_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._popen.kill()
                return self._popen.wait()
        try:
            if not kill:  # give it a moment to end on its own, then make sure
                for _ in range(50):
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                    if pid:
                        return os.waitstatus_to_exitcode(status)
                    time.sleep(0.1)
                os.kill(self.pid, signal.SIGKILL)
            return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        except ChildProcessError:
            return None


class IsolatedPool:
    """``workers`` worker processes; :meth:`run` hands them tasks and yields outcomes."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self._idle: list[_Worker] = []

    def start(self) -> None:
        """Start the workers now (before the caller starts threads: they can then be forked)."""
        while len(self._idle) < self.workers:
            self._idle.append(_Worker())

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Outcomes as tasks finish, in any order. A task is taken from ``tasks`` only when a
        worker is free, so a long iterable is never held in memory."""
        source = iter(tasks)
        busy: list[_Worker] = []
        exhausted = False
        try:
            while True:
                while not exhausted and len(busy) < self.workers:
                    task = next(source, None)
                    if task is None:
                        exhausted = True
                        break
                    try:
                        busy.append(self._start(task))
                    except OSError as exc:
                        yield Outcome(task, error=LimitError(f"{exc}; rerun to retry"))
                if not busy:
                    return
                timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready = wait([w.receiver for w in busy], timeout)
                now = time.monotonic()
                for worker in list(busy):
                    if worker.receiver in ready:
                        outcome = worker.finish()
                    elif now >= worker.deadline:
                        outcome = worker.expire()
                    else:
                        continue
                    busy.remove(worker)
                    if worker.alive:
                        self._idle.append(worker)
                    yield outcome
        finally:  # abandoned (Ctrl-C, an error in the caller): nothing keeps running
            for worker in busy:
                worker.stop()

    def _start(self, task: Task) -> _Worker:
        """An idle worker (or a new one) running ``task``; one that died while idle is replaced
        once. Raises OSError when no worker can be started."""
        worker = self._idle.pop() if self._idle else _Worker()
        for attempt in (1, 2):
            try:
                worker.start(task)
                return worker
            except OSError:
                worker.stop()
                if attempt == 2:
                    raise
                worker = _Worker()
        raise AssertionError("unreachable")

    def close(self) -> None:
        """End the idle workers (they finish nothing: call after :meth:`run` is done)."""
        while self._idle:
            self._idle.pop().stop(kill=False)

    def __enter__(self) -> "IsolatedPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


_spare: list[_Worker] = []
_spare_lock = threading.Lock()


def run_isolated(func: Callable[..., Any], *args: Any, seconds: float | None = None,
                 memory: int | None = None, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` in a worker process, killed after ``seconds`` (default
    :data:`~infographic.limits.ISOLATED_SECONDS`), allowed to allocate ``memory`` bytes
    (default :func:`memory_budget` of no pixels; ``memory=0``: no cap).

    Returns what ``func`` returns, or raises what it raised; raises :class:`LimitError` when the
    deadline passes, the memory runs out or the worker dies. Thread-safe: each concurrent call
    gets its own worker; idle workers are kept for later calls.
    """
    budget = memory_budget() if memory is None else (memory or None)
    seconds = limits.ISOLATED_SECONDS if seconds is None else seconds
    with _spare_lock:
        worker = _spare.pop() if _spare else None
    if worker is None:
        worker = _Worker()
    try:
        try:
            outcome = worker.call(Task(func, args, kwargs, seconds, budget))
        except OSError:  # the kept worker had died: once more on a fresh one
            worker.stop()
            worker = _Worker()
            outcome = worker.call(Task(func, args, kwargs, seconds, budget))
    except OSError as exc:
        worker.stop()
        raise LimitError(f"{exc}; try again") from None
    except BaseException:  # interrupted while waiting: the worker's state is unknown
        worker.stop()
        raise
    if worker.alive:
        with _spare_lock:
            keep = len(_spare) < limits.ISOLATED_SPARE_WORKERS
            if keep:
                _spare.append(worker)
        if not keep:
            worker.stop(kill=False)
    if outcome.error is not None:
        raise outcome.error
    return outcome.value


def close_spare_workers() -> None:
    """End the workers :func:`run_isolated` keeps (also done when the process exits)."""
    with _spare_lock:
        workers = list(_spare)
        _spare.clear()
    for worker in workers:
        worker.stop(kill=False)
