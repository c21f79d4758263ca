"""What an expression is evaluated over: a layer's rows, their geometry and ids (no Qt).

A :class:`Context` covers some rows of one frame. CASE and if() evaluate each branch only
on the rows that take it (a sub-context), as QGIS evaluates a branch only for the features
that reach it; aggregates always look at the whole frame (:attr:`Context.root`).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import shapely

from gisapp.core.analysis.expressions.errors import ExpressionError
from gisapp.core.analysis.expressions.values import NUM, Value, from_series
from gisapp.core.geo.geodesy import (
    STORAGE_CRS,
    geodesic_areas_m2,
    geodesic_lengths_m,
    transform_geometries,
)


class Context:
    """``frame`` holds the attributes; ``geometries`` (in ``crs``) default to the frame's own.
    Made on the UI thread, a context holds no pyproj object, so a worker thread may evaluate it."""

    def __init__(self, frame: pd.DataFrame, crs: str = STORAGE_CRS, fids: np.ndarray | None = None,
                 now: datetime | None = None, geometries: np.ndarray | None = None) -> None:
        geometry_name = getattr(frame, "_geometry_column_name", None)
        if geometries is None and geometry_name is not None and geometry_name in frame.columns:
            geometries = np.asarray(frame[geometry_name].array, dtype=object)
        self.geometry_name = geometry_name
        self.geometries = geometries
        self.frame = frame
        self.crs = crs
        self.n_total = len(frame)
        self.rows = np.arange(self.n_total, dtype=np.int64)
        self.fids = (np.asarray(fids, dtype=np.int64) if fids is not None and len(fids) == self.n_total
                     else np.arange(1, self.n_total + 1, dtype=np.int64))
        stamp = pd.Timestamp(now if now is not None else datetime.now())
        self.now = stamp.tz_convert(None) if stamp.tzinfo is not None else stamp  # one now() per evaluation
        self.root: Context = self
        self._columns: dict[str, Value] = {}
        self._measures: dict[str, Value] = {}
        self._aggregates: dict[tuple[object, ...], Value] = {}

    @property
    def n(self) -> int:
        return len(self.rows)

    def subset(self, positions: np.ndarray) -> Context:
        """The rows at ``positions`` of this context (positions, not row numbers)."""
        sub = object.__new__(Context)
        sub.__dict__.update(self.__dict__)
        sub.rows = self.rows[positions]
        sub.root = self.root
        return sub

    def _take(self, value: Value) -> Value:
        if len(self.rows) == self.n_total and self.rows is self.root.rows:
            return value
        return Value(value.kind, value.data[self.rows], value.null[self.rows])

    def has_column(self, name: str) -> bool:
        return name in self.frame.columns and name != self.geometry_name

    def column(self, name: str, pos: int) -> Value:
        root = self.root
        if name not in root._columns:
            if not self.has_column(name):
                raise ExpressionError("unknown_field", pos, name=name)
            root._columns[name] = from_series(root.frame[name])
        return self._take(root._columns[name])

    def fid(self) -> Value:
        return Value(NUM, self.fids[self.rows].astype(float), np.zeros(self.n, dtype=bool))

    def measure(self, name: str, pos: int) -> Value:
        """$area (m²), $length and $perimeter (m), geodesic on WGS84; $x and $y of points."""
        root = self.root
        if name not in root._measures:
            if root.geometries is None:
                raise ExpressionError("no_geometry", pos)
            geoms = root.geometries
            empty = shapely.is_missing(geoms)
            empty[~empty] = shapely.is_empty(geoms[~empty])
            types = np.where(empty, -1, shapely.get_type_id(geoms))
            data = np.full(len(geoms), np.nan)
            if name in ("x", "y"):
                points = np.flatnonzero(types == 0)
                data[points] = (shapely.get_x if name == "x" else shapely.get_y)(geoms[points])
            else:
                # As QGIS: $area and $perimeter of polygons, $length of lines, NULL otherwise.
                fits = np.flatnonzero(np.isin(types, (1, 2, 5) if name == "length" else (3, 6)))
                lonlat = transform_geometries(geoms[fits], self.crs, STORAGE_CRS)
                data[fits] = geodesic_areas_m2(lonlat) if name == "area" else geodesic_lengths_m(lonlat)
            null = np.isnan(data)
            root._measures[name] = Value(NUM, data, null)
        return self._take(root._measures[name])
