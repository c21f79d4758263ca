"""Spatial indicators and the green standard, computed on one worker thread for the dashboard and its dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

from gisapp.core.analysis.spatial_indicators import (
    ANALYSIS_GROUP,
    CoverageResult,
    FrameSnapshot,
    LayerInput,
    SpatialSummary,
    attach,
    compute_spatial_indicators,
    detach,
    put_result_layer,
    service_coverage,
    uncovered_layer,
)
from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.core.model.layer import LOADING
from gisapp.core.model.project import Project
from gisapp.ui.plain import escape
from gisapp.ui.workers import Job, JobRunner, WorkerThread

DEBOUNCE_MS = 600  # edits within this time lead to one computation


def coverage_text(result: CoverageResult, widget: QObject | None = None) -> str:
    """One line on a green-standard result, for the dashboard and the dialog (rich text: the
    layer names are escaped)."""
    share = "—" if result.share is None else f"{result.share * 100:.1f}%"
    target, source = escape(result.target_layer), escape(result.source_layer)
    if result.target_kind == "points":
        return QCoreApplication.translate("IndicatorDashboard", "<b>{share}</b> of the {total:.0f} points of {target} lie within {distance:g} m of "
                  "{source}; {uncovered:.0f} lie beyond (drawn in red on the map).").format(
            share=share, total=result.total, target=target, distance=result.distance_m,
            source=source, uncovered=result.uncovered_total)
    return QCoreApplication.translate("IndicatorDashboard", "<b>{share}</b> of {target} ({total:,.2f} km²) lies within {distance:g} m of {source}; "
              "{uncovered:,.2f} km² lies beyond (drawn in red on the map).").format(
        share=share, target=target, total=result.total, distance=result.distance_m,
        source=source, uncovered=result.uncovered_total)


class SpatialJob(Job):
    """A summary or coverage computation; its ``error`` is reported in the dashboard."""

    def __init__(self, kind: str, function, *args, target_id: str = "") -> None:
        super().__init__(function, *args)
        self.kind = kind  # "summary" or "coverage"
        self.target_id = target_id  # the coverage's target layer


def _summary_from_snapshots(snapshots: list[tuple], groups: list) -> SpatialSummary:
    """The worker's side of a summary run: detached frames are built here, not on the UI thread."""
    return compute_spatial_indicators([LayerInput.from_snapshot(*item) for item in snapshots], groups)


