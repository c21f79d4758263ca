"""Open vector files users bring: GeoPackage, GeoJSON and Shapefile (GBK-aware), checked.

Every layer enters through one gate, :func:`read_layer`, used by File > Open, drag and drop,
the command line and the project loader. Before any library opens the file,
:mod:`gisapp.io.file_checks` refuses pipes, devices, loops and empty or damaged content.
Then each feature is decoded on its own, so one bad geometry costs only that feature, and
:mod:`gisapp.core.geo.geometry_checks` and :mod:`gisapp.core.geo.crs_checks` keep only
points, lines and polygons with finite coordinates that the CRS can place. What was
rejected, assumed or guessed is written into the layer's
:class:`~gisapp.core.model.load_report.LoadReport`.
"""

from __future__ import annotations

import os
import re
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
from geopandas.array import GeometryArray

try:
    import pyarrow as pa
except ImportError:  # a dependency; without it every read takes the skip_features path
    pa = None
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from gisapp.core.geo.crs_checks import (
    area_of_use_excess,
    crs_name,
    decide_crs,
    far_rows,
    is_geographic,
    outside_valid_range,
)
from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.core.geo.geometry_checks import geometry_families, screen_geometries, wkb_type_name
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.load_report import (
    CRS_ASSUMED,
    CRS_DECLARED,
    CRS_STANDARD,
    LoadReport,
)
from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.io import geojson_reader
from gisapp.io.errors import GisIOError
from gisapp.io.field_types import FIELD_TYPES, declared_types
from gisapp.io.file_checks import (
    KIND_BY_SUFFIX,
    KIND_GEOJSON,
    KIND_GEOPACKAGE,
    KIND_SHAPEFILE,
    Sniffed,
    ensure_companions_are_regular,
    ensure_regular_file,
    sniff,
)
from gisapp.io.qgis.layer_styles import apply_stored_style

SUPPORTED_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp")

# Shapefile DBF language-driver ids that name a Chinese code page.
_LDID_ENCODINGS = {0x4D: "cp936", 0x7A: "cp936", 0x78: "cp950", 0x57: None}

DEFAULT_SYMBOLS = {
    "point": Symbol(fill="#e6550d", fill_opacity=0.9, stroke="#ffffff", stroke_width=1.0, size=7),
    "line": Symbol(fill="#000000", fill_opacity=0.0, stroke="#d94801", stroke_width=2.0),
    "polygon": Symbol(fill="#74a9cf", fill_opacity=0.4, stroke="#045a8d", stroke_width=1.0),
}
_FAMILY_TITLES = {"polygon": ("面", "polygons"), "line": ("线", "lines"), "point": ("点", "points")}
MAX_LISTED = 10  # feature numbers named in one warning
GDAL_COULD_NOT = "gdal_could_not"  # a key of load_report.DETAIL_TEXTS
# Features per read of a GeoPackage or Shapefile. pyogrio holds the GIL for a whole read
# (about 7 us a feature), so a read in a worker thread blocks the UI thread that long.
CHUNK_FEATURES = 5000
CHUNK_ENV = "GISAPP_OPEN_CHUNK"  # overrides CHUNK_FEATURES (the tests read small files in many chunks)


def chunk_features() -> int:
    """Features per read: ``$GISAPP_OPEN_CHUNK`` if it is a positive number, else CHUNK_FEATURES."""
    text = os.environ.get(CHUNK_ENV, "")
    return int(text) if text.isdigit() and int(text) > 0 else CHUNK_FEATURES


class ReadCancelled(Exception):
    """The read was cancelled (:class:`ReadProgress`); nothing of it should be kept."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: cancelled")
        self.path = path


@dataclass
class FeaturesRead:
    """What one read of a layer added, for a map that shows a file while it opens."""

    source: str  # the file
    layer: str  # the layer's name in the file (LoadReport.layer)
    title: str  # the title its map layer will have
    frame: gpd.GeoDataFrame | None  # the features of this read that can be shown now, in their CRS
    features_read: int  # so far in this layer
    total: int | None  # features the layer says it has, if it knows


@dataclass
class ReadProgress:
    """How a caller follows a read: its size in features, a callback after each read (on the
    reading thread), and a question asked before each read: stop now?"""

    chunk_features: int = field(default_factory=chunk_features)
    on_features: Callable[[FeaturesRead], None] | None = None
    is_cancelled: Callable[[], bool] = lambda: False


def _sidecar(shp_path: Path, suffix: str) -> Path | None:
    for candidate in (shp_path.with_suffix(suffix), shp_path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def detect_dbf_encoding(shp_path: Path) -> str:
    """Encoding of a shapefile's attributes.

    Trust a .cpg file; otherwise the DBF language driver byte; otherwise decode the
    records: valid UTF-8 is UTF-8, else GBK (the usual encoding of Chinese
    shapefiles written without a .cpg), else Latin-1.
    """
    cpg = _sidecar(shp_path, ".cpg")
    if cpg is not None:
        declared = cpg.read_text(encoding="ascii", errors="ignore").strip()
        if declared:
            return _normalise_codepage(declared)
    dbf = _sidecar(shp_path, ".dbf")
    if dbf is None:
        raise GisIOError(shp_path, "the .dbf file with the attributes is missing beside the .shp")
    raw = dbf.read_bytes()
    if len(raw) < 32:
        raise GisIOError(dbf, "the .dbf file is truncated")
    ldid = _LDID_ENCODINGS.get(raw[29])
    if ldid:
        return ldid
    header_length = int.from_bytes(raw[8:10], "little")
    records = raw[header_length:]
    try:
        records.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        records.decode("gb18030")
        return "cp936"
    except UnicodeDecodeError:
        return "latin-1"


def _normalise_codepage(declared: str) -> str:
    text = declared.upper().replace("-", "").replace("_", "")
    if text in ("GBK", "GB2312", "CP936", "936", "ANSI936"):
        return "cp936"
    if text in ("UTF8", "65001"):
        return "utf-8"
    if match := re.fullmatch(r"(?:CP|ANSI)?(\d{3,5})", text):
        return f"cp{match[1]}"
    return declared


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_").lower()
    return slug or "layer"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _gdal_reason(exc: BaseException, path: Path) -> str:
    """GDAL's first sentence, without the full path it repeats."""
    text = _short(exc).split(";")[0].replace(f"'{path}'", "the file").replace(str(path), "the file")
    if "not recognized as being in a supported file format" in text:
        return "GDAL does not recognise the content"
    if "disk image is malformed" in str(exc) or "file is not a database" in str(exc):
        return "the database inside is damaged, perhaps truncated"
    return text


