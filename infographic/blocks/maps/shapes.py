"""Plane geometry of a map: projecting lon/lat into a box, simplifying outlines for the output
size, the pole of inaccessibility of an area (where its label goes) and the tests the label
placement needs (point in polygon, box inside polygon).

Written here rather than taken from shapely (with numpy about 20 MB in the wheel) and pyproj:
an equal-area conic on a sphere, Visvalingam–Whyatt and a cell search for the pole are each a
few dozen lines, and a map of one country needs no datum shifts.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from .geo import Point, Polygon, Ring

Box = tuple[float, float, float, float]  # x, y, width, height
_SQRT2 = math.sqrt(2)


# --- projection -------------------------------------------------------------------------------

@dataclass(frozen=True)
class AlbersConic:
    """Albers equal-area conic on a sphere, its standard parallels at one sixth and five sixths
    of the data's latitude span (the usual choice for a country taller than wide, like Vietnam):
    areas keep their relative sizes, so a large district does not look more affected than it is.
    """

    lon0: float
    lat0: float
    lat1: float
    lat2: float

    @classmethod
    def for_bounds(cls, west: float, south: float, east: float, north: float) -> "AlbersConic":
        span = north - south
        return cls((west + east) / 2, (south + north) / 2, south + span / 6, north - span / 6)

    def __post_init__(self) -> None:
        phi1, phi2 = math.radians(self.lat1), math.radians(self.lat2)
        n = (math.sin(phi1) + math.sin(phi2)) / 2
        if abs(n) < 1e-9:  # standard parallels around the equator: cylindrical equal-area
            object.__setattr__(self, "_n", 0.0)
            return
        c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
        rho0 = math.sqrt(max(0.0, c - 2 * n * math.sin(math.radians(self.lat0)))) / n
        object.__setattr__(self, "_n", n)
        object.__setattr__(self, "_c", c)
        object.__setattr__(self, "_rho0", rho0)

    def __call__(self, lon: float, lat: float) -> Point:
        """(x, y) on the unit sphere's plane, y up."""
        n = self._n  # type: ignore[attr-defined]
        lam = math.radians(lon - self.lon0)
        if n == 0.0:
            return lam, math.sin(math.radians(lat))
        rho = math.sqrt(max(0.0, self._c - 2 * n * math.sin(math.radians(lat)))) / n  # type: ignore[attr-defined]
        theta = n * lam
        return rho * math.sin(theta), self._rho0 - rho * math.cos(theta)  # type: ignore[attr-defined]


# --- simplification ---------------------------------------------------------------------------

def ring_area(ring: Ring) -> float:
    """Signed area (shoelace)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        total += x1 * y2 - x2 * y1
    return total / 2


def _triangle(a: Point, b: Point, c: Point) -> float:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2


def _visvalingam(points: list[Point], closed: bool, tolerance: float, keep: int) -> list[int]:
    """Visvalingam–Whyatt: the indexes of ``points`` kept once the vertex whose triangle with
    its neighbours is smallest has been dropped until every remaining triangle is at least
    ``tolerance`` (square canvas units) or only ``keep`` vertices that may go are left. An open
    line keeps its two ends."""
    count = len(points)
    if closed:
        prev = [(i - 1) % count for i in range(count)]
        nxt = [(i + 1) % count for i in range(count)]
        movable = range(count)
    else:
        prev = [i - 1 for i in range(count)]
        nxt = [i + 1 for i in range(count)]
        movable = range(1, count - 1)
    alive = [True] * count
    area = [0.0] * count
    for i in movable:
        area[i] = _triangle(points[prev[i]], points[i], points[nxt[i]])
    heap = [(area[i], i) for i in movable]
    heapq.heapify(heap)
    remaining = len(heap)
    while heap and remaining > keep:
        value, i = heapq.heappop(heap)
        if not alive[i] or value != area[i]:
            continue  # a stale entry
        if value >= tolerance:
            break
        alive[i] = False
        remaining -= 1
        p, n = prev[i], nxt[i]
        nxt[p], prev[n] = n, p
        for j in (p, n):  # neighbours' triangles change; never below the removed one's
            if closed or 0 < j < count - 1:
                area[j] = max(value, _triangle(points[prev[j]], points[j], points[nxt[j]]))
                heapq.heappush(heap, (area[j], j))
    return [i for i in range(count) if alive[i]]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring simplified (:func:`_visvalingam`); at least 4 points stay (a closed
    triangle)."""
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    if len(points) <= 4:
        return points + points[:1]
    kept = [points[i] for i in _visvalingam(points, True, tolerance, 3)]
    return kept + kept[:1]


def simplify_line(line: list[Point], tolerance: float, keep: int = 0) -> list[Point]:
    """An open line (a shared border) simplified with its ends fixed, keeping at least
    ``keep`` of its inner points."""
    if len(line) <= 2 + keep:
        return list(line)
    return [line[i] for i in _visvalingam(line, False, tolerance, keep)]


