"""Paint a layout page with QPainter, in device pixels, on any paint device.

The same code draws the editor's page preview, PDF pages (QPdfWriter: vector paths,
text as text with the CJK font embedded), SVG (QSvgGenerator) and PNG/TIFF images at any
DPI. Map frames use the canvas renderer (gisapp.ui.map.render.paint_layers) with line
widths scaled from screen pixels (1/96 inch) to the device, so print matches the canvas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPolygonF

from gisapp.core.geo.viewport import Viewport
from gisapp.core.layout.atlas import AtlasPage, IndicatorRow, fill, indicator_rows
from gisapp.core.layout.cartography import px_per_mm, scale_bar, scale_text, true_north_degrees
from gisapp.core.layout.frames import (
    frame_crs,
    frame_layers,
    frame_map_layers,
    layers_bounds,
    map_view,
    view_scale,
)
from gisapp.core.layout.items import Layout, LayoutItem
from gisapp.core.layout.legend import legend_columns, legend_rows
from gisapp.core.layout.stacking import fit_maps_to_tables
from gisapp.core.model.project import Project
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.model.style import Symbol
from gisapp.core.model.tile_layer import TileLayer
from gisapp.core.texts import Bilingual
from gisapp.io.tiles.cache import DiskTileCache
from gisapp.ui.map.rasters import RasterSnapshot
from gisapp.ui.map.render import (
    AnySnapshot,
    LayerSnapshot,
    draw_features,
    marker_path,
    outline_pen,
    paint_layers,
    symbol_brush,
    symbol_pen,
)
from gisapp.ui.map.tiles import offline_snapshot

SEA_COLOUR = QColor("#aad3df")
PENDING_COLOUR = QColor("#dfe8ec")  # a map frame whose preview is still being drawn
SCREEN_DPI = 96.0  # style widths and sizes are screen pixels
FRAME_PEN_MM = 0.25
LEGEND_LINES = 3  # a long legend label wraps onto at most this many lines
LEGEND_FONT_STEPS = (1.0, 0.9, 0.8, 0.7)
HIGHLIGHT = Symbol(fill="#ffffff", fill_opacity=0.0, stroke="#d62728", stroke_width=3.0)
EXTENT_BOX = Symbol(fill="#d62728", fill_opacity=0.12, stroke="#d62728", stroke_width=1.5)
STATUS_COLOURS = {"achieved": "#1a9850", "on_track": "#91cf60", "behind": "#d73027", "no_data": "#bdbdbd",
                  "not_assessable": "#969696"}
TEXTS = {
    "legend": Bilingual("图例", "Legend"),
    "north": Bilingual("北", "N"),
    "scale": Bilingual("比例尺 {scale}", "Scale {scale}"),
    "missing_image": Bilingual("图片无法读取：{name}", "Image cannot be read: {name}"),
}


@dataclass
class PageContext:
    """What one page needs besides the layout: the project, language, resolution and atlas page."""

    project: Project
    lang: str
    dpi: float
    font_family: str
    atlas: AtlasPage | None = None
    vector: bool = False  # PDF or SVG: paths are written, not pixels
    views: dict[str, Viewport] = field(default_factory=dict)  # each map frame's view, set per page
    tile_cache: DiskTileCache | None = field(default_factory=DiskTileCache)  # basemaps print from here
    tiles_missing: int = 0  # basemap tiles not held offline, left blank (said by the caller)
    raster_problems: list[str] = field(default_factory=list)  # rasters that could not be read
    items: list[LayoutItem] = field(default_factory=list)
    map_images: dict[str, QImage] | None = None  # the editor's map frames, drawn off the UI thread

    @property
    def ppm(self) -> float:
        return px_per_mm(self.dpi)

    def rect(self, item: LayoutItem) -> QRectF:
        return QRectF(item.x * self.ppm, item.y * self.ppm, item.width * self.ppm, item.height * self.ppm)

    def font(self, size_pt: float, bold: bool = False) -> QFont:
        font = QFont(self.font_family)
        font.setPointSizeF(size_pt)
        font.setBold(bold)
        return font

    def pixel_font(self, size_pt: float) -> QFont:
        """A font sized in device pixels: text paths (label halos) and text then match."""
        font = QFont(self.font_family)
        font.setPixelSize(max(1, round(size_pt * self.dpi / 72)))
        return font

    def text(self, item: LayoutItem) -> str:
        """The item's text with ``{today}`` (the printing date) and the atlas page's fields."""
        fields = {"today": date.today().isoformat(), **(self.atlas.fields if self.atlas is not None else {})}
        return fill(item.text(self.lang), fields)


def paint_page(painter: QPainter, layout: Layout, ctx: PageContext) -> None:
    """Draw every item of ``layout`` (in order: later items on top) onto a white page."""
    width, height = layout.page.size_mm
    painter.fillRect(QRectF(0, 0, width * ctx.ppm, height * ctx.ppm), Qt.white)
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    layout = fitted_layout(layout, ctx, painter.device())
    if not ctx.views:
        prepare_views(layout, ctx)
    for item in layout.items:
        painter.save()
        try:
            PAINTERS[item.kind](painter, item, ctx)
            if item.frame and item.kind not in ("map", "overview", "indicator_table"):
                _frame(painter, ctx.rect(item), ctx)
        finally:
            painter.restore()


def fitted_layout(layout: Layout, ctx: PageContext, device) -> Layout:
    """The page's layout with each map above a short indicator table grown into the room
    the table's rows leave (see gisapp.core.layout.stacking)."""
    tables = layout.items_of("indicator_table")
    if not tables:
        return layout
    return fit_maps_to_tables(layout, {table.id: _table_height_mm(table, ctx, device) for table in tables})


