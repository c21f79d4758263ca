"""Off-thread map rendering into QImages.

The UI thread takes a cheap snapshot of each layer (:class:`LayerSnapshot`) and submits a
:class:`RenderJob` to ``RENDER_THREAD``, a long-lived Python thread (gisapp.ui.workers).
There each layer's flat vertex arrays in the canvas CRS (gisapp.core.geo.flatgeom: built
once per layer and CRS, features stored in Z-order) are culled by their bounds and drawn
symbol class by symbol class (gisapp.ui.map.render_flat): vertices closer than a pixel are
dropped, and the features become many small QPainterPaths read from QDataStream buffers
that numpy writes (a small layer: one path per class; a feature far larger than the view:
clipped with shapely first). The work runs in short slices so the UI thread gets in, and
stops early when a newer render cancels the job; labels come last, over every layer, into
an image of their own that the canvas paints above the selection highlight (a selected
zone's fill must not hide its name). Meanwhile the canvas shows the last finished images,
transformed.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from PySide6.QtCore import (
    QByteArray,
    QDataStream,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QRegion,
)

from gisapp.core.geo.flatgeom import FlatGeometry, PatchedFlat, ProjectedCache
from gisapp.core.geo.label_placement import LayerLabels, PlacedLabel, View, place_labels
from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.labels import DEFAULT_SIZE_PT, LabelStyle
from gisapp.core.model.style import Symbol
from gisapp.ui.map.rasters import RasterSnapshot, draw_raster
from gisapp.ui.map.render_flat import draw_flat_class, split_huge
from gisapp.ui.map.tiles import TileSnapshot, draw_tiles
from gisapp.ui.workers import Job, WorkerThread

PEN_STYLES = {"solid": Qt.SolidLine, "dash": Qt.DashLine, "dot": Qt.DotLine, "none": Qt.NoPen}
SIMPLIFY_ABOVE_VERTICES = 50_000
AA_FILL_MAX_FEATURES = 2_000
# Layers up to this size draw each symbol class as one path, exactly as before the fast
# renderer (an antialiased fill of one path gets slow quickly: 1000 parcels took 0.1 s).
SINGLE_PATH_MAX_FEATURES = 200
MAX_PIXEL_COORDINATE = 1e7  # Qt's raster engine works in 26.6 fixed point (about ±3e7)


@dataclass
class LayerSnapshot:
    """What the render thread needs of one layer, taken cheaply on the UI thread.

    ``projected`` and ``symbol_index`` are called in the render thread: building a
    million-feature cache or symbol index there keeps the window responsive. Both return
    arrays that are replaced, never changed in place, when the layer changes.
    """

    layer_id: str
    family: str
    projected: Callable[[], ProjectedCache]
    symbol_index: Callable[[], np.ndarray]
    symbols: list[Symbol]
    opacity: float
    labels: Callable[[np.ndarray], np.ndarray] | None  # label texts of some rows, or None
    label_style: LabelStyle | None = None  # how they look and are placed (None: the defaults)


def qcolor(hex_colour: str, alpha: float = 1.0) -> QColor:
    colour = QColor(hex_colour)
    colour.setAlphaF(max(0.0, min(1.0, alpha)))
    return colour


def symbol_pen(symbol: Symbol, scale: float = 1.0) -> QPen:
    style = PEN_STYLES.get(symbol.stroke_style, Qt.SolidLine)
    if style == Qt.NoPen or symbol.stroke_width <= 0:
        return QPen(Qt.NoPen)
    pen = QPen(qcolor(symbol.stroke), symbol.stroke_width * scale)
    pen.setStyle(style)
    pen.setJoinStyle(Qt.RoundJoin)
    pen.setCapStyle(Qt.RoundCap)
    return pen


def symbol_brush(symbol: Symbol) -> QBrush:
    if symbol.fill_opacity <= 0:
        return QBrush(Qt.NoBrush)
    return QBrush(qcolor(symbol.fill, symbol.fill_opacity))


def path_from_arrays(px: np.ndarray, py: np.ndarray, starts: np.ndarray) -> QPainterPath:
    """Build a QPainterPath from pixel coordinates in one deserialisation.

    ``starts`` is a boolean array, True where a new subpath (ring or line) begins.
    Uses QPainterPath's QDataStream layout: int32 count, then (int32 type, f64 x,
    f64 y) per element, then int32 cStart and int32 fill rule (1 = winding).
    """
    count = len(px)
    path = QPainterPath()
    if count == 0:
        return path
    elements = np.empty(count, dtype=[("type", ">i4"), ("x", ">f8"), ("y", ">f8")])
    elements["type"] = np.where(starts, 0, 1)
    elements["x"] = px
    elements["y"] = py
    payload = (np.array([count], dtype=">i4").tobytes() + elements.tobytes()
               + np.array([0, 1], dtype=">i4").tobytes())
    buffer = QByteArray(payload)  # must outlive the stream
    stream = QDataStream(buffer)
    stream >> path
    return path


def _pixel_coords(geoms: np.ndarray, viewport: Viewport, rings: bool):
    parts = shapely.get_parts(geoms)
    if rings:
        parts = shapely.get_rings(parts)
    coords, index = shapely.get_coordinates(parts, return_index=True)
    if len(coords) == 0:
        return None
    xmin, _, _, ymax = viewport.extent
    px = _clamped((coords[:, 0] - xmin) / viewport.resolution)
    py = _clamped((ymax - coords[:, 1]) / viewport.resolution)
    starts = np.empty(len(index), dtype=bool)
    starts[0] = True
    starts[1:] = index[1:] != index[:-1]
    return px, py, starts


def _clamped(pixels: np.ndarray) -> np.ndarray:
    """Pixel coordinates within what Qt's fixed-point rasteriser holds (an overflow there
    draws garbage or crashes); only far off-screen vertices move."""
    return np.clip(pixels, -MAX_PIXEL_COORDINATE, MAX_PIXEL_COORDINATE, out=pixels)


def geometry_path(geoms: np.ndarray, viewport: Viewport, family: str) -> QPainterPath:
    result = _pixel_coords(geoms, viewport, rings=(family == "polygon"))
    return QPainterPath() if result is None else path_from_arrays(*result)


def marker_path(symbol: Symbol, size: float) -> QPainterPath:
    path = QPainterPath()
    half = size / 2
    if symbol.marker == "square":
        path.addRect(QRectF(-half, -half, size, size))
    elif symbol.marker in ("triangle", "star"):
        import math

        spikes = 3 if symbol.marker == "triangle" else 5
        inner = half if symbol.marker == "triangle" else half * 0.45
        points = []
        for i in range(spikes * (1 if symbol.marker == "triangle" else 2)):
            step = i if symbol.marker == "triangle" else i / 2
            radius = half if symbol.marker == "triangle" or i % 2 == 0 else inner
            angle = -math.pi / 2 + step * 2 * math.pi / spikes
            points.append(QPointF(radius * math.cos(angle), radius * math.sin(angle)))
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(0, 0), half, half)
    return path


def outline_pen(symbol: Symbol, pen_scale: float = 1.0) -> QPen:
    pen = symbol_pen(symbol, pen_scale)
    if pen.style() != Qt.NoPen and pen.widthF() < 1.0:
        # A hairline is Qt's fast path; fade it to keep a thin stroke looking thin.
        colour = pen.color()
        colour.setAlphaF(colour.alphaF() * max(0.3, pen.widthF()))
        pen.setColor(colour)
        pen.setWidthF(0)
    return pen


def draw_features(painter: QPainter, geoms: np.ndarray, family: str, symbol: Symbol,
                  viewport: Viewport, pen_scale: float = 1.0) -> None:
    """Paint ``geoms`` (canvas CRS) with one symbol."""
    if family == "point":
        coords = shapely.get_coordinates(shapely.get_parts(geoms))
        if len(coords) == 0:
            return
        xmin, _, _, ymax = viewport.extent
        px = (coords[:, 0] - xmin) / viewport.resolution
        py = (ymax - coords[:, 1]) / viewport.resolution
        shown = np.isfinite(px) & np.isfinite(py) & (np.abs(px) < MAX_PIXEL_COORDINATE) & (np.abs(py) < MAX_PIXEL_COORDINATE)
        px, py = px[shown], py[shown]
        marker = marker_path(symbol, symbol.size * pen_scale)
        painter.setPen(symbol_pen(symbol, pen_scale))
        painter.setBrush(QBrush(qcolor(symbol.fill, max(symbol.fill_opacity, 0.0))))
        for x, y in zip(px.tolist(), py.tolist(), strict=True):
            painter.drawPath(marker.translated(x, y))
        return
    path = geometry_path(geoms, viewport, family)
    pen = outline_pen(symbol, pen_scale)
    if family != "polygon":
        painter.setPen(pen)
        painter.setBrush(QBrush(Qt.NoBrush))
        painter.drawPath(path)
        return
    brush = symbol_brush(symbol)
    if brush.style() != Qt.NoBrush:
        # Antialiased filling of one path with thousands of rings is ~20x slower than
        # aliased; with many features the outline (drawn antialiased) hides the difference.
        antialias = painter.testRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.Antialiasing, antialias and len(geoms) <= AA_FILL_MAX_FEATURES)
        painter.setPen(Qt.NoPen)
        painter.setBrush(brush)
        painter.drawPath(path)
        painter.setRenderHint(QPainter.Antialiasing, antialias)
    if pen.style() != Qt.NoPen:
        painter.setPen(pen)
        painter.setBrush(QBrush(Qt.NoBrush))
        painter.drawPath(path)


def _prepare(geoms: np.ndarray, family: str, viewport: Viewport) -> np.ndarray:
    """Clip geometries far larger than the view, and simplify dense ones to the pixel."""
    if family == "point":
        return geoms
    xmin, ymin, xmax, ymax = viewport.extent
    pad_x, pad_y = (xmax - xmin), (ymax - ymin)
    bounds = shapely.bounds(geoms)
    huge = ((bounds[:, 2] - bounds[:, 0]) > 4 * pad_x) | ((bounds[:, 3] - bounds[:, 1]) > 4 * pad_y)
    if huge.any():
        geoms = geoms.copy()
        rect = (xmin - pad_x, ymin - pad_y, xmax + pad_x, ymax + pad_y)
        try:
            geoms[huge] = shapely.clip_by_rect(geoms[huge], *rect)
        except shapely.errors.GEOSException:  # a damaged geometry: leave it out, draw the rest
            geoms[huge] = [_clipped_or_none(g, rect) for g in geoms[huge]]
    if shapely.get_num_coordinates(geoms).sum() > SIMPLIFY_ABOVE_VERTICES:
        geoms = shapely.simplify(geoms, viewport.resolution * 0.5, preserve_topology=False)
    return geoms


def _clipped_or_none(geom, rect):
    try:
        return shapely.clip_by_rect(geom, *rect)
    except shapely.errors.GEOSException:
        return None


AnySnapshot = LayerSnapshot | TileSnapshot | RasterSnapshot


@dataclass
class RenderedMap:
    """A finished render: the features, and their labels to paint above the selection."""

    features: QImage
    labels: QImage
    placed: list[PlacedLabel]  # where the labels went, in view pixels


def _transparent_image(viewport: Viewport, device_pixel_ratio: float) -> QImage:
    image = QImage(int(viewport.width * device_pixel_ratio), int(viewport.height * device_pixel_ratio),
                   QImage.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(device_pixel_ratio)
    image.fill(Qt.transparent)
    return image


def render_layers(layers: list[AnySnapshot], viewport: Viewport, label_font: QFont,
                  cancelled: threading.Event | None = None,
                  device_pixel_ratio: float = 1.0) -> RenderedMap | None:
    """Paint ``layers`` (bottom first; basemaps among them) and, separately, their labels;
    None if cancelled."""
    features = _transparent_image(viewport, device_pixel_ratio)
    labels = _transparent_image(viewport, device_pixel_ratio)
    painter = QPainter(features)
    label_painter = QPainter(labels)
    for each in (painter, label_painter):
        each.setRenderHint(QPainter.Antialiasing, True)
    placed: list[PlacedLabel] = []
    try:
        drawn = paint_layers(painter, layers, viewport, label_font, cancelled, label_painter=label_painter,
                             placed_out=placed)
    finally:
        painter.end()
        label_painter.end()
    return RenderedMap(features, labels, placed) if drawn else None


# Pixels around a changed feature's bounds that antialiasing may cover (the widest outline or
# marker of the view's layers comes on top); features that far outside the patch, and a
# little more, are drawn into it too (their outlines and markers reach in).
PATCH_PAD_PX = 3.0
PATCH_CULL_PAD_PX = 2.0


@dataclass
class ImagePatch:
    """A render that redraws only some areas of the last finished one (an edit changed a few
    features and nothing else): ``base`` at the same viewport, and the changed map bounds."""

    base: RenderedMap
    bounds: np.ndarray  # (k, 4) map bounds, before and after the change, of what changed
    pad_px: float = PATCH_PAD_PX  # the widest outline or marker of the changed layers, halved, and more


def symbol_reach_px(symbol: Symbol) -> float:
    """How far past a feature's bounds its symbol paints (half the outline, a point's marker)."""
    return symbol.stroke_width / 2 + max(symbol.size, 0.0)


def patch_areas(bounds: np.ndarray, viewport: Viewport, pad_px: float) -> tuple[list[QRect], list[tuple[float, float, float, float]]]:
    """The image rectangles to redraw for ``bounds`` (padded by ``pad_px``, inside the view)
    and the map extents whose features are drawn into them."""
    xmin, _, _, ymax = viewport.extent
    res = viewport.resolution
    view = QRect(0, 0, viewport.width, viewport.height)
    rects, extents = [], []
    cull = (pad_px + PATCH_CULL_PAD_PX) * res
    for x0, y0, x1, y1 in np.asarray(bounds, dtype=float).reshape(-1, 4):
        left, right = (x0 - xmin) / res - pad_px, (x1 - xmin) / res + pad_px
        top, bottom = (ymax - y1) / res - pad_px, (ymax - y0) / res + pad_px
        if not (np.isfinite([left, right, top, bottom]).all() and right >= 0 and bottom >= 0
                and left <= viewport.width and top <= viewport.height):
            continue
        rect = QRect(QPoint(math.floor(max(left, -1.0)), math.floor(max(top, -1.0))),
                     QPoint(math.ceil(min(right, viewport.width + 1.0)), math.ceil(min(bottom, viewport.height + 1.0))))
        rect = rect.intersected(view)
        if rect.isEmpty():
            continue
        rects.append(rect)
        extents.append((x0 - cull, y0 - cull, x1 + cull, y1 + cull))
    return rects, extents


def patch_rendered(layers: list[AnySnapshot], viewport: Viewport, patch: ImagePatch,
                   cancelled: threading.Event | None = None) -> RenderedMap | None:
    """``patch.base`` with the changed areas drawn again from ``layers`` (every layer's features
    there, bottom first, as a full render draws them); its labels are kept (the canvas asks
    for a patch only when no changed layer has labels). None if cancelled."""
    rects, extents = patch_areas(patch.bounds, viewport, patch.pad_px)
    features = patch.base.features.copy()
    if rects:
        region = QRegion()
        for rect in rects:
            region = region.united(rect)
        painter = QPainter(features)
        try:
            painter.setClipRegion(region)
            painter.setCompositionMode(QPainter.CompositionMode_Clear)
            painter.fillRect(region.boundingRect(), Qt.transparent)
            painter.setCompositionMode(QPainter.CompositionMode_SourceOver)
            painter.setRenderHint(QPainter.Antialiasing, True)
            drawn = paint_layers(painter, layers, viewport, QFont(), cancelled, only=extents)
        finally:
            painter.end()
        if not drawn:
            return None
    return RenderedMap(features, patch.base.labels, list(patch.base.placed))


def render_image(layers: list[AnySnapshot], viewport: Viewport, label_font: QFont,
                 cancelled: threading.Event | None = None, device_pixel_ratio: float = 1.0) -> QImage | None:
    """Paint ``layers`` (bottom first; basemaps among them) and their labels into one transparent
    image; None if cancelled."""
    image = _transparent_image(viewport, device_pixel_ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing, True)
    try:
        drawn = paint_layers(painter, layers, viewport, label_font, cancelled)
    finally:
        painter.end()
    return image if drawn else None


def paint_layers(painter: QPainter, layers: list[AnySnapshot], viewport: Viewport, label_font: QFont,
                 cancelled: threading.Event | None = None, pen_scale: float = 1.0,
                 text_labels: bool = False, vector: bool = False,
                 label_painter: QPainter | None = None, vector_grid_px: float = 0.1,
                 placed_out: list[PlacedLabel] | None = None,
                 only: list[tuple[float, float, float, float]] | None = None) -> bool:
    """Paint ``layers`` (bottom first) at ``viewport`` with the painter's origin at the view's
    top-left pixel; False if cancelled. The canvas paints into an image; print layouts paint
    the same way onto a PDF, SVG or image page, with ``pen_scale`` (device pixels per screen
    pixel) for line widths, ``text_labels`` writing labels as text (selectable in a PDF) and
    ``vector`` filling and stroking each path at once, coordinates rounded to ``vector_grid_px``
    (see render_flat.draw_flat_class).
    Labels go to ``label_painter`` when given (the canvas keeps them above the selection);
    one placement runs over all layers (gisapp.core.geo.label_placement), and ``placed_out``
    receives where each label went. ``only`` (map extents) draws just the features that meet
    them and no labels: a patch of an image drawn before (see :func:`patch_rendered`)."""
    visible: list[tuple[LayerSnapshot, ProjectedCache, np.ndarray]] = []
    for snapshot in layers:
        if cancelled is not None and cancelled.is_set():
            return False
        if isinstance(snapshot, TileSnapshot):  # a basemap, in tree order among the vector layers
            draw_tiles(painter, snapshot, viewport)
            continue
        if isinstance(snapshot, RasterSnapshot):  # read and warped here, off the UI thread
            draw_raster(painter, snapshot, viewport, painter.device().devicePixelRatioF())
            continue
        cache = snapshot.projected()
        symbol_index = snapshot.symbol_index()
        if len(symbol_index) != len(cache.flat) or (len(symbol_index) and
                                                    symbol_index.max() >= len(snapshot.symbols)):
            continue  # the layer or its style changed after the snapshot; a new render is on its way
        if only is None:
            positions = cache.flat.positions_in(*viewport.extent)
        else:  # stored positions ascending, as for the whole view, so the drawing order is the same
            positions = np.unique(np.concatenate([cache.flat.positions_in(*extent) for extent in only]))
        visible.append((snapshot, cache, positions))
        if len(positions) == 0:
            continue
        painter.setOpacity(snapshot.opacity)
        if not _draw_layer(painter, snapshot, cache, positions, symbol_index, viewport, cancelled, pen_scale,
                           vector, vector_grid_px):
            return False
    painter.setOpacity(1.0)
    # Labels last, over every layer, so they are never hidden under fills.
    if cancelled is not None and cancelled.is_set():
        return False
    if only is not None:
        return True
    placed = draw_labels(label_painter or painter, visible, viewport, label_font, pen_scale, text_labels)
    if placed_out is not None:
        placed_out.extend(placed)
    return True


def _draw_layer(painter: QPainter, snapshot: LayerSnapshot, cache: ProjectedCache, positions: np.ndarray,
                symbol_index: np.ndarray, viewport: Viewport, cancelled: threading.Event | None,
                pen_scale: float = 1.0, vector: bool = False, vector_grid_px: float = 0.1) -> bool:
    """Draw one layer's visible features (stored positions), symbol class by class."""
    flat = cache.flat
    classes = symbol_index[flat.rows_at(positions)]
    for symbol_id in np.unique(classes):
        chosen = positions[classes == symbol_id]
        symbol = snapshot.symbols[symbol_id]
        if snapshot.family == "point":
            draw_features(painter, cache.take(np.sort(flat.rows_at(chosen))), "point", symbol, viewport, pen_scale)
            continue
        normal, huge = split_huge(flat, chosen, viewport.extent)
        if len(huge):  # far larger than the view: clip with shapely first
            geoms = _prepare(cache.take(np.sort(flat.rows_at(huge))), snapshot.family, viewport)
            draw_features(painter, geoms, snapshot.family, symbol, viewport, pen_scale)
        brush = symbol_brush(symbol) if snapshot.family == "polygon" else QBrush(Qt.NoBrush)
        # A small layer draws each class as one path, as before; a large one in many small
        # paths (one path of a few features spread over the view already costs 1.6 ms).
        small = len(flat) <= SINGLE_PATH_MAX_FEATURES
        simplify = not small or vertex_count(flat, normal) > SIMPLIFY_ABOVE_VERTICES
        if not draw_flat_class(painter, flat, normal, viewport.extent, viewport.resolution, outline_pen(symbol, pen_scale),
                               brush, cancelled, single_path=small, simplify=simplify, vector=vector,
                               vector_grid_px=vector_grid_px):
            return False
    return True


