"""Colours, one module: what a ``#rgb``/``#rrggbb`` colour is, its channels, and WCAG 2.x
relative luminance and contrast ratio (the rules for *text* contrast are in
``infographic/themes/contrast.py``)."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def is_hex(text: str) -> bool:
    """True for ``#abc`` and ``#aabbcc`` (the colours themes, slots and data may use)."""
    return _HEX.fullmatch(text) is not None


def parse_hex(color: str) -> tuple[int, int, int]:
    """``#abc`` or ``#aabbcc`` → (r, g, b) in 0..255."""
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"'{color}' is not a #rrggbb colour")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def to_hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def luma(rgb: Sequence[float]) -> float:
    """The grey of an sRGB colour given as 0–1 channels, weighted as its luminance is but on
    the encoded values (what a PDF luminosity mask or a DeviceGray conversion takes)."""
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance: the channels linearised, then weighted."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = parse_hex(color)
    return luma((channel(r), channel(g), channel(b)))


def contrast_ratio(foreground: str, background: str) -> float:
    """From 1 (same colour) to 21 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def mix(color: str, other: str, amount: float) -> str:
    """``amount`` of ``other`` blended into ``color`` (0: color, 1: other), in sRGB."""
    a, b = parse_hex(color), parse_hex(other)
    return to_hex(x + (y - x) * amount for x, y in zip(a, b))


def readable_on(background: str, candidates: Iterable[str]) -> str:
    """The candidate with the highest contrast on ``background`` (e.g. white or the text colour
    for a label inside a bar)."""
    return max(candidates, key=lambda c: contrast_ratio(c, background))
