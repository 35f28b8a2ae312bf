"""Chart data in the shapes people have it: a mapping, rows of a table field, or pairs.

Values may be missing (None, empty, not a number): charts show a gap, never a fake zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .kit import finite


@dataclass(frozen=True)
class Point:
    label: Any  # text for categories, a date for time series
    value: float | None


def _row_get(row: Any, key: str, position: int) -> Any:
    if isinstance(row, Mapping):
        return row.get(key)
    if isinstance(row, (list, tuple)):
        return row[position] if position < len(row) else None
    return row if position == 1 else None


def points(items: Any, label: str = "label", value: str = "value") -> list[Point]:
    """``{"Quận 1": 12, …}``, ``[{"label": …, "value": …}, …]``, ``[("Quận 1", 12), …]`` or
    ``[12, 15, …]`` (labelled 1, 2, …) → points in the given order."""
    if items is None:
        return []
    if isinstance(items, Mapping):
        return [Point(k, finite(v)) for k, v in items.items()]
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        items = list(items) if hasattr(items, "__iter__") and not isinstance(items, (str, bytes)) \
            else None
        if items is None:
            raise TypeError("chart data must be a list of rows, a mapping or a list of numbers")
    result = []
    for index, row in enumerate(items):
        if isinstance(row, (int, float)) or row is None:
            result.append(Point(str(index + 1), finite(row)))
        else:
            result.append(Point(_row_get(row, label, 0), finite(_row_get(row, value, 1))))
    return result


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            parts = text.replace("-", "/").replace(".", "/").split("/")
            if len(parts) == 3 and all(p.isdigit() for p in parts):
                try:
                    return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
                except ValueError:
                    return None
    return None


def table(items: Any, label: str, keys: Sequence[str]) -> tuple[list[Any], list[list[float | None]]]:
    """Rows with several value columns (stacked bars): labels and one list of values per row."""
    if isinstance(items, Mapping):
        items = [{label: k, **v} for k, v in items.items()]
    labels, rows = [], []
    for row in items or []:
        if not isinstance(row, Mapping):
            raise TypeError("stacked chart rows must be mappings of label and series values")
        labels.append(row.get(label))
        rows.append([finite(row.get(k)) for k in keys])
    return labels, rows