def vertex_count(flat: FlatGeometry | PatchedFlat, positions: np.ndarray) -> int:
    starts, ends = flat.vertex_ranges(positions)
    return int((ends - starts).sum())


MAX_LABEL_CANDIDATES = 400  # per layer, largest features first: the rest would not find room
MIN_POLYGON_LABEL_PX = 24  # a polygon narrower than this on screen gets no label


def layer_font(base: QFont, style: LabelStyle) -> QFont:
    """The base label font (points on the canvas, device pixels in print) at the layer's size."""
    font = QFont(base)
    ratio = style.size_pt / DEFAULT_SIZE_PT
    if font.pixelSize() > 0:
        font.setPixelSize(max(1, round(font.pixelSize() * ratio)))
    else:
        font.setPointSizeF(max(1.0, font.pointSizeF() * ratio))
    if style.font_family != LabelStyle().font_family:  # the user's or a QGIS style's choice
        font.setFamily(style.font_family)
    return font


def _label_candidates(snapshot: LayerSnapshot, cache: ProjectedCache, positions: np.ndarray,
                      viewport: Viewport, pen_scale: float) -> np.ndarray:
    """Rows worth labelling in view, largest first (at most MAX_LABEL_CANDIDATES)."""
    rows = np.sort(cache.flat.rows_at(positions))
    bounds = cache.bounds_of(rows)
    sizes_px = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) / viewport.resolution
    if snapshot.family == "polygon":
        widths_px = (bounds[:, 2] - bounds[:, 0]) / viewport.resolution
        eligible = np.flatnonzero(widths_px >= MIN_POLYGON_LABEL_PX * pen_scale)
    else:
        eligible = np.flatnonzero(np.isfinite(sizes_px))
    return rows[eligible[largest_first(sizes_px[eligible], MAX_LABEL_CANDIDATES)]]


