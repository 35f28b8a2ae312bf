"""Maps: a 700-ward city coloured by a figure, against the daily-trend chart layout.

    python benchmarks/maps.py [--repeats 3] [--cpu] [--json out.json]

The city is constructed (geodata/make_example_district.py: a 30 × 30 lattice with the corners
cut, 700-odd wards with wavy borders, about 33 vertices each), written as GeoJSON to a temporary
asset folder and drawn by ``map-figures`` with one value per ward. Reported, warm (fonts and the
map file read once), median of the repeats, the cases run in turn in each round so that all
see the same load on a shared machine:

* ``render`` (layout stage: projection, simplification, join, labels, legend) and the PNG, at
  ``square`` and ``a3``;
* the same for ``daily-trend`` with its example data, the chart layout the issue compares with
  (the map at ``square`` should cost no more than twice it: the ratio is the median of the
  rounds' ratios);
* the 63 provinces (bundled) in ``map-figures`` with its example data.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import infographic
from timing import interleaved_seconds
from infographic.datafile import load_data_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _constructed_city() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(
        "make_example_district", ROOT / "geodata" / "make_example_district.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.constructed_district(columns=30, rows=30, seed=700, cell=0.004)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--cpu", action="store_true",
                        help="time this process's CPU instead of the wall clock (steadier "
                             "when others load the machine)")
    args = parser.parse_args()
    city = _constructed_city()
    wards = [f["properties"]["name"] for f in city["features"]]
    city_label = f"map-figures, {len(wards)} wards"
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "city.geojson").write_text(json.dumps(city, ensure_ascii=False),
                                                   encoding="utf-8")
        city_data = {"title": f"Ca mắc mới theo phường ({len(wards)} phường, bản đồ dựng minh "
                              "hoạ)", "measure": "Ca mắc mới trong 7 ngày",
                     "map_file": "city.geojson", "source": "Số liệu minh hoạ",
                     "rows": [{"name": name, "value": (i * 37) % 211}
                              for i, name in enumerate(wards)]}
        cases = {
            city_label: ("map-figures", city_data, [folder]),
            "map-figures, 63 provinces": ("map-figures",
                                          load_data_file(EXAMPLES / "map-figures.yaml"), []),
            "daily-trend": ("daily-trend", load_data_file(EXAMPLES / "daily-trend.yaml"), []),
        }
        actions: dict[str, Callable[[], Any]] = {}
        for size in ("square", "a3"):
            for label, (layout, data, assets) in cases.items():
                render = functools.partial(infographic.render, layout, data, size=size,
                                           assets=assets)
                art = render()
                actions[f"{label} @ {size}: render"] = render
                actions[f"{label} @ {size}: PNG"] = functools.partial(art.to_bytes, "png")
        times = interleaved_seconds(actions, args.repeats,
                                    clock=time.process_time if args.cpu else time.perf_counter)
    results = {name: statistics.median(seconds) for name, seconds in times.items()}
    width = max(len(k) for k in results)
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds * 1000:9.1f} ms")
    ratios = {}
    for size in ("square", "a3"):
        def total(label: str, round_: int) -> float:
            return (times[f"{label} @ {size}: render"][round_]
                    + times[f"{label} @ {size}: PNG"][round_])
        ratios[size] = statistics.median(total(city_label, i) / total("daily-trend", i)
                                         for i in range(args.repeats))
        print(f"{len(wards)}-ward map / daily-trend at {size} (render + PNG, median of the "
              f"per-round ratios): {ratios[size]:.2f}×")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"seconds": results, "ratio_to_daily_trend": ratios}, handle, indent=2)


if __name__ == "__main__":
    main()
