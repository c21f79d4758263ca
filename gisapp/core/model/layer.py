"""VectorLayer: a GeoDataFrame with a style, visibility, opacity and metadata."""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.core.events import Signal
from gisapp.core.geo.flatgeom import ProjectedCache, RowChange
from gisapp.core.geo.geodesy import (
    STORAGE_CRS,
    geodesic_area_m2,
    geodesic_length_m,
    transform_geometries,
    transformer,
)
from gisapp.core.model.labels import LabelStyle, has_text, rows_texts
from gisapp.core.model.load_report import LoadReport
from gisapp.core.model.style import SingleStyle, Style, Symbol
from gisapp.core.texts import pick

ID_FIELD = "id"
EDIT_COPY_SLICE = 32_768  # geometry pointers copied per step by prepare_edit_copy
MAX_RETIRED = 4  # geometry arrays of former frames kept to reuse or free (see edit_geometry_values)


def _sole(entry: list[Any]) -> bool:
    """Whether the array of a ``_retired`` entry is held by the entry alone: no frame, cache,
    render or save uses it, nor any view of it (each view holds its base; getrefcount's own
    argument is the second reference)."""
    return sys.getrefcount(entry[0]) <= 2


def _owner(values: np.ndarray) -> np.ndarray | None:
    """The array that owns the memory of ``values`` (pandas keeps views of the array a frame
    was built from), if ``values`` is all of it in order; else None."""
    owner = values if values.base is None else values.base
    if not isinstance(owner, np.ndarray) or owner.dtype != object or owner.shape != values.shape \
            or owner.strides != values.strides \
            or owner.__array_interface__["data"][0] != values.__array_interface__["data"][0]:
        return None
    return owner


def _clear_in_slices(values: np.ndarray) -> None:
    """Drop the objects of an array nothing else holds, a slice at a time (see prepare_edit_copy)."""
    for start in range(0, len(values), EDIT_COPY_SLICE):
        values[start:start + EDIT_COPY_SLICE] = None
LOADING = "loading"  # a metadata key: the layer shows a file still being read (never saved)


@dataclass
class StoredRows:
    """The rows of a layer as its project GeoPackage holds them: the frame read from or last
    saved to the file, and each row's feature id (fid) there. Valid while the layer's frame
    is ``frame``; the edit session follows the ids through edits (core/editing/changes.py)."""

    frame: gpd.GeoDataFrame
    fids: np.ndarray
    next_fid: int  # above every id the table has used
    # A shared table's row version per fid as read (PostGIS team editing: a save checks the
    # server still holds these versions); None for a file.
    versions: np.ndarray | None = None


def geometry_family(gdf: gpd.GeoDataFrame) -> str:
    """'point', 'line' or 'polygon' from the first non-empty geometry."""
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    # Look at the first rows only when they have a geometry (a million-row layer asks
    # this on every repaint of the layer tree).
    head = geoms[:64]
    present = np.flatnonzero(~shapely.is_missing(head))
    if not len(present):
        present = np.flatnonzero(~shapely.is_missing(geoms))
        head = geoms
    if not len(present):
        return "polygon"
    first = shapely.get_type_id(head[present[0]])
    if first in (0, 4):  # Point, MultiPoint
        return "point"
    if first in (1, 5):  # LineString, MultiLineString
        return "line"
    return "polygon"


