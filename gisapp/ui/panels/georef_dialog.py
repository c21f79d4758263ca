"""Layer > Georeference image: control points clicked on an image and on the map, residuals, GeoTIFF.

The dialog shows the image; a click on it starts a control point, and the matching place is
then clicked on the main map (snapping to the vertices of visible layers) or typed as
longitude and latitude. The table lists every point with its residual, and the RMS is
given as points are added, removed or switched off. *Georeference* writes the GeoTIFF on a
worker thread, saves the points beside the image as QGIS's ``IMAGE.points``, and emits
:attr:`GeorefDialog.layerWritten` so the window opens the result as a layer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.editing.snapping import DEFAULT_TOLERANCE_PX
from gisapp.core.editing.tools.pick_point import PickPointTool
from gisapp.core.geo.geodesy import STORAGE_CRS, crs_label
from gisapp.core.geo.georef import (
    MIN_POINTS,
    OUTPUT_CRSS,
    TRANSFORM_KINDS,
    ControlPoint,
    Fit,
    GeorefError,
    fit_points,
    reproject_points,
)
from gisapp.io.errors import GisIOError
from gisapp.io.georef import (
    georeference,
    points_path,
    read_points,
    read_preview,
    write_points,
    write_world_file,
)
from gisapp.ui.plain import message_box, plain_label, set_plain
from gisapp.ui.workers import Job, JobRunner, WorkerThread

IMAGE_FILTER_SUFFIXES = "*.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp"
COLUMNS = 9  # #, on, image x, image y, lon, lat, dX, dY, residual
PENDING, ENABLED, DISABLED = QColor(230, 120, 0), QColor(200, 0, 60), QColor(120, 120, 120)


class ImageView(QGraphicsView):
    """The image, its control points, wheel zoom and middle-button pan; a left click emits
    the image position clicked (full-resolution pixels from the top-left corner)."""

    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.SmoothPixmapTransform, True)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setBackgroundBrush(QBrush(QColor(70, 70, 70)))
        self.setCursor(Qt.CrossCursor)
        self.factor = 1.0  # image pixels per preview pixel
        self.markers: list[tuple[str, float, float, QColor]] = []
        self._press: QPointF | None = None
        self._pan: QPointF | None = None
        self._zoomed = False  # until the user zooms, the image is fitted to the view

    def set_image(self, rgba: np.ndarray, factor: float) -> None:
        rows, cols = rgba.shape[:2]
        self._rgba = np.ascontiguousarray(rgba)  # QImage reads this buffer
        image = QImage(self._rgba.data, cols, rows, cols * 4, QImage.Format_RGBA8888)
        scene = self.scene()
        scene.clear()
        scene.addPixmap(QPixmap.fromImage(image))
        scene.setSceneRect(QRectF(0, 0, cols, rows))
        self.factor = factor
        self._zoomed = False
        self.fit()

    def fit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._zoomed:
            self.fit()

    def set_markers(self, markers: list[tuple[str, float, float, QColor]]) -> None:
        self.markers = markers
        self.viewport().update()

    def view_position(self, image_x: float, image_y: float) -> QPointF:
        """Where an image position is in the widget (tests click there)."""
        return QPointF(self.mapFromScene(QPointF(image_x / self.factor, image_y / self.factor)))

    def drawForeground(self, painter: QPainter, rect) -> None:
        painter.save()
        painter.resetTransform()
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        for label, x, y, colour in self.markers:
            p = self.view_position(x, y)
            painter.setPen(QPen(QColor(255, 255, 255), 4))
            painter.drawLine(QPointF(p.x() - 9, p.y()), QPointF(p.x() + 9, p.y()))
            painter.drawLine(QPointF(p.x(), p.y() - 9), QPointF(p.x(), p.y() + 9))
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(p.x() - 8, p.y()), QPointF(p.x() + 8, p.y()))
            painter.drawLine(QPointF(p.x(), p.y() - 8), QPointF(p.x(), p.y() + 8))
            painter.drawEllipse(p, 5, 5)
            painter.setPen(QPen(QColor(255, 255, 255)))
            painter.drawText(QPointF(p.x() + 9, p.y() - 7), label)
            painter.setPen(QPen(colour))
            painter.drawText(QPointF(p.x() + 8, p.y() - 8), label)
        painter.restore()

    def wheelEvent(self, event) -> None:
        step = 1.25 if event.angleDelta().y() > 0 else 1 / 1.25
        self._zoomed = True
        self.scale(step, step)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton or event.button() == Qt.RightButton:
            self._pan = event.position()
            self.setCursor(Qt.ClosedHandCursor)
        elif event.button() == Qt.LeftButton:
            self._press = event.position()

    def mouseMoveEvent(self, event) -> None:
        if self._pan is not None:
            delta = event.position() - self._pan
            self._pan = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))

    def mouseReleaseEvent(self, event) -> None:
        if self._pan is not None:
            self._pan = None
            self.setCursor(Qt.CrossCursor)
            return
        if event.button() == Qt.LeftButton and self._press is not None:
            moved = (event.position() - self._press).manhattanLength()
            self._press = None
            rect = self.scene().sceneRect()
            scene = self.mapToScene(event.position().toPoint())
            if moved <= 4 and rect.contains(scene):
                self.clicked.emit(scene.x() * self.factor, scene.y() * self.factor)


class MapPick:
    """The canvas's interaction while the dialog waits for a map position (see MapCanvas.interaction)."""

    def __init__(self, tool: PickPointTool) -> None:
        self.tool = tool

    def active(self) -> bool:
        return True

    def canvas_event(self, event) -> bool:
        return self.tool.handle(event)

    def canvas_overlay(self):
        return self.tool.overlay()

    def cursor_shape(self):
        return Qt.CrossCursor


