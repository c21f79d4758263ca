"""VectorLayer: a GeoDataFrame with a style, visibility, opacity and metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.strtree import STRtree

from .events import Signal
from .geodesy import STORAGE_CRS, geodesic_area_m2, geodesic_length_m, transform_geometries
from .style import SingleStyle, Style, Symbol

ID_FIELD = "id"


def geometry_family(gdf: gpd.GeoDataFrame) -> str:
    """'point', 'line' or 'polygon' from the first non-empty geometry."""
    types = gdf.geometry.geom_type.dropna()
    first = types.iloc[0] if len(types) else "Polygon"
    if "Point" in first:
        return "point"
    if "LineString" in first:
        return "line"
    return "polygon"


@dataclass
class ProjectedCache:
    crs: str
    geometries: np.ndarray
    tree: STRtree
    bounds: np.ndarray  # (n, 4) per-feature bounds


@dataclass
class VectorLayer:
    """One vector layer of a project.

    ``frame`` keeps its own CRS; the canvas asks for geometries in the canvas CRS
    through :meth:`projected`, which is cached until the data changes.
    """

    id: str
    title_zh: str
    title_en: str
    frame: gpd.GeoDataFrame
    style: Style = field(default_factory=lambda: SingleStyle(Symbol()))
    group: str = ""
    visible: bool = True
    opacity: float = 1.0
    label_field: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.frame.crs is None:
            self.frame = self.frame.set_crs(STORAGE_CRS)
        self.frame = self.frame.reset_index(drop=True)
        self.changed = Signal()  # emitted with a reason: "style", "visibility", "data", ...
        self.selection_changed = Signal()
        self.selection: np.ndarray = np.empty(0, dtype=np.int64)
        self._cache: ProjectedCache | None = None
        self._style_index: np.ndarray | None = None

    # --- descriptive -----------------------------------------------------
    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def crs(self) -> str:
        return self.frame.crs.to_string()

    @property
    def geometry_family(self) -> str:
        return geometry_family(self.frame)

    def __len__(self) -> int:
        return len(self.frame)

    def attribute_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != self.frame.geometry.name]

    # --- state changes (each announces itself) ---------------------------
    def set_visible(self, visible: bool) -> None:
        if visible != self.visible:
            self.visible = visible
            self.changed.emit("visibility")

    def set_opacity(self, opacity: float) -> None:
        opacity = min(1.0, max(0.0, float(opacity)))
        if opacity != self.opacity:
            self.opacity = opacity
            self.changed.emit("opacity")

    def set_style(self, style: Style) -> None:
        self.style = style
        self._style_index = None
        self.changed.emit("style")

    def style_changed(self) -> None:
        """Call after mutating the style object in place."""
        self._style_index = None
        self.changed.emit("style")

    def set_frame(self, frame: gpd.GeoDataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        self.data_changed()

    def data_changed(self) -> None:
        self._cache = None
        self._style_index = None
        self.changed.emit("data")

    # --- rendering support ------------------------------------------------
    def symbol_index(self) -> np.ndarray:
        if self._style_index is None or len(self._style_index) != len(self.frame):
            self._style_index = self.style.assign(self.frame)
        return self._style_index

    def projected(self, crs: str) -> ProjectedCache:
        """Geometries, per-feature bounds and an STRtree in ``crs`` (cached)."""
        if self._cache is None or self._cache.crs != crs:
            geoms = transform_geometries(self.frame.geometry.to_numpy(), self.crs, crs)
            if self.geometry_family == "polygon":
                # Consistent ring orientation lets renderers fill holes with the winding rule.
                geoms = shapely.orient_polygons(geoms)
            self._cache = ProjectedCache(crs, geoms, STRtree(geoms), shapely.bounds(geoms))
        return self._cache

    def bounds_in(self, crs: str) -> tuple[float, float, float, float] | None:
        bounds = self.projected(crs).bounds
        if len(bounds) == 0 or np.all(np.isnan(bounds)):
            return None
        return (float(np.nanmin(bounds[:, 0])), float(np.nanmin(bounds[:, 1])),
                float(np.nanmax(bounds[:, 2])), float(np.nanmax(bounds[:, 3])))

    # --- features ---------------------------------------------------------
    def feature_row(self, feature_id: str) -> int | None:
        if ID_FIELD not in self.frame.columns:
            return None
        hits = np.flatnonzero(self.frame[ID_FIELD].astype("string").to_numpy() == feature_id)
        return int(hits[0]) if len(hits) else None

    def feature_labels(self, lang: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Display names in ``lang`` for ``rows`` (all by default): name_<lang>, the label
        field, name, name_zh, name_en or the id, whichever is first non-empty, else '#row'."""
        frame = self.frame if rows is None else self.frame.iloc[rows]
        names = np.full(len(frame), "", dtype=object)
        for column in (f"name_{lang}", self.label_field, "name", "name_zh", "name_en", ID_FIELD):
            if not column or column not in frame.columns:
                continue
            values = frame[column]
            is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
            present = values.where(is_text, "").astype(str).str.strip().to_numpy(dtype=object) != ""
            fill = (names == "") & present
            names[fill] = values.to_numpy(dtype=object)[fill]
        source_rows = np.arange(len(self.frame)) if rows is None else np.asarray(rows)
        empty = names == ""
        names[empty] = [f"#{r}" for r in source_rows[empty]]
        return names

    def feature_label(self, row: int, lang: str) -> str:
        """The feature's display name in ``lang`` (see :meth:`feature_labels`)."""
        return str(self.feature_labels(lang, np.array([row]))[0])

    def label_column(self, lang: str) -> str | None:
        """The column holding labels in ``lang``: '<label_field>_<lang>' if present."""
        if not self.label_field:
            return None
        base = self.label_field
        if base.endswith(("_zh", "_en")):
            base = base[:-3]  # 'name_zh' still follows the UI language
        for column in (f"{base}_{lang}", self.label_field):
            if column in self.frame.columns:
                return column
        return None

    def label_texts(self, lang: str) -> np.ndarray | None:
        column = self.label_column(lang)
        if column is None:
            return None
        return self.frame[column].astype("string").fillna("").to_numpy(dtype=object)

    def geodesic_measures(self, row: int) -> dict[str, float]:
        """Area (m²) and length/perimeter (m) of one feature, geodesic on WGS84."""
        geom = self.frame.geometry.iloc[row]
        lonlat = transform_geometries(np.array([geom]), self.crs, STORAGE_CRS)[0]
        return {"area_m2": geodesic_area_m2(lonlat), "length_m": geodesic_length_m(lonlat)}

    # --- selection --------------------------------------------------------
    def select(self, rows, add: bool = False) -> None:
        rows = np.asarray(list(rows), dtype=np.int64)
        new = np.union1d(self.selection, rows) if add else np.unique(rows)
        if not np.array_equal(new, self.selection):
            self.selection = new
            self.selection_changed.emit()

    def clear_selection(self) -> None:
        self.select([])
