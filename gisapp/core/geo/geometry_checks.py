"""Screen the geometries a file brings before they reach a layer: every kept geometry is a
point, line or polygon (or a multi-part one) with finite coordinates.

:func:`screen_geometries` returns the problems as ``(row, code, detail)`` with the codes of
:mod:`gisapp.core.model.load_report`. Coordinates that are finite but impossible for the CRS
are judged in :mod:`gisapp.core.geo.crs_checks`.

>>> import numpy as np, shapely
>>> geoms = np.array([shapely.Point(121.5, 38.9), None, shapely.Point(float("nan"), 38.9),
...                   shapely.from_wkt("GEOMETRYCOLLECTION (POINT (1 2), POINT (3 4))")])
>>> screened = screen_geometries(geoms)
>>> screened.problems
[(1, 'no_geometry', ''), (2, 'non_finite', '')]
>>> screened.geometries[3].wkt, screened.converted
('MULTIPOINT ((1 2), (3 4))', 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# shapely type ids
POINT, LINESTRING, LINEARRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, COLLECTION = range(8)
FAMILY_OF_TYPE = {POINT: "point", MULTIPOINT: "point", LINESTRING: "line", MULTILINESTRING: "line",
                  LINEARRING: "line", POLYGON: "polygon", MULTIPOLYGON: "polygon"}

# ISO WKB type codes gisapp cannot draw, for a readable reason (curves, surfaces, triangles).
WKB_TYPE_NAMES = {8: "CircularString", 9: "CompoundCurve", 10: "CurvePolygon", 11: "MultiCurve",
                  12: "MultiSurface", 13: "Curve", 14: "Surface", 15: "PolyhedralSurface", 16: "TIN",
                  17: "Triangle"}


@dataclass
class Screened:
    geometries: np.ndarray  # object array, the input with single-type collections made multi-part
    problems: list[tuple[int, str, str]]  # (row, code, detail), rows in ascending order
    converted: int  # geometry collections turned into multi-part geometries

    def good_mask(self) -> np.ndarray:
        mask = np.ones(len(self.geometries), dtype=bool)
        mask[[row for row, _code, _detail in self.problems]] = False
        return mask


def wkb_type_name(wkb: bytes | None) -> str:
    """The geometry type named in a WKB header ('' if it cannot be read).

    >>> wkb_type_name(bytes.fromhex("0108000000"))
    'CircularString'
    """
    if not wkb or len(wkb) < 5 or wkb[0] not in (0, 1):
        return ""
    code = int.from_bytes(wkb[1:5], "little" if wkb[0] == 1 else "big")
    code = code & 0x0FFFFFFF  # EWKB flags
    base = code % 1000  # ISO Z/M/ZM add 1000/2000/3000
    names = {1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
             6: "MultiPolygon", 7: "GeometryCollection", **WKB_TYPE_NAMES}
    return names.get(base, f"WKB type {code}")


def _flatten(geom: BaseGeometry) -> list[BaseGeometry]:
    parts: list[BaseGeometry] = []
    stack = [geom]
    while stack:
        item = stack.pop()
        type_id = shapely.get_type_id(item)
        if type_id >= MULTIPOINT:
            stack.extend(reversed(shapely.get_parts(item).tolist()))
        elif not item.is_empty:
            parts.append(item)
    return parts


def _collection_as_multi(geom: BaseGeometry) -> BaseGeometry | None:
    """A multi-part geometry of the collection's one family, or None if it mixes families."""
    parts = _flatten(geom)
    families = {FAMILY_OF_TYPE.get(int(shapely.get_type_id(part))) for part in parts}
    family = families.pop() if len(families) == 1 else None
    if family is None:
        return None
    # Every part is of the one family here; the isinstance filters only tell the type checker.
    if family == "point":
        return shapely.MultiPoint([part for part in parts if isinstance(part, shapely.Point)])
    if family == "line":
        return shapely.MultiLineString([shapely.LineString(part.coords) for part in parts
                                        if isinstance(part, shapely.LineString)])
    return shapely.MultiPolygon([part for part in parts if isinstance(part, shapely.Polygon)])


