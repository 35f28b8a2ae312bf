"""What every chart draws with: the theme's colours and fonts, labels set by our text engine,
unique ids, and the markup a chart returns.

A chart function takes ``kit=`` (a :class:`ChartKit`); templates get one per render, Python
callers get a default kit (bundled fonts, ``health-blue`` or the theme they pass).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable
from weakref import WeakKeyDictionary

from markupsafe import escape

from ...errors import LayoutError
from ...formatting import format_percent, number_formatter
from ...layout.design import ROLE_FLOORS, role_floor
from ...placement import TextPlacer
from ...text.fit import FittedText, TextStyle
from ...text.fonts import FontRegistry, default_registry
from ...text.svg import block_top
from ...themes import Theme, load_theme
from ...colour import mix, readable_on
from ...svgsyntax import svg_number as num  # a coordinate: two decimals at most

if TYPE_CHECKING:
    from ...fitreport import FitReport
    from ...layout.context import RenderContext
    from ...scene import Scene

Box = tuple[float, float, float, float]  # x, y, width, height
#: Chart text shrinks to fit, but not below this size (canvas units, px at 1080 wide).
READABLE = 12.0
#: A chart label is a caption (design.ROLES): the floor a kit records its labels against, and
#: the size a chart drawn with ``legible=True`` keeps every text at or above. Inside a render the
#: kit takes the render's caption floor (on paper the caption floor in points, in that sheet's
#: units).
CAPTION_FLOOR = ROLE_FLOORS["caption"]


@dataclass
class Label:
    """A piece of text placed by the text engine; ``box`` is where its lines actually are."""

    svg: str
    box: Box
    text: str
    size: float
    status: str

    def __html__(self) -> str:
        return self.svg


@dataclass
class Chart:
    """A drawn chart: SVG markup for the template, plus what tests and callers may inspect."""

    kind: str
    box: Box
    parts: list[str] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def label(self, label: Label | None) -> Label | None:
        if label is not None:
            self.labels.append(label)
            self.parts.append(label.svg)
        return label

    @property
    def svg(self) -> str:
        x, y, w, h = self.box
        return (f'<g class="chart {self.kind}" data-box="{num(x)} {num(y)} {num(w)} {num(h)}">'
                + "".join(self.parts) + "</g>")

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


class ChartKit:
    """Theme, fonts and per-render state shared by the charts of one render."""

    def __init__(self, theme: Theme | None = None, registry: FontRegistry | None = None,
                 report: "FitReport | None" = None, layout: str | None = None,
                 scene: "Scene | None" = None) -> None:
        self.theme = theme or load_theme(None)
        self.registry = registry or default_registry()
        self.report = report
        self.layout = layout
        self.scene = scene  # inside a render, labels are placed in its scene like slots
        #: the one text-placement service; a kit made by kit_for() shares the render's
        self.placer = TextPlacer(self.registry, report, scene)
        #: the caption floor of this render's size (see :data:`CAPTION_FLOOR`)
        self.floor = CAPTION_FLOOR
        self._ids = itertools.count(1)
        self._label_uses: dict[str, int] = {}

    @property
    def legible_size(self) -> float:
        """The size a ``legible=True`` chart keeps its texts at or above: the floor (sizes go
        in half units), and never under the screen's caption floor, so a sheet whose points
        floor is lower (A3: 12.8 units) draws its charts like A4, not with smaller text."""
        return max(CAPTION_FLOOR, math.ceil(self.floor * 2) / 2)

    # -- colours ---------------------------------------------------------------------------
    def color(self, value: str | None, default: str) -> str:
        return self.theme.color(value or default)

    @property
    def background(self) -> str:
        return self.theme.palette["background"]

    def tint(self, color: str, amount: float = 0.6) -> str:
        """``color`` faded towards the background (non-highlighted bars, empty tracks)."""
        return mix(color, self.background, amount)

    def grid_color(self) -> str:
        return mix(self.theme.palette["muted"], self.background, 0.78)

    def series_colors(self, count: int) -> list[str]:
        """Distinct colours for stacked series and donut slices, from the theme."""
        p = self.theme.palette
        base = [p["primary"], p["accent"], mix(p["primary"], self.background, 0.5),
                p["muted"], mix(p["accent"], self.background, 0.45), p["text"],
                p["positive"], p["negative"]]
        return [base[i % len(base)] for i in range(count)]

    def ink_on(self, fill: str) -> str:
        """Text colour readable on ``fill``: the theme's text colour or white/background."""
        p = self.theme.palette
        return readable_on(fill, [p["text"], p["on_primary"], p["background"]])

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    # -- text ------------------------------------------------------------------------------
    def style(self, role: str = "body", size: float = 20, **overrides: Any) -> TextStyle:
        font = self.theme.fonts.get(role) or self.theme.fonts["body"]
        spec: dict[str, Any] = {"family": font["family"], "weight": int(font.get("weight", 400)),
                                "size": round(size * 2) / 2, "fill": self.theme.palette["text"],
                                "line_height": 1.15, "max_lines": 1, "overflow": "truncate"}
        if role == "figures":
            spec["features"] = ("tnum",)
        spec.update({k: v for k, v in overrides.items() if v is not None})
        if "min_size" in spec:  # shrinking stops at READABLE (or at the size, if smaller)
            spec["min_size"] = min(spec["size"], max(READABLE, round(spec["min_size"] * 2) / 2))
        return TextStyle(**spec)

    def fit(self, text: str, style: TextStyle, width: float, height: float) -> FittedText:
        """``text`` set in the box; a box lower than one line gets one line shortened with "…"."""
        return self.placer.fit(text, style, width, height, one_line_if_lower=True)

    def measure(self, text: str, style: TextStyle) -> float:
        """Natural width of ``text`` on one line at the style's size."""
        return self.placer.measure(text, style)

    def line_height(self, style: TextStyle, lines: int = 1) -> float:
        """Height that ``lines`` lines of this style need."""
        return self.placer.height("Ẩg" + "\nẨg" * (lines - 1), style) + 0.5

    def label(self, text: Any, x: float, y: float, width: float, height: float,
              style: TextStyle, name: str = "chart-label") -> Label | None:
        """Fit ``text`` into the box and place it (in a render: in its scene and fit report,
        like a slot); None for empty text."""
        text = "" if text is None else str(text)
        if not text.strip():
            return None
        entry = self._label_name(name) if self.report is not None else name
        placed = self.placer.place(text, style, (x, y, width, height), entry, label=True,
                                   role="caption", floor=self.floor)
        fitted = placed.fitted
        return Label(svg=placed.markup, box=_ink_box(fitted, x, y, width, height), text=text,
                     size=fitted.size, status=fitted.status)

    def _label_name(self, name: str) -> str:
        """``value``, ``value#2``…: each label of a render named once, like slots."""
        count = self._label_uses.get(name, 0) + 1
        self._label_uses[name] = count
        return name if count == 1 else f"{name}#{count}"

    def common_size(self, entries: Iterable[tuple[Any, float, float]], style: TextStyle
                    ) -> float:
        """The largest size at which every ``(text, width, height)`` fits: one size for the
        value labels of one chart."""
        return self.placer.common_size(((str(text), w, h) for text, w, h in entries
                                        if text is not None), style, one_line_if_lower=True)

    def uniform_labels(self, entries: Iterable[tuple[Any, float, float, float, float]],
                       style: TextStyle, name: str) -> list[Label | None]:
        """Labels of one kind (categories, values) at one common size: the largest size at
        which each fits, not a jumble of sizes."""
        entries = list(entries)
        size = self.common_size(((text, w, h) for text, _, _, w, h in entries), style)
        if size < style.size:
            style = TextStyle(**{**style.__dict__, "size": size, "min_size": None})
        return [self.label(text, x, y, w, h, style, name) for text, x, y, w, h in entries]

    def error(self, message: str) -> LayoutError:
        return LayoutError(message, layout=self.layout)


