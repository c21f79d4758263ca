"""Opening files in the background: File > Open, drops, ``gisapp FILE`` and projects.

A file is read on the open thread in chunks (:class:`gisapp.io.vector.ReadProgress`). After
each chunk the features that can be shown are projected there, once, into the canvas CRS and
appended to what was shown before (:func:`gisapp.core.geo.flatgeom.concatenate_flat`); the
UI thread only swaps the grown frame and arrays into a layer (:class:`_Preview`). The status
bar shows features read of the total, with *Cancel*. A cancelled or failed open removes what
it showed and leaves the project as it was (also its unsaved flag). Files opened while one is
read wait in a queue; each call of :meth:`FileOpener.open` is one batch, with one message at
its end, as before. A project GeoPackage is read on the same thread and replaces the project
when it is complete.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QProgressBar, QToolButton, QWidget

from gisapp.core.geo.flatgeom import FlatGeometry, ProjectedCache, build_flat, concatenate_flat
from gisapp.core.geo.geometry_checks import geometry_families
from gisapp.core.model.layer import LOADING, VectorLayer
from gisapp.core.model.project import Project
from gisapp.io.errors import GisIOError
from gisapp.io.file_checks import ensure_regular_file
from gisapp.io.postgis.connection import PostgisError, is_postgres_url, needs_password, parse_url
from gisapp.io.project_gpkg import is_project_file, load_project
from gisapp.io.qgis.project_reader import is_qgis_project
from gisapp.io.qgis.style_files import is_style_file, read_style_file
from gisapp.io.raster import is_raster_path, open_raster
from gisapp.io.tiles.mbtiles import BASEMAP_SUFFIXES
from gisapp.io.vector import (
    FeaturesRead,
    ReadProgress,
    chunk_features,
    concat_geoframes,
    file_layer,
    open_vector_file,
)
from gisapp.ui.plain import plain_label
from gisapp.ui.shell.heap import keep_out_of_collections
from gisapp.ui.shell.load_messages import OpenOutcome
from gisapp.ui.workers import Job, JobRunner, WorkerThread

OPEN_THREAD = WorkerThread("gisapp-open", yield_to_ui=True)  # lives as long as the program (see workers.py)
POLL_MS = 60  # how often the UI thread takes what the open thread has read
MAX_REST_MS = 2000  # the longest pause between two renders of a file being read


@dataclass
class _Shown:
    """What is shown of one layer of a file while it is read (on the open thread)."""

    title: str
    family: str
    crs: str
    frames: list[gpd.GeoDataFrame] = field(default_factory=list)  # merged into frames[0] now and then
    flats: list[FlatGeometry] = field(default_factory=list)
    merged_rows: int = 0
    pending_rows: int = 0
    published: tuple[gpd.GeoDataFrame, FlatGeometry] | None = None  # not yet taken by the UI thread


class OpenRasterJob(Job):
    """Opens one raster file (its checks and default stretch read a small overview).

    ``result`` is the RasterLayer, or the GisIOError that refused the file."""

    features_read = 0
    total: int | None = None

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def work(self) -> object:
        try:
            return open_raster(self.path)
        except GisIOError as exc:
            return exc

    def take_shown(self) -> list:
        return []  # a raster appears whole when it is open


class OpenFileJob(Job):
    """Reads one data file; the features read so far wait in :meth:`take_shown` for the UI.

    ``result`` is the list of layers, or the GisIOError that refused the file.
    """

    def __init__(self, path: Path, canvas_crs: str, chunk: int) -> None:
        super().__init__()
        self.path = path
        self.canvas_crs = canvas_crs
        self.chunk = chunk
        self.features_read = 0  # of the layer being read (for the progress bar)
        self.total: int | None = None
        self._lock = threading.Lock()
        self._shown: dict[str, _Shown] = {}  # by layer name in the file

    def work(self) -> object:
        progress = ReadProgress(self.chunk, self._heard, self.is_cancelled)
        try:
            layers = open_vector_file(self.path, progress)
        except GisIOError as exc:
            return exc
        for shown in self._shown.values():  # the last reads, for the final layer to keep
            if shown.pending_rows:
                self._merge(shown)
        return layers

    def _heard(self, read: FeaturesRead) -> None:  # on the open thread
        self.features_read, self.total = read.features_read, read.total
        keep_out_of_collections()  # else a full collection over what was read blocks the UI thread
        frame = read.frame
        if frame is None or not len(frame):
            return
        shown = self._shown.get(read.layer)
        families = geometry_families(frame.geometry.array)
        if shown is None:
            shown = self._shown[read.layer] = _Shown(read.title, str(families[0]), frame.crs.to_string())
        if frame.crs.to_string() != shown.crs:
            return
        if not (families == shown.family).all():  # a mixed file: the other types appear at the end
            frame = frame[families == shown.family].reset_index(drop=True)
        flat = build_flat(np.asarray(frame.geometry.array, dtype=object), shown.family, shown.crs, self.canvas_crs)
        shown.frames.append(frame)
        shown.flats.append(flat)
        shown.pending_rows += len(frame)
        with self._lock:
            taken = shown.published is None
        # Merge (copying what was merged before) only when the UI took the last one and enough
        # is new: each feature is copied a few times, not once per chunk.
        if taken and shown.pending_rows >= max(1, shown.merged_rows // 4):
            self._merge(shown)

    def _merge(self, shown: _Shown) -> None:
        # pandas keeps the frames' one CRS; GeoDataFrame(..., crs=) would check every geometry again.
        merged = _concat(shown.frames) if len(shown.frames) > 1 else shown.frames[0]
        flat = concatenate_flat(shown.flats)
        shown.frames, shown.flats = [merged], [flat]
        shown.merged_rows += shown.pending_rows
        shown.pending_rows = 0
        with self._lock:
            shown.published = (merged, flat)

    def take_shown(self) -> list[tuple[str, _Shown, gpd.GeoDataFrame, FlatGeometry]]:
        """(layer name, its state, frame, flat arrays) of each layer with news since the last call."""
        news = []
        with self._lock:
            for name, shown in self._shown.items():
                if shown.published is not None:
                    news.append((name, shown, *shown.published))
                    shown.published = None
        return news


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return concat_geoframes(frames)  # the geometry column in slices: each holds the GIL briefly


class OpenProjectJob(OpenFileJob):
    """Reads a project GeoPackage; ``result`` is (project, notes) or the GisIOError.

    Once its metadata and small tables are checked, ``outline`` holds the project with empty
    layers and the table of each layer; the layer tables then arrive as a file's layers do.
    """

    def __init__(self, path: Path, canvas_crs: str, chunk: int) -> None:
        super().__init__(path, canvas_crs, chunk)
        self.outline: tuple[Project, dict[str, str]] | None = None

    def work(self) -> object:
        notes: list[str] = []
        progress = ReadProgress(self.chunk, self._heard, self.is_cancelled)
        try:
            project = load_project(self.path, notes, progress, self._outlined)
        except GisIOError as exc:
            return exc
        for shown in self._shown.values():
            if shown.pending_rows:
                self._merge(shown)
        return project, notes

    def _outlined(self, project: Project, tables: dict[str, str]) -> None:  # on the open thread
        with self._lock:
            self.outline = (project, tables)

    def take_outline(self) -> tuple[Project, dict[str, str]] | None:
        with self._lock:
            outline, self.outline = self.outline, None
        return outline


@dataclass(frozen=True)
class ServerProject:
    """A project published in a PostGIS schema, named by its ``postgresql://`` URL (it stands
    where a file's path does in a batch; ``name`` is what the status bar and messages show)."""

    url: str

    @property
    def name(self) -> str:
        spec = parse_url(self.url)  # no '/': a Path of it is one name
        return f"{spec.schema} · {spec.dbname or spec.service}@{spec.host or 'localhost'}:{spec.port}"

    def __str__(self) -> str:
        return parse_url(self.url).url()  # never a password typed into the URL