def _quote(name: str) -> str:
    """An SQLite identifier."""
    return '"' + name.replace('"', '""') + '"'


# --- reading one layer ----------------------------------------------------------------------
@dataclass
class _Read:
    """One layer as read, before the checks: features (a geometry may be missing), numbering, CRS."""

    frame: gpd.GeoDataFrame  # RangeIndex
    numbers: np.ndarray  # 1-based position in the file of each row
    fids: np.ndarray | None  # the source's feature ids (GeoPackage, Shapefile), or None
    crs: str
    how: str
    features_read: int
    reasons: dict[int, tuple[str, str]] = field(default_factory=dict)  # row -> why its geometry is missing
    pre_rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (number, code, detail)


def _decode_one(wkb: bytes | None) -> tuple[BaseGeometry | None, tuple[str, str] | None]:
    """A geometry from WKB, or None and the reason it cannot be decoded."""
    if wkb is None:
        return None, None
    try:
        return shapely.from_wkb(wkb), None
    except NotImplementedError:
        return None, ("unsupported_type", wkb_type_name(wkb) or "(unknown)")
    except Exception as exc:  # GEOSException, or a header GEOS does not know
        return None, _reason_from_geos(str(exc), wkb)


def _reason_from_geos(message: str, wkb: bytes) -> tuple[str, str]:
    lowered = message.lower()
    if "closed linestring" in lowered or "not closed" in lowered:
        return "unclosed_ring", ""
    if "invalid number of points" in lowered or "must have" in lowered and "points" in lowered:
        kind = wkb_type_name(wkb)
        return "too_few_points", geojson_reader.RING if "Polygon" in kind else geojson_reader.LINE
    if "unknown wkb type" in lowered or "unknown type" in lowered:
        return "unsupported_type", wkb_type_name(wkb) or "(unknown)"
    if "parse" in lowered or "unexpected eof" in lowered or "read" in lowered:
        return "undecodable", ""
    return "invalid_geometry", message.splitlines()[0][:120]


def _read_with_gdal(path: Path, layer: str | None, encoding: str | None, skip: int = 0, count: int | None = None,
                    after: tuple[str, int] | None = None,
                    ) -> tuple[gpd.GeoDataFrame, np.ndarray, str | None, dict[int, tuple[str, str]]]:
    """The features (``count`` of them after the first ``skip``, or all), their fids, the CRS
    the file declares, and reasons for the geometries that could not be decoded (re-reading
    only those features' raw WKB). ``after`` (fid column, fid) starts after that fid instead
    of skipping: see :func:`_gdal_chunks`."""
    reasons: dict[int, tuple[str, str]] = {}
    window: dict[str, Any] = {"skip_features": skip, "max_features": count}
    if after is not None:
        window = {"where": f"{_quote(after[0])} > {int(after[1])}", "max_features": count}
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, fid_as_index=True,
                                       on_invalid="ignore", **window)
    except NotImplementedError:
        # Curved geometries make shapely refuse the whole array: decode feature by feature.
        frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding, fid_as_index=True,
                                       read_geometry=False, **window)
        _meta, _fids, wkbs, _fields = pyogrio.raw.read(path, layer=layer, encoding=encoding, columns=[],
                                                      return_fids=True, **window)
        decoded = [_decode_one(wkb) for wkb in wkbs]
        geometries = np.array([geometry for geometry, _reason in decoded], dtype=object)
        reasons = {row: reason for row, (_geometry, reason) in enumerate(decoded) if reason}
        fids = frame.index.to_numpy()
        return _geoframe(frame.reset_index(drop=True), geometries), fids, _crs_text(frame), reasons
    fids = frame.index.to_numpy()
    frame = frame.reset_index(drop=True)
    crs = _crs_text(frame)
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = _geoframe(frame, np.full(len(frame), None, dtype=object))
    geometries = np.asarray(frame.geometry.array, dtype=object)
    missing = np.flatnonzero(shapely.is_missing(geometries))
    if len(missing):
        _meta, got_fids, wkbs, _fields = pyogrio.raw.read(path, layer=layer, encoding=encoding, columns=[],
                                                         fids=fids[missing], return_fids=True)
        by_fid = dict(zip(got_fids.tolist(), wkbs, strict=True))
        for row in missing:
            _geometry, reason = _decode_one(by_fid.get(int(fids[row])))
            if reason:
                reasons[int(row)] = reason
    return frame, fids, crs, reasons


