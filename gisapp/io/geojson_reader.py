"""GeoJSON feature by feature, for the files GDAL reads only in part or not at all.

GDAL reads a GeoJSON as a whole: one bad token (GBK text, nesting deeper than 32 levels)
makes the whole file unreadable; an element of ``features`` that is not an object is
dropped without a word; an unknown geometry type ("Circle") becomes a missing geometry.
Here the text is parsed with :mod:`json` and every feature's geometry is checked on its
own, so the good features load and each bad one gets its number and reason.

Files larger than :data:`CAREFUL_LIMIT` are left to GDAL alone: parsing them in Python
would take minutes and gigabytes. Above :data:`VERIFY_LIMIT`, what GDAL read is compared with
the text only when some geometry came back missing (to say why).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from gisapp.io.errors import GisIOError

CAREFUL_LIMIT = 64 * 1024 * 1024
VERIFY_LIMIT = 4 * 1024 * 1024  # below this, what GDAL read is checked against the text
MAX_COLLECTION_DEPTH = 16

# How deep positions sit in each geometry type's "coordinates".
_POSITION_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
                   "MultiPolygon": 3}


@dataclass
class Document:
    """The parsed file: the elements of ``features`` (or the one Feature or geometry)."""

    elements: list[Any]  # parsed JSON: anything
    crs_text: str = ""  # the "crs" member's name (GeoJSON 2008), e.g. urn:ogc:def:crs:EPSG::4529
    not_utf8: bool = False
    collection_kind: str = "FeatureCollection"

    @property
    def objects(self) -> list[tuple[int, dict[str, Any]]]:
        """(1-based number, element) of the elements that are JSON objects, which GDAL reads."""
        return [(number, element) for number, element in enumerate(self.elements, start=1)
                if isinstance(element, dict)]


def decode(raw: bytes, encoding: str = "") -> tuple[str, bool]:
    """The text and whether it was not UTF-8 (then read as GB18030, which covers GBK)."""
    if encoding:
        return raw.decode(encoding), False
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), True
    except UnicodeDecodeError as exc:
        raise ValueError("the text is neither UTF-8 nor GBK") from exc


def _json_error(text: str, exc: json.JSONDecodeError) -> str:
    message = exc.msg.removesuffix(" starting at")
    if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith(("Unterminated", "Expecting")) \
            and exc.pos >= len(text.rstrip()) - 64:
        return f"the file ends early (truncated?): {message} (line {exc.lineno}, column {exc.colno})"
    return f"not valid JSON: {message} (line {exc.lineno}, column {exc.colno})"


def _constant(_text: str) -> float:
    return 0.0


def read_document(path: Path, encoding: str = "", cheap_numbers: bool = False) -> Document:
    """Parse the file (at most CAREFUL_LIMIT bytes). ``cheap_numbers`` reads every number as 0:
    enough to count features and see geometry types, and much lighter on memory.

    Raises GisIOError with the JSON problem (line and column; 'ends early' for a cut file).
    """
    size = path.stat().st_size
    if size > CAREFUL_LIMIT:
        raise GisIOError(path, f"the file is too large ({size / 2**20:.0f} MB) to be read feature by feature")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GisIOError(path, f"the file cannot be read ({exc.strerror or exc})") from None
    try:
        text, not_utf8 = decode(raw, encoding)
    except (ValueError, UnicodeDecodeError) as exc:
        raise GisIOError(path, f"not GeoJSON text: {exc}") from None
    text = text.lstrip("\ufeff")
    try:
        if cheap_numbers:
            data = json.loads(text, parse_float=_constant, parse_int=_constant, parse_constant=_constant)
        else:
            data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GisIOError(path, _json_error(text, exc)) from None
    except RecursionError:
        raise GisIOError(path, "not readable: the JSON is nested too deeply") from None
    return _document(path, data, not_utf8)


def _document(path: Path, data: Any, not_utf8: bool) -> Document:
    if isinstance(data, list):
        return Document(data, "", not_utf8, "array")
    if not isinstance(data, dict):
        raise GisIOError(path, f"not GeoJSON: the file holds a JSON {_json_type(data)}, not an object")
    kind = data.get("type")
    names_crs = _crs_text(data.get("crs"))
    if kind == "FeatureCollection" or "features" in data:
        features = data.get("features")
        if not isinstance(features, list):
            raise GisIOError(path, "not GeoJSON: the FeatureCollection has no list of features")
        return Document(features, names_crs, not_utf8)
    if kind == "Feature":
        return Document([data], names_crs, not_utf8, "Feature")
    if kind in _POSITION_DEPTH or kind == "GeometryCollection":
        return Document([{"type": "Feature", "properties": {}, "geometry": data}], names_crs, not_utf8, "geometry")
    raise GisIOError(path, "not GeoJSON: the top-level object is not a FeatureCollection, Feature or geometry")


def _crs_text(member: Any) -> str:
    """The CRS a GeoJSON 2008 "crs" member names ('' if none, or a form gisapp cannot use)."""
    if not isinstance(member, dict):
        return "" if member is None else str(member)[:200]
    properties = member.get("properties")
    if isinstance(properties, dict):
        name = properties.get("name") or properties.get("code")
        if member.get("type") == "EPSG" and name is not None:
            return f"EPSG:{name}"
        if name is not None:
            return str(name)[:200]
    return json.dumps(member)[:200]


# Details of rejections: keys of load_report.DETAIL_TEXTS.
SHORT_POSITION, NOT_NUMBERS, NESTED_WRONGLY = "short_position", "not_numbers", "nested_wrongly"
NOT_AN_OBJECT, NO_GEOMETRIES, TOO_DEEP, NO_COORDINATES = "not_an_object", "no_geometries", "too_deep", "no_coordinates"
LINE, RING = "line", "ring"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def not_a_feature_detail(element: Any) -> str:
    return f"json_{_json_type(element)}"


# --- geometry checks -----------------------------------------------------------------------
def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _position_problem(position: Any) -> tuple[str, str] | None:
    if not isinstance(position, list) or len(position) < 2:
        return "bad_coordinates", SHORT_POSITION
    if not all(_is_number(value) for value in position):
        return "bad_coordinates", NOT_NUMBERS
    if not all(math.isfinite(value) for value in position[:2]):
        return "non_finite", ""
    return None


def _positions(coordinates: Any, depth: int) -> Iterator[tuple[str, Any]]:
    """Yield the lists at ``depth - 1`` (lists of positions), or the position itself at depth 0;
    a problem tuple instead where the nesting is wrong."""
    stack = [(coordinates, depth)]
    while stack:
        item, level = stack.pop()
        if level == 0:
            yield ("position", item)
            continue
        if not isinstance(item, list):
            yield ("problem", ("bad_coordinates", NESTED_WRONGLY))
            return
        if level == 1:
            yield ("positions", item)
            continue
        stack.extend((child, level - 1) for child in reversed(item))


def geometry_problem(geometry: Any, depth: int = 0) -> tuple[str, str] | None:
    """(code, detail) of what is wrong with a GeoJSON geometry object, or None if it is sound.

    >>> geometry_problem({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0.5]]]})
    ('unclosed_ring', '')
    >>> geometry_problem({"type": "Point", "coordinates": [float("nan"), 1]})
    ('non_finite', '')
    >>> geometry_problem({"type": "Circle", "coordinates": [1, 2]})
    ('unsupported_type', "'Circle'")
    """
    if geometry is None:
        return "no_geometry", ""
    if not isinstance(geometry, dict):
        return "invalid_geometry", NOT_AN_OBJECT
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        if not isinstance(parts, list):
            return "invalid_geometry", NO_GEOMETRIES
        if depth >= MAX_COLLECTION_DEPTH:
            return "invalid_geometry", TOO_DEEP
        if not parts:
            return "empty_geometry", ""
        for part in parts:
            problem = geometry_problem(part, depth + 1)
            if problem is not None and problem[0] != "empty_geometry":
                return problem
        return None
    if kind not in _POSITION_DEPTH:
        return "unsupported_type", repr(kind) if isinstance(kind, str) else "(none)"
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return "bad_coordinates", NO_COORDINATES
    if not coordinates:
        return "empty_geometry", ""
    for what, item in _positions(coordinates, _POSITION_DEPTH[kind]):
        if what == "problem":
            return item
        if what == "position":
            problem = _position_problem(item)
            if problem:
                return problem
            continue
        for position in item:
            problem = _position_problem(position)
            if problem:
                return problem
        if kind in ("LineString", "MultiLineString") and len(item) < 2:
            return "too_few_points", LINE
        if kind in ("Polygon", "MultiPolygon"):
            if len(item) < 4:
                return "too_few_points", RING
            if item[0][:2] != item[-1][:2]:
                return "unclosed_ring", ""
    return None


# --- the careful reader ---------------------------------------------------------------------
@dataclass
class CarefulRead:
    frame: gpd.GeoDataFrame
    numbers: np.ndarray  # 1-based number in the file of each row of frame
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (number, code, detail)


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**63:
        return str(value)  # no integer column holds it; keep every digit as text
    return value


def _column(values: list[Any]) -> pd.Series:
    """One column of one type, as GDAL makes it: numbers stay numbers, a column that mixes
    text with anything else becomes text."""
    present = [value for value in values if value is not None]
    if present and all(_is_number(v) for v in present):
        return pd.Series([math.nan if v is None else v for v in values])
    if present and all(isinstance(v, bool) for v in present) and len(present) == len(values):
        return pd.Series(values, dtype=bool)
    return pd.Series([None if v is None else v if isinstance(v, str) else json.dumps(v) for v in values],
                     dtype=object)


def read_features(document: Document) -> CarefulRead:
    """Build a frame from the sound features; list the others with their number and reason."""
    rejected: list[tuple[int, str, str]] = []
    geometries, records, numbers = [], [], []
    for number, element in enumerate(document.elements, start=1):
        if not isinstance(element, dict):
            rejected.append((number, "not_a_feature", not_a_feature_detail(element)))
            continue
        geometry = element.get("geometry")
        problem = geometry_problem(geometry)
        if problem is not None or not isinstance(geometry, dict):  # sound geometries are objects
            rejected.append((number, *(problem or ("invalid_geometry", NOT_AN_OBJECT))))
            continue
        try:
            shape = shapely.geometry.shape(geometry)
        except Exception as exc:  # shapely's constructors raise several types
            rejected.append((number, "invalid_geometry", str(exc).splitlines()[0][:120]))
            continue
        properties = element.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        if "id" in element and "id" not in properties and not isinstance(element["id"], (dict, list)):
            properties = {"id": element["id"], **properties}
        geometries.append(shape)
        records.append({str(key): _cell(value) for key, value in properties.items()})
        numbers.append(number)
    columns: dict[str, list[Any]] = {}
    for record in records:
        for key in record:
            columns.setdefault(key, [])
    data = {key: _column([record.get(key) for record in records]) for key in columns}
    frame = gpd.GeoDataFrame(pd.DataFrame(data, index=pd.RangeIndex(len(records))),
                             geometry=gpd.GeoSeries(np.array(geometries, dtype=object)), crs=None)
    return CarefulRead(frame, np.array(numbers, dtype=np.int64), rejected)
