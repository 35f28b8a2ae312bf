"""A map's areas as drawn in one box: projected, fitted, simplified along their shared borders
(:mod:`.topology`), with the path data of each area and of the borders — kept per box and
output size, because a batch draws the same map file into the same box for every ward.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Sequence

from ... import limits
from ...cache import LRUCache
from .geo import Area, Point, Polygon
from .shapes import AlbersConic, Box, ring_area, simplify_line, simplify_ring
from .topology import ArcRing, Topology, topology_of

#: Rings smaller than this many tolerances (islets, slivers at this output size) are not drawn.
SMALLEST_RING = 6.0


@dataclass
class Outlines:
    """The areas in one box at one tolerance, in canvas units (y down)."""

    polygons: list[list[Polygon]]   # per area: its polygons, outer ring then holes, closed
    paths: list[str]                # per area: SVG path data of its polygons (even-odd fill)
    borders: str                    # SVG path data of every drawn border once (to stroke)
    scale: float                    # canvas units per projected unit
    origin: Point                   # where the map's first vertex lands: how the map moved
    #: (pole, inscribed radius) per area, once label placement has looked for them
    poles: list[tuple[Point, float]] = field(default_factory=list)


class MapGeometry:
    """A map file's areas with their shared borders, and their :class:`Outlines` per box and
    tolerance. Pass one to :func:`~.draw.area_map` to keep the outlines between calls."""

    def __init__(self, areas: Sequence[Area]) -> None:
        self.areas = list(areas)
        self._topology: Topology | None = None
        self._projection: AlbersConic | None = None
        self._aspect: float | None = None
        self._outlines: LRUCache[Outlines] = LRUCache(max_items=limits.MAP_OUTLINES_KEPT)
        self._lock = threading.Lock()

    @classmethod
    def of(cls, areas: "Sequence[Area] | MapGeometry") -> "MapGeometry":
        return areas if isinstance(areas, MapGeometry) else cls(areas)

    @property
    def topology(self) -> Topology:
        with self._lock:
            if self._topology is None:
                self._topology = topology_of(self.areas)
            return self._topology

    @property
    def projection(self) -> AlbersConic:
        """The equal-area conic fitted to the areas' extent."""
        if self._projection is None:
            lons = [x for arc in self.topology.arcs for x, _ in arc]
            lats = [y for arc in self.topology.arcs for _, y in arc]
            self._projection = AlbersConic.for_bounds(min(lons), min(lats), max(lons),
                                                      max(lats))
        return self._projection

    @property
    def aspect(self) -> float:
        """Width over height of the projected map."""
        if self._aspect is None:
            west, south, east, north = _bounds(self._projected())
            self._aspect = (east - west) / max(north - south, 1e-12)
        return self._aspect

    def _projected(self) -> list[list[Point]]:
        project = self.projection
        return [[project(lon, lat) for lon, lat in arc] for arc in self.topology.arcs]

    def outlines(self, box: Box, tolerance: float) -> Outlines:
        """The areas fitted to ``box`` (centred, aspect kept), simplified so that no vertex
        whose triangle with its neighbours is under ``tolerance`` square units is left."""
        key = (tuple(round(v, 3) for v in box), round(tolerance, 6))
        found = self._outlines.get(key)
        if found is None:
            found = _outlines(self.topology, self._projected(), box, tolerance)
            self._outlines.put(key, found)
        return found


def _bounds(arcs: list[list[Point]]) -> Box:
    xs = [x for arc in arcs for x, _ in arc]
    ys = [y for arc in arcs for _, y in arc]
    return min(xs), min(ys), max(xs), max(ys)


