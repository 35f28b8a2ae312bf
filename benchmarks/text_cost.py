"""What the text engine costs inside renders, with word-aware breaking and without.

For each bundled layout (example data, one size), in one warm process: the CPU time spent setting
text (shaping, break ranks, wrapping and fitting: ``text/fit.py``'s fitter, every call) and the
CPU time of the whole render to PNG, with the text caches emptied before each render so every text
is set again. Modes alternate render by render so machine load hits both alike:

* ``syllable`` — every space a break (the breaker before issue 14, ``breaks: syllable``);
* ``word`` — ranked breaks (``text/breaks.py``), the default.

    python benchmarks/text_cost.py [--size square] [--repeats 5] [--layouts a,b]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import infographic  # noqa: E402
from infographic.datafile import example_data_path, load_data_file  # noqa: E402
from infographic.layout.manifest import bundled_layouts  # noqa: E402
from infographic.text import breaks, fit, shaping  # noqa: E402
from infographic.text.fonts import default_registry  # noqa: E402

_spent = [0.0]
_original_init, _original_fit = fit._Fitter.__init__, fit._Fitter.fit
_ranks = fit.gap_ranks


def _timed_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.process_time()
    try:
        _original_init(self, *args, **kwargs)
    finally:
        _spent[0] += time.process_time() - started


def _timed_fit(self):  # type: ignore[no-untyped-def]
    started = time.process_time()
    try:
        return _original_fit(self)
    finally:
        _spent[0] += time.process_time() - started


fit._Fitter.__init__ = _timed_init  # type: ignore[method-assign]
fit._Fitter.fit = _timed_fit  # type: ignore[method-assign]


def _forget() -> None:
    """Empty every text cache, so a render sets all of its text again."""
    default_registry().fit_cache.clear()
    shaping._shape_line_cached.cache_clear()
    breaks.gap_ranks.cache_clear()


def measure(layout: str, size: str, mode: str) -> tuple[float, float]:
    """(CPU ms setting text, CPU ms of the whole render to PNG) of one render."""
    fit.gap_ranks = _ranks if mode == "word" else (lambda text: None)  # type: ignore[assignment]
    data = load_data_file(example_data_path(layout))
    _forget()
    _spent[0] = 0.0
    started = time.process_time()
    infographic.render(layout, data, size=size).to_bytes("png")
    return _spent[0] * 1000, (time.process_time() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="square")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--layouts", default="")
    args = parser.parse_args()
    layouts = args.layouts.split(",") if args.layouts else bundled_layouts()
    print(f"CPU ms, median of {args.repeats}, size {args.size}, text caches emptied each render")
    print(f"{'layout':<22} {'text: syllable':>14} {'word':>7} {'ratio':>6}   "
          f"{'render: syllable':>16} {'word':>7} {'ratio':>6}")
    sums = {"text s": 0.0, "text w": 0.0, "all s": 0.0, "all w": 0.0}
    for layout in layouts:
        for mode in ("syllable", "word"):
            measure(layout, args.size, mode)  # warm up: fonts, templates, outlines
        runs: dict[str, list[tuple[float, float]]] = {"syllable": [], "word": []}
        for _ in range(args.repeats):
            for mode in ("syllable", "word"):
                runs[mode].append(measure(layout, args.size, mode))
        text = {m: statistics.median(t for t, _ in r) for m, r in runs.items()}
        whole = {m: statistics.median(a for _, a in r) for m, r in runs.items()}
        sums["text s"] += text["syllable"]
        sums["text w"] += text["word"]
        sums["all s"] += whole["syllable"]
        sums["all w"] += whole["word"]
        print(f"{layout:<22} {text['syllable']:14.1f} {text['word']:7.1f} "
              f"{text['word'] / text['syllable']:6.2f}   {whole['syllable']:16.1f} "
              f"{whole['word']:7.1f} {whole['word'] / whole['syllable']:6.2f}")
    print(f"{'all layouts':<22} {sums['text s']:14.1f} {sums['text w']:7.1f} "
          f"{sums['text w'] / sums['text s']:6.2f}   {sums['all s']:16.1f} {sums['all w']:7.1f} "
          f"{sums['all w'] / sums['all s']:6.2f}")


if __name__ == "__main__":
    main()