def _table_rows(item: LayoutItem, ctx: PageContext) -> list[IndicatorRow]:
    if ctx.atlas is not None and not item.feature_id:
        return ctx.atlas.indicators
    return indicator_rows(ctx.project, item.feature_id, ctx.lang)


def _table_height_mm(item: LayoutItem, ctx: PageContext, device) -> float:
    """The height the table's rows take as _paint_table draws them (with one row to spare)."""
    rows = _table_rows(item, ctx)
    shown = max(1, min(len(rows), item.max_rows)) + (1 if len(rows) > item.max_rows else 0)
    row_h = QFontMetricsF(ctx.font(item.font_size_pt), device).height() * 1.55
    return (2 * 1.5 * ctx.ppm + (shown + 2) * row_h) / ctx.ppm


def prepare_views(layout: Layout, ctx: PageContext) -> None:
    """Each map frame's view, which scale bars, north arrows and overviews follow."""
    ctx.items = layout.items
    ctx.views = {item.id: _view_of(item, ctx) for item in layout.items if item.kind in ("map", "overview")}


def _view_of(item: LayoutItem, ctx: PageContext) -> Viewport:
    rect = ctx.rect(item)
    focus = None
    if item.kind == "map" and ctx.atlas is not None:
        layer = ctx.project.layer(ctx.atlas.layer_id)
        geoms = layer.projected(frame_crs(item, ctx.project))
        bounds = geoms.bounds[ctx.atlas.row]
        if all(math.isfinite(v) for v in bounds):
            focus = tuple(float(v) for v in bounds)
    if item.kind == "overview" and item.extent is None:
        crs = frame_crs(item, ctx.project)
        bounds = layers_bounds(frame_layers(item, ctx.project), crs)
        if bounds is not None:
            focus = bounds
    view = map_view(item, ctx.project, max(1, round(rect.width())), max(1, round(rect.height())), ctx.ppm, focus)
    if item.kind == "overview" and focus is not None:
        view = view.fitted(focus, 0.05)  # an overview shows its layers whole, at any scale
    return view


def _frame(painter: QPainter, rect: QRectF, ctx: PageContext) -> None:
    painter.setPen(QPen(QColor(60, 60, 60), FRAME_PEN_MM * ctx.ppm))
    painter.setBrush(Qt.NoBrush)
    painter.drawRect(rect)


