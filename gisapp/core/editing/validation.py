"""Geometry validity after edits, repairs, and a layer check for overlaps and gaps (no Qt).

:func:`check_geometry` lists what is wrong with one geometry, each problem with a
location (in the geometry's CRS) and GEOS's reason, e.g. ``Self-intersection``.
:func:`repair` fixes it with ``shapely.make_valid`` (the "structure" method keeps
shells as area and holes as holes) and orients rings the OGC way.
:func:`check_layer_topology` lists overlaps and gaps between the zones of a layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from gisapp.core.geo.geodesy import STORAGE_CRS, geodesic_area_m2, transform_geometries
from gisapp.core.geo.geometry_ops import MIN_VERTICES, components, family_of
from gisapp.core.model.layer import VectorLayer

# GEOS reason prefixes -> stable keys the UI translates.
REASON_KEYS = {
    "Self-intersection": "self_intersection",
    "Ring Self-intersection": "ring_self_intersection",
    "Too few points in geometry component": "too_few_points",
    "Hole lies outside shell": "hole_outside_shell",
    "Holes are nested": "nested_holes",
    "Interior is disconnected": "interior_disconnected",
    "Nested shells": "nested_shells",
    "Duplicate Rings": "duplicate_rings",
    "Invalid Coordinate": "invalid_coordinate",
    "Ring is not closed": "ring_not_closed",
}
_REASON = re.compile(r"^(?P<text>[^\[]*?)\s*(\[(?P<x>\S+)\s+(?P<y>\S+)(\s+\S+)?\])?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a feature's geometry."""

    layer_id: str
    row: int
    key: str  # self_intersection, too_few_points, orientation, empty, ... (see REASON_KEYS)
    reason: str  # GEOS's text (English), for logs and tooltips
    x: float  # location in the layer's CRS
    y: float
    severity: str = "error"  # "error" (invalid) or "warning" (valid but unusual)


def _problem_at(layer_id: str, row: int, key: str, reason: str, geom: BaseGeometry, severity: str = "error") -> Problem:
    point = shapely.point_on_surface(geom) if not geom.is_empty else shapely.Point(0, 0)
    return Problem(layer_id, row, key, reason, float(point.x), float(point.y), severity)


def check_geometry(geom: BaseGeometry | None, layer_id: str = "", row: int = -1) -> list[Problem]:
    """Problems of one geometry: GEOS validity, too few vertices, ring orientation."""
    if geom is None or geom.is_empty:
        return [Problem(layer_id, row, "empty", "Empty geometry", float("nan"), float("nan"))]
    problems: list[Problem] = []
    family = family_of(geom)
    coords = shapely.get_coordinates(geom)
    minimum = MIN_VERTICES[family]
    for comp in components(geom):
        distinct = np.unique(coords[comp.start:comp.open_stop], axis=0)
        if len(distinct) < minimum:
            x, y = coords[comp.start]
            problems.append(Problem(layer_id, row, "too_few_points",
                                    "Too few points in geometry component", float(x), float(y)))
    if not problems:
        reason = shapely.is_valid_reason(geom)
        if reason != "Valid Geometry":
            match = _REASON.match(reason)
            text = match.group("text").strip() if match else reason
            key = REASON_KEYS.get(text, "invalid")
            if match and match.group("x"):
                x, y = float(match.group("x")), float(match.group("y"))
                problems.append(Problem(layer_id, row, key, text, x, y))
            else:
                problems.append(_problem_at(layer_id, row, key, text, geom))
    if family == "polygon" and not problems:
        for part in shapely.get_parts(geom):
            wrong = [part.exterior] if not part.exterior.is_ccw else []
            wrong += [ring for ring in part.interiors if ring.is_ccw]
            if wrong:
                x, y = shapely.get_coordinates(wrong[0])[0]
                problems.append(Problem(layer_id, row, "orientation",
                                        "Ring orientation (exterior should run counter-clockwise)",
                                        float(x), float(y), "warning"))
                break
    return problems


def check_rows(layer: VectorLayer, rows: Iterable[int]) -> list[Problem]:
    geoms = layer.geometry_array
    problems: list[Problem] = []
    for row in sorted({int(r) for r in rows if 0 <= int(r) < len(layer.frame)}):
        problems.extend(check_geometry(geoms[row], layer.id, row))
    return problems


def invalid_rows(layer: VectorLayer) -> np.ndarray:
    """Rows whose geometry is invalid or empty (vectorised; fast on big layers)."""
    geoms = layer.frame.geometry.to_numpy()
    bad = ~shapely.is_valid(geoms) | shapely.is_empty(geoms) | shapely.is_missing(geoms)
    return np.flatnonzero(bad)