class SpatialService(QObject):
    """Spatial indicators and the green standard, recomputed off the UI thread.

    Geometry edits announce themselves as "data" changes of a layer; they restart a short
    timer, so a burst of edits leads to one computation on a snapshot of the layers.

    The computations run on a worker thread of the service's own (gisapp.ui.workers), one
    after the other. Frames cross threads without their pyproj CRS objects (see ``detach``).
    """

    summaryReady = Signal()
    coverageReady = Signal()
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.worker_thread = WorkerThread("gisapp-spatial")
        self.runner = JobRunner(self.worker_thread, self)
        self.runner.finished.connect(self._finished)
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self._start)
        self.latest: dict[str, int] = {}
        self.summary: SpatialSummary | None = None
        self.coverage: CoverageResult | None = None
        self.coverage_error = ""
        self.coverage_config: dict | None = None  # target, source, distance, auto
        self.dirty: set[str] = set()  # "summary", "coverage"
        self._snapshots: dict[str, tuple] = {}  # layer id -> (its frame, its CRS as text)
        self._summarised: list | None = None  # what the last summary was computed from (see _inputs)
        self.runs = 0
        self._closed = False

    def set_project(self, project: Project) -> None:
        if self.project is not None:
            self.project.layer_changed.disconnect(self._on_layer_changed)
            self.project.layers_changed.disconnect(self.schedule)
        self.project = project
        self.dirty.clear()
        self._snapshots.clear()
        self._summarised = None
        self.summary = None
        self.coverage = None
        self.coverage_config = None
        project.layer_changed.connect(self._on_layer_changed)
        project.layers_changed.connect(self.schedule)
        self.schedule()

    def _on_layer_changed(self, layer, reason: str) -> None:
        if reason != "data" or layer.group == ANALYSIS_GROUP or layer.metadata.get(LOADING):
            return  # a file still being read counts once it is complete
        config = self.coverage_config
        if config and config.get("auto") and layer.id in (config["target"], config["source"]):
            self.dirty.add("coverage")
        self.schedule()

    def schedule(self, *_args) -> None:
        """Recompute the spatial summary soon (layers were added, removed or edited)."""
        if not self._closed:
            self.dirty.add("summary")
            self.timer.start()

    def is_busy(self) -> bool:
        return self.timer.isActive() or self.runner.busy()

    def compute_coverage(self, target: str, source: str, distance: float, auto: bool = True) -> None:
        self.coverage_config = {"target": target, "source": source, "distance": float(distance), "auto": auto}
        self._start_coverage()

    def _start(self) -> None:
        if self.project is None or self._closed:
            return
        dirty, self.dirty = self.dirty, set()
        if "summary" in dirty:
            layers = [layer for layer in self.project.vector_layers()
                      if layer.group != ANALYSIS_GROUP and not layer.metadata.get(LOADING)]
            inputs = self._inputs(layers)
            if self._same_inputs(inputs):  # computed, or being computed, from these
                # A file being read was added (it counts once complete): the summary stands.
                # Computing it again would compete with the read and the render for the GIL.
                dirty.discard("summary")
                layers = None
            else:
                self._summarised = inputs
        if "summary" in dirty and layers is not None:
            snapshots = [self._snapshot(layer) for layer in layers]
            live = {layer.id for layer in self.project.layers}
            self._snapshots = {key: value for key, value in self._snapshots.items() if key in live}
            self._submit(SpatialJob("summary", _summary_from_snapshots, snapshots, list(self.project.groups)))
        if "coverage" in dirty:
            self._start_coverage()

    def _inputs(self, layers) -> list:
        """What a summary is computed from: each layer's frame (edits swap in a new one),
        titles and group, and those groups (their titles and order)."""
        assert self.project is not None
        used = {layer.group for layer in layers}
        return [[(layer.id, layer.frame, layer.title_zh, layer.title_en, layer.group) for layer in layers],
                [repr(group) for group in self.project.groups if group.id in used]]

    def _same_inputs(self, inputs: list) -> bool:
        last = self._summarised
        if last is None or len(last[0]) != len(inputs[0]) or last[1] != inputs[1]:
            return False
        return all(a[0] == b[0] and a[1] is b[1] and a[2:] == b[2:] for a, b in zip(last[0], inputs[0], strict=True))

    def _snapshot(self, layer) -> tuple:
        """What the worker needs of a layer, taken on the UI thread in well under a
        millisecond; the worker builds the detached frame (``LayerInput.from_snapshot``)."""
        source, crs_text = self._snapshots.get(layer.id, (None, None))
        if source is not layer.frame:  # edits swap in a new frame, so identity tells
            crs_text = None
        snapshot = FrameSnapshot.take(layer.frame, crs_text)
        self._snapshots[layer.id] = (layer.frame, snapshot.crs_text)
        return layer.id, layer.title_zh, layer.title_en, layer.group, snapshot

    def _start_coverage(self) -> None:
        config = self.coverage_config
        if self.project is None or config is None or self._closed:
            return
        try:
            target = self.project.layer(config["target"])
            source = self.project.layer(config["source"])
        except KeyError:
            self.coverage_config = None
            return
        # Frames travel without their pyproj CRS objects, which belong to this thread.
        target_frame, target_crs = detach(target.frame)
        source_frame, source_crs = detach(source.frame)

        def coverage():
            result = service_coverage(attach(target_frame, target_crs), attach(source_frame, source_crs),
                                      config["distance"], target_layer=target_title, source_layer=source_title)
            result.uncovered, _crs = detach(result.uncovered)  # and back without the worker's CRS object
            return result

        target_title, source_title = target.title(self._lang()), source.title(self._lang())
        self._submit(SpatialJob("coverage", coverage, target_id=target.id))

    def _lang(self) -> str:
        parent = self.parent()
        return getattr(parent, "lang", "en")

    def _submit(self, job: SpatialJob) -> None:
        self.latest[job.kind] = job.id
        self.busyChanged.emit(True)
        self.runner.submit(job)

    def _finished(self, job_id: int) -> None:
        job = self.runner.take(job_id)
        if not self.runner.busy():
            self.busyChanged.emit(False)
        if job is None or self._closed or self.latest.get(job.kind) != job_id:
            return  # superseded by a newer computation
        self.runs += 1
        if job.kind == "summary":
            self.summary = job.result if not job.error else None
            if job.error:
                self._summarised = None  # the next change tries again
            self.summaryReady.emit()
        else:
            self.coverage_error = job.error
            self.coverage = job.result if not job.error else None
            if self.coverage is not None:
                self.coverage.uncovered = attach(self.coverage.uncovered, STORAGE_CRS)
            if self.coverage is not None and self.project is not None:
                layer_id = f"analysis.uncovered_{self.coverage.distance_m:g}m.{job.target_id}"
                put_result_layer(self.project, uncovered_layer(self.coverage, layer_id))
            self.coverageReady.emit()

    def wait(self, timeout_ms: int = 20_000) -> bool:
        """Process events until nothing is pending (tests, screenshots)."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self.is_busy() and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            QThread.msleep(5)
        QCoreApplication.processEvents()
        return not self.is_busy()

    def shutdown(self) -> None:
        """Stop for good; waits for a running computation (Python must not exit under it)."""
        self._closed = True
        self.timer.stop()
        self.runner.shutdown()
        self.worker_thread.shutdown()


# --- the main window's side -------------------------------------------------------------------------