def _snapshots(layers, view: Viewport, lang: str, ctx: PageContext | None = None,
               labels: bool = True) -> list[AnySnapshot]:
    """Vector layers, rasters (read at the page's resolution) and basemaps (from the tile cache
    or the MBTiles file only: print never waits on a server; missing tiles stay blank and are
    counted in ``ctx.tiles_missing``). An overview map is drawn without labels (they cluttered
    its box)."""
    snapshots: list[AnySnapshot] = []
    for layer in layers:
        if isinstance(layer, RasterLayer):
            snapshots.append(RasterSnapshot.of(layer))
        elif isinstance(layer, TileLayer):
            planned, missing = offline_snapshot(layer, view, ctx.tile_cache if ctx else None,
                                                ctx.dpi / SCREEN_DPI if ctx else 1.0)
            if ctx is not None:
                ctx.tiles_missing += missing
            if planned is not None:
                snapshots.append(planned)
        else:
            snapshots.append(LayerSnapshot(
                layer_id=layer.id, family=layer.geometry_family, projected=partial(layer.projected, view.crs),
                symbol_index=layer.symbol_index, symbols=layer.style.symbols(), opacity=layer.opacity,
                labels=partial(layer.label_texts, lang) if labels and layer.has_labels(lang) else None,
                label_style=layer.label_style))
    return snapshots


def _paint_credits(painter: QPainter, layers, rect: QRectF, ctx: PageContext) -> None:
    """The basemaps' attribution (with a 审图号) in the frame's corner, as on the canvas."""
    texts = [layer.source.attribution_text() for layer in layers
             if isinstance(layer, TileLayer) and layer.source.attribution_text()]
    if not texts:
        return
    text = " | ".join(dict.fromkeys(texts))
    font = ctx.pixel_font(5.0)
    metrics = QFontMetricsF(font, painter.device())
    width = min(rect.width(), metrics.horizontalAdvance(text) + 2 * ctx.ppm)
    box = QRectF(rect.right() - width, rect.bottom() - metrics.height() - 0.6 * ctx.ppm, width,
                 metrics.height() + 0.6 * ctx.ppm)
    painter.fillRect(box, QColor(255, 255, 255, 200))
    painter.setFont(font)
    painter.setPen(QColor(60, 60, 60))
    painter.drawText(box, int(Qt.AlignCenter), metrics.elidedText(text, Qt.ElideMiddle, box.width() - ctx.ppm))


@dataclass
class MapParts:
    """What drawing one map frame needs, taken on the UI thread: its view, layer snapshots
    (projected on the thread that draws), the atlas feature to outline and the main map's
    view (an overview's box). Drawing from these alone can run on a worker thread."""

    view: Viewport
    snapshots: list[AnySnapshot]
    highlight: tuple[np.ndarray, str] | None = None
    main_view: Viewport | None = None
    overview: bool = False
    credited: list = field(default_factory=list)  # the layers whose credits the frame prints


def map_parts(item: LayoutItem, ctx: PageContext) -> MapParts:
    view = ctx.views[item.id] if item.id in ctx.views else _view_of(item, ctx)
    layers = frame_map_layers(item, ctx.project)
    snapshots = _snapshots(layers, view, ctx.lang, ctx, labels=item.kind == "map")
    highlight = None
    if item.kind == "map" and ctx.atlas is not None:
        layer = ctx.project.layer(ctx.atlas.layer_id)
        highlight = (layer.projected(view.crs).take([ctx.atlas.row]), layer.geometry_family)
    main_view = None
    if item.kind == "overview":
        main_view = ctx.views.get(item.map_id)
    return MapParts(view, snapshots, highlight, main_view, item.kind == "overview",
                    credited=layers if item.kind == "map" else [])


def draw_map(painter: QPainter, rect: QRectF, parts: MapParts, ctx: PageContext, cancelled=None) -> None:
    """The frame's sea, layers, labels, atlas outline, overview box and border in ``rect``."""
    view = parts.view
    pen_scale = ctx.dpi / SCREEN_DPI
    painter.save()
    painter.setClipRect(rect)
    painter.fillRect(rect, SEA_COLOUR)
    painter.translate(rect.topLeft())
    paint_layers(painter, parts.snapshots, view, ctx.pixel_font(5.5 if parts.overview else 7.5),
                 cancelled, pen_scale=pen_scale, text_labels=True, vector=ctx.vector,
                 vector_grid_px=vector_grid_px(ctx.dpi))
    ctx.raster_problems += [problem for s in parts.snapshots if isinstance(s, RasterSnapshot) for problem in s.problems]
    if parts.highlight is not None:
        draw_features(painter, parts.highlight[0], parts.highlight[1], HIGHLIGHT, view, pen_scale)
    if parts.main_view is not None:
        _paint_extent_box(painter, parts.main_view, view, pen_scale)
    painter.translate(-rect.topLeft())
    _paint_credits(painter, parts.credited, rect, ctx)
    painter.restore()
    _frame(painter, rect, ctx)


