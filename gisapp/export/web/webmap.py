"""Export a project to one interactive Leaflet web map (HTML), built with folium.

The page carries the desktop styles (through ``Style.assign``/``symbols``, the same model
the canvas paints with), labels, a layer tree grouped like the desktop one with per-layer
opacity, a legend that follows layer visibility, an info panel with attributes and linked
plan indicators, search, measure, fullscreen, scale bar and mini-map.

Self-contained mode (the default) inlines every script and stylesheet from installed
packages (see :mod:`gisapp.export.web.assets`), so the file opens with the network cut.
Linked mode keeps folium's CDN links for a smaller file.

Example
-------
>>> from gisapp.io.catalogue import load_catalogue
>>> from gisapp.export.web.webmap import WebMapOptions, export_web_map
>>> export_web_map(load_catalogue(), "dalian.html", WebMapOptions(lang="en"))  # doctest: +SKIP
PosixPath('dalian.html')
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import shapely

from gisapp.core.analysis.classify import (
    STYLE_SPEC_KEY,
    indicator_values,
    linked_layers,
    progress_status_style,
    style_by_progress,
)
from gisapp.core.geo.tiles import Tile, lonlat_bounds_tiles
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import Style
from gisapp.core.model.tile_layer import TileSource
from gisapp.core.plan.monitoring import actual_years
from gisapp.core.texts import LANGUAGES, Bilingual, html_lang, pick, pick_all
from gisapp.export.web import assets
from gisapp.export.web.webdata import (
    HEADER_FIELDS,
    OTHER_LABEL,
    EncodeSettings,
    IndicatorIndex,
    drawable_lonlat,
    encode_layer,
    lonlat_geometries,
)
from gisapp.io.tiles.mbtiles import FORMATS, MBTilesReader
from gisapp.io.tiles.sources import needs_key, refusal
from gisapp.paths import resources_dir

BASEMAP_CHOICES = ("none", "osm", "positron", "tianditu", "xyz", "mbtiles")
EMBED_MARGIN = 0.5  # an embedded MBTiles basemap covers the exported extent and half of it each side
OFFLINE_BASE_GROUP = "base"  # the bundled land/sea layers: the offline background
SEA_COLOUR = "#aad3df"  # as on the desktop canvas

# Tile sources. Each is in Web Mercator on the WGS84/CGCS2000 datum, so lon/lat data lines
# up without shifting. Gaode/AMap (GCJ-02) is deliberately absent: drawing WGS84 data on
# GCJ-02 tiles unshifted misplaces it by hundreds of metres.
BASEMAPS = {
    "osm": {
        "title": Bilingual("OpenStreetMap", "OpenStreetMap"),
        "hosts": ["https://tile.openstreetmap.org"],
        "tiles": [{"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "subdomains": "abc",
                   "maxZoom": 19,
                   "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors (ODbL)'}],
    },
    "positron": {
        "title": Bilingual("CartoDB Positron 浅色", "CartoDB Positron"),
        "hosts": ["https://*.basemaps.cartocdn.com"],
        "tiles": [{"url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png", "subdomains": "abcd",
                   "maxZoom": 20,
                   "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors (ODbL) &copy; <a href="https://carto.com/attributions">CARTO</a>'}],
    },
    "tianditu": {
        "title": Bilingual("天地图", "Tianditu"),
        "hosts": ["https://*.tianditu.gov.cn"],
        "tiles": [],  # built with the user's key, see _basemap_json
    },
}
_TIANDITU = ("https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
             "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
             "&TILECOL={{x}}&tk={key}")

PAGE_TEXTS = {  # what the page script shows, picked in the export's language
    "layers": Bilingual("图层", "Layers"),
    "legend": Bilingual("图例", "Legend"),
    "opacity": Bilingual("不透明度", "Opacity"),
    "basemap": Bilingual("底图", "Basemap"),
    "toggleGroup": Bilingual("展开/折叠", "Expand/collapse"),
    "close": Bilingual("关闭", "Close"),
    "industries": Bilingual("重点产业", "Priority industries"),
    "measures": Bilingual("量算", "Measures"),
    "area": Bilingual("面积（椭球面）", "Area (ellipsoidal)"),
    "perimeter": Bilingual("周长", "Perimeter"),
    "length": Bilingual("长度（测地线）", "Length (geodesic)"),
    "hectares": Bilingual("公顷", "ha"),
    "indicators": Bilingual("规划指标", "Plan indicators"),
    "noIndicators": Bilingual("此要素没有关联的规划指标。", "No plan indicator is linked to this feature."),
    "attributes": Bilingual("属性", "Attributes"),
    "baseline": Bilingual("基期值", "Baseline"),
    "noBaseline": Bilingual("规划未给出基期值", "not given in the plan"),
    "target": Bilingual("目标值", "Target"),
    "actual": Bilingual("最新实际值", "Latest actual"),
    "actualHere": Bilingual("本区域最新值", "Latest value here"),
    "expected": Bilingual("按进度应达位置", "Where the plan's path expects it"),
    "avgGrowth": Bilingual("年均增长（实际/目标）", "Average growth (actual / target)"),
    "completion": Bilingual("完成情况", "Completion"),
    "progress": Bilingual("完成进度", "Progress"),
    "source": Bilingual("来源", "Source"),
    "searchPlaceholder": Bilingual("搜索区域名称…", "Search zone names…"),
    "searchNotFound": Bilingual("未找到", "Not found"),
    "cancel": Bilingual("取消", "Cancel"),
    "hideMiniMap": Bilingual("隐藏鹰眼图", "Hide overview"),
    "showMiniMap": Bilingual("显示鹰眼图", "Show overview"),
    "fullscreen": Bilingual("全屏", "Full screen"),
    "zoomIn": Bilingual("放大", "Zoom in"),
    "zoomOut": Bilingual("缩小", "Zoom out"),
    "present": Bilingual("演示模式（Esc 退出）", "Presentation mode (Esc leaves)"),
    "asOf": Bilingual("截至年份", "As of year"),
    "asOfYear": Bilingual("截至 {year} 年", "As of {year}"),
    "exitPresent": Bilingual("退出演示模式", "Leave presentation mode"),
    "downloadPng": Bilingual("下载当前视图 PNG", "Download a PNG of this view"),
    "pngFailed": Bilingual("无法生成图片：底图服务器不允许读取其瓦片。",
                           "Could not make the image: the basemap's server does not allow reading its tiles."),
    "exitFullscreen": Bilingual("退出全屏", "Exit full screen"),
    "quality": {
        "schematic": Bilingual("示意范围：依据规划文本绘制，非测绘成果",
                               "Schematic shape: placed from the plan text, not surveyed"),
        "approximate": Bilingual("近似范围", "Approximate shape"),
        "surveyed": Bilingual("测绘范围", "Surveyed shape"),
    },
    "relations": {
        "carries": Bilingual("承载", "carries"),
        "contributes": Bilingual("贡献", "contributes"),
        "monitored": Bilingual("监测值", "monitored values"),
    },
    "completions": {
        "completed": Bilingual("已完成", "completed"),
        "not_completed": Bilingual("未完成", "not completed"),
        "exceeded": Bilingual("超额完成", "exceeded"),
    },
}
SCHEMATIC_NOTE = Bilingual("多数范围为依据规划文本绘制的示意图，非测绘成果",
                           "Most shapes are schematic, placed from the plan text, not surveyed")
EXPORTED_BY = Bilingual("gisapp 导出 {date}", "Exported by gisapp {date}")


@dataclass
class WebMapOptions:
    """What to export and how.

    ``layer_ids`` None means the layers visible on the canvas (without the bundled
    land/sea background when a tile basemap replaces it). Tolerances are in metres;
    ``layer_simplify_m`` overrides ``simplify_m`` per layer id.
    """

    layer_ids: list[str] | None = None
    basemap: str = "none"
    lang: str = "zh"
    self_contained: bool = True
    tianditu_key: str = ""
    title: str = ""
    subtitle: str | None = None  # None: a note on schematic shapes when there are any
    simplify_m: float = 1.0
    layer_simplify_m: dict[str, float] = field(default_factory=dict)
    precision: int | None = None
    labels: bool = True
    search: bool = True
    minimap: bool = True
    measure: bool = True
    fullscreen: bool = True
    drop_fields: tuple[str, ...] = ()
    # basemap "xyz": a user's tile source (as on the desktop); "mbtiles": an MBTiles file whose
    # tiles of the exported extent and zoom range are embedded in the page.
    basemap_source: TileSource | None = None
    mbtiles_zooms: tuple[int, int] = (0, 14)
    style_by_progress: bool = False  # plan zones coloured by the status of their indicators

    def validate(self) -> None:
        if self.basemap not in BASEMAP_CHOICES:
            raise ValueError(f"basemap must be one of {', '.join(BASEMAP_CHOICES)}, not {self.basemap!r}")
        if self.lang not in LANGUAGES:
            raise ValueError(f"lang must be 'zh' or 'en', not {self.lang!r}")
        if self.basemap == "tianditu" and not re.fullmatch(r"[0-9A-Za-z]{8,64}", self.tianditu_key or ""):
            raise ValueError("the Tianditu basemap needs your Tianditu key (letters and digits)")
        if self.basemap in ("xyz", "mbtiles"):
            source = self.basemap_source
            if source is None or source.kind != self.basemap:
                raise ValueError(f"the {self.basemap} basemap needs its source")
            problem = refusal(source)
            if problem:
                raise ValueError(problem)
            if self.basemap == "xyz" and needs_key(source):
                raise ValueError("a tile URL with a {key} cannot be exported: the key would be in the page")
            low, high = self.mbtiles_zooms
            if not 0 <= low <= high <= 22:
                raise ValueError("the zoom range must be two levels from 0 to 22, the first not above the second")
        if self.simplify_m < 0 or any(v < 0 for v in self.layer_simplify_m.values()):
            raise ValueError("simplification tolerances cannot be negative")

    def tolerance_for(self, layer_id: str) -> float:
        return float(self.layer_simplify_m.get(layer_id, self.simplify_m))


def selected_layers(project: Project, options: WebMapOptions) -> list[VectorLayer]:
    """The layers to export, bottom first (canvas paint order); with ``style_by_progress``,
    copies of the plan zones coloured by the status of their linked indicators."""
    if options.layer_ids is not None:
        wanted = set(options.layer_ids)
        unknown = wanted - {layer.id for layer in project.vector_layers()}
        if unknown:
            raise KeyError(f"unknown layer id(s): {', '.join(sorted(unknown))}")
        chosen = [layer for layer in project.render_order() if layer.id in wanted]
    else:
        chosen = [layer for layer in project.render_order() if layer.visible
                  and not (options.basemap != "none" and layer.group == OFFLINE_BASE_GROUP)]
    if options.style_by_progress:
        linked = {layer.id for layer in linked_layers(project)}
        chosen = [_progress_copy(layer, project) if layer.id in linked else layer for layer in chosen]
    return chosen


def _progress_copy(layer: VectorLayer, project: Project) -> VectorLayer:
    copy = VectorLayer(layer.id, layer.title_zh, layer.title_en, layer.frame.copy(),
                       Style.from_dict(layer.style.to_dict()), layer.group, layer.visible, 1.0,
                       layer.label_field, dict(layer.metadata), label_style=layer.label_style)
    column = style_by_progress(copy, project.indicators)
    years = actual_years(project.indicators)
    if len(years) > 1:  # the year slider recolours: the style has every status of every year
        statuses = [indicator_values(project.indicators, copy.frame, None, "status", year) for year in years]
        spec = copy.metadata.get(STYLE_SPEC_KEY)
        copy.set_style(progress_status_style(pd.concat(statuses, ignore_index=True), column,
                                             copy.geometry_family))
        copy.metadata[STYLE_SPEC_KEY] = spec
    return copy


def _credit_name(credit: str) -> str:
    """The name a credit starts with: "© OpenStreetMap contributors" -> "openstreetmap"."""
    words = re.findall(r"[^\W\d_][\w.-]*", credit)
    return words[0].lower() if words else ""


def credits_for(project: Project, layers: list[VectorLayer], basemap: dict | None) -> list[str]:
    """The project's credits ("A; B") that the exported data needs: a credit that some layer's
    provenance names is kept only when an exported layer names it, and one the basemap already
    gives is not repeated."""
    def provenance(layer: VectorLayer) -> str:
        return " ".join(str(layer.metadata.get(key, "")) for key in ("provenance_zh", "provenance_en")).lower()

    exported = " ".join(provenance(layer) for layer in layers)
    everywhere = " ".join(provenance(layer) for layer in project.vector_layers())
    tiles = " ".join(t.get("attribution", "") for t in (basemap or {}).get("tiles", ())).lower()
    kept = []
    for credit in (part.strip() for part in project.attribution.split(";")):
        name = _credit_name(credit)
        if not credit or (name and name in tiles) or (name and name in everywhere and name not in exported):
            continue
        kept.append(credit)
    return kept


def _basemap_json(options: WebMapOptions, bounds: list[float] | None = None) -> dict | None:
    if options.basemap == "none":
        return None
    source = options.basemap_source
    if options.basemap == "xyz" and source is not None:
        return {"id": "xyz", "title": source.attribution or _host(source.url), "tiles": [{
            "url": source.url.replace("{r}", ""), "subdomains": source.subdomains or "abc",
            "maxZoom": source.max_zoom, "attribution": html.escape(source.attribution_text())}]}
    if options.basemap == "mbtiles" and source is not None:
        reader = MBTilesReader(source.path)
        embedded = {f"{t.z}/{t.x}/{t.y}": data_url(data, reader.info.image_format)
                    for t, data in reader.tiles_in(embed_tiles(reader, bounds, options.mbtiles_zooms)).items()}
        low, high = _embedded_range(reader, options.mbtiles_zooms)
        return {"id": "mbtiles", "title": reader.info.name, "tiles": [{
            "embedded": embedded, "minNativeZoom": low, "maxNativeZoom": high, "maxZoom": 22,
            "attribution": html.escape(source.attribution_text() or reader.info.attribution)}]}
    spec = BASEMAPS[options.basemap]
    tiles = [dict(t) for t in spec["tiles"]]
    if options.basemap == "tianditu":
        notes = pick(options.lang, "cva", "eva")  # the annotation layer in Chinese or English
        attribution = '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'
        tiles = [{"url": _TIANDITU.format(layer=layer, key=options.tianditu_key), "subdomains": "01234567",
                  "maxZoom": 18, "attribution": attribution if layer == "vec" else ""}
                 for layer in ("vec", notes)]
    return {"id": options.basemap, "title": spec["title"](options.lang), "tiles": tiles}


def _has_schematic(layers: list[VectorLayer]) -> bool:
    for layer in layers:
        if "geom_quality" in layer.frame.columns and (layer.frame["geom_quality"] == "schematic").any():
            return True
    return False


def _overview(layers: list[VectorLayer], encoded: list[dict]) -> dict:
    """What the offline mini-map shows: small bundled land layers, or the data's outline."""
    land = [e["id"] for e in encoded if e["group"] == OFFLINE_BASE_GROUP and e["family"] == "polygon"
            and (e["geom"]["n"] * 2 if e["geom"].get("b") else len(e["geom"].get("c", ()))) < 200_000]
    if land:
        return {"layers": land}
    hulls = [_convex_hull(_drawable_coordinates(lonlat_geometries(layer))) for layer in layers if len(layer)]
    hull = shapely.convex_hull(shapely.union_all(hulls)) if hulls else None
    if hull is None or hull.is_empty or hull.geom_type != "Polygon":
        return {}
    return {"outline": np.round(np.asarray(hull.exterior.coords), 5).tolist()}


