"""The layout editor's page preview: the page as it prints, items dragged and resized on it.

Map frames (map and overview items) are the slow part of a page. Each is drawn into an
image on the render thread (the canvas's), and the page is composed from these images on
the UI thread: moving a title or the legend reuses them, and a moved or resized map shows
its previous image stretched until the new one is ready. A big layer never holds the
editor while an item is dragged.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from gisapp.core.layout.atlas import AtlasPage, atlas_page
from gisapp.core.layout.items import Layout, LayoutItem
from gisapp.core.layout.snapping import snapped_position, snapped_size
from gisapp.core.model.project import Project
from gisapp.ui.layout.paint import (
    PageContext,
    fitted_layout,
    map_parts,
    paint_page,
    prepare_views,
    render_map_image,
)
from gisapp.ui.map.render import RENDER_THREAD
from gisapp.ui.workers import Job, JobRunner

HANDLE_MM = 4.0  # the resize handle at an item's bottom-right corner
MAP_KINDS = ("map", "overview")


def _warm_up_painting() -> None:
    """Call, on the UI thread, the QPainter overloads both threads use: PySide6 builds a Qt
    enum's Python type on first use, and two threads doing that at once crash."""
    image = QImage(4, 4, QImage.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setClipRect(QRectF(0, 0, 4, 4))
        painter.fillRect(QRectF(0, 0, 2, 2), QColor("#ffffff"))
        painter.fillRect(QRectF(0, 0, 2, 2), Qt.white)
        painter.setPen(QPen(QColor(0, 0, 0), 1, Qt.DashLine))
        painter.setBrush(Qt.NoBrush)
        painter.drawRect(QRectF(0, 0, 3, 3))
        painter.drawImage(QRectF(0, 0, 2, 2), QImage(1, 1, QImage.Format_RGB32))
        painter.drawText(QRectF(0, 0, 4, 4), int(Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap), "x")
        painter.translate(QPointF(1, 1))
        painter.setClipping(False)
    finally:
        painter.end()


class FrameJob(Job):
    """One map frame drawn into an image on the render thread; stops early when cancelled."""

    def __init__(self, item_id: str, *args) -> None:
        super().__init__()
        self.item_id = item_id
        self.frame_args = args

    def work(self) -> QImage:
        return render_map_image(*self.frame_args, cancelled=self.cancelled)


class PagePreview(QWidget):
    """The page drawn as it prints, with the chosen item outlined; drag to move, drag the
    corner handle to resize. ``itemChosen`` carries an item id; ``dragStarted`` and
    ``dragFinished`` bracket a move or resize (the editor makes it one undo step)."""

    itemChosen = Signal(str)
    dragStarted = Signal(str)
    dragFinished = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(400, 300)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        _warm_up_painting()
        self.layout_: Layout | None = None
        self.project: Project | None = None
        self.lang = "en"
        self.atlas_row = 0
        self.selected: str | None = None
        self._image: QImage | None = None
        self._fitted: Layout | None = None  # the page as drawn: a map over a short table grows
        self._drag: tuple[str, str, QPointF, tuple[float, float, float, float]] | None = None
        self._render_timer = QTimer(self, singleShot=True, interval=40)
        self._render_timer.timeout.connect(self._render)
        # Map frame images by item id: (what they show, the image), and the job drawing each.
        self._frames: dict[str, tuple[str, QImage]] = {}
        self._jobs: dict[str, tuple[str, Job]] = {}
        self._runner = JobRunner(RENDER_THREAD, self)
        self._runner.finished.connect(self._frame_ready)

    def set_layout(self, layout: Layout | None, project: Project, lang: str, atlas_row: int = 0) -> None:
        changed = layout is not self.layout_
        self.layout_, self.project, self.lang, self.atlas_row = layout, project, lang, atlas_row
        if changed:
            self.selected = None
        self.refresh(now=True)

    def atlas(self) -> AtlasPage | None:
        """The atlas page shown (the layout's atlas layer, feature ``atlas_row``), if any."""
        if self.layout_ is None or self.project is None or not self.layout_.atlas_layer:
            return None
        if self.layout_.atlas_layer not in {layer.id for layer in self.project.vector_layers()}:
            return None
        count = len(self.project.layer(self.layout_.atlas_layer))
        if not count:
            return None
        return atlas_page(self.project, self.layout_.atlas_layer, min(self.atlas_row, count - 1), self.lang)

    # --- geometry ------------------------------------------------------------------
    def ppm(self) -> float:
        """Widget pixels per millimetre of paper: the page fitted into the widget."""
        if self.layout_ is None:
            return 1.0
        width, height = self.layout_.page.size_mm
        return max(0.2, min((self.width() - 24) / width, (self.height() - 24) / height))

    def origin(self) -> QPointF:
        width, height = self.layout_.page.size_mm if self.layout_ else (0.0, 0.0)
        ppm = self.ppm()
        return QPointF((self.width() - width * ppm) / 2, (self.height() - height * ppm) / 2)

    def page_to_widget(self, x_mm: float, y_mm: float) -> QPointF:
        return self.origin() + QPointF(x_mm * self.ppm(), y_mm * self.ppm())

    def widget_to_page(self, point: QPointF) -> tuple[float, float]:
        local = point - self.origin()
        return local.x() / self.ppm(), local.y() / self.ppm()

    def item_at(self, x_mm: float, y_mm: float) -> LayoutItem | None:
        """The top-most item under the point (items later in the list are drawn on top)."""
        if self.layout_ is None:
            return None
        for item in reversed(self.layout_.items):
            if item.x <= x_mm <= item.x + item.width and item.y <= y_mm <= item.y + item.height:
                return item
        return None

    # --- drawing ---------------------------------------------------------------------
    def refresh(self, now: bool = False) -> None:
        if now:
            self._render()
        else:
            self._render_timer.start()

    def cancel_renders(self) -> None:
        """Stop drawing map frames (the editor closes): the canvas shares the render thread."""
        self._runner.cancel_all()
        self._jobs.clear()
        self._render_timer.stop()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.cancel_renders()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def busy(self) -> bool:
        """Whether a map frame is still being drawn on the render thread."""
        return self._runner.busy()

    def _context(self, ppm: float) -> PageContext:
        assert self.project is not None
        return PageContext(self.project, self.lang, ppm * 25.4, self.font().family(), self.atlas())

    def _frame_key(self, item: LayoutItem, layout: Layout, ctx: PageContext) -> str:
        """What a frame's image shows: a new key means a new render."""
        main = next((other.to_dict() for other in layout.items if other.id == item.map_id), None) \
            if item.kind == "overview" else None
        layers = [(layer.id, layer.visible, layer.opacity, len(layer), id(layer.style), id(layer.frame))
                  for layer in ctx.project.layers if hasattr(layer, "frame")]
        return json.dumps([item.to_dict(), main, round(ctx.dpi, 3), ctx.lang,
                           ctx.atlas.row if ctx.atlas else None, layers], default=str)

    def _render(self) -> None:
        """Compose the page now from the frame images there are; draw changed frames on the worker."""
        self._render_timer.stop()
        if self.layout_ is None or self.project is None:
            self._image = None
            self.update()
            return
        ppm = self.ppm() * self.devicePixelRatioF()
        ctx = self._context(ppm)
        width, height = self.layout_.page.size_mm
        image = QImage(max(1, round(width * ppm)), max(1, round(height * ppm)), QImage.Format_RGB32)
        dots = round(ppm * 1000)
        image.setDotsPerMeterX(dots)
        image.setDotsPerMeterY(dots)
        layout = fitted_layout(self.layout_, ctx, image)  # as the page prints (an atlas page's map may grow)
        self._fitted = layout
        prepare_views(layout, ctx)
        wanted = {item.id for item in layout.items if item.kind in MAP_KINDS}
        for item_id in list(self._frames):
            if item_id not in wanted:
                del self._frames[item_id]
        for item in layout.items:
            if item.kind not in MAP_KINDS or not self.isVisible():  # a hidden preview draws no maps
                continue
            key = self._frame_key(item, layout, ctx)
            if self._frames.get(item.id, ("", None))[0] == key:
                continue
            pending = self._jobs.get(item.id)
            if pending is not None and pending[0] == key:
                continue
            if pending is not None:
                pending[1].cancel()
            rect = ctx.rect(item)
            job = FrameJob(item.id, map_parts(item, ctx), round(rect.width()), round(rect.height()),
                           PageContext(ctx.project, ctx.lang, ctx.dpi, ctx.font_family))
            self._jobs[item.id] = (key, self._runner.submit(job))
        ctx.map_images = {item_id: frame for item_id, (_key, frame) in self._frames.items()}
        painter = QPainter(image)
        try:
            paint_page(painter, layout, ctx)
        finally:
            painter.end()
        self._image = image
        self.update()

    def _frame_ready(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        if job is None:
            return
        item_id = job.item_id  # type: ignore[attr-defined]
        if job.is_cancelled():
            return
        pending = self._jobs.get(item_id)
        if pending is None or pending[1] is not job:
            return  # an older render of a frame that changed since
        del self._jobs[item_id]
        if job.error or not isinstance(job.result, QImage):
            return  # a layer changed under the render: the next refresh draws it again
        self._frames[item_id] = (pending[0], job.result)
        self.refresh(now=True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.refresh()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#8a8a8a"))
        if self.layout_ is None:
            painter.end()
            return
        width, height = self.layout_.page.size_mm
        page_rect = QRectF(self.origin(), self.page_to_widget(width, height))
        if self._image is not None:
            painter.drawImage(page_rect, self._image)
        else:
            painter.fillRect(page_rect, Qt.white)
        x0, y0, cw, ch = self.layout_.page.content_mm
        painter.setPen(QPen(QColor(0, 120, 215, 90), 1, Qt.DashLine))
        painter.drawRect(QRectF(self.page_to_widget(x0, y0), self.page_to_widget(x0 + cw, y0 + ch)))
        item = self._selected_item()
        drawn = None
        if item is not None and self._fitted is not None and self._fitted is not self.layout_:
            try:
                drawn = self._fitted.item(item.id)
            except KeyError:
                drawn = None
        if drawn is not None and drawn.rect != item.rect:  # grown over a short table: dashed, as drawn
            painter.setPen(QPen(QColor(0, 120, 215), 1, Qt.DashLine))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(QRectF(self.page_to_widget(drawn.x, drawn.y),
                                    self.page_to_widget(drawn.x + drawn.width, drawn.y + drawn.height)))
        if item is not None:
            rect = QRectF(self.page_to_widget(item.x, item.y),
                          self.page_to_widget(item.x + item.width, item.y + item.height))
            painter.setPen(QPen(QColor(0, 120, 215), 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(rect)
            handle = HANDLE_MM * self.ppm()
            painter.fillRect(QRectF(rect.right() - handle, rect.bottom() - handle, handle, handle),
                             QColor(0, 120, 215))
        painter.end()

    def _selected_item(self) -> LayoutItem | None:
        if self.layout_ is None or not self.selected:
            return None
        try:
            return self.layout_.item(self.selected)
        except KeyError:
            return None

    # --- mouse -------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton or self.layout_ is None:
            return
        self.setFocus()
        x, y = self.widget_to_page(event.position())
        chosen = self._selected_item()
        on_handle = chosen is not None and \
            chosen.x + chosen.width - HANDLE_MM <= x <= chosen.x + chosen.width and \
            chosen.y + chosen.height - HANDLE_MM <= y <= chosen.y + chosen.height
        item = chosen if on_handle else self.item_at(x, y)
        if item is None:
            self.selected = None
            self.itemChosen.emit("")
            self.update()
            return
        self.selected = item.id
        self.itemChosen.emit(item.id)
        self.dragStarted.emit(item.id)
        self._drag = (item.id, "resize" if on_handle else "move", QPointF(x, y),
                      (item.x, item.y, item.width, item.height))
        self.update()

    def mouseMoveEvent(self, event) -> None:
        if self._drag is None or self.layout_ is None:
            return
        item_id, mode, start, (x0, y0, w0, h0) = self._drag
        x, y = self.widget_to_page(event.position())
        item = self.layout_.item(item_id)
        snap = not (event.modifiers() & Qt.AltModifier)  # Alt places freely, as in QGIS
        tolerance = 2.0 if snap else 0.0
        if mode == "move":
            item.x, item.y = snapped_position(self.layout_, item, x0 + x - start.x(), y0 + y - start.y(), tolerance)
        else:
            item.width, item.height = snapped_size(self.layout_, item, w0 + x - start.x(), h0 + y - start.y(),
                                                   tolerance)
        self.update()
        self.refresh()

    def mouseReleaseEvent(self, event) -> None:
        if self._drag is None:
            return
        item_id = self._drag[0]
        self._drag = None
        self.refresh(now=True)
        self.dragFinished.emit(item_id)
