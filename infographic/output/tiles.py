"""The size of pattern and mask tiles, checked before cairo allocates them.

cairosvg draws a ``<pattern>`` or a ``<mask>`` into a surface of its own (a cairo SVG surface
with no output) that cairo then rasterises at the tile's size in user units, whatever the size of
the output: a 20000² pattern costs 1.6 GB even in a 40-pixel logo. How big a tile is depends on
the bounding box of what it fills, which only cairosvg knows, so the check sits where cairosvg
creates that surface and raises :class:`~infographic.errors.LimitError` before the allocation.
"""

from __future__ import annotations

from typing import Any

from ..cairo_ffi import load_cairocffi

load_cairocffi()  # before cairosvg and cairocffi load: see infographic/cairo_ffi.py
from cairosvg import surface as cairosvg_surface

from .. import limits

_ORIGINAL = cairosvg_surface.SVGSurface._create_surface


def _checked_create_surface(surface: Any, width: float, height: float) -> Any:
    if surface.output is None:  # a tile: infographic never writes SVG through cairosvg
        node = next(iter(surface.tree_cache.values()), None)
        ident = node.get("id") if node is not None else None
        kind = "pattern" if any(p is node for p in surface.patterns.values()) else "mask"
        limits.check_tile(width, height, f'the <{kind} id="{ident}">' if ident else f"a {kind}")
    return _ORIGINAL(surface, width, height)


def install() -> None:
    """Check every tile cairosvg creates (idempotent)."""
    cairosvg_surface.SVGSurface._create_surface = _checked_create_surface

