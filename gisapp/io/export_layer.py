"""Export one layer to GeoJSON or a Shapefile (UTF-8, with a .cpg), without losing data silently.

GeoJSON is written in EPSG:4326 (RFC 7946 coordinates) with full precision.
Shapefiles are written in the layer's CRS with UTF-8 attributes and a ``.cpg``
file saying so (QGIS and ArcGIS then read Chinese text correctly). The DBF format
limits field names to 10 bytes and text to 254 bytes; names are cut on UTF-8
character boundaries and kept unique (``industries_zh`` -> ``industri_1``,
``地块编号`` -> ``地块编``), and :func:`export_layer` returns a warning for every name
it changed, every value it had to cut and every date-time it wrote as text. Dates
are written as DBF dates and booleans as DBF logicals; GeoJSON keeps booleans, ISO
dates and date-times, and carries the layer's title as its ``name``.

Both formats are written next to the target first and moved into place, so an
interrupted export never leaves a half-written file under the target name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.core.model.layer import VectorLayer
from gisapp.core.texts import Bilingual
from gisapp.io.atomic import atomic_path, check_writable, keep_mode, raise_if_no_space
from gisapp.io.errors import GisIOError

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
DBF_NAME_MAX_BYTES = 10
DBF_TEXT_MAX_BYTES = 254
FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": "ESRI Shapefile"}
TEXTS: dict[str, Bilingual] = {
    "no_geometry": Bilingual("{count} 个没有几何图形的要素未导出", "{count} feature(s) without geometry were left out"),
    "renamed": Bilingual("字段 {field} 在 Shapefile 中名为 {name}（字段名最多 10 个字节）",
                         "field {field} is named {name} in the shapefile (10 bytes at most)"),
    "cut": Bilingual("字段 {field}：{count} 个超过 254 字节的值被截短",
                     "field {field}: {count} value(s) longer than 254 bytes were cut"),
    "time_as_text": Bilingual("字段 {field}：Shapefile 不能保存时刻，日期时间已写为文本（ISO 8601）",
                              "field {field}: a shapefile cannot hold times of day; the date-times were written "
                              "as text (ISO 8601)"),
    "boolean": Bilingual("字段 {field}：Shapefile 将布尔值存为逻辑型 T/F；gisapp 和新版 GDAL 读作布尔值，QGIS 3.22 读作文本",
                         "field {field}: a shapefile stores booleans as logicals (T/F); gisapp and newer GDAL read "
                         "them as booleans, QGIS 3.22 as text"),
    "time_zone": Bilingual("字段 {field}：时区已换算为 UTC", "field {field}: times were converted to UTC"),
}


def export_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise GisIOError(path, "export a layer as .geojson or .shp")
    return FORMATS[suffix]


def _cut_name(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` UTF-8 bytes, never inside a character."""
    return name.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Unique DBF field names of at most 10 UTF-8 bytes for ``columns``, cut on character
    boundaries (``地块编号`` is 12 bytes: ``地块编``), unique regardless of case as DBF readers
    compare them.

    >>> shapefile_field_names(["地块编号", "地块编码", "name"])
    {'地块编号': '地块编', '地块编码': '地块_1', 'name': 'name'}
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        name = _cut_name(column, DBF_NAME_MAX_BYTES)
        n = 1
        while name.lower() in used or not name:
            tail = f"_{n}"
            name = _cut_name(column, DBF_NAME_MAX_BYTES - len(tail)) + tail
            n += 1
        used.add(name.lower())
        out[column] = name
    return out


def _is_date_column(series: pd.Series) -> bool:
    """Dates, or date-times all at midnight: GDAL reads a GeoPackage or GeoJSON Date field as
    midnight date-times, and writing them back as dates loses nothing."""
    values = series.dropna()
    if series.dtype == object:
        return len(values) > 0 and all(isinstance(v, date) and not isinstance(v, datetime) for v in values)
    if not pd.api.types.is_datetime64_any_dtype(series.dtype) or isinstance(series.dtype, pd.DatetimeTZDtype):
        return False
    return bool((values == values.dt.normalize()).all()) and len(values) > 0


