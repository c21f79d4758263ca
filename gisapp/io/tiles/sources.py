"""Basemap presets and the URL of one tile.

Every remote source is a URL template: XYZ as servers publish it, and WMTS as the KVP
``GetTile`` request of a GoogleMapsCompatible (EPSG:3857) tile matrix set, so one fetcher
serves both. Tianditu's key (``tk``) is the ``{key}`` placeholder, filled from the keyring at
request time and never stored with the project.

GCJ-02 sources (Gaode/AMap, Tencent, Baidu's BD-09) are refused: their tiles are shifted by
up to hundreds of metres from WGS 84, so the plan's shapes would land on the wrong streets.

>>> osm = preset("osm")
>>> tile_url(osm, Tile(3, 2, 2))
'https://tile.openstreetmap.org/2/3/2.png'
>>> refusal(TileSource("xyz", url="https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}"))[:40]
'autonavi.com serves GCJ-02 (shifted) til'
"""

from __future__ import annotations

import re
import string
from dataclasses import replace
from urllib.parse import urlsplit

from gisapp.core.geo.tiles import Tile
from gisapp.core.model.tile_layer import TileSource
from gisapp.core.texts import Bilingual

# OSM's tile usage policy asks for a User-Agent that identifies the application.
USER_AGENT = "gisapp/0.1 (desktop GIS for spatial planning; +https://github.com/gisapp/gisapp)"

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
TIANDITU_ATTRIBUTION = "© 天地图 Tianditu"
TIANDITU_KEY_SERVICE = "tianditu"
# Tianditu's tiles must be shown with the map review number (审图号) Tianditu publishes on its
# site; it changes every year or so, so the user confirms it in the Add basemap dialog.
TIANDITU_REVIEW_PREFIX = "审图号 "

_TIANDITU = ("https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
             "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
             "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{key}}")

# Tianditu layers: (base layer, annotation layers by language), see its WMTS service list.
TIANDITU_LAYERS = {
    "vec": ("vec", {"zh": "cva", "en": "eva"}),
    "img": ("img", {"zh": "cia", "en": "eia"}),
    "ter": ("ter", {"zh": "cta", "en": "cta"}),  # terrain has Chinese annotation only
}

PRESET_TITLES = {
    "osm": Bilingual("OpenStreetMap 标准地图", "OpenStreetMap standard"),
    "tianditu-vec": Bilingual("天地图 矢量", "Tianditu vector"),
    "tianditu-img": Bilingual("天地图 影像", "Tianditu imagery"),
    "tianditu-ter": Bilingual("天地图 地形", "Tianditu terrain"),
    "tianditu-cva": Bilingual("天地图 矢量注记（中文）", "Tianditu vector labels (Chinese)"),
    "tianditu-eva": Bilingual("天地图 矢量注记（英文）", "Tianditu vector labels (English)"),
    "tianditu-cia": Bilingual("天地图 影像注记（中文）", "Tianditu imagery labels (Chinese)"),
    "tianditu-eia": Bilingual("天地图 影像注记（英文）", "Tianditu imagery labels (English)"),
    "tianditu-cta": Bilingual("天地图 地形注记", "Tianditu terrain labels"),
}

# Hosts whose tiles are in GCJ-02 or BD-09, never WGS 84 (matched on the URL's host name).
SHIFTED_HOSTS = ("autonavi.com", "amap.com", "gaode.com", "map.qq.com", "gtimg.com", "bdimg.com",
                 "map.baidu.com", "bdstatic.com")

_FIELDS = {"x", "y", "z", "s", "r", "key", "-y"}


def preset(name: str, review_number: str = "") -> TileSource:
    """The source of a preset: ``osm`` or ``tianditu-<layer>`` (vec, img, ter, cva, eva, cia, eia, cta)."""
    if name == "osm":
        return TileSource("xyz", url="https://tile.openstreetmap.org/{z}/{x}/{y}.png", max_zoom=19,
                          attribution=OSM_ATTRIBUTION, preset="osm")
    if name.startswith("tianditu-") and name in PRESET_TITLES:
        layer = name.removeprefix("tianditu-")
        return TileSource("xyz", url=_TIANDITU.format(layer=layer), subdomains="01234567", min_zoom=1,
                          max_zoom=18, attribution=TIANDITU_ATTRIBUTION,
                          review_number=_review(review_number), key_service=TIANDITU_KEY_SERVICE,
                          preset=name)
    raise ValueError(f"unknown basemap preset {name!r}")


def _review(number: str) -> str:
    number = number.strip()
    if not number or number.startswith("审图号"):
        return number
    return TIANDITU_REVIEW_PREFIX + number


def tianditu_pair(kind: str, lang: str, review_number: str = "") -> list[tuple[str, TileSource]]:
    """A Tianditu base layer and its annotation layer in ``lang`` (top first, as in a layer tree)."""
    base, labels = TIANDITU_LAYERS[kind]
    return [(f"tianditu-{labels[lang]}", preset(f"tianditu-{labels[lang]}", review_number)),
            (f"tianditu-{base}", preset(f"tianditu-{base}", review_number))]


def wmts_template(base_url: str, layer: str, matrix_set: str, style: str = "default",
                  image_format: str = "image/png") -> str:
    """A KVP GetTile template for a WMTS layer whose matrix set is GoogleMapsCompatible."""
    joiner = "&" if "?" in base_url else "?"
    return (f"{base_url}{joiner}SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE={style}"
            f"&TILEMATRIXSET={matrix_set}&FORMAT={image_format}&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}")


def template_problem(url: str) -> str | None:
    """Why ``url`` is no usable tile template, or None."""
    if not url.strip():
        return "no URL"
    parts = urlsplit(url.replace("{", "").replace("}", ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "the URL must start with http:// or https://"
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(url) if name is not None}
    except ValueError:
        return "the URL has an unmatched { or }"
    unknown = names - _FIELDS
    if unknown:
        return f"unknown placeholder {{{sorted(unknown)[0]}}} (use {{z}}, {{x}}, {{y}}, {{s}}, {{r}})"
    if not {"z", "x"} <= names or not ({"y", "-y"} & names):
        return "the URL needs {z}, {x} and {y}"
    return None


def refusal(source: TileSource) -> str | None:
    """Why gisapp will not draw this source (a shifted GCJ-02 server, a broken template), or None."""
    if source.kind != "xyz":
        return None
    host = urlsplit(source.url.replace("{s}", "a")).hostname or ""
    for shifted in SHIFTED_HOSTS:
        if host == shifted or host.endswith("." + shifted):
            return (f"{shifted} serves GCJ-02 (shifted) tiles: WGS 84 data would be drawn up to "
                    "hundreds of metres off, so gisapp does not show them")
    return template_problem(source.url)


def tile_url(source: TileSource, tile: Tile, key: str = "", hidpi: bool = False) -> str:
    """The URL of one tile; ``{s}`` cycles through the subdomains by position."""
    subdomains = source.subdomains or "abc"
    values = {"z": tile.z, "x": tile.x, "y": tile.y, "-y": (2 ** tile.z) - 1 - tile.y,
              "s": subdomains[(tile.x + tile.y) % len(subdomains)], "r": "@2x" if hidpi else "",
              "key": key}
    return re.sub(r"\{(-y|[a-z]+)\}", lambda m: str(values.get(m.group(1), m.group(0))), source.url)


def has_hidpi(source: TileSource) -> bool:
    return "{r}" in source.url


def needs_key(source: TileSource) -> bool:
    return "{key}" in source.url


def with_review_number(source: TileSource, number: str) -> TileSource:
    return replace(source, review_number=_review(number))
