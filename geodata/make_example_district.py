"""Write quan-mau-minh-hoa.geojson: an ILLUSTRATIVE district of 12 wards, constructed, not
surveyed — its outlines are a jittered lattice with wavy shared borders near Hồ Chí Minh City's
centre, so the ward workflow (join by name, labels, numbered key) can be shown and tested without
shipping a real district's boundaries. A ward office passes its own district's GeoJSON.

    python geodata/make_example_district.py              # rewrites the bundled example
    constructed_district(columns=30, rows=30)            # 700-odd wards for the benchmark
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

Point = tuple[float, float]


def _wavy(a: Point, b: Point, rng: random.Random, depth: int = 3) -> list[Point]:
    """A border from a to b bent by midpoint displacement (a to b inclusive)."""
    if depth == 0:
        return [a, b]
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    offset = rng.uniform(-0.12, 0.12) * length
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    nx, ny = (a[1] - b[1]) / (length or 1), (b[0] - a[0]) / (length or 1)
    mid = (mx + nx * offset, my + ny * offset)
    return _wavy(a, mid, rng, depth - 1)[:-1] + _wavy(mid, b, rng, depth - 1)


def constructed_district(columns: int = 4, rows: int = 4, *, seed: int = 9, names: list[str] |
                         None = None, centre: Point = (106.684, 10.781), cell: float = 0.0075
                         ) -> dict:
    """A GeoJSON FeatureCollection of ward-like cells (corners cut for an irregular outline);
    ``names`` names them in order, else "Phường 1", "Phường 2", …"""
    rng = random.Random(seed)
    lattice = {}
    for i in range(columns + 1):
        for j in range(rows + 1):
            interior = 0 < i < columns and 0 < j < rows
            jitter = 0.28 * cell if interior else 0.08 * cell
            lattice[i, j] = (centre[0] + (i - columns / 2) * cell + rng.uniform(-jitter, jitter),
                             centre[1] + (rows / 2 - j) * cell * 0.95
                             + rng.uniform(-jitter, jitter))
    edges: dict[tuple, list[Point]] = {}

    def edge(p: tuple[int, int], q: tuple[int, int]) -> list[Point]:
        key = (p, q) if p < q else (q, p)
        if key not in edges:
            edges[key] = _wavy(lattice[key[0]], lattice[key[1]], random.Random(hash(key) ^ seed))
        line = edges[key]
        return line if key == (p, q) else line[::-1]

    def kept(i: int, j: int) -> bool:  # cut the corners: a rounder district
        dx, dy = (i + 0.5) / columns - 0.5, (j + 0.5) / rows - 0.5
        return dx * dx + dy * dy <= 0.25 * (1.02 if columns > 4 else 0.95)

    features = []
    for j in range(rows):
        for i in range(columns):
            if not kept(i, j):
                continue
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            ring: list[Point] = []
            for p, q in zip(corners, corners[1:] + corners[:1]):
                ring.extend(edge(p, q)[:-1])
            ring.append(ring[0])
            number = len(features) + 1
            name = names[number - 1] if names and number <= len(names) else f"Phường {number}"
            features.append({"type": "Feature",
                             "properties": {"name": name, "code": f"MAU-{number:03d}"},
                             "geometry": {"type": "Polygon", "coordinates": [
                                 [[round(x, 6), round(y, 6)] for x, y in ring]]}})
    return {"type": "FeatureCollection", "features": features}


#: The example's ward names: numbered wards and one named ward, as a district of HCMC has.
EXAMPLE_NAMES = ["Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường Võ Thị Sáu",
                 "Phường 9", "Phường 10", "Phường 11", "Phường 12", "Phường 13", "Phường 14"]

if __name__ == "__main__":
    district = constructed_district(names=EXAMPLE_NAMES)
    district["name"] = "Quận Mẫu (minh hoạ, không phải ranh giới thật)"
    out = Path(__file__).with_name("quan-mau-minh-hoa.geojson")
    out.write_text(json.dumps(district, ensure_ascii=False), encoding="utf-8")
    print(len(district["features"]), "wards ->", out)
