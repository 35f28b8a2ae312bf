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
