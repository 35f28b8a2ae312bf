"""Cold start of the command line: whole processes, as a user runs them.

    python benchmarks/cold_start.py [--runs 10] [--json out.json]

1. ``infographic --help``, ``infographic layouts`` and ``infographic render announcement -o
   a.png``: median wall time of ``--runs`` whole-process runs after one warm-up run (with
   hyperfine when it is installed, the same way without), and the CPU time (user + system)
   per run, which other jobs on a shared machine disturb least. Targets: 0.15, 0.15 and 0.4 s.
2. Where the render's time goes, in fresh processes (medians of 5): the imports, by top-level
   package (``python -X importtime``), then the stages of the command (reading the layout and
   data, laying out, drawing and encoding the PNG, writing it).

The per-user caches (parsed YAML, compiled templates, cairocffi's declarations) and Python's
bytecode are warm after the first run, as they are for a user from the second command on;
``INFOGRAPHIC_CACHE=0`` shows the cost without the per-user caches.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = [("infographic --help", 0.15), ("infographic layouts", 0.15),
            ("infographic render announcement -o {tmp}/a.png", 0.4)]

STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
from infographic.cli import main
from infographic.datafile import default_data
from infographic.layout.manifest import load_layout
from infographic.render import render
import infographic.output
t1 = time.perf_counter()
layout = load_layout("announcement"); data = default_data(layout)
t2 = time.perf_counter()
art = render(layout, data, size="square")
t3 = time.perf_counter()
png = art.to_bytes("png")
t4 = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    out.write(png)
t5 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "layout and data files": t2 - t1,
                  "laying out (template, text fit, glyphs)": t3 - t2,
                  "drawing and PNG encoding": t4 - t3, "writing the file": t5 - t4}))
"""


def _hyperfine(command: str, runs: int) -> tuple[list[float], float]:
    """Wall times of ``runs`` runs after one warm-up, and the mean CPU time per run."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--style",
                        "none", "--export-json", report.name, command], check=True,
                       capture_output=True, env=_env())
        result = json.loads(Path(report.name).read_text())["results"][0]
    return result["times"], result["user"] + result["system"]


def _loop(command: str, runs: int) -> tuple[list[float], float]:
    """The same measure without hyperfine: wall and CPU (children's rusage) per run."""
    import resource

    args = command.split()
    subprocess.run(args, check=True, capture_output=True, env=_env())  # warm-up
    walls, cpu = [], 0.0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=_env())
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return walls, cpu / runs


def _env() -> dict[str, str]:
    """The environment of a user's shell: Python keeps compiled bytecode (some CI and sandbox
    setups turn that off with PYTHONDONTWRITEBYTECODE, which adds ~0.3 s to every start)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}"}


def _imports(tmp: str, repeats: int = 5) -> dict[str, float]:
    """Seconds of import per top-level package for the render command (median of runs): each
    module's own time (``-X importtime``'s "self") counts for the package it belongs to."""
    samples: dict[str, list[float]] = {}
    for _ in range(repeats):
        result = subprocess.run([sys.executable, "-X", "importtime", "-m", "infographic",
                                 "render", "announcement", "-o", f"{tmp}/i.png", "-q"],
                                capture_output=True, text=True, env=_env(), check=True)
        totals: dict[str, float] = {}
        for line in result.stderr.splitlines():
            found = re.match(r"import time:\s+(\d+) \|\s+\d+ \| +(\S+)", line)
            if found:
                top = found.group(2).split(".")[0]
                totals[top] = totals.get(top, 0.0) + int(found.group(1)) / 1e6
        for name, seconds in totals.items():
            samples.setdefault(name, []).append(seconds)
    return {name: statistics.median(v + [0.0] * (repeats - len(v)))
            for name, v in samples.items()}


def _stages(tmp: str, repeats: int = 5) -> dict[str, float]:
    runs = [json.loads(subprocess.run([sys.executable, "-c", STAGES, f"{tmp}/s.png"],
                                      capture_output=True, text=True, env=_env(),
                                      check=True).stdout) for _ in range(repeats)]
    return {stage: statistics.median(r[stage] for r in runs) for stage in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    measure = _hyperfine if shutil.which("hyperfine") else _loop
    results: dict[str, object] = {
        "python": platform.python_version(), "cpu": platform.processor() or platform.machine(),
        "load_average": os.getloadavg(), "tool": measure.__name__.strip("_"), "commands": []}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'command':<48} {'median wall':>12} {'CPU/run':>9} {'target':>7}")
        for template, target in COMMANDS:
            command = template.format(tmp=tmp)
            walls, cpu = measure(command, args.runs)
            median = statistics.median(walls)
            results["commands"].append({"command": template.replace("{tmp}/", ""),
                                        "median_s": median, "cpu_s": cpu, "target_s": target})
            print(f"{template.replace('{tmp}/', ''):<48} {median * 1000:>9.0f} ms "
                  f"{cpu * 1000:>6.0f} ms {target * 1000:>4.0f} ms")
        imports = _imports(tmp)
        stages = _stages(tmp)
    results["imports"], results["stages"] = imports, stages
    print("\nrender announcement, cold process — imports by package (median of 5):")
    for name, seconds in sorted(imports.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {name:<24} {seconds * 1000:6.0f} ms")
    print("stages (median of 5):")
    for stage, seconds in stages.items():
        print(f"  {stage:<42} {seconds * 1000:6.0f} ms")
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