class OpenPublishedProjectJob(OpenProjectJob):
    """Reads a project published in PostGIS (:func:`gisapp.io.postgis.project.open_published_project`)
    on the open thread, with the connection's timeouts; ``result`` is (project, notes) or the
    PostgisError. The project replaces the window's when it is complete."""

    def __init__(self, source: ServerProject, canvas_crs: str, chunk: int) -> None:
        super().__init__(Path(source.name), canvas_crs, chunk)
        self.source = source

    def work(self) -> object:
        import gc

        from gisapp.io.postgis.project import open_published_project

        notes: list[str] = []
        # The rows arrive in one fetch, not in chunks that can be frozen as they come (see
        # keep_out_of_collections): a collection over them would hold the GIL, and so the
        # UI thread, for seconds at a million rows. None runs until they are read and frozen.
        gc.disable()
        try:
            project = open_published_project(parse_url(self.source.url), notes, self._outlined)
        except PostgisError as exc:
            return exc
        finally:
            keep_out_of_collections()
            gc.enable()
        return project, notes


def _source(path) -> Path | ServerProject:
    return ServerProject(path.strip()) if isinstance(path, str) and is_postgres_url(path) else Path(path)


@dataclass
class OpenBatch:
    """One call of :meth:`FileOpener.open`: its files and, when done, what happened."""

    paths: list[Path | ServerProject]
    quiet: bool  # no message at the end (the caller reports)
    outcome: OpenOutcome = field(default_factory=OpenOutcome)
    remaining: int = 0
    cancelled: bool = False
    opener: FileOpener | None = field(default=None, repr=False)
    on_done: Callable[[OpenBatch], None] | None = field(default=None, repr=False)
    style_target: VectorLayer | None = field(default=None, repr=False)  # style files dropped onto it

    @property
    def done(self) -> bool:
        return self.remaining == 0

    def wait(self, timeout_ms: int = 120_000) -> list[str]:
        """Process events until the batch is done (tests, screenshots, the command line); the
        files opened."""
        assert self.opener is not None
        self.opener.wait(lambda: self.done, timeout_ms)
        return self.outcome.opened


