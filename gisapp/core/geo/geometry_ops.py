"""Vertex-level geometry operations used by the editing tools (no Qt).

Vertices are addressed by their *flat index*: the position in
``shapely.get_coordinates(geom)``, which lists parts in order and, for polygons,
the exterior ring before the holes, each ring with its closing coordinate. The
closing coordinate of a ring is an alias of the ring's first vertex: moving one
moves both, and :func:`unique_vertex_indices` lists only the first.

Operations never change coordinates they were not asked to change, so undoing an
edit by restoring the stored geometry gives back the exact previous coordinates.

Example
-------
>>> import shapely
>>> square = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
>>> moved = move_vertices(square, {0: (-1.0, -1.0)})
>>> shapely.get_coordinates(moved)[[0, -1]].tolist()
[[-1.0, -1.0], [-1.0, -1.0]]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar, cast

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
PUNTAL = ("Point", "MultiPoint")
MIN_VERTICES = {"polygon": 3, "line": 2, "point": 1}


class GeometryEditError(ValueError):
    """An operation that would leave a broken geometry; ``key`` names the reason."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def family_of(geom: BaseGeometry) -> str:
    kind = geom.geom_type
    if kind in POLYGONAL:
        return "polygon"
    if kind in LINEAR:
        return "line"
    return "point"


@dataclass(frozen=True)
class Component:
    """One ring, line or point of a geometry and its slice of the flat coordinates."""

    part: int
    ring: int  # 0 = exterior (or the line/point itself), 1.. = holes
    start: int
    stop: int  # exclusive
    closed: bool

    @property
    def open_stop(self) -> int:
        """End of the distinct vertices (the closing coordinate excluded)."""
        return self.stop - 1 if self.closed else self.stop

    @property
    def size(self) -> int:
        return self.open_stop - self.start


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom.geom_type.startswith("Multi"):
        return list(shapely.get_parts(geom))
    return [geom]


def components(geom: BaseGeometry) -> list[Component]:
    comps: list[Component] = []
    index = 0
    for p, part in enumerate(_parts(geom)):
        rings: list[BaseGeometry]
        if isinstance(part, shapely.Polygon):
            rings = [part.exterior, *part.interiors]
            closed = True
        else:
            rings, closed = [part], False
        for r, ring in enumerate(rings):
            n = int(shapely.get_num_coordinates(ring))
            comps.append(Component(p, r, index, index + n, closed))
            index += n
    return comps


def component_of(comps: list[Component], index: int) -> Component:
    for comp in comps:
        if comp.start <= index < comp.stop:
            return comp
    raise IndexError(f"vertex {index} is outside the geometry")


def canonical_index(comps: list[Component], index: int) -> int:
    """The flat index that stands for a vertex (the ring start for a closing coordinate)."""
    comp = component_of(comps, index)
    if comp.closed and index == comp.stop - 1:
        return comp.start
    return index


_SIMPLE_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")


def _component_sizes(geom: BaseGeometry) -> tuple[np.ndarray, bool] | None:
    """Coordinates per component (as :func:`components` orders them) and whether they are
    closed rings, without a Python loop (hit tests ask this per feature on every mouse
    move); None for types the loop must handle (collections)."""
    kind = geom.geom_type
    if kind not in _SIMPLE_TYPES:
        return None
    parts = shapely.get_parts(geom)
    if kind in POLYGONAL:
        return shapely.get_num_coordinates(shapely.get_rings(parts)), True
    return shapely.get_num_coordinates(parts), False


def unique_vertex_indices(geom: BaseGeometry) -> np.ndarray:
    """Flat indices of distinct vertices (closing coordinates left out)."""
    sizes = _component_sizes(geom)
    if sizes is None:
        out = [np.arange(c.start, c.open_stop) for c in components(geom)]
        return np.concatenate(out) if out else np.empty(0, dtype=np.int64)
    counts, closed = sizes
    keep = np.ones(int(counts.sum()), dtype=bool)
    if closed:
        keep[(np.cumsum(counts) - 1)[counts > 0]] = False
    return np.flatnonzero(keep)


def vertex_xy(geom: BaseGeometry, index: int) -> tuple[float, float]:
    x, y = shapely.get_coordinates(geom)[index]
    return float(x), float(y)


# --- decompose / compose ----------------------------------------------------------------
def decompose(geom: BaseGeometry) -> tuple[str, list[list[np.ndarray]]]:
    """(geometry type, parts), each part a list of open coordinate arrays (n, 2)."""
    parts = []
    for part in _parts(geom):
        if isinstance(part, shapely.Polygon):
            rings = [part.exterior, *part.interiors]
            parts.append([shapely.get_coordinates(ring)[:-1] for ring in rings])
        else:
            parts.append([shapely.get_coordinates(part)])
    return geom.geom_type, parts


