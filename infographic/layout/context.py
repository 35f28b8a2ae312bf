"""What a template can call while it renders: ``text(...)`` places fitted text in a box."""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterator

from ..blocks import template_globals
from ..errors import FitError, InfographicError, LayoutError
from ..findings import Finding
from ..fitreport import Container, FitReport
from ..media.images import bundled_emblems
from ..scene import Scene
from ..sizes import DEFAULT_BLEED_MM, Size
from ..placement import TextPlacer
from ..text.fit import FittedText, TextStyle
from ..text.fonts import FontRegistry
from ..text.svg import block_top
from ..themes import FONT_ROLES, Theme
from ..themes.contrast import slot_background, text_contrast_problem
from .design import CHROME_SLOTS, SPACE, TYPE_SCALE, canvas_scale, role_floor, step_size
from .manifest import Layout


class TextBlock:
    """Fitted text placed in a box. Prints as SVG; its attributes let a template flow content
    (``{% set t = text('title', title, x=80, y=120, width=920, height=300) %}{{ t }}``,
    then ``t.bottom`` is where the next block may start)."""

    def __init__(self, fitted: FittedText, markup: str, x: float, y: float, width: float,
                 height: float, on_move: Callable[[float, float], None],
                 on_draw: Callable[[], None] = lambda: None) -> None:
        self._markup = markup
        self._on_move = on_move
        self._on_draw = on_draw
        self.x, self.y, self.width, self.height = x, y, width, height
        self.size = fitted.size
        self.lines = len(fitted.lines)
        self.status = fitted.status
        self.content_height = fitted.height
        self.top = block_top(fitted, y, height)
        self.bottom = self.top + self.content_height

    def moved(self, dx: float = 0, dy: float = 0) -> "TextBlock":
        """The same block shifted by (dx, dy), e.g. to centre a column once its height is known.
        The fit report follows the move."""
        dx, dy = float(dx), float(dy)
        moved = copy.copy(self)
        moved._markup = f'<g transform="translate({dx:g} {dy:g})">{self._markup}</g>'
        moved.x, moved.y, moved.top, moved.bottom = (self.x + dx, self.y + dy, self.top + dy,
                                                     self.bottom + dy)
        self._on_move(dx, dy)
        return moved

    def __html__(self) -> str:
        self._on_draw()
        return self._markup

    def __str__(self) -> str:
        self._on_draw()
        return self._markup


def style_from_spec(slot: str, spec: dict[str, Any], theme: Theme) -> TextStyle:
    spec = dict(spec)
    # what the text sits on: for the contrast check, and the paper of monochrome emoji
    spec["background"] = slot_background(theme, spec)
    role = spec.pop("role", None)  # sets the legible floor: checked by the render context
    for key in ("size", "min_size"):
        spec[key] = step_size(spec.get(key), role)  # "md" → 30, "floor" → the role's floor
    if spec.get("size") is None:
        spec.pop("size")
    role = spec.pop("font", "body")
    if role in FONT_ROLES:
        font = theme.fonts[role]
        spec.setdefault("family", font["family"])
        spec.setdefault("weight", font.get("weight", 400))
    else:
        spec.setdefault("family", role)
    spec["fill"] = theme.color(str(spec.pop("color", "text")))
    spec.setdefault("emoji", theme.emoji)
    if "features" in spec:
        spec["features"] = tuple(spec["features"] or ())
    for key in ("size", "min_size"):
        if spec.get(key) is not None:  # keep sizes on the fitting grid: 27.8001 → 28
            spec[key] = round(float(spec[key]) * 2) / 2
    return TextStyle(**spec)


