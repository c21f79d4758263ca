"""QGIS's files in the window: *Load style…* / *Save style as…* for a layer (``.qml``, ``.sld``,
also dropped onto the window or a layer in the tree) and QGIS projects (``.qgs``, ``.qgz``)
opened as the project.

The reading itself is Qt-free (:mod:`gisapp.io.qgis`); this controller adds the actions,
asks for files and says what happened: a refused style leaves the layer as it was and names
the file and the problem; what a style or project lost on the way is listed in the message
after opening.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog

from gisapp.io.errors import GisIOError
from gisapp.io.qgis.notes import joined
from gisapp.io.qgis.project_reader import is_qgis_project, read_qgis_project
from gisapp.io.qgis.style_files import apply_style_file, is_style_file, write_style_file
from gisapp.ui.shell.dialogs import _check_interactive
from gisapp.ui.shell.load_messages import OpenOutcome


def open_path(parent, title: str, start: str, filters: str) -> str:
    """A file to read, or '' if the user cancels."""
    _check_interactive(title)
    path, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    return path


class QgisFiles(QObject):
    """Style-file actions of the Layer menu and the layer's context menu, and QGIS projects."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        # Replaced by tests, as window.get_save_path is (see dialogs.py).
        self.get_open_path = lambda title, start, filters: open_path(window, title, start, filters)
        self.act_load_style = QAction(window)
        self.act_load_style.setObjectName("LoadStyleAction")
        self.act_load_style.triggered.connect(lambda: self.load_style_dialog())
        self.act_save_style = QAction(window)
        self.act_save_style.setObjectName("SaveStyleAction")
        self.act_save_style.triggered.connect(lambda: self.save_style_dialog())

    @property
    def actions(self) -> list[QAction]:
        return [self.act_load_style, self.act_save_style]

    def retranslate(self) -> None:
        self.act_load_style.setText(self.tr("Load style…"))
        self.act_save_style.setText(self.tr("Save style as .qml / .sld…"))

    def _filters(self) -> str:
        return self.tr("QGIS or SLD style (*.qml *.sld);;QGIS style (*.qml);;SLD style (*.sld)")

    def _layer_or_say(self):
        layer = self.window.current_layer()
        if layer is None:
            self.window.statusBar().showMessage(self.tr("Choose a layer in the layer tree first."), 5000)
        return layer

    # --- styles --------------------------------------------------------------------------
    def load_style_dialog(self) -> bool:
        layer = self._layer_or_say()
        if layer is None:
            return False
        path = self.get_open_path(self.tr("Load style for {layer}").format(layer=layer.title(self.window.lang)),
                                  str(Path.home()), self._filters())
        if not path:
            return False
        outcome = OpenOutcome()
        self.apply_style(layer, Path(path), outcome)
        self.window.show_outcome(outcome)
        return not outcome.refused

    def apply_style(self, layer, path: Path, outcome: OpenOutcome) -> None:
        """Apply a style file to ``layer``; what was refused or simplified goes into ``outcome``."""
        if self.window.editing.session.is_editing(layer.id):
            outcome.refused.append(GisIOError(path, self.tr("{layer} is being edited: stop editing first.").format(
                layer=layer.title(self.window.lang))))
            return
        try:
            simplified = apply_style_file(layer, path)
        except GisIOError as exc:
            outcome.refused.append(exc)
            return
        outcome.opened.append(str(path))
        title = layer.title(self.window.lang)
        if simplified:
            outcome.not_taken_over.append(self.tr("{file}: applied to {layer}, simplified: {notes}").format(
                file=path.name, layer=title, notes=joined(simplified)(self.window.lang)))
        else:
            outcome.notes.append(self.tr("Style {file} applied to {layer}").format(file=path.name, layer=title))

    def save_style_dialog(self) -> bool:
        layer = self._layer_or_say()
        if layer is None:
            return False
        start = str(Path.home() / f"{layer.id}.qml")
        path = self.window.get_save_path(self.tr("Save style of {layer}").format(layer=layer.title(self.window.lang)),
                                         start, self.tr("QGIS style (*.qml);;SLD style (*.sld)"))
        if not path:
            return False
        if not is_style_file(path):
            path += ".qml"
        try:
            write_style_file(layer, path)
        except GisIOError as exc:
            self.window.show_error(self.tr("The style was not saved"), str(exc))
            return False
        self.window.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return True

    # --- projects ------------------------------------------------------------------------
    def open_project(self, path: Path, outcome: OpenOutcome) -> bool:
        """Open a QGIS project as the window's project (after asking to save the current one);
        GisIOError when it cannot be read, the open project then stays as it was."""
        if not self.window._confirm_discard():
            return False
        QApplication.setOverrideCursor(Qt.WaitCursor)  # a project's layers are read on this thread
        try:
            imported = read_qgis_project(path)
        finally:
            QApplication.restoreOverrideCursor()
        self.window.set_project(imported.project)
        outcome.layers = list(imported.project.layers)
        outcome.not_taken_over += [f"{path.name}: {note.message_in(self.window.lang)}" for note in imported.notes]
        return True

    @staticmethod
    def handles(path: Path) -> bool:
        return is_style_file(path) or is_qgis_project(path)