def draw_labels(painter: QPainter, visible: list[tuple[LayerSnapshot, ProjectedCache, np.ndarray]],
                viewport: Viewport, base_font: QFont, pen_scale: float = 1.0,
                text_labels: bool = False) -> list[PlacedLabel]:
    """Place the labels of every visible layer at once and paint them; returns where they went."""
    scale: float | None = None
    requests: list[LayerLabels] = []
    looks: dict[str, tuple[LabelStyle, QFont]] = {}
    count = len(visible)
    for order, (snapshot, cache, positions) in enumerate(visible):
        if snapshot.labels is None or not len(positions) or snapshot.opacity <= 0:
            continue
        style = snapshot.label_style or LabelStyle()
        if style.min_scale > 0 or style.max_scale > 0:
            if scale is None:
                scale = viewport.scale_denominator(96.0 * pen_scale)
            if not style.shown_at(scale):
                continue
        rows = _label_candidates(snapshot, cache, positions, viewport, pen_scale)
        if not len(rows):
            continue
        font = layer_font(base_font, style)
        # Print passes a font sized in pixels, so the halo path and the text agree on any device.
        metrics = QFontMetricsF(font, painter.device()) if text_labels else QFontMetricsF(font)

        def measure(text: str, metrics: QFontMetricsF = metrics) -> tuple[float, float, float]:
            return metrics.horizontalAdvance(text), metrics.height(), metrics.ascent()

        looks[snapshot.layer_id] = (style, font)
        requests.append(LayerLabels(
            key=snapshot.layer_id, family=snapshot.family, geoms=cache.take(rows),
            texts=snapshot.labels(rows).tolist(), measure=measure,
            placement=style.placement_for(snapshot.family), position=style.position,
            distance_px=style.distance_px * pen_scale, priority=style.priority, always_show=style.always_show,
            rank=count - 1 - order, padding_px=(3.0 * pen_scale, 2.0 * pen_scale)))
    if not requests:
        return []
    xmin, _, _, ymax = viewport.extent
    placed = place_labels(requests, View(xmin, ymax, viewport.resolution, viewport.width, viewport.height))
    for label in placed:
        style, font = looks[label.key]
        _paint_label(painter, label, style, font, pen_scale, text_labels)
    return placed


