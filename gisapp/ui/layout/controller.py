"""File > New print layout… and File > Print layouts…: the layout editor beside the main window."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from gisapp.core.layout.templates import plan_map
from gisapp.core.model.project import Project
from gisapp.ui.layout.editor import LayoutEditor


class LayoutsController(QObject):
    """Two File-menu actions and the one layout editor window of the project."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self.editor: LayoutEditor | None = None
        self.act_new = QAction(window)
        self.act_new.triggered.connect(self.new_layout)
        self.act_layouts = QAction(window)
        self.act_layouts.triggered.connect(self.open_editor)
        menu = window.menu_file
        # Beside the other outputs: before the separator above Quit.
        before = next((act for act in reversed(menu.actions()) if act.isSeparator()), None)
        menu.insertActions(before, [self.act_new, self.act_layouts])

    def set_project(self, project: Project) -> None:
        self.project = project
        if self.editor is not None:
            self.editor.close()
            self.editor.deleteLater()
            self.editor = None

    def retranslate(self) -> None:
        self.act_new.setText(self.tr("New print layout…"))
        self.act_layouts.setText(self.tr("Print layouts…"))
        if self.editor is not None:
            self.editor.set_lang(self.window.lang)

    def open_editor(self) -> LayoutEditor:
        assert self.project is not None
        if self.editor is None:
            self.editor = LayoutEditor(self.project, self.window.lang, self.window)
        self.editor.show()
        self.editor.raise_()
        return self.editor

    def new_layout(self) -> LayoutEditor:
        editor = self.open_editor()
        if self.project is not None and self.project.layouts:
            editor.add_layout(plan_map())
        return editor
