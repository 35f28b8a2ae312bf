"""WCAG 2.x contrast: relative luminance, contrast ratio, and the pass/fail rule for text.

Text is *large* (needs 3:1 instead of 4.5:1) from 24 canvas units, or from 18.66 units when bold
(WCAG's 18 pt / 14 pt bold at 96 px per inch; canvas units are CSS pixels at 1080 wide).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from ..layout.manifest import Layout
    from . import Theme

NORMAL_TEXT = 4.5
LARGE_TEXT = 3.0
LARGE_SIZE = 24.0
LARGE_BOLD_SIZE = 18.66
BOLD_WEIGHT = 700


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


def relative_luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in parse_hex(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """From 1 (same colour) to 21 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def is_large_text(size: float, weight: int = 400) -> bool:
    return size >= LARGE_SIZE or (weight >= BOLD_WEIGHT and size >= LARGE_BOLD_SIZE)


def required_ratio(size: float, weight: int = 400) -> float:
    """WCAG AA minimum for text of this size and weight."""
    return LARGE_TEXT if is_large_text(size, weight) else NORMAL_TEXT


def mix(color: str, other: str, amount: float) -> str:
    """``amount`` of ``other`` blended into ``color`` (0: color, 1: other), in sRGB."""
    a, b = parse_hex(color), parse_hex(other)
    return to_hex(x + (y - x) * amount for x, y in zip(a, b))


def readable_on(background: str, candidates: Iterable[str]) -> str:
    """The candidate with the highest contrast on ``background`` (e.g. white or the text colour
    for a label inside a bar)."""
    return max(candidates, key=lambda c: contrast_ratio(c, background))


# -- text slots ------------------------------------------------------------------------------

def slot_background(theme: "Theme", spec: Mapping[str, Any]) -> str:
    """The colour a text slot is set on: its ``background:`` (a palette key or #hex); else, for
    ``color: on_primary``-style colours, the colour they are meant for; else the theme's
    background."""
    background = spec.get("background")
    if background:
        return theme.color(str(background))
    color = str(spec.get("color", "text"))
    if color.startswith("on_") and color[3:] in theme.palette:
        return theme.palette[color[3:]]
    return theme.palette["background"]


def text_contrast_problem(theme: "Theme", spec: Mapping[str, Any], size: float,
                          weight: int) -> str | None:
    """Why text styled by ``spec`` (slot keys: color, background) fails WCAG AA at ``size`` and
    ``weight``, or None when it passes."""
    foreground = theme.color(str(spec.get("color", "text")))
    background = slot_background(theme, spec)
    ratio = contrast_ratio(foreground, background)
    needed = required_ratio(size, weight)
    if ratio + 1e-9 >= needed:
        return None
    return (f"text {foreground} on {background} has a contrast of {ratio:.2f}:1 at size "
            f"{size:g}; WCAG AA needs {needed:g}:1 — use a darker/lighter colour in the theme "
            "or set the slot's background:")


def check_layout(layout: "Layout", theme: "Theme") -> list[str]:
    """Contrast problems of every text slot ``layout`` declares, with ``theme``, at the smallest
    size each slot may shrink to (the strictest case)."""
    problems = []
    for slot, spec in layout.slots.items():
        role = spec.get("font", "body")
        weight = int(spec.get("weight") or (theme.fonts.get(role) or {}).get("weight", 400))
        size = float(spec.get("min_size") or spec.get("size") or 32)
        problem = text_contrast_problem(theme, spec, size, weight)
        if problem:
            problems.append(f"layout '{layout.name}', theme '{theme.name}', slot '{slot}': "
                            f"{problem}")
    return problems