def _paint_label(painter: QPainter, label: PlacedLabel, style: LabelStyle, font: QFont, pen_scale: float,
                 text_labels: bool) -> None:
    painter.save()
    painter.translate(label.cx, label.cy)
    if label.angle:
        painter.rotate(label.angle)
    origin = QPointF(-label.width / 2, -label.height / 2 + label.ascent)
    path = QPainterPath()
    path.addText(origin, font, label.text)
    if style.halo and style.halo_width_px > 0:
        halo = QPen(qcolor(style.halo_color, style.halo_opacity), 2 * style.halo_width_px * pen_scale)
        halo.setJoinStyle(Qt.RoundJoin)
        painter.strokePath(path, halo)
    if text_labels:
        painter.setFont(font)
        painter.setPen(QColor(style.color))
        painter.drawText(origin, label.text)
    else:
        painter.fillPath(path, QColor(style.color))
    painter.restore()


def largest_first(values: np.ndarray, limit: int) -> np.ndarray:
    """``np.argsort(-values, kind="stable")[:limit]`` without sorting all of ``values``."""
    if len(values) <= limit:
        return np.argsort(-values, kind="stable")
    threshold = np.partition(values, len(values) - limit)[len(values) - limit]
    above = np.flatnonzero(values > threshold)
    ties = np.flatnonzero(values == threshold)[: limit - len(above)]
    chosen = np.concatenate([above, ties])
    return chosen[np.argsort(-values[chosen], kind="stable")]


# Rendering has a thread of its own, shared by every canvas: layer caches (which use pyproj
# on this thread) are built here, and the UI thread keeps priority over it.
RENDER_THREAD = WorkerThread("gisapp-render", yield_to_ui=True)


class RenderJob(Job):
    """One render of ``layers`` at ``viewport``; ``rendered`` is None if it was cancelled."""

    def __init__(self, layers: list[AnySnapshot], viewport: Viewport, font: QFont,
                 device_pixel_ratio: float = 1.0, patch: ImagePatch | None = None) -> None:
        super().__init__()
        self.layers = layers
        self.viewport = viewport
        self.font = QFont(font)
        self.device_pixel_ratio = device_pixel_ratio
        self.patch = patch  # redraw only the changed areas of the last image
        self.covers = 0  # how many of the canvas's pending changes this job draws

    def work(self) -> RenderedMap | None:
        if self.patch is not None:
            return patch_rendered(self.layers, self.viewport, self.patch, self.cancelled)
        return render_layers(self.layers, self.viewport, self.font, self.cancelled, self.device_pixel_ratio)

    @property
    def rendered(self) -> RenderedMap | None:
        return self.result
