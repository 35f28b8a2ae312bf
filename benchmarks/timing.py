"""The one timing helper the benchmark scripts share (run them as ``python benchmarks/X.py``,
which puts this folder on the import path)."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def median_seconds(action: Callable[[], Any], repeats: int, *,
                   clock: Callable[[], float] = time.perf_counter, warm: bool = True) -> float:
    """Median of ``repeats`` timed runs of ``action`` by ``clock`` (wall by default; pass
    ``time.process_time`` for CPU), after one untimed run when ``warm`` (fonts, glyph outlines,
    files read once)."""
    if warm:
        action()
    times = []
    for _ in range(repeats):
        start = clock()
        action()
        times.append(clock() - start)
    return statistics.median(times)


def interleaved_seconds(actions: dict[str, Callable[[], Any]], repeats: int, *,
                        clock: Callable[[], float] = time.perf_counter) -> dict[str, list[float]]:
    """The times of ``repeats`` rounds that each run every action once, in turn, after one
    untimed round: cases to compare see the same load on a shared machine, round by round
    (compare them per round, e.g. the median of the per-round ratios)."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            start = clock()
            action()
            times[name].append(clock() - start)
    return times