def compose(kind: str, parts: list[list[np.ndarray]]) -> BaseGeometry:
    if kind in POLYGONAL:
        polys = [shapely.Polygon(_closed(rings[0]), [_closed(r) for r in rings[1:]]) for rings in parts]
        return polys[0] if kind == "Polygon" and len(polys) == 1 else shapely.MultiPolygon(polys)
    if kind in LINEAR:
        lines = [shapely.LineString(rings[0]) for rings in parts]
        return lines[0] if kind == "LineString" and len(lines) == 1 else shapely.MultiLineString(lines)
    points = [shapely.Point(rings[0][0]) for rings in parts]
    return points[0] if kind == "Point" and len(points) == 1 else shapely.MultiPoint(points)


def _closed(ring: np.ndarray) -> np.ndarray:
    return np.vstack([ring, ring[:1]])


# --- vertex operations ----------------------------------------------------------------------
def move_vertices(geom: BaseGeometry, moves: dict[int, tuple[float, float]]) -> BaseGeometry:
    """Move vertices (flat index -> new x, y); a ring's closing coordinate follows its first."""
    comps = components(geom)
    coords = shapely.get_coordinates(geom).copy()
    for index, (x, y) in moves.items():
        index = canonical_index(comps, int(index))
        coords[index] = (x, y)
        comp = component_of(comps, index)
        if comp.closed and index == comp.start:
            coords[comp.stop - 1] = (x, y)
    return shapely.transform(geom, lambda _old: coords)


def insert_vertex(geom: BaseGeometry, segment_start: int, xy: tuple[float, float]) -> BaseGeometry:
    """Insert a vertex after flat index ``segment_start`` (on the segment that starts there)."""
    comps = components(geom)
    comp = component_of(comps, segment_start)
    if comp.stop - comp.start < 2 or segment_start >= comp.stop - 1:
        raise GeometryEditError("no_segment", "there is no segment here to insert a vertex into")
    kind, parts = decompose(geom)
    ring = parts[comp.part][comp.ring]
    k = segment_start - comp.start
    parts[comp.part][comp.ring] = np.insert(ring, k + 1, xy, axis=0)
    return compose(kind, parts)


def delete_vertices(geom: BaseGeometry, indices: Iterable[int]) -> tuple[BaseGeometry, int]:
    """Delete vertices; returns (new geometry, number of rings or parts removed with them).

    A hole or an extra part left with too few vertices is removed whole; the last
    ring of a polygon, the last line or the last point cannot be emptied this way:
    that raises :class:`GeometryEditError` (delete the feature instead).
    """
    comps = components(geom)
    family = family_of(geom)
    wanted = {canonical_index(comps, int(i)) for i in indices}
    kind, parts = decompose(geom)
    minimum = MIN_VERTICES[family]
    removed_whole = 0
    new_parts: list[list[np.ndarray]] = []
    for p, rings in enumerate(parts):
        new_rings = []
        drop_part = False
        for r, ring in enumerate(rings):
            comp = next(c for c in comps if c.part == p and c.ring == r)
            keep = np.array([comp.start + k not in wanted for k in range(len(ring))], dtype=bool)
            if keep.all():
                new_rings.append(ring)
                continue
            remaining = ring[keep]
            if len(_distinct(remaining)) >= minimum:
                new_rings.append(remaining)
            elif r > 0:
                removed_whole += 1  # a hole collapses: drop it
            else:
                drop_part = True
        if drop_part:
            removed_whole += 1
            continue
        new_parts.append(new_rings)
    if not new_parts:
        raise GeometryEditError(
            "too_few_vertices",
            f"a {family} needs at least {minimum} vertices; delete the feature instead")
    if kind in ("Polygon", "LineString", "Point") and len(new_parts) > 1:
        kind = "Multi" + kind
    return compose(kind, new_parts), removed_whole


def _distinct(coords: np.ndarray) -> np.ndarray:
    if len(coords) == 0:
        return coords
    return np.unique(coords, axis=0)


# --- hit testing (canvas coordinates) ---------------------------------------------------------
def nearest_vertex(geom: BaseGeometry, x: float, y: float) -> tuple[int, float]:
    """(flat index, distance) of the distinct vertex nearest to (x, y)."""
    coords = shapely.get_coordinates(geom)
    indices = unique_vertex_indices(geom)
    if len(indices) == 0:
        return -1, float("inf")
    d = np.hypot(coords[indices, 0] - x, coords[indices, 1] - y)
    best = int(np.argmin(d))
    return int(indices[best]), float(d[best])


def segment_starts(geom: BaseGeometry) -> np.ndarray:
    """Flat indices where a segment starts (segment i runs from vertex i to i + 1)."""
    sizes = _component_sizes(geom)
    if sizes is None:
        out = [np.arange(c.start, c.stop - 1) for c in components(geom) if c.stop - c.start >= 2]
        return np.concatenate(out) if out else np.empty(0, dtype=np.int64)
    counts = sizes[0]
    starts = np.ones(int(counts.sum()), dtype=bool)
    starts[(np.cumsum(counts) - 1)[counts > 0]] = False  # the last vertex of each component
    return np.flatnonzero(starts)


