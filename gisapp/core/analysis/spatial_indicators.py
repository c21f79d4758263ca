"""Spatial indicators computed from the map: areas, shares, counts, land-use mix, green standard.

All areas are on the WGS84 ellipsoid, never square degrees: geodesic (``pyproj.Geod``) for
zones, and in an ellipsoidal equal-area projection for land-use pieces, which can number a
million (see :func:`landuse_km2`). Buffers need
distances in metres, so the green standard works in a local azimuthal equidistant
projection centred on the data (distances from the centre are exact and, over a city,
everywhere within a fraction of a per mille), then measures the pieces geodesically again.

Every function takes plain GeoDataFrames in any CRS, so the same code runs on the bundled
catalogue, on layers a user opens, in a worker thread of the desktop app, and in tests.

Examples
--------
>>> import geopandas as gpd, shapely
>>> homes = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.box(121.50, 38.90, 121.52, 38.91)], crs=4326)
>>> parks = gpd.GeoDataFrame({"id": ["p"]}, geometry=[shapely.Point(121.50, 38.905)], crs=4326)
>>> result = service_coverage(homes, parks, 500)
>>> 0 < result.share < 1
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.array import GeometryArray
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from gisapp.core.geo.geodesy import STORAGE_CRS, geodesic_area_m2, transform_geometries
from gisapp.core.model.layer import VectorLayer, geometry_family
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.core.texts import Bilingual, pick

BASE_GROUP = "base"
ANALYSIS_GROUP = "analysis"
ANALYSIS_GROUP_TITLE = Bilingual("分析结果", "Analysis results")
# Columns that mark a land-use layer (case-insensitive), as planners' data names them.
LANDUSE_FIELDS = ("landuse", "land_use", "landuse_class", "lu_class", "lu_code", "luse", "ydxz",
                  "yddm", "dlmc", "dlbm", "用地性质", "用地类型", "用地分类", "地类名称", "地类")
# Geometries per vectorised step in worker threads: the UI thread shares the GIL, and some
# shapely steps (making the reprojected geometries) hold it for their whole array.
GIL_CHUNK = 500
NAME_FIELDS = ("name_zh", "name_en", "name", "名称")


class GreenStandard(NamedTuple):
    distance_m: float
    title: Bilingual
    indicator_id: str


GREEN_STANDARDS = {  # the plan's “50米见绿、500米见园” (chapter 8)
    "park_500m": GreenStandard(500.0, Bilingual("500米见园", "Park within 500 m"), "plan.text.park_500m"),
    "green_50m": GreenStandard(50.0, Bilingual("50米见绿", "Green space within 50 m"), "plan.text.green_50m"),
}


# --- helpers ---------------------------------------------------------------------------------
def detach(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, str]:
    """A snapshot of ``frame`` without its CRS object, and the CRS as WKT.

    pyproj CRS objects belong to the thread that made them; handing one to a worker thread
    can crash PROJ. A worker re-attaches the CRS from the text (:func:`attach`).
    """
    return FrameSnapshot.take(frame).frame()


@dataclass
class FrameSnapshot:
    """A layer's frame for another thread, in two steps: :meth:`take` on the thread that owns
    the CRS object (it only reads the CRS as text and the geometry array), :meth:`frame` on
    the worker (it builds the detached frame there, off the UI thread).

    Nothing is copied: pandas copies on write, and edits never change a layer's geometry
    array in place but swap in a new frame (see ``gisapp.core.editing.edits``).
    """

    source: gpd.GeoDataFrame
    geometry_name: str
    geometries: np.ndarray
    crs_text: str

    @classmethod
    def take(cls, frame: gpd.GeoDataFrame, crs_text: str | None = None) -> FrameSnapshot:
        if crs_text is None:
            crs_text = frame.crs.to_wkt() if frame.crs is not None else ""
        return cls(frame, frame.geometry.name, np.asarray(frame.geometry.array), crs_text)

    def frame(self, with_crs: bool = False) -> tuple[gpd.GeoDataFrame, str]:
        """The detached frame and the CRS as WKT. ``with_crs`` (on the thread that will use
        it) gives the frame a CRS object made there: cheaper than ``set_crs`` later, which
        copies every column, and holds the GIL while it does."""
        source, name = self.source, self.geometry_name
        data = {column: pd.Series(source[column]) for column in source.columns if column != name}
        crs = CRS.from_user_input(self.crs_text) if with_crs and self.crs_text else None
        data[name] = gpd.GeoSeries(GeometryArray(self.geometries, crs=crs), index=source.index, copy=False)
        return gpd.GeoDataFrame(data, geometry=name, copy=False), self.crs_text


def attach(frame: gpd.GeoDataFrame, crs_text: str) -> gpd.GeoDataFrame:
    """Give a detached frame its CRS again (in the thread that will use it)."""
    return frame.set_crs(crs_text, allow_override=True) if crs_text else frame


def to_lonlat(frame: gpd.GeoDataFrame, crs_text: str = "") -> gpd.GeoDataFrame:
    """``frame`` in EPSG:4326 (a frame without a CRS is taken to be lon/lat already)."""
    if frame.crs is None and crs_text:
        frame = attach(frame, crs_text)
    if frame.crs is None:
        return frame.set_crs(STORAGE_CRS)
    if CRS.from_user_input(frame.crs) == CRS.from_user_input(STORAGE_CRS):
        return frame
    return frame.to_crs(STORAGE_CRS)


def local_metric_crs(*frames_lonlat: gpd.GeoDataFrame) -> CRS:
    """An azimuthal equidistant CRS in metres centred on the frames' common extent."""
    boxes = [f.total_bounds for f in frames_lonlat if len(f) and not np.all(np.isnan(f.total_bounds))]
    if not boxes:
        return CRS.from_epsg(32651)
    arr = np.array(boxes)
    lon = (arr[:, 0].min() + arr[:, 2].max()) / 2
    lat = (arr[:, 1].min() + arr[:, 3].max()) / 2
    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs")


