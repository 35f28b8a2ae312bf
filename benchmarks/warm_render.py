"""Warm time per image of a layout (data → PNG bytes), median of repeated runs.

    python benchmarks/warm_render.py [--layout announcement] [--sizes square,a4] [--repeats 7]

The first render of each size warms fonts, glyph outlines and the compiled template; the
reported times are the median (and min/max) of the following runs, CPU and wall clock.
"""

from __future__ import annotations

import argparse
import statistics
import time

import infographic
from infographic.datafile import example_data_path, load_data_file


def measure(layout: str, size: str, repeats: int, fmt: str) -> dict[str, float]:
    example = example_data_path(layout)
    data = load_data_file(example) if example else None
    infographic.render(layout, data, size=size).to_bytes(fmt)  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        infographic.render(layout, data, size=size).to_bytes(fmt)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return {"wall_ms": statistics.median(wall) * 1000, "cpu_ms": statistics.median(cpu) * 1000,
            "min_ms": min(wall) * 1000, "max_ms": max(wall) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layout", default="announcement")
    parser.add_argument("--sizes", default="square,a4")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--format", default="png")
    args = parser.parse_args()
    print(f"{'layout':<16}{'size':<10}{'median wall ms':>15}{'median cpu ms':>15}"
          f"{'min ms':>9}{'max ms':>9}")
    for size in args.sizes.split(","):
        r = measure(args.layout, size, args.repeats, args.format)
        print(f"{args.layout:<16}{size:<10}{r['wall_ms']:>15.1f}{r['cpu_ms']:>15.1f}"
              f"{r['min_ms']:>9.1f}{r['max_ms']:>9.1f}")


if __name__ == "__main__":
    main()