def repair(geom: BaseGeometry) -> BaseGeometry:
    """A valid geometry of the same family, close to ``geom``; polygons oriented CCW."""
    family = family_of(geom)
    if family == "polygon":
        fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
        polys = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
        parts = [q for p in polys for q in shapely.get_parts(p)]
        if not parts:
            return geom
        result = parts[0] if len(parts) == 1 and geom.geom_type == "Polygon" else shapely.MultiPolygon(parts)
        return shapely.orient_polygons(result, exterior_cw=False)
    if family == "line":
        fixed = shapely.make_valid(geom)
        lines = [p for p in shapely.get_parts(fixed) if p.geom_type in ("LineString", "MultiLineString")]
        if not lines:
            return geom
        merged = shapely.line_merge(shapely.MultiLineString(
            [q for p in lines for q in shapely.get_parts(p)]))
        return merged
    return shapely.make_valid(geom)


# --- layer topology -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Overlap:
    row_a: int
    row_b: int
    area_m2: float
    geometry: object  # in the layer's CRS


@dataclass(frozen=True)
class Gap:
    area_m2: float
    geometry: object  # in the layer's CRS


@dataclass
class TopologyReport:
    layer_id: str
    overlaps: list[Overlap]
    gaps: list[Gap]
    invalid: list[Problem]


def _is_parent(frame: pd.DataFrame, row_a: int, row_b: int) -> bool:
    if "id" not in frame.columns or "parent_id" not in frame.columns:
        return False
    ids = frame["id"].astype("string").fillna("")
    parents = frame["parent_id"].astype("string").fillna("")
    a_id, b_id = ids.iat[row_a], ids.iat[row_b]
    return bool((a_id and parents.iat[row_b] == a_id) or (b_id and parents.iat[row_a] == b_id))


def check_layer_topology(layer: VectorLayer, min_area_m2: float = 1.0) -> TopologyReport:
    """Overlaps between zones and gaps enclosed by them, geodesic areas in m².

    A zone that lies in its parent zone (``parent_id``) is not an overlap. Gaps are
    the holes of the layer's union (areas enclosed by zones) that are not holes of a
    single zone; overlaps and gaps under ``min_area_m2`` are ignored.
    """
    frame = layer.frame
    geoms = frame.geometry.to_numpy()
    invalid = check_rows(layer, invalid_rows(layer))
    report = TopologyReport(layer.id, [], [], invalid)
    if layer.geometry_family != "polygon" or len(frame) == 0:
        return report
    good = shapely.is_valid(geoms) & ~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)
    idx = np.flatnonzero(good)
    tree = shapely.STRtree(geoms[idx])
    pairs = tree.query(geoms[idx], predicate="intersects")
    for i, j in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True):
        if i >= j:
            continue
        a, b = int(idx[i]), int(idx[j])
        if _is_parent(frame, a, b):
            continue
        shared = shapely.intersection(geoms[a], geoms[b])
        polys = [p for p in shapely.get_parts(shared) if p.geom_type == "Polygon"]
        if not polys:
            continue
        overlap = shapely.union_all(polys)
        area = geodesic_area_m2(transform_geometries(np.array([overlap]), layer.crs, STORAGE_CRS)[0])
        if area >= min_area_m2:
            report.overlaps.append(Overlap(a, b, area, overlap))
    union = shapely.union_all(geoms[idx])
    own_holes = [shapely.Polygon(ring) for g in geoms[idx] for p in shapely.get_parts(g)
                 for ring in p.interiors]
    own = shapely.union_all(own_holes) if own_holes else None
    for part in shapely.get_parts(union):
        for ring in part.interiors:
            hole: BaseGeometry = shapely.Polygon(ring)  # a difference may split it
            if own is not None:
                hole = hole.difference(own)
            if hole.is_empty:
                continue
            area = geodesic_area_m2(transform_geometries(np.array([hole]), layer.crs, STORAGE_CRS)[0])
            if area >= min_area_m2:
                report.gaps.append(Gap(area, hole))
    return report


# Above this many features the check costs more than the hint is worth when editing starts.
SHARED_BOUNDARY_CHECK_LIMIT = 50_000


def shares_boundaries(layer: VectorLayer) -> bool | None:
    """Whether two polygons of the layer share a stretch of boundary (adjacent zones), so a
    vertex drag should move the shared vertex in both. None when the layer is too large to
    check (more than SHARED_BOUNDARY_CHECK_LIMIT features)."""
    if layer.geometry_family != "polygon" or len(layer) < 2:
        return False
    if len(layer) > SHARED_BOUNDARY_CHECK_LIMIT:
        return None
    geoms = layer.frame.geometry.to_numpy()
    good = np.flatnonzero(~shapely.is_empty(geoms) & ~shapely.is_missing(geoms) & shapely.is_valid(geoms))
    boundaries = shapely.boundary(geoms[good])
    pairs = shapely.STRtree(boundaries).query(boundaries, predicate="intersects")
    keep = pairs[0] < pairs[1]
    if not keep.any():
        return False
    shared = shapely.intersection(boundaries[pairs[0][keep]], boundaries[pairs[1][keep]])
    return bool((shapely.length(shared) > 0).any())