def _crs_text(frame: pd.DataFrame) -> str | None:
    crs = getattr(frame, "crs", None)
    return crs.to_string() if crs is not None else None


def _geoframe(attributes: pd.DataFrame, geometries: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(geometries, index=attributes.index))


def _stored_blob_fids(path: Path, table: str, fid_column: str, geometry_column: str, fids: np.ndarray) -> set[int]:
    """GeoPackage features whose geometry blob is present, though GDAL returned none: the
    blob is damaged. Read with SQLite directly, read-only."""
    if not (fid_column and geometry_column and len(fids)):
        return set()
    found: set[int] = set()
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return found
    try:
        values = [int(fid) for fid in fids]
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            rows = con.execute(f"SELECT {_quote(fid_column)} FROM {_quote(table)} WHERE {_quote(geometry_column)} "
                               f"IS NOT NULL AND {_quote(fid_column)} IN ({','.join('?' * len(chunk))})", chunk)
            found.update(int(row[0]) for row in rows)
    except sqlite3.Error:
        pass
    finally:
        con.close()
    return found


def _gdal_layer(path: Path, layer: str | None, kind: str, encoding: str | None,
                skip: int = 0, count: int | None = None, after: tuple[str, int] | None = None) -> _Read:
    """``count`` features (or all) after the first ``skip``, or after the fid ``after`` names
    (then ``skip`` only numbers them: it is how many were read before)."""
    frame, fids, crs, reasons = _read_with_gdal(path, layer, encoding, 0 if after else skip, count, after)
    n = len(frame)
    missing = [row for row in np.flatnonzero(shapely.is_missing(frame.geometry.array)) if row not in reasons]
    if kind == KIND_GEOPACKAGE and missing:
        info = pyogrio.read_info(path, layer=layer)
        damaged = _stored_blob_fids(path, info.get("layer_name") or layer or "", info.get("fid_column", ""),
                                    info.get("geometry_name", ""), fids[missing])
        for row in missing:
            if int(fids[row]) in damaged:
                reasons[int(row)] = ("undecodable", "")
    return _Read(frame, np.arange(skip + 1, skip + n + 1), fids if kind != KIND_GEOJSON else None,
                 crs or STORAGE_CRS, CRS_DECLARED if crs else CRS_ASSUMED, n, reasons)


def _gdal_chunks(path: Path, layer: str | None, kind: str, encoding: str | None, size: int,
                 total: int | None, skip: int = 0, last_fid: int | None = None) -> Iterator[_Read]:
    """The layer in reads of ``size`` features, going on after ``skip`` features (the last of
    them with fid ``last_fid``); at least one read, so an empty layer still says its CRS.

    A GeoPackage read goes on from the last fid read (``where="fid > last"``): SQLite finds
    it in the table's rowid tree, where ``skip_features`` stepped over every feature before
    it, so the k-th read cost k reads and the open grew with the square of the size. A
    Shapefile's driver seeks to a record by its number, so there ``skip_features`` stays.

    Each read asks for no more features than ``total`` leaves (pyogrio reports a damaged
    geometry as an error when asked for more features than there are), and a last read
    without a limit takes whatever a wrong count left out.
    """
    fid_column = _fid_column(path, layer) if kind == KIND_GEOPACKAGE else ""

    def after() -> tuple[str, int] | None:
        return (fid_column, last_fid) if fid_column and last_fid is not None else None

    while total is not None and skip < total:
        count = min(size, total - skip)
        read = _gdal_layer(path, layer, kind, encoding, skip, count, after())
        skip += len(read.frame)
        if read.fids is not None and len(read.fids):
            last_fid = int(read.fids[-1])
        if len(read.frame) < count:  # fewer than the count said: that was all
            yield read
            return
        yield read
    yield _gdal_layer(path, layer, kind, encoding, skip, None, after())


def _fid_column(path: Path, layer: str | None) -> str:
    """The layer's fid column ("" if it has none, as a view may not)."""
    try:
        return str(pyogrio.read_info(path, layer=layer).get("fid_column") or "")
    except Exception:  # noqa: BLE001 - the reads say what is wrong with the file
        return ""


def _geopackage_chunks(path: Path, layer: str | None, size: int, total: int | None) -> Iterator[_Read]:
    """A GeoPackage layer in reads of ``size`` features from one Arrow stream (the file stays
    open between reads). GDAL fills each batch without holding the GIL, so the UI thread runs
    while the open thread reads; a read by ``skip_features`` held it for the whole read and
    had to find its first feature again. Features are decoded here as in :func:`_gdal_layer`.
    If the stream cannot be opened or fails halfway, the rest is read as before, from the
    first feature not yet read, so a damaged file says what it always said."""
    skip, last_fid = 0, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pyogrio.open_arrow(path, layer=layer, batch_size=size, return_fids=True, datetime_as_string=True,
                                    use_pyarrow=True) as (meta, reader):
                crs = CRS(meta["crs"]).to_string() if meta.get("crs") else None
                if not _plain_columns(reader.schema, meta):
                    raise ValueError("a column the stream gives otherwise than a read")
                while True:
                    try:
                        batch = reader.read_next_batch()
                    except StopIteration:
                        return
                    read = _arrow_read(path, layer, meta, batch, crs, skip)
                    skip += len(read.frame)
                    if read.fids is not None and len(read.fids):
                        last_fid = int(read.fids[-1])
                    yield read
    except GeneratorExit:
        raise
    except Exception:  # noqa: BLE001 - the reads below say what is wrong with the file
        pass
    yield from _gdal_chunks(path, layer, KIND_GEOPACKAGE, None, size, total, skip, last_fid)


