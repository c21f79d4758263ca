"""PostGIS in the main window: Layer > Add PostGIS layers…, Reload from PostGIS, and the
window's save of edited PostGIS layers.

Tables open on the PostGIS worker thread and join the project as vector layers, so styling,
identify, the attribute table, indicators and editing treat them as they treat files. A save
sends each edited PostGIS layer's changed rows to its server in a worker job
(:mod:`gisapp.ui.postgis.saving`) while a window-modal progress box keeps the window painted
and offers Cancel; the user cannot edit meanwhile, so the rows sent are the rows shown. A
server that is gone gives a message naming it and the problem, with *Retry*; the edits stay
in the edit buffer until a save succeeds. A conflict (someone else saved one of the
features since) stops the save before anything is written and goes to
:attr:`PostgisController.conflict_handler` (the conflict dialog).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog

from gisapp.core.model.layer import VectorLayer
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError
from gisapp.io.postgis.references import UNAVAILABLE, is_postgis_layer
from gisapp.io.postgis.source import table_ref
from gisapp.io.postgis.tables import TableInfo
from gisapp.ui.postgis.browser import PostgisBrowser
from gisapp.ui.postgis.jobs import POSTGIS_THREAD, open_tables
from gisapp.ui.postgis.saving import LayerSave, pending_part, send, stored_after
from gisapp.ui.workers import Job, JobRunner


class PostgisController(QObject):
    """See the module docstring. ``window`` is the MainWindow."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.act_add = QAction(window)
        self.act_add.setObjectName("AddPostgisLayers")
        self.act_add.triggered.connect(self.add_dialog)
        self.act_reload = QAction(window)
        self.act_reload.triggered.connect(lambda: self.reload(self.window.current_layer()))
        actions = window.menu_layer.actions()
        window.menu_layer.insertAction(actions[1] if len(actions) > 1 else None, self.act_add)
        window.menu_layer.insertAction(actions[1] if len(actions) > 1 else None, self.act_reload)
        # Edit menu, after Save edits: the comment and plan citation the next save writes into the history.
        self.act_note = QAction(window)
        self.act_note.setObjectName("PostgisSaveNote")
        self.act_note.triggered.connect(self.note_dialog)
        edit_actions = window.editing.actions
        edit_menu = edit_actions.menu.actions()
        after = edit_menu.index(edit_actions.act_save_edits) + 1 if edit_actions.act_save_edits in edit_menu else None
        edit_actions.menu.insertAction(edit_menu[after] if after is not None and after < len(edit_menu) else None,
                                       self.act_note)
        self.save_note: tuple[str, str] = ("", "")  # (comment, plan citation) for the next save
        self._runner = JobRunner(POSTGIS_THREAD, self)
        self._runner.finished.connect(self._finished)
        self._open_jobs: dict[int, str] = {}  # job id -> what it opens ("add" or a layer id to reload)
        self.browser: PostgisBrowser | None = None
        self.bases: dict[str, Any] = {}  # layer id -> RowVersions a resolved conflict set for the next save
        # (layer, ConflictError) -> True to save again (the user resolved them); the conflict dialog sets it.
        self.conflict_handler: Callable[[VectorLayer, Any], bool] = self._say_conflicts
        # (spec, the server's problem) -> (password, remember) or None; tests answer it themselves.
        self.password_prompt: Callable[[ConnectionSpec, str], tuple[str, bool] | None] = self._password_dialog
        self.saving = False
        self.save_cancelled = False
        self.last_save_error: PostgisError | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.act_add.setText(self.tr("Add PostGIS layers…"))
        self.act_reload.setText(self.tr("Reload from PostGIS"))
        self.act_note.setText(self.tr("Note for the next PostGIS save…"))
        comment, citation = self.save_note
        self.act_note.setToolTip(self.tr("Comment and plan citation kept in the shared tables' history") if not (
            comment or citation) else self.tr("Next save: {note}").format(note=" · ".join(t for t in (comment, citation) if t)))
        if self.browser is not None:
            self.browser.retranslate()

    # --- adding tables ---------------------------------------------------------------------------
    def add_dialog(self) -> PostgisBrowser:
        if self.browser is None:
            self.browser = PostgisBrowser(self.window)
            self.browser.addRequested.connect(self.add_tables)
        self.browser.reload_connections()
        self.browser.show()
        self.browser.raise_()
        return self.browser

    def add_tables(self, spec: ConnectionSpec, tables: list[TableInfo]) -> Job:
        """Read ``tables`` on the PostGIS thread; they join the project when read."""
        job = self._runner.submit(Job(open_tables, spec, list(tables)))
        self._open_jobs[job.id] = "add"
        self.window.statusBar().showMessage(self.tr("Reading {n} table(s) from {server}…").format(
            n=len(tables), server=spec.display()), 30000)
        return job

    def reload(self, layer: VectorLayer | None) -> Job | None:
        """Read a PostGIS layer's rows again (a server that was down at opening is back)."""
        if layer is None or not is_postgis_layer(layer):
            self.window.statusBar().showMessage(self.tr("Choose a PostGIS layer in the layer tree first."), 6000)
            return None
        if self.window.editing.session.is_dirty(layer.id):
            self.window.show_error(self.tr("The layer was not reloaded"), self.tr(
                "{layer} has unsaved edits: save or discard them first.").format(layer=layer.title(self.window.lang)))
            return None
        ref = table_ref(layer)
        assert ref is not None
        job = self._runner.submit(Job(_read_table, ref.spec(), ref))
        self._open_jobs[job.id] = layer.id
        self.window.statusBar().showMessage(self.tr("Reading {layer} from {server}…").format(
            layer=layer.title(self.window.lang), server=ref.spec().display()), 30000)
        return job

    def busy(self) -> bool:
        return bool(self._open_jobs)

    def wait(self, timeout_s: float = 60.0) -> bool:
        """Tests and the command line: process events until the tables asked for are read."""
        clock = QElapsedTimer()
        clock.start()
        while self.busy() and clock.elapsed() < timeout_s * 1000:
            self._runner.wait(0.02)
            QCoreApplication.processEvents()
        return not self.busy()

    def _finished(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        purpose = self._open_jobs.pop(job_id, None)
        if job is None or purpose is None:
            return
        if purpose == "add":
            self._added(job)
        else:
            self._reloaded(purpose, job)

    def _added(self, job: Job) -> None:
        title = self.tr("PostGIS tables were not added")
        if job.error:
            self.window.show_error(title, job.error)
            return
        project = self.window.project
        refused = []
        added = []
        for result in job.result:  # type: ignore[attr-defined]
            if isinstance(result, PostgisError):
                refused.append(str(result))
                continue
            _own_crs(result)
            project.add_layer(result)
            result.selection_changed.connect(self.window.canvas.update)
            added.append(result)
        if added:
            self.window.statusBar().showMessage(self.tr("Added {layers} from PostGIS.").format(
                layers=", ".join(layer.title(self.window.lang) for layer in added)), 8000)
            if self.browser is not None:
                self.browser.status.setText(self.tr("Added {n} layer(s).").format(n=len(added)))
        if refused:
            self.window.show_error(title, "\n".join(refused))

    def _reloaded(self, layer_id: str, job: Job) -> None:
        layer = self.window.project.layer(layer_id) if any(
            candidate.id == layer_id for candidate in self.window.project.vector_layers()) else None
        if layer is None:
            return
        if job.error:
            self.window.show_error(self.tr("The layer was not reloaded"), job.error)
            return
        read = job.result
        assert isinstance(read, VectorLayer)
        _own_crs(read)
        session = self.window.editing.session
        editing = session.is_editing(layer_id)
        if editing:
            session.stop(layer_id)  # clean (checked above): its buffer starts again on the rows read
        layer.metadata = {key: value for key, value in layer.metadata.items() if key != UNAVAILABLE}
        layer.set_frame(read.frame)
        assert read.stored is not None
        read.stored.frame = layer.frame
        layer.stored = read.stored
        self.bases.pop(layer_id, None)
        if editing:
            session.start(layer_id)
        self.window.statusBar().showMessage(self.tr("{layer}: {n} feature(s) read from the server.").format(
            layer=layer.title(self.window.lang), n=len(layer.frame)), 8000)

    # --- passwords --------------------------------------------------------------------------------
    def ask_password(self, spec: ConnectionSpec, error: PostgisError) -> bool:
        """The server wants a (right) password: ask for it; True when the user gave one (every
        later connection to that server uses it)."""
        answer = self.password_prompt(spec, error.problem)
        if answer is None:
            return False
        password, remember = answer
        from gisapp.io.postgis.connection import use_password

        why = use_password(spec, password, remember)
        if why:
            self.window.statusBar().showMessage(why, 8000)
        return True

    def _password_dialog(self, spec: ConnectionSpec, problem: str) -> tuple[str, bool] | None:
        from gisapp.ui.postgis.password_prompt import ask_password

        return ask_password(self.window, spec, problem)

    # --- saving edits ------------------------------------------------------------------------------
    def note_dialog(self, answer: tuple[str, str] | None = None) -> tuple[str, str] | None:
        """Ask for the comment and plan citation of the next save (``answer``: tests and scripts)."""
        if answer is None:
            from gisapp.ui.postgis.save_note import SaveNoteDialog, plan_citations

            dialog = SaveNoteDialog(*self.save_note, plan_citations(self.window.project, self.window.lang), self.window)
            if dialog.exec() != SaveNoteDialog.DialogCode.Accepted:
                return None
            answer = dialog.note()
        self.set_save_note(*answer)
        return self.save_note

    def set_save_note(self, comment: str, citation: str) -> None:
        self.save_note = (comment.strip(), citation.strip())
        self.retranslate()
        if any(self.save_note):
            self.window.statusBar().showMessage(self.tr("The next PostGIS save keeps this note in the history."), 6000)

    def edited_layers(self) -> list[VectorLayer]:
        session = self.window.editing.session
        return [self.window.project.layer(layer_id) for layer_id in session.dirty_layers()
                if is_postgis_layer(self.window.project.layer(layer_id))]

    def base_of(self, layer: VectorLayer) -> Any:
        """The row versions the layer's local copy is based on (what its next save checks)."""
        from gisapp.io.postgis.team import RowVersions

        if layer.id in self.bases:
            return self.bases[layer.id]
        assert layer.stored is not None
        return RowVersions.from_stored(layer.stored)

    def save_edits(self) -> bool:
        """Send every edited PostGIS layer's edits to its server; True when all are written
        (or there were none). On failure the edits stay in the buffer and the user was told."""
        if self.saving:
            return False
        for layer in self.edited_layers():
            while True:
                outcome = self._save_layer(layer)
                if outcome == "saved":
                    break
                if outcome != "retry":
                    return False
        return True

    def _save_layer(self, layer: VectorLayer) -> str:
        """'saved', 'retry' (the user asked to try again) or 'failed'."""
        title = self.tr("The edits were not saved")
        name = layer.title(self.window.lang)
        ref = table_ref(layer)
        rows = self.window.editing.session.row_changes().get(layer.id)
        if ref is None or rows is None or layer.stored is None:
            self.window.show_error(title, self.tr("{layer}: the changed features are not known one by one, so "
                                                  "they cannot be sent to the server. Reload the layer and edit "
                                                  "again.").format(layer=name))
            return "failed"
        save = pending_part(layer, rows, ref.spec(), ref, self.base_of(layer), *self.save_note)
        if save is None:
            self.window.show_error(title, self.tr("{layer} was replaced as a whole; only changed, added and "
                                                  "deleted features can be saved to a shared table.").format(layer=name))
            return "failed"
        job = self._run_save(save, name)
        if job is None:
            return "failed"
        from gisapp.io.postgis.team import ConflictError

        error = job.result if isinstance(job.result, Exception) else None
        if job.error and error is None:
            self.window.show_error(title, f"{name}: {job.error}")
            return "failed"
        if isinstance(error, ConflictError):
            self.last_save_error = error
            return "retry" if self.conflict_handler(layer, error) else "failed"
        if isinstance(error, PostgisError) and self.save_cancelled:
            self.last_save_error = error
            self.window.statusBar().showMessage(self.tr(
                "Saving {layer} was cancelled; nothing was written and your edits are kept.").format(layer=name), 10000)
            return "failed"
        if isinstance(error, PostgisError):
            self.last_save_error = error
            text = "\n".join((self.tr("{layer} could not be saved to the server {server}.").format(
                layer=name, server=save.spec.display()), str(error),
                              self.tr("Your edits are kept in the edit buffer. Try again?")))
            self.window.statusBar().showMessage(str(error), 10000)
            answer = self.window.ask(title, text, [("retry", self.tr("Retry")), ("cancel", self.tr("Cancel"))], "retry")
            return "retry" if answer == "retry" else "failed"
        self._saved(layer, save, job.result)
        return "saved"

    def _run_save(self, save: LayerSave, name: str) -> Job | None:
        """Run the save on the PostGIS thread behind a window-modal progress box; the job, or
        None if the user cancelled (the server rolled the transaction back)."""
        job = Job(_send_catching, save)
        self.saving = True
        progress = QProgressDialog(self.tr("Saving {layer} to {server}…").format(layer=name, server=save.spec.display()),
                                   self.tr("Cancel"), 0, 0, self.window)
        progress.setObjectName("PostgisSaveProgress")
        progress.setWindowModality(Qt.WindowModal)  # the map stays painted; nothing edits the rows being sent
        self.save_progress = progress
        self.save_job = job
        done: list[Job] = []
        runner = JobRunner(POSTGIS_THREAD, self)
        runner.finished.connect(lambda job_id: done.append(runner.take(job_id)))
        runner.submit(job)
        self.save_cancelled = False
        clock = QElapsedTimer()
        clock.start()
        try:
            while not done:
                runner.wait(0.02)
                QCoreApplication.processEvents()
                if not progress.isVisible() and clock.elapsed() > 300 and not progress.wasCanceled():
                    progress.show()  # a quick save shows no box; a slow one shows what it waits for
                if progress.wasCanceled() and not self.save_cancelled:  # the button, Esc or closing the box
                    self.save_cancelled = True
                    save.cancel()  # the server stops the statement and rolls the transaction back
        finally:
            self.saving = False
            progress.close()
            progress.deleteLater()
            runner.deleteLater()
        return done[0]

    def _saved(self, layer: VectorLayer, save: LayerSave, result: Any) -> None:
        if layer.frame is not save.frame:  # never: the progress box kept edits out while it ran
            raise RuntimeError("the layer changed while its edits were being saved")
        layer.stored = stored_after(save, result)
        self.bases.pop(layer.id, None)
        self.window.editing.session.commit([layer.id])
        if any(self.save_note) and not self.edited_layers():  # every layer it was meant for has it now
            self.set_save_note("", "")
        self.window.statusBar().showMessage(self.tr(
            "{layer}: {updated} changed, {inserted} added, {deleted} deleted feature(s) saved to the server.").format(
            layer=layer.title(self.window.lang), updated=result.updated, inserted=result.inserted,
            deleted=result.deleted), 8000)

    def _say_conflicts(self, layer: VectorLayer, error: Any) -> bool:
        """Without the conflict dialog: say which features conflict; nothing was written."""
        from PySide6.QtWidgets import QMessageBox

        from gisapp.io.postgis.team import describe_conflicts
        from gisapp.ui.plain import message_box

        text = "\n".join((str(error), self.tr("Nothing was written; your edits are kept.")))
        box = message_box(QMessageBox.Warning, self.tr("Someone else changed these features"), text,
                          QMessageBox.Ok, self.window, details=describe_conflicts(error.conflicts))
        box.setObjectName("ConflictBox")
        box.open()
        return False

    def shutdown(self) -> None:
        self._runner.shutdown()


def _send_catching(save: LayerSave) -> Any:
    """The SaveResult, or the PostgisError (ConflictError, ConnectionLost) the save raised."""
    try:
        return send(save)
    except PostgisError as exc:
        return exc


def _read_table(spec: ConnectionSpec, ref: Any) -> VectorLayer:
    """The table's rows as a fresh layer (its frame and stored rows are taken over)."""
    from gisapp.io.postgis.connection import connect
    from gisapp.io.postgis.source import open_postgis_layer
    from gisapp.io.postgis.tables import table_info

    with connect(spec, autocommit=True) as con:
        return open_postgis_layer(con, spec, table_info(con, ref.schema, ref.table),
                                  after_batch=gc.freeze)  # as a file's chunks are: no full collection over its rows


def _own_crs(layer: VectorLayer) -> None:
    """A CRS object made on the UI thread (pyproj keeps a PROJ context per thread)."""
    layer.frame.set_crs(layer.frame.crs.to_string(), allow_override=True, inplace=True)

