"""Maps: areas from GeoJSON or TopoJSON coloured by category or by value, as a template block.

    {{ map(rows, "vietnam-provinces.topo.json", x=64, y=300, width=952, height=700) }}
    {{ map(wards, data.map_file, by="value", value="cases", method="quantile", hatch=true, …) }}

Python: ``area_map(read_areas(path), rows, x, y, width, height, …)`` returns a
:class:`~.draw.MapChart` (``.svg``, ``.labels``, ``.areas``, ``.counts``, ``.join``); pass
``MapGeometry(read_areas(path))`` instead of the list to keep the outlines between calls.
The map file is looked up in the layout folder, the asset folders, then the bundled
``geodata/`` (Vietnam's provinces; see geodata/README.md), always through
:func:`~infographic.paths.resolve_inside`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ... import limits
from ...cache import LRUCache
from ...errors import DataError, FitError, InfographicError
from ...layout.design import canvas_scale
from ...paths import resolve_inside
from ...resources import bundled_dir
from .. import register
from ..charts.kit import kit_for
from .draw import MapChart, area_map
from .geo import Area, areas_from_bytes, map_file_bytes, read_areas
from .outlines import MapGeometry

if TYPE_CHECKING:
    from ...layout.context import RenderContext

__all__ = ["Area", "MapChart", "MapGeometry", "area_map", "bundled_geodata", "find_map_file",
           "read_areas"]


def bundled_geodata() -> Path:
    """The boundaries shipped with the library (geodata/)."""
    return bundled_dir("geodata")


def find_map_file(name: str, roots: Sequence[Path]) -> Path:
    """``name`` in the first of ``roots`` that holds it (never outside them)."""
    if not name or not str(name).strip():
        raise DataError("map: no map file given (a GeoJSON or TopoJSON file name)")
    for root in roots:
        found = resolve_inside(root, str(name))
        if found is not None and found.is_file():
            return found
    raise DataError(f"map file '{name}' not found in the layout folder, the asset folders or "
                    "the bundled geodata: put the GeoJSON/TopoJSON file beside layout.yaml or "
                    "pass its folder with --assets")


#: Map files read, by their content (a batch draws the same map hundreds of times, and a
#: file rewritten in place is read again): their areas, shared borders and outlines per box.
_GEOMETRIES: LRUCache[tuple[MapGeometry, list[str]]] = LRUCache(max_items=limits.MAP_FILES_KEPT)


#: The content digest of each map file last read, by its path, size and change time (a file
#: left as it was is not read and hashed again every render).
_DIGESTS: LRUCache[bytes] = LRUCache(max_items=limits.MAP_FILES_KEPT * 4)


def _geometry(path: Path, name_key: str | None, code_key: str | None
              ) -> tuple[MapGeometry, list[str]]:
    try:
        stat = path.stat()
    except OSError:
        stat = None
    seen = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino) if stat else None
    digest = _DIGESTS.get(seen) if seen else None
    found = _GEOMETRIES.get((digest, path.name, name_key, code_key)) if digest else None
    if found is None:
        data = map_file_bytes(path)
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if seen:
            _DIGESTS.put(seen, digest)
        key = (digest, path.name, name_key, code_key)
        found = _GEOMETRIES.get(key)
        if found is None:
            warnings: list[str] = []
            areas = areas_from_bytes(data, path.name, name_key=name_key, code_key=code_key,
                                     warnings=warnings)
            found = (MapGeometry(areas), warnings)
            _GEOMETRIES.put(key, found)
    return found


@register("map")
def map_block(context: "RenderContext"):
    kit = kit_for(context)
    roots = (context.layout.folder, *context.assets, bundled_geodata())
    pixels_per_unit = context.size.scale
    canvas_k = canvas_scale(context.size.canvas_width, context.size.canvas_height)

    def map(rows: Any, file: str, x: float, y: float, width: float, height: float, *,
            name_property: str | None = None, code_property: str | None = None,
            **options: Any) -> MapChart:
        """Areas of ``file`` in the box, coloured from ``rows`` (see :func:`area_map`); its
        text on the type scale times the canvas's ``k``."""
        options.setdefault("canvas_k", canvas_k)
        try:
            path = find_map_file(str(file or ""), roots)
            geometry, warnings = _geometry(path, name_property, code_property)
            chart = area_map(geometry, list(rows or []), float(x), float(y), float(width),
                             float(height), kit=kit, pixels_per_unit=pixels_per_unit,
                             **options)
        except InfographicError as exc:
            raise type(exc)(exc.message, layout=context.layout.name) from None
        except (TypeError, ValueError) as exc:
            raise DataError(f"map: {exc}", layout=context.layout.name) from None
        for message in [*warnings, *chart.warnings]:
            if context.strict:
                raise FitError(message, layout=context.layout.name)
            context.report.add("map", message)
        return chart
    return map
