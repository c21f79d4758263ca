"""The map canvas: pans, zooms, identifies, and shows off-thread renders."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import partial

import numpy as np
from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

from gisapp.core.editing.tools import Overlay
from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point, transformer
from gisapp.core.geo.viewport import (
    INVERTED,
    NOT_FINITE,
    Viewport,
    extent_problem,
    nice_scale_bar,
    with_min_span,
)
from gisapp.core.model.identify import features_at
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.model.style import MAP_BACKGROUND, Symbol
from gisapp.core.model.tile_layer import TileLayer
from gisapp.io.errors import GisIOError
from gisapp.io.tiles.cache import DiskTileCache
from gisapp.io.tiles.sources import has_hidpi
from gisapp.ui.map.overlay import (
    TOOL_KEYS,
    key_event,
    mouse_event,
    mouse_event_leave,
    paint_overlay,
)
from gisapp.ui.map.rasters import RasterSnapshot
from gisapp.ui.map.render import (
    MAX_PIXEL_COORDINATE,
    PATCH_PAD_PX,
    RENDER_THREAD,
    AnySnapshot,
    ImagePatch,
    LayerSnapshot,
    RenderedMap,
    RenderJob,
    draw_features,
    symbol_reach_px,
)
from gisapp.ui.map.tiles import TileLayerView
from gisapp.ui.workers import JobRunner

SEA_COLOUR = QColor(MAP_BACKGROUND)
SELECTION_SYMBOL = Symbol(fill="#ffff00", fill_opacity=0.35, stroke="#ff00ff", stroke_width=2.5, size=11)
WHEEL_STEP = 1.25
CLICK_SLOP_PX = 4
IDENTIFY_TOLERANCE_PX = 6


class MapCanvas(QWidget):
    """Shows a project; the last finished image is transformed while a new one renders."""

    viewportChanged = Signal(object)  # Viewport
    cursorMoved = Signal(float, float)  # lon, lat
    featureClicked = Signal(str, int, bool)  # layer id, row, add to selection
    emptyClicked = Signal()
    rasterClicked = Signal(str, float, float)  # raster layer id, x, y in the canvas CRS (no feature hit)
    renderFinished = Signal()
    renderFailed = Signal(str)  # why the map could not be drawn (the last image stays)
    message = Signal(str)  # why a zoom was refused or a layer left out (for the status bar)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.project: Project | None = None
        self.lang = "en"
        self.viewport = Viewport(width=max(1, self.width()), height=max(1, self.height()))
        self._image = None  # the features of the last finished render
        self._label_image = None  # its labels, painted above the selection
        self.placed_labels: list = []
        self._image_viewport: Viewport | None = None
        self._job: RenderJob | None = None
        self._renderer = JobRunner(RENDER_THREAD, self)
        self._renderer.finished.connect(self._on_render_finished)
        self._render_timer = QTimer(self, singleShot=True, interval=30)
        self._render_timer.timeout.connect(self._start_render)
        # An edit that changed a few features redraws only their areas of the last image
        # (render.ImagePatch): the map bounds of each change since the image the canvas
        # shows, or None once anything else changed (the next render draws everything).
        self._changed_bounds: list[np.ndarray] | None = None
        self._press_pos: QPointF | None = None
        self._last_drag_pos: QPointF | None = None
        self._dragging = False
        self._fitted_once = False
        self._auto_fit = True
        self._closed = False
        self.last_render_ms = 0.0
        self.last_render_patched = False  # the last image shown redrew only what edits changed
        self.last_render_error = ""
        self.last_render_traceback = ""
        self._render_clock = QElapsedTimer()
        self.label_font = QFont(self.font())
        self.label_font.setPointSizeF(max(8.5, self.font().pointSizeF()))
        # Map tools (gisapp.ui.editing.canvas_tools): an object with active(), canvas_event(MapEvent),
        # canvas_overlay() and cursor_shape(). Without an active tool the canvas pans and
        # identifies; with one, the middle button or space + left drag still pans.
        self.interaction = None
        # Other things drawn over the map (history ghosts, others' live changes): callables
        # returning an Overlay in the canvas CRS, painted after the tool's overlay.
        self.overlay_sources: list = []
        self._pan_last: QPointF | None = None
        self._space_down = False
        self._cursor_px: tuple[float, float] | None = None
        # Basemaps: one view of tiles per tile layer, sharing the disk cache.
        self.tile_cache = DiskTileCache()
        self.tile_timeout_s: float | None = None  # None: the fetcher's default (tests shorten it)
        self._tile_views: dict[str, TileLayerView] = {}
        self._tile_problems_said: set[tuple[str, str]] = set()
        # Tiles arrive in bursts: one redraw for those of 25 ms (this timer is the debounce).
        self._tile_timer = QTimer(self, singleShot=True, interval=25)
        self._tile_timer.timeout.connect(self._redraw_for_tiles)
        self.basemap_note = ""  # said on the map when basemaps cannot be drawn in this CRS
        # A point shown for a while (Go to coordinate), kept in lon/lat across CRS changes.
        self.marker_lonlat: tuple[float, float] | None = None
        self._marker_timer = QTimer(self, singleShot=True)
        self._marker_timer.timeout.connect(self.clear_marker)
        self._raster_problems_said: set[str] = set()

    # --- project and state -----------------------------------------------------------
    def set_project(self, project: Project) -> None:
        if self.project is not None:
            self.project.layers_changed.disconnect(self.refresh)
            self.project.layer_changed.disconnect(self._on_layer_changed)
        self._drop_tile_views(keep=set())
        self.project = project
        project.layers_changed.connect(self.refresh)
        project.layer_changed.connect(self._on_layer_changed)
        for layer in project.vector_layers():
            layer.selection_changed.connect(self.update)
        self.viewport = Viewport(width=max(1, self.width()), height=max(1, self.height()),
                                 crs=project.canvas_crs)
        self._image = None
        self.zoom_full()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.refresh()

    def set_crs(self, crs: str) -> None:
        """Reproject the view: keep the same area in sight in the new CRS."""
        if self.project is None or crs == self.viewport.crs:
            return
        xmin, ymin, xmax, ymax = self.viewport.extent
        corners = [transform_point(x, y, self.viewport.crs, crs)
                   for x, y in ((xmin, ymin), (xmin, ymax), (xmax, ymin), (xmax, ymax))]
        xs, ys = zip(*corners, strict=True)
        self.project.canvas_crs = crs
        self._image = None
        fresh = Viewport(width=self.viewport.width, height=self.viewport.height, crs=crs)
        bounds = (min(xs), min(ys), max(xs), max(ys))
        if extent_problem(bounds, crs) is None:
            self._set_viewport(fresh.fitted(bounds, margin=0))
        else:  # the view lies outside the new CRS's area: show the data instead
            self.viewport = fresh
            self.zoom_full()

    def _on_layer_changed(self, layer, reason: str) -> None:
        if reason == "data" and self._patch_data_change(layer):
            return
        if reason != "metadata":
            self.refresh()

    def _patch_data_change(self, layer) -> bool:
        """Schedule a redraw of only what ``layer``'s last edit touched, at once (no debounce:
        an edit is one event, not a stream of wheel steps); False if the whole view must be drawn."""
        if self._changed_bounds is None or self._image is None or not isinstance(layer, VectorLayer) \
                or layer.has_labels(self.lang):  # labels are placed over all layers at once
            return False
        bounds = layer.changed_bounds(self.viewport.crs)
        if bounds is None:
            return False
        self._changed_bounds.append(bounds)
        if not self._render_timer.isActive():
            self._render_timer.start(0)
        return True

    # --- navigation ------------------------------------------------------------------
    def _set_viewport(self, viewport: Viewport) -> None:
        if not viewport.is_usable():  # defence in depth: Qt must never see NaN or 1e308
            self.message.emit(self.tr("The map cannot show that view: it lies outside the range of "
                                      "real coordinates."))
            return
        self._auto_fit = False  # the user (or code) chose a view: resizes keep it
        self.viewport = viewport
        self.viewportChanged.emit(viewport)
        self.update()
        self.refresh()

    def _extent_reason(self, problem: str) -> str:
        if problem == NOT_FINITE:
            return self.tr("it has no usable coordinates (empty, or not finite numbers)")
        if problem == INVERTED:
            return self.tr("its extent is empty")
        return self.tr("its coordinates lie far outside the map CRS (is the layer's CRS right?)")

    def full_extent(self) -> tuple[float, float, float, float] | None:
        """Extent of the plan layers (base layers only if nothing else is visible); layers
        whose extent cannot be shown are left out (see :meth:`zoom_full`)."""
        return self._full_extent()[0]

    def _full_extent(self) -> tuple[tuple[float, float, float, float] | None, list[str]]:
        """The extent and one note per layer left out of it."""
        if self.project is None:
            return None, []
        crs = self.viewport.crs
        vector = self.project.vector_layers()
        chosen = [layer for layer in vector if layer.visible and layer.group != "base" and len(layer)]
        if not chosen:
            chosen = [layer for layer in vector if len(layer)]
        if not chosen:  # only rasters (a georeferenced figure on its own)
            chosen = [layer for layer in self.project.layers if isinstance(layer, RasterLayer)]
        boxes, notes = [], []
        for layer in chosen:
            bounds = layer.bounds_in(crs)
            problem = NOT_FINITE if bounds is None else extent_problem(bounds, crs)
            if problem is None:
                boxes.append(bounds)
            else:
                notes.append(self.tr("{layer} is left out of the full extent: {reason}.").format(
                    layer=layer.title(self.lang), reason=self._extent_reason(problem)))
        if not boxes:
            return None, notes
        arr = np.array(boxes)
        return (float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()),
                float(arr[:, 3].max())), notes

    def zoom_full(self) -> None:
        extent, notes = self._full_extent()
        if notes:
            self.message.emit(" ".join(notes))
        if extent is not None:
            self._set_viewport(self.viewport.fitted(with_min_span(extent, self.viewport.crs)))
            self._auto_fit = True  # until the user navigates, follow window resizes

    def zoom_to_layer(self, layer_id: str) -> None:
        if self.project is None:
            return
        any_layer = self.project.map_layer(layer_id)
        if isinstance(any_layer, TileLayer):
            self._zoom_to_tiles(any_layer)
            return
        if isinstance(any_layer, RasterLayer):
            bounds = any_layer.bounds_in(self.viewport.crs)
            if bounds is None or extent_problem(bounds, self.viewport.crs) is not None:
                self.message.emit(self.tr("Cannot zoom to {layer}: its extent cannot be shown in this map CRS.")
                                  .format(layer=any_layer.title(self.lang)))
                return
            self._set_viewport(self.viewport.fitted(with_min_span(bounds, self.viewport.crs)))
            return
        layer = self.project.layer(layer_id)
        bounds = layer.bounds_in(self.viewport.crs)
        problem = NOT_FINITE if bounds is None else extent_problem(bounds, self.viewport.crs)
        if problem is not None:
            self.message.emit(self.tr("Cannot zoom to {layer}: {reason}.").format(
                layer=layer.title(self.lang), reason=self._extent_reason(problem)))
            return
        self._set_viewport(self.viewport.fitted(with_min_span(bounds, self.viewport.crs)))

    def _zoom_to_tiles(self, layer: TileLayer) -> None:
        """An MBTiles file knows its bounds; a tile server covers the world (nothing to fit)."""
        view = self._tile_views.get(layer.id)
        reader = view.fetcher.reader if view is not None else None
        if reader is None:
            return
        west, south, east, north = reader.info.bounds
        corners = [transform_point(x, y, STORAGE_CRS, self.viewport.crs) for x, y in ((west, south), (east, north))]
        bounds = (corners[0][0], corners[0][1], corners[1][0], corners[1][1])
        if extent_problem(bounds, self.viewport.crs) is None:
            self._set_viewport(self.viewport.fitted(bounds))

    def zoom_to_layers(self, layer_ids: list[str]) -> None:
        """Fit the view to the union of these layers (e.g. the files just opened)."""
        if self.project is None:
            return
        # Basemaps opened with the files (an .mbtiles) cover the world or their own box: the
        # view fits the vector layers.
        # A raster fits the view as a vector layer does.
        placed = [layer for layer in (self.project.map_layer(i) for i in layer_ids)
                  if isinstance(layer, VectorLayer | RasterLayer)]
        boxes = [b for b in (layer.bounds_in(self.viewport.crs) for layer in placed)
                 if b is not None and extent_problem(b, self.viewport.crs) is None]
        if boxes:
            arr = np.array(boxes)
            self._set_viewport(self.viewport.fitted((arr[:, 0].min(), arr[:, 1].min(),
                                                     arr[:, 2].max(), arr[:, 3].max())))

    def zoom_to_feature(self, layer_id: str, row: int) -> None:
        if self.project is None:
            return
        layer = self.project.layer(layer_id)
        bounds = layer.projected(self.viewport.crs).bounds_of([row])[0]
        problem = extent_problem(bounds, self.viewport.crs)
        if problem is not None:
            self.message.emit(self.tr("Cannot zoom to feature {number} of {layer}: {reason}.").format(
                number=row + 1, layer=layer.title(self.lang), reason=self._extent_reason(problem)))
            return
        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
        # Points and tiny features get some surroundings (in pixels of the current view).
        pad = max((xmax - xmin) * 0.25, (ymax - ymin) * 0.25, self.viewport.resolution * 40)
        padded = (xmin - pad, ymin - pad, xmax + pad, ymax + pad)
        if extent_problem(padded, self.viewport.crs) is not None:
            padded = with_min_span(bounds, self.viewport.crs)
        self._set_viewport(self.viewport.fitted(padded, margin=0))

    def show_extent(self, bounds: tuple[float, float, float, float], crs: str) -> bool:
        """Fit the view to ``bounds`` given in ``crs``; False (with a message) if the map cannot show them."""
        try:
            xmin, ymin, xmax, ymax = transformer(crs, self.viewport.crs).transform_bounds(*bounds)
        except Exception:  # pyproj: bounds the canvas CRS cannot place
            xmin = ymin = xmax = ymax = math.nan
        problem = extent_problem((xmin, ymin, xmax, ymax), self.viewport.crs)
        if problem is not None:
            self.message.emit(self.tr("The map cannot show that extent: {reason}.").format(
                reason=self._extent_reason(problem)))
            return False
        fitted = self.viewport.fitted((xmin, ymin, xmax, ymax), margin=0)
        # Centred on the extent's own centre: a box's corners move unevenly in another CRS.
        cx, cy = transform_point((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, crs, self.viewport.crs)
        centred = replace(fitted, center_x=cx, center_y=cy)
        self._set_viewport(centred if math.isfinite(cx) and math.isfinite(cy) and centred.is_usable() else fitted)
        return True

    def centre_on(self, x: float, y: float) -> bool:
        """Put (x, y) of the canvas CRS in the middle of the view, at the same scale."""
        moved = replace(self.viewport, center_x=float(x), center_y=float(y))
        if not moved.is_usable():
            self.message.emit(self.tr("The map cannot show that view: it lies outside the range of "
                                      "real coordinates."))
            return False
        self._set_viewport(moved)
        return True

    def show_marker(self, lon: float, lat: float, ms: int = 8000) -> None:
        """Mark a point (lon/lat) on the map for ``ms`` milliseconds."""
        self.marker_lonlat = (float(lon), float(lat))
        self._marker_timer.start(ms)
        self.update()

    def clear_marker(self) -> None:
        self.marker_lonlat = None
        self.update()

    def zoom_by(self, factor: float, anchor: tuple[float, float] | None = None) -> None:
        self._set_viewport(self.viewport.zoomed(factor, anchor))

    def pan_by(self, dx: float, dy: float) -> None:
        self._set_viewport(self.viewport.panned_pixels(dx, dy))

    # --- rendering -------------------------------------------------------------------
    def refresh(self) -> None:
        """Schedule a re-render of the whole view (debounced); stale jobs are cancelled when it starts."""
        self._changed_bounds = None
        self._render_timer.start(30)

    def is_rendering(self) -> bool:
        return self._render_timer.isActive() or self._job is not None

    def tiles_loading(self) -> bool:
        """Whether tiles of the current view are still on their way (or a redraw for them)."""
        return self._tile_timer.isActive() or any(view.loading() for view in self._tile_views.values()
                                                  if view.layer.visible)

    def tiles_missing(self) -> int:
        """Tiles of the current view that no basemap holds yet (failed ones included)."""
        return sum(len(view.missing) for view in self._tile_views.values())

    def tile_view(self, layer_id: str) -> TileLayerView | None:
        return self._tile_views.get(layer_id)

    def _tile_view_for(self, layer: TileLayer) -> TileLayerView | None:
        view = self._tile_views.get(layer.id)
        hidpi = self.devicePixelRatioF() > 1.0
        if view is not None and view.source == layer.source and view.hidpi == (hidpi and has_hidpi(layer.source)):
            return view
        if view is not None:
            view.close()
        try:
            view = TileLayerView(layer, self.tile_cache, hidpi=hidpi, timeout_s=self.tile_timeout_s,
                                 parent_object=self)
        except (ValueError, GisIOError) as exc:  # a refused source or a damaged file
            self._say_tile_problem(layer, "refused", str(exc))
            self._tile_views.pop(layer.id, None)
            return None
        view.tileArrived.connect(self._on_tile_arrived, Qt.QueuedConnection)
        view.failed.connect(lambda kind, layer=layer: self._on_tile_failed(layer, kind), Qt.QueuedConnection)
        self._tile_views[layer.id] = view
        return view

    def _drop_tile_views(self, keep: set[str]) -> None:
        for layer_id in [key for key in self._tile_views if key not in keep]:
            self._tile_views.pop(layer_id).close()

    def _redraw_for_tiles(self) -> None:
        if not self._render_timer.isActive():  # a view change already has a render on its way
            self._changed_bounds = None
            self._start_render()

    def _on_tile_arrived(self) -> None:
        if not self._tile_timer.isActive():
            self._tile_timer.start()

    def _on_tile_failed(self, layer: TileLayer, kind: str) -> None:
        reasons = {
            "offline": self.tr("the server cannot be reached (offline?)"),
            "timeout": self.tr("the server does not answer in time"),
            "no key": self.tr("no Tianditu key: add it in Layer > Add basemap"),
            "not an image": self.tr("the server sent something that is not an image"),
            "damaged file": self.tr("the file is damaged"),
        }
        self._say_tile_problem(layer, kind, reasons.get(kind, self.tr("the server answered {kind}").format(kind=kind)))

    def _say_tile_problem(self, layer: TileLayer, kind: str, reason: str) -> None:
        """Once per layer and kind of failure, not once per tile."""
        if (layer.id, kind) in self._tile_problems_said:
            return
        self._tile_problems_said.add((layer.id, kind))
        self.message.emit(self.tr("{layer}: some tiles are missing: {reason}. Cached tiles are shown.").format(
            layer=layer.title(self.lang), reason=reason))

    def _snapshots(self) -> list[AnySnapshot]:
        assert self.project is not None
        crs = self.viewport.crs
        snapshots: list[AnySnapshot] = []
        tile_layers = [layer for layer in self.project.layers if isinstance(layer, TileLayer)]
        self._drop_tile_views({layer.id for layer in tile_layers})
        self.basemap_note = ""
        for layer in self.project.map_render_order():
            if isinstance(layer, TileLayer):
                if not layer.visible:
                    continue
                view = self._tile_view_for(layer)
                planned = view.plan(self.viewport) if view is not None else None
                if planned is not None:
                    snapshots.append(planned)
                elif view is not None:  # tiles are Web Mercator; this view cannot be warped from it
                    self.basemap_note = self.tr("Basemaps are drawn in Web Mercator only: choose "
                                                "View > Map CRS > EPSG:3857 to see them.")
                continue
            if isinstance(layer, RasterLayer):
                if layer.visible:
                    snapshots.append(RasterSnapshot.of(layer))
                continue
            if not isinstance(layer, VectorLayer) or not layer.visible or len(layer) == 0:
                continue
            # Caches and symbol indexes are built in the render thread (seconds for a
            # million features), never here.
            snapshots.append(LayerSnapshot(
                layer_id=layer.id, family=layer.geometry_family, projected=partial(layer.projected, crs),
                symbol_index=layer.symbol_index, symbols=layer.style.symbols(), opacity=layer.opacity,
                labels=partial(layer.label_texts, self.lang) if layer.has_labels(self.lang) else None,
                label_style=layer.label_style,
            ))
        return snapshots

    def shutdown(self) -> None:
        """Stop rendering for good: cancel the job and wait for the worker thread.

        Python must not be finalised while a worker thread still runs Python code.
        """
        self._closed = True
        self._render_timer.stop()
        self._tile_timer.stop()
        self._drop_tile_views(keep=set())
        self._renderer.shutdown()
        self._job = None

    def _start_render(self) -> None:
        if self.project is None or self._closed:
            return
        if self._job is not None:
            self._job.cancel()
        snapshots = self._snapshots()
        patch = self._image_patch(snapshots)
        self._job = RenderJob(snapshots, self.viewport, self.label_font, self.devicePixelRatioF(), patch=patch)
        # The changes this job draws; those that come while it runs are drawn by the next.
        self._job.covers = len(self._changed_bounds) if self._changed_bounds is not None else 0
        if self._changed_bounds is None:
            self._changed_bounds = []  # from this image on, edits may patch it
        self._render_clock.start()
        self._renderer.submit(self._job)

    def _image_patch(self, snapshots: list[AnySnapshot]) -> ImagePatch | None:
        """A patch of the last image for the changes since it, if only edits came since and the
        image shows the current view; None: draw everything."""
        changed = self._changed_bounds
        if self._job is not None and self._job.patch is None:
            return None  # a whole-view render is being replaced: its reason still holds
        if not changed or self._image is None or self._label_image is None or self._image_viewport != self.viewport \
                or self._image.devicePixelRatio() != self.devicePixelRatioF() \
                or any(isinstance(snapshot, RasterSnapshot) for snapshot in snapshots):  # rasters warp the whole view
            return None
        pad = PATCH_PAD_PX + max((symbol_reach_px(symbol) for snapshot in snapshots
                                  if isinstance(snapshot, LayerSnapshot) for symbol in snapshot.symbols), default=0.0)
        base = RenderedMap(self._image, self._label_image, list(self.placed_labels))
        return ImagePatch(base, np.concatenate(changed), pad_px=pad)

    def _on_render_finished(self, job_id: int) -> None:
        job = self._renderer.take(job_id)
        if job is None or self._job is None or job_id != self._job.id:
            return  # a stale image from a cancelled job
        self.last_render_ms = self._render_clock.elapsed()
        if self._changed_bounds is not None:  # what this image shows needs no patch any more
            del self._changed_bounds[:job.covers]
        self.last_render_patched = job.patch is not None
        self._job = None
        self.last_render_error = job.error
        self.last_render_traceback = job.traceback  # for the error dialog's details
        if job.error:
            self.renderFailed.emit(job.error)
            return
        self._say_raster_problems(job.layers)
        self._image = job.rendered.features
        self._label_image = job.rendered.labels
        self.placed_labels = job.rendered.placed  # where the last render put its labels (view pixels)
        self._image_viewport = job.viewport
        self.update()
        self.renderFinished.emit()

    def _say_raster_problems(self, snapshots: list[AnySnapshot]) -> None:
        """Once per layer: a raster that could not be read is left out, the rest of the map draws."""
        for snapshot in snapshots:
            if isinstance(snapshot, RasterSnapshot) and snapshot.problems and \
                    snapshot.layer_id not in self._raster_problems_said:
                self._raster_problems_said.add(snapshot.layer_id)
                self.message.emit(self.tr("The raster could not be drawn: {problem}").format(
                    problem=snapshot.problems[0]))

    def wait_for_render(self, timeout_ms: int = 10_000) -> bool:
        """Process events until the current render is shown (for screenshots and tests)."""
        clock = QElapsedTimer()
        clock.start()
        while self.is_rendering() and clock.elapsed() < timeout_ms:
            QApplication.processEvents()
            self._renderer.wait(0.01)
        QApplication.processEvents()
        return not self.is_rendering()

    def wait_for_tiles(self, timeout_ms: int = 15_000) -> bool:
        """Process events until the basemaps' tiles of this view are drawn (or failed)."""
        clock = QElapsedTimer()
        clock.start()
        while clock.elapsed() < timeout_ms:
            self.wait_for_render(max(1, timeout_ms - clock.elapsed()))
            if not self.tiles_loading() and not self.is_rendering():
                return True
            self._renderer.wait(0.01)
            QApplication.processEvents()
        return False

    # --- painting --------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), SEA_COLOUR)
        if self._image is not None and self._image_viewport is not None:
            target = self._image_target_rect()
            if target is not None:
                painter.drawImage(target, self._image)
        painter.setRenderHint(QPainter.Antialiasing, True)
        self._paint_selection(painter)
        if self._label_image is not None and self._image is not None and self._image_viewport is not None:
            target = self._image_target_rect()
            if target is not None:
                painter.drawImage(target, self._label_image)
        if self.interaction is not None:
            paint_overlay(painter, self.interaction.canvas_overlay(), self.viewport)
        for source in self.overlay_sources:
            paint_overlay(painter, source(), self.viewport)
        if self.marker_lonlat is not None:
            x, y = transform_point(*self.marker_lonlat, STORAGE_CRS, self.viewport.crs)
            if math.isfinite(x) and math.isfinite(y):
                paint_overlay(painter, Overlay(markers=[(x, y, "target")]), self.viewport)
        self._paint_scale_bar(painter)
        self._paint_attribution(painter)
        if self.basemap_note:
            self._paint_note(painter, self.basemap_note)
        painter.end()

    def _image_target_rect(self) -> QRectF | None:
        """Where the last image's extent falls in the current view (pan/zoom preview), or
        None when that is no rectangle Qt can draw into (zoomed far in since, or a view
        that went wrong): the new render will be shown instead."""
        old = self._image_viewport
        xmin, ymin, xmax, ymax = old.extent
        left, top = self.viewport.map_to_pixel(xmin, ymax)
        right, bottom = self.viewport.map_to_pixel(xmax, ymin)
        corners = (left, top, right, bottom)
        if not all(math.isfinite(v) and abs(v) <= MAX_PIXEL_COORDINATE for v in corners):
            return None
        if right - left <= 0 or bottom - top <= 0:
            return None
        return QRectF(QPointF(left, top), QPointF(right, bottom))

    def _paint_selection(self, painter: QPainter) -> None:
        if self.project is None:
            return
        for layer in self.project.render_order():
            if not layer.visible or len(layer.selection) == 0:
                continue
            geoms = layer.projected_rows(self.viewport.crs, layer.selection, self.viewport.extent)
            if geoms is not None:  # None until the render thread has projected the layer
                draw_features(painter, geoms, layer.geometry_family, SELECTION_SYMBOL, self.viewport)

    def _paint_scale_bar(self, painter: QPainter) -> None:
        metres, pixels, label = nice_scale_bar(self.viewport.ground_metres_per_pixel(), 140)
        if pixels <= 0:
            return
        x0, y0 = 16.0, self.height() - 22.0
        painter.setPen(QPen(QColor(40, 40, 40), 2))
        painter.setBrush(QBrush(QColor(255, 255, 255, 200)))
        painter.drawRect(QRectF(x0 - 6, y0 - 20, pixels + 12 + 50, 30))
        painter.drawLine(QPointF(x0, y0), QPointF(x0 + pixels, y0))
        painter.drawLine(QPointF(x0, y0 - 5), QPointF(x0, y0 + 3))
        painter.drawLine(QPointF(x0 + pixels, y0 - 5), QPointF(x0 + pixels, y0 + 3))
        painter.drawText(QPointF(x0 + pixels + 6, y0 + 4), label)

    def attribution_text(self) -> str:
        """The project's attribution and that of every visible basemap (with its 审图号)."""
        if self.project is None:
            return ""
        parts = [layer.source.attribution_text() for layer in self.project.layers
                 if isinstance(layer, TileLayer) and layer.visible and layer.source.attribution_text()]
        if self.project.attribution:
            parts.append(self.project.attribution)
        return " | ".join(dict.fromkeys(parts))

    def _paint_note(self, painter: QPainter, text: str) -> None:
        metrics = painter.fontMetrics()
        width = min(self.width() - 20, metrics.horizontalAdvance(text) + 16)
        rect = QRectF((self.width() - width) / 2, 8, width, metrics.height() + 8)
        painter.fillRect(rect, QColor(255, 248, 220, 235))
        painter.setPen(QColor(90, 60, 0))
        painter.drawText(rect, Qt.AlignCenter, metrics.elidedText(text, Qt.ElideRight, int(width) - 8))

    def _paint_attribution(self, painter: QPainter) -> None:
        text = self.attribution_text()
        if not text:
            return
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        text = metrics.elidedText(text, Qt.ElideMiddle, max(80, self.width() - 260))
        width = metrics.horizontalAdvance(text) + 10
        rect = QRectF(self.width() - width, self.height() - metrics.height() - 4, width, metrics.height() + 4)
        painter.fillRect(rect, QColor(255, 255, 255, 190))
        painter.setPen(QColor(60, 60, 60))
        painter.drawText(rect, Qt.AlignCenter, text)

    # --- events ----------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        self.viewport = self.viewport.resized(self.width(), self.height())
        if self.project is not None and self.isVisible() and (self._auto_fit or not self._fitted_once):
            self._fitted_once = True
            self.zoom_full()
            return
        self.viewportChanged.emit(self.viewport)
        self.refresh()

    def showEvent(self, event) -> None:
        if not self._fitted_once and self.project is not None:
            self._fitted_once = True
            self.viewport = self.viewport.resized(self.width(), self.height())
            self.zoom_full()

    def _tool_active(self) -> bool:
        return self.interaction is not None and self.interaction.active()

    def _send(self, map_event) -> None:
        if self.interaction.canvas_event(map_event):
            self.update()
        shape = self.interaction.cursor_shape()
        if shape is not None and self._pan_last is None:
            self.setCursor(shape)

    def mousePressEvent(self, event) -> None:
        if self._tool_active():
            if event.button() == Qt.MiddleButton or (event.button() == Qt.LeftButton and self._space_down):
                self._pan_last = event.position()
                self.setCursor(Qt.ClosedHandCursor)
            else:
                self._send(mouse_event("press", event, self.viewport))
            return
        if event.button() == Qt.LeftButton:
            self._press_pos = event.position()
            self._last_drag_pos = event.position()
            self._dragging = False

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        x, y = self.viewport.pixel_to_map(pos.x(), pos.y())
        lon, lat = transform_point(x, y, self.viewport.crs, STORAGE_CRS)
        self.cursorMoved.emit(lon, lat)
        self._cursor_px = (pos.x(), pos.y())
        if self._pan_last is not None:
            delta = pos - self._pan_last
            self._pan_last = pos
            self._set_viewport(self.viewport.panned_pixels(delta.x(), delta.y()))
            return
        if self._tool_active():
            self._send(mouse_event("move", event, self.viewport))
            return
        if self._press_pos is None or not (event.buttons() & Qt.LeftButton):
            return
        if not self._dragging and (pos - self._press_pos).manhattanLength() > CLICK_SLOP_PX:
            self._dragging = True
            self.setCursor(Qt.ClosedHandCursor)
        if self._dragging:
            delta = pos - self._last_drag_pos
            self._last_drag_pos = pos
            self._set_viewport(self.viewport.panned_pixels(delta.x(), delta.y()))

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_last is not None:
            self._pan_last = None
            self.unsetCursor()
            if self._tool_active():
                shape = self.interaction.cursor_shape()
                if shape is not None:
                    self.setCursor(shape)
            return
        if self._tool_active():
            self._send(mouse_event("release", event, self.viewport))
            return
        if event.button() != Qt.LeftButton or self._press_pos is None:
            return
        if not self._dragging:
            self.identify_at(event.position().x(), event.position().y(),
                             add=bool(event.modifiers() & Qt.ShiftModifier))
        self._press_pos = None
        self._dragging = False
        self.unsetCursor()

    def identify_at(self, px: float, py: float, add: bool = False) -> tuple[str, int] | None:
        if self.project is None:
            return None
        x, y = self.viewport.pixel_to_map(px, py)
        hits = features_at(self.project, self.viewport.crs, x, y,
                           IDENTIFY_TOLERANCE_PX * self.viewport.resolution)
        hits = [hit for hit in hits if self.project.layer(hit[0]).group != "base"] or hits  # vector hits only
        if not hits:
            raster = self.raster_at(x, y)
            if raster is not None:
                self.rasterClicked.emit(raster.id, x, y)
                return None
            self.emptyClicked.emit()
            return None
        layer_id, row = hits[0]
        self.featureClicked.emit(layer_id, row, add)
        return layer_id, row

    def raster_at(self, x: float, y: float) -> RasterLayer | None:
        """The topmost visible raster covering (x, y) in the canvas CRS."""
        if self.project is None:
            return None
        for layer in self.project.layers:
            if isinstance(layer, RasterLayer) and layer.visible:
                bounds = layer.bounds_in(self.viewport.crs)
                if bounds is not None and bounds[0] <= x <= bounds[2] and bounds[1] <= y <= bounds[3]:
                    return layer
        return None

    def mouseDoubleClickEvent(self, event) -> None:
        if self._tool_active():
            self._send(mouse_event("double", event, self.viewport))
            return
        super().mouseDoubleClickEvent(event)

    def leaveEvent(self, event) -> None:
        self._cursor_px = None
        if self._tool_active():
            self._send(mouse_event_leave(self.viewport))
        super().leaveEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self._space_down = False
        super().keyReleaseEvent(event)

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            pos = event.position()
            self.zoom_by(WHEEL_STEP ** steps, (pos.x(), pos.y()))

    def keyPressEvent(self, event) -> None:
        key = event.key()
        step = 60
        moves = {Qt.Key_Left: (step, 0), Qt.Key_Right: (-step, 0), Qt.Key_Up: (0, step), Qt.Key_Down: (0, -step)}
        if key == Qt.Key_Space and self._tool_active():
            self._space_down = True
            return
        if key in TOOL_KEYS and self._tool_active():
            map_event = key_event(event, self.viewport, self._cursor_px)
            if map_event is not None:
                self._send(map_event)
                return
        if key in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom_by(WHEEL_STEP)
        elif key == Qt.Key_Minus:
            self.zoom_by(1 / WHEEL_STEP)
        elif key in moves:
            self.pan_by(*moves[key])
        else:
            super().keyPressEvent(event)
