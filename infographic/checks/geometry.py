"""Just enough SVG geometry for print checks: transforms, and bounding boxes of shapes.

Boxes are conservative (a path's box includes its control points), which is what a safe-area
check wants: content never sticks out further than its box.
"""

from __future__ import annotations

import math
from typing import Iterator
from xml.etree.ElementTree import Element

from fontTools.svgLib.path import parse_path

from ..svgsyntax import NUMBER, transform_steps

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in SVG matrix()
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

#: Elements whose children are not drawn where they stand (definitions, clip shapes, metadata).
NOT_DRAWN = {"defs", "clipPath", "mask", "pattern", "symbol", "marker", "linearGradient",
             "radialGradient", "filter", "title", "desc", "metadata", "style", "script"}


def local(tag: str) -> str:
    """``{http://www.w3.org/2000/svg}rect`` → ``rect``."""
    return tag.rsplit("}", 1)[-1]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The transform ``m`` applied after ``n`` (SVG order: ``m`` is the parent)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def parse_transform(text: str | None) -> Matrix:
    matrix = IDENTITY
    for name, v in transform_steps(text):
        if not all(math.isfinite(x) for x in v):
            continue  # inf or nan: the limits refuse the document before it is drawn
        if name == "matrix" and len(v) == 6:
            step = tuple(v)
        elif name == "translate" and v:
            step = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "scale" and v:
            step = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "rotate" and v:
            r = math.radians(v[0])
            cx, cy = (v[1], v[2]) if len(v) == 3 else (0, 0)
            step = multiply(multiply((1, 0, 0, 1, cx, cy),
                                     (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0, 0)),
                            (1, 0, 0, 1, -cx, -cy))
        elif name in ("skewX", "skewY") and v:
            t = math.tan(math.radians(v[0]))
            step = (1, 0, t, 1, 0, 0) if name == "skewX" else (1, t, 0, 1, 0, 0)
        else:
            continue
        matrix = multiply(matrix, step)  # type: ignore[arg-type]
    return matrix


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def scale_of(m: Matrix) -> tuple[float, float]:
    """How much the transform stretches the x and y axes."""
    return math.hypot(m[0], m[1]), math.hypot(m[2], m[3])


def number(element: Element, name: str, default: float = 0.0) -> float | None:
    """A plain numeric attribute (user units); None for percentages or other units."""
    value = element.get(name)
    if value is None:
        return default
    value = value.strip()
    if value.endswith("px"):
        value = value[:-2]
    try:
        return float(value)
    except ValueError:
        return None


def transformed_box(m: Matrix, points: list[tuple[float, float]]) -> Box | None:
    if not points:
        return None
    xs, ys = zip(*(apply(m, x, y) for x, y in points))
    return min(xs), min(ys), max(xs), max(ys)


class _PointsPen:
    """A fontTools pen that keeps every point it is given, on-curve and control points alike
    (arcs arrive as cubic curves, whose control points enclose them)."""

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def moveTo(self, pt: tuple[float, float]) -> None:  # noqa: N802 (pen protocol)
        self.points.append((float(pt[0]), float(pt[1])))

    lineTo = moveTo  # noqa: N815

    def curveTo(self, *points: tuple[float, float]) -> None:  # noqa: N802
        self.points.extend((float(x), float(y)) for x, y in points)

    qCurveTo = curveTo  # noqa: N815

    def closePath(self) -> None:  # noqa: N802
        pass

    endPath = closePath  # noqa: N815


def path_points(d: str) -> list[tuple[float, float]]:
    """End and control points of a path (absolute), for a conservative bounding box: read by
    fontTools' SVG path parser, the one the drawing stage uses (malformed data: the points up
    to the error)."""
    pen = _PointsPen()
    try:
        parse_path(d or "", pen)
    except (ValueError, IndexError, TypeError, ArithmeticError):
        pass
    return pen.points


def shape_points(element: Element) -> list[tuple[float, float]]:
    """The points whose box bounds a shape, in its own user space."""
    tag = local(element.tag)
    if tag in ("rect", "image", "use"):
        x, y = number(element, "x"), number(element, "y")
        w, h = number(element, "width", -1), number(element, "height", -1)
        if None in (x, y, w, h) or w <= 0 or h <= 0:  # type: ignore[operator]
            return []
        return [(x, y), (x + w, y + h)]  # type: ignore[operator,list-item]
    if tag in ("circle", "ellipse"):
        cx, cy = number(element, "cx"), number(element, "cy")
        rx = number(element, "r" if tag == "circle" else "rx")
        ry = number(element, "r" if tag == "circle" else "ry")
        if None in (cx, cy, rx, ry):
            return []
        return [(cx - rx, cy - ry), (cx + rx, cy + ry)]  # type: ignore[operator]
    if tag == "line":
        values = [number(element, k) for k in ("x1", "y1", "x2", "y2")]
        return [] if None in values else [(values[0], values[1]), (values[2], values[3])]  # type: ignore[list-item]
    if tag in ("polyline", "polygon"):
        v = [float(n) for n in NUMBER.findall(element.get("points", ""))]
        return list(zip(v[0::2], v[1::2]))
    if tag == "path":
        return path_points(element.get("d", ""))
    return []


def walk(element: Element, ctm: Matrix = IDENTITY
         ) -> Iterator[tuple[Element, Matrix, list[Element]]]:
    """Every drawn element below ``element`` with its transform to canvas units and ancestors."""
    def visit(node: Element, matrix: Matrix, ancestors: list[Element]):
        for child in node:
            if not isinstance(child.tag, str) or local(child.tag) in NOT_DRAWN:
                continue
            child_matrix = multiply(matrix, parse_transform(child.get("transform")))
            yield child, child_matrix, ancestors
            yield from visit(child, child_matrix, ancestors + [child])
    yield from visit(element, ctm, [element])


def union(boxes: "list[Box]") -> Box | None:
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def subtree_box(element: Element, matrix: Matrix) -> Box | None:
    """Box of ``element`` (already transformed by ``matrix``) and everything drawn inside it."""
    boxes = [transformed_box(matrix, shape_points(element))]
    boxes.extend(transformed_box(m, shape_points(e)) for e, m, _ in walk(element, matrix))
    return union([b for b in boxes if b is not None])