_DATE32 = None if pa is None else pa.date32()


def _arrow_read(path: Path, layer: str | None, meta: dict[str, Any], batch: Any, crs: str | None,
                skip: int) -> _Read:
    """One Arrow batch of a GeoPackage layer as a :class:`_Read` (the frame pyogrio's
    ``read_dataframe`` would give for the same features)."""
    geometry_name, fid_column = meta["geometry_name"] or "wkb_geometry", meta["fid_column"]
    fids = batch.column(fid_column).to_numpy()
    wkbs = batch.column(geometry_name).to_numpy(zero_copy_only=False) if geometry_name in batch.schema.names \
        else np.full(batch.num_rows, None, dtype=object)
    # The columns as the numpy arrays pyogrio's ``read`` gives, in a frame made as
    # ``read_dataframe`` makes it, so both reads give the same dtypes.
    columns = [str(name) for name in meta["fields"]]
    data = {}
    for name, dtype in zip(columns, meta["dtypes"], strict=True):
        values = batch.column(name)
        if values.type == _DATE32:  # as the text GDAL gives a read (parsed below, as there)
            values = values.cast("string")
        if dtype == "bool" and values.null_count:
            data[name] = np.where(values.is_null().to_numpy(zero_copy_only=False), np.nan,
                                  values.fill_null(False).to_numpy(zero_copy_only=False).astype(np.float64))
        else:
            data[name] = values.to_numpy(zero_copy_only=False)
    attributes = pd.DataFrame(data, columns=columns)
    for dtype, column in zip(meta["dtypes"], columns, strict=True):
        if dtype.startswith("datetime"):
            attributes[column] = _parse_datetimes(attributes[column])
    reasons: dict[int, tuple[str, str]] = {}
    try:
        # In slices: each call holds the GIL while it decodes, the UI thread waits meanwhile.
        geometries = np.concatenate([shapely.from_wkb(wkbs[i:i + 1000], on_invalid="ignore")
                                     for i in range(0, len(wkbs), 1000)]) if len(wkbs) else np.empty(0, dtype=object)
    except NotImplementedError:  # curved geometries: shapely refuses the whole array
        decoded = [_decode_one(wkb) for wkb in wkbs]
        geometries = np.array([geometry for geometry, _reason in decoded], dtype=object)
        reasons = {row: reason for row, (_geometry, reason) in enumerate(decoded) if reason}
    else:
        for row in np.flatnonzero(shapely.is_missing(geometries)).tolist():
            _geometry, reason = _decode_one(wkbs[row])
            if reason:
                reasons[row] = reason
    frame = _geoframe(attributes, np.asarray(geometries, dtype=object))
    if crs is not None:
        frame = frame.set_crs(crs)
    n = len(frame)
    missing = [row for row in np.flatnonzero(shapely.is_missing(geometries)) if row not in reasons]
    if missing:
        table = layer or pyogrio.read_info(path).get("layer_name") or ""
        damaged = _stored_blob_fids(path, table, fid_column, geometry_name, fids[missing])
        for missing_row in missing:
            if int(fids[missing_row]) in damaged:
                reasons[int(missing_row)] = ("undecodable", "")
    return _Read(frame, np.arange(skip + 1, skip + n + 1), fids, crs or STORAGE_CRS,
                 CRS_DECLARED if crs else CRS_ASSUMED, n, reasons)


def _plain_columns(schema: Any, meta: dict[str, Any]) -> bool:
    """Whether every attribute column is a number, text, boolean or blob (lists and the like
    are read by pyogrio's ``read``, which gives them their usual shape)."""
    if pa is None:
        return False
    types = pa.types
    return all(any(check(schema.field(str(name)).type) for check in (
        types.is_integer, types.is_floating, types.is_string, types.is_large_string, types.is_boolean,
        types.is_binary, types.is_large_binary, types.is_date32)) for name in meta["fields"]) \
        and meta.get("fid_column") is not None


def _parse_datetimes(values: pd.Series) -> pd.Series:
    """Datetimes read as text, parsed as pyogrio's ``read_dataframe`` parses them."""
    from pyogrio.geopandas import _try_parse_datetime

    return _try_parse_datetime(values, False, True)  # read_dataframe's defaults: parsed, mixed offsets as UTC


def _careful_geojson(path: Path, encoding: str, report: LoadReport) -> _Read:
    document = geojson_reader.read_document(path, encoding)
    if document.not_utf8:
        report.warn("not_utf8")
    careful = geojson_reader.read_features(document)
    crs, how = _geojson_crs(document, report)
    return _Read(careful.frame, careful.numbers, None, crs, how, len(document.elements),
                 pre_rejected=careful.rejected)


def _geojson_crs(document: geojson_reader.Document, report: LoadReport) -> tuple[str, str]:
    if not document.crs_text:
        return STORAGE_CRS, CRS_STANDARD
    try:
        return CRS.from_user_input(document.crs_text).to_string(), CRS_DECLARED
    except CRSError:
        report.warn("bad_crs", declared=document.crs_text[:80])
        return STORAGE_CRS, CRS_ASSUMED