def vector_grid_px(dpi: float) -> float:
    """How finely PDF and SVG coordinates are written: whole device pixels from 300 dpi up
    (at most 0.042 mm off), tenths below (a coarser device pixel would show)."""
    return 1.0 if dpi >= 300 else 0.1


def render_map_image(parts: MapParts, width: int, height: int, ctx: PageContext, cancelled=None) -> QImage:
    """One map frame alone, ``width`` x ``height`` device pixels (the editor renders these on
    the render thread and reuses them while other items move)."""
    image = QImage(max(1, width), max(1, height), QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    try:
        draw_map(painter, QRectF(0, 0, width, height), parts, ctx, cancelled)
    finally:
        painter.end()
    return image


def _paint_map(painter: QPainter, item: LayoutItem, ctx: PageContext) -> None:
    rect = ctx.rect(item)
    if ctx.map_images is None:
        draw_map(painter, rect, map_parts(item, ctx), ctx)
        return
    image = ctx.map_images.get(item.id)  # the editor's preview: rendered on a worker
    if image is None:
        painter.fillRect(rect, PENDING_COLOUR)
        _frame(painter, rect, ctx)
    else:
        painter.drawImage(rect, image)  # an older image is stretched until the new one is ready


def _paint_extent_box(painter: QPainter, main: Viewport, overview: Viewport, pen_scale: float) -> None:
    """The main map's extent, drawn on the overview (densified: the CRSs may differ)."""
    import shapely

    from gisapp.core.geo.geodesy import transform_geometries

    box = shapely.segmentize(shapely.box(*main.extent), (main.extent[2] - main.extent[0]) / 20)
    geoms = transform_geometries(np.array([box], dtype=object), main.crs, overview.crs)
    draw_features(painter, geoms, "polygon", EXTENT_BOX, overview, pen_scale)


def _paint_text(painter: QPainter, item: LayoutItem, ctx: PageContext) -> None:
    text = ctx.text(item)
    if item.kind == "attribution" and not text:
        text = ctx.project.attribution
    painter.setFont(ctx.font(item.font_size_pt, item.bold or item.kind == "title"))
    painter.setPen(QColor(25, 25, 25))
    align = {"left": Qt.AlignLeft, "center": Qt.AlignHCenter, "right": Qt.AlignRight}[item.align]
    pad = 0.8 * ctx.ppm if item.frame else 0.0
    painter.drawText(ctx.rect(item).adjusted(pad, pad, -pad, -pad), int(align | Qt.AlignTop | Qt.TextWordWrap), text)


def _swatch(painter: QPainter, rect: QRectF, symbol: Symbol, family: str, pen_scale: float) -> None:
    if family == "polygon":
        painter.setPen(outline_pen(symbol, pen_scale))
        painter.setBrush(symbol_brush(symbol))
        painter.drawRect(rect)
    elif family == "line":
        painter.setPen(symbol_pen(symbol, pen_scale))
        painter.drawLine(QPointF(rect.left(), rect.center().y()), QPointF(rect.right(), rect.center().y()))
    else:
        painter.setPen(symbol_pen(symbol, pen_scale))
        painter.setBrush(QBrush(QColor(symbol.fill)))
        size = min(symbol.size * pen_scale, rect.height())
        painter.drawPath(marker_path(symbol, size).translated(rect.center()))


def _paint_legend(painter: QPainter, item: LayoutItem, ctx: PageContext) -> None:
    rect = ctx.rect(item)
    map_item = next((other for other in ctx.items if other.id == item.map_id), None)
    if map_item is None:
        return
    heading_font = ctx.font(item.font_size_pt + 2, True)
    painter.setFont(heading_font)
    painter.setPen(QColor(25, 25, 25))
    pad = 2 * ctx.ppm
    heading_h = QFontMetricsF(heading_font, painter.device()).height() * 1.3
    painter.drawText(QRectF(rect.left() + pad, rect.top() + pad, rect.width() - 2 * pad, heading_h),
                     int(Qt.AlignLeft | Qt.AlignVCenter), TEXTS["legend"](ctx.lang))
    body_top = rect.top() + pad + heading_h
    available_mm = (rect.bottom() - pad - body_top) / ctx.ppm
    rows = legend_rows(ctx.project, map_item, ctx.lang)
    swatch_w = 6 * ctx.ppm
    # The fewest columns (up to three) whose wrapped labels fit the height, at the item's
    # font size or down to 70% of it; if nothing fits, the smallest size in three columns.
    choices = [(size, count) for size in LEGEND_FONT_STEPS for count in
               ((item.columns,) if item.columns else (1, 2, 3))]
    for size_factor, count in choices:
        size_pt = item.font_size_pt * size_factor
        body, bold = ctx.font(size_pt), ctx.font(size_pt, True)
        row_mm = size_pt * 0.3528 * 1.75  # points to mm, with line spacing
        column_w = (rect.width() - 2 * pad) / count
        wrapped = [_wrapped(row.text, bold if row.symbol is None else body, painter,
                            column_w - pad - (0 if row.symbol is None else swatch_w + 3 * ctx.ppm))
                   for row in rows]
        columns = legend_columns(rows, available_mm, [row_mm * (1 + 0.62 * (len(w) - 1)) for w in wrapped],
                                 count if item.columns else 0)
        if len(columns) <= count:
            break
    texts = dict(zip((id(row) for row in rows), wrapped, strict=True))
    column_w = (rect.width() - 2 * pad) / max(1, count)
    row_h = row_mm * ctx.ppm
    swatch_h = row_h * 0.62
    for number, column in enumerate(columns[:count]):
        x = rect.left() + pad + number * column_w
        y = body_top
        for row in column:
            lines = texts[id(row)]
            height = row_h * (1 + 0.62 * (len(lines) - 1))
            if row.symbol is None:
                painter.setFont(bold)
                text_rect = QRectF(x, y, column_w - pad, height)
            else:
                _swatch(painter, QRectF(x + 0.5 * ctx.ppm, y + (row_h - swatch_h) / 2, swatch_w, swatch_h),
                        row.symbol, row.family, ctx.dpi / SCREEN_DPI)
                painter.setFont(body)
                text_rect = QRectF(x + swatch_w + 2 * ctx.ppm, y, column_w - swatch_w - 3 * ctx.ppm, height)
            painter.setPen(QColor(25, 25, 25))
            painter.drawText(text_rect, int(Qt.AlignLeft | Qt.AlignVCenter), "\n".join(lines))
            y += height


def _wrapped(text: str, font: QFont, painter: QPainter, width: float, max_lines: int = LEGEND_LINES) -> list[str]:
    """``text`` wrapped at words (Chinese: at characters) to ``width``, at most ``max_lines``
    lines, the last cut with an ellipsis."""
    metrics = QFontMetricsF(font, painter.device())
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    spaced = " " in text
    words = text.split(" ") if spaced else list(text)
    joiner = " " if spaced else ""
    lines: list[str] = []
    current: list[str] = []
    for word in words:
        if current and metrics.horizontalAdvance(joiner.join([*current, word])) > width:
            lines.append(joiner.join(current))
            current = []
        current.append(word)
    lines.append(joiner.join(current))
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [joiner.join(lines[max_lines - 1:])]
    lines[-1] = metrics.elidedText(lines[-1], Qt.ElideRight, width)
    return lines


def _paint_scale_bar(painter: QPainter, item: LayoutItem, ctx: PageContext) -> None:
    view = ctx.views.get(item.map_id)
    if view is None:
        return
    rect = ctx.rect(item)
    pad = 1.5 * ctx.ppm
    ground_per_mm = view.ground_metres_per_pixel() * ctx.ppm
    font = ctx.font(max(6.0, item.font_size_pt - 2))
    painter.setFont(font)
    metrics = QFontMetricsF(font, painter.device())
    unit_w = metrics.horizontalAdvance(" km") + pad
    bar = scale_bar(ground_per_mm, (rect.width() - 2 * pad - unit_w) / ctx.ppm - 2, item.units, item.segments)
    if bar is None:
        return
    x0 = rect.left() + pad + metrics.horizontalAdvance("0") / 2
    bar_h = 1.6 * ctx.ppm
    y0 = rect.top() + pad + metrics.height()
    segment = bar.length_mm * ctx.ppm / bar.segments
    painter.setPen(QPen(QColor(20, 20, 20), 0.2 * ctx.ppm))
    labels = bar.tick_labels()
    for number in range(bar.segments):
        painter.setBrush(QColor(20, 20, 20) if number % 2 == 0 else Qt.white)
        painter.drawRect(QRectF(x0 + number * segment, y0, segment, bar_h))
    painter.setPen(QColor(20, 20, 20))
    widest = max(metrics.horizontalAdvance(label) for label in labels) + pad
    every = 1 if segment >= widest else 2 if 2 * segment >= widest else bar.segments
    for number, label in enumerate(labels):
        if number % every and number != bar.segments:
            continue
        if number != bar.segments and bar.segments - number < every:
            continue  # too close to the last label, which is always shown
        x = x0 + number * segment
        painter.drawText(QRectF(x - widest, rect.top() + pad, 2 * widest, metrics.height()),
                         int(Qt.AlignHCenter | Qt.AlignBottom), label)
    painter.drawText(QPointF(x0 + bar.segments * segment + pad / 2, y0 + bar_h), f" {bar.unit}")
    scale = scale_text(view_scale(view, ctx.ppm))
    painter.drawText(QRectF(rect.left() + pad, y0 + bar_h + 0.5 * ctx.ppm, rect.width() - 2 * pad,
                            metrics.height()), int(Qt.AlignLeft | Qt.AlignTop), TEXTS["scale"](ctx.lang).format(scale=scale))


def _paint_north_arrow(painter: QPainter, item: LayoutItem, ctx: PageContext) -> None:
    view = ctx.views.get(item.map_id)
    if view is None:
        return
    rect = ctx.rect(item)
    angle = true_north_degrees(view.crs, view.center_x, view.center_y)
    font = ctx.font(max(7.0, item.font_size_pt), True)
    metrics = QFontMetricsF(font, painter.device())
    letter_h = metrics.height()
    centre = QPointF(rect.center().x(), rect.top() + letter_h + (rect.height() - letter_h) / 2)
    half = min(rect.width() * 0.35, (rect.height() - letter_h) * 0.45)
    painter.translate(centre)
    painter.rotate(angle)
    left = QPolygonF([QPointF(0, -half), QPointF(-half * 0.45, half), QPointF(0, half * 0.55)])
    right = QPolygonF([QPointF(0, -half), QPointF(half * 0.45, half), QPointF(0, half * 0.55)])
    painter.setPen(QPen(QColor(20, 20, 20), 0.2 * ctx.ppm))
    painter.setBrush(QColor(20, 20, 20))
    painter.drawPolygon(left)
    painter.setBrush(Qt.white)
    painter.drawPolygon(right)
    painter.setFont(font)
    painter.drawText(QRectF(-half * 2, -half - letter_h * 1.05, half * 4, letter_h), int(Qt.AlignCenter),
                     TEXTS["north"](ctx.lang))


def _paint_image(painter: QPainter, item: LayoutItem, ctx: PageContext) -> None:
    rect = ctx.rect(item)
    image = QImage(item.path) if item.path and Path(item.path).is_file() else QImage()
    if image.isNull():
        painter.setFont(ctx.font(7))
        painter.setPen(QColor(160, 30, 30))
        painter.drawText(rect, int(Qt.AlignCenter | Qt.TextWordWrap),
                         TEXTS["missing_image"](ctx.lang).format(name=Path(item.path).name or "—"))
        return
    size = image.size().scaled(rect.size().toSize(), Qt.KeepAspectRatio)
    target = QRectF(rect.left() + (rect.width() - size.width()) / 2, rect.top() + (rect.height() - size.height()) / 2,
                    size.width(), size.height())
    painter.drawImage(target, image)


def _paint_table(painter: QPainter, item: LayoutItem, ctx: PageContext) -> None:
    from gisapp.core.layout.atlas import TEXTS as ATLAS_TEXTS

    rect = ctx.rect(item)
    rows = _table_rows(item, ctx)
    font, bold = ctx.font(item.font_size_pt), ctx.font(item.font_size_pt, True)
    metrics = QFontMetricsF(font, painter.device())
    row_h = metrics.height() * 1.55
    pad = 1.5 * ctx.ppm
    shares = (0.40, 0.13, 0.13, 0.16, 0.18)
    inner_w = rect.width() - 2 * pad
    xs = [rect.left() + pad]
    for share in shares:
        xs.append(xs[-1] + share * inner_w)
    header = [ATLAS_TEXTS[key](ctx.lang) for key in ("indicator", "baseline", "target", "latest", "status")]
    y = rect.top() + pad
    painter.setFont(bold)
    painter.setPen(QColor(25, 25, 25))
    for column, text in enumerate(header):
        painter.drawText(QRectF(xs[column] + pad / 2, y, xs[column + 1] - xs[column] - pad, row_h),
                         int(Qt.AlignLeft | Qt.AlignVCenter), text)
    y += row_h
    painter.setPen(QPen(QColor(60, 60, 60), 0.2 * ctx.ppm))
    painter.drawLine(QPointF(xs[0], y), QPointF(xs[-1], y))
    fits = max(0, int((rect.bottom() - pad - y) // row_h) - 1)
    shown = rows[:min(item.max_rows, fits)] if len(rows) > min(item.max_rows, fits) else rows
    if len(shown) < len(rows):
        shown = rows[:max(0, min(item.max_rows, fits) - 1)]
    painter.setFont(font)
    if not rows:
        painter.setPen(QColor(90, 90, 90))
        painter.drawText(QRectF(xs[0] + pad / 2, y, inner_w, row_h), int(Qt.AlignLeft | Qt.AlignVCenter),
                         ATLAS_TEXTS["no_indicators"](ctx.lang))
        _table_frame(painter, item, rect, y + row_h + pad, ctx)
        return
    for number, row in enumerate(shown):
        if number % 2:
            painter.fillRect(QRectF(xs[0], y, inner_w, row_h), QColor(242, 242, 242))
        values = [row.name, row.baseline, row.target if not row.unit else f"{row.target} {row.unit}",
                  row.latest]
        painter.setPen(QColor(25, 25, 25))
        for column, text in enumerate(values):
            cell = QRectF(xs[column] + pad / 2, y, xs[column + 1] - xs[column] - pad, row_h)
            painter.drawText(cell, int(Qt.AlignLeft | Qt.AlignVCenter), metrics.elidedText(text, Qt.ElideRight, cell.width()))
        dot = QRectF(xs[4] + pad / 2, y + row_h * 0.3, row_h * 0.4, row_h * 0.4)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS.get(row.status_key, "#bdbdbd")))
        painter.drawEllipse(dot)
        painter.setPen(QColor(25, 25, 25))
        cell = QRectF(dot.right() + pad / 2, y, xs[5] - dot.right() - pad, row_h)
        painter.drawText(cell, int(Qt.AlignLeft | Qt.AlignVCenter), metrics.elidedText(row.status, Qt.ElideRight, cell.width()))
        y += row_h
    if len(shown) < len(rows):
        painter.setPen(QColor(90, 90, 90))
        painter.drawText(QRectF(xs[0] + pad / 2, y, inner_w, row_h), int(Qt.AlignLeft | Qt.AlignVCenter),
                         ATLAS_TEXTS["more"](ctx.lang).format(n=len(rows) - len(shown)))
        y += row_h
    _table_frame(painter, item, rect, y + pad, ctx)


def _table_frame(painter: QPainter, item: LayoutItem, rect: QRectF, bottom: float, ctx: PageContext) -> None:
    """The table's border around the rows it has, not the whole item: no empty box."""
    if item.frame:
        _frame(painter, QRectF(rect.left(), rect.top(), rect.width(), min(rect.height(), bottom - rect.top())), ctx)


PAINTERS = {
    "map": _paint_map, "overview": _paint_map, "title": _paint_text, "subtitle": _paint_text,
    "text": _paint_text, "attribution": _paint_text, "review_number": _paint_text, "date": _paint_text,
    "legend": _paint_legend, "scale_bar": _paint_scale_bar, "north_arrow": _paint_north_arrow,
    "image": _paint_image, "indicator_table": _paint_table,
}