def nearest_segment(geom: BaseGeometry, x: float, y: float) -> tuple[int, tuple[float, float], float]:
    """(segment start index, nearest point on it, distance) for the segment nearest (x, y)."""
    coords = shapely.get_coordinates(geom)
    starts = segment_starts(geom)
    if len(starts) == 0:
        return -1, (x, y), float("inf")
    a = coords[starts]
    b = coords[starts + 1]
    ab = b - a
    length2 = np.einsum("ij,ij->i", ab, ab)
    t = np.where(length2 > 0, ((x - a[:, 0]) * ab[:, 0] + (y - a[:, 1]) * ab[:, 1]) / np.where(length2 > 0, length2, 1), 0)
    t = np.clip(t, 0.0, 1.0)
    px = a[:, 0] + t * ab[:, 0]
    py = a[:, 1] + t * ab[:, 1]
    d = np.hypot(px - x, py - y)
    best = int(np.argmin(d))
    return int(starts[best]), (float(px[best]), float(py[best])), float(d[best])


def vertices_at(geom: BaseGeometry, x: float, y: float, tolerance: float) -> list[int]:
    """Distinct vertices within ``tolerance`` of (x, y) (for shared-vertex lookups)."""
    coords = shapely.get_coordinates(geom)
    indices = unique_vertex_indices(geom)
    if len(indices) == 0:
        return []
    close = np.hypot(coords[indices, 0] - x, coords[indices, 1] - y) <= tolerance
    return [int(i) for i in indices[close]]


def segments_between(geom: BaseGeometry, a: tuple[float, float], b: tuple[float, float], tolerance: float) -> list[int]:
    """Segment start indices whose ends are ``a`` and ``b`` (either direction)."""
    coords = shapely.get_coordinates(geom)
    starts = segment_starts(geom)
    if len(starts) == 0:
        return []
    p, q = coords[starts], coords[starts + 1]

    def near(points: np.ndarray, xy: tuple[float, float]) -> np.ndarray:
        return np.hypot(points[:, 0] - xy[0], points[:, 1] - xy[1]) <= tolerance

    hits = (near(p, a) & near(q, b)) | (near(p, b) & near(q, a))
    return [int(i) for i in starts[hits]]


# --- whole-feature operations ------------------------------------------------------------------
def add_ring(geom: BaseGeometry, ring: np.ndarray) -> BaseGeometry:
    """Add a hole to the polygon part that contains ``ring`` (open or closed coordinates)."""
    ring = np.asarray(ring, dtype=float)
    if len(ring) > 1 and np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    if len(_distinct(ring)) < 3:
        raise GeometryEditError("too_few_vertices", "a ring needs at least 3 vertices")
    hole = shapely.Polygon(_closed(ring))
    kind, parts = decompose(geom)
    for p, part in enumerate(_parts(geom)):
        if part.contains(hole):
            # Holes run clockwise (OGC simple features); keep the input order otherwise.
            if shapely.LinearRing(_closed(ring)).is_ccw:
                ring = ring[::-1]
            parts[p].append(ring)
            return compose(kind, parts)
    raise GeometryEditError("ring_outside", "the ring must lie inside the polygon")


def add_part(geom: BaseGeometry, part: BaseGeometry) -> BaseGeometry:
    """Add ``part`` (same family) to a feature, making it multi-part."""
    if family_of(part) != family_of(geom):
        raise GeometryEditError("wrong_family", "a part must have the feature's geometry type")
    parts = [*_parts(geom), *_parts(part)]  # single parts of the one family checked above
    family = family_of(geom)
    if family == "polygon":
        return shapely.MultiPolygon(cast(list[shapely.Polygon], parts))
    if family == "line":
        return shapely.MultiLineString(cast(list[shapely.LineString], parts))
    return shapely.MultiPoint(cast(list[shapely.Point], parts))


def translate(geom: BaseGeometry, dx: float, dy: float) -> BaseGeometry:
    return affinity.translate(geom, dx, dy)


def rotate(geom: BaseGeometry, angle_degrees: float, origin: tuple[float, float]) -> BaseGeometry:
    """Rotate counter-clockwise by ``angle_degrees`` about ``origin``."""
    return affinity.rotate(geom, angle_degrees, origin=origin)


_OptionalGeometry = TypeVar("_OptionalGeometry", bound=BaseGeometry | None)


def orient(geom: _OptionalGeometry) -> _OptionalGeometry:
    """Exterior rings counter-clockwise, holes clockwise (OGC/GeoPackage convention)."""
    if geom is None or geom.geom_type not in POLYGONAL:
        return geom
    return shapely.orient_polygons(geom, exterior_cw=False)