def _geojson_layer(path: Path, sniffed: Sniffed, report: LoadReport) -> _Read:
    try:
        read = _gdal_layer(path, None, KIND_GEOJSON, None)
    except Exception as exc:  # GDAL could not read the whole file: try feature by feature
        if sniffed.size > geojson_reader.CAREFUL_LIMIT:
            raise GisIOError(path, f"not a readable vector file ({_gdal_reason(exc, path)})") from exc
        read = _careful_geojson(path, sniffed.text_encoding, report)
        if not any(w.code == "not_utf8" for w in report.warnings) and not sniffed.text_encoding:
            report.warn("careful_reader", reason=_gdal_reason(exc, path))
        return read
    if not sniffed.names_crs:
        read.crs, read.how = STORAGE_CRS, CRS_STANDARD  # RFC 7946; GDAL says EPSG:4326 either way
    missing = shapely.is_missing(read.frame.geometry.array)
    if sniffed.size > (geojson_reader.CAREFUL_LIMIT if missing.any() else geojson_reader.VERIFY_LIMIT):
        return read
    # GDAL drops elements of "features" that are not objects and turns unknown geometry
    # types into missing ones, without a word: compare with the text itself (Python's json
    # takes seconds on tens of megabytes, so only for small files or to explain missing ones).
    try:
        document = geojson_reader.read_document(path, sniffed.text_encoding, cheap_numbers=True)
    except GisIOError as exc:
        report.warn("not_strict_json", reason=exc.problem)
        return read
    objects = document.objects
    if len(objects) != len(read.frame):
        careful = _careful_geojson(path, sniffed.text_encoding, report)
        report.warn("careful_reader", reason=f"GDAL read {len(read.frame)} of {len(objects)} features")
        return careful
    read.numbers = np.array([number for number, _element in objects], dtype=np.int64)
    read.features_read = len(document.elements)
    read.pre_rejected = [(number, "not_a_feature", geojson_reader.not_a_feature_detail(element))
                         for number, element in enumerate(document.elements, start=1)
                         if not isinstance(element, dict)]
    for row in np.flatnonzero(shapely.is_missing(read.frame.geometry.array)):
        if int(row) not in read.reasons:
            problem = geojson_reader.geometry_problem(objects[row][1].get("geometry"))
            read.reasons[int(row)] = problem or ("invalid_geometry", GDAL_COULD_NOT)
    return read


def _shapefile_before(path: Path, report: LoadReport) -> str | None:
    """Checks of a Shapefile's companions before its features are read; the .dbf's encoding."""
    if _sidecar(path, ".shx") is None:
        raise GisIOError(path, "the .shx index file is missing beside the .shp; copy every file "
                               "with the same name (.shp, .shx, .dbf, .prj)")
    encoding = None
    dbf = _sidecar(path, ".dbf")
    if dbf is None:
        report.warn("no_dbf")
    else:
        if _dbf_truncated(dbf):
            report.warn("truncated", part=".dbf")
        encoding = detect_dbf_encoding(path)
    return encoding


def _shapefile_after(path: Path, read: _Read, report: LoadReport) -> None:
    """Checks of a Shapefile once its first features (and so its CRS) are known."""
    if _shapefile_truncated(path):
        report.warn("truncated", part=".shp")
    prj = _sidecar(path, ".prj")
    if prj is None:
        report.warn("no_prj")
    elif read.how == CRS_ASSUMED:
        report.warn("bad_crs", declared=prj.name)


def _dbf_truncated(dbf: Path) -> bool:
    """Shorter than its header says (record count times record length after the header)."""
    with dbf.open("rb") as stream:
        header = stream.read(12)
    if len(header) < 12:
        return True
    records = int.from_bytes(header[4:8], "little")
    header_length = int.from_bytes(header[8:10], "little")
    record_length = int.from_bytes(header[10:12], "little")
    return dbf.stat().st_size < header_length + records * record_length


def _shapefile_truncated(path: Path) -> bool:
    """Whether the .shp is shorter than the length its header gives (in 16-bit words)."""
    with open(path, "rb") as handle:
        header = handle.read(28)
    return len(header) == 28 and int.from_bytes(header[24:28], "big") * 2 > path.stat().st_size


# --- the checks ---------------------------------------------------------------------------
class LayerRefused(Exception):
    """No feature of the layer can be placed on the map; ``str()`` says why."""


def _numbers_text(numbers: np.ndarray) -> str:
    listed = ", ".join(str(int(n)) for n in numbers[:MAX_LISTED])
    return listed + (", …" if len(numbers) > MAX_LISTED else "")


def _coordinate_text(x: float, y: float) -> str:
    return f"{x:.10g}, {y:.10g}"


@dataclass
class _Screened:
    """One read after the per-feature checks that need no CRS."""

    read: _Read  # its frame carries the converted geometries
    problems: list[tuple[int, str, str, int | None]]  # (number, code, detail, fid) to reject
    converted: int  # geometry collections made multi-part
    keep: np.ndarray  # rows of the read that passed
    bounds: np.ndarray  # (len(keep), 4) their bounds in the file's coordinates


def _screened(read: _Read) -> _Screened:
    screened = screen_geometries(np.asarray(read.frame.geometry.array, dtype=object))
    problems = []
    for row, code, detail in screened.problems:
        code, detail = read.reasons.get(row, (code, detail)) if code == "no_geometry" else (code, detail)
        problems.append((int(read.numbers[row]), code, detail, int(read.fids[row]) if read.fids is not None else None))
    if screened.converted:
        read.frame = read.frame.set_geometry(gpd.GeoSeries(screened.geometries, index=read.frame.index))
    keep = np.flatnonzero(screened.good_mask())
    bounds = shapely.bounds(screened.geometries[keep]) if len(keep) else np.empty((0, 4))
    return _Screened(read, problems, screened.converted, keep, bounds)