def _clean(frame: gpd.GeoDataFrame, driver: str, lang: str | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Drop rows without geometry; dates as dates, date-times the format can hold, other
    non-text objects as text. Returns the frame and what was changed."""
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)].copy()
    warnings: list[str] = []
    for column in frame.columns:
        if column == frame.geometry.name:
            continue
        series = frame[column]
        if _is_date_column(series):
            frame[column] = series.map(lambda v: v if v is None or pd.isna(v) else
                                       (v.date() if isinstance(v, datetime) else v)).astype(object)
        elif isinstance(series.dtype, pd.DatetimeTZDtype):
            warnings.append(TEXTS["time_zone"](lang).format(field=column))
            frame[column] = series.dt.tz_convert("UTC").dt.tz_localize(None)
            if driver != "GeoJSON":
                warnings.append(TEXTS["time_as_text"](lang).format(field=column))
        elif pd.api.types.is_datetime64_any_dtype(series.dtype) and driver != "GeoJSON":
            warnings.append(TEXTS["time_as_text"](lang).format(field=column))
        elif series.dtype == object:
            frame[column] = series.map(lambda v: v if v is None or isinstance(v, str | bool) else str(v))
    return frame, warnings


def export_layer(layer: VectorLayer, path: str | Path, lang: str | None = "en") -> list[str]:
    """Write ``layer`` to ``path`` (.geojson or .shp); returns warnings about changed data, in ``lang``.

    GeoJSON carries the layer's title as its ``name``; booleans stay booleans, dates are ISO
    dates. A shapefile keeps dates as DBF dates and booleans as DBF logicals.
    """
    path = Path(path)
    driver = export_format(path)
    frame, warnings = _clean(layer.frame, driver, lang)
    dropped = len(layer.frame) - len(frame)
    if dropped:
        warnings.insert(0, TEXTS["no_geometry"](lang).format(count=dropped))
    title = layer.title(lang or "zh") or layer.id
    try:
        if driver == "GeoJSON":
            frame = frame.to_crs(STORAGE_CRS)
            with atomic_path(path) as temp:
                # Through Arrow, so date columns become GeoJSON Date fields, not text.
                pyogrio.write_dataframe(frame, temp, layer=title, driver="GeoJSON", use_arrow=True,
                                        layer_options={"WRITE_BBOX": "YES"})
        else:
            warnings += _write_shapefile(frame, path, lang)
    except GisIOError:
        raise
    except Exception as exc:
        raise GisIOError(path, f"the layer could not be exported ({exc})") from exc
    return warnings


def _write_shapefile(frame: gpd.GeoDataFrame, path: Path, lang: str | None) -> list[str]:
    warnings: list[str] = []
    geom_name = frame.geometry.name
    columns = [c for c in frame.columns if c != geom_name]
    names = shapefile_field_names(columns)
    for column, name in names.items():
        if name != column:
            warnings.append(TEXTS["renamed"](lang).format(field=column, name=name))
        if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
            too_long = frame[column].dropna().map(
                lambda v: isinstance(v, str) and len(v.encode("utf-8")) > DBF_TEXT_MAX_BYTES)
            if too_long.any():
                warnings.append(TEXTS["cut"](lang).format(field=column, count=int(too_long.sum())))
                frame[column] = frame[column].map(
                    lambda v: v if not isinstance(v, str) else _cut_utf8(v, DBF_TEXT_MAX_BYTES))
        if pd.api.types.is_bool_dtype(frame[column].dtype):
            warnings.append(TEXTS["boolean"](lang).format(field=column))
        if pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
            frame[column] = frame[column].map(lambda v: None if pd.isna(v) else v.isoformat()).astype(object)
    frame = frame.rename(columns=names)
    # Every part is checked before any is written: a read-only .dbf must not leave a new
    # .shp beside the old attributes.
    previous = {suffix: check_writable(path.with_suffix(suffix)) for suffix in SHAPEFILE_PARTS}
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.stem}.", suffix=".tmpshp", dir=path.parent))
    try:
        temp = staging / path.name
        try:
            # Through Arrow, so dates become DBF dates and booleans DBF logicals.
            pyogrio.write_dataframe(frame, temp, driver="ESRI Shapefile", encoding="UTF-8", use_arrow=True)
            cpg = temp.with_suffix(".cpg")
            if not cpg.exists():
                cpg.write_text("UTF-8", encoding="ascii")
            for suffix in SHAPEFILE_PARTS:
                part = temp.with_suffix(suffix)
                if part.exists():
                    with open(part, "rb+") as handle:
                        os.fsync(handle.fileno())
                    keep_mode(part, previous[suffix])
        except Exception as exc:
            raise_if_no_space(path, exc)
            raise
        for suffix in SHAPEFILE_PARTS:
            part = temp.with_suffix(suffix)
            if part.exists():
                os.replace(part, path.with_suffix(suffix))
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
    return warnings


def _cut_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")
