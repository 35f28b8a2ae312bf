"""Shared borders: each border between two areas is one arc, simplified once and stroked once.

A GeoJSON file repeats a border in the rings of both areas it separates (TopoJSON stores it once
and :mod:`.geo` expands it into both). Simplifying each ring on its own would bend the two copies
differently — slivers and gaps between neighbours — and stroking every ring draws each border
twice. So rings are cut at their junctions (a vertex with more than two distinct neighbours over
all rings: where three areas meet, or where a shared border leaves the map's edge), equal pieces
are kept once as arcs, and each ring is rebuilt from its arcs after they are simplified, so
neighbours stay watertight at every output size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .geo import Area, Point

#: A ring as arcs: index ``i`` runs arc i forwards, ``~i`` backwards (as TopoJSON writes it).
ArcRing = list[int]


@dataclass
class Topology:
    """The arcs (lon/lat; a closed arc starts and ends on the same point) and, per area, per
    polygon, its rings as arcs (the outer ring first, then the holes)."""

    arcs: list[list[Point]]
    areas: list[list[list[ArcRing]]]


def topology_of(areas: Sequence[Area]) -> Topology:
    """Cut every ring of ``areas`` into arcs shared between the rings that run along them."""
    rings = [[[_open_ring(ring) for ring in polygon] for polygon in area.polygons]
             for area in areas]
    neighbours: dict[Point, set[Point]] = {}
    for area in rings:
        for polygon in area:
            for ring in polygon:
                for before, point, after in zip(ring[-1:] + ring[:-1], ring, ring[1:] + ring[:1]):
                    found = neighbours.setdefault(point, set())
                    found.add(before)
                    found.add(after)
    junctions = {point for point, near in neighbours.items() if len(near) > 2}
    arcs: list[list[Point]] = []
    index_of: dict[tuple[Point, ...], int] = {}

    def arc_ref(points: list[Point]) -> int:
        key = tuple(points)
        found = index_of.get(key)
        if found is not None:
            return found
        found = index_of.get(key[::-1])
        if found is not None:
            return ~found
        index_of[key] = len(arcs)
        arcs.append(points)
        return len(arcs) - 1

    topology_areas = []
    for area in rings:
        topology_areas.append([[_cut(ring, junctions, arc_ref) for ring in polygon]
                               for polygon in area])
    return Topology(arcs, topology_areas)


def _open_ring(ring: list[Point]) -> list[Point]:
    """The ring's points once each: no closing point, no point repeated next to itself."""
    points = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def _cut(ring: list[Point], junctions: set[Point], arc_ref) -> ArcRing:
    """The ring as arcs from junction to junction (one closed arc if it has none)."""
    starts = [i for i, point in enumerate(ring) if point in junctions]
    if not starts:
        # a ring no other ring touches, or that one other ring runs all along (an enclave and
        # the hole around it): one closed arc, started at its least point so both find it
        first = min(range(len(ring)), key=ring.__getitem__)
        turned = ring[first:] + ring[:first]
        if len(turned) > 2 and turned[-1] < turned[1]:
            turned = turned[:1] + turned[:0:-1]
            return [~arc_ref(turned + turned[:1])]
        return [arc_ref(turned + turned[:1])]
    turned = ring[starts[0]:] + ring[:starts[0]]
    cuts = [i - starts[0] for i in starts] + [len(ring)]
    closed = turned + turned[:1]
    return [arc_ref(closed[a:b + 1]) for a, b in zip(cuts, cuts[1:])]
