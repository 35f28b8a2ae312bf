"""A map's areas as drawn in one box: projected, fitted, simplified along their shared borders
(:mod:`.topology`) for the output size, and written as path data — kept per box and output
size, because a batch draws the same map file into the same box for every ward.

What the rasteriser is handed costs in proportion to its bytes (the SVG is parsed twice and its
numbers checked against the limits) and its segments, so the path data is lean: each border is
stroked once, in lines chained end to end; coordinates are rounded to half an output pixel and
written as relative steps from that grid (no error adds up). (Filling each class as one shape
whose inner borders cancel out saved a fifth of the fill data on a 724-ward city but cost more
to work out each render than it saved the rasteriser.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Sequence

from PIL import Image, ImageDraw

from ... import limits
from ...cache import LRUCache
from .geo import Area, Point, Polygon
from .join import AreaIndex
from .shapes import AlbersConic, Box, ring_area, simplify_line, simplify_ring
from .topology import ArcRing, Topology, topology_of

#: A point on the path grid, in tenths of a canvas unit.
GridPoint = tuple[int, int]

#: Outline vertices whose triangle with their neighbours is smaller than this (square output
#: pixels) are dropped: such a triangle is not seen under the outline's stroke.
SEEN_TRIANGLE = 2.0
#: Rings smaller than this many such triangles (islets, slivers at this output size) are not
#: drawn.
SMALLEST_RING = 6.0
#: Path coordinates are rounded to at most this many output pixels (in tenths of a canvas
#: unit: 0.5 unit at 1 pixel a unit, 0.1 on an A3 poster).
GRID_PIXELS = 0.5


@dataclass
class Outlines:
    """The areas in one box for one output size, in canvas units (y down)."""

    polygons: list[list[Polygon]]   # per area: its polygons, outer ring then holes, closed
    paths: list[str]                # per area: path data of its rings (even-odd fill)
    borders: str                    # path data of every drawn border once (to stroke)
    outline: str                    # path data of the map's outer edge (all areas as one)
    scale: float                    # canvas units per projected unit
    origin: Point                   # where the map's first vertex lands: how the map moved
    #: (pole, inscribed radius) per area, once label placement has looked for them
    poles: list[tuple[Point, float]] = field(default_factory=list)
    _covered: "_Coverage | None" = field(default=None, repr=False)

    def coverage_of(self, width: float, height: float) -> Callable[[float, float], float]:
        """The share of a ``width`` × ``height`` box, given its corner, that the areas cover
        (0: open space such as the sea), on a grid of :data:`COVERAGE_CELL` units: where a
        label beside the map hides the least. One function per size, as hundreds of spots of
        one label's size are tried."""
        if self._covered is None:
            self._covered = _Coverage(self.polygons)
        return self._covered.sized(width, height)


#: Cell of the grid on which :meth:`Outlines.coverage_of` counts (canvas units).
COVERAGE_CELL = 8.0


class _Coverage:
    """Which cells of a grid the areas cover, summed (a summed-area table): the share of any box
    in a handful of look-ups."""

    def __init__(self, polygons: list[list[Polygon]]) -> None:
        points = [p for area in polygons for polygon in area for p in polygon[0]]
        self.x0 = min(x for x, _ in points)
        self.y0 = min(y for _, y in points)
        columns = int((max(x for x, _ in points) - self.x0) / COVERAGE_CELL) + 2
        rows = int((max(y for _, y in points) - self.y0) / COVERAGE_CELL) + 2
        mask = Image.new("L", (columns, rows), 0)
        draw = ImageDraw.Draw(mask)
        for area in polygons:
            for polygon in area:
                draw.polygon([((x - self.x0) / COVERAGE_CELL, (y - self.y0) / COVERAGE_CELL)
                              for x, y in polygon[0]], fill=1)
        cells = mask.tobytes()
        self.columns, self.rows = columns, rows
        self.sums = [0] * ((columns + 1) * (rows + 1))
        for row in range(rows):
            running = 0
            for column in range(columns):
                running += 1 if cells[row * columns + column] else 0
                self.sums[(row + 1) * (columns + 1) + column + 1] = (
                    self.sums[row * (columns + 1) + column + 1] + running)

    def sized(self, w: float, h: float) -> Callable[[float, float], float]:
        """The covered share of a box ``w`` × ``h`` by its corner, in a handful of look-ups
        (the arithmetic of the size done once)."""
        cells = max(1.0, w / COVERAGE_CELL) * max(1.0, h / COVERAGE_CELL)
        x0, y0, columns, rows, sums = self.x0, self.y0, self.columns, self.rows, self.sums
        width = columns + 1

        def share(x: float, y: float) -> float:
            left = int((x - x0) / COVERAGE_CELL)
            left = 0 if left < 0 else columns if left > columns else left
            top = int((y - y0) / COVERAGE_CELL)
            top = 0 if top < 0 else rows if top > rows else top
            right = int((x + w - x0) / COVERAGE_CELL) + 1
            right = 0 if right < 0 else columns if right > columns else right
            bottom = int((y + h - y0) / COVERAGE_CELL) + 1
            bottom = 0 if bottom < 0 else rows if bottom > rows else bottom
            if right <= left or bottom <= top:
                return 0.0
            covered = (sums[bottom * width + right] - sums[top * width + right]
                       - sums[bottom * width + left] + sums[top * width + left])
            return min(1.0, covered / cells)

        return share


