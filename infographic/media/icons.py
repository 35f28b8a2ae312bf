"""Bundled icons: a curated, recolourable subset of an open icon set, referenced by name.

The icons live in the top-level ``icons/`` folder (``infographic/_bundled/icons`` in a wheel):
``icons.yaml`` maps our names, Vietnamese aliases and labels to the original SVG files, which keep
their set's own names (those work too). Every icon is drawn as plain ``<path>`` outlines filled
with one colour, so it stays vector in PDF and SVG output.

    >>> from infographic.media.icons import get_icon
    >>> get_icon("khau-trang").name
    'mask'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator
from xml.etree.ElementTree import ParseError

import yaml
from defusedxml import ElementTree as SafeElementTree
from fontTools.pens.boundsPen import BoundsPen
from fontTools.svgLib.path import parse_path
from markupsafe import Markup, escape

from ..errors import LayoutError
from ..resources import bundled_dir
from ..svgsyntax import fine_number as _num  # QR modules, icons and photos: 3 decimals

SVG_NS = "{http://www.w3.org/2000/svg}"
CATALOGUE = "icons.yaml"


@dataclass(frozen=True)
class Icon:
    name: str
    source: str  # the icon set's own name (file name without .svg)
    vi: str
    en: str
    aliases: tuple[str, ...]
    view_box: tuple[float, float, float, float]
    paths: tuple[str, ...]  # path data, drawn in view-box units
    ink: tuple[float, float, float, float]  # exact bounds of the outlines: x0, y0, x1, y1

    def markup(self, x: float, y: float, size: float, fill: str, opacity: float = 1.0) -> Markup:
        """The icon's ink fitted and centred in the square box (x, y, size), filled with ``fill``.

        The ink box is used rather than the view box: glyph-style icons overshoot their view box
        by up to 6 %, and would otherwise spill out of the box and sit off centre.
        """
        x0, y0, x1, y1 = self.ink
        scale = size / max(x1 - x0, y1 - y0)
        tx = x + (size - (x1 - x0) * scale) / 2 - x0 * scale
        ty = y + (size - (y1 - y0) * scale) / 2 - y0 * scale
        alpha = f' fill-opacity="{_num(opacity)}"' if opacity < 1 else ""
        paths = "".join(f'<path d="{escape(d)}"/>' for d in self.paths)
        return Markup(f'<g class="icon" data-icon="{escape(self.name)}" fill="{escape(fill)}"'
                      f'{alpha} transform="matrix({_num(scale)} 0 0 {_num(scale)} {_num(tx)} '
                      f'{_num(ty)})">{paths}</g>')

    def standalone_svg(self, size: float = 96, fill: str = "#000000") -> str:
        """A self-contained SVG document of this icon (for previews and contact sheets)."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(size)}" '
                f'height="{_num(size)}" viewBox="0 0 {_num(size)} {_num(size)}">'
                f'{self.markup(0, 0, size, fill)}</svg>')

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "vi": self.vi, "en": self.en,
                "aliases": list(self.aliases)}


def _ink_bounds(paths: tuple[str, ...]) -> tuple[float, float, float, float]:
    pen = BoundsPen(None)
    for d in paths:
        parse_path(d, pen)
    return pen.bounds


def _parse_svg(path: Path) -> tuple[tuple[float, float, float, float], tuple[str, ...]]:
    try:
        root = SafeElementTree.fromstring(path.read_bytes())
    except (OSError, ParseError) as exc:
        raise LayoutError(f"bundled icon file {path} is unreadable: {exc}") from None
    box = tuple(float(v) for v in root.get("viewBox", "").replace(",", " ").split())
    paths = tuple(el.get("d", "") for el in root.iter(f"{SVG_NS}path") if el.get("d"))
    if len(box) != 4 or not paths:
        raise LayoutError(f"bundled icon file {path} has no viewBox or no path")
    return box, paths  # type: ignore[return-value]


class IconSet:
    """Icons by name; ``get`` also accepts aliases and the set's original names."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        spec = yaml.safe_load((folder / CATALOGUE).read_text(encoding="utf-8"))
        self.source: dict[str, Any] = dict(spec.get("source") or {})
        self._icons: dict[str, Icon] = {}
        self._names: dict[str, str] = {}
        for name, entry in spec["icons"].items():
            subfolder = "fontawesome"
            box, paths = _parse_svg(folder / subfolder / f"{entry['source']}.svg")
            icon = Icon(name=name, source=entry["source"], vi=entry["vi"], en=entry["en"],
                        aliases=tuple(entry.get("aliases") or ()), view_box=box, paths=paths,
                        ink=_ink_bounds(paths))
            self._icons[name] = icon
        for icon in self._icons.values():  # our names win over aliases and source names
            for other in (*icon.aliases, icon.source):
                self._names.setdefault(other, icon.name)
        self._names.update({name: name for name in self._icons})

    def __iter__(self) -> Iterator[Icon]:
        return iter(self._icons.values())

    def __len__(self) -> int:
        return len(self._icons)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) in self._names

    @staticmethod
    def _key(name: str) -> str:
        return name.strip().lower().replace("_", "-").replace(" ", "-")

    def get(self, name: str) -> Icon:
        """The icon called ``name``; an unknown name raises LayoutError with close matches."""
        key = self._key(str(name))
        if key in self._names:
            return self._icons[self._names[key]]
        close = difflib.get_close_matches(key, list(self._names), n=4, cutoff=0.6)
        hint = ", ".join(f"'{c}'" for c in dict.fromkeys(close))
        raise LayoutError(f"unknown icon '{name}'" + (f" (did you mean {hint}?)" if hint else "")
                          + f"; `infographic icons` lists the {len(self)} bundled icons")


@lru_cache(maxsize=1)
def bundled_icons() -> IconSet:
    return IconSet(bundled_dir("icons"))


def get_icon(name: str) -> Icon:
    return bundled_icons().get(name)


def contact_sheet(columns: int = 8, cell: int = 150, fill: str = "#0B5394") -> bytes:
    """A PNG showing every bundled icon with its name and Vietnamese label."""
    from ..cairo_ffi import load_cairocffi

    load_cairocffi()
    import cairosvg

    from ..placement import TextPlacer
    from ..text.fit import TextStyle
    from ..text.fonts import default_registry

    placer = TextPlacer(default_registry())
    icons = list(bundled_icons())
    rows = -(-len(icons) // columns)
    margin, icon_size = 24, cell * 0.42
    width, height = columns * cell + 2 * margin, rows * cell + 2 * margin
    parts = [f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    name_style = TextStyle(family="Inter", weight=700, size=15, min_size=10, max_lines=1,
                           align="center", fill="#15202B", overflow="truncate")
    label_style = TextStyle(family="Noto Sans", size=13, min_size=9, max_lines=2,
                            align="center", fill="#4A5868", overflow="truncate")
    for index, icon in enumerate(icons):
        x = margin + (index % columns) * cell
        y = margin + (index // columns) * cell
        parts.append(f'<rect x="{x + 4}" y="{y + 4}" width="{cell - 8}" height="{cell - 8}" '
                     f'rx="10" fill="#F2F6FB"/>')
        parts.append(str(icon.markup(x + (cell - icon_size) / 2, y + 16, icon_size, fill)))
        for text, style, top, box_h in ((icon.name, name_style, y + 24 + icon_size, 22),
                                        (icon.vi, label_style, y + 48 + icon_size, 38)):
            parts.append(placer.place(text, style, (x + 8, top, cell - 16, box_h),
                                      icon.name).markup)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">{"".join(parts)}</svg>')
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"))
