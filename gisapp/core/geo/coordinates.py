"""Coordinates of a point in any CRS: conversion, DD and DMS texts, and typed input (no Qt).

The Dalian High-tech Zone lies on 121.5°E, the border between two CGCS2000 3-degree
Gauss-Krüger zones: zone 40 (central meridian 120°E, EPSG:4549 without the zone number in
front of the easting, EPSG:4528 with it) ends there and zone 41 (123°E, EPSG:4550 /
EPSG:4529) begins. Both are offered, with and without the zone prefix.

>>> x, y = convert(121.6, 38.9, "EPSG:4326", "EPSG:4550")
>>> round(x, 1), round(y, 1)
(378549.9, 4308334.4)
>>> format_dms(121.6, 38.9)
'121°36′00.00″E, 38°54′00.00″N'
>>> parse_point("121°36′E 38°54′N", "EPSG:4326")
(121.6, 38.9)
>>> gauss_kruger_zone(121.6), gauss_kruger_zone(121.4)
(41, 40)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pyproj import CRS
from pyproj.exceptions import CRSError

from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point
from gisapp.core.texts import Bilingual

# Offered beside the canvas CRS, in this order (any EPSG code can be added).
PRESET_CRSS = ("EPSG:4326", "EPSG:4490", "EPSG:4549", "EPSG:4550", "EPSG:4528", "EPSG:4529")

PROBLEMS = {
    "empty": Bilingual("请输入坐标，例如 {example}", "Type a coordinate, e.g. {example}"),
    "count": Bilingual("需要两个数（x, y），得到 {count} 个", "Two numbers are needed (x, y); got {count}"),
    "number": Bilingual("“{text}”不是数字", "“{text}” is not a number"),
    "latitude": Bilingual("纬度 {value} 超出 ±90°（请先输入经度，再输入纬度）",
                          "Latitude {value} is beyond ±90° (type the longitude first, then the latitude)"),
    "longitude": Bilingual("经度 {value} 超出 ±180°", "Longitude {value} is beyond ±180°"),
    "outside": Bilingual("该点不在 {crs} 的适用范围内（经度 {west}°–{east}°，纬度 {south}°–{north}°）",
                         "The point lies outside the area {crs} is made for (longitude {west}° to "
                         "{east}°, latitude {south}° to {north}°)"),
    "zone_prefix": Bilingual("{crs} 的横坐标（东坐标）前带有带号：应以 {zone} 开头，例如 {example}",
                             "{crs} eastings carry the zone number in front: they start with {zone}, "
                             "e.g. {example}"),
    "no_place": Bilingual("该坐标在 {crs} 中无法换算为经纬度", "These coordinates cannot be placed in {crs}"),
    "crs": Bilingual("未知的坐标系“{text}”：请输入 EPSG 代码，例如 4549", "Unknown CRS “{text}”: type an "
                     "EPSG code, e.g. 4549"),
}


@dataclass
class CoordinateError(ValueError):
    """Why typed text is no usable coordinate or CRS: a key of :data:`PROBLEMS` and its values."""

    key: str
    params: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return PROBLEMS[self.key](lang).format(**self.params)

    def __str__(self) -> str:
        return self.text("en")


@lru_cache(maxsize=128)
def _crs(code: str) -> CRS:
    return CRS.from_user_input(code)


def parse_crs(text: str) -> str:
    """``"4549"``, ``"epsg:4549"`` or ``"EPSG 4549"`` as ``"EPSG:4549"``; other authorities and
    WKT as pyproj reads them. CoordinateError("crs") for anything pyproj does not know."""
    cleaned = text.strip()
    match = re.fullmatch(r"(?i)(?:epsg\s*[:：]?\s*)?(\d{4,6})", cleaned)
    code = f"EPSG:{match.group(1)}" if match else cleaned
    if not code:
        raise CoordinateError("crs", {"text": text})
    try:
        crs = _crs(code)
    except CRSError:
        raise CoordinateError("crs", {"text": text}) from None
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else code


def is_geographic(crs: str) -> bool:
    return bool(_crs(crs).is_geographic)


def crs_name(crs: str) -> str:
    return str(_crs(crs).name)


def convert(x: float, y: float, source: str, target: str) -> tuple[float, float]:
    """(x, y) in ``source`` as (x, y) in ``target`` (lon/lat order for geographic CRSs);
    CoordinateError("no_place") when PROJ gives no finite answer."""
    try:
        out = transform_point(x, y, source, target)
    except Exception:  # pyproj raises ProjError for points it cannot transform
        raise CoordinateError("no_place", {"crs": target}) from None
    if not all(math.isfinite(v) for v in out):
        raise CoordinateError("no_place", {"crs": target})
    return float(out[0]), float(out[1])


def gauss_kruger_zone(lon: float) -> int:
    """The CGCS2000 3-degree zone number for a longitude (zone n: central meridian 3n°E;
    121.5°E, a zone border, belongs to zone 41 as EPSG:4550's area of use does)."""
    return int(math.floor((lon + 1.5) / 3.0))


def format_dd(lon: float, lat: float, decimals: int = 6) -> str:
    return f"{lon:.{decimals}f}, {lat:.{decimals}f}"


def _dms(value: float, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    seconds_total = round(abs(value) * 3600, 2)
    degrees, rest = divmod(seconds_total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{int(degrees)}°{int(minutes):02d}′{seconds:05.2f}″{hemisphere}"


def format_dms(lon: float, lat: float) -> str:
    """Degrees, minutes and seconds to 0.01″ (about 0.3 m), with hemispheres."""
    return f"{_dms(lon, 'E', 'W')}, {_dms(lat, 'N', 'S')}"


def format_projected(x: float, y: float) -> str:
    return f"{x:.3f}, {y:.3f}"


def format_point(x: float, y: float, crs: str) -> tuple[str, str]:
    """(decimal text, DMS text or '') of a point given in ``crs``."""
    if is_geographic(crs):
        return format_dd(x, y), format_dms(x, y)
    return format_projected(x, y), ""


_DMS_PART = re.compile(
    r"""(?P<deg>[-+]?\d+(?:\.\d+)?)\s*(?:°|度|d)?\s*
        (?:(?P<min>\d+(?:\.\d+)?)\s*(?:′|'|分|m)\s*)?
        (?:(?P<sec>\d+(?:\.\d+)?)\s*(?:″|"|''|秒|s)\s*)?
        (?P<hem>[NSEWnsew])?""", re.VERBOSE)


def _number(token: str) -> float:
    token = token.strip()
    plain = token.replace(" ", "")
    try:
        return float(plain)
    except ValueError:
        pass
    match = _DMS_PART.fullmatch(token)
    if not match or not (match.group("min") or match.group("sec") or match.group("hem") or "°" in token):
        raise CoordinateError("number", {"text": token})
    value = float(match.group("deg"))
    sign = -1.0 if value < 0 else 1.0
    value = abs(value) + float(match.group("min") or 0) / 60 + float(match.group("sec") or 0) / 3600
    if (match.group("hem") or "").upper() in ("S", "W"):
        sign = -sign
    return sign * value


def _tokens(text: str) -> list[str]:
    """Split at commas or semicolons (also full-width), else at spaces between numbers."""
    parts = [p for p in re.split(r"[,;，；]", text) if p.strip()]
    if len(parts) == 1:
        # "121.5 38.9" or "121°30′E 38°54′N": a space after a number that ends a coordinate.
        parts = [p for p in re.split(r"(?<=[\d.″\"'′NSEWnsew])\s+(?=[-+]?\d)", text.strip()) if p.strip()]
    return parts


def parse_point(text: str, crs: str) -> tuple[float, float]:
    """Typed ``x, y`` in ``crs`` (lon, lat for geographic CRSs; DMS allowed) as numbers,
    checked against the CRS's area of use; CoordinateError saying why not."""
    geographic = is_geographic(crs)
    if not text.strip():
        raise CoordinateError("empty", {"example": "121.6, 38.9" if geographic else "378549.9, 4308334.4"})
    tokens = _tokens(text)
    if len(tokens) != 2:
        raise CoordinateError("count", {"count": len(tokens)})
    x, y = _number(tokens[0]), _number(tokens[1])
    if geographic:
        if not -90 <= y <= 90:
            raise CoordinateError("latitude", {"value": f"{y:g}"})
        if not -180 <= x <= 180:
            raise CoordinateError("longitude", {"value": f"{x:g}"})
    check_in_area(x, y, crs)
    return x, y


def check_in_area(x: float, y: float, crs: str) -> None:
    """CoordinateError when (x, y) in ``crs`` lies outside the CRS's area of use (with the
    zone prefix named for Gauss-Krüger zones whose eastings carry it)."""
    parsed = _crs(crs)
    zone = _zone_prefix(parsed)
    if zone is not None and not zone * 1e6 <= x < (zone + 1) * 1e6:
        raise CoordinateError("zone_prefix", {"crs": crs, "zone": zone, "example": f"{zone}500000, 4300000"})
    lon, lat = convert(x, y, crs, STORAGE_CRS)
    area = parsed.area_of_use
    if area is None:
        return
    west, south, east, north = area.bounds
    margin = 0.5  # a zone is used a little beyond its border
    if west - margin <= lon <= east + margin and south - margin <= lat <= north + margin:
        return
    raise CoordinateError("outside", {"crs": crs, "west": f"{west:g}", "east": f"{east:g}",
                                      "south": f"{south:g}", "north": f"{north:g}"})


def _zone_prefix(crs: CRS) -> int | None:
    """The zone number in front of the easting (false easting zone*1e6 + 500 km), or None."""
    try:
        params = {p.name: p.value for p in crs.coordinate_operation.params} if crs.coordinate_operation else {}
    except AttributeError:
        return None
    easting: object = params.get("False easting")
    if not isinstance(easting, int | float) or easting < 1e6:
        return None
    zone, rest = divmod(float(easting), 1e6)
    return int(zone) if abs(rest - 500000) < 1 else None