def _ink_box(fitted: FittedText, x: float, y: float, width: float, height: float) -> Box:
    """The box the fitted lines occupy (advance widths, ascent to descent)."""
    if not fitted.lines:
        return (x, y, 0.0, 0.0)
    top = block_top(fitted, y, height)
    widths = [line.width * fitted.size for line in fitted.lines]
    widest = max(widths)
    align = fitted.style.align
    left = x + {"center": (width - widest) / 2, "right": width - widest}.get(align, 0.0)
    return (left, top, widest, fitted.height)


_KITS: "WeakKeyDictionary[Any, ChartKit]" = WeakKeyDictionary()


def kit_for(context: "RenderContext") -> ChartKit:
    """The one kit of a render (shared ids, the render's fit report)."""
    kit = _KITS.get(context)
    if kit is None:
        kit = ChartKit(context.theme, context.registry, context.report, context.layout.name,
                       context.scene)
        kit.placer = context.placer
        kit.floor = role_floor("caption", context.size) or CAPTION_FLOOR
        _KITS[context] = kit
    return kit


def resolve_kit(kit: ChartKit | None, theme: "Theme | str | None" = None) -> ChartKit:
    if kit is not None:
        return kit
    return ChartKit(load_theme(theme) if theme is not None else None)


def rect(x: float, y: float, w: float, h: float, fill: str, *, rx: float = 0,
         cls: str | None = None, **data: Any) -> str:
    extra = "".join(f' data-{k.replace("_", "-")}="{escape(str(v))}"' for k, v in data.items())
    klass = f' class="{cls}"' if cls else ""
    radius = f' rx="{num(rx)}"' if rx else ""
    return (f'<rect{klass} x="{num(x)}" y="{num(y)}" width="{num(max(0.0, w))}" '
            f'height="{num(max(0.0, h))}"{radius} fill="{escape(fill)}"{extra}/>')


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1,
         cls: str | None = None, dash: str | None = None) -> str:
    klass = f' class="{cls}"' if cls else ""
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line{klass} x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
            f'stroke="{escape(stroke)}" stroke-width="{num(width)}"{dashes}/>')


def auto_font_size(width: float, height: float, lo: float = 15, hi: float = 26) -> float:
    """A label size that suits the chart's box (about 1/20 of its smaller side)."""
    return round(max(lo, min(hi, min(width, height * 1.4) / 22)) * 2) / 2


def share_text(share: float | None, number: float | None, format: str) -> str:
    """A progress figure as text: the share as a vi-VN percentage, or the number in ``format``
    (a dash when either is unknown)."""
    if share is None or number is None:
        return "–"
    if format == "percent":
        return format_percent(share * 100)
    return number_formatter(format)(number)


def finite(value: Any) -> float | None:
    """A number, or None for missing / empty / not-a-number values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def check_box(kit: ChartKit, kind: str, width: float, height: float) -> None:
    if not (width > 0 and height > 0):
        raise kit.error(f"{kind}: width and height must be positive, got {width:g}×{height:g}")
