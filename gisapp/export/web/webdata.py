"""Layer data for the web map, compact and vectorised (no Qt, no folium).

Each layer becomes one JSON object the page's script decodes:

- geometry as a shapely *ragged array* (flat coordinates + offsets), coordinates in
  lon/lat quantised to ``precision`` decimals and delta-encoded as integers, so a
  vertex usually costs a few characters instead of two 17-digit floats;
- per feature one symbol index into the layer's symbol table, computed by the same
  ``Style.assign`` the desktop canvas uses (no second copy of the styling rules);
- attributes column by column, as display strings, with unused fields dropped;
- names (tooltips, search, panel title) and label texts in the export language;
- geodesic measures and the feature's linked plan indicators.

Everything here works on whole arrays; the only Python loops are over columns,
symbols and indicator links, never over features and style dicts.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from gisapp.core.geo.flatgeom import morton_order, part_coordinates
from gisapp.core.geo.geodesy import STORAGE_CRS, WGS84_GEOD, transform_geometries
from gisapp.core.geo.labels import label_points
from gisapp.core.model.fields import CODED_VALUES, citation, field_alias
from gisapp.core.model.layer import ID_FIELD, VectorLayer
from gisapp.core.model.style import GraduatedStyle, LegendEntry, SingleStyle, Symbol
from gisapp.core.plan.indicators import Indicator, IndicatorCatalog
from gisapp.core.plan.monitoring import (
    NOT_ASSESSABLE,
    STATUS_COLOURS,
    Progress,
    actual_years,
    assess,
    has_own_value,
)
from gisapp.core.texts import Bilingual, other_lang, pick
from gisapp.export.web.compact import (
    compact_column,
    compact_measure,
    compact_points,
    compact_symbols,
    encode_geometries_compact,
)

METRES_PER_DEGREE = 111_320.0
# Fields the info panel shows in its header (as on the desktop identify panel).
HEADER_FIELDS = ("id", "name_zh", "name_en", "role_zh", "role_en", "industries_zh", "industries_en",
                 "geom_quality")
DASH_ARRAYS = {"dash": (4, 2), "dot": (1, 2)}  # Qt's DashLine/DotLine patterns, in pen widths
# Legend entries for the features no class (graduated) or category (categorized) takes.
NO_DATA_LABEL = Bilingual("无数据", "No data")
OTHER_LABEL = Bilingual("其他", "Other")


@dataclass(frozen=True)
class EncodeSettings:
    lang: str = "zh"
    tolerance_m: float = 1.0
    precision: int | None = None  # decimals of a degree; None = from the tolerance
    drop_fields: tuple[str, ...] = ()
    labels: bool = True
    canvas_above: int = 3000  # layers with more features are drawn on a canvas, not SVG


def precision_for_tolerance(tolerance_m: float) -> int:
    """Decimals of a degree that keep rounding below half the simplification tolerance."""
    step = max(float(tolerance_m), 0.1) / 2 / METRES_PER_DEGREE
    return int(min(7, max(5, math.ceil(-math.log10(step)))))


# --- features the page cannot draw -------------------------------------------------------
MAX_LONGITUDE = 540.0  # a little past the antimeridian either way, as Leaflet wraps


class SkippedFeaturesWarning(UserWarning):
    """Features left out of a web map because their coordinates are no longitudes and
    latitudes (NaN, infinity, 1e308, or metres in a layer said to be in degrees)."""

    def __init__(self, layer_id: str, title: str, rows: np.ndarray) -> None:
        self.layer_id, self.title = layer_id, title
        self.rows = [int(r) for r in rows]
        numbers = ", ".join(str(r + 1) for r in self.rows[:10]) + (", …" if len(self.rows) > 10 else "")
        super().__init__(f"{title}: {len(self.rows)} feature(s) left out of the web map: their coordinates "
                         f"are not finite longitudes and latitudes (feature {numbers})")


def drawable_lonlat(geoms: np.ndarray) -> np.ndarray:
    """True for geometries whose every coordinate is a finite longitude and latitude.

    GEOS leaves a NaN vertex out of a geometry's bounds, but not out of its length; points
    (length 0) are checked vertex by vertex, which is cheap for them.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        b = shapely.bounds(geoms)
        ok = (np.isfinite(b).all(axis=1) & (np.abs(b[:, [0, 2]]) <= MAX_LONGITUDE).all(axis=1)
              & (np.abs(b[:, [1, 3]]) <= 90.0 + 1e-9).all(axis=1))
        kind = shapely.get_type_id(geoms)
        pointlike = (kind == shapely.GeometryType.POINT) | (kind == shapely.GeometryType.MULTIPOINT)
        ok[~pointlike] &= np.isfinite(shapely.length(geoms[~pointlike]))
        multi = np.flatnonzero(kind == shapely.GeometryType.MULTIPOINT)
        if len(multi):
            coords, index = shapely.get_coordinates(geoms[multi], return_index=True)
            ok[multi[np.unique(index[~np.isfinite(coords).all(axis=1)])]] = False
    return ok


