"""WCAG 2.x contrast: relative luminance, contrast ratio, and the pass/fail rule for text.

Text is *large* (needs 3:1 instead of 4.5:1) from 24 canvas units, or from 18.66 units when bold
(WCAG's 18 pt / 14 pt bold at 96 px per inch; canvas units are CSS pixels at 1080 wide).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ..colour import contrast_ratio, mix, parse_hex, readable_on, relative_luminance, to_hex

if TYPE_CHECKING:
    from ..layout.manifest import Layout
    from . import Theme

NORMAL_TEXT = 4.5
LARGE_TEXT = 3.0
LARGE_SIZE = 24.0
LARGE_BOLD_SIZE = 18.66
BOLD_WEIGHT = 700

__all__ = ["BOLD_WEIGHT", "LARGE_BOLD_SIZE", "LARGE_SIZE", "LARGE_TEXT", "NORMAL_TEXT",
           "check_layout", "contrast_ratio", "is_large_text", "layout_contrast_problems", "mix", "parse_hex", "readable_on",
           "relative_luminance", "required_ratio", "slot_background", "text_contrast_problem",
           "to_hex"]  # the colour arithmetic lives in infographic/colour.py


def is_large_text(size: float, weight: int = 400) -> bool:
    return size >= LARGE_SIZE or (weight >= BOLD_WEIGHT and size >= LARGE_BOLD_SIZE)


def required_ratio(size: float, weight: int = 400) -> float:
    """WCAG AA minimum for text of this size and weight."""
    return LARGE_TEXT if is_large_text(size, weight) else NORMAL_TEXT


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


def layout_contrast_problems(layout: "Layout", theme: "Theme") -> list[str]:
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


#: Deprecated name (``infographic check`` has its own ``check_layout``).
check_layout = layout_contrast_problems