class LayerStream:
    """One layer read by reads (chunks), checked as each arrives and decided at the end.

    :meth:`add` screens a read (missing, empty, unsupported, non-finite geometries) and
    returns the features a map may show meanwhile: those the CRS decided on the first
    features places, in that CRS. :meth:`finish` writes the report and returns the layer's
    frame exactly as reading it whole would: the CRS is decided on every feature's bounds
    (see the module docstring), so a guess can differ from the provisional one.
    """

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.screened: list[_Screened] = []
        self.features_read = 0
        self.provisional_crs: str | None = None  # the CRS the features shown meanwhile are in
        self._provisional_decided = False

    @property
    def first(self) -> _Read:
        return self.screened[0].read

    def add(self, read: _Read) -> gpd.GeoDataFrame | None:
        """Screen one read; its features that can be shown now (None if none can yet)."""
        checked = _screened(read)
        self.screened.append(checked)
        self.features_read += read.features_read
        if not self._provisional_decided and len(checked.keep):
            self._provisional_decided = True
            self.provisional_crs = decide_crs(read.crs, read.how, checked.bounds).crs
        if self.provisional_crs is None or not len(checked.keep):
            return None
        rows = checked.keep[~outside_valid_range(checked.bounds, self.provisional_crs)]
        frame = read.frame if len(rows) == len(read.frame) else read.frame.iloc[rows].reset_index(drop=True)
        return frame.set_crs(self.provisional_crs, allow_override=True)

    def finish(self) -> gpd.GeoDataFrame:
        """The features that pass every check, in the CRS decided for them; the report is
        complete. Raises LayerRefused when none can be placed."""
        report = self.report
        read = self.first
        for chunk in self.screened:
            for number, code, detail in chunk.read.pre_rejected:
                report.reject(number, code, detail)
        for chunk in self.screened:
            for number, code, detail, fid in chunk.problems:
                report.reject(number, code, detail, fid)
        converted = sum(chunk.converted for chunk in self.screened)
        if converted:
            report.warn("collections_converted", count=converted)
        starts = np.cumsum([0] + [len(chunk.read.frame) for chunk in self.screened])
        keep = np.concatenate([chunk.keep + start for chunk, start in zip(self.screened, starts, strict=False)])
        bounds = np.concatenate([chunk.bounds for chunk in self.screened])
        numbers = np.concatenate([chunk.read.numbers for chunk in self.screened])
        fids = (np.concatenate([chunk.read.fids for chunk in self.screened])
                if all(chunk.read.fids is not None for chunk in self.screened) else None)
        fid_of = (lambda row: int(fids[row])) if fids is not None else (lambda _row: None)
        decision = decide_crs(read.crs, read.how, bounds)
        example = _coordinate_text(*decision.example)
        if decision.crs is None:
            if is_geographic(read.crs):
                said = "the file says" if read.how == CRS_DECLARED else "with no CRS in the file, assumed"
                raise LayerRefused(f"the coordinates (e.g. {example}) are not longitude/latitude ({said} "
                                   f"{read.crs}), and no CRS gisapp knows places them in China; name the "
                                   "CRS in the file (a .prj, or a crs member)")
            raise LayerRefused(f"the coordinates (e.g. {example}) lie outside the valid range of "
                               f"{read.crs} ({crs_name(read.crs)})")
        if decision.guessed:
            if decision.contradicted:
                report.warn("crs_contradicted", declared=decision.contradicted, example=example)
            params = {"crs": decision.crs, "crs_name": crs_name(decision.crs)}
            if decision.alternatives:
                report.warn("crs_guessed_ambiguous", alternatives=", ".join(decision.alternatives), **params)
            else:
                report.warn("crs_guessed", **params)
        placed = np.ones(len(keep), dtype=bool)
        for index in decision.rejected_rows:
            row = int(keep[index])
            x, y = bounds[index, 0], bounds[index, 1]
            report.reject(int(numbers[row]), "out_of_range", f"{decision.crs} (x={x:.6g}, y={y:.6g})", fid_of(row))
            placed[index] = False
        report.rejected.sort(key=lambda item: item.number)
        if self.features_read and not placed.any():
            listed = "; ".join(item.message for item in report.rejected[:3])
            more = f" (and {len(report.rejected) - 3} more)" if len(report.rejected) > 3 else ""
            raise LayerRefused(f"none of the {self.features_read} features can be used: {listed}{more}")
        if not self.features_read:
            report.warn("empty_layer")
        placed_bounds = bounds[placed]
        if not decision.guessed and (area := area_of_use_excess(placed_bounds, decision.crs)):
            report.warn("outside_area_of_use", crs=decision.crs, area=area)
        rows = keep[placed]
        far = far_rows(placed_bounds, decision.crs)
        if len(far):
            report.warn("far_features", count=len(far), numbers=_numbers_text(numbers[rows[far]]))
        # Before the frame is copied: these and each read's bounds, numbers and ids are 32 or
        # 8 MB each at a million features.
        del keep, bounds, placed_bounds, placed, numbers
        reads = [chunk.read.frame for chunk in self.screened]
        self.screened = []  # the reads are in the frame now
        frame = _concatenated(reads)
        if len(rows) < len(frame):
            frame = frame.iloc[rows].reset_index(drop=True)
        if any(frame is read_frame for read_frame in reads):  # a read's own frame (the map may show it)
            frame = frame.set_crs(decision.crs, allow_override=True)
        else:  # a new frame: no second copy of every column
            frame.set_crs(decision.crs, allow_override=True, inplace=True)
        del reads
        report.crs, report.crs_how = frame.crs.to_string(), decision.how
        return frame


