"""Charts drawn as native SVG with the theme's colours and our text engine.

Templates call them by name (``{{ bar_chart(cases, x=80, y=300, width=920, height=500) }}``);
Python calls the same functions (``from infographic.blocks.charts import bar_chart``), which
return a :class:`~.kit.Chart` (``.svg``, ``.labels`` with their boxes).
"""

from __future__ import annotations

from functools import partial, wraps
from typing import Any, Callable

from .. import register
from .bar import bar_chart, stacked_bar_chart
from .bignumber import big_number, sparkline
from .donut import donut_chart, pie_chart, progress_ring
from .line import area_chart, line_chart
from .pictogram import pictogram
from .progress import progress_bar
from .kit import Chart, ChartKit, kit_for

CHARTS: dict[str, Callable[..., Chart]] = {
    "bar_chart": bar_chart,
    "stacked_bar_chart": stacked_bar_chart,
    "line_chart": line_chart,
    "area_chart": area_chart,
    "donut_chart": donut_chart,
    "pie_chart": pie_chart,
    "progress_ring": progress_ring,
    "progress_bar": progress_bar,
    "big_number": big_number,
    "sparkline": sparkline,
    "pictogram": pictogram,
}


def _expose(name: str, function: Callable[..., Chart]) -> None:
    def factory(context: Any) -> Callable[..., Chart]:
        bound = partial(function, kit=kit_for(context))
        return wraps(function)(bound)
    register(name)(factory)


for _name, _function in CHARTS.items():
    _expose(_name, _function)

__all__ = ["Chart", "ChartKit", *CHARTS]
