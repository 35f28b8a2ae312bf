"""Reading areas from GeoJSON and TopoJSON: names, codes and polygon rings in lon/lat (WGS 84).

A map file is untrusted data: its size is checked before it is read, its vertices while they are
decoded (``limits.MAX_MAP_*``), and every problem is an error naming the file, the feature and
what to do. Only polygons are areas; points and lines in the file are skipped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ... import limits
from ...errors import DataError, LimitError

Point = tuple[float, float]
Ring = list[Point]
#: a polygon is its outer ring followed by its holes
Polygon = list[Ring]

#: Properties read as an area's name / code when the caller names none (first present wins).
NAME_KEYS = ("name", "ten", "Ten", "TEN", "NAME", "name_vi", "ten_xa", "TEN_XA", "ward",
             "NAME_3", "NAME_2", "NAME_1")
CODE_KEYS = ("code", "ma", "MA", "ma_xa", "MA_XA", "id", "ID", "iso_3166_2", "adm1_code")


@dataclass
class Area:
    """One area of a map: its name, code, other properties and polygons (lon, lat)."""

    name: str
    code: str
    polygons: list[Polygon]
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def vertices(self) -> int:
        return sum(len(ring) for polygon in self.polygons for ring in polygon)


def read_areas(path: "str | os.PathLike[str]", *, name_key: str | None = None,
               code_key: str | None = None, warnings: list[str] | None = None) -> list[Area]:
    """The areas of the GeoJSON or TopoJSON file at ``path``.

    ``warnings`` collects what is tolerated (a feature with no name is named by its code or
    number; points and lines are skipped)."""
    path = Path(path)
    return areas_from_bytes(map_file_bytes(path), path.name, name_key=name_key,
                            code_key=code_key, warnings=warnings)


def map_file_bytes(path: Path) -> bytes:
    """The bytes of a map file, refused by its size before it is read."""
    try:
        size = path.stat().st_size
        if size > limits.MAX_MAP_FILE_BYTES:
            raise LimitError(
                f"map file '{path.name}' is {size / 1e6:.1f} MB, over the "
                f"{limits.MAX_MAP_FILE_BYTES / 1e6:.0f} MB limit: simplify it first (e.g. "
                "mapshaper -simplify 10%) or keep only the areas you map")
        return path.read_bytes()
    except OSError:
        raise DataError(f"map file '{path.name}' not found: put it in the layout folder or an "
                        "asset folder (--assets)") from None


def areas_from_bytes(data: bytes, label: str, *, name_key: str | None = None,
                     code_key: str | None = None, warnings: list[str] | None = None
                     ) -> list[Area]:
    """The areas of a GeoJSON or TopoJSON file's bytes (``label`` names it in messages)."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(f"map file '{label}' is not UTF-8 text: save it as UTF-8 GeoJSON or "
                        "TopoJSON") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"map file '{label}' is not valid JSON (line {exc.lineno}, column "
                        f"{exc.colno}: {exc.msg}): export it again as GeoJSON or TopoJSON"
                        ) from None
    return areas_from_document(document, label, name_key=name_key, code_key=code_key,
                               warnings=warnings)


def areas_from_document(document: Any, label: str, *, name_key: str | None = None,
                        code_key: str | None = None, warnings: list[str] | None = None
                        ) -> list[Area]:
    """Areas of a parsed GeoJSON or TopoJSON document (``label`` names it in messages)."""
    if not isinstance(document, dict) or "type" not in document:
        raise DataError(f"map file '{label}' is not GeoJSON or TopoJSON (no \"type\" at the "
                        "top level)")
    kind = document["type"]
    if kind == "Topology":
        features = list(_topology_features(document, label))
    elif kind in ("FeatureCollection", "Feature", "Polygon", "MultiPolygon",
                  "GeometryCollection"):
        features = list(_geojson_features(document, label))
    else:
        raise DataError(f"map file '{label}': type '{kind}' is not a GeoJSON FeatureCollection "
                        "or a TopoJSON Topology")
    warnings = warnings if warnings is not None else []
    areas: list[Area] = []
    skipped = 0
    total = 0
    for index, (properties, polygons, feature_id) in enumerate(features, start=1):
        if polygons is None:
            skipped += 1
            continue
        if len(areas) >= limits.MAX_MAP_AREAS:
            raise LimitError(f"map file '{label}' has more than {limits.MAX_MAP_AREAS} areas: "
                             "keep only the areas you map")
        name = _first(properties, (name_key,) if name_key else NAME_KEYS)
        code = _first(properties, (code_key,) if code_key else CODE_KEYS) or (
            str(feature_id) if feature_id not in (None, "") else "")
        if not name:
            if name_key and name_key not in properties:
                raise DataError(f"map file '{label}': feature {index} has no property "
                                f"'{name_key}' (it has: {', '.join(properties) or 'none'})")
            name = code or f"#{index}"
            warnings.append(f"map file '{label}': feature {index} has no name; called "
                            f"'{name}' (add a \"name\" property)")
        area = Area(name, code, polygons, dict(properties))
        _check_coordinates(area, label)
        total += area.vertices
        if total > limits.MAX_MAP_VERTICES:
            raise LimitError(f"map file '{label}' has more than {limits.MAX_MAP_VERTICES:,} "
                             "vertices: simplify it first (e.g. mapshaper -simplify 10%)")
        areas.append(area)
    if skipped:
        warnings.append(f"map file '{label}': {skipped} feature(s) that are not polygons "
                        "(points, lines) were skipped")
    if not areas:
        raise DataError(f"map file '{label}' has no areas (no Polygon or MultiPolygon "
                        "features): export the wards or districts as polygons")
    return areas


