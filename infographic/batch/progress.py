"""Progress: a rich progress bar (rate and ETA) on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import IO, Any


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class LogProgress:
    """One line every ``every`` seconds (and at 25/50/75 %), for logs, cron mails and CI."""

    def __init__(self, total: int, stream: IO[str] | None = None, every: float = 10.0,
                 quiet: bool = False) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.every, self.quiet = every, quiet
        self.started = self._last = time.monotonic()
        self._marks = {int(total * q) for q in (0.25, 0.5, 0.75)} - {0, total}

    def __enter__(self) -> "LogProgress":
        if not self.quiet:
            self.message(f"batch: {self.total} image(s) to check")
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if not self.quiet and (now - self._last >= self.every or self.done in self._marks):
            self._last = now
            self.message(self.status_line(now))

    def status_line(self, now: float | None = None) -> str:
        elapsed = max(1e-9, (now or time.monotonic()) - self.started)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0.0
        percent = 100.0 * self.done / self.total if self.total else 100.0
        return (f"batch: {self.done}/{self.total} ({percent:.0f}%) {rate:.1f}/s, "
                f"eta {_duration(eta)}, {self.failed} failed")

    def message(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class RichProgress(LogProgress):
    """A live bar with count, rate and time left, drawn by rich on a terminal."""

    def __init__(self, total: int, stream: IO[str] | None = None, **_: Any) -> None:
        super().__init__(total, stream)
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.console = Console(file=self.stream)
        self.bar = Progress(TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}/s"), TimeElapsedColumn(),
                            TextColumn("eta"), TimeRemainingColumn(),
                            TextColumn("{task.fields[failed]}"), console=self.console)
        self.task = self.bar.add_task("batch", total=total, rate="–", failed="")

    def __enter__(self) -> "RichProgress":
        self.bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        elapsed = max(1e-9, time.monotonic() - self.started)
        self.bar.update(self.task, advance=1, rate=f"{self.done / elapsed:.1f}",
                        failed=f"[red]{self.failed} failed" if self.failed else "")

    def message(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False)


def make_progress(total: int, stream: IO[str] | None = None, quiet: bool = False) -> LogProgress:
    stream = stream or sys.stderr
    if not quiet and getattr(stream, "isatty", lambda: False)():
        return RichProgress(total, stream)
    return LogProgress(total, stream, quiet=quiet)