def _concatenated(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The reads of one layer as one frame (empty reads add nothing, not even a dtype)."""
    filled = [frame for frame in frames if len(frame)]
    if len(filled) <= 1:
        return filled[0] if filled else frames[0]
    return concat_geoframes(filled)


OBJECTS_PER_COPY = 50_000  # geometry pointers copied under one hold of the GIL


def concat_geoframes(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """``pd.concat(frames, ignore_index=True)`` for frames of one layer (same columns, one
    CRS), without holding the GIL for the whole geometry column: numpy copies an object
    array, increasing every reference, in one call (70 ms for a million geometries on a
    busy machine, during which the UI thread cannot run). The geometries are copied in
    slices instead; the other columns go through pandas (numbers and Arrow text are copied
    without the GIL)."""
    first = frames[0]
    name = first.geometry.name
    attributes = pd.concat([pd.DataFrame(frame.drop(columns=[name])) for frame in frames], ignore_index=True)
    geometries = np.empty(len(attributes), dtype=object)
    at = 0
    for frame in frames:
        values = np.asarray(frame.geometry.array, dtype=object)
        for start in range(0, len(values), OBJECTS_PER_COPY):
            part = values[start:start + OBJECTS_PER_COPY]
            geometries[at:at + len(part)] = part
            at += len(part)
    # GeometryArray as it is: GeoSeries(objects) would check every element again, holding the GIL.
    attributes.insert(first.columns.get_loc(name), name,
                      gpd.GeoSeries(GeometryArray(geometries, crs=first.crs), index=attributes.index, copy=False))
    joined = gpd.GeoDataFrame(attributes, geometry=name, copy=False)
    if all(frame.attrs == first.attrs for frame in frames):
        joined.attrs = dict(first.attrs)
    return joined


def read_layer(path: str | Path, layer: str | None = None, progress: ReadProgress | None = None,
               ) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """One layer of a file, checked: the frame of its good features and the report of the rest.

    The project loader reads its tables through here. Raises GisIOError when the file or the
    layer cannot be read at all, and ReadCancelled when ``progress`` says so.
    """
    path = Path(path)
    (frame, report), = _read_layers(path, _gate(path), [layer] if layer else None, progress or ReadProgress())
    return frame, report


def _gate(path: Path) -> Sniffed:
    ensure_regular_file(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise GisIOError(path, f"unsupported file type {suffix or '(none)'}; "
                               f"open GeoPackage, GeoJSON or Shapefile ({', '.join(SUPPORTED_SUFFIXES)})")
    sniffed = sniff(path, KIND_BY_SUFFIX[suffix])
    ensure_companions_are_regular(path, sniffed.kind)
    return sniffed


def _read_layers(path: Path, sniffed: Sniffed, only: list[str] | None, progress: ReadProgress,
                 ) -> list[tuple[gpd.GeoDataFrame, LoadReport]]:
    """Every map layer of the file (or those in ``only``) as (frame, report)."""
    kind = sniffed.kind
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's warnings; the report says what matters
            names: list[str | None] = [None]  # a GeoJSON or Shapefile has one layer
            if kind == KIND_GEOPACKAGE:
                try:
                    listed = pyogrio.list_layers(path)
                except Exception as exc:
                    raise GisIOError(path, f"not a readable vector file ({_gdal_reason(exc, path)})") from exc
                names = [str(name) for name, geometry_type in listed if geometry_type is not None]
                if only is not None:
                    known = {str(name) for name, _type in listed}
                    missing = [name for name in only if name not in known]
                    if missing:
                        raise GisIOError(path, f"the table {missing[0]!r} is missing")
                    names = list(only)
            results, skipped = [], []
            for name in names:
                report = LoadReport(source=str(path), layer=name or path.stem)
                if sniffed.wrong_suffix:
                    report.warn("wrong_extension", content=kind, suffix=sniffed.wrong_suffix)
                title = report.layer if (kind == KIND_GEOPACKAGE or len(names) > 1) else path.stem
                try:
                    results.append((_read_one(path, kind, sniffed, name, report, progress, title), report))
                except LayerRefused as exc:
                    if only is not None or len(names) == 1:
                        prefix = f"layer {name!r}: " if name and len(names) > 1 else ""
                        raise GisIOError(path, prefix + str(exc)) from None
                    skipped.append((name, str(exc)))
                except (GisIOError, ReadCancelled):
                    raise
                except Exception as exc:
                    if len(names) == 1:
                        raise
                    skipped.append((name, f"it could not be read ({_short(exc)})"))
    except (GisIOError, ReadCancelled):
        raise
    except MemoryError:
        raise GisIOError(path, "there is not enough memory to read the file") from None
    except UnicodeDecodeError as exc:
        raise GisIOError(path, f"the text is not in the encoding it claims ({_short(exc)})") from None
    except Exception as exc:  # any other reader failure is about this file, not a bug to crash on
        raise GisIOError(path, f"not a readable vector file ({_gdal_reason(exc, path)})") from exc
    if not results:
        if skipped:
            raise GisIOError(path, "; ".join(f"layer {name!r}: {reason}" for name, reason in skipped))
        raise GisIOError(path, "the file has no layer with geometries")
    for name, reason in skipped:
        results[0][1].warn("layer_skipped", layer=name, reason=reason)
    return results


def _read_one(path: Path, kind: str, sniffed: Sniffed, name: str | None, report: LoadReport,
              progress: ReadProgress, title: str) -> gpd.GeoDataFrame:
    encoding = None
    total = None
    if kind == KIND_GEOJSON:
        # GDAL parses a whole GeoJSON to reach any feature: one read, maybe feature by feature.
        reads: Iterator[_Read] = iter([_geojson_layer(path, sniffed, report)])
    else:
        if kind == KIND_SHAPEFILE:
            encoding = _shapefile_before(path, report)
        total = _feature_count(path, name)
        reads = (_geopackage_chunks(path, name, progress.chunk_features, total) if kind == KIND_GEOPACKAGE
                 else _gdal_chunks(path, name, kind, encoding, progress.chunk_features, total))
    stream = LayerStream(report)
    for read in reads:
        if progress.is_cancelled():
            raise ReadCancelled(path)
        shown = stream.add(read)
        if progress.on_features is not None:
            progress.on_features(FeaturesRead(str(path), report.layer, title, shown, stream.features_read, total))
    if progress.is_cancelled():
        raise ReadCancelled(path)
    if kind == KIND_SHAPEFILE:
        _shapefile_after(path, stream.first, report)
    elif kind == KIND_GEOPACKAGE and stream.first.how == CRS_ASSUMED:
        report.warn("no_crs")
    report.features_read = stream.features_read
    frame = stream.finish()
    frame.attrs["encoding"] = encoding or ""
    if kind != KIND_GEOJSON:
        frame.attrs[FIELD_TYPES] = declared_types(path, name)  # so a save writes dates and integers back
    return frame


def _feature_count(path: Path, layer: str | None) -> int | None:
    """How many features the layer says it has (for progress), or None if it does not know."""
    try:
        count = int(pyogrio.read_info(path, layer=layer).get("features", -1))
    except Exception:
        return None
    return count if count >= 0 else None


# --- whole files as layers -------------------------------------------------------------------
def open_vector_file(path: str | Path, progress: ReadProgress | None = None) -> list[VectorLayer]:
    """Read every layer of a supported file as VectorLayers (user group, default style, or for a
    GeoPackage the QGIS default style its ``layer_styles`` table holds).

    Each layer carries its :class:`LoadReport` (``layer.load_report``). A layer that mixes
    points, lines and polygons becomes one layer per type. Raises GisIOError with the file
    name and the problem when nothing in the file can be used. ``progress`` sets the size of
    the reads, hears of the features of each read, and can cancel (ReadCancelled).
    """
    path = Path(path)
    sniffed = _gate(path)
    kind = sniffed.kind
    reads = _read_layers(path, sniffed, None, progress or ReadProgress())
    layers = []
    many = len(reads) > 1
    for frame, report in reads:
        title = report.layer if (kind == KIND_GEOPACKAGE or many) else path.stem
        families = geometry_families(frame.geometry.array) if len(frame) else np.array(["polygon"], dtype=object)
        present = [family for family in ("polygon", "line", "point") if (families == family).any()]
        if len(present) > 1:
            report.warn("split_by_type", types=", ".join(_FAMILY_TITLES[f][1] for f in present))
        for family in present:
            part = frame if len(present) == 1 else frame[families == family].reset_index(drop=True)
            zh, en = (title, title) if len(present) == 1 else (
                f"{title}（{_FAMILY_TITLES[family][0]}）", f"{title} ({_FAMILY_TITLES[family][1]})")
            layer = file_layer(zh, en, part, family)
            layer.metadata = {"source_path": str(path), "source_layer": report.layer,
                              "encoding": frame.attrs.get("encoding", ""), "source_crs": report.crs,
                              "crs_decision": report.crs_how}
            layer.load_report = report
            layers.append(layer)
            if kind == KIND_GEOPACKAGE:
                # A colleague's QGIS default style for the table, as QGIS would draw it.
                apply_stored_style(layer, path, report.layer)
    return layers


def file_layer(title_zh: str, title_en: str, frame: gpd.GeoDataFrame, family: str) -> VectorLayer:
    """A layer of a user's file as it opens: the default style of its type, a guessed label field
    (also for the features shown while the rest of the file is read)."""
    return VectorLayer(id=_slug(title_en), title_zh=title_zh, title_en=title_en, frame=frame,
                       style=SingleStyle(DEFAULT_SYMBOLS[family]), label_field=_guess_label_field(frame))


def _guess_label_field(frame: gpd.GeoDataFrame) -> str:
    lowered = {c.lower(): c for c in frame.columns if c != frame.geometry.name}
    for candidate in ("name_zh", "name", "名称", "name_en", "title", "mc"):
        if candidate in lowered:
            return lowered[candidate]
    return ""


def layer_with_crs(layer: VectorLayer, crs: str) -> gpd.GeoDataFrame:
    """The layer's frame declared in ``crs`` (the coordinates stay as they are).

    Raises ValueError when ``crs`` is unknown or cannot place the layer's features.
    """
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError as exc:
        raise ValueError(f"unknown CRS {crs!r}") from exc
    target = parsed.to_string()
    frame = layer.frame
    if len(frame):
        outside = outside_valid_range(shapely.bounds(np.asarray(frame.geometry.array, dtype=object)), target)
        if outside.any():
            row = int(np.flatnonzero(outside)[0])
            raise ValueError(f"{outside.sum()} feature(s) lie outside the valid range of {target} "
                             f"({parsed.name}), e.g. feature {row + 1}")
    return frame.set_crs(target, allow_override=True)
