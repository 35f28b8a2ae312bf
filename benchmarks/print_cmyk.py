"""The CMYK print route against the RGB one, for every bundled layout (issue 17: within 2×).

    python benchmarks/print_cmyk.py [--repeats 3] [--size a4] [--layouts photo-card,hotline-qr]
                                     [--x1a] [--no-cli]

**The commands** (what the issue timed): ``infographic print LAYOUT -o x.pdf`` against
``infographic print LAYOUT --cmyk -o x.pdf`` as processes, median of ``--repeats`` runs each
(a cold process each time: imports, render, bleed check, PDF), in **CPU seconds** of the child
(user + system, which other work on a shared machine does not inflate) and wall seconds.

**The PDF stage alone**, in this process (fonts and profile warm, as in a batch), the artwork
rendered once, ``--repeats`` times each (median CPU seconds of this process):

* ``rgb``: ``print_pdf`` — what ``infographic print`` writes (RGB, sRGB output intent);
* ``cmyk``: ``cmyk_print`` — PDF/X-4: the same drawing converted object by object (images once
  with LittleCMS), identified, and read back by the structural PDF/X check;
* ``x1a`` (with ``--x1a``): PDF/X-1a, Ghostscript flattening the transparency at 300 dpi;
* ``render``: the render itself, so that the whole command's ratio can be read too:
  (render + cmyk) / (render + rgb).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import infographic
from infographic.layout.manifest import bundled_layouts
from infographic.print.cmyk import cmyk_print
from infographic.print.pdf import print_pdf
from timing import median_seconds


def _median(action, repeats: int) -> float:
    """Median CPU seconds of ``action`` in this process (no warm-up run: the first is timed)."""
    return median_seconds(action, repeats, clock=time.process_time, warm=False)



def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command(layout: str, size: str, extra: list[str], repeats: int) -> tuple[float, float]:
    """Median (CPU, wall) seconds of the print command as a process."""
    cpu, wall = [], []
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "infographic", "print", layout, "--size", size, "-q",
                   "-o", str(Path(tmp) / "out.pdf"), *extra]
        for _ in range(repeats):
            before, start = _child_cpu(), time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
            wall.append(time.perf_counter() - start)
            cpu.append(_child_cpu() - before)
    return statistics.median(cpu), statistics.median(wall)


def commands(layouts: list[str], size: str, repeats: int) -> None:
    print(f"{'command (CPU s)':22} {'rgb':>7} {'--cmyk':>7} {'ratio':>6}   wall: rgb, --cmyk")
    worst = 0.0
    for layout in layouts:
        (rgb, rgb_wall), (cmyk, cmyk_wall) = (_command(layout, size, [], repeats),
                                              _command(layout, size, ["--cmyk"], repeats))
        worst = max(worst, cmyk / rgb)
        print(f"{layout:22} {rgb:7.2f} {cmyk:7.2f} {cmyk / rgb:5.2f}×   "
              f"{rgb_wall:5.2f} {cmyk_wall:5.2f}", flush=True)
    print(f"worst command ratio (CPU): {worst:.2f}×\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size", default="a4")
    parser.add_argument("--layouts", help="comma-separated (default: every bundled layout)")
    parser.add_argument("--x1a", action="store_true", help="time PDF/X-1a too (Ghostscript)")
    parser.add_argument("--no-cli", action="store_true", help="only the in-process PDF stage")
    args = parser.parse_args()
    layouts = args.layouts.split(",") if args.layouts else bundled_layouts()
    if not args.no_cli:
        commands(layouts, args.size, args.repeats)
    cmyk_print([infographic.render(layouts[0], size=args.size)])  # warm: fonts, profile, pikepdf
    header = f"{'layout':22} {'render':>7} {'rgb':>7} {'cmyk':>7} {'ratio':>6} {'whole':>6}"
    print(header + (f" {'x1a':>7}" if args.x1a else ""))
    worst = 0.0
    for layout in layouts:
        render_s = _median(lambda: infographic.render(layout, size=args.size), args.repeats)
        art = infographic.render(layout, size=args.size)
        rgb = _median(lambda: print_pdf([art]), args.repeats)
        cmyk = _median(lambda: cmyk_print([art]), args.repeats)
        whole = (render_s + cmyk) / (render_s + rgb)
        worst = max(worst, whole)
        line = (f"{layout:22} {render_s:7.2f} {rgb:7.2f} {cmyk:7.2f} {cmyk / rgb:5.1f}× "
                f"{whole:5.2f}×")
        if args.x1a:
            line += f" {_median(lambda: cmyk_print([art], pdfx='1a'), args.repeats):7.2f}"
        print(line, flush=True)
    print(f"worst in-process ratio (render + cmyk) / (render + rgb): {worst:.2f}×")


if __name__ == "__main__":
    main()