def _outlines(topology: Topology, projected: list[list[Point]], box: Box, tolerance: float
              ) -> Outlines:
    west, south, east, north = _bounds(projected)
    x, y, width, height = box
    scale = min(width / max(east - west, 1e-12), height / max(north - south, 1e-12))
    dx = x + (width - (east - west) * scale) / 2
    dy = y + (height - (north - south) * scale) / 2
    placed = [[(dx + (px - west) * scale, dy + (north - py) * scale) for px, py in arc]
              for arc in projected]

    # which rings are drawn (measured on the full outline), and what each arc must keep
    kept_rings: list[list[list[ArcRing]]] = []
    for area in topology.areas:
        polygons = []
        for polygon in area:
            if abs(ring_area(_ring(placed, polygon[0]))) < tolerance * SMALLEST_RING:
                continue
            polygons.append([polygon[0]] + [hole for hole in polygon[1:]
                                            if abs(ring_area(_ring(placed, hole)))
                                            >= tolerance * SMALLEST_RING])
        if not polygons and area:  # an area always keeps its largest polygon
            largest = max(area, key=lambda p: abs(ring_area(_ring(placed, p[0]))))
            polygons = [[largest[0]]]
        kept_rings.append(polygons)
    keep: dict[int, int] = {}
    for area in kept_rings:
        for polygon in area:
            for ring in polygon:
                for ref in ring:  # a ring of two arcs keeps a point of each: a quadrilateral
                    arc = ref if ref >= 0 else ~ref
                    keep[arc] = max(keep.get(arc, 0), 1 if len(ring) == 2 else 0)
    simplified: dict[int, list[Point]] = {}
    for arc, inner in keep.items():
        points = placed[arc]
        if len(points) > 2 and points[0] == points[-1]:
            simplified[arc] = simplify_ring(points, tolerance)
        else:
            simplified[arc] = simplify_line(points, tolerance, inner)
    borders = [_line_data(chain) for chain in _chains(simplified)]
    drawn = [[[_ring(simplified, ring) for ring in polygon] for polygon in area]
             for area in kept_rings]
    return Outlines(drawn, [path_data(area) for area in drawn], "".join(borders), scale,
                    placed[0][0])


def _ring(arcs: "list[list[Point]] | dict[int, list[Point]]", refs: ArcRing) -> list[Point]:
    """A closed ring from its arcs (each arc's first point is the previous arc's last)."""
    points: list[Point] = []
    for ref in refs:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _chains(arcs: dict[int, list[Point]]) -> list[list[Point]]:
    """The arcs joined end to end into as few lines as a greedy walk finds: fewer subpaths to
    parse and stroke, and joins instead of caps where borders meet."""
    ends: dict[Point, list[int]] = {}
    for index, points in arcs.items():
        if points[0] != points[-1]:
            ends.setdefault(points[0], []).append(index)
            ends.setdefault(points[-1], []).append(index)
    used: set[int] = set()
    chains = []
    for index, points in arcs.items():
        if index in used:
            continue
        used.add(index)
        chain = list(points)
        while chain[0] != chain[-1]:
            following = next((i for i in ends.get(chain[-1], ()) if i not in used), None)
            if following is None:
                break
            used.add(following)
            nxt = arcs[following]
            chain.extend(nxt[1:] if nxt[0] == chain[-1] else nxt[-2::-1])
        chains.append(chain)
    return chains


def _tenths(value: int) -> str:
    """A number in tenths as SVG writes it shortest: 12.5, .5, -3."""
    whole, tenth = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _subpath(points: list[Point], close: bool) -> str:
    """A line as compact path data: the first point, then relative steps (implicit ``l``) in
    tenths of a unit rounded from the absolute positions, so no error adds up."""
    fixed = [(round(x * 10), round(y * 10)) for x, y in points]
    if close and len(fixed) > 1 and fixed[0] == fixed[-1]:
        fixed.pop()
    parts = [f"M{_tenths(fixed[0][0])} {_tenths(fixed[0][1])}"]
    numbers: list[str] = []
    for (x0, y0), (x1, y1) in zip(fixed, fixed[1:]):
        if (x0, y0) != (x1, y1):
            numbers += (_tenths(x1 - x0), _tenths(y1 - y0))
    if numbers:
        text = numbers[0]
        for number in numbers[1:]:
            text += number if number[0] == "-" else " " + number
        parts.append("l" + text)
    return "".join(parts) + ("z" if close else "")


def _line_data(points: list[Point]) -> str:
    return _subpath(points, len(points) > 2 and points[0] == points[-1])


def path_data(polygons: list[Polygon]) -> str:
    """SVG path data of an area (rings closed; even-odd fill draws the holes)."""
    return "".join(_subpath(ring, True) for polygon in polygons for ring in polygon)