def _drawable_coordinates(geoms: np.ndarray) -> np.ndarray:
    present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return shapely.get_coordinates(present[drawable_lonlat(present)])


def _convex_hull(coords: np.ndarray):
    """shapely.convex_hull of the points, without making a shapely point of each one:
    points inside the octagon of the extreme points cannot be on the hull (Akl-Toussaint),
    which leaves a few hundred of a million parcel vertices."""
    if len(coords) > 1000:
        x, y = coords[:, 0], coords[:, 1]
        extremes = [np.argmin(x), np.argmax(x), np.argmin(y), np.argmax(y),
                    np.argmin(x + y), np.argmax(x + y), np.argmin(x - y), np.argmax(x - y)]
        octagon = shapely.convex_hull(shapely.multipoints(coords[extremes]))
        if octagon.geom_type == "Polygon":
            shapely.prepare(octagon)
            coords = coords[~shapely.contains_xy(octagon, x, y)]
            coords = np.concatenate([coords, shapely.get_coordinates(octagon)])
    return shapely.convex_hull(shapely.multipoints(coords))


def build_payload(project: Project, options: WebMapOptions) -> dict:
    """Everything the page script needs, as plain JSON-able data."""
    options.validate()
    lang = options.lang
    layers = selected_layers(project, options)
    index = IndicatorIndex(project.indicators, lang)
    encoded = [encode_layer(layer, EncodeSettings(
        lang=lang, tolerance_m=options.tolerance_for(layer.id), precision=options.precision,
        drop_fields=tuple(options.drop_fields), labels=options.labels), index) for layer in layers]

    groups = []
    exported = {layer.id for layer in layers}
    for group in project.groups:
        ids = [layer.id for layer in project.layers_in_group(group.id) if layer.id in exported]
        if ids:
            groups.append({"id": group.id, "title": group.title(lang), "layers": ids})
    orphans = [layer.id for layer in reversed(layers) if project.group(layer.group) is None]
    if orphans:
        groups.append({"id": "", "title": OTHER_LABEL(lang), "layers": orphans})

    thematic = [e for e in encoded if e["bounds"] and e["group"] != OFFLINE_BASE_GROUP] \
        or [e for e in encoded if e["bounds"]]
    bounds = None
    if thematic:
        b = np.array([e["bounds"] for e in thematic], dtype=float)
        bounds = [float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())]

    subtitle = options.subtitle
    if subtitle is None:
        subtitle = SCHEMATIC_NOTE(lang) if _has_schematic(layers) else ""
    basemap = _basemap_json(options, export_bounds(project, options) if options.basemap == "mbtiles" else None)
    attributions = [html.escape("; ".join(credits_for(project, layers, basemap)))]
    attributions = [text for text in attributions if text]
    attributions.append(html.escape(EXPORTED_BY(lang).format(date=date.today().isoformat())))
    return {
        "version": 1,
        "lang": lang,
        "title": options.title or project.title(lang),
        "subtitle": subtitle,
        "i18n": pick_all(PAGE_TEXTS, lang),
        "groups": groups,
        "layers": encoded,
        "indicators": index.table(),
        "asOf": {"years": index.years, "indicators": index.table_by_year()} if index.years else None,
        "headerFields": list(HEADER_FIELDS),
        "bounds": bounds,
        "basemap": basemap,
        "background": SEA_COLOUR if basemap is None else "#f2f2f2",
        "overview": _overview(layers, encoded),
        "attributions": attributions,
        "options": {"search": options.search, "minimap": options.minimap},
    }


