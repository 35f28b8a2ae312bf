"""SVG transforms and lengths, enough to place a drawing's parts on the artboard."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from ...svgsyntax import NUMBER, svg_number, transform_steps

#: CSS pixels per unit (96 per inch), as SVG and every editor count them.
UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
         "in": 96.0, "q": 96 / 25.4 / 4}
#: What may follow a length's number: its unit.
_UNIT = re.compile(r"\s*([a-zA-Z%]*)\s*")


class Matrix(NamedTuple):
    """The affine map ``(x, y) → (a·x + c·y + e, b·x + d·y + f)``."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    def __matmul__(self, other: "Matrix") -> "Matrix":  # type: ignore[override]
        """``self`` applied after ``other``."""
        a, b, c, d, e, f = self
        A, B, C, D, E, F = other
        return Matrix(a * A + c * B, b * A + d * B, a * C + c * D, b * C + d * D,
                      a * E + c * F + e, b * E + d * F + f)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    @property
    def scale(self) -> float:
        """The mean scale (square root of the area factor)."""
        return math.sqrt(abs(self.a * self.d - self.b * self.c))

    @property
    def axis_aligned(self) -> bool:
        return abs(self.b) < 1e-9 and abs(self.c) < 1e-9 and self.a > 0 and self.d > 0

    @property
    def is_identity(self) -> bool:
        return all(abs(x - y) < 1e-9 for x, y in zip(self, Matrix()))

    def inverse(self) -> "Matrix":
        a, b, c, d, e, f = self
        det = a * d - b * c
        if abs(det) < 1e-12:
            raise ValueError("the transform flattens everything to a line")
        ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
        return Matrix(ia, ib, ic, id_, -(ia * e + ic * f), -(ib * e + id_ * f))

    def box(self, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        """The axis-aligned bounds of a transformed box, as (x, y, width, height)."""
        corners = [self.point(px, py) for px in (x, x + w) for py in (y, y + h)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)

    def svg(self) -> str:
        """The ``transform`` attribute, to a millionth (a rotation's terms need the digits)."""
        return "matrix(" + " ".join(svg_number(v, 6) for v in self) + ")"


def parse_transform(text: str | None) -> Matrix:
    """An SVG ``transform`` attribute as one matrix (an unreadable part counts as identity)."""
    result = Matrix()
    for kind, numbers in transform_steps(text):
        n = [v for v in numbers if math.isfinite(v)]  # inf and nan are unreadable
        if kind == "matrix" and len(n) == 6:
            step = Matrix(*n)
        elif kind == "translate" and n:
            step = Matrix(e=n[0], f=n[1] if len(n) > 1 else 0.0)
        elif kind == "scale" and n:
            step = Matrix(a=n[0], d=n[1] if len(n) > 1 else n[0])
        elif kind == "rotate" and n:
            angle = math.radians(n[0])
            cos, sin = math.cos(angle), math.sin(angle)
            step = Matrix(cos, sin, -sin, cos)
            if len(n) == 3:
                step = Matrix(e=n[1], f=n[2]) @ step @ Matrix(e=-n[1], f=-n[2])
        elif kind == "skewX" and n:
            step = Matrix(c=math.tan(math.radians(n[0])))
        elif kind == "skewY" and n:
            step = Matrix(b=math.tan(math.radians(n[0])))
        else:
            continue
        result = result @ step
    return result


def length(text: str | None, default: float = 0.0, *, font_size: float = 16.0) -> float:
    """An SVG length in user units (px); ``em`` relative to ``font_size``; % is not resolved."""
    if text is None:
        return default
    split = _split_length(text)
    if split is None:
        return default
    value, unit = split
    if unit == "em":
        return value * font_size
    return value * UNITS.get(unit, 1.0) if unit != "%" else default


def unit_of(text: str | None) -> str:
    split = _split_length(text or "")
    return split[1] if split else ""


def _split_length(text: str) -> tuple[float, str] | None:
    """``" 12.5mm "`` → ``(12.5, "mm")``; None unless it is a finite number and a unit."""
    text = str(text).lstrip()
    number = NUMBER.match(text)
    unit = _UNIT.fullmatch(text, number.end()) if number else None
    if number is None or unit is None:
        return None
    value = float(number.group())
    return (value, unit.group(1).lower()) if math.isfinite(value) else None