class RenderContext:
    """Per-render state: the fit report, and the ``text`` function handed to the template."""

    def __init__(self, layout: Layout, size: Size, theme: Theme, registry: FontRegistry, *,
                 strict: bool = False, assets: "tuple[Path, ...]" = ()) -> None:
        self.layout, self.size, self.theme, self.registry = layout, size, theme, registry
        #: ``strict`` blocks raise instead of warning; ``assets`` are the folders (besides the
        #: layout folder) that images may be read from.
        self.strict, self.assets = strict, tuple(assets)
        #: where image(...) and the header's logo look for files, in this order
        self.image_roots = (layout.folder, *self.assets, bundled_emblems())
        self.report = FitReport(layout.name, size.name)
        self.scene = Scene()  # every placed text run, handed to the drawing stage
        #: fits, places and records every text of the render: slots here, chart labels in kit
        self.placer = TextPlacer(registry, self.report, self.scene,
                                 units_per_mm=size.units_per_mm if size.is_print else None)
        self._uses: dict[str, int] = {}
        #: containers opened with ``{% call card(...) %}``: texts inside belong to the innermost
        self.open_containers: list[str] = []

    def slot_spec(self, slot: str) -> dict[str, Any]:
        """``slot`` as declared in layout.yaml; the header/footer helpers' own slots
        (:data:`CHROME_SLOTS`) have defaults a layout may override key by key."""
        if slot in CHROME_SLOTS:
            return {**CHROME_SLOTS[slot], **self.layout.slots.get(slot, {})}
        if slot not in self.layout.slots:
            raise LayoutError(f"template uses text slot '{slot}', which layout.yaml does not "
                              f"declare under slots (declared: {', '.join(self.layout.slots)})",
                              layout=self.layout.name)
        return self.layout.slots[slot]

    def slot_style(self, slot: str, **overrides: Any) -> TextStyle:
        """The :class:`TextStyle` of ``slot`` as declared in layout.yaml, with ``overrides``."""
        spec = self.slot_spec(slot)
        try:
            return style_from_spec(slot, {**spec, **overrides}, self.theme)
        except (TypeError, ValueError, InfographicError) as exc:
            raise LayoutError(f"text slot '{slot}': {exc}", layout=self.layout.name) from None

    def _measuring_style(self, slot: str, overrides: dict[str, Any]) -> TextStyle:
        """``slot``'s style at its own size, never shrinking nor failing: for measurements."""
        spec = {**self.slot_spec(slot), **overrides}
        size = step_size(spec.get("size"), spec.get("role"))
        return self.slot_style(slot, **{**overrides, "overflow": "visible", "max_lines": None,
                                        "min_size": size})

    def text(self, slot: str, value: Any, x: float, y: float, width: float, height: float,
             **overrides: Any) -> TextBlock:
        if isinstance(value, (list, tuple)):
            value = "\n\n".join(str(v) for v in value)
        style = self.slot_style(slot, **overrides)
        x, y, width, height = float(x), float(y), float(width), float(height)
        if width <= 0 or height <= 0:
            raise LayoutError(f"text slot '{slot}' got an empty box ({width:g}×{height:g}): "
                              "the content above it leaves no room", layout=self.layout.name)
        name = self._entry_name(slot)
        try:
            fitted = self.placer.fit(value, style, width, height)
        except FitError as exc:
            raise FitError(exc.message, layout=self.layout.name, field=name,
                           finding=Finding("fit", "error", name, exc.message)) from None
        spec = {**self.slot_spec(slot), **overrides}
        role = spec.get("role")
        placed = self.placer.place(value, style, (x, y, width, height), name, role=role or "",
                                   floor=role_floor(role, self.size) or 0.0, fitted=fitted,
                                   container=self.open_containers[-1]
                                   if self.open_containers else "")
        self._check_contrast(name, spec, style, fitted)
        index, run = placed.index, placed.run
        assert index is not None and run is not None
        return TextBlock(fitted, placed.markup, x, y, width, height,
                         on_move=lambda dx, dy: self._move_entry(index, run, dx, dy),
                         on_draw=lambda: self._mark_drawn(index))

    def shared_size(self, slot: str, values: Any, width: float, height: float,
                    **overrides: Any) -> float:
        """The largest size at which every one of ``values`` fits a ``width`` × ``height`` box in
        ``slot``'s style, so sibling boxes (the cards of a grid) share one type size. Nothing is
        drawn or reported: pass the result as ``size=`` to :meth:`text`."""
        style = self.slot_style(slot, **overrides, overflow="visible")
        width, height = float(width), float(height)
        if width <= 0 or height <= 0:
            return style.smallest
        return self.placer.common_size(((value, width, height) for value in values), style)

    def text_height(self, slot: str, value: Any, width: float, **overrides: Any) -> float:
        """Height of ``value`` set in ``slot``'s style at its ``size`` in a column ``width`` wide
        (no shrinking), so a template can try sizes before it places anything. Nothing is drawn
        or reported."""
        style = self._measuring_style(slot, overrides)
        if float(width) <= 0 or value in (None, ""):
            return 0.0
        return self.placer.height(value, style, float(width))

    def _check_contrast(self, name: str, spec: dict[str, Any], style: TextStyle,
                        fitted: FittedText) -> None:
        """WCAG AA contrast of the text on its slot's ``background:``: a fit-report warning, an
        error in strict mode."""
        if not fitted.lines:
            return
        try:
            problem = text_contrast_problem(self.theme, spec, fitted.size, style.weight)
        except InfographicError as exc:
            raise LayoutError(f"text slot '{name}': {exc}", layout=self.layout.name) from None
        if problem is None:
            return
        if self.strict:
            raise FitError(f"slot '{name}': {problem}", layout=self.layout.name, field=name,
                           finding=Finding("contrast", "error", name, problem))
        self.report.add("contrast", f"slot '{name}': {problem}", name)

    def text_width(self, slot: str, value: Any, **overrides: Any) -> float:
        """Width of the longest line of ``value`` set unwrapped in ``slot``'s style at its
        ``size`` (hard line breaks kept), e.g. to size a table column to its content. Nothing is
        drawn or reported."""
        style = self._measuring_style(slot, overrides)
        if value in (None, ""):
            return 0.0
        return self.placer.measure(value, style)

    def fail(self, message: str, field: str | None = None) -> None:
        """Stop the render with a :class:`FitError` naming the layout (and ``field``): for a
        template that finds content it cannot lay out, e.g. more table rows than fit even at the
        smallest type. Better than drawing past the edge of the canvas."""
        raise FitError(str(message), layout=self.layout.name, field=field)

    @contextmanager
    def trial(self) -> Iterator[None]:
        """Whatever is recorded inside (texts, containers, findings) is forgotten on exit: for a
        helper that measures what it would draw (``page_header(..., measure=True)``). The
        markup made inside must not be drawn."""
        report, scene = self.report, self.scene
        counts = (len(report.entries), len(report.containers), len(report.findings),
                  len(report.warnings), len(scene.texts), len(report.labels), len(scene.images))
        uses = dict(self._uses)
        try:
            yield
        finally:
            entries, containers, findings, warnings, texts, labels, images = counts
            del report.entries[entries:], report.containers[containers:]
            del report.findings[findings:], report.warnings[warnings:], scene.texts[texts:]
            del report.labels[labels:], scene.images[images:]
            self._uses = uses

    def _move_entry(self, index: int, run: int, dx: float, dy: float) -> None:
        self.scene.move_text(run, dx, dy)
        entry = self.report.entries[index]
        x, y, width, height = entry.box
        cx, cy, cw, ch = entry.content_box
        ink = tuple((ix + dx, iy + dy, iw, ih) for ix, iy, iw, ih in entry.ink)
        self.report.entries[index] = replace(entry, box=(x + dx, y + dy, width, height),
                                             content_box=(cx + dx, cy + dy, cw, ch), ink=ink)

    def _mark_drawn(self, index: int) -> None:
        entry = self.report.entries[index]
        if not entry.drawn:
            container = entry.container or (self.open_containers[-1]
                                            if self.open_containers else "")
            self.report.entries[index] = replace(entry, drawn=True, container=container)

    def add_container(self, kind: str, x: float, y: float, width: float, height: float,
                      name: str | None = None, since: int | None = None) -> str:
        """Record a card, band or panel: the texts drawn in it must keep their ink inside it.
        Texts recorded from entry ``since`` on (a helper's own) belong to it. Returns its name
        in the fit report (``card#2`` for the second unnamed card)."""
        count = sum(1 for c in self.report.containers if c.kind == kind) + 1
        name = name or (kind if count == 1 else f"{kind}#{count}")
        self.report.containers.append(Container(name, kind, (float(x), float(y), float(width),
                                                             float(height))))
        entries = self.report.entries
        for index in range(len(entries) if since is None else since, len(entries)):
            if not entries[index].container:
                entries[index] = replace(entries[index], container=name)
        return name

    def _entry_name(self, slot: str) -> str:
        count = self._uses.get(slot, 0) + 1
        self._uses[slot] = count
        return slot if count == 1 else f"{slot}#{count}"

    def template_globals(self) -> dict[str, Any]:
        size = self.size
        return {
            **template_globals(self),
            "text": self.text,
            "shared_size": self.shared_size,
            "text_height": self.text_height,
            "text_width": self.text_width,
            "fail": self.fail,
            "type_scale": TYPE_SCALE,
            "space": SPACE,
            "canvas": {"width": size.canvas_width, "height": size.canvas_height,
                       "k": canvas_scale(size.canvas_width, size.canvas_height),
                       "name": size.name, "orientation": size.orientation,
                       "is_print": size.is_print, "dpi": size.dpi,
                       # print: units per mm, the default bleed and the layout's safe margin
                       "mm": size.units_per_mm, "bleed": size.units_per_mm * DEFAULT_BLEED_MM,
                       "safe": size.units_per_mm * self.layout.safe_area_mm},
            "theme": self.theme.template_view(),
            "layout": {"name": self.layout.name, "title": self.layout.title},
        }