def geodesic_areas_km2(geoms_lonlat: Iterable[BaseGeometry | None]) -> np.ndarray:
    return np.array([geodesic_area_m2(g) / 1e6 if g is not None else 0.0 for g in geoms_lonlat], dtype=float)


def _valid(geoms: np.ndarray) -> np.ndarray:
    geoms = np.asarray(geoms, dtype=object)
    bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if bad.any():
        geoms = geoms.copy()
        geoms[bad] = shapely.make_valid(geoms[bad])
    return geoms


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    """Only the polygon parts of a geometry (intersections can yield lines and points)."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _text(frame: pd.DataFrame, column: str, row: int) -> str:
    if column not in frame.columns:
        return ""
    value = frame[column].iloc[row]
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def feature_name(frame: pd.DataFrame, row: int, lang: str = "zh") -> str:
    for column in (f"name_{lang}", *NAME_FIELDS, "id"):
        text = _text(frame, column, row)
        if text.strip():
            return text
    return f"#{row}"


def landuse_field(frame: pd.DataFrame) -> str | None:
    """The land-use category column of ``frame``, if it has one."""
    lookup = {str(c).lower(): c for c in frame.columns}
    for name in LANDUSE_FIELDS:
        if name.lower() in lookup:
            return lookup[name.lower()]
    return None


# --- snapshots ------------------------------------------------------------------------------
@dataclass
class LayerInput:
    """What a computation needs of a layer; a detached copy, so a worker thread may use it."""

    id: str
    title_zh: str
    title_en: str
    group: str
    frame: gpd.GeoDataFrame
    crs_text: str = ""  # the CRS of a detached frame (see :func:`detach`)

    @classmethod
    def from_layer(cls, layer: VectorLayer) -> LayerInput:
        frame, crs_text = detach(layer.frame)
        return cls(layer.id, layer.title_zh, layer.title_en, layer.group, frame, crs_text)

    @classmethod
    def from_snapshot(cls, layer_id: str, title_zh: str, title_en: str, group: str,
                      snapshot: FrameSnapshot) -> LayerInput:
        """On the worker thread, from what the UI thread took (:class:`FrameSnapshot`)."""
        frame, crs_text = snapshot.frame(with_crs=True)
        return cls(layer_id, title_zh, title_en, group, frame, crs_text)

    @property
    def family(self) -> str:
        return geometry_family(self.frame) if len(self.frame) else "polygon"

    def title(self, lang: str) -> str:
        return pick(lang, self.title_zh, self.title_en)


def project_inputs(project: Project) -> list[LayerInput]:
    return [LayerInput.from_layer(layer) for layer in project.vector_layers()]


# --- per feature and per group ---------------------------------------------------------------
@dataclass
class FeatureIndicators:
    layer_id: str
    feature_id: str
    name_zh: str
    name_en: str
    group: str
    area_km2: float
    parent_id: str = ""
    parent_share: float | None = None  # share of the parent zone's area this feature covers
    points_inside: int = 0
    point_names: list[str] = field(default_factory=list)
    landuse_km2: dict[str, float] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return pick(lang, self.name_zh, self.name_en or self.name_zh)

    @property
    def landuse_mix(self) -> float | None:
        """Normalised Shannon entropy of the land-use areas: 0 = one use, 1 = evenly mixed."""
        areas = np.array([a for a in self.landuse_km2.values() if a > 0])
        if len(areas) < 2:
            return 0.0 if len(areas) == 1 else None
        shares = areas / areas.sum()
        return float(-(shares * np.log(shares)).sum() / math.log(len(shares)))

    def landuse_shares(self) -> dict[str, float]:
        total = sum(self.landuse_km2.values())
        return {k: v / total for k, v in self.landuse_km2.items()} if total > 0 else {}


@dataclass
class GroupIndicators:
    group_id: str
    title_zh: str
    title_en: str
    features: int
    area_km2: float  # of the union, so nested and overlapping zones count once
    points_inside: int

    def title(self, lang: str) -> str:
        return pick(lang, self.title_zh, self.title_en)


@dataclass
class SpatialSummary:
    features: list[FeatureIndicators] = field(default_factory=list)
    groups: list[GroupIndicators] = field(default_factory=list)
    landuse_layer: str | None = None

    def feature(self, feature_id: str) -> FeatureIndicators | None:
        return next((f for f in self.features if f.feature_id == feature_id), None)


def landuse_km2(zones: np.ndarray, parcels: np.ndarray, uses: np.ndarray) -> list[dict[str, float]]:
    """Area in km² of each land use within each zone (lon/lat geometries; an empty use is "?").

    Pieces are measured in a Lambert azimuthal equal-area projection on the WGS84 ellipsoid
    centred on the zones: its areas are the ellipsoid's, so they differ from geodesic polygon
    areas only by the shape of the edges (about 1e-5 relative for the bundled zones). Unlike
    one geodesic area per piece, this is vectorised; and it runs in chunks, because the
    computation shares the GIL with the UI thread and each chunk must stay a few ms long.
    """
    mixes: list[dict[str, float]] = [{} for _ in range(len(zones))]
    present = ~shapely.is_missing(zones) & ~shapely.is_empty(zones)
    if not present.any() or not len(parcels):
        return mixes
    xmin, ymin, xmax, ymax = shapely.total_bounds(zones[present])
    laea = (f"+proj=laea +lat_0={(ymin + ymax) / 2:.6f} +lon_0={(xmin + xmax) / 2:.6f} "
            "+ellps=WGS84 +units=m +no_defs")
    zones_m = np.array(zones, dtype=object)
    zones_m[present] = transform_geometries(zones[present], STORAGE_CRS, laea)
    zones_m[~present] = None
    shapely.prepare(zones_m)
    zone_tree = shapely.STRtree(zones_m)
    # A Python loop rather than pandas.factorize, which holds the GIL for the whole column.
    codes_of: dict[str, int] = {}
    codes = np.fromiter((codes_of.setdefault(_use_label(use), len(codes_of)) for use in uses), dtype=np.intp,
                        count=len(uses))
    labels = list(codes_of)
    sums = np.zeros((len(zones), len(labels)))
    for start in range(0, len(parcels), GIL_CHUNK):
        chunk = transform_geometries(parcels[start:start + GIL_CHUNK], STORAGE_CRS, laea)
        parcel_rows, zone_rows = zone_tree.query(chunk, predicate="intersects")
        if not len(parcel_rows):
            continue
        pieces, owners = chunk[parcel_rows], zones_m[zone_rows]
        whole = shapely.covers(owners, pieces)
        areas = shapely.area(pieces)
        cut = ~whole
        if cut.any():
            areas[cut] = shapely.area(shapely.intersection(owners[cut], pieces[cut]))
        np.add.at(sums, (zone_rows, codes[start + parcel_rows]), areas / 1e6)
    for row, mix in enumerate(mixes):
        mix.update({str(labels[k]): float(sums[row, k]) for k in np.flatnonzero(sums[row] > 0)})
    return mixes


def _use_label(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "?"
    return str(value) or "?"


def find_landuse_layer(layers: list[LayerInput]) -> LayerInput | None:
    for layer in layers:
        if layer.family == "polygon" and landuse_field(layer.frame):
            return layer
    return None


def compute_spatial_indicators(layers: list[LayerInput], groups: list[LayerGroup] | None = None,
                               landuse_layer_id: str | None = "auto") -> SpatialSummary:
    """Areas, parent shares, named points inside and land-use mix for every plan zone.

    Zones are the polygon features of non-base layers; points are the named points of
    non-base layers (projects, platforms). ``landuse_layer_id`` picks the land-use layer
    ("auto": the first polygon layer with a land-use column; None: no land-use mix).
    """
    lonlat = {layer.id: to_lonlat(layer.frame, layer.crs_text) for layer in layers}
    if landuse_layer_id == "auto":
        landuse = find_landuse_layer(layers)
    else:
        landuse = next((layer for layer in layers if layer.id == landuse_layer_id), None)
    zone_layers = [layer for layer in layers if layer.group != BASE_GROUP and layer.family == "polygon"
                   and (landuse is None or layer.id != landuse.id) and len(layer.frame)]
    point_layers = [layer for layer in layers if layer.group != BASE_GROUP and layer.family == "point"]

    # Named points, all layers together.
    point_geoms, point_names = [], []
    for layer in point_layers:
        frame = lonlat[layer.id]
        for row in range(len(frame)):
            name = next((_text(frame, c, row) for c in NAME_FIELDS if _text(frame, c, row).strip()), "")
            geom = frame.geometry.iloc[row]
            if geom is not None and not geom.is_empty and name:
                point_geoms.append(geom)
                point_names.append(name)
    point_geoms_arr = np.array(point_geoms, dtype=object)
    point_tree = shapely.STRtree(point_geoms_arr) if len(point_geoms_arr) else None

    # Every feature geometry by id, for parent look-ups.
    parent_ids = set()
    for layer in zone_layers:
        if "parent_id" in layer.frame.columns:
            parent_ids.update(layer.frame["parent_id"].dropna().astype(str))
    parent_ids.discard("")
    by_id: dict[str, Any] = {}
    for layer in layers:
        frame = lonlat[layer.id]
        if "id" in frame.columns and parent_ids:
            ids = frame["id"].astype("string").fillna("")
            rows = np.flatnonzero(ids.isin(parent_ids).to_numpy())
            for fid, geom in zip(ids.iloc[rows], _valid(frame.geometry.to_numpy()[rows]), strict=True):
                by_id.setdefault(str(fid), geom)

    landuse_geoms = landuse_values = None
    if landuse is not None:
        frame = lonlat[landuse.id]
        column = landuse_field(frame)
        if column is not None:
            landuse_geoms = _valid(frame.geometry.to_numpy())
            landuse_values = frame[column].to_numpy(dtype=object)

    results: list[FeatureIndicators] = []
    result_geoms: list[BaseGeometry] = []
    group_geoms: dict[str, list[BaseGeometry]] = {}
    group_points: dict[str, set[int]] = {}
    for layer in zone_layers:
        frame = lonlat[layer.id]
        geoms = _valid(frame.geometry.to_numpy())
        areas = geodesic_areas_km2(geoms)
        for row, geom in enumerate(geoms):
            if geom is None or geom.is_empty:
                continue
            feature_id = _text(frame, "id", row)
            parent_id = _text(frame, "parent_id", row)
            item = FeatureIndicators(
                layer_id=layer.id, feature_id=feature_id,
                name_zh=feature_name(frame, row, "zh"), name_en=feature_name(frame, row, "en"),
                group=layer.group, area_km2=float(areas[row]), parent_id=parent_id)
            parent = by_id.get(parent_id) if parent_id else None
            if parent is not None and parent.geom_type in ("Polygon", "MultiPolygon"):
                parent_area = geodesic_area_m2(parent)
                if parent_area > 0:
                    item.parent_share = geodesic_area_m2(_polygonal(geom.intersection(parent))) / parent_area
            if point_tree is not None:
                inside = np.sort(point_tree.query(geom, predicate="intersects"))
                item.points_inside = len(inside)
                item.point_names = [point_names[i] for i in inside]
                group_points.setdefault(layer.group, set()).update(inside.tolist())
            results.append(item)
            result_geoms.append(geom)
            group_geoms.setdefault(layer.group, []).append(geom)

    if landuse_geoms is not None and landuse_values is not None and results:
        zone_geoms = np.array(result_geoms, dtype=object)
        for item, mix in zip(results, landuse_km2(zone_geoms, landuse_geoms, landuse_values), strict=True):
            item.landuse_km2 = mix

    titles = {g.id: Bilingual(g.title_zh, g.title_en) for g in (groups or [])}
    order = [g.id for g in (groups or [])]
    group_results = []
    for group_id in sorted(group_geoms, key=lambda g: order.index(g) if g in order else len(order)):
        union = shapely.union_all(np.array(group_geoms[group_id], dtype=object))
        title = titles.get(group_id, Bilingual(group_id, group_id))
        group_results.append(GroupIndicators(
            group_id, title.zh, title.en, features=len(group_geoms[group_id]),
            area_km2=geodesic_area_m2(union) / 1e6, points_inside=len(group_points.get(group_id, ()))))
    return SpatialSummary(results, group_results, landuse.id if landuse is not None else None)


# --- green standard: “50 m to green, 500 m to a park” ----------------------------------------
@dataclass
class CoverageResult:
    """Share of a target layer (built-up, residential) within ``distance_m`` of a source layer.

    For polygon targets the totals are areas in km² (overlaps counted once); for point
    targets they are counts. ``uncovered`` holds, per target feature, what lies beyond the
    distance, in EPSG:4326, ready to draw.
    """

    distance_m: float
    target_kind: str  # "area" or "points"
    total: float
    covered: float
    uncovered: gpd.GeoDataFrame
    per_feature: pd.DataFrame
    metric_crs: str = ""
    target_layer: str = ""
    source_layer: str = ""

    @property
    def share(self) -> float | None:
        return self.covered / self.total if self.total > 0 else None

    @property
    def uncovered_total(self) -> float:
        return self.total - self.covered

    def to_dict(self) -> dict[str, Any]:
        return {"distance_m": self.distance_m, "target_kind": self.target_kind, "total": self.total,
                "covered": self.covered, "share": self.share, "target_layer": self.target_layer,
                "source_layer": self.source_layer}


def service_coverage(targets: gpd.GeoDataFrame, sources: gpd.GeoDataFrame, distance_m: float,
                     target_layer: str = "", source_layer: str = "") -> CoverageResult:
    """How much of ``targets`` lies within ``distance_m`` metres of ``sources``.

    ``sources`` may be polygons (parks: the distance is from the park's edge), lines or
    points. Raises ``ValueError`` for line targets, which have no area to cover.
    """
    if distance_m < 0:
        raise ValueError("the distance must not be negative")
    targets_ll = to_lonlat(targets)
    sources_ll = to_lonlat(sources)
    family = geometry_family(targets_ll) if len(targets_ll) else "polygon"
    if family == "line":
        raise ValueError("the target layer has lines; choose a polygon (built-up, residential) or point layer")
    metric = local_metric_crs(targets_ll, sources_ll)
    target_geoms = _valid(targets_ll.to_crs(metric).geometry.to_numpy())
    source_geoms = _valid(sources_ll.to_crs(metric).geometry.to_numpy())
    source_geoms = source_geoms[~shapely.is_missing(source_geoms) & ~shapely.is_empty(source_geoms)]
    if len(source_geoms):
        reach = shapely.union_all(shapely.buffer(source_geoms, distance_m, quad_segs=32))
    else:
        reach = shapely.Polygon()
    shapely.prepare(reach)
    ids = [(_text(targets_ll, "id", i) or str(i)) for i in range(len(targets_ll))]
    names_zh = [feature_name(targets_ll, i, "zh") for i in range(len(targets_ll))]
    names_en = [feature_name(targets_ll, i, "en") for i in range(len(targets_ll))]

    def back(geom: BaseGeometry) -> BaseGeometry:
        return gpd.GeoSeries([geom], crs=metric).to_crs(STORAGE_CRS).iloc[0]

    rows, uncovered_geoms = [], []
    if family == "point":
        present = ~shapely.is_missing(target_geoms) & ~shapely.is_empty(target_geoms)
        inside = np.zeros(len(target_geoms), dtype=bool)
        inside[present] = shapely.intersects(reach, target_geoms[present])
        for i in range(len(target_geoms)):
            rows.append({"id": ids[i], "name_zh": names_zh[i], "name_en": names_en[i],
                         "covered": bool(inside[i])})
            if present[i] and not inside[i]:
                uncovered_geoms.append((i, back(target_geoms[i])))
        total, covered = float(present.sum()), float(inside.sum())
        kind = "points"
    else:
        for i, geom in enumerate(target_geoms):
            if geom is None or geom.is_empty:
                continue
            area = geodesic_area_m2(back(geom)) / 1e6
            outside = _polygonal(geom.difference(reach))
            outside_ll = back(outside) if not outside.is_empty else outside
            out_area = geodesic_area_m2(outside_ll) / 1e6 if not outside.is_empty else 0.0
            rows.append({"id": ids[i], "name_zh": names_zh[i], "name_en": names_en[i], "area_km2": area,
                         "uncovered_km2": out_area,
                         "covered_share": (area - out_area) / area if area > 0 else None})
            if not outside.is_empty:
                uncovered_geoms.append((i, outside_ll))
        present = target_geoms[~shapely.is_missing(target_geoms) & ~shapely.is_empty(target_geoms)]
        union = shapely.union_all(present) if len(present) else shapely.Polygon()
        total = geodesic_area_m2(back(union)) / 1e6 if not union.is_empty else 0.0
        outside_all = _polygonal(union.difference(reach))
        uncovered_area = geodesic_area_m2(back(outside_all)) / 1e6 if not outside_all.is_empty else 0.0
        covered = total - uncovered_area
        kind = "area"
    per_feature = pd.DataFrame(rows)
    lookup = {row["id"]: row for row in rows}
    uncovered = gpd.GeoDataFrame({
        "id": [f"{ids[i]}.uncovered_{distance_m:g}m" for i, _ in uncovered_geoms],
        "target_id": [ids[i] for i, _ in uncovered_geoms],
        "name_zh": [f"{names_zh[i]}（{distance_m:g}米外）" for i, _ in uncovered_geoms],
        "name_en": [f"{names_en[i]} (beyond {distance_m:g} m)" for i, _ in uncovered_geoms],
        "uncovered_km2": [lookup[ids[i]].get("uncovered_km2") for i, _ in uncovered_geoms],
        "distance_m": [float(distance_m)] * len(uncovered_geoms),
    }, geometry=[g for _, g in uncovered_geoms], crs=STORAGE_CRS)
    return CoverageResult(float(distance_m), kind, total, covered, uncovered, per_feature,
                          metric.srs, target_layer, source_layer)


def green_standard(targets: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, standard: str = "park_500m",
                   **names: str) -> CoverageResult:
    """The plan's standard as an indicator: ``park_500m`` (500米见园) or ``green_50m`` (50米见绿)."""
    return service_coverage(targets, parks, GREEN_STANDARDS[standard].distance_m, **names)


UNCOVERED_SYMBOL = Symbol(fill="#d7301f", fill_opacity=0.45, stroke="#99000d", stroke_width=1.2,
                          stroke_style="dash", size=8, marker="square")


def uncovered_layer(result: CoverageResult, layer_id: str | None = None) -> VectorLayer:
    """A layer of the areas (or points) beyond the distance, to draw on the map."""
    distance = f"{result.distance_m:g}"
    return VectorLayer(
        id=layer_id or f"analysis.uncovered_{distance}m",
        title_zh=f"{distance}米服务范围外（{result.target_layer}）",
        title_en=f"Beyond {distance} m ({result.target_layer})",
        frame=result.uncovered.copy(), style=SingleStyle(UNCOVERED_SYMBOL), group=ANALYSIS_GROUP,
        label_field="", metadata={"analysis": "service_coverage", **result.to_dict()})


def put_result_layer(project: Project, layer: VectorLayer) -> VectorLayer:
    """Add ``layer`` to the project's analysis group, or refresh the layer of the same id."""
    for existing in project.vector_layers():
        if existing.id == layer.id:
            existing.title_zh, existing.title_en = layer.title_zh, layer.title_en
            existing.metadata.update(layer.metadata)
            existing.set_frame(layer.frame)
            return existing
    if project.group(ANALYSIS_GROUP) is None:
        project.groups.insert(0, LayerGroup(ANALYSIS_GROUP, ANALYSIS_GROUP_TITLE.zh, ANALYSIS_GROUP_TITLE.en))
    project.add_layer(layer)
    return layer