def _host(url: str) -> str:
    return urlsplit(url.replace("{s}", "a")).hostname or url


def _embedded_range(reader: MBTilesReader, zooms: tuple[int, int]) -> tuple[int, int]:
    low = max(zooms[0], reader.info.min_zoom)
    return low, max(low, min(zooms[1], reader.info.max_zoom))


def embed_tiles(reader: MBTilesReader, bounds: list[float] | tuple[float, ...] | None,
                zooms: tuple[int, int]) -> list[Tile]:
    """The tiles of an MBTiles file to embed: those over ``bounds`` (lon/lat, clipped to the
    file's own) at the zoom levels of ``zooms`` the file has."""
    west, south, east, north = reader.info.bounds
    if bounds is not None:
        padded = embed_bounds(bounds)
        west, south = max(west, padded[0]), max(south, padded[1])
        east, north = min(east, padded[2]), min(north, padded[3])
    if not (east > west and north > south):
        return []
    low, high = _embedded_range(reader, zooms)
    return lonlat_bounds_tiles((west, south, east, north), range(low, high + 1))


def embed_bounds(bounds: list[float] | tuple[float, ...]) -> tuple[float, float, float, float]:
    """The exported extent with room around it: a browser window is wider than the plan's box."""
    dx, dy = (bounds[2] - bounds[0]) * EMBED_MARGIN, (bounds[3] - bounds[1]) * EMBED_MARGIN
    return bounds[0] - dx, bounds[1] - dy, bounds[2] + dx, bounds[3] + dy


