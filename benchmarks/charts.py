"""Charts: build time of each chart type, and the demo-charts dashboard against a text-only
layout, in one run.

    python benchmarks/charts.py [--repeats 5] [--json out.json]

* per chart: median seconds to build one chart (data → SVG with every label set by the text
  engine), at 920×500 canvas units, with typical data (6 bars, 90 days, 4 slices…);
* dashboard: ``render("demo-charts")`` (ten cards, eleven chart kinds) and its PNG, against
  ``render("announcement")`` (text only) as the baseline, both warm (fonts loaded once).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from typing import Any, Callable

import infographic
from timing import median_seconds
from infographic.blocks.charts import (area_chart, bar_chart, big_number, donut_chart,
                                       line_chart, pictogram, progress_bar, progress_ring,
                                       stacked_bar_chart)

WARDS = [("Phường 1", 412), ("Phường 4", 1260), ("Phường Võ Thị Sáu", 2034), ("Phường 9", 731),
         ("Phường 11", 0), ("Phường 14", 1588)]
DAYS = [{"date": dt.date(2021, 6, 1) + dt.timedelta(days=i),
         "value": int(500 + 300 * math.sin(i / 9))} for i in range(90)]
WEEKS = [{"label": f"Tuần {i}", "dose1": 50000 - 4000 * i, "dose2": 18000 + 9000 * i}
         for i in range(33, 38)]



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    charts: dict[str, Callable[[], Any]] = {
        "column": lambda: bar_chart(WARDS, 0, 0, 920, 500),
        "ranked bars": lambda: bar_chart(WARDS, 0, 0, 920, 500, orientation="horizontal",
                                         sort="desc", highlight="Phường 14"),
        "stacked": lambda: stacked_bar_chart(WEEKS, ["dose1", "dose2"], 0, 0, 920, 500),
        "line, 90 days": lambda: line_chart(DAYS, 0, 0, 920, 500),
        "area, 90 days": lambda: area_chart(DAYS, 0, 0, 920, 500),
        "donut": lambda: donut_chart(WARDS[:4], 0, 0, 920, 500),
        "progress ring": lambda: progress_ring(98.5, 0, 0, 300, label="mũi 1"),
        "progress bar": lambda: progress_bar(72.3, 0, 0, 920, 80, label="Mũi 2"),
        "big number": lambda: big_number(7605092, 0, 0, 460, 300, delta=12.3,
                                         delta_percent=True, series=DAYS[-14:]),
        "pictogram": lambda: pictogram(7.2, 0, 0, 600, 300, caption=True),
    }
    results: dict[str, float] = {}
    for name, build in charts.items():
        results[f"chart: {name}"] = median_seconds(build, args.repeats)
    for layout in ("announcement", "demo-charts"):
        results[f"render {layout} (SVG)"] = median_seconds(
            lambda: infographic.render(layout, size="portrait"), args.repeats)
        art = infographic.render(layout, size="portrait")
        results[f"render {layout} → PNG"] = median_seconds(lambda: art.to_bytes("png"),
                                                          args.repeats)
    width = max(len(k) for k in results)
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds * 1000:8.1f} ms")
    ratio = results["render demo-charts (SVG)"] / results["render announcement (SVG)"]
    print(f"dashboard / text-only render: {ratio:.2f}×")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"seconds": results, "dashboard_ratio": ratio}, handle, indent=2)


if __name__ == "__main__":
    main()