def simplify_area(polygons: list[Polygon], tolerance: float) -> list[Polygon]:
    """An area's polygons simplified; rings smaller than a few tolerances (islets, slivers at
    this output size) are dropped, but an area always keeps its largest polygon."""
    kept: list[Polygon] = []
    for polygon in polygons:
        outer = polygon[0]
        if abs(ring_area(outer)) < tolerance * 6:
            continue
        rings = [simplify_ring(outer, tolerance)]
        rings += [simplify_ring(hole, tolerance) for hole in polygon[1:]
                  if abs(ring_area(hole)) >= tolerance * 6]
        kept.append(rings)
    if not kept and polygons:
        largest = max(polygons, key=lambda p: abs(ring_area(p[0])))
        kept = [[simplify_ring(largest[0], tolerance)]]
    return kept


# --- predicates -------------------------------------------------------------------------------

def in_ring(point: Point, ring: Ring) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def in_area(point: Point, polygons: list[Polygon]) -> bool:
    """Inside an outer ring and outside its holes (even–odd per polygon)."""
    for polygon in polygons:
        if in_ring(point, polygon[0]) and not any(in_ring(point, h) for h in polygon[1:]):
            return True
    return False


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (orient(a, b, c) * orient(a, b, d) < 0) and (orient(c, d, a) * orient(c, d, b) < 0)


def box_inside(box: Box, polygons: list[Polygon]) -> bool:
    """``box`` lies wholly inside the area: its corners inside, no outline vertex inside it and
    no outline edge crossing its sides."""
    x, y, w, h = box
    corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    if not all(in_area(c, polygons) for c in corners):
        return False
    sides = list(zip(corners, corners[1:] + corners[:1]))
    for polygon in polygons:
        for ring in polygon:
            for p, q in zip(ring, ring[1:] + ring[:1]):
                if x < p[0] < x + w and y < p[1] < y + h:
                    return False
                if any(segments_cross(p, q, s, t) for s, t in sides):
                    return False
    return True


def boxes_overlap(a: Box, b: Box, gap: float = 0.0) -> bool:
    return (a[0] < b[0] + b[2] + gap and b[0] < a[0] + a[2] + gap
            and a[1] < b[1] + b[3] + gap and b[1] < a[1] + a[3] + gap)


# --- pole of inaccessibility ------------------------------------------------------------------

def _edge_distance(point: Point, polygon: Polygon) -> float:
    px, py = point
    best = math.inf
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            dx, dy = x2 - x1, y2 - y1
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy)
                                                     / length))
            ex, ey = x1 + t * dx - px, y1 + t * dy - py
            best = min(best, ex * ex + ey * ey)
    return math.sqrt(best)


def _signed_distance(point: Point, polygon: Polygon) -> float:
    inside = in_ring(point, polygon[0]) and not any(in_ring(point, h) for h in polygon[1:])
    distance = _edge_distance(point, polygon)
    return distance if inside else -distance


def pole_of_inaccessibility(polygon: Polygon, precision: float = 1.0) -> tuple[Point, float]:
    """The point inside ``polygon`` farthest from its outline, and that distance (the radius
    of the largest inscribed circle), to ``precision`` canvas units: square cells are split
    while one could still hold a farther point (best first)."""
    xs = [x for x, _ in polygon[0]]
    ys = [y for _, y in polygon[0]]
    west, south, east, north = min(xs), min(ys), max(xs), max(ys)
    cell = min(east - west, north - south)
    if cell <= 0:
        return (west, south), 0.0
    half = cell / 2

    def entry(cx: float, cy: float, h: float) -> tuple[float, float, float, float, float]:
        d = _signed_distance((cx, cy), polygon)
        return (-(d + h * _SQRT2), d, cx, cy, h)

    queue: list[tuple[float, float, float, float, float]] = []
    x = west
    while x < east:
        y = south
        while y < north:
            heapq.heappush(queue, entry(x + half, y + half, half))
            y += cell
        x += cell
    # start from the centroid of the outer ring (a good first guess for convex areas)
    area = ring_area(polygon[0])
    if area:
        ring = polygon[0]
        cx = sum((a[0] + b[0]) * (a[0] * b[1] - b[0] * a[1])
                 for a, b in zip(ring, ring[1:] + ring[:1])) / (6 * area)
        cy = sum((a[1] + b[1]) * (a[0] * b[1] - b[0] * a[1])
                 for a, b in zip(ring, ring[1:] + ring[:1])) / (6 * area)
        best = entry(cx, cy, 0)
    else:
        best = entry((west + east) / 2, (south + north) / 2, 0)
    steps = 0
    while queue and steps < 4000:
        potential, d, cx, cy, h = heapq.heappop(queue)
        steps += 1
        if d > best[1]:
            best = (potential, d, cx, cy, h)
        if -potential - best[1] <= precision:
            continue
        h /= 2
        for ox in (-h, h):
            for oy in (-h, h):
                heapq.heappush(queue, entry(cx + ox, cy + oy, h))
    return (best[2], best[3]), max(0.0, best[1])


def area_pole(polygons: list[Polygon], precision: float = 1.0) -> tuple[Point, float]:
    """The pole of the area's roomiest polygon, searched on outlines simplified to a few
    square units (a label needs no finer outline; it is then checked on the drawn one)."""
    coarse = simplify_area(polygons, 4.0)
    candidates = sorted(coarse, key=lambda p: abs(ring_area(p[0])), reverse=True)[:2]
    return max((pole_of_inaccessibility(p, precision) for p in candidates),
               key=lambda found: found[1])
