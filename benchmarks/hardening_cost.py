"""What issue 18's new checks cost, as a share of a warm render (the work ``benchmarks/run.py``
times: ``render(...).to_bytes("png")`` of each bundled layout's example data).

    python benchmarks/hardening_cost.py [--layouts a,b] [--sizes square,a3] [--repeats 15]

Comparing whole runs of the pre-hardening commit and main says nothing about the checks, since
main also holds unrelated speed work; so the checks are timed on their own, inside real renders,
in CPU time (``time.process_time``; the machine may be shared) and as medians of repeats:

* SVG checks: every call of ``limits.check_svg_tree`` (the laid-out SVG and each SVG image: its
  element, depth and ``<use>`` counts predate the issue, so this is an upper bound of the new
  geometry bounds) plus the pattern/mask tile check, summed per render;
* sandbox: the template stage with the bounded ``LayoutSandbox`` minus the same stage with
  Jinja2's stock ``ImmutableSandboxedEnvironment`` and the same filters (renders alternate; the
  median of the paired differences, which can be below zero where the cost is within noise);
* data reader: the bounded YAML reader (``dataparse``, uncached) minus ``yaml.safe_load`` (the
  reader before) on the layout's example file (a CLI render reads it once; ``run.py`` reads it
  outside its loop).

The batch's isolated workers and the decoders' allow-list are not on this path (and the latter
only skips Pillow's format probing).
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

import infographic
from infographic import dataparse, limits
from infographic.datafile import example_data_path, load_data_file
from infographic.layout import template
from infographic.layout.manifest import bundled_layouts
from infographic.layout.sandbox import FolderLoader
from infographic.output import raster, tiles

_spent = {"checks": 0.0, "stage": 0.0}


def _timing(function: Callable[..., Any], key: str) -> Callable[..., Any]:
    """``function``, adding the CPU time of each call to ``_spent[key]``."""
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _spent[key] += time.process_time() - started
    return timed


BOUNDED = template._environment


@lru_cache(maxsize=64)
def _stock(folder: Path) -> ImmutableSandboxedEnvironment:
    """The layout's environment as it was before the sandbox bounded results: Jinja2's stock
    immutable sandbox, same loader, options and filters."""
    env = ImmutableSandboxedEnvironment(
        loader=FolderLoader(folder), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, auto_reload=True)
    env.filters.update(template.FILTERS)
    return env


def install() -> None:
    limits.check_svg_tree = _timing(limits.check_svg_tree, "checks")
    tiles._checked_create_surface = _timing(tiles._checked_create_surface, "checks")
    raster.install_hooks()
    tiles.install()  # the timed tile check
    render_module = importlib.import_module("infographic.render")  # the package's render() hides it
    render_module.render_template = _timing(template.render_template, "stage")


def measure(layout: str, size: str, repeats: int) -> dict[str, float]:
    example = example_data_path(layout)
    data = load_data_file(example) if example else None
    samples: dict[str, list[float]] = {k: [] for k in ("render", "checks", "bounded", "stock")}
    for repeat in range(repeats + 1):  # the first of each is a warm-up
        for env in ("bounded", "stock"):
            template._environment = BOUNDED if env == "bounded" else _stock
            _spent.update(checks=0.0, stage=0.0)
            started = time.process_time()
            infographic.render(layout, data, size=size).to_bytes("png")
            total = time.process_time() - started
            if repeat:
                samples[env].append(_spent["stage"])
                if env == "bounded":
                    samples["render"].append(total)
                    samples["checks"].append(_spent["checks"])
    template._environment = BOUNDED
    result = {key: statistics.median(values) * 1000 for key, values in samples.items()}
    # Paired: each bounded stage against the stock one right after it (a load that drifts
    # during the run hits both of a pair alike).
    result["sandbox"] = statistics.median(b - s for b, s in zip(samples["bounded"],
                                                                samples["stock"])) * 1000
    result["reader"] = 0.0
    if example:
        text = example.read_text(encoding="utf-8-sig")
        reads: dict[str, list[float]] = {"bounded": [], "plain": []}
        for _ in range(max(repeats, 25)):
            for name, read in (("bounded", dataparse._parse_yaml), ("plain", yaml.safe_load)):
                started = time.process_time()
                read(text)
                reads[name].append(time.process_time() - started)
        result["reader"] = statistics.median(b - p for b, p in zip(reads["bounded"],
                                                                   reads["plain"])) * 1000
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layouts", default="", help="comma-separated (default: all bundled)")
    parser.add_argument("--sizes", default="square,a3")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    layouts = [n for n in (args.layouts.split(",") if args.layouts else bundled_layouts()) if n]
    sizes = [s for s in args.sizes.split(",") if s]
    install()
    print(f"CPU ms, median of {args.repeats} renders each (sandbox: bounded − stock template "
          "stage; reader: bounded − plain YAML read of the example data)\n")
    header = (f"{'layout':<22} {'size':<7} {'render':>8} {'svg checks':>11} {'sandbox':>8} "
              f"{'reader':>7} {'checks %':>9}")
    print(header)
    print("-" * len(header))
    totals = {"render": 0.0, "checks": 0.0, "sandbox": 0.0, "reader": 0.0}
    shares = []
    for layout in layouts:
        for size in sizes:
            r = measure(layout, size, args.repeats)
            added = r["checks"] + r["sandbox"] + r["reader"]
            shares.append(added / r["render"] * 100)
            for key in totals:
                totals[key] += r[key]
            print(f"{layout:<22} {size:<7} {r['render']:>8.1f} {r['checks']:>11.2f} "
                  f"{r['sandbox']:>8.2f} {r['reader']:>7.2f} {shares[-1]:>8.2f}%", flush=True)
    added = totals["checks"] + totals["sandbox"] + totals["reader"]
    print("-" * len(header))
    print(f"{'all':<30} {totals['render']:>8.1f} {totals['checks']:>11.2f} "
          f"{totals['sandbox']:>8.2f} {totals['reader']:>7.2f} "
          f"{added / totals['render'] * 100:>8.2f}%")
    print(f"\nnew checks: {added / totals['render'] * 100:.2f} % of the renders' CPU time "
          f"(median layout {statistics.median(shares):.2f} %, worst {max(shares):.2f} %); "
          f"svg checks alone {totals['checks'] / totals['render'] * 100:.2f} %, sandbox "
          f"{totals['sandbox'] / totals['render'] * 100:.2f} %, reader "
          f"{totals['reader'] / totals['render'] * 100:.2f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