def screen_geometries(geoms: np.ndarray) -> Screened:
    """Find missing, empty, unsupported and non-finite geometries (see the module docstring)."""
    geoms = np.asarray(geoms, dtype=object)
    problems: list[tuple[int, str, str]] = []
    missing = shapely.is_missing(geoms)
    problems += [(int(row), "no_geometry", "") for row in np.flatnonzero(missing)]
    present = np.flatnonzero(~missing)
    type_ids = np.full(len(geoms), -1, dtype=np.int64)
    type_ids[present] = shapely.get_type_id(geoms[present])
    converted = 0
    collections = np.flatnonzero(type_ids == COLLECTION)
    if len(collections):
        geoms = geoms.copy()
        for row in collections:
            if shapely.is_empty(geoms[row]):
                continue  # reported as empty below
            multi = _collection_as_multi(geoms[row])
            if multi is None:
                problems.append((int(row), "mixed_collection", ""))
                type_ids[row] = -1
            else:
                geoms[row] = multi
                type_ids[row] = int(shapely.get_type_id(multi))
                converted += 1
    unknown = np.flatnonzero(~missing & (type_ids > COLLECTION))
    problems += [(int(row), "unsupported_type", geoms[row].geom_type) for row in unknown]
    candidate = (type_ids >= 0) & (type_ids <= COLLECTION)
    empty = np.zeros(len(geoms), dtype=bool)
    empty[candidate] = shapely.is_empty(geoms[candidate])
    problems += [(int(row), "empty_geometry", "") for row in np.flatnonzero(empty)]
    rows = np.flatnonzero(candidate & ~empty)
    # A line needs two points and a polygon ring four (the first repeated at the end); GDAL
    # passes shorter ones through.
    counts = shapely.get_num_coordinates(geoms[rows])
    kinds = type_ids[rows]
    short_lines = rows[np.isin(kinds, (LINESTRING, MULTILINESTRING)) & (counts < 2)]
    short_rings = rows[np.isin(kinds, (POLYGON, MULTIPOLYGON)) & (counts < 4)]
    problems += [(int(row), "too_few_points", "line") for row in short_lines]
    problems += [(int(row), "too_few_points", "ring") for row in short_rings]
    rows = np.setdiff1d(rows, np.concatenate([short_lines, short_rings]), assume_unique=True) \
        if len(short_lines) or len(short_rings) else rows
    problems += [(int(row), "non_finite", "") for row in _rows_with_non_finite(geoms, rows)]
    problems.sort()
    return Screened(geoms, problems, converted)


def _rows_with_non_finite(geoms: np.ndarray, rows: np.ndarray, step: int = 50_000) -> list[int]:
    """Rows among ``rows`` with a NaN or infinite x or y (in slices: a million parcels hold
    tens of millions of coordinates; the owner of each coordinate is looked up only in a
    slice that has a bad one)."""
    bad: list[int] = []
    for start in range(0, len(rows), step):
        chunk = rows[start:start + step]
        if np.isfinite(shapely.get_coordinates(geoms[chunk])).all():
            continue
        coords, owner = shapely.get_coordinates(geoms[chunk], return_index=True)
        owners = owner[~np.isfinite(coords).all(axis=1)]
        bad += sorted(set(chunk[owners].tolist()))
    return bad


def geometry_families(geoms: np.ndarray) -> np.ndarray:
    """'point', 'line' or 'polygon' per geometry (after :func:`screen_geometries`)."""
    type_ids = shapely.get_type_id(np.asarray(geoms, dtype=object))
    lookup = np.array(["point", "line", "line", "polygon", "point", "line", "polygon", "polygon"], dtype=object)
    return lookup[np.clip(type_ids, 0, 7)]
