"""Writing changed rows into an existing GeoPackage with SQLite, as GDAL would have written them.

The in-place save of a project (:mod:`gisapp.io.project_gpkg`) uses these pieces inside one
SQLite transaction on the file itself:

- :func:`gpkg_blobs`: GeoPackage geometry blobs (``GP`` header, then ISO WKB) with the
  header GDAL writes: little-endian, an XY envelope except for points, the empty flag for
  empty geometries (XYZ for shapes with heights);
- :func:`register_gpkg_functions`: ``ST_MinX``, ``ST_IsEmpty``, ... that GDAL registers on
  its own connections. The R-tree triggers GDAL puts on every feature table call them, so
  with them the triggers keep ``rtree_<table>_<geom>`` right for every row written;
- :class:`TableLayout`: a feature table's fid and geometry columns, its SRS and its columns,
  to check that a frame still fits the table before any row is written.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from gisapp.core.editing.edits import field_kind

_FLAG_LE = 0x01
_FLAG_XY_ENVELOPE = 0x02
_FLAG_XYZ_ENVELOPE = 0x04
_FLAG_EMPTY = 0x10
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def gpkg_blobs(geometries: np.ndarray, srs_id: int) -> list[bytes | None]:
    """GeoPackage geometry blobs of ``geometries`` (None for a missing geometry)."""
    geoms = np.asarray(geometries, dtype=object)
    missing = shapely.is_missing(geoms)
    present = np.flatnonzero(~missing)
    out: list[bytes | None] = [None] * len(geoms)
    if not len(present):
        return out
    values = geoms[present]
    wkbs = shapely.to_wkb(values, byte_order=1, flavor="iso")
    bounds = shapely.bounds(values)
    empty = shapely.is_empty(values)
    points = shapely.get_type_id(values) == 0
    has_z = shapely.has_z(values)
    for index, wkb, box, is_empty, is_point, z in zip(present.tolist(), wkbs, bounds, empty, points, has_z,
                                                       strict=True):
        if is_empty:
            header = struct.pack("<2sBBi", b"GP", 0, _FLAG_LE | _FLAG_EMPTY, srs_id)
        elif is_point:
            header = struct.pack("<2sBBi", b"GP", 0, _FLAG_LE, srs_id)
        elif z:
            heights = shapely.get_coordinates(geoms[index], include_z=True)[:, 2]
            header = struct.pack("<2sBBi6d", b"GP", 0, _FLAG_LE | _FLAG_XYZ_ENVELOPE, srs_id,
                                 box[0], box[2], box[1], box[3], np.nanmin(heights), np.nanmax(heights))
        else:
            header = struct.pack("<2sBBi4d", b"GP", 0, _FLAG_LE | _FLAG_XY_ENVELOPE, srs_id,
                                 box[0], box[2], box[1], box[3])
        out[index] = header + wkb
    return out


def blob_bounds(blob: bytes) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a GeoPackage blob, None if empty or unreadable."""
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & _FLAG_EMPTY:
        return None
    order = "<" if flags & _FLAG_LE else ">"
    envelope = (flags >> 1) & 0x07
    if envelope in (1, 2, 3, 4):
        minx, maxx, miny, maxy = struct.unpack_from(f"{order}4d", blob, 8)
        return minx, maxx, miny, maxy
    try:
        geom = shapely.from_wkb(blob[8 + _ENVELOPE_BYTES.get(envelope, 0):])
    except shapely.errors.GEOSException:
        return None
    if geom is None or geom.is_empty:
        return None
    xmin, ymin, xmax, ymax = geom.bounds
    return xmin, xmax, ymin, ymax


def register_gpkg_functions(con: sqlite3.Connection) -> None:
    """The SQL functions GDAL's R-tree triggers call, on a plain sqlite3 connection."""
    memo: dict[str, Any] = {"blob": None, "bounds": None}

    def bounds_of(blob: bytes) -> tuple[float, float, float, float] | None:
        if memo["blob"] != blob:  # each trigger asks the four values of the same blob
            memo["blob"], memo["bounds"] = blob, blob_bounds(blob)
        return memo["bounds"]

    def part(index: int) -> Callable[[bytes], float | None]:
        def value(blob: bytes) -> float | None:
            box = bounds_of(blob)
            return None if box is None else box[index]
        return value

    def is_empty(blob: bytes | None) -> int | None:
        if blob is None:
            return None
        return 1 if bounds_of(blob) is None else 0

    for number, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        con.create_function(name, 1, part(number), deterministic=True)
    con.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)


# Declared column types GDAL writes, by the kind of the frame's column (edits.field_kind).
_TYPES_OF_KIND = {
    "integer": {"INTEGER", "MEDIUMINT", "SMALLINT", "TINYINT", "INT"},
    "real": {"REAL", "FLOAT", "DOUBLE"},
    "boolean": {"BOOLEAN"},
    "text": {"TEXT"},
}


@dataclass
class TableLayout:
    """What a feature table looks like in the file."""

    table: str
    fid_column: str
    geometry_column: str
    srs_id: int
    srs_epsg: int | None
    columns: dict[str, str]  # attribute column -> declared type (upper case, "(n)" cut)

    @classmethod
    def read(cls, con: sqlite3.Connection, table: str) -> TableLayout | None:
        geometry = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                               (table,)).fetchone()
        if geometry is None:
            return None
        info = con.execute(f"PRAGMA table_info({quote(table)})").fetchall()
        fid = [row[1] for row in info if row[5] == 1]
        if len(fid) != 1:
            return None
        srs = con.execute("SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys "
                          "WHERE srs_id = ?", (geometry[1],)).fetchone()
        epsg = int(srs[1]) if srs is not None and str(srs[0]).upper() == "EPSG" else None
        columns = {row[1]: str(row[2]).upper().split("(")[0].strip() for row in info
                   if row[1] not in (fid[0], geometry[0])}
        return cls(table, fid[0], geometry[0], int(geometry[1]), epsg, columns)

    def misfit(self, frame: pd.DataFrame, epsg: int | None) -> str | None:
        """Why ``frame`` cannot be written into this table row by row (None: it fits)."""
        if epsg is None or epsg != self.srs_epsg:
            return f"the layer's CRS differs from the table's (srs_id {self.srs_id})"
        names = [c for c in frame.columns if c != frame.geometry.name]
        if set(names) != set(self.columns) or len(names) != len(self.columns):
            return "the layer's fields differ from the table's columns"
        for column in names:
            kind = field_kind(frame[column].dtype)
            if kind == "text" and frame[column].dtype != object and not isinstance(frame[column].dtype,
                                                                                   pd.StringDtype):
                return f"field {column!r} has a type the in-place save does not write"
            if self.columns[column] not in _TYPES_OF_KIND.get(kind, set()):
                return f"field {column!r} ({kind}) does not match the column type {self.columns[column]}"
        return None


def sql_values(series: pd.Series) -> list[Any]:
    """A column's values as SQLite takes them (missing values as NULL, booleans as 0/1)."""
    kind = field_kind(series.dtype)
    values = series.to_numpy(dtype=object, na_value=None) if kind != "text" else series.to_numpy(dtype=object)
    out: list[Any] = []
    for value in values:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            out.append(None)
        elif kind == "boolean":
            out.append(1 if value else 0)
        elif kind == "integer":
            out.append(int(value))
        elif kind == "real":
            out.append(float(value))
        else:
            out.append(value if isinstance(value, str) else (None if pd.isna(value) else str(value)))
    return out
