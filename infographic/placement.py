"""One text-placement service: every text a render sets goes through :class:`TextPlacer`.

Layout slots (``text(...)`` in a template), chart labels, the icon sheet's names and the print
slug are all fitted by the text engine (``infographic/text``), placed in the render's
:class:`~infographic.scene.Scene` (so the drawing stage draws their glyphs) and recorded in its
:class:`~infographic.fitreport.FitReport` — a slot in ``entries``, a chart label in ``labels``
— with the same findings for a text that does not fit or has a character no font has. Without
a scene or a report (a chart drawn outside a render, the icon sheet) the same call returns the
text's SVG and records nothing.

Measuring (:meth:`TextPlacer.measure`, :meth:`TextPlacer.height`,
:meth:`TextPlacer.common_size`) sets text the same way and places nothing, so a template or a
chart can try sizes before it commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable

from .errors import FitError
from .fitreport import FitEntry, FitReport
from .scene import Scene
from .text.fit import FittedText, TextStyle, fit_text
from .text.fonts import FontRegistry
from .text.svg import block_top, ink_boxes, text_svg

Box = tuple[float, float, float, float]  # x, y, width, height in canvas units
#: Statuses that are a finding for a layout's slot; a chart label truncated to its one line
#: with "…" is what labels do, so only an overflow is one.
SLOT_PROBLEMS = ("illegible", "truncated", "overflow")
LABEL_PROBLEMS = ("overflow",)
_UNBOUNDED = 1e9  # a box no text reaches: measuring sets text at its own size


@dataclass(frozen=True)
class Placed:
    """A placed text: ``markup`` stands for it in the document (a scene placeholder, or glyph
    paths without a scene); ``entry`` is its fit-report record, at ``index`` in the report's
    ``entries`` or ``labels``; ``run`` is its text run in the scene."""

    fitted: FittedText
    markup: str
    box: Box
    top: float  # where the first line's block starts (valign applied)
    entry: FitEntry | None = None
    index: int | None = None
    run: int | None = None


@lru_cache(maxsize=256)  # templates measure the same few styles hundreds of times a render
def _measuring(style: TextStyle) -> TextStyle:
    """``style`` at its own size, never shrinking, wrapping only at its width, never failing."""
    if style.max_lines is None and style.overflow == "visible" and style.smallest == style.size:
        return style
    return replace(style, max_lines=None, min_size=None, overflow="visible")


class TextPlacer:
    """Fits, places and records text for one render (or none: ``report``/``scene`` None).

    ``units_per_mm`` (print sizes) lets a finding give sizes in points as well.
    """

    def __init__(self, registry: FontRegistry, report: FitReport | None = None,
                 scene: Scene | None = None, *, units_per_mm: float | None = None) -> None:
        self.registry, self.report, self.scene = registry, report, scene
        self.units_per_mm = units_per_mm

    # -- setting without placing ---------------------------------------------------------
    def fit(self, text: Any, style: TextStyle, width: float, height: float, *,
            one_line_if_lower: bool = False) -> FittedText:
        """``text`` set in a ``width`` × ``height`` box by ``style``'s policy. With
        ``one_line_if_lower`` a box lower than one line gets one line shortened with "…"
        (chart labels) instead of a :class:`FitError`."""
        if not one_line_if_lower:
            return fit_text(text, style, width, height, self.registry)
        width, height = max(1.0, width), max(1.0, height)
        try:
            return fit_text(text, style, width, height, self.registry)
        except FitError:
            one_line = replace(style, max_lines=1, overflow="truncate")
            return fit_text(text, one_line, width, 1e6, self.registry)

    def measure(self, text: Any, style: TextStyle) -> float:
        """Width of the longest line of ``text`` set unwrapped at the style's size (hard line
        breaks kept)."""
        fitted = fit_text(text, _measuring(style), _UNBOUNDED, _UNBOUNDED, self.registry)
        return max((line.width for line in fitted.lines), default=0.0) * fitted.size

    def height(self, text: Any, style: TextStyle, width: float = _UNBOUNDED) -> float:
        """Height of ``text`` set at the style's size in a column ``width`` wide."""
        return fit_text(text, _measuring(style), width, _UNBOUNDED, self.registry).height

    def common_size(self, entries: Iterable[tuple[Any, float, float]], style: TextStyle, *,
                    one_line_if_lower: bool = False) -> float:
        """The largest size at which every ``(text, width, height)`` fits: one type size for
        sibling boxes (the cards of a grid, the value labels of a chart)."""
        sizes = [self.fit(text, style, width, height, one_line_if_lower=one_line_if_lower).size
                 for text, width, height in entries if text is not None and str(text).strip()]
        return min(sizes, default=style.size)

    # -- placing -------------------------------------------------------------------------
    def place(self, text: Any, style: TextStyle, box: Box, slot: str, *,
              label: bool = False, role: str = "", floor: float = 0.0,
              container: str = "", fitted: FittedText | None = None) -> Placed:
        """Fit ``text`` into ``box`` (x, y, width, height), place it in the scene and record it
        in the fit report under ``slot``: a layout slot, or with ``label=True`` a chart label
        (which never fails: a box lower than a line gets one shortened line). ``role`` and
        ``floor`` (canvas units) make a slot set under its role's floor "illegible".
        ``fitted`` is the text already set by :meth:`fit`, for a caller that fits first (the
        render context turns a :class:`FitError` into one naming the layout and slot)."""
        x, y, width, height = box
        if fitted is None:
            fitted = self.fit(text, style, width, height, one_line_if_lower=label)
        top = block_top(fitted, y, height)
        entry = index = None
        if self.report is not None:
            entry, index = self._record(fitted, style, box, top, slot, label, role, floor,
                                        container)
        if self.scene is not None:
            markup = self.scene.place_text(fitted, x, y, width, height, slot)
            run: int | None = len(self.scene.texts) - 1
        else:
            markup, run = text_svg(fitted, x, y, width, height, slot), None
        return Placed(fitted, markup, box, top, entry, index, run)

    def _record(self, fitted: FittedText, style: TextStyle, box: Box, top: float, slot: str,
                label: bool, role: str, floor: float, container: str) -> tuple[FitEntry, int]:
        assert self.report is not None
        status, message = fitted.status, fitted.message
        if floor and fitted.lines and status in ("fit", "shrunk") and fitted.size < floor - 1e-6:
            status, message = "illegible", self._illegible(fitted.size, floor, role)
        missing = tuple(sorted(fitted.missing))
        entry = FitEntry(
            slot=slot, status=status, size=fitted.size, max_size=style.size,
            min_size=style.smallest, lines=len(fitted.lines), max_lines=style.max_lines, box=box,
            content_height=round(fitted.height, 2),
            content_box=(box[0], round(top, 2), box[2], round(fitted.height, 2)),
            missing_chars=missing, message=message, role=role, floor=floor,
            ink=() if label else ink_boxes(fitted, *box), drawn=label, container=container,
            line_texts=fitted.line_texts)
        records = self.report.labels if label else self.report.entries
        records.append(entry)
        what = f"chart label '{fitted.text}'" if label else f"slot '{slot}'"
        if status in (LABEL_PROBLEMS if label else SLOT_PROBLEMS):
            self.report.add("fit", f"{what}: {message or status}", slot)
        if missing:
            listed = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            self.report.add("missing-glyph", f"{what}: no bundled font or emoji has {listed}; "
                            "drawn as an empty box — remove or replace the character", slot)
        return entry, len(records) - 1

    def _illegible(self, size: float, floor: float, role: str) -> str:
        points = ""
        if self.units_per_mm:  # print: 72 pt to the inch, 25.4 mm
            points = (f" ({size / self.units_per_mm * 72 / 25.4:.1f} pt, floor "
                      f"{floor / self.units_per_mm * 72 / 25.4:.1f} pt)")
        return (f"illegible: set at {size:g}, under the {floor:g}-unit floor of {role} "
                f"text{points}; give the box more room, shorten the text, or let the layout "
                "change its arrangement")
