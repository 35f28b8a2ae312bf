"""How an area gets its colour: by category (the four epidemic levels by default) or by value
classes (quantiles, equal steps or given breaks), and the legend entry of each class.

The epidemic levels are those of Nghị quyết 128/NQ-CP (11/10/2021) with the colours the Ministry
of Health's guidance gives them (Quyết định 4800/QĐ-BYT): cấp 1 xanh, cấp 2 vàng, cấp 3 cam,
cấp 4 đỏ.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ...colour import mix
from ...formatting import format_number
from .join import fold


@dataclass(frozen=True)
class Category:
    """One class of the scale: the value(s) it stands for, its legend name and colour."""

    key: str
    name: str
    color: str


#: The default category scale: cấp độ dịch 1–4.
EPIDEMIC_LEVELS = (
    Category("1", "Cấp 1 – Nguy cơ thấp", "#2e9e4f"),
    Category("2", "Cấp 2 – Nguy cơ trung bình", "#f2c500"),
    Category("3", "Cấp 3 – Nguy cơ cao", "#ef7d1a"),
    Category("4", "Cấp 4 – Nguy cơ rất cao", "#d62828"),
)
_LEVEL_WORDS = {"xanh": "1", "vang": "2", "cam": "3", "do": "4"}


def category_key(value: Any) -> str:
    """A data value as a category key: 3, "3", "Cấp 3", "cấp độ 3", "cam" → "3" for the
    epidemic levels; any other text as written (trimmed)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    match = re.fullmatch(r"(?i)(?:c[aấ]p(?:\s+đ[oộ])?\s*)?([1-4])", text)
    if match:
        return match.group(1)
    return _LEVEL_WORDS.get(fold(text), text)


def category_scale(categories: "Sequence[Any] | dict[str, Any] | None") -> list[Category]:
    """The scale a layout declares — ``[{key, name, color}, …]`` or ``{key: color}`` — or the
    epidemic levels."""
    if not categories:
        return list(EPIDEMIC_LEVELS)
    if isinstance(categories, dict):
        return [Category(str(k), str(k), str(v)) for k, v in categories.items()]
    scale = []
    for item in categories:
        if isinstance(item, Category):
            scale.append(item)
        else:
            key = str(item["key"])
            scale.append(Category(key, str(item.get("name", key)), str(item["color"])))
    return scale


def class_breaks(values: Sequence[float], method: str = "quantile", classes: int = 5,
                 breaks: Sequence[float] | None = None) -> list[float]:
    """The inner class limits: ``classes - 1`` numbers (fewer when values repeat). A value
    below the first limit is class 0; at or above limit i, class i + 1."""
    if breaks:
        return sorted(float(b) for b in breaks)
    ordered = sorted(values)
    if not ordered:
        return []
    classes = max(2, min(7, int(classes)))
    low, high = ordered[0], ordered[-1]
    if method == "equal":
        step = (high - low) / classes
        limits = [low + step * i for i in range(1, classes)]
    elif method == "quantile":
        limits = []
        for i in range(1, classes):
            position = (len(ordered) - 1) * i / classes
            below = ordered[math.floor(position)]
            above = ordered[math.ceil(position)]
            limits.append(below + (above - below) * (position - math.floor(position)))
    else:
        raise ValueError(f"method must be 'quantile', 'equal' or 'breaks', not '{method}'")
    limits = [_round_limit(v, high - low) for v in limits]
    return sorted({v for v in limits if low < v <= high})


def _round_limit(value: float, span: float) -> float:
    """A class limit people can read: a multiple of half a unit of the span's third digit
    (span 2,900: steps of 5; span 100: 0.05 → 25, not 24.75)."""
    if span <= 0:
        return value
    step = 0.5 * 10 ** (math.floor(math.log10(span)) - 2)
    return round(math.floor(value / step + 0.5) * step, 9)


def class_of(value: float, limits: Sequence[float]) -> int:
    for index, limit in enumerate(limits):
        if value < limit:
            return index
    return len(limits)


def class_names(limits: Sequence[float], unit: str = "",
                number: Callable[[float], str] | None = None) -> list[str]:
    """Legend texts in vi-VN numbers: "Dưới 10", "10 – dưới 25", "Từ 25 trở lên"."""
    fmt = number or (lambda v: format_number(v, locale="vi_VN"))
    tail = f" {unit}" if unit else ""
    if not limits:
        return [f"Mọi giá trị{tail}"]
    names = [f"Dưới {fmt(limits[0])}{tail}"]
    for low, high in zip(limits, limits[1:]):
        names.append(f"{fmt(low)} – dưới {fmt(high)}{tail}")
    names.append(f"Từ {fmt(limits[-1])}{tail} trở lên")
    return names


def sequential_colors(base: str, background: str, count: int) -> list[str]:
    """``count`` steps from a pale tint of ``base`` to ``base`` itself (light = low)."""
    if count == 1:
        return [base]
    return [mix(base, background, 0.85 * (1 - i / (count - 1))) for i in range(count)]