class GeorefDialog(QDialog):
    """Control points, their residuals and the GeoTIFF of one image."""

    layerWritten = Signal(str)  # the GeoTIFF written: the window opens it as a layer

    def __init__(self, window, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("GeorefDialog")
        self.window = window  # canvas and project for map picks (the main window)
        self.lang = lang
        self.image: Path | None = None
        self.points: list[ControlPoint] = []  # map positions in WGS 84
        self.pending: tuple[float, float] | None = None  # an image position waiting for its map position
        self.fit: Fit | None = None
        self.problem = ""
        self.out_path: Path | None = None
        self._previous_interaction = None
        self._picking = False
        # Reading a large scan and warping it take seconds: both on a thread of the dialog's own.
        thread = WorkerThread("gisapp-georef")
        self.runner = JobRunner(thread, self)
        self.runner.finished.connect(self._warp_finished)
        self.reader = JobRunner(thread, self)
        self.reader.finished.connect(self._image_read)
        self.last_error = ""

        self.view = ImageView(self)
        self.view.clicked.connect(self.image_clicked)
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)

        self.btn_open = QPushButton(self)
        self.btn_open.clicked.connect(self.open_image_dialog)
        self.btn_load = QPushButton(self)
        self.btn_load.clicked.connect(self.load_points_dialog)
        self.btn_save_points = QPushButton(self)
        self.btn_save_points.clicked.connect(self.save_points)
        self.kind = QComboBox(self)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.crs = QComboBox(self)
        for crs in OUTPUT_CRSS:
            self.crs.addItem(crs_label(crs), crs)
        self.crs.currentIndexChanged.connect(self.refresh)
        self.world_file = QCheckBox(self)
        self.btn_output = QPushButton(self)
        self.btn_output.clicked.connect(self.choose_output)
        self.output_label = plain_label(parent=self)
        self.btn_delete = QPushButton(self)
        self.btn_delete.clicked.connect(self.delete_selected)
        self.lon = QDoubleSpinBox(self)
        self.lat = QDoubleSpinBox(self)
        for box, limit in ((self.lon, 180.0), (self.lat, 90.0)):
            box.setRange(-limit, limit)
            box.setDecimals(7)
            box.setSingleStep(0.0001)
        self.btn_add_typed = QPushButton(self)
        self.btn_add_typed.clicked.connect(self.add_typed)
        self.snap = QCheckBox(self)
        self.snap.setChecked(True)
        self.btn_run = QPushButton(self)
        self.btn_run.setDefault(True)
        self.btn_run.clicked.connect(self.run)
        self.btn_close = QPushButton(self)
        self.btn_close.clicked.connect(self.close)
        self.hint = plain_label(parent=self)
        self.hint.setWordWrap(True)
        self.rms = plain_label(parent=self)
        font = QFont(self.rms.font())
        font.setBold(True)
        self.rms.setFont(font)
        self.status = plain_label(parent=self)
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        for widget in (self.btn_open, self.btn_load, self.btn_save_points, self.snap):
            top.addWidget(widget)
        top.addStretch(1)
        self.kind_label, self.crs_label = plain_label(parent=self), plain_label(parent=self)
        for widget in (self.kind_label, self.kind, self.crs_label, self.crs):
            top.addWidget(widget)
        typed = QHBoxLayout()
        self.lon_label, self.lat_label = plain_label(parent=self), plain_label(parent=self)
        for widget in (self.lon_label, self.lon, self.lat_label, self.lat, self.btn_add_typed):
            typed.addWidget(widget)
        typed.addStretch(1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.hint)
        right_layout.addLayout(typed)
        right_layout.addWidget(self.table, 1)
        rms_row = QHBoxLayout()
        rms_row.addWidget(self.rms, 1)
        rms_row.addWidget(self.btn_delete)
        right_layout.addLayout(rms_row)
        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 540])  # the image gets the room; the table needs about 540 px
        self.splitter = splitter
        bottom = QHBoxLayout()
        bottom.addWidget(self.btn_output)
        bottom.addWidget(self.output_label, 1)
        bottom.addWidget(self.world_file)
        bottom.addWidget(self.btn_run)
        bottom.addWidget(self.btn_close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self.resize(1280, 760)
        self.retranslate()

    # --- texts -------------------------------------------------------------------------------------
    def kind_titles(self) -> dict[str, str]:
        return {"affine": self.tr("Affine (keeps the pixels)"), "poly1": self.tr("Polynomial, order 1"),
                "poly2": self.tr("Polynomial, order 2"), "tps": self.tr("Thin-plate spline")}

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Georeference image"))
        self.btn_open.setText(self.tr("Open image…"))
        self.btn_load.setText(self.tr("Load points…"))
        self.btn_save_points.setText(self.tr("Save points"))
        self.kind_label.setText(self.tr("Transform"))
        self.crs_label.setText(self.tr("Output CRS"))
        current = self.kind.currentData() or "affine"
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind, title in self.kind_titles().items():
            self.kind.addItem(title, kind)
        self.kind.setCurrentIndex(TRANSFORM_KINDS.index(current))
        self.kind.blockSignals(False)
        self.world_file.setText(self.tr("Also a world file beside the image"))
        self.btn_output.setText(self.tr("Output…"))
        self.btn_delete.setText(self.tr("Delete point"))
        self.lon_label.setText(self.tr("Longitude"))
        self.lat_label.setText(self.tr("Latitude"))
        self.btn_add_typed.setText(self.tr("Add with these coordinates"))
        self.snap.setText(self.tr("Snap to map vertices"))
        self.btn_run.setText(self.tr("Georeference and add layer"))
        self.btn_close.setText(self.tr("Close"))
        self.table.setHorizontalHeaderLabels([
            "#", self.tr("On"), self.tr("Image X"), self.tr("Image Y"), self.tr("Longitude"),
            self.tr("Latitude"), self.tr("dX (px)"), self.tr("dY (px)"), self.tr("Residual (m)")])
        self.refresh()

    # --- image and points files --------------------------------------------------------------------
    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open image"), str(Path.home()),
                                              self.tr("Images ({patterns})").format(patterns=IMAGE_FILTER_SUFFIXES))
        if path:
            self.open_image(path)

    def open_image(self, path: str | Path) -> bool:
        """Read the image on the worker thread, then show it with the points saved beside it
        (a file that cannot be read is said, and the open work stays); False if busy."""
        if self.reader.busy():
            return False
        self.say(self.tr("Reading {file}…").format(file=Path(path).name))
        self.reader.submit(Job(read_preview, Path(path)))
        return True

    def _image_read(self, job_id: int) -> None:
        job = self.reader.take(job_id)
        if job is None:
            return
        path = Path(job.args[0])
        if job.error:
            self.show_error(self.tr("The image was not opened"), job.error)
            return
        rgba, factor = job.result
        self.stop_map_pick()
        self.image = path
        self.points, self.pending = [], None
        self.view.set_image(rgba, factor)
        self.out_path = path.with_name(f"{path.stem}_georef.tif")
        self.say(self.tr("{file}: {width} × {height} pixels").format(
            file=path.name, width=round(rgba.shape[1] * factor), height=round(rgba.shape[0] * factor)))
        beside = points_path(path)
        if beside.is_file():
            self.load_points(beside)
        self.refresh()
        self.fit_table()

    def load_points_dialog(self) -> None:
        start = str(points_path(self.image)) if self.image else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load points"), start,
                                              self.tr("QGIS points (*.points)"))
        if path:
            self.load_points(path)

    def load_points(self, path: str | Path) -> bool:
        try:
            points, crs = read_points(path)
            points = reproject_points(points, crs, STORAGE_CRS)
        except (GisIOError, GeorefError) as exc:
            self.show_error(self.tr("The points were not loaded"), str(exc))
            return False
        self.points, self.pending = points, None
        self.refresh()
        self.fit_table()
        self.say(self.tr("{n} points loaded from {file}").format(n=len(points), file=Path(path).name))
        return True

    def save_points(self) -> Path | None:
        if self.image is None or not self.points:
            return None
        target = points_path(self.image)
        try:
            write_points(target, self.points, STORAGE_CRS, self._fit_in(STORAGE_CRS))
        except (GisIOError, OSError) as exc:
            self.show_error(self.tr("The points were not saved"), str(exc))
            return None
        self.say(self.tr("Points saved to {file}").format(file=target.name))
        return target

    def choose_output(self) -> None:
        start = str(self.out_path or Path.home())
        path, _ = QFileDialog.getSaveFileName(self, self.tr("GeoTIFF to write"), start, "GeoTIFF (*.tif)")
        if path:
            self.out_path = Path(path if path.lower().endswith((".tif", ".tiff")) else path + ".tif")
            self.refresh()

    # --- adding points ------------------------------------------------------------------------------
    def image_clicked(self, x: float, y: float) -> None:
        if self.image is None:
            return
        self.pending = (x, y)
        self.start_map_pick()
        self.refresh()

    def start_map_pick(self) -> None:
        canvas = self.window.canvas
        tool = PickPointTool(self.window.project, canvas.viewport.crs, self.map_picked,
                             snapping=self.snap.isChecked(), tolerance_px=DEFAULT_TOLERANCE_PX)
        if not self._picking:
            self._previous_interaction = canvas.interaction
        canvas.interaction = MapPick(tool)
        canvas.setCursor(Qt.CrossCursor)
        self._picking = True

    def stop_map_pick(self) -> None:
        if not self._picking:
            return
        canvas = self.window.canvas
        canvas.interaction = self._previous_interaction
        self._previous_interaction = None
        self._picking = False
        canvas.unsetCursor()
        canvas.update()

    def map_picked(self, lon: float, lat: float, snapped: bool) -> None:
        self.stop_map_pick()
        self.add_point(lon, lat)
        if snapped:
            self.say(self.tr("Point {n} snapped to a map vertex").format(n=len(self.points)))

    def add_typed(self) -> None:
        self.stop_map_pick()
        self.add_point(self.lon.value(), self.lat.value())

    def add_point(self, lon: float, lat: float) -> None:
        if self.pending is None:
            self.say(self.tr("Click the place on the image first."))
            return
        x, y = self.pending
        self.pending = None
        self.points.append(ControlPoint(x, y, lon, lat))
        self.refresh()
        self.table.scrollToBottom()

    def delete_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            if 0 <= row < len(self.points):
                del self.points[row]
        self.refresh()

    def set_enabled(self, row: int, on: bool) -> None:
        point = self.points[row]
        self.points[row] = ControlPoint(point.pixel_x, point.pixel_y, point.map_x, point.map_y, on)
        self.refresh()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        row, column = item.row(), item.column()
        if row >= len(self.points):
            return
        if column == 1:
            self.set_enabled(row, item.checkState() == Qt.Checked)
        elif column in (4, 5):
            try:
                value = float(item.text().replace(",", "."))
            except ValueError:
                self.refresh()
                return
            point = self.points[row]
            lon, lat = (value, point.map_y) if column == 4 else (point.map_x, value)
            self.points[row] = point.with_map(lon, lat)
            self.refresh()

    # --- fit, table, markers ---------------------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData() or "affine")

    def current_crs(self) -> str:
        return str(self.crs.currentData() or "EPSG:4326")

    def _fit_in(self, crs: str) -> Fit | None:
        try:
            return fit_points(reproject_points(self.points, STORAGE_CRS, crs), self.current_kind(), crs)
        except GeorefError:
            return None

    def refresh(self) -> None:
        """Fit again and show the residuals, the RMS and the markers."""
        if not hasattr(self, "table"):
            return
        kind = self.current_kind()
        self.fit, self.problem = None, ""
        enabled = sum(p.enabled for p in self.points)
        if enabled >= MIN_POINTS[kind]:
            try:
                self.fit = fit_points(reproject_points(self.points, STORAGE_CRS, self.current_crs()), kind,
                                      self.current_crs())
            except GeorefError as exc:
                self.problem = str(exc)
        self._fill_table()
        if self.fit is not None:
            set_plain(self.rms, self.tr("RMS {metres} m ({pixels} px) on {n} points").format(
                metres=f"{self.fit.rms_m:,.2f}", pixels=f"{self.fit.rms_px:.2f}", n=enabled))
        elif self.problem:
            set_plain(self.rms, self.problem, "#b00020")
        else:
            set_plain(self.rms, self.tr("{kind} needs at least {need} points ({n} so far)").format(
                kind=self.kind.currentText(), need=MIN_POINTS[kind], n=enabled))
        if self.image is None:
            self.hint.setText(self.tr("Open the image to place: a scanned plan, or the plan's layout figure."))
        elif self.pending is not None:
            self.hint.setText(self.tr("Point {n} is marked on the image. Now click the same place on the "
                                      "map (it snaps to vertices), or type its longitude and latitude and "
                                      "press Add.").format(n=len(self.points) + 1))
        else:
            self.hint.setText(self.tr("Click a place you can find on the map, on the image (wheel: zoom, "
                                      "right or middle button: pan)."))
        self.output_label.setText(str(self.out_path) if self.out_path else "")
        self.world_file.setEnabled(kind == "affine")
        self.btn_run.setEnabled(self.fit is not None and self.out_path is not None and not self.runner.busy())
        self.btn_add_typed.setEnabled(self.pending is not None)
        self.btn_save_points.setEnabled(bool(self.points) and self.image is not None)
        markers = [(str(i + 1), p.pixel_x, p.pixel_y, ENABLED if p.enabled else DISABLED)
                   for i, p in enumerate(self.points)]
        if self.pending is not None:
            markers.append((str(len(self.points) + 1), *self.pending, PENDING))
        self.view.set_markers(markers)

    def fit_table(self) -> None:
        """Give the table the width its columns need, the image the rest (at least 40 %)."""
        header = self.table.horizontalHeader()
        needed = sum(header.sectionSize(i) for i in range(COLUMNS)) + self.table.frameWidth() * 2 + 24
        total = sum(self.splitter.sizes())
        if total > 0:
            table = min(needed, int(total * 0.6))
            self.splitter.setSizes([total - table, table])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit_table()

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.points))
        residuals = self.fit.residuals if self.fit is not None else None
        for row, point in enumerate(self.points):
            cells = [str(row + 1), "", f"{point.pixel_x:.1f}", f"{point.pixel_y:.1f}", f"{point.map_x:.6f}",
                     f"{point.map_y:.6f}"]
            if residuals is not None:
                r = residuals[row]
                cells += [f"{r.dx_px:.2f}", f"{r.dy_px:.2f}", f"{r.metres:,.2f}"]
            else:
                cells += ["", "", ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                flags = Qt.ItemIsSelectable | Qt.ItemIsEnabled
                if column == 1:
                    flags |= Qt.ItemIsUserCheckable
                    item.setCheckState(Qt.Checked if point.enabled else Qt.Unchecked)
                if column in (4, 5):
                    flags |= Qt.ItemIsEditable
                if column >= 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if not point.enabled:
                    item.setForeground(QBrush(DISABLED))
                item.setFlags(flags)
                self.table.setItem(row, column, item)
        if residuals is not None and self.points:
            worst = max(range(len(self.points)), key=lambda i: residuals[i].metres if self.points[i].enabled else -1)
            if self.points[worst].enabled and len(self.points) > MIN_POINTS[self.current_kind()]:
                self.table.item(worst, 8).setForeground(QBrush(QColor(176, 0, 32)))
        self.table.blockSignals(False)

    # --- writing --------------------------------------------------------------------------------------
    def run(self) -> bool:
        """Write the GeoTIFF on the worker thread (the points are saved first)."""
        if self.image is None or self.fit is None or self.out_path is None or self.runner.busy():
            return False
        self.save_points()
        job = Job(georeference, self.image, list(self.points), STORAGE_CRS, self.current_kind(),
                  self.out_path, self.current_crs())
        job.kwargs["cancelled"] = job.is_cancelled
        self.runner.submit(job)
        self.say(self.tr("Writing {file}…").format(file=self.out_path.name))
        self.refresh()
        return True

    def _warp_finished(self, job_id: int) -> None:
        job = self.runner.take(job_id)
        self.refresh()
        if job is None:
            return
        if job.error:
            self.last_error = job.error
            self.show_error(self.tr("The GeoTIFF was not written"), job.error)
            return
        result = job.result
        extra = ""
        if self.world_file.isChecked() and self.current_kind() == "affine" and self.image is not None:
            try:
                extra = " · " + write_world_file(self.image, result.fit).name
            except (GisIOError, OSError) as exc:
                self.show_error(self.tr("The world file was not written"), str(exc))
        self.say(self.tr("Wrote {file} ({width} × {height}), RMS {metres} m").format(
            file=result.path.name, width=result.width, height=result.height,
            metres=f"{result.fit.rms_m:,.2f}") + extra)
        self.layerWritten.emit(str(result.path))

    def wait(self, timeout_s: float = 60.0) -> bool:
        """Wait for the image being read and the GeoTIFF being written, and take them (tests)."""
        from PySide6.QtCore import QCoreApplication

        done = self.reader.wait(timeout_s) and self.runner.wait(timeout_s)
        QCoreApplication.processEvents()
        return done

    # --- messages and closing ------------------------------------------------------------------------
    def say(self, text: str) -> None:
        set_plain(self.status, text)

    def show_error(self, title: str, text: str) -> None:
        self.last_error = text
        set_plain(self.status, text, "#b00020")
        box = message_box(QMessageBox.Warning, title, text, parent=self)
        box.setObjectName("GeorefErrorBox")
        box.open()

    def closeEvent(self, event) -> None:
        self.stop_map_pick()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.stop_map_pick()
        super().done(result)

    def shutdown(self) -> None:
        self.stop_map_pick()
        self.reader.shutdown()
        self.runner.shutdown()
        self.runner.worker_thread.shutdown()