def mbtiles_embed_size(path: str, bounds: list[float] | tuple[float, ...] | None,
                       zooms: tuple[int, int]) -> tuple[int, int]:
    """(tiles, bytes in the page) an MBTiles basemap adds for ``bounds`` and ``zooms``,
    known before the export: base64 makes each tile a third larger."""
    reader = MBTilesReader(path)
    found = reader.tiles_in(embed_tiles(reader, bounds, zooms))
    return len(found), sum(4 * ((len(data) + 2) // 3) + 30 for data in found.values())


def data_url(data: bytes, image_format: str) -> str:
    return f"data:{FORMATS.get(image_format, 'image/png')};base64,{base64.b64encode(data).decode('ascii')}"


def export_bounds(project: Project, options: WebMapOptions) -> list[float] | None:
    """The lon/lat extent of the exported plan layers (what an MBTiles basemap is cut to)."""
    boxes = [layer.bounds_in("EPSG:4326") for layer in selected_layers(project, options)
             if layer.group != OFFLINE_BASE_GROUP]
    boxes = [b for b in boxes if b is not None and np.all(np.isfinite(b))]
    if not boxes:
        return None
    b = np.array(boxes, dtype=float)
    return [float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())]


def payload_json(payload: dict) -> str:
    """JSON that is safe inside a <script> element (no '<', '>', '&' or line separators)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _own_asset(name: str) -> str:
    return (resources_dir() / "web" / name).read_text(encoding="utf-8")


def page_script_modules() -> list[str]:
    """The page script's files under resources/web/js, in the order js/ORDER gives."""
    lines = (line.partition("#")[0].strip() for line in _own_asset("js/ORDER").splitlines())
    return [line for line in lines if line]


def _page_script() -> str:
    """One inline <script> per module, named twice: a banner for people reading the page and a
    sourceURL, so error traces and developer tools give gisapp/js/NAME and the line in it."""
    tags = []
    for name in page_script_modules():
        code = _own_asset(f"js/{name}").rstrip("\n")
        # The banner shares the module's first line, so line numbers match the file's.
        tags.append(assets.script_tag(f"/* gisapp js/{name} */ {code}\n//# sourceURL=gisapp/js/{name}\n"))
    return "".join(tags)


def _content_security_policy(options: WebMapOptions) -> str:
    if options.basemap == "xyz" and options.basemap_source is not None:
        # The page may load images from the tile host only ({s} subdomains as a wildcard).
        parts = urlsplit(options.basemap_source.url.replace("{s}", "subdomain"))
        host = (parts.hostname or "").replace("subdomain", "*")
        hosts = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
    elif options.basemap in ("none", "mbtiles"):  # embedded tiles are data: URLs
        hosts = ""
    else:
        hosts = " ".join(BASEMAPS[options.basemap]["hosts"])
    # leaflet-measure compiles its templates with underscore's _.template, hence 'unsafe-eval'.
    return ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
            f"img-src data: blob: {hosts}".rstrip() + "; font-src data:; connect-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def build_html(project: Project, options: WebMapOptions | None = None) -> str:
    """The whole page as a string."""
    options = options or WebMapOptions()
    try:
        import folium
        from folium import plugins
        from folium.elements import JSCSSMixin
        from folium.template import Template
    except ImportError as exc:  # pragma: no cover - folium is a dependency
        raise RuntimeError("the web-map export needs folium (pip install folium)") from exc

    payload = build_payload(project, options)
    lang = options.lang
    texts = payload["i18n"]

    class LeafletOnlyMap(folium.Map):
        # Leaflet alone: no jQuery, Bootstrap, awesome-markers or Font Awesome, which this
        # page does not use and which no installed package would provide offline.
        default_js = [(name, url) for name, url in folium.Map.default_js if name == "leaflet"]
        default_css = [(name, url) for name, url in folium.Map.default_css if name == "leaflet_css"]

    class GisappLayers(JSCSSMixin):
        # Placeholders only: branca compiles every macro's output as a Jinja template again,
        # so data (which may contain "{{") is spliced in after rendering, never through Jinja.
        _template = Template("""
            {% macro header(this, kwargs) %}
            <!--gisapp:head-->
            {% endmacro %}
            {% macro html(this, kwargs) %}
            <script type="application/json" id="gisapp-data"><!--gisapp:data--></script>
            {% endmacro %}
            {% macro script(this, kwargs) %}
            window.gisappMap = GisappWebMap.init({{ this._parent.get_name() }},
                JSON.parse(document.getElementById("gisapp-data").textContent));
            {% endmacro %}
        """)

        def __init__(self, js: list, css: list) -> None:
            super().__init__()
            self._name = "GisappLayers"
            self.default_js = js
            self.default_css = css

    bounds = payload["bounds"] or [121.0, 38.7, 122.0, 39.2]
    center = [(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2]
    fmap = LeafletOnlyMap(location=center, zoom_start=11, tiles=None, control_scale=False,
                          max_zoom=20, min_zoom=3, zoom_snap=0.25)
    if options.fullscreen:
        plugins.Fullscreen(position="topleft", title=texts["fullscreen"],
                           title_cancel=texts["exitFullscreen"]).add_to(fmap)
    if options.measure:
        plugins.MeasureControl(position="topleft", primary_length_unit="meters",
                               secondary_length_unit="kilometers", primary_area_unit="sqmeters",
                               secondary_area_unit="hectares",
                               localization=pick(lang, "cn", "en")).add_to(fmap)
    plugin_js, plugin_css = [], []
    if options.search:
        plugin_js += plugins.Search.default_js
        plugin_css += plugins.Search.default_css
    if options.minimap:
        plugin_js += plugins.MiniMap.default_js
        plugin_css += plugins.MiniMap.default_css
    GisappLayers(plugin_js, plugin_css).add_to(fmap)

    page = fmap.get_root().render()
    if options.self_contained:
        page = assets.inline_assets(page)  # before our data goes in: it only scans folium's links
    head_html = assets.style_tag(_own_asset("gisapp-webmap.css"), "gisapp-webmap.css") + _page_script()
    page = _splice(page, "<!--gisapp:head-->", head_html)
    page = _splice(page, "<!--gisapp:data-->", payload_json(payload))
    if options.self_contained and assets.remote_references(page):
        raise assets.MissingAssetError(f"remote references in the page: {assets.remote_references(page)}")
    head_extra = f"<title>{html.escape(payload['title'])}</title>"
    if options.self_contained:
        csp = html.escape(_content_security_policy(options), quote=False).replace('"', "&quot;")
        head_extra = f'<meta http-equiv="Content-Security-Policy" content="{csp}">' + head_extra
    page = page.replace("<html>", f'<html lang="{html_lang(lang)}">', 1)
    page = page.replace("<head>", "<head>\n    " + head_extra, 1)
    # Put the charset first so the CSP and title are read with the right encoding.
    charset = '<meta http-equiv="content-type" content="text/html; charset=UTF-8" />'
    if charset in page:
        page = page.replace(charset, "", 1).replace("<head>", "<head>\n    " + charset, 1)
    return page


def _splice(page: str, marker: str, content: str) -> str:
    head, found, tail = page.partition(marker)
    if not found:
        raise RuntimeError(f"folium's output lost the {marker} placeholder")
    return head + content + tail


def export_web_map(project: Project, out: str | Path, options: WebMapOptions | None = None) -> Path:
    """Write the web map to ``out`` (atomically) and return its path."""
    from gisapp.io.atomic import atomic_path

    page = build_html(project, options or WebMapOptions())
    out = Path(out)
    with atomic_path(out) as temp:
        temp.write_bytes(page.encode("utf-8"))
    return out


def estimate_size(project: Project, options: WebMapOptions) -> int:
    """Bytes the exported file will have (builds the page in memory; fast for the bundled data)."""
    return len(build_html(project, options).encode("utf-8"))
