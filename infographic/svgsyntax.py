"""SVG attribute syntax, written and read in one place: numbers we write, transforms we read.

* :func:`svg_number` is how every block, chart, icon, QR code and glyph run writes a coordinate
  (a fixed number of decimals, no trailing zeros, never ``-0``), so two places cannot round the
  same value differently;
* :func:`transform_steps` splits a ``transform`` attribute into its steps, for the limits'
  bound on what cairo is asked to draw (``limits.py``) and for the print checks' geometry
  (``checks/geometry.py``).
"""

from __future__ import annotations

import re

#: A number as SVG writes it, and ``inf``/``nan`` (which Python's float() reads: the limits
#: must see them to refuse them).
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\b(?:inf|nan|infinity)\b",
                    re.IGNORECASE)
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")


def svg_number(value: float, places: int = 2) -> str:
    """``value`` for an SVG attribute: at most ``places`` decimals, trailing zeros dropped
    (``12.50`` → ``12.5``, ``3.0`` → ``3``, ``-0.001`` → ``0``)."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fine_number(value: float) -> str:
    """``value`` to three decimals: QR modules, icons and photos are placed finer than text."""
    return svg_number(value, 3)


def transform_steps(text: str | None) -> list[tuple[str, list[float]]]:
    """The steps of a ``transform`` attribute in order: ``[("translate", [10.0, 20.0]), …]``
    (unknown functions are skipped; the arguments are whatever numbers each one holds)."""
    return [(name, [float(v) for v in NUMBER.findall(arguments)])
            for name, arguments in _TRANSFORM.findall(text or "")]