@dataclass
class _Preview:
    """A layer added to the project to show a file while it is read."""

    layer: VectorLayer
    name: str  # the layer's name in the file


class OpenProgress(QWidget):
    """Features read of the total, and Cancel, in the status bar."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("OpenProgress")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = plain_label(parent=self)
        self.count_label = plain_label(parent=self)  # beside the bar: inside it, the text is cut
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(140)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("CancelOpenButton")
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.count_label)
        layout.addWidget(self.cancel_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop opening this file; the project stays as it was"))

    def show_progress(self, name: str, read: int, total: int | None, queued: int) -> None:
        self.label.setText(self.tr("Opening {name} ({count} more waiting)").format(name=name, count=queued)
                           if queued else self.tr("Opening {name}").format(name=name))
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(read, total))
            self.count_label.setText(self.tr("{read} of {total} features").format(read=f"{read:,}", total=f"{total:,}"))
        else:
            self.bar.setRange(0, 0)  # busy: the file does not say how many features it has
            self.count_label.setText(self.tr("{read} features").format(read=f"{read:,}"))


class FileOpener(QObject):
    """Opens files for a main window on the open thread, one at a time (see the module docstring)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.chunk_features = chunk_features()
        self._runner = JobRunner(OPEN_THREAD, self)
        self._runner.finished.connect(self._on_finished)
        self._queue: deque[tuple[Path | ServerProject, OpenBatch]] = deque()
        self._job: OpenFileJob | OpenProjectJob | OpenRasterJob | None = None
        self._batch: OpenBatch | None = None
        self._previews: list[_Preview] = []
        self._was_modified = False
        self._project_before: Project | None = None  # while a project being read is shown instead
        self._tables: dict[str, str] = {}  # layer id -> table, of the project being read
        self._closed = False
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.progress = OpenProgress(window)
        self.progress.cancel_button.clicked.connect(self.cancel)
        window.statusBar().addWidget(self.progress)
        self.progress.hide()
        self.first_shown_ms: float | None = None  # from the start of the last file to its first features on the map
        self._clock = QElapsedTimer()
        self._since_render = QElapsedTimer()  # since the map last finished a render
        self._since_render.start()
        window.canvas.renderFinished.connect(self._since_render.restart)

    # --- asking -----------------------------------------------------------------------------
    def open(self, paths, quiet: bool = False, on_done: Callable[[OpenBatch], None] | None = None,
             style_target: VectorLayer | None = None) -> OpenBatch:
        """Queue ``paths`` as one batch; ``on_done(batch)`` runs when all are read, refused or cancelled.
        Style files (.qml, .sld) apply to ``style_target``, else to the current layer."""
        batch = OpenBatch([_source(p) for p in paths], quiet, opener=self, on_done=on_done, style_target=style_target)
        batch.remaining = len(batch.paths)
        if self._job is not None and any(_is_project(path) for path in batch.paths):
            self.cancel()  # another project replaces this one: what it was reading is moot
        for path in batch.paths:
            self._queue.append((path, batch))
        if self._job is None:
            self._start_next()
        elif batch.paths:
            self._show_progress()
        if not batch.paths:
            self._batch_done(batch)
        return batch

    def busy(self) -> bool:
        return self._job is not None or bool(self._queue)

    def wait(self, condition=None, timeout_ms: int = 120_000) -> bool:
        """Process events until ``condition()`` (default: nothing left to open) or the timeout."""
        condition = condition or (lambda: not self.busy())
        clock = QElapsedTimer()
        clock.start()
        while not condition() and clock.elapsed() < timeout_ms:
            QApplication.processEvents()
            self._runner.wait(0.01)
        QApplication.processEvents()
        return condition()

    def cancel(self) -> None:
        """Stop the file being read and drop those waiting; the project stays as it was."""
        job, batch = self._job, self._batch
        if job is None:
            return
        job.cancel()
        self._job = None
        self._drop_previews()
        cancelled_batches = {id(batch): batch}
        for _path, queued in self._queue:
            cancelled_batches[id(queued)] = queued
        self._queue.clear()
        for each in cancelled_batches.values():
            each.cancelled = True
            each.remaining = 0
            self._batch_done(each)
        self._timer.stop()
        self.progress.hide()
        self.window.statusBar().showMessage(self.tr("Opening {name} was cancelled; nothing of it was kept.").format(
            name=job.path.name), 8000)

    def shutdown(self) -> None:
        """The window closes: cancel, and wait for the open thread to leave the file."""
        self._closed = True
        if self._job is not None:
            self._job.cancel()
        self._queue.clear()
        self._timer.stop()
        self._runner.shutdown()
        self._job = None

    # --- running ----------------------------------------------------------------------------
    def _start_next(self) -> None:
        while self._queue and self._job is None and not self._closed:
            path, batch = self._queue.popleft()
            self._batch = batch
            if isinstance(path, ServerProject):
                if not self.window._confirm_discard():
                    self._file_done(batch)
                    continue
                self._job = OpenPublishedProjectJob(path, self.window.canvas.viewport.crs, self.chunk_features)
                self._submit()
                continue
            try:
                ensure_regular_file(path)  # before anything opens it: a pipe would hang the thread
                if path.suffix.lower() in BASEMAP_SUFFIXES:  # a tile file: opened at once, nothing to read
                    self.window.basemaps.open_file(path)  # raises GisIOError naming the file and the problem
                    batch.outcome.opened.append(str(path))
                    self._file_done(batch)
                    continue
                if is_style_file(path):  # a QGIS style: applied at once to the layer it is meant for
                    layer = batch.style_target or self.window.current_layer()
                    if layer is None:
                        read_style_file(path)  # a broken file is named as broken first
                        raise self.window.no_style_target_error(path)
                    self.window.qgis_files.apply_style(layer, path, batch.outcome)
                    self._file_done(batch)
                    continue
                if is_qgis_project(path):  # its layers are small files, read at once
                    if self.window.qgis_files.open_project(path, batch.outcome):
                        batch.outcome.opened.append(str(path))
                    self._file_done(batch)
                    continue
                if is_raster_path(path):
                    self._job = OpenRasterJob(path)
                elif _is_project(path):
                    if not self.window._confirm_discard():
                        self._file_done(batch)
                        continue
                    self._job = OpenProjectJob(path, self.window.canvas.viewport.crs, self.chunk_features)
                else:
                    self._job = OpenFileJob(path, self.window.canvas.viewport.crs, self.chunk_features)
            except GisIOError as exc:
                batch.outcome.refused.append(exc)
                self._file_done(batch)
                continue
            self._submit()
        if self._job is None:
            self._timer.stop()
            self.progress.hide()

    def _submit(self) -> None:
        assert self._job is not None
        self._was_modified = self.window.project.modified
        self.first_shown_ms = None
        self._clock.start()
        self._runner.submit(self._job)
        self._timer.start()
        self._show_progress()

    def _show_progress(self) -> None:
        job = self._job
        if job is None:
            return
        self.progress.show_progress(job.path.name, job.features_read, job.total, len(self._queue))
        self.progress.show()

    def _poll(self) -> None:
        job = self._job
        if job is None:
            return
        if any(preview.layer not in self.window.project.layers for preview in self._previews):
            self.cancel()  # the user removed the layer being read: that is a cancel
            return
        if isinstance(job, OpenProjectJob) and (outline := job.take_outline()) is not None:
            self._show_outline(job, *outline)
        # A new frame restarts the render: while one runs, the open thread gathers more, so each
        # render finishes and the map fills in steps instead of never being drawn. After a
        # render the map rests as long as it took (at most MAX_REST_MS): back-to-back renders
        # of the growing layer kept a second thread busy all through the read, and on two
        # cores the UI thread then waited for a CPU and the GIL.
        if self._project_before is not None or not isinstance(job, OpenProjectJob):
            canvas = self.window.canvas
            rested = self._since_render.elapsed() >= min(canvas.last_render_ms, MAX_REST_MS)
            if rested and not canvas.is_rendering():
                for name, shown, frame, flat in job.take_shown():
                    self._show(job, name, shown, frame, flat)
        self._show_progress()

    def _show_outline(self, job: OpenProjectJob, project: Project, tables: dict[str, str]) -> None:
        """The project being read replaces the window's, its layers empty until their tables arrive."""
        _own_crs(project.vector_layers())
        for layer in project.vector_layers():
            layer.metadata = {**layer.metadata, LOADING: True}
            # A PostGIS layer has no table in the file: its rows come from its server at the end.
            self._previews.append(_Preview(layer, tables.get(layer.id, "")))
        self._project_before, self._tables = self.window.project, tables
        self.window.set_project(project, settle=False)

    def _show(self, job: OpenFileJob, name: str, shown: _Shown, frame: gpd.GeoDataFrame, flat: FlatGeometry) -> None:
        # pyproj CRS objects stay on the thread that made them: give the frame one made here.
        frame.set_crs(shown.crs, allow_override=True, inplace=True)
        if isinstance(job, OpenProjectJob):  # every layer of that table
            for preview in self._previews:
                if preview.name == name:
                    self._swap_in(job, preview.layer, shown, frame, flat)
            self._note_first_shown()
            return
        preview = next((p for p in self._previews if p.name == name), None)
        project = self.window.project
        if preview is None:
            layer = file_layer(shown.title, shown.title, frame, shown.family)
            layer.metadata = {"source_path": str(job.path), "source_layer": name, LOADING: True}
            preview = _Preview(layer, name)
            self._previews.append(preview)
            project.add_layer(layer)
            layer.selection_changed.connect(self.window.canvas.update)
        self._swap_in(job, preview.layer, shown, frame, flat)
        self._note_first_shown()

    def _swap_in(self, job: OpenFileJob, layer: VectorLayer, shown: _Shown, frame: gpd.GeoDataFrame,
                 flat: FlatGeometry) -> None:
        canvas_crs = self.window.canvas.viewport.crs
        if canvas_crs == job.canvas_crs:
            layer.set_frame_projected(frame, ProjectedCache.from_flat(canvas_crs, frame.geometry.array, shown.crs,
                                                                      shown.family, flat))
        else:  # the map changed CRS meanwhile: the render thread projects it
            layer.set_frame(frame)

    def _note_first_shown(self) -> None:
        if self.first_shown_ms is None:
            self.first_shown_ms = self._clock.elapsed()

    def _on_finished(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        if job is None or job is not self._job:
            return
        self._job = None
        self._timer.stop()
        batch = self._batch
        assert batch is not None
        result = job.result
        if job.error:  # a bug, not the file: the crash dialog reports it; nothing is kept
            self._drop_previews()
            batch.outcome.refused.append(GisIOError(job.path, f"it could not be opened ({job.error})"))
        elif (isinstance(job, OpenPublishedProjectJob) and needs_password(result)
              and self.window.postgis.ask_password(parse_url(job.source.url), result)):
            self._drop_previews()
            self._queue.appendleft((job.source, batch))  # again, with the password just typed
            self._start_next()
            return
        elif isinstance(result, GisIOError | PostgisError):
            self._drop_previews()
            batch.outcome.refused.append(result)
        elif isinstance(job, OpenRasterJob):
            self.window.rasters.add(result)
            batch.outcome.rasters.append(result)
            batch.outcome.opened.append(str(job.path))
        elif isinstance(job, OpenProjectJob):
            project, notes = result
            batch.outcome.notes += notes
            _own_crs(project.vector_layers())
            project = self._complete_outline(job, project)
            batch.outcome.layers = project.vector_layers()
            batch.outcome.opened.append(str(job.source) if isinstance(job, OpenPublishedProjectJob) else str(job.path))
        else:
            self._add_layers(job, result)
            batch.outcome.opened.append(str(job.path))
        self._file_done(batch)
        self._start_next()

    def _add_layers(self, job: OpenFileJob, layers: list[VectorLayer]) -> None:
        """The file's layers replace what was shown while it was read; a layer whose rows are
        those shown keeps the arrays projected meanwhile, its place and its selection."""
        _own_crs(layers)
        project = self.window.project
        previews = list(self._previews)
        self._previews = []
        last = {name: (frame, flat) for name, _shown, frame, flat in job.take_shown()}
        crs = self.window.canvas.viewport.crs
        for layer in reversed(layers):
            source = layer.metadata.get("source_layer")
            preview = next((p for p in previews if p.name == source and p.layer.geometry_family == layer.geometry_family), None)
            if preview is None:
                project.add_layer(layer)
                layer.selection_changed.connect(self.window.canvas.update)
                continue
            previews.remove(preview)
            shown = preview.layer
            shown.title_zh, shown.title_en = layer.title_zh, layer.title_en
            shown.metadata, shown.load_report, shown.label_field = layer.metadata, layer.load_report, layer.label_field
            shown.label_style = layer.label_style
            cache = shown.projected_if_ready(crs)
            frame, flat = last.get(preview.name, (shown.frame, cache.flat if cache is not None else None))
            if flat is not None and crs == job.canvas_crs and _same_rows(frame, layer.frame):
                shown.set_frame_projected(layer.frame, ProjectedCache.from_flat(
                    crs, layer.frame.geometry.array, layer.crs, layer.geometry_family, flat))
            else:  # another CRS was decided at the end, or the map's changed: the render thread projects it
                shown.set_frame(layer.frame)
        for preview in previews:  # nothing of it was kept (its features were of another type in the end)
            project.remove_layer(preview.layer.id)
        self._batch.outcome.layers += [p for p in self.window.project.vector_layers()
                                       if p.metadata.get("source_path") == str(job.path)]

    def _complete_outline(self, job: OpenProjectJob, project: Project) -> Project:
        """Each layer of the project shown while it was read takes its final frame and report
        (keeping the arrays projected meanwhile when its rows are those shown)."""
        outline = self.window.project if self._project_before is not None else None
        self._previews, self._project_before = [], None
        if outline is None:  # it was read before the outline was shown
            self.window.set_project(project, settle=False)
            return project
        last = {name: (frame, flat) for name, _shown, frame, flat in job.take_shown()}
        crs = self.window.canvas.viewport.crs
        for final in project.vector_layers():
            layer = outline.layer(final.id)
            layer.metadata, layer.load_report = final.metadata, final.load_report
            table = self._tables.get(final.id, "")
            cache = layer.projected_if_ready(crs)
            frame, flat = last.get(table, (layer.frame, cache.flat if cache is not None else None))
            if flat is not None and crs == job.canvas_crs and _same_rows(frame, final.frame):
                layer.set_frame_projected(final.frame, ProjectedCache.from_flat(
                    crs, final.frame.geometry.array, final.crs, final.geometry_family, flat))
            else:
                layer.set_frame(final.frame)
            if final.stored is not None and final.stored.frame is final.frame:
                # Where its rows are in the file (or on the server): the next save writes only the edited ones.
                layer.stored = replace(final.stored, frame=layer.frame)
        outline.set_modified(False)
        return outline

    def _drop_previews(self) -> None:
        if self._project_before is not None:  # the project being read goes: the one before comes back
            before, self._project_before = self._project_before, None
            self._previews = []
            self.window.set_project(before, settle=False)
            before.set_modified(self._was_modified)
            return
        project = self.window.project
        for preview in self._previews:
            if preview.layer in project.layers:
                self.window.forget_layer(preview.layer)
                project.remove_layer(preview.layer.id)
        self._previews = []
        project.set_modified(self._was_modified)

    def _file_done(self, batch: OpenBatch) -> None:
        batch.remaining -= 1
        if batch.done:
            self._batch_done(batch)

    def _batch_done(self, batch: OpenBatch) -> None:
        if self._closed:
            return
        self.window.batch_opened(batch)
        if batch.on_done is not None:
            batch.on_done(batch)


def _same_rows(shown: gpd.GeoDataFrame, final: gpd.GeoDataFrame) -> bool:
    """Whether the final frame has the features shown, in the same order (the usual case:
    the CRS decided at the end is the one the first features suggested)."""
    if len(shown) != len(final):
        return False
    step = max(1, len(shown) // 2048)  # a sample: the same geometry objects, not equal ones
    a, b = np.asarray(shown.geometry.array, dtype=object), np.asarray(final.geometry.array, dtype=object)
    return all(x is y for x, y in zip(a[::step], b[::step], strict=True))


def _is_project(path: Path | ServerProject) -> bool:
    return isinstance(path, ServerProject) or (path.suffix.lower() == ".gpkg" and is_project_file(path))


def _own_crs(layers: list[VectorLayer]) -> None:
    """Give each frame a CRS object made on this (the UI) thread: pyproj keeps a PROJ context per thread."""
    for layer in layers:
        layer.frame.set_crs(layer.frame.crs.to_string(), allow_override=True, inplace=True)