def _touched_bounds(old: ProjectedCache, new: ProjectedCache, change: RowChange) -> np.ndarray:
    """Bounds of the rows ``change`` touched in the cache before and in the cache after it."""
    rows = change.rows
    parts = []
    if change.kind != "insert":
        parts.append(old.bounds_of(rows))
    if change.kind != "remove":
        parts.append(new.bounds_of(rows))
    bounds = np.concatenate(parts) if parts else np.empty((0, 4))
    return bounds[~np.isnan(bounds).any(axis=1)]


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
    # The user's names for columns (column -> {"zh": ..., "en": ...}); bundled fields have
    # aliases of their own in gisapp.core.model.fields.
    field_aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    # How the labels read and look (template, size, halo, placement, priority, scale range...);
    # after the older fields, so positional construction keeps working.
    label_style: LabelStyle = field(default_factory=LabelStyle)
    # How the data entered (warnings, rejected features, the CRS decision); None for layers
    # gisapp made itself. Not saved: it describes one reading of a file.
    load_report: LoadReport | None = field(default=None, repr=False, compare=False)
    # Where the rows are in the project file (None: not read from or saved to one). Not saved.
    stored: StoredRows | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.frame.crs is None:
            self.frame = self.frame.set_crs(STORAGE_CRS)
        self.frame = self.frame.reset_index(drop=True)
        self.changed = Signal()  # emitted with a reason: "style", "visibility", "data", ...
        self.selection_changed = Signal()
        self.selection: np.ndarray = np.empty(0, dtype=np.int64)
        # (cache, frame, data generation): valid while the frame is the same object and no
        # data_changed() came since (geopandas' frame.geometry costs 70 us, too much for
        # every identify and repaint).
        self._cache: tuple[ProjectedCache, gpd.GeoDataFrame, int] | None = None
        self._family: tuple[gpd.GeoDataFrame, int, str] | None = None
        self._style_index: np.ndarray | None = None
        # The canvas builds caches in its render thread: the lock guards storing them,
        # the generations tell a thread that the data or style changed while it computed.
        self._lock = threading.Lock()
        self._style_generation = 0
        self._data_generation = 0
        self._rows_memo: tuple[tuple[Any, ...], np.ndarray] | None = None  # (cache key, geometries)
        self._geometry_memo: tuple[gpd.GeoDataFrame, Any, str] | None = None  # (frame, geometries, crs)
        self._source_bounds: tuple[Any, np.ndarray] | None = None  # (geometry array, its total bounds)
        # (data generation, crs, bounds) of the rows the last described change touched, before
        # and after it: the canvas redraws only there (see changed_bounds).
        self._change_bounds: tuple[int, str, np.ndarray] | None = None
        # (frame, a private copy of its geometry pointers) made off the UI thread for the next
        # geometry edit (see prepare_edit_copy).
        self._edit_copy: tuple[gpd.GeoDataFrame, np.ndarray] | None = None
        # [array, rows in which it differs from the current frame's, or None: unknown] of
        # former frames, and the current array after the last geometry edit (see edit_geometry_values).
        self._retired: list[list[Any]] = []
        self._head: weakref.ref[np.ndarray] | None = None
        if len(self.frame) > 50_000:
            # Zooming to a big layer before its projected cache exists needs these; they
            # cost 0.1 s for a million features, better paid while the file is read.
            self._source_bounds_in(self.crs)

    # --- descriptive -----------------------------------------------------
    def title(self, lang: str) -> str:
        return pick(lang, self.title_zh, self.title_en)

    @property
    def crs(self) -> str:
        return self._frame_memo()[2]

    @property
    def geometry_array(self) -> Any:
        """The frame's geometry array (``frame.geometry.array``, which costs a millisecond
        on a big frame: hit tests ask for it on every mouse move)."""
        return self._frame_memo()[1]

    def _frame_memo(self) -> tuple[gpd.GeoDataFrame, Any, str]:
        frame, memo = self.frame, self._geometry_memo
        if memo is None or memo[0] is not frame:
            memo = self._geometry_memo = (frame, frame.geometry.array, frame.crs.to_string())
        return memo

    @property
    def geometry_family(self) -> str:
        frame, generation, memo = self.frame, self._data_generation, self._family
        if memo is not None and memo[0] is frame and memo[1] == generation:
            return memo[2]
        family = geometry_family(frame)
        self._family = (frame, generation, family)
        return family

    def __len__(self) -> int:
        return len(self.frame)

    def attribute_columns(self) -> list[str]:
        geometry = self.frame.geometry.name  # once: frame.geometry costs a millisecond on a big frame
        return [c for c in self.frame.columns if c != geometry]

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
        self._forget_style_index()
        self.changed.emit("style")

    def set_label_settings(self, label_field: str, label_style: LabelStyle) -> None:
        """Change what the labels show and how they look (one change: the canvas redraws once)."""
        if (label_field, label_style) != (self.label_field, self.label_style):
            self.label_field, self.label_style = label_field, label_style
            self.changed.emit("labels")

    def style_changed(self) -> None:
        """Call after mutating the style object in place."""
        self._forget_style_index()
        self.changed.emit("style")

    def _forget_style_index(self) -> None:
        with self._lock:
            self._style_index = None
            self._style_generation += 1

    def set_frame(self, frame: gpd.GeoDataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        self.data_changed()

    def set_frame_projected(self, frame: gpd.GeoDataFrame, cache: ProjectedCache) -> None:
        """Replace the data with ``frame`` whose geometries ``cache`` holds projected already
        (a file shown while it is read: each chunk is projected once, off the UI thread)."""
        if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0:
            frame = frame.reset_index(drop=True)
        with self._lock:
            self.frame = frame
            self._data_generation += 1
            self._cache = (cache, frame, self._data_generation)
        self._forget_style_index()
        self.changed.emit("data")

    def data_changed(self) -> None:
        """The data changed in ways nobody described: caches are rebuilt (in the render thread)."""
        with self._lock:
            self._cache = None
            self._data_generation += 1
        self._forget_style_index()
        self.changed.emit("data")

    def apply_change(self, frame: gpd.GeoDataFrame, change: RowChange) -> None:
        """Swap in ``frame`` (a RangeIndex), which differs from the current frame only in
        the rows ``change`` names, and update the projected cache and the symbol index for
        those rows alone (a vertex drag on a million-row layer must not rebuild them)."""
        with self._lock:
            entry, generation, old_frame = self._cache, self._data_generation, self.frame
            index, style_generation = self._style_index, self._style_generation
        cache, bounds = None, None
        if entry is not None and entry[1] is old_frame and entry[2] == generation:
            cache = entry[0].patched(frame.geometry.array, change)
            if cache is not None:
                bounds = (cache.crs, _touched_bounds(entry[0], cache, change))
        index = self._patched_style_index(index, frame, change) if index is not None else None
        with self._lock:
            self.frame = frame
            self._data_generation += 1
            self._cache = None if cache is None else (cache, frame, self._data_generation)
            self._change_bounds = None if bounds is None else (self._data_generation, *bounds)
            # Nothing here keeps the old frame alive (see retire_geometry_values).
            self._geometry_memo = self._family = self._source_bounds = None
            if index is None or style_generation != self._style_generation:
                self._style_index = None
                self._style_generation += 1
            else:
                self._style_index = index
        self.changed.emit("data")

    # --- the copy-on-write frame of geometry edits ------------------------------------------
    # An edit never changes a frame in place: it builds the next frame on a private array of
    # geometry pointers. Copying a million pointers, and freeing the array of the frame that
    # goes, costs 10 to 40 ms each, so the arrays of former frames are kept (``_retired``)
    # with the rows in which each differs from the current one. Once nothing else holds one,
    # the next edit brings those rows up to date and uses it: the cost of the changed rows.
    def edit_geometry_values(self) -> np.ndarray:
        """A private, writable copy of the current frame's geometry pointers, to change some and
        build the next frame from: a former frame's array brought up to date, else the copy
        :meth:`prepare_edit_copy` made, else a new one."""
        with self._lock:
            frame, memo = self.frame, self._edit_copy
            current = np.asarray(frame.geometry.array, dtype=object)
            self._forget_diffs_unless(current)
            for i, entry in enumerate(self._retired):
                if entry[1] is not None and len(entry[0]) == len(current) and _sole(entry):
                    del self._retired[i]
                    values, rows = entry
                    values[rows] = current[rows]
                    return values
            self._edit_copy = None
        if memo is not None and memo[0] is frame:
            return memo[1]
        return np.array(current, dtype=object, copy=True)

    def retire_geometry_values(self, values: np.ndarray, rows: np.ndarray) -> None:
        """After a geometry edit of ``rows``: ``values`` are the pointers of the frame it
        replaced. Kept for :meth:`edit_geometry_values` to reuse, or for :meth:`prepare_edit_copy`
        to free off the UI thread, once nothing else holds them."""
        owner = _owner(values)
        del values
        with self._lock:
            for entry in self._retired:
                if entry[1] is not None:
                    entry[1] = np.union1d(entry[1], rows)
            if owner is not None:
                self._retired.append([owner, np.asarray(rows, dtype=np.int64)])
            del owner
            del self._retired[:-MAX_RETIRED]
            head = _owner(np.asarray(self.frame.geometry.array, dtype=object))
            self._head = None if head is None else weakref.ref(head)

    def _forget_diffs_unless(self, current: np.ndarray) -> None:
        """The frame's geometries changed other than by geometry edits (a new frame, rows added
        or removed): the rows in which former arrays differ are no longer known."""
        head = self._head() if self._head is not None else None
        owner = _owner(current)
        if head is None or head is not owner:
            for entry in self._retired:
                entry[1] = None
            self._head = None if owner is None else weakref.ref(owner)

    def prepare_edit_copy(self) -> bool:
        """Off the UI thread (a worker calls this after an edit): free the arrays of former
        frames that nothing holds and no edit can reuse, and copy the frame's geometry pointers
        for the next geometry edit when it cannot reuse one. In slices: one numpy copy or free
        of a million pointers holds the GIL for 10 ms and more, which the UI thread would wait
        for; between slices it gets its turn. False if nothing was copied."""
        with self._lock:
            frame = self.frame
            current = np.asarray(frame.geometry.array, dtype=object)
            self._forget_diffs_unless(current)
            reusable = [e for e in self._retired if e[1] is not None and len(e[0]) == len(current) and _sole(e)]
            spare = [e for e in self._retired if e[1] is None and _sole(e)]
            self._retired = [e for e in self._retired if not any(e is other for other in spare)]
            memo = self._edit_copy
        for entry in spare:
            _clear_in_slices(entry[0])
        del spare
        if reusable or (memo is not None and memo[0] is frame):
            return False  # the next edit reuses an array, or the copy is made already
        values = np.empty(len(current), dtype=object)
        for start in range(0, len(current), EDIT_COPY_SLICE):
            values[start:start + EDIT_COPY_SLICE] = current[start:start + EDIT_COPY_SLICE]
            if self.frame is not frame:
                return False
        with self._lock:
            if self.frame is not frame:
                return False
            self._edit_copy = (frame, values)
        return True

    def changed_bounds(self, crs: str) -> np.ndarray | None:
        """(k, 4) bounds in ``crs`` of what the last data change touched, before and after it
        (rows without a geometry left out), if the current data came from that change through
        :meth:`apply_change` with a projected cache in ``crs``; else None (anything may differ).
        Listeners of ``changed`` ask this to redraw only that area."""
        with self._lock:
            memo, generation = self._change_bounds, self._data_generation
        if memo is None or memo[0] != generation or memo[1] != crs:
            return None
        return memo[2]

    def _patched_style_index(self, index: np.ndarray, frame: gpd.GeoDataFrame, change: RowChange) -> np.ndarray | None:
        rows = change.rows
        if change.kind == "geometry":
            return index
        if change.kind == "attributes":
            if getattr(self.style, "field", None) not in change.columns:
                return index
            index = index.copy()
            index[rows] = self.style.assign(frame.iloc[rows])
            return index
        if change.kind == "remove":
            return np.delete(index, rows)
        return np.insert(index, rows - np.arange(len(rows)), self.style.assign(frame.iloc[rows]))

    # --- rendering support ------------------------------------------------
    def symbol_index(self) -> np.ndarray:
        """Index into ``style.symbols()`` per row (cached; safe to call from a worker thread)."""
        frame = self.frame
        with self._lock:
            index, generation = self._style_index, self._style_generation
        if index is not None and len(index) == len(frame):
            return index
        # Styles map each row on its own. pandas keeps the GIL while it maps a column (0.6 s
        # for a million rows), so slices keep the UI thread responsive while the render
        # thread computes this.
        step = 20_000
        index = (self.style.assign(frame) if len(frame) <= step else
                 np.concatenate([self.style.assign(frame.iloc[i:i + step]) for i in range(0, len(frame), step)]))
        with self._lock:
            if generation == self._style_generation and frame is self.frame:
                self._style_index = index
        return index

    def projected(self, crs: str) -> ProjectedCache:
        """Flat arrays, per-feature bounds and (on demand) geometries and an STRtree in
        ``crs``, cached until the data changes.

        The first call for a CRS takes seconds on a million features: the canvas makes it
        from its render thread, the UI thread can use :meth:`projected_if_ready`.
        """
        cache = self.projected_if_ready(crs)
        if cache is not None:
            return cache
        with self._lock:
            frame, generation = self.frame, self._data_generation
        cache = ProjectedCache(crs, frame.geometry.array, frame.crs.to_string(), geometry_family(frame))
        with self._lock:
            if self.frame is frame and self._data_generation == generation:  # not changed meanwhile
                self._cache = (cache, frame, generation)
        return cache

    def projected_if_ready(self, crs: str) -> ProjectedCache | None:
        """The cache for ``crs`` if it is built and current, else None (never builds)."""
        with self._lock:
            entry, frame, generation = self._cache, self.frame, self._data_generation
        if entry is not None and entry[0].crs == crs and entry[1] is frame and entry[2] == generation:
            return entry[0]
        return None

    def bounds_in(self, crs: str) -> tuple[float, float, float, float] | None:
        cache = self.projected_if_ready(crs)
        if cache is None and len(self.frame) > 50_000:
            return self._source_bounds_in(crs)  # without waiting for the projected cache
        total = self.projected(crs).total_bounds
        if np.isnan(total).any():
            return None
        return float(total[0]), float(total[1]), float(total[2]), float(total[3])

    def _source_bounds_in(self, crs: str) -> tuple[float, float, float, float] | None:
        geoms = self.frame.geometry.array
        memo = self._source_bounds
        if memo is None or memo[0] is not geoms:
            memo = self._source_bounds = (geoms, shapely.total_bounds(np.asarray(geoms, dtype=object)))
        xmin, ymin, xmax, ymax = memo[1]
        if not np.all(np.isfinite([xmin, ymin, xmax, ymax])):
            return None
        west, south, east, north = transformer(self.crs, crs).transform_bounds(xmin, ymin, xmax, ymax)
        return float(west), float(south), float(east), float(north)

    def projected_rows(self, crs: str, rows: np.ndarray,
                       extent: tuple[float, float, float, float] | None = None) -> np.ndarray | None:
        """Geometries of ``rows`` in ``crs`` (e.g. the selection; of thousands of rows only
        those whose bounds meet ``extent``, if given), or None while the render thread is
        still building the projected cache. Rows without finite bounds (empty, or a NaN or
        infinite vertex) are left out. The last answer is kept for the next paint."""
        cache = self.projected_if_ready(crs)
        if cache is None:
            return None
        rows = np.asarray(rows, dtype=np.int64)
        small = len(rows) < 4096
        key = (id(cache), rows.tobytes() if small else (id(rows), len(rows), extent))
        if extent is not None and not small:
            b = cache.bounds_of(rows)
            xmin, ymin, xmax, ymax = extent
            rows = rows[(b[:, 0] <= xmax) & (b[:, 2] >= xmin) & (b[:, 1] <= ymax) & (b[:, 3] >= ymin)]
        memo = self._rows_memo
        if memo is not None and memo[0] == key:
            return memo[1]
        rows = rows[~np.isnan(cache.bounds_of(rows)).any(axis=1)]
        geoms = cache.take(rows)
        self._rows_memo = (key, geoms)
        return geoms

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
            if not (names == "").any():
                break  # every row has its name already
            values = frame[column]
            if isinstance(values.dtype, pd.StringDtype):  # text or missing: no per-value type test
                present = (values.fillna("").str.strip() != "").to_numpy(dtype=bool)
            else:
                is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
                present = values.where(is_text, "").astype(str).str.strip().to_numpy(dtype=object) != ""
            fill = (names == "") & present
            names[fill] = values.to_numpy(dtype=object)[fill]
        source_rows = np.arange(len(self.frame)) if rows is None else np.asarray(rows)
        empty = names == ""
        names[empty] = [f"#{r}" for r in source_rows[empty]]
        return names

    def feature_label(self, row: int, lang: str) -> str:
        """The feature's display name in ``lang`` (see :meth:`feature_labels`; the same
        rule for one row, without copying rows of a million-row frame)."""
        frame = self.frame
        for column in (f"name_{lang}", self.label_field, "name", "name_zh", "name_en", ID_FIELD):
            if column and column in frame.columns:
                value = frame[column].iat[row]
                if isinstance(value, str) and value.strip():
                    return value
        return f"#{row}"

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

    def has_labels(self, lang: str) -> bool:
        """Whether the layer has label texts to show (a label field or a template that reads
        at least one of its columns)."""
        return has_text(self.label_field, self.label_style, self.frame.columns)

    def label_texts(self, lang: str, rows: np.ndarray | None = None) -> np.ndarray | None:
        """Label text per row (or per row of ``rows``), '' where there is none; at most
        MAX_LABEL_CHARS each (gisapp.core.model.labels)."""
        if not self.has_labels(lang):
            return None
        frame = self.frame
        if rows is not None:
            rows = np.asarray(rows, dtype=np.int64)
            if len(rows) and int(rows.max()) >= len(frame):
                # The render thread asks for the rows of the frame it drew, and the frame has
                # lost rows since (an edit, a colleague's delete): the render the change
                # starts labels them; this one leaves them without text instead of failing.
                texts = np.full(len(rows), "", dtype=object)
                present = rows < len(frame)
                texts[present] = rows_texts(frame, self.label_field, self.label_style, lang, rows[present])
                return texts
        return rows_texts(frame, self.label_field, self.label_style, lang, rows)

    def geodesic_measures(self, row: int) -> dict[str, float]:
        """Area (m²) and length/perimeter (m) of one feature, geodesic on WGS84."""
        geom = self.frame.geometry.iloc[row]
        lonlat = transform_geometries(np.array([geom]), self.crs, STORAGE_CRS)[0]
        return {"area_m2": geodesic_area_m2(lonlat), "length_m": geodesic_length_m(lonlat)}

    # --- selection --------------------------------------------------------
    def select(self, rows: Iterable[int], add: bool = False) -> None:
        rows = np.asarray(list(rows), dtype=np.int64)
        new = np.union1d(self.selection, rows) if add else np.unique(rows)
        if not np.array_equal(new, self.selection):
            self.selection = new
            self.selection_changed.emit()

    def clear_selection(self) -> None:
        self.select([])
