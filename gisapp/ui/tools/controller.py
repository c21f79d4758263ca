"""Measure, locate, bookmarks and coordinates in the main window: actions, menus, a toolbar, docks.

The measure and capture tools are map tools like the editing ones (Qt-free state machines
in :mod:`gisapp.core.editing.tools`, chosen through the editing controller's mode, so one
tool is active at a time and Esc, snapping and the overlay work the same). This controller
listens to the active tool and fills its panel; it adds the locate box to its toolbar and
keeps the project's bookmarks.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QToolBar

from gisapp.core.editing.tools import MEASURE_MODES, CaptureTool, MeasureTool, Mode
from gisapp.core.geo.coordinates import CoordinateError, convert, format_point, parse_point
from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.core.model.bookmarks import Bookmark, default_name
from gisapp.ui.tools.bookmarks_panel import BookmarksPanel
from gisapp.ui.tools.coordinates_panel import CoordinatesPanel
from gisapp.ui.tools.locate_box import LocateBox
from gisapp.ui.tools.measure_panel import MeasurePanel

TOOL_MODES = (Mode.MEASURE_DISTANCE, Mode.MEASURE_AREA, Mode.MEASURE_ANGLE, Mode.CAPTURE_POINT)


class ToolsController(QObject):
    """Wires the everyday tools into a MainWindow (created after its editing controller)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        tools = window.editing.tools
        actions = window.editing.actions
        self.tool_actions = {mode: actions.tool_actions[mode] for mode in TOOL_MODES}
        shortcuts = {Mode.MEASURE_DISTANCE: "Ctrl+Shift+M", Mode.MEASURE_AREA: "Ctrl+Shift+J",
                     Mode.MEASURE_ANGLE: "Ctrl+Shift+G", Mode.CAPTURE_POINT: "Ctrl+Shift+X"}
        for mode, act in self.tool_actions.items():
            act.setShortcut(QKeySequence(shortcuts[mode]))
            # Triggered runs after the editing controller made the tool; toggled also follows
            # set_mode called from code (and unchecking).
            act.toggled.connect(lambda checked, mode=mode: self._tool_toggled(mode, checked))
            act.triggered.connect(lambda _checked=False, mode=mode: self._tool_toggled(mode, True))
        self.tools = tools
        self._attached = None  # the tool whose results the panels show

        self.measure_panel = MeasurePanel(window)
        for mode in (Mode.MEASURE_DISTANCE, Mode.MEASURE_AREA, Mode.MEASURE_ANGLE):
            self.measure_panel.add_mode_button(self.tool_actions[mode])
        self.measure_panel.clearRequested.connect(self.clear_measure)
        self.coordinates_panel = CoordinatesPanel(window)
        self.coordinates_panel.goToRequested.connect(self.go_to_coordinate)
        self.bookmarks_panel = BookmarksPanel(window)
        self.bookmarks_panel.addRequested.connect(self.add_bookmark)
        self.bookmarks_panel.goToRequested.connect(self.go_to_bookmark)
        self.bookmarks_panel.renamed.connect(self.rename_bookmark)
        self.bookmarks_panel.deleteRequested.connect(self.delete_bookmark)
        self.measure_dock = self._dock("MeasureDock", self.measure_panel)
        self.coordinates_dock = self._dock("CoordinatesDock", self.coordinates_panel)
        self.bookmarks_dock = self._dock("BookmarksDock", self.bookmarks_panel)

        self.locate_box = LocateBox(window)
        self.locate_box.featureChosen.connect(self.locate)
        self.act_locate = QAction(window)
        self.act_locate.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence.Find])
        self.act_locate.triggered.connect(self.locate_box.focus_and_select)
        self.act_new_bookmark = QAction(window)
        self.act_new_bookmark.setShortcut(QKeySequence("Ctrl+B"))
        self.act_new_bookmark.triggered.connect(self.add_bookmark)
        self.act_show_bookmarks = self.bookmarks_dock.toggleViewAction()
        self.act_show_bookmarks.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.act_go_to = QAction(window)
        self.act_go_to.triggered.connect(self.show_go_to)
        # Ctrl+C on the map copies the measure while measuring (the editing Copy needs a
        # selection; with both enabled Qt would run neither).
        self.act_copy_measure = QAction(window)
        self.act_copy_measure.setShortcut(QKeySequence.Copy)
        self.act_copy_measure.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.act_copy_measure.setEnabled(False)
        self.act_copy_measure.triggered.connect(self.measure_panel.copy)
        self.canvas.addAction(self.act_copy_measure)
        self._build_menus()
        self._build_toolbar()

        window.languageChanged.connect(self._language_changed)
        window.projectChanged.connect(self.set_project)
        self.canvas.viewportChanged.connect(self._viewport_changed)
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.locate_box.shutdown)
        self.set_project(window.project)
        self._language_changed(window.lang)

    def _dock(self, name: str, widget) -> QDockWidget:
        window = self.window
        dock = QDockWidget(window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                         | QDockWidget.DockWidgetFloatable)
        window.addDockWidget(Qt.RightDockWidgetArea, dock)
        window.tabifyDockWidget(window.panel_dock, dock)
        dock.hide()
        return dock

    def _build_menus(self) -> None:
        view = self.window.menu_view
        view.addSeparator()
        self.menu_measure = QMenu(self.window)
        self.menu_measure.addActions([self.tool_actions[m] for m in (Mode.MEASURE_DISTANCE, Mode.MEASURE_AREA,
                                                                     Mode.MEASURE_ANGLE)])
        view.addMenu(self.menu_measure)
        view.addActions([self.tool_actions[Mode.CAPTURE_POINT], self.act_go_to, self.act_locate])
        self.menu_bookmarks = QMenu(self.window)
        self.menu_bookmarks.setObjectName("BookmarksMenu")
        self._bookmark_actions: list[QAction] = []
        self.menu_bookmarks.aboutToShow.connect(self._fill_bookmarks_menu)
        view.addMenu(self.menu_bookmarks)
        self._fill_bookmarks_menu()
        view.addActions([self.measure_dock.toggleViewAction(), self.coordinates_dock.toggleViewAction()])

    def _fill_bookmarks_menu(self) -> None:
        """New bookmark, Show bookmarks, then one entry per bookmark (made again on each opening)."""
        menu = self.menu_bookmarks
        if not menu.actions():
            menu.addActions([self.act_new_bookmark, self.act_show_bookmarks])
            self._bookmarks_separator = menu.addSeparator()
        for act in self._bookmark_actions:
            menu.removeAction(act)
            act.deleteLater()
        self._bookmark_actions = []
        bookmarks = self.window.project.bookmarks
        self._bookmarks_separator.setVisible(bool(bookmarks))
        for bookmark in bookmarks:
            # A menu entry draws its text plainly, but reads "&" as a mnemonic.
            act = QAction(bookmark.name.replace("&", "&&"), menu)
            act.triggered.connect(lambda _checked=False, ident=bookmark.id: self.go_to_bookmark(ident))
            menu.addAction(act)
            self._bookmark_actions.append(act)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.window)
        self.toolbar.setObjectName("ToolsToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.toolbar.addActions([self.tool_actions[m] for m in TOOL_MODES])
        self.toolbar.addAction(self.act_new_bookmark)
        self.window.addToolBar(self.toolbar)
        # The search box goes on the first row, which has room at 1280 px (the second does not).
        self.locate_toolbar = QToolBar(self.window)
        self.locate_toolbar.setObjectName("LocateToolbar")
        self.locate_toolbar.addWidget(self.locate_box)
        second_row = self.window.editing.actions.toolbar
        self.window.removeToolBarBreak(second_row)
        self.window.insertToolBar(second_row, self.locate_toolbar)
        self.window.insertToolBarBreak(second_row)

    # --- language and project --------------------------------------------------------------------------
    def _language_changed(self, lang: str) -> None:
        self.locate_box.lang = lang
        self.coordinates_panel.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            Mode.MEASURE_DISTANCE: (self.tr("Measure distance"), self.tr("Distance")),
            Mode.MEASURE_AREA: (self.tr("Measure area"), self.tr("Area")),
            Mode.MEASURE_ANGLE: (self.tr("Measure angle"), self.tr("Angle")),
            Mode.CAPTURE_POINT: (self.tr("Capture coordinates"), self.tr("Coordinates")),
        }
        for mode, (text, short) in texts.items():
            act = self.tool_actions[mode]
            act.setText(text)
            act.setIconText(short)
            act.setToolTip(f"{text} ({act.shortcut().toString(QKeySequence.NativeText)})")
        self.menu_measure.setTitle(self.tr("Measure"))
        self.menu_bookmarks.setTitle(self.tr("Bookmarks"))
        self.act_new_bookmark.setText(self.tr("New bookmark"))
        self.act_new_bookmark.setIconText(self.tr("Bookmark"))
        self.act_show_bookmarks.setText(self.tr("Show bookmarks"))
        self.act_go_to.setText(self.tr("Go to coordinate…"))
        self.act_locate.setText(self.tr("Locate feature…"))
        self.act_copy_measure.setText(self.tr("Copy measurement"))
        self.measure_dock.setWindowTitle(self.tr("Measure"))
        self.coordinates_dock.setWindowTitle(self.tr("Coordinates"))
        self.bookmarks_dock.setWindowTitle(self.tr("Spatial bookmarks"))
        self.toolbar.setWindowTitle(self.tr("Tools toolbar"))
        self.locate_toolbar.setWindowTitle(self.tr("Locate"))
        self.locate_box.setPlaceholderText(self.tr("Locate feature by name or id (Ctrl+K)"))
        self.measure_panel.retranslate()
        self.coordinates_panel.retranslate()
        self.bookmarks_panel.retranslate()

    def set_project(self, project) -> None:
        self.locate_box.set_project(project)
        self.bookmarks_panel.show_bookmarks(project.bookmarks)
        self.coordinates_panel.set_canvas_crs(self.canvas.viewport.crs)

    def _viewport_changed(self, viewport) -> None:
        if viewport.crs != self.coordinates_panel.canvas_crs:
            self.coordinates_panel.set_canvas_crs(viewport.crs)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Close:
            self.locate_box.shutdown()  # a half-built index is built again when asked for
        return False

    # --- measure and capture ---------------------------------------------------------------------------------
    def _tool_toggled(self, mode: Mode, checked: bool) -> None:
        tool = self.tools.tool
        if not checked:
            if mode in MEASURE_MODES:
                self.act_copy_measure.setEnabled(False)
            return
        if self.tools.mode != mode or tool is None or tool is self._attached:
            return
        self._attached = tool
        if isinstance(tool, MeasureTool):
            tool.on_change = lambda tool=tool: self._measure_changed(tool)
            self._measure_changed(tool)
            self._raise(self.measure_dock)
        elif isinstance(tool, CaptureTool):
            tool.on_capture = self.coordinates_panel.show_point
            self._raise(self.coordinates_dock)

    def _raise(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    def _measure_changed(self, tool: MeasureTool) -> None:
        self.measure_panel.show_result(tool.result())
        self.act_copy_measure.setEnabled(bool(tool.points))

    def clear_measure(self) -> None:
        tool = self.tools.tool
        if isinstance(tool, MeasureTool):
            tool.clear()
            self.canvas.update()
        else:
            self.measure_panel.show_result(type(self.measure_panel.result)(self.measure_panel.result.kind))

    def show_go_to(self) -> None:
        self._raise(self.coordinates_dock)
        self.coordinates_panel.goto_edit.setFocus(Qt.ShortcutFocusReason)

    def go_to_coordinate(self, text: str, crs: str) -> bool:
        """Centre the map on typed ``text`` in ``crs`` with a marker; say why not if it is no point."""
        lang = self.window.lang
        try:
            x, y = parse_point(text, crs)
            lon, lat = convert(x, y, crs, STORAGE_CRS)
            canvas_xy = convert(x, y, crs, self.canvas.viewport.crs)
        except CoordinateError as exc:
            self.coordinates_panel.say_go_to(exc.text(lang), error=True)
            self.window.statusBar().showMessage(exc.text(lang), 8000)
            return False
        if not self.canvas.centre_on(*canvas_xy):
            self.coordinates_panel.say_go_to(self.tr("The map cannot show that point in its CRS."), error=True)
            return False
        self.canvas.show_marker(lon, lat)
        dd, _dms = format_point(lon, lat, STORAGE_CRS)
        self.coordinates_panel.say_go_to(self.tr("Centred on {point} (lon, lat)").format(point=dd), error=False)
        return True

    # --- locate -----------------------------------------------------------------------------------------------
    def locate(self, layer_id: str, row: int) -> None:
        """Select the feature, show it in the identify panel and zoom to it."""
        project = self.window.project
        for layer in project.vector_layers():
            if layer.id != layer_id:
                layer.clear_selection()
        layer = project.layer(layer_id)
        layer.select([row])
        self.window.panel.show_feature(layer_id, row)
        self.window.panel_dock.show()
        self.window.panel_dock.raise_()
        self.canvas.zoom_to_feature(layer_id, row)
        self.window.statusBar().showMessage(self.tr("{name} in {layer}").format(
            name=layer.feature_label(row, self.window.lang), layer=layer.title(self.window.lang)), 6000)

    # --- bookmarks ---------------------------------------------------------------------------------------------
    def add_bookmark(self) -> Bookmark:
        """Bookmark the current view under a new name, and offer to rename it at once."""
        project = self.window.project
        viewport = self.canvas.viewport
        bookmark = Bookmark.new(default_name(project.bookmarks, self.tr("Bookmark")), viewport.extent, viewport.crs)
        project.bookmarks = [*project.bookmarks, bookmark]
        project.set_modified()
        self._raise(self.bookmarks_dock)
        self.bookmarks_panel.show_bookmarks(project.bookmarks, select_id=bookmark.id)
        self.bookmarks_panel.start_rename(len(project.bookmarks) - 1)
        return bookmark

    def _find(self, ident: str) -> int:
        return next((i for i, b in enumerate(self.window.project.bookmarks) if b.id == ident), -1)

    def go_to_bookmark(self, ident: str) -> bool:
        index = self._find(ident)
        if index < 0:
            return False
        bookmark = self.window.project.bookmarks[index]
        return self.canvas.show_extent(bookmark.extent, bookmark.crs)

    def rename_bookmark(self, ident: str, name: str) -> None:
        project = self.window.project
        index = self._find(ident)
        name = name.strip()
        if index < 0 or not name or project.bookmarks[index].name == name:
            self.bookmarks_panel.show_bookmarks(project.bookmarks, select_id=ident)  # an empty name is not kept
            return
        bookmarks = list(project.bookmarks)
        bookmarks[index] = bookmarks[index].renamed(name)
        project.bookmarks = bookmarks
        project.set_modified()
        self.bookmarks_panel.show_bookmarks(bookmarks, select_id=ident)

    def delete_bookmark(self, ident: str) -> None:
        project = self.window.project
        index = self._find(ident)
        if index < 0:
            return
        name = project.bookmarks[index].name
        project.bookmarks = [b for b in project.bookmarks if b.id != ident]
        project.set_modified()
        self.bookmarks_panel.show_bookmarks(project.bookmarks)
        self.window.statusBar().showMessage(self.tr("Bookmark {name} deleted").format(name=name), 6000)
