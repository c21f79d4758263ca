"""Open vector files users bring: GeoPackage, GeoJSON and Shapefile (GBK-aware)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pyogrio

from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.core.model.layer import VectorLayer, geometry_family
from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.io.errors import GisIOError

SUPPORTED_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp")

# Shapefile DBF language-driver ids that name a Chinese code page.
_LDID_ENCODINGS = {0x4D: "cp936", 0x7A: "cp936", 0x78: "cp950", 0x57: None}

_DEFAULT_SYMBOLS = {
    "point": Symbol(fill="#e6550d", fill_opacity=0.9, stroke="#ffffff", stroke_width=1.0, size=7),
    "line": Symbol(fill="#000000", fill_opacity=0.0, stroke="#d94801", stroke_width=2.0),
    "polygon": Symbol(fill="#74a9cf", fill_opacity=0.4, stroke="#045a8d", stroke_width=1.0),
}


def detect_dbf_encoding(shp_path: Path) -> str:
    """Encoding of a shapefile's attributes.

    Trust a .cpg file; otherwise the DBF language driver byte; otherwise decode the
    records: valid UTF-8 is UTF-8, else GBK (the usual encoding of Chinese
    shapefiles written without a .cpg), else Latin-1.
    """
    cpg = shp_path.with_suffix(".cpg")
    if not cpg.exists():
        cpg = shp_path.with_suffix(".CPG")
    if cpg.exists():
        declared = cpg.read_text(encoding="ascii", errors="ignore").strip()
        if declared:
            return _normalise_codepage(declared)
    dbf = shp_path.with_suffix(".dbf")
    if not dbf.exists():
        dbf = shp_path.with_suffix(".DBF")
    if not dbf.exists():
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


def open_vector_file(path: str | Path) -> list[VectorLayer]:
    """Read every layer of a supported file as VectorLayers (user group, default style).

    Raises GisIOError with the file name and the problem for anything unreadable.
    """
    path = Path(path)
    if not path.exists():
        raise GisIOError(path, "the file does not exist")
    if path.is_dir():
        raise GisIOError(path, "this is a folder, not a vector file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise GisIOError(path, f"unsupported file type {suffix or '(none)'}; "
                               f"open GeoPackage, GeoJSON or Shapefile ({', '.join(SUPPORTED_SUFFIXES)})")
    try:
        layer_names = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises several DataSourceError types
        raise GisIOError(path, f"not a readable vector file ({_short(exc)})") from exc
    encoding = detect_dbf_encoding(path) if suffix == ".shp" else None

    layers = []
    for name in layer_names:
        try:
            frame = pyogrio.read_dataframe(path, layer=name, encoding=encoding)
        except Exception as exc:
            raise GisIOError(path, f"layer {name!r} could not be read ({_short(exc)})") from exc
        if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
            continue  # attribute-only tables (e.g. project metadata) are not map layers
        if frame.crs is None:
            # GeoJSON without crs is WGS84 by RFC 7946; elsewhere say what we assumed.
            frame = frame.set_crs(STORAGE_CRS)
        frame = frame[~frame.geometry.isna()].reset_index(drop=True)
        title = name if (suffix == ".gpkg" or len(layer_names) > 1) else path.stem
        family = geometry_family(frame) if len(frame) else "polygon"
        layers.append(VectorLayer(
            id=_slug(title), title_zh=title, title_en=title, frame=frame,
            style=SingleStyle(_DEFAULT_SYMBOLS[family]),
            label_field=_guess_label_field(frame),
            metadata={"source_path": str(path), "source_layer": name,
                      "encoding": encoding or "", "source_crs": frame.crs.to_string()},
        ))
    if not layers:
        raise GisIOError(path, "the file has no layer with geometries")
    return layers


def _guess_label_field(frame: gpd.GeoDataFrame) -> str:
    lowered = {c.lower(): c for c in frame.columns}
    for candidate in ("name_zh", "name", "名称", "name_en", "title", "mc"):
        if candidate in lowered:
            return lowered[candidate]
    return ""


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
