"""World geometry for the map of cases: vendored country outlines, the Equal Earth projection, SVG path data.

In: ``builder/assets/countries-110m.json`` (Natural Earth 1:110m countries as TopoJSON, from the npm package
world-atlas 2.0.2; see ``countries-110m.LICENSE.txt``) and cases' countries and ``location`` points. Out: plain
data for the map template (``browse-map.html``): SVG path strings in a fixed viewBox, country centroids and case
positions, all in map units (the viewBox is :data:`WIDTH` wide). Nothing is fetched from the network; the same
input gives the same bytes (coordinates are rounded to whole map units, the order is fixed).

The projection is Equal Earth (Šavrič, Patterson and Jenny, 2018), which keeps areas true, so a country's share of
the map is its share of the world. Antarctica is left out: no case is there and it would take a fifth of the height.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import pycountry

GEOMETRY = Path(__file__).parent / "assets" / "countries-110m.json"

#: Width of the map in map units (the SVG viewBox); its height follows from the projection.
WIDTH = 1000

# Equal Earth's polynomial coefficients and its ratio M = sqrt(3) / 2.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
#: Half the width of the projected world, in projection units (x at longitude 180 on the equator).
_HALF_WIDTH = 2 * math.sqrt(3) * math.pi / (3 * _A1)
_SCALE = WIDTH / (2 * _HALF_WIDTH)
#: The map's top and bottom latitudes: the whole Arctic of the outlines, down to Tierra del Fuego.
NORTH, SOUTH = 84.0, -57.0


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """Project a point (degrees east, degrees north, WGS 84) with Equal Earth to unit-free projection coordinates.

    Returns ``(x, y)`` with x in about ±2.7066 and y in about ±1.3174, y growing northwards.

    >>> equal_earth(0, 0)
    (0.0, 0.0)
    >>> [round(v, 4) for v in equal_earth(180, 0)]
    [2.7066, 0.0]
    >>> [round(v, 4) for v in equal_earth(0, 90)]
    [0.0, 1.3174]
    """
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_TOP = equal_earth(0, NORTH)[1]
#: Height of the map in map units.
HEIGHT = round((_TOP - equal_earth(0, SOUTH)[1]) * _SCALE)


def to_map(longitude: float, latitude: float) -> tuple[float, float]:
    """A point (degrees east, degrees north) in map units: x from 0 (180° W) to :data:`WIDTH`, y downwards from 84° N.

    >>> abs(to_map(-180, 0)[0]) < 1e-9, round(to_map(180, 0)[0], 6)
    (True, 1000.0)
    >>> round(to_map(0, 84)[1], 6)
    0.0
    """
    x, y = equal_earth(longitude, latitude)
    return (x + _HALF_WIDTH) * _SCALE, (_TOP - y) * _SCALE


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as lists of (longitude, latitude)."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for px, py in arc:
            x, y = x + px, y + py
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    """One ring from its arc indexes (a negative index ~i is arc i reversed); shared end points kept once."""
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) clamped to the side most of it lies on."""
    if all(abs(a[0] - b[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False)):
        return ring
    east = sum(1 for lon, _ in ring if lon > 0) * 2 >= len(ring)
    return [(180.0 if east else -180.0, lat) if (lon < 0) == east else (lon, lat) for lon, lat in ring]


@functools.cache
def world() -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Every country of the vendored outlines: ISO 3166-1 alpha-2 code (or ``~Name`` for the three features without
    one) to its polygons, each a list of rings of ``(longitude, latitude)``, outer ring first. Antarctica left out."""
    topology = json.loads(GEOMETRY.read_text("utf-8"))
    arcs = _decode_arcs(topology)
    countries: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry["id"]) if "id" in geometry else None
        code = country.alpha_2 if country else "~" + geometry["properties"]["name"]
        if code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        countries[code] = [[_unwrap(_ring(arcs, ring)) for ring in polygon] for polygon in polygons]
    return dict(sorted(countries.items()))


def _projected(ring: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """A ring in whole map units, with repeated points (after rounding) dropped."""
    out: list[tuple[int, int]] = []
    for lon, lat in ring:
        x, y = to_map(lon, max(SOUTH, min(NORTH, lat)))
        point = (round(x), round(y))
        if not out or out[-1] != point:
            out.append(point)
    return out


def path_data(polygons: list[list[list[tuple[float, float]]]]) -> str:
    """SVG path data for a country's polygons, in whole map units with relative moves (short and deterministic).

    Rings that shrink below three distinct points at this resolution are dropped.

    >>> path_data([[[(0, 0), (10, 0), (10, 10), (0, 0)]]])
    'M500 241l28 0 0-37z'
    """
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = _projected(ring)
            if len(points) > 1 and points[-1] == points[0]:
                points.pop()
            if len(points) < 3:
                continue
            steps = " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:], strict=False))
            parts.append(f"M{points[0][0]} {points[0][1]}l{steps}z".replace(" -", "-"))
    return "".join(parts)


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The area and centroid of a ring in map units (shoelace formula): ``(area, x, y)``, area always positive."""
    points = [to_map(lon, lat) for lon, lat in ring]
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        xs, ys = zip(*points, strict=False)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


@functools.cache
def centroid(code: str) -> tuple[float, float, float] | None:
    """Where a country's mark goes: the centroid of its largest polygon in map units, with that polygon's area.

    Returns ``(x, y, area)``, or ``None`` when the country is too small for the 1:110m outlines (Singapore, say).
    The largest polygon keeps the mainland: the United States' mark is in Kansas, not pulled towards Alaska.
    """
    polygons = world().get(code)
    if not polygons:
        return None
    area, x, y = max(_area_centroid(polygon[0]) for polygon in polygons)
    return x, y, area


def place(countries: list[str], latitude: float | None = None, longitude: float | None = None) -> tuple | None:
    """Where a case goes on the map, in map units: its own point when given, else the area-weighted mean of its
    countries' centroids (the Nile basin's ten countries put it in South Sudan). ``None`` if none of them is drawn.

    >>> place(["BR"], -6.25, -75.5) == tuple(round(v, 1) for v in to_map(-75.5, -6.25))
    True
    >>> place(["SG"]) is None
    True
    """
    if latitude is not None and longitude is not None:
        x, y = to_map(longitude, latitude)
        return round(x, 1), round(y, 1)
    found = [c for c in (centroid(code) for code in countries) if c]
    if not found:
        return None
    total = sum(area for _, _, area in found) or 1.0
    x = sum(cx * area for cx, _, area in found) / total
    y = sum(cy * area for _, cy, area in found) / total
    return round(x, 1), round(y, 1)


def spread(points: list[tuple[float, float]], radius: float = 12.0) -> list[tuple[float, float]]:
    """Marks that share a place moved apart onto a small ring around it, in input order (deterministic).

    >>> spread([(10, 10), (50, 50), (10, 10)])
    [(10.0, -2.0), (50, 50), (10.0, 22.0)]
    """
    groups: dict[tuple[float, float], list[int]] = {}
    for i, point in enumerate(points):
        groups.setdefault(point, []).append(i)
    out = list(points)
    for (x, y), members in groups.items():
        if len(members) < 2:
            continue
        r = radius * max(1.0, len(members) / 6)
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members)
            out[i] = (round(x + r * math.sin(angle), 1), round(y - r * math.cos(angle), 1))
    return out