def _first(properties: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _check_coordinates(area: Area, label: str) -> None:
    for polygon in area.polygons:
        for ring in polygon:
            for lon, lat in ring:
                if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                    raise DataError(
                        f"map file '{label}', area '{area.name}': coordinate ({lon:g}, {lat:g}) "
                        "is not longitude/latitude: the file looks projected (metres, e.g. "
                        "VN-2000); reproject it to WGS 84 (EPSG:4326), e.g. ogr2ogr -t_srs "
                        "EPSG:4326 out.geojson in.geojson")


# --- GeoJSON ----------------------------------------------------------------------------------

Feature = tuple[dict[str, Any], "list[Polygon] | None", Any]


def _geojson_features(document: dict[str, Any], label: str) -> Iterator[Feature]:
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise DataError(f"map file '{label}': a FeatureCollection needs a \"features\" list")
        for index, feature in enumerate(features, start=1):
            if not isinstance(feature, dict):
                raise DataError(f"map file '{label}': feature {index} is not an object")
            yield from _geojson_features(feature, label)
    elif kind == "Feature":
        properties = document.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        geometry = document.get("geometry")
        polygons = _geojson_polygons(geometry, label) if isinstance(geometry, dict) else None
        yield properties, polygons, document.get("id")
    else:
        yield {}, _geojson_polygons(document, label), None


def _geojson_polygons(geometry: dict[str, Any], label: str) -> list[Polygon] | None:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    try:
        if kind == "Polygon":
            return [_polygon(coordinates)]
        if kind == "MultiPolygon":
            if not isinstance(coordinates, list):
                raise TypeError("MultiPolygon coordinates are not a list")
            return [_polygon(polygon) for polygon in coordinates]
        if kind == "GeometryCollection":
            found = [p for g in geometry.get("geometries") or [] if isinstance(g, dict)
                     for p in (_geojson_polygons(g, label) or [])]
            return found or None
    except (TypeError, ValueError, IndexError):
        raise DataError(f"map file '{label}': a {kind} has malformed coordinates (expected "
                        "lists of [longitude, latitude] pairs)") from None
    return None


def _polygon(rings: Any) -> Polygon:
    polygon = [[(float(p[0]), float(p[1])) for p in ring] for ring in rings]
    if not polygon or len(polygon[0]) < 3:
        raise ValueError("a ring needs at least three points")
    return polygon


# --- TopoJSON ---------------------------------------------------------------------------------

def _topology_features(topology: dict[str, Any], label: str) -> Iterator[Feature]:
    arcs = _decoded_arcs(topology, label)
    objects = topology.get("objects")
    if not isinstance(objects, dict) or not objects:
        raise DataError(f"map file '{label}': a TopoJSON Topology needs \"objects\"")

    def ring(indexes: list[int]) -> Ring:
        points: Ring = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])  # arcs share their end points
        return points

    def polygons(geometry: dict[str, Any]) -> list[Polygon] | None:
        kind = geometry.get("type")
        try:
            if kind == "Polygon":
                return [[ring(r) for r in geometry["arcs"]]]
            if kind == "MultiPolygon":
                return [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        except (KeyError, IndexError, TypeError):
            raise DataError(f"map file '{label}': a {kind} refers to arcs the file does not "
                            "have") from None
        return None

    def walk(geometry: dict[str, Any]) -> Iterator[Feature]:
        if geometry.get("type") == "GeometryCollection":
            for child in geometry.get("geometries") or []:
                if isinstance(child, dict):
                    yield from walk(child)
            return
        properties = geometry.get("properties") or {}
        yield (properties if isinstance(properties, dict) else {}), polygons(geometry), \
            geometry.get("id")

    for geometry in objects.values():
        if isinstance(geometry, dict):
            yield from walk(geometry)


def _decoded_arcs(topology: dict[str, Any], label: str) -> list[Ring]:
    """Arcs in lon/lat: delta-decoded and scaled when the topology is quantised."""
    raw = topology.get("arcs")
    if not isinstance(raw, list):
        raise DataError(f"map file '{label}': a TopoJSON Topology needs \"arcs\"")
    transform = topology.get("transform")
    total = sum(len(arc) for arc in raw if isinstance(arc, list))
    if total > limits.MAX_MAP_VERTICES:
        raise LimitError(f"map file '{label}' has more than {limits.MAX_MAP_VERTICES:,} "
                         "vertices: simplify it first (e.g. mapshaper -simplify 10%)")
    try:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            decoded = []
            for arc in raw:
                x = y = 0
                points = []
                for position in arc:
                    x += position[0]
                    y += position[1]
                    points.append((x * sx + tx, y * sy + ty))
                decoded.append(points)
            return decoded
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in raw]
    except (KeyError, TypeError, ValueError, IndexError):
        raise DataError(f"map file '{label}': the TopoJSON arcs or transform are malformed"
                        ) from None