@contextmanager
def skipped_features() -> Iterator[list[SkippedFeaturesWarning]]:
    """Collect what an export leaves out (the list fills when the block ends); other
    warnings are shown as usual."""
    found: list[SkippedFeaturesWarning] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkippedFeaturesWarning)
        yield found
    for item in caught:
        if isinstance(item.message, SkippedFeaturesWarning):
            found.append(item.message)
        else:
            warnings.showwarning(item.message, item.category, item.filename, item.lineno)


# --- geometry ------------------------------------------------------------------------
def lonlat_geometries(layer: VectorLayer) -> np.ndarray:
    geoms = layer.frame.geometry.to_numpy()
    if layer.frame.crs is not None and not CRS.from_user_input(layer.crs).equals(CRS.from_user_input(STORAGE_CRS)):
        geoms = transform_geometries(geoms, layer.crs, STORAGE_CRS)
    return geoms


def simplify_lonlat(geoms: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Douglas-Peucker in metres: stretch longitudes by cos(latitude) so the tolerance is isotropic."""
    if tolerance_m <= 0 or len(geoms) == 0:
        return geoms
    bounds = shapely.total_bounds(geoms)
    if not np.all(np.isfinite(bounds)):
        return geoms
    cos_lat = max(0.05, math.cos(math.radians((bounds[1] + bounds[3]) / 2)))
    stretched = shapely.transform(geoms, lambda c: c * np.array([cos_lat, 1.0]))
    simplified = shapely.simplify(stretched, tolerance_m / METRES_PER_DEGREE, preserve_topology=True)
    return shapely.transform(simplified, lambda c: c / np.array([cos_lat, 1.0]))


def quantise(coords: np.ndarray, precision: int) -> list[int]:
    """Coordinates (n, 2) -> delta-encoded integers x0, y0, dx1, dy1, ... at 10**-precision."""
    if len(coords) == 0:
        return []
    q = np.rint(np.asarray(coords, dtype=float) * 10.0 ** precision).astype(np.int64)
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return deltas.ravel().tolist()


def encode_geometries(geoms: np.ndarray, precision: int) -> dict:
    """{t: geometry type code, c: delta ints, o: offsets} or GeoJSON strings for mixed layers."""
    try:
        kind, coords, offsets = shapely.to_ragged_array(geoms, include_z=False)
    except ValueError:  # mixed families (e.g. points and polygons): plain GeoJSON per feature
        rounded = shapely.set_precision(geoms, 10.0 ** -precision, mode="pointwise")
        return {"t": -1, "g": [shapely.to_geojson(g) for g in rounded]}
    kind = int(kind)
    if kind in (int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON)) and len(coords):
        # Rings repeat their first vertex at the end; the page closes them again.
        ring_offsets = offsets[0]
        closing = ring_offsets[1:] - 1
        keep = np.ones(len(coords), dtype=bool)
        keep[closing] = False
        coords = coords[keep]
        offsets = (ring_offsets - np.arange(len(ring_offsets)), *offsets[1:])
        return {"t": kind, "c": quantise(coords, precision), "o": [o.tolist() for o in offsets], "open": 1}
    return {"t": kind, "c": quantise(coords, precision), "o": [o.tolist() for o in offsets]}


def geodesic_measures(geoms: np.ndarray, family: str) -> dict[str, np.ndarray]:
    """Area (polygons, m², on an equal-area projection of the WGS84 ellipsoid) and
    geodesic length or perimeter (m), for whole arrays of lon/lat geometries.

    Works on the flat coordinates of all rings or lines at once (no projected copy of the
    geometries): a shoelace sum per ring in Lambert azimuthal equal-area, exteriors minus
    holes, and ``Geod.inv`` over every segment.
    """
    out: dict[str, np.ndarray] = {}
    if family == "point" or len(geoms) == 0:
        return out
    n = len(geoms)
    coords, part_offsets, owner, is_exterior = part_coordinates(geoms, family)
    counts = np.diff(part_offsets)
    part_of_vertex = np.repeat(np.arange(len(counts)), counts)
    same = part_of_vertex[1:] == part_of_vertex[:-1]  # segments within one ring or line
    x, y = coords[:, 0], coords[:, 1]
    lengths = np.zeros(n)
    if same.any():
        _, _, dist = WGS84_GEOD.inv(x[:-1][same], y[:-1][same], x[1:][same], y[1:][same])
        lengths = np.bincount(owner[part_of_vertex[:-1][same]], weights=dist, minlength=n)
    out["length_m"] = lengths
    if family == "polygon":
        bounds = shapely.total_bounds(geoms)
        lon0, lat0 = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        laea = Transformer.from_crs(
            STORAGE_CRS, f"+proj=laea +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m", always_xy=True)
        px, py = laea.transform(x, y)
        px, py = np.asarray(px), np.asarray(py)
        cross = px[:-1] * py[1:] - px[1:] * py[:-1]
        ring_sums = np.bincount(part_of_vertex[:-1][same], weights=cross[same], minlength=len(counts))
        ring_areas = np.abs(ring_sums) / 2
        signed = np.where(is_exterior, ring_areas, -ring_areas)
        out["area_m2"] = np.bincount(owner, weights=signed, minlength=n)
    return out


# --- attributes and names ---------------------------------------------------------------
def _strings(column: pd.Series) -> np.ndarray:
    text = column.astype("string").fillna("")
    if pd.api.types.is_numeric_dtype(column.dtype):
        return text.to_numpy(dtype=object)  # numbers have no spaces to strip
    return text.str.strip().to_numpy(dtype=object)


def feature_names(layer: VectorLayer, lang: str, rows: np.ndarray | None = None) -> np.ndarray:
    return layer.feature_labels(lang, rows)


def attribute_table(layer: VectorLayer, rows: np.ndarray, lang: str,
                    drop: Iterable[str] = ()) -> tuple[list[str], list[list[str]]]:
    """Columns worth shipping and their values as display strings (column-major)."""
    other = other_lang(lang)
    unused = {f"role_{other}", f"industries_{other}", *drop}
    columns, values = [], []
    frame = layer.frame.iloc[rows]
    for column in layer.attribute_columns():
        if column in unused:
            continue
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            series = series.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
        elif series.dtype == object and len(series) and series.map(lambda v: isinstance(v, bytes)).any():
            continue
        text = _strings(series)
        if not any(text):
            continue
        if column == "source":
            text = np.array([citation(v, lang) for v in text], dtype=object)
        columns.append(str(column))
        values.append(text.tolist())
    return columns, values


# --- styles and legends -----------------------------------------------------------------
def symbol_json(symbol: Symbol, family: str) -> dict:
    """Leaflet path options for one symbol, as the desktop pen and brush draw it."""
    stroke = symbol.stroke_style != "none" and symbol.stroke_width > 0
    out = {"color": symbol.stroke, "weight": round(float(symbol.stroke_width), 2), "stroke": stroke,
           "fillColor": symbol.fill, "fillOpacity": round(float(symbol.fill_opacity), 3),
           "fill": family != "line" and symbol.fill_opacity > 0, "opacity": 1,
           "lineJoin": "round", "lineCap": "round"}
    if symbol.stroke_style in DASH_ARRAYS:
        width = max(float(symbol.stroke_width), 1.0)
        out["dashArray"] = " ".join(f"{v * width:g}" for v in DASH_ARRAYS[symbol.stroke_style])
    if family == "point":
        out["marker"] = symbol.marker
        out["size"] = round(float(symbol.size), 2)
    return out


def legend_entries(layer: VectorLayer, symbol_index: np.ndarray, lang: str) -> list[dict]:
    style = layer.style
    symbols = style.symbols()
    entries: list[tuple[str, int]] = []
    if isinstance(style, SingleStyle):
        entries.append(("", 0))
    else:
        legend: list[LegendEntry] = style.legend()
        entries.extend((entry.label(lang), i) for i, entry in enumerate(legend))
        extra = len(legend)
        if extra < len(symbols) and np.any(symbol_index == extra):
            label = NO_DATA_LABEL if isinstance(style, GraduatedStyle) else OTHER_LABEL
            entries.append((label(lang), extra))
    return [{"label": label, "s": i} for label, i in entries]


# --- indicators -------------------------------------------------------------------------
def progress_json(progress: Progress, indicator: Indicator, lang: str) -> dict:
    """What the panel shows of a monitoring assessment (gisapp.core.plan.monitoring.assess)."""
    out = {"status": progress.status, "statusLabel": progress.status_label(lang),
           "colour": STATUS_COLOURS.get(progress.status, "#8c8c8c"), "reason": progress.reason(lang),
           "source": progress.value_source}
    if progress.value is not None:
        out["value"] = f"{progress.value:,.4f}".rstrip("0").rstrip(".")
        if progress.value_source == "plan" and indicator.actual_value:
            out["value"] = indicator.actual_value  # as the plan prints it
        if progress.year:
            out["year"] = progress.year
    if progress.share is not None and math.isfinite(progress.share):
        out["share"] = round(float(progress.share), 4)
    if progress.expected_share is not None:
        out["expectedShare"] = round(float(progress.expected_share), 4)
    return out


def indicator_json(indicator: Indicator, catalog: IndicatorCatalog, lang: str) -> dict:
    """An indicator's definition and its zone-wide progress (latest actual from monitoring)."""
    category = catalog.category(indicator.category)
    out = {
        "id": indicator.id, "name": indicator.name(lang), "unit": indicator.unit_label(lang),
        "category": category.name(lang) if category else indicator.category,
        "nature": indicator.nature, "natureLabel": indicator.nature_label(lang) if indicator.nature else "",
        "baseline": indicator.baseline_value or "", "baselineYear": indicator.baseline_year or "",
        "target": indicator.target_value or "", "targetYear": indicator.target_year or "",
        "actualGrowth": indicator.actual_avg_growth or "", "targetGrowth": indicator.target_avg_growth or "",
        "completion": indicator.completion or "", "source": citation(indicator.source or "", lang),
        "notes": pick(lang, indicator.notes_zh, indicator.notes_en) or "",
        "progress": progress_json(assess(indicator, catalog.actuals, ""), indicator, lang),
    }
    return {k: v for k, v in out.items() if v not in ("", None)}


class IndicatorIndex:
    """Links grouped by feature once, and the indicators actually used, in first-use order.

    As on the desktop (``monitoring.feature_progress``), a feature with values of its own
    gets its own assessment, and indicators it has values for count even when not linked.
    """

    def __init__(self, catalog: IndicatorCatalog, lang: str) -> None:
        self.catalog = catalog
        self.lang = lang
        # Two or more years of actuals: the page gets a year slider and each year's figures.
        years = actual_years(catalog)
        self.years: list[int] = years if len(years) > 1 else []
        self.by_feature: dict[str, list[tuple[str, str]]] = defaultdict(list)
        known = {i.id for i in catalog.indicators}
        for link in catalog.links:
            if link.indicator_id in known:
                self.by_feature[link.feature_id].append((link.indicator_id, link.relation))
        self.monitored = {record.feature_id for record in catalog.actuals if record.feature_id}
        self.used: dict[str, int] = {}

    def _own(self, indicator_id: str, feature_id: str, as_of: int | None = None) -> dict | None:
        indicator = self.catalog.get(indicator_id)
        if not has_own_value(self.catalog, indicator_id, feature_id, as_of):
            return None
        own = assess(indicator, self.catalog.actuals, feature_id, as_of)
        return None if own.status == NOT_ASSESSABLE else progress_json(own, indicator, self.lang)

    def links_by_year(self, feature_ids: np.ndarray, links: dict[str, list]) -> dict[str, dict[str, list]]:
        """For the year slider: {year: {position: [own progress or None, per link row]}}, for
        the features with values of their own (the others follow the zone-wide figures)."""
        index_to_id = {n: i for i, n in self.used.items()}
        out: dict[str, dict[str, list]] = {}
        for year in self.years:
            rows = {}
            for position, entries in links.items():
                feature_id = feature_ids[int(position)]
                if feature_id in self.monitored:
                    rows[position] = [self._own(index_to_id[entry[0]], feature_id, year) for entry in entries]
            if rows:
                out[str(year)] = rows
        return out

    def table_by_year(self) -> dict[str, list[dict]]:
        """Each indicator's zone-wide progress as of each year, in :meth:`table` order."""
        return {str(year): [progress_json(assess(self.catalog.get(i), self.catalog.actuals, "", year),
                                          self.catalog.get(i), self.lang) for i in self.used]
                for year in self.years}

    def links_for(self, feature_ids: np.ndarray) -> dict[str, list]:
        """{position in the layer's features: [[indicator index, relation(, own progress)], ...]}."""
        out = {}
        known = {i.id for i in self.catalog.indicators}
        for position, feature_id in enumerate(feature_ids.tolist()):
            links = list(self.by_feature.get(feature_id, ()))
            if feature_id in self.monitored:
                linked = {i for i, _rel in links}
                links += [(i, "monitored") for i in self.catalog.actuals.indicators_for_feature(feature_id)
                          if i in known and i not in linked]
            if not links:
                continue
            rows = []
            for indicator_id, relation in links:
                row = [self.used.setdefault(indicator_id, len(self.used)), relation]
                if feature_id in self.monitored and (own := self._own(indicator_id, feature_id)):
                    row.append(own)
                rows.append(row)
            out[str(position)] = rows
        return out

    def table(self) -> list[dict]:
        return [indicator_json(self.catalog.get(i), self.catalog, self.lang) for i in self.used]


# --- one layer --------------------------------------------------------------------------
def simplify_large(geoms: np.ndarray, tolerance_m: float, family: str) -> np.ndarray:
    """What ``simplify_lonlat`` does for small layers, fast enough for 100,000 parcels:
    Douglas-Peucker (not topology-preserving: the page only draws the result) in degrees
    of latitude, so no vertex moves more than ``tolerance_m`` on the ground in any
    direction; a geometry that would vanish keeps its vertices. Polygon rings come out
    oriented (exteriors counter-clockwise) so the page fills many at once by the non-zero
    rule."""
    if tolerance_m > 0 and len(geoms):
        simplified = shapely.simplify(geoms, tolerance_m / METRES_PER_DEGREE, preserve_topology=False)
        vanished = shapely.is_empty(simplified) & ~shapely.is_empty(geoms)
        simplified[vanished] = geoms[vanished]
        geoms = simplified
    return shapely.orient_polygons(geoms) if family == "polygon" else geoms


def encode_layer(layer: VectorLayer, settings: EncodeSettings, indicators: IndicatorIndex | None) -> dict:
    lang = settings.lang
    precision = settings.precision or precision_for_tolerance(settings.tolerance_m)
    family = layer.geometry_family
    geoms = lonlat_geometries(layer)
    rows = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    drawable = drawable_lonlat(geoms[rows])
    if not drawable.all():
        warnings.warn(SkippedFeaturesWarning(layer.id, layer.title(lang), rows[~drawable]), stacklevel=2)
        rows = rows[drawable]
    geoms = geoms[rows]
    # Large line and polygon layers go to the page as binary arrays it draws on one canvas
    # (gisapp.export.web.compact); small ones as GeoJSON-like data Leaflet draws as SVG.
    compact = len(rows) > settings.canvas_above and family != "point"
    if compact:
        # In a spatial (Z-order) order: the page draws runs of neighbours as one canvas path,
        # and neighbours' coordinate deltas are small.
        bounds = shapely.bounds(geoms)
        order = morton_order((bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2)
        geoms, rows = geoms[order], rows[order]
    measures = geodesic_measures(geoms, family)
    if family == "point":
        shown = geoms
    elif compact:
        shown = simplify_large(geoms, settings.tolerance_m, family)
    else:
        shown = simplify_lonlat(geoms, settings.tolerance_m)
    geometry = encode_geometries_compact(shown, precision) if compact else None
    compact = geometry is not None  # mixed geometry families keep the GeoJSON fallback

    symbols = layer.style.symbols()
    symbol_index = layer.symbol_index()[rows].astype(int)
    columns, values = attribute_table(layer, rows, lang, settings.drop_fields)
    names = feature_names(layer, lang, rows)
    own_name = f"name_{lang}"
    if own_name in columns and values[columns.index(own_name)] == names.tolist():
        del values[columns.index(own_name)]  # the same as the names sent below
        columns.remove(own_name)
    if compact:
        name_list = names.tolist()
        for column in [c for c, v in zip(columns, values, strict=True) if v == name_list]:
            del values[columns.index(column)]  # a copy of the names (e.g. "name")
            columns.remove(column)
        values = [compact_column(v) for v in values]

    out: dict = {
        "id": layer.id, "title": layer.title(lang), "group": layer.group, "family": family,
        "visible": bool(layer.visible), "opacity": round(float(layer.opacity), 3),
        "n": int(len(rows)), "precision": precision, "tolerance": settings.tolerance_m,
        "renderer": "fast" if compact else "canvas" if len(rows) > settings.canvas_above else "svg",
        "geom": geometry or encode_geometries(shown, precision),
        "symbols": [symbol_json(s, family) for s in symbols],
        "sym": int(symbol_index[0]) if len(symbol_index) and np.all(symbol_index == symbol_index[0])
        else compact_symbols(symbol_index, len(symbols)) if compact else symbol_index.tolist(),
        "legend": legend_entries(layer, symbol_index, lang),
        "names": names.tolist(),
        "columns": columns, "values": values,
        # What the info panel shows: aliases beside the stored names, labels of coded values.
        "aliases": [field_alias(c, lang, layer.field_aliases) for c in columns],
        "valueLabels": {c: {code: label(lang) for code, label in CODED_VALUES[c].items()}
                        for c in columns if c in CODED_VALUES},
        "bounds": [round(float(v), precision) for v in shapely.total_bounds(shown)] if len(rows) else None,
    }
    for key, array in measures.items():
        out[key] = compact_measure(array) if compact else np.round(array, 1).tolist()
    if settings.labels:
        texts = layer.label_texts(lang)
        if texts is not None:
            texts = np.asarray(texts, dtype=object)[rows]
            has_text = pd.Series(texts, dtype="string").fillna("").str.strip().to_numpy(dtype=object) != ""
            if has_text.any():
                points = label_points(shown, family)
                coords = shapely.get_coordinates(points[has_text])
                text = [str(t) for t in texts[has_text]]
                out["labels"] = compact_points(coords, precision) if compact else {"c": quantise(coords, precision)}
                if not has_text.all():
                    out["labels"]["rows"] = np.flatnonzero(has_text).tolist()
                if text != names[has_text].tolist():  # usually the labels are the names
                    out["labels"]["text"] = text
    if indicators is not None and ID_FIELD in layer.frame.columns:
        ids = _strings(layer.frame[ID_FIELD].iloc[rows])
        links = indicators.links_for(ids)
        if links:
            out["links"] = links
            if indicators.years:
                by_year = indicators.links_by_year(ids, links)
                if by_year:
                    out["linksByYear"] = by_year
        if indicators.years and _status_style(layer) and not compact:  # plan zones: few, drawn as SVG
            out["symByYear"] = status_symbols_by_year(layer, rows, indicators)
    return out


def _status_style(layer: VectorLayer) -> dict | None:
    """The layer's indicator style spec if it colours by progress status."""
    from gisapp.core.analysis.classify import STYLE_SPEC_KEY

    spec = layer.metadata.get(STYLE_SPEC_KEY)
    return spec if isinstance(spec, dict) and spec.get("method") == "status" else None


def status_symbols_by_year(layer: VectorLayer, rows: np.ndarray, indicators: IndicatorIndex) -> dict[str, list[int]]:
    """{year: symbol index per exported feature}: the progress colours as of each year."""
    from gisapp.core.analysis.classify import indicator_values

    spec = _status_style(layer) or {}
    column = layer.style.field  # type: ignore[attr-defined]
    out = {}
    for year in indicators.years:
        frame = layer.frame.copy(deep=False)
        frame[column] = indicator_values(indicators.catalog, frame, spec.get("indicator"), "status", year).to_numpy()
        out[str(year)] = layer.style.assign(frame)[rows].astype(int).tolist()
    return out
