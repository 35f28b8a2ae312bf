"""Batch throughput (rows/s at --jobs 1 and --jobs 2 on the same data) and memory over a long batch.

    python benchmarks/batch.py [--layout key-statistics] [--size square] [--rows 48]
                               [--repeats 3] [--long 10000] [--json out.json]

Throughput: ``infographic batch`` as an operator runs it (a fresh process, ``--force`` so every
row renders, no contact sheet), on the bundled wards data repeated to ``--rows`` rows; the median
of ``--repeats`` runs at each job count, and the ratio jobs 2 / jobs 1 (the scaling; on a shared
machine it is bounded by the cores that are actually free).

Memory: with ``--long N`` (0 to skip), N rows of a cheap layout (``tests/batch_fixtures/mini`` at
200×200, PNG) rendered in one process (``SerialExecutor``: rendering and bookkeeping share it,
so its RSS shows both), RSS sampled every N/10 images. Flat means the last samples do not climb.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
WARDS = ROOT / "examples" / "batch" / "wards.csv"
MINI = ROOT / "tests" / "batch_fixtures" / "mini"


def repeated_wards(target: Path, rows: int) -> Path:
    with WARDS.open(encoding="utf-8-sig", newline="") as handle:
        source = list(csv.DictReader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(source[0]))
        writer.writeheader()
        for number in range(rows):
            row = dict(source[number % len(source)])
            row["cases"] = str(int(row["cases"]) + number)  # every row different
            writer.writerow(row)
    return target


def batch_rate(data: Path, layout: str, size: str, jobs: int, rows: int, work: Path) -> float:
    out = work / f"out-{jobs}"
    command = [sys.executable, "-m", "infographic", "batch", layout, str(data), "-o", str(out),
               "--size", size, "--jobs", str(jobs), "--force", "--quiet", "--no-contact-sheet",
               "--name", "{row}"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"batch failed ({result.returncode}): {result.stderr[-2000:]}")
    shutil.rmtree(out, ignore_errors=True)
    return rows / elapsed


def _burn(loops: int) -> float:
    start, total = time.perf_counter(), 0
    for number in range(loops):
        total += number
    return time.perf_counter() - start


def machine_parallelism(loops: int = 4_000_000) -> float:
    """How many cores this process can really use now: one CPU loop alone vs two at once
    (2.0 on an idle 2-core machine; about 1.0 when other work takes the second core)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_burn, [loops // 10] * 2))  # start the workers
        alone = min(pool.submit(_burn, loops).result() for _ in range(2))
        together = max(pool.map(_burn, [loops, loops]))
    return 2 * alone / together


def throughput(layout: str, size: str, rows: int, repeats: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    parallelism = machine_parallelism()
    results["machine_parallelism"] = parallelism
    print(f"cores available now (two CPU loops vs one): {parallelism:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = repeated_wards(work / "wards.csv", rows)
        runs: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(repeats):  # interleaved, so a change in the machine's load hits both
            for jobs in (1, 2):
                runs[jobs].append(batch_rate(data, layout, size, jobs, rows, work))
        for jobs, rates in runs.items():
            results[f"jobs{jobs}"] = {"median_rows_per_s": statistics.median(rates),
                                      "runs": rates}
            print(f"--jobs {jobs}: {statistics.median(rates):.2f} rows/s (median of {repeats}: "
                  + ", ".join(f"{r:.2f}" for r in rates) + ")", flush=True)
    ratio = results["jobs2"]["median_rows_per_s"] / results["jobs1"]["median_rows_per_s"]
    results["scaling_jobs2_over_jobs1"] = ratio
    print(f"scaling jobs 2 / jobs 1: {ratio:.2f}× (cores available after: "
          f"{machine_parallelism():.2f})", flush=True)
    return results


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def long_run(rows: int) -> dict[str, Any]:
    from infographic.batch import BatchOptions, BatchSpec, run_batch
    from infographic.batch.executors import SerialExecutor

    samples: list[tuple[int, float]] = []
    every = max(1, rows // 10)

    class Sampling(SerialExecutor):
        def run(self, jobs: Any) -> Iterator[Any]:
            for number, result in enumerate(super().run(jobs), 1):
                if number % every == 0:
                    samples.append((number, _rss_mb()))
                    print(f"  {number:>6} images: RSS {samples[-1][1]:.1f} MB", flush=True)
                yield result

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "rows.csv"
        with data.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["ward", "date", "cases", "tips.1", "tips.2"])
            for number in range(rows):
                writer.writerow([f"Phường {number % 97 + 1} – tổ {number}", "2021-09-13", number,
                                 "Đeo khẩu trang", "Rửa tay sát khuẩn"])
        start = time.perf_counter()
        result = run_batch(BatchOptions(data, Path(tmp) / "out", BatchSpec(
            layout=str(MINI), sizes=("200x200",), formats=("png",), name_template="{row}"),
            quiet=True), Sampling())
        elapsed = time.perf_counter() - start
    first_half = [mb for n, mb in samples if n <= rows // 2]
    growth = samples[-1][1] - (first_half[0] if first_half else samples[0][1])
    late = samples[-1][1] - (first_half[-1] if first_half else samples[0][1])
    print(f"long run: {result.rendered} images in {elapsed:.0f} s ({result.rendered / elapsed:.1f}"
          f"/s at --jobs 1); RSS growth from {every} images to the end {growth:+.1f} MB, over "
          f"the second half {late:+.1f} MB", flush=True)
    return {"rows": rows, "rendered": result.rendered, "seconds": elapsed, "rss_mb": samples,
            "growth_mb": growth, "second_half_growth_mb": late}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layout", default="key-statistics")
    parser.add_argument("--size", default="square")
    parser.add_argument("--rows", type=int, default=48,
                        help="rows per throughput run; 0: skip")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--long", type=int, default=10000, help="rows of the memory run; 0: skip")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    if args.rows:
        print(f"throughput: {args.layout} at {args.size}, {args.rows} rows, PNG", flush=True)
        results["throughput"] = throughput(args.layout, args.size, args.rows, args.repeats)
    if args.long:
        print(f"memory: {args.long} rows of the mini layout at 200x200", flush=True)
        results["long"] = long_run(args.long)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
