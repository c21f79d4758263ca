"""Export one layer to GeoJSON or a Shapefile (UTF-8, with a .cpg), without losing data silently.

GeoJSON is written in EPSG:4326 (RFC 7946 coordinates) with full precision.
Shapefiles are written in the layer's CRS with UTF-8 attributes and a ``.cpg``
file saying so (QGIS and ArcGIS then read Chinese text correctly). The DBF format
limits field names to 10 characters and text to 254 bytes; names are shortened
predictably (``industries_zh`` -> ``industri_1``) and :func:`export_layer` returns
a warning for every name it changed and every value it had to cut.

Both formats are written next to the target first and moved into place, so an
interrupted export never leaves a half-written file under the target name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import pyogrio

from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.core.model.layer import VectorLayer
from gisapp.io.atomic import atomic_path, check_writable, keep_mode, raise_if_no_space
from gisapp.io.errors import GisIOError

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
DBF_NAME_MAX = 10
DBF_TEXT_MAX_BYTES = 254
FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": "ESRI Shapefile"}


def export_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise GisIOError(path, "export a layer as .geojson or .shp")
    return FORMATS[suffix]


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Unique DBF field names of at most 10 characters for ``columns``."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        name = column[:DBF_NAME_MAX]
        n = 1
        while name.lower() in used:
            tail = f"_{n}"
            name = column[:DBF_NAME_MAX - len(tail)] + tail
            n += 1
        used.add(name.lower())
        out[column] = name
    return out


def _clean(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop rows without geometry; make non-text object columns text."""
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)].copy()
    for column in frame.columns:
        if column != frame.geometry.name and frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return frame


def export_layer(layer: VectorLayer, path: str | Path) -> list[str]:
    """Write ``layer`` to ``path`` (.geojson or .shp); returns warnings about changed data."""
    path = Path(path)
    driver = export_format(path)
    frame = _clean(layer.frame)
    warnings: list[str] = []
    dropped = len(layer.frame) - len(frame)
    if dropped:
        warnings.append(f"{dropped} feature(s) without geometry were left out")
    try:
        if driver == "GeoJSON":
            frame = frame.to_crs(STORAGE_CRS)
            with atomic_path(path) as temp:
                pyogrio.write_dataframe(frame, temp, driver="GeoJSON", layer_options={"WRITE_BBOX": "YES"})
        else:
            warnings += _write_shapefile(frame, path)
    except GisIOError:
        raise
    except Exception as exc:
        raise GisIOError(path, f"the layer could not be exported ({exc})") from exc
    return warnings


def _write_shapefile(frame: gpd.GeoDataFrame, path: Path) -> list[str]:
    warnings: list[str] = []
    geom_name = frame.geometry.name
    columns = [c for c in frame.columns if c != geom_name]
    names = shapefile_field_names(columns)
    for column, name in names.items():
        if name != column:
            warnings.append(f"field {column} is named {name} in the shapefile (10 characters at most)")
        if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
            too_long = frame[column].dropna().astype(str).map(lambda v: len(v.encode("utf-8"))) > DBF_TEXT_MAX_BYTES
            if too_long.any():
                warnings.append(f"field {column}: {int(too_long.sum())} value(s) longer than 254 bytes were cut")
                frame[column] = frame[column].map(
                    lambda v: v if not isinstance(v, str) else _cut_utf8(v, DBF_TEXT_MAX_BYTES))
    frame = frame.rename(columns=names)
    # Every part is checked before any is written: a read-only .dbf must not leave a new
    # .shp beside the old attributes.
    previous = {suffix: check_writable(path.with_suffix(suffix)) for suffix in SHAPEFILE_PARTS}
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.stem}.", suffix=".tmpshp", dir=path.parent))
    try:
        temp = staging / path.name
        try:
            pyogrio.write_dataframe(frame, temp, driver="ESRI Shapefile", encoding="UTF-8")
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
