"""Autosave of unsaved edits to a recovery file every minute, and recovery at start-up.

:class:`CrashRecovery` writes the dirty layers with :mod:`gisapp.io.recovery` and, when the
app starts after a crash, offers to put the edits back as one undoable step. The UI thread
only takes a snapshot (the layers' frames, which edits replace and never change); the file
is written on the autosave worker thread, so a big layer never stops the window.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from gisapp.core.editing.edits import CompoundEdit, Edit, ReplaceFrame
from gisapp.core.model.project import Project
from gisapp.core.texts import pick
from gisapp.io import recovery
from gisapp.io.errors import GisIOError
from gisapp.io.session import open_project
from gisapp.ui.workers import Job, JobRunner, WorkerThread

AUTOSAVE_MS = 60_000


def _conform(frame, template):
    """``frame`` with ``template``'s column order, dtypes and geometry column name."""
    frame = frame.rename_geometry(template.geometry.name) if frame.geometry.name != template.geometry.name \
        else frame
    columns = [c for c in template.columns if c in frame.columns]
    frame = frame[columns + [c for c in frame.columns if c not in columns]]
    for column in columns:
        if column != template.geometry.name and frame[column].dtype != template[column].dtype:
            try:
                frame[column] = frame[column].astype(template[column].dtype)
            except (TypeError, ValueError):
                pass
    if frame.crs != template.crs and template.crs is not None:
        frame = frame.set_crs(template.crs, allow_override=True)
    return frame


class _RecoveryWrite(Job):
    """Writing one snapshot; ``generation`` tells whether it is still wanted when it ends."""

    def __init__(self, snapshot: recovery.RecoverySnapshot, generation: int) -> None:
        super().__init__(recovery.write_snapshot, snapshot)
        self.generation = generation


class CrashRecovery(QObject):
    """The recovery file of an :class:`~gisapp.ui.editing.controller.EditingController`."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.session = controller.session
        self.recovery_file: Path | None = None
        self.writer = JobRunner(WorkerThread("gisapp-autosave", yield_to_ui=True), self)
        self.writer.finished.connect(self._written)
        # Counts the times the recovery file was made stale (saved, discarded): a write that
        # was started before then is deleted when it ends.
        self._generation = 0
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()

    @property
    def project(self) -> Project:
        return self.controller.project

    def status(self, text: str, ms: int = 6000) -> None:
        self.controller.status(text, ms)

    def delete_file(self) -> None:
        """Nothing unsaved is left (saved, undone, discarded or closed): the recovery file goes."""
        self._generation += 1
        if self.recovery_file is not None:
            recovery.delete_recovery(self.recovery_file)
            self.recovery_file = None

    def project_opened(self, project: Project) -> None:
        """Another project replaces the current one: its recovery file is not needed any more."""
        if project is not self.project:
            self.delete_file()

    def stop(self) -> None:
        self.autosave_timer.stop()
        self.writer.shutdown()
        self.writer.worker_thread.shutdown()

    def autosave(self) -> bool:
        """Start writing the recovery file in the background; False if there is nothing to
        write or the previous write still runs (the next tick writes the newer state)."""
        dirty = self.session.dirty_layers()
        if not dirty or self.writer.busy():
            return False
        try:
            snapshot = recovery.take_snapshot(self.project, dirty)
        except Exception as exc:  # an autosave must never interrupt editing
            self.status(self.tr("Autosave failed: {error}").format(error=exc))
            return False
        self.writer.submit(_RecoveryWrite(snapshot, self._generation))
        return True

    def _written(self, job_id: int) -> None:
        job = self.writer.take(job_id)
        if not isinstance(job, _RecoveryWrite):
            return
        if job.error:
            self.status(self.tr("Autosave failed: {error}").format(error=job.error))
            return
        if job.generation != self._generation:
            recovery.delete_recovery(job.result)  # saved or discarded while it was written
            return
        self.recovery_file = job.result

    def offer_recovery(self) -> bool:
        """At start-up: offer to recover edits a crashed session left behind."""
        found = recovery.find_recoveries()
        if not found:
            return False
        info = found[0]
        lang = self.window.lang
        when = datetime.datetime.fromtimestamp(info.written_at).strftime("%Y-%m-%d %H:%M")
        layers = ", ".join(pick(lang, entry["title_zh"], entry["title_en"]) for entry in info.layers)
        answer = self.window.ask(
            self.tr("Recover unsaved edits"),
            self.tr("gisapp closed without saving edits to {project} (autosaved {time}): {layers}. "
                    "Recover them?").format(project=info.title(lang), time=when, layers=layers),
            [("recover", self.tr("Recover")), ("discard", self.tr("Discard them")), ("cancel", self.tr("Later"))],
            "recover")
        if answer == "discard":
            recovery.delete_recovery(info.path)
            return False
        if answer != "recover":
            return False
        return self.recover(info)

    def recover(self, info: recovery.RecoveryInfo) -> bool:
        current = self.project.metadata.get("path")
        wanted = info.project_path
        same = (Path(current).resolve() == Path(wanted).resolve()) if (current and wanted) else \
            (not current and not wanted and self.project.title_en == info.project_title_en)
        if not same:
            try:
                project = open_project(wanted)
            except GisIOError as exc:
                self.window.show_error(self.tr("The edits could not be recovered"), str(exc))
                return False
            self.window.set_project(project)
        frames = recovery.read_layers(info)
        edits: list[Edit] = []
        missing = []
        for layer_id, frame in frames.items():
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                missing.append(layer_id)
                continue
            edits.append(ReplaceFrame(layer_id, _conform(frame, layer.frame)))
        if not edits:
            return False
        self.controller.push(CompoundEdit(edits, kind="recover"))
        old = info.path
        if old.resolve() != recovery.recovery_path(self.project).resolve():
            recovery.delete_recovery(old)  # this session's own file (written next) replaces it
        self.autosave()
        self.status(self.tr("Recovered unsaved edits. Save them, or use Undo or Discard edits."))
        if missing:
            self.window.show_error(self.tr("Some edits could not be recovered"),
                                   self.tr("These layers are no longer in the project: {layers}").format(
                                       layers=", ".join(missing)))
        return True