class MapGeometry:
    """A map file's areas with their shared borders, and their :class:`Outlines` per box and
    output size. Pass one to :func:`~.draw.area_map` to keep the outlines between calls."""

    def __init__(self, areas: Sequence[Area]) -> None:
        self.areas = list(areas)
        self._topology: Topology | None = None
        self._projection: AlbersConic | None = None
        self._aspect: float | None = None
        self._index: AreaIndex | None = None
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
    def index(self) -> AreaIndex:
        """The areas by code and name, to join rows to."""
        if self._index is None:
            self._index = AreaIndex.of(self.areas)
        return self._index

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

    def outlines(self, box: Box, pixels_per_unit: float = 1.0) -> Outlines:
        """The areas fitted to ``box`` (centred, aspect kept) with the detail an output of
        ``pixels_per_unit`` output pixels per canvas unit shows (:data:`SEEN_TRIANGLE`)."""
        key = (tuple(round(v, 3) for v in box), round(pixels_per_unit, 6))
        found = self._outlines.get(key)
        if found is None:
            found = _outlines(self.topology, self._projected(), box, pixels_per_unit)
            self._outlines.put(key, found)
        return found


def _bounds(arcs: list[list[Point]]) -> Box:
    xs = [x for arc in arcs for x, _ in arc]
    ys = [y for arc in arcs for _, y in arc]
    return min(xs), min(ys), max(xs), max(ys)


def _grid_tenths(pixels_per_unit: float) -> int:
    """The coarsest grid, in tenths of a unit (10, 5, 2 or 1), of at most
    :data:`GRID_PIXELS` output pixels."""
    return next((t for t in (10, 5, 2) if t / 10 * pixels_per_unit <= GRID_PIXELS), 1)


def _outlines(topology: Topology, projected: list[list[Point]], box: Box,
              pixels_per_unit: float) -> Outlines:
    tolerance = SEEN_TRIANGLE / max(pixels_per_unit, 1e-6) ** 2
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
    paths = _PathWriter(simplified, _grid_tenths(pixels_per_unit))
    drawn = [[[_ring(simplified, ring) for ring in polygon] for polygon in area]
             for area in kept_rings]
    uses: dict[int, int] = {}
    for area in kept_rings:
        for polygon in area:
            for ring in polygon:
                for ref in ring:
                    arc = ref if ref >= 0 else ~ref
                    uses[arc] = uses.get(arc, 0) + 1
    return Outlines(drawn,
                    ["".join(paths.data(ring, True) for polygon in area for ring in polygon)
                     for area in kept_rings],
                    paths.lines(list(simplified)),
                    paths.lines([arc for arc, count in uses.items() if count == 1]),
                    scale, placed[0][0])


class _PathWriter:
    """Path data of arcs on the output's grid: each arc's relative steps written once (either
    way round) and joined into rings and border lines."""

    def __init__(self, arcs: dict[int, list[Point]], grid: int) -> None:
        self.steps: dict[int, tuple[str, str]] = {}
        self.ends: dict[int, tuple[GridPoint, GridPoint]] = {}
        for arc, points in arcs.items():
            fixed = [(round(px * 10 / grid) * grid, round(py * 10 / grid) * grid)
                     for px, py in points]
            self.steps[arc] = (_steps(fixed), _steps(fixed[::-1]))
            self.ends[arc] = (fixed[0], fixed[-1])

    def data(self, walk: ArcRing, closed: bool) -> str:
        """Path data along the arcs of ``walk`` (``~i``: arc i backwards)."""
        first = walk[0]
        x, y = self.ends[first][0] if first >= 0 else self.ends[~first][1]
        text = ""
        for ref in walk:
            part = self.steps[ref][0] if ref >= 0 else self.steps[~ref][1]
            if part:
                text += part if not text or part[0] == "-" else " " + part
        return (f"M{_tenths(x)} {_tenths(y)}" + ("l" + text if text else "")
                + ("z" if closed else ""))

    def lines(self, arcs: Sequence[int]) -> str:
        """Each of ``arcs`` once, joined end to end into as few lines as a greedy walk finds:
        fewer subpaths to parse and stroke, and joins instead of caps where borders meet. (Arcs
        that meet in pairs at every point, as round a shape, make closed lines.)"""
        at: dict[GridPoint, list[int]] = {}
        for arc in arcs:
            first, last = self.ends[arc]
            if first != last:
                at.setdefault(first, []).append(arc)
                at.setdefault(last, []).append(arc)
        used: set[int] = set()
        lines = []
        for arc in arcs:
            if arc in used:
                continue
            used.add(arc)
            walk, start, end = [arc], *self.ends[arc]
            while end != start:
                candidates, following = at.get(end), None
                while candidates:
                    following = candidates.pop()
                    if following not in used:
                        break
                    following = None
                if following is None:
                    break
                used.add(following)
                first, last = self.ends[following]
                walk.append(following if first == end else ~following)
                end = last if first == end else first
            lines.append(self.data(walk, closed=end == start))
        return "".join(lines)


def _ring(arcs: "list[list[Point]] | dict[int, list[Point]]", refs: ArcRing) -> list[Point]:
    """A closed ring from its arcs (each arc's first point is the previous arc's last)."""
    points: list[Point] = []
    for ref in refs:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _tenths(value: int) -> str:
    """A number in tenths as SVG writes it shortest: 12.5, .5, -3."""
    whole, tenth = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _steps(points: list[GridPoint]) -> str:
    """The relative steps (implicit ``l`` pairs) along grid points, steps of zero left out."""
    text = ""
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if (x0, y0) == (x1, y1):
            continue
        for number in (_tenths(x1 - x0), _tenths(y1 - y0)):
            text += number if not text or number[0] == "-" else " " + number
    return text
