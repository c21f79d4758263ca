"""Main window: canvas, layer tree, identify panel, attribute table, menus."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSlider,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.geo.geodesy import crs_label
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.load_report import CRS_SET
from gisapp.core.model.project import Project
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.texts import pick
from gisapp.io.atomic import DiskFullError, ReadOnlyError
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import save_project
from gisapp.io.qgis.project_reader import PROJECT_SUFFIXES
from gisapp.io.raster import RASTER_SUFFIXES
from gisapp.io.tiles.mbtiles import BASEMAP_SUFFIXES
from gisapp.io.vector import SUPPORTED_SUFFIXES, layer_with_crs
from gisapp.ui.docks import dock_action, show_dock
from gisapp.ui.editing.controller import EditingController
from gisapp.ui.indicators.controller import IndicatorsController
from gisapp.ui.layout.controller import LayoutsController
from gisapp.ui.map.canvas import MapCanvas
from gisapp.ui.panels.attribute_table import AttributeTable
from gisapp.ui.panels.feature_panel import FeaturePanel
from gisapp.ui.panels.layer_tree import LayerTreeModel, LayerTreeView
from gisapp.ui.plain import escape, message_box, plain_label
from gisapp.ui.postgis.controller import PostgisController
from gisapp.ui.shell.basemaps import BasemapController
from gisapp.ui.shell.crash import error_reporter
from gisapp.ui.shell.dialogs import ask_crs, ask_user, choose_item, save_path
from gisapp.ui.shell.georef import GeorefController
from gisapp.ui.shell.heap import (
    keep_out_of_collections,
    release_free_memory,
    settle_long_lived_objects,
    tune_allocator,
)
from gisapp.ui.shell.i18n import install_language
from gisapp.ui.shell.layer_actions import LayerActions
from gisapp.ui.shell.load_messages import OpenOutcome, show_outcome
from gisapp.ui.shell.opening import FileOpener, OpenBatch
from gisapp.ui.shell.publish_dialog import PublishController
from gisapp.ui.shell.qgis_files import QgisFiles
from gisapp.ui.shell.rasters import RasterController
from gisapp.ui.team.controller import TeamController
from gisapp.ui.tools.controller import ToolsController

CANVAS_CRS_CHOICES = ("EPSG:3857", "EPSG:4326", "EPSG:4490", "EPSG:32651", "EPSG:4549")


class MainWindow(QMainWindow):
    languageChanged = Signal(str)
    projectChanged = Signal(object)  # the Project now shown

    def __init__(self, project: Project, lang: str = "en") -> None:
        super().__init__()
        tune_allocator()
        self.lang = lang
        self.project = project
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.resize(1600, 1000)

        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.tree = LayerTreeView(self)
        self.tree_model: LayerTreeModel | None = None
        self.opacity_slider = QSlider(Qt.Horizontal, self)
        self.opacity_slider.setRange(0, 100)
        self.opacity_label = plain_label(parent=self)
        tree_box = QWidget(self)
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(2, 2, 2, 2)
        tree_layout.addWidget(self.tree)
        opacity_row = QHBoxLayout()
        opacity_row.addWidget(self.opacity_label)
        opacity_row.addWidget(self.opacity_slider, 1)
        tree_layout.addLayout(opacity_row)
        self.layers_dock = self._dock("LayersDock", tree_box, Qt.LeftDockWidgetArea)
        self.panel = FeaturePanel(self)
        self.panel_dock = self._dock("IdentifyDock", self.panel, Qt.RightDockWidgetArea)
        self.table: AttributeTable | None = None
        self.table_dock = self._dock("AttributeTableDock", QWidget(self), Qt.BottomDockWidgetArea)
        self.table_dock.hide()
        self._docks_fitted = False

        # The CRS comes from the project file: every status label is plain text.
        self.coords_label = plain_label(parent=self)
        self.scale_label = plain_label(parent=self)
        self.crs_label = plain_label(parent=self)
        for label in (self.coords_label, self.scale_label, self.crs_label):
            self.statusBar().addPermanentWidget(label)
        self.opener = FileOpener(self)  # files open in the background, with progress in the status bar

        # Questions go through these attributes so tests can answer them (see dialogs.py).
        self.ask = lambda title, text, buttons, default=None: ask_user(self, title, text, buttons, default)
        self.choose = lambda title, text, options: choose_item(self, title, text, options)
        self.get_save_path = lambda title, start, filters: save_path(self, title, start, filters)
        self.ask_crs = lambda layer_title, current: ask_crs(self, layer_title, current)
        self.load_report_box = None

        self.qgis_files = QgisFiles(self)  # .qml/.sld styles and .qgs/.qgz projects
        self._create_actions()
        self.indicators = IndicatorsController(self)  # dashboard dock, Indicators menu, map <-> indicators
        self.editing = EditingController(self)
        self.layouts = LayoutsController(self)  # File > print layouts: the layout editor
        self.publishing = PublishController(self)  # File > Publish to PostGIS
        self.basemaps = BasemapController(self)  # Layer > Add basemap, MBTiles files
        self.postgis = PostgisController(self)  # Layer > Add PostGIS layers, edits saved to the server
        self.rasters = RasterController(self)  # raster files, Layer > Raster style, pixel identify
        self.georef = GeorefController(self)  # Layer > Georeference image
        self.last_georeferenced_figure = ""  # offered by Edit > Mark as traced over a figure
        self.tools = ToolsController(self)  # measure, locate, bookmarks, coordinates
        self.layer_actions = LayerActions(self)  # properties, rename, duplicate, expressions, field calculator
        self.team = TeamController(self)  # shared PostGIS tables: conflicts, live changes, feature history
        self._connect()
        self.set_project(project)
        self.set_language(lang)

    # --- construction --------------------------------------------------------------------
    def _dock(self, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                         | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _create_actions(self) -> None:
        def action(slot, shortcut=None) -> QAction:
            act = QAction(self)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            return act

        self.act_open = action(self.open_dialog, QKeySequence.Open)
        self.act_save = action(self.save, QKeySequence.Save)
        self.act_save_as = action(self.save_as, QKeySequence.SaveAs)
        self.act_export_web = action(self.export_web_map_dialog)
        self.act_quit = action(self.close, QKeySequence.Quit)
        self.act_zoom_in = action(lambda: self.canvas.zoom_by(1.5), QKeySequence.ZoomIn)
        self.act_zoom_out = action(lambda: self.canvas.zoom_by(1 / 1.5), QKeySequence.ZoomOut)
        self.act_zoom_full = action(self.canvas.zoom_full, "Ctrl+Shift+F")
        self.act_zoom_layer = action(self.zoom_to_current_layer)
        self.act_zoom_selection = action(self.zoom_to_selection, "Ctrl+J")
        self.act_table = action(self.open_attribute_table, "F6")
        self.act_remove_layer = action(self.remove_current_layer)
        self.act_set_crs = action(self.set_current_layer_crs_dialog)
        self.act_clear_selection = action(self.clear_selection, "Ctrl+Shift+A")
        self.act_about = action(self.show_about)
        self.lang_group = QActionGroup(self)
        self.act_lang_zh = QAction("中文", self, checkable=True)
        self.act_lang_en = QAction("English", self, checkable=True)
        for act, lang in ((self.act_lang_zh, "zh"), (self.act_lang_en, "en")):
            self.lang_group.addAction(act)
            act.triggered.connect(lambda _checked=False, lang=lang: self.set_language(lang))
        self.crs_group = QActionGroup(self)
        self.crs_actions: dict[str, QAction] = {}
        for crs in CANVAS_CRS_CHOICES:
            act = QAction(crs_label(crs), self, checkable=True)
            act.triggered.connect(lambda _checked=False, crs=crs: self.set_canvas_crs(crs))
            self.crs_group.addAction(act)
            self.crs_actions[crs] = act

        self.menu_file = self.menuBar().addMenu("")
        for act in (self.act_open, self.act_save, self.act_save_as, self.act_export_web, None, self.act_quit):
            self.menu_file.addSeparator() if act is None else self.menu_file.addAction(act)
        self.menu_view = self.menuBar().addMenu("")
        for act in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_full, self.act_zoom_layer,
                    self.act_zoom_selection):
            self.menu_view.addAction(act)
        self.menu_crs = QMenu(self)
        self.menu_crs.addActions(list(self.crs_actions.values()))
        self.menu_view.addMenu(self.menu_crs)
        self.menu_view.addSeparator()
        for dock in (self.layers_dock, self.panel_dock, self.table_dock):
            self.menu_view.addAction(dock_action(dock, self))  # brings a tabbed-behind dock to the front
        self.menu_layer = self.menuBar().addMenu("")
        for act in (self.act_table, self.act_zoom_layer, self.act_set_crs, *self.qgis_files.actions,
                    self.act_clear_selection, self.act_remove_layer):
            self.menu_layer.addAction(act)
        self.menu_lang = self.menuBar().addMenu("")
        self.menu_lang.addActions([self.act_lang_zh, self.act_lang_en])
        self.menu_help = self.menuBar().addMenu("")
        self.menu_help.addAction(self.act_about)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("MainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        for act in (self.act_open, self.act_save, None, self.act_zoom_in, self.act_zoom_out,
                    self.act_zoom_full, self.act_zoom_selection, None, self.act_table):
            self.toolbar.addSeparator() if act is None else self.toolbar.addAction(act)
        self.addToolBar(self.toolbar)

    def _connect(self) -> None:
        self.canvas.cursorMoved.connect(self._show_cursor)
        self.canvas.viewportChanged.connect(self._show_scale)
        self.canvas.featureClicked.connect(self._on_feature_clicked)
        self.canvas.emptyClicked.connect(self.clear_selection)
        self.canvas.renderFailed.connect(self._render_failed)
        self.canvas.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.doubleClicked.connect(lambda _index: self.zoom_to_current_layer())
        self.opacity_slider.valueChanged.connect(self._on_opacity)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_fitted:
            self._docks_fitted = True
            self.fit_docks()

    def fit_docks(self) -> None:
        """Give the map most of the width: side panels scale with the window, within limits."""
        width = self.width()
        left = int(min(320, max(230, width * 0.19)))
        right = int(min(440, max(280, width * (0.25 if width >= 1400 else 0.22))))
        self.resizeDocks([self.layers_dock, self.panel_dock], [left, right], Qt.Horizontal)

    # --- project -------------------------------------------------------------------------
    def set_project(self, project: Project, settle: bool = True) -> None:
        """Show ``project``. ``settle`` runs a full collection first (see heap.py); the
        background open passes False: a full collection while a file is read walks every
        feature read so far, holding the GIL (572 ms at a million parcels, loaded machine)."""
        if self.project is not None and self.project is not project:
            self.project.modified_changed.disconnect(self._update_title)
        self.project = project
        project.modified_changed.connect(self._update_title)
        self.tree_model = LayerTreeModel(project, self.lang, self)
        self.tree.setModel(self.tree_model)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._sync_opacity_slider())
        self.canvas.set_project(project)
        self.panel.set_project(project)
        self.indicators.set_project(project)
        self._close_table()
        self.editing.set_project(project)
        self.layouts.set_project(project)
        self.publishing.set_project(project)
        self._crs_action(project.canvas_crs).setChecked(True)
        self._update_title()
        self._sync_opacity_slider()
        self.projectChanged.emit(project)
        if settle:
            settle_long_lived_objects()
        else:
            keep_out_of_collections()

    def set_canvas_crs(self, crs: str) -> None:
        self.canvas.set_crs(crs)
        self._crs_action(crs).setChecked(True)
        self._show_scale(self.canvas.viewport)

    def _crs_action(self, crs: str) -> QAction:
        """The Map CRS menu's entry for ``crs``; a CRS chosen by search gets an entry of its own."""
        if crs not in self.crs_actions:
            act = QAction(crs_label(crs), self, checkable=True)
            act.triggered.connect(lambda _checked=False, crs=crs: self.set_canvas_crs(crs))
            self.crs_group.addAction(act)
            self.menu_crs.insertAction(self.menu_crs.actions()[len(self.crs_actions)], act)
            self.crs_actions[crs] = act
        return self.crs_actions[crs]

    # --- language ------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        install_language(lang)
        self.lang = lang
        pick(lang, self.act_lang_zh, self.act_lang_en).setChecked(True)
        if self.tree_model is not None:
            self.tree_model.set_lang(lang)
        self.canvas.set_lang(lang)
        self.panel.set_lang(lang)
        self.retranslate()
        QSettings().setValue("language", lang)
        self.languageChanged.emit(lang)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_layer.setTitle(self.tr("&Layer"))
        self.menu_lang.setTitle(self.tr("L&anguage"))
        self.menu_help.setTitle(self.tr("&Help"))
        self.menu_crs.setTitle(self.tr("Map CRS"))
        self.act_open.setText(self.tr("&Open data…"))
        self.act_save.setText(self.tr("&Save project"))
        self.act_save_as.setText(self.tr("Save project &as…"))
        self.act_export_web.setText(self.tr("Export web map…"))
        self.act_quit.setText(self.tr("&Quit"))
        self.act_zoom_in.setText(self.tr("Zoom in"))
        self.act_zoom_out.setText(self.tr("Zoom out"))
        self.act_zoom_full.setText(self.tr("Zoom to full extent"))
        self.act_zoom_layer.setText(self.tr("Zoom to layer"))
        self.act_zoom_selection.setText(self.tr("Zoom to selection"))
        self.act_table.setText(self.tr("Attribute table"))
        self.act_remove_layer.setText(self.tr("Remove layer"))
        self.act_set_crs.setText(self.tr("Set layer CRS…"))
        self.act_clear_selection.setText(self.tr("Clear selection"))
        self.act_about.setText(self.tr("&About"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        self.layers_dock.setWindowTitle(self.tr("Layers"))
        self.panel_dock.setWindowTitle(self.tr("Feature and plan indicators"))
        self.table_dock.setWindowTitle(self._table_title())
        self.opacity_label.setText(self.tr("Opacity"))
        self.opener.progress.retranslate()
        if self.table is not None:
            self.table.retranslate()
        self.indicators.retranslate()
        self.editing.retranslate()
        self.qgis_files.retranslate()
        self.layouts.retranslate()
        self.publishing.retranslate()
        self.layer_actions.retranslate()
        self.postgis.retranslate()
        self.panel.refresh()
        self._update_title()
        self._show_scale(self.canvas.viewport)

    # --- status bar and title ------------------------------------------------------------------
    def _update_title(self, *_args) -> None:
        path = self.project.metadata.get("path")
        name = Path(path).name if path else self.tr("bundled Dalian project")
        editing = getattr(self, "editing", None)
        star = "*" if self.project.modified or (editing is not None and editing.session.is_dirty()) else ""
        self.setWindowTitle(f"{star}{self.project.title(self.lang)} — {name} — gisapp")

    def _show_cursor(self, lon: float, lat: float) -> None:
        self.coords_label.setText(self.tr("Lon {lon:.5f}°  Lat {lat:.5f}°").format(lon=lon, lat=lat))

    def _show_scale(self, viewport) -> None:
        denominator = viewport.scale_denominator()
        self.scale_label.setText(self.tr("Scale 1:{scale}").format(scale=f"{denominator:,.0f}")
                                 if math.isfinite(denominator) else "")
        self.crs_label.setText(crs_label(viewport.crs))

    # --- identify and selection -----------------------------------------------------------------
    def _on_feature_clicked(self, layer_id: str, row: int, add: bool) -> None:
        for layer in self.project.vector_layers():
            if layer.id != layer_id and not add:
                layer.clear_selection()
        self.project.layer(layer_id).select([row], add=add)
        self.panel.show_feature(layer_id, row)
        self.panel_dock.show()

    def select_feature(self, feature_id: str, zoom: bool = False) -> bool:
        """Select a feature by its text id and show it in the panel."""
        found = self.project.find_feature(feature_id)
        if found is None:
            return False
        layer, row = found
        self._on_feature_clicked(layer.id, row, False)
        if zoom:
            self.canvas.zoom_to_feature(layer.id, row)
        return True

    def clear_selection(self) -> None:
        for layer in self.project.vector_layers():
            layer.clear_selection()
        self.panel.show_feature(None, None)

    def zoom_to_selection(self) -> None:
        for layer in self.project.vector_layers():
            if len(layer.selection):
                self.canvas.zoom_to_feature(layer.id, int(layer.selection[0]))
                return

    # --- layer tree actions ------------------------------------------------------------------
    def current_layer(self):
        """The current vector layer in the tree (None for a basemap: it has no features)."""
        layer = self.current_map_layer()
        return layer if isinstance(layer, VectorLayer) else None

    def current_map_layer(self):
        """The current layer in the tree, of any kind."""
        layer_id = self.tree.current_layer_id()
        try:
            return self.project.map_layer(layer_id) if layer_id else None
        except KeyError:
            return None

    def zoom_to_current_layer(self) -> None:
        layer = self.current_map_layer()
        if layer is not None:
            self.canvas.zoom_to_layer(layer.id)

    def remove_current_layer(self) -> None:
        layer = self.current_map_layer()
        if layer is not None:
            if isinstance(layer, VectorLayer) and self.editing.session.is_dirty(layer.id) and self.ask(
                    self.tr("Remove layer"),
                    self.tr("{layer} has unsaved edits. Remove it and lose them?").format(
                        layer=layer.title(self.lang)),
                    [("discard", self.tr("Remove and lose the edits")), ("cancel", self.tr("Cancel"))],
                    "cancel") != "discard":
                return
            if self.table is not None and self.table.layer is layer:
                self._close_table()
            self.project.remove_layer(layer.id)

    def _tree_menu(self, pos) -> None:
        layer = self.current_map_layer()
        if layer is None:
            return
        self.layer_actions.context_menu(layer).exec(self.tree.viewport().mapToGlobal(pos))

    def _sync_opacity_slider(self) -> None:
        layer = self.current_map_layer()
        self.opacity_slider.setEnabled(layer is not None)
        self.opacity_slider.blockSignals(True)
        self.opacity_slider.setValue(round((layer.opacity if layer else 1.0) * 100))
        self.opacity_slider.blockSignals(False)

    def _on_opacity(self, value: int) -> None:
        layer = self.current_map_layer()
        if layer is not None:
            layer.set_opacity(value / 100)

    # --- attribute table -----------------------------------------------------------------------
    def _table_title(self) -> str:
        if self.table is None:
            return self.tr("Attribute table")
        return self.tr("Attribute table — {layer}").format(layer=self.table.layer.title(self.lang))

    def open_attribute_table(self, layer_id: str | None = None) -> AttributeTable | None:
        layer = self.project.layer(layer_id) if layer_id else self.current_layer()
        if layer is None:
            layer = self._table_layer_to_open()
        if layer is None:
            return None
        self._close_table()
        self.table = AttributeTable(layer, self.lang, self)
        self.table.model.can_edit = lambda: self.editing.session.is_editing(layer.id)
        self.table.model.editor = lambda row, column, value: self.editing.edit_attribute(layer.id, row, column, value)
        self.table_dock.setWidget(self.table)
        self.table_dock.setWindowTitle(self._table_title())
        show_dock(self.table_dock)
        return self.table

    def _table_layer_to_open(self):
        """No current layer: the layer with a selection, the only vector layer, or the user's choice."""
        selected = [candidate for candidate in self.project.vector_layers() if len(candidate.selection)]
        if selected:
            return selected[0]
        layers = self.project.vector_layers()
        if len(layers) <= 1:
            if not layers:
                self.statusBar().showMessage(self.tr("The project has no layer with attributes."), 5000)
            return layers[0] if layers else None
        titles = [layer.title(self.lang) for layer in layers]
        index = self.choose(self.tr("Attribute table"), self.tr("Open the attribute table of:"), titles)
        return layers[index] if index is not None else None

    def _close_table(self) -> None:
        if self.table is not None:
            self.table.layer.selection_changed.disconnect(self.table._on_layer_selection)
            self.table.detach()
            self.table.deleteLater()
            self.table = None
            self.table_dock.setWidget(QWidget(self))

    # --- files ------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in (*SUPPORTED_SUFFIXES, *PROJECT_SUFFIXES, *BASEMAP_SUFFIXES,
                                                               *RASTER_SUFFIXES))
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open data"), str(Path.home()),
            self.tr("Vector data and QGIS projects ({patterns});;QGIS projects (*.qgs *.qgz);;"
                    "All files (*)").format(patterns=patterns))
        self.open_paths(paths)

    def open_paths(self, paths, on_done=None, style_target=None) -> OpenBatch:
        """Open project, data or style files in the background (after those still opening);
        report problems at the end without losing the current project.

        A file refused entirely changes nothing. A file that opened with warnings or rejected
        features, or a QGIS project or style with parts gisapp could not take over, is reported
        in one message with the rejected features under Show Details. Style files (.qml, .sld)
        apply to ``style_target`` (a layer), else to the current layer. ``.wait()`` on the batch
        returned waits for it while processing events; ``on_done(batch)`` runs when it is done."""
        return self.opener.open(paths, on_done=on_done, style_target=style_target)

    def read_paths(self, paths, style_target=None) -> OpenOutcome:
        """Open project, data or style files without showing a message, and wait for them: what
        opened, what was refused."""
        batch = self.opener.open(paths, quiet=True, style_target=style_target)
        batch.wait()
        return batch.outcome

    def batch_opened(self, batch: OpenBatch) -> None:
        """The files of one ``open_paths`` are read (or refused, or cancelled)."""
        outcome = batch.outcome
        if outcome.layers:
            keep_out_of_collections()  # a full settle would block the window 0.1 s at a million parcels
            release_free_memory()  # the read's buffers and chunk copies are gone
        if batch.quiet or batch.cancelled:
            return
        self.show_outcome(outcome)

    def no_style_target_error(self, path: Path) -> GisIOError:
        return GisIOError(path, self.tr("choose the layer to apply the style to in the layer "
                                        "tree, or drop the style onto the layer"))

    def show_outcome(self, outcome: OpenOutcome) -> None:
        if outcome.reports() or outcome.not_taken_over:
            self.load_report_box = show_outcome(self, outcome, self.lang, set_crs=self.set_layer_crs_dialog)
        elif outcome.refused:
            self.show_error(self.tr("Some files could not be opened"), "\n".join(map(str, outcome.refused)))
        elif outcome.notes:
            self.statusBar().showMessage("; ".join(outcome.notes), 15000)

    def forget_layer(self, layer) -> None:
        """Before ``layer`` leaves the project without being asked (a cancelled open): close what shows it."""
        if self.table is not None and self.table.layer is layer:
            self._close_table()
        if self.panel.current and self.panel.current[0] == layer.id:
            self.panel.show_feature(None, None)

    # --- layer CRS ---------------------------------------------------------------------------
    def set_current_layer_crs_dialog(self) -> None:
        if isinstance(self.current_map_layer(), RasterLayer):
            self.rasters.set_crs_dialog(self.current_map_layer())
            return
        layer = self.current_layer()
        if layer is None:
            self.statusBar().showMessage(self.tr("Choose a layer in the layer tree first."), 5000)
            return
        self.set_layer_crs_dialog(layer)

    def set_layer_crs_dialog(self, layer) -> None:
        crs = self.ask_crs(layer.title(self.lang), layer.crs)
        if crs:
            self.set_layer_crs(layer.id, crs)

    def set_layer_crs(self, layer_id: str, crs: str) -> bool:
        """Read the layer's coordinates in ``crs`` (they stay as they are); False, with a
        message, if the CRS is unknown or cannot place them."""
        layer = self.project.layer(layer_id)
        title = self.tr("The layer CRS was not changed")
        if self.editing.session.is_editing(layer.id):
            self.show_error(title, self.tr("{layer} is being edited: stop editing first.").format(
                layer=layer.title(self.lang)))
            return False
        try:
            frame = layer_with_crs(layer, crs)
        except ValueError as exc:
            self.show_error(title, f"{layer.title(self.lang)}: {exc}")
            return False
        layer.metadata.update(source_crs=frame.crs.to_string(), crs_decision=CRS_SET)
        if layer.load_report is not None:
            layer.load_report.crs, layer.load_report.crs_how = frame.crs.to_string(), CRS_SET
        layer.set_frame(frame)
        self.statusBar().showMessage(self.tr("{layer} is now read in {crs}").format(
            layer=layer.title(self.lang), crs=crs_label(frame.crs.to_string())), 8000)
        return True

    def _render_failed(self, error: str) -> None:
        """A layer could not be drawn: said in the status bar each time, logged, and shown in the
        error dialog once (a failing layer fails again on every pan)."""
        text = self.tr("The map could not be drawn: {error}").format(error=error)
        self.statusBar().showMessage(text, 10000)
        error_reporter().report(text, self.canvas.last_render_traceback or error, key=f"render|{error}",
                                where="while drawing the map")

    def show_error(self, title: str, text: str) -> None:
        self.statusBar().showMessage(text.splitlines()[0], 10000)
        # File names and problems come from files: shown as text, never as HTML.
        box = message_box(QMessageBox.Warning, title, text, QMessageBox.Ok, self)
        box.setObjectName("ErrorBox")
        box.open()

    def save(self) -> bool:
        """Save edits and the project: edited PostGIS layers go to their servers first (each in
        one transaction), then the project file (asking for a name if it has none, unless the
        server held all there was to save)."""
        if self._still_opening():
            return False
        if not self.editing.confirm_save():
            return False
        sent = bool(self.postgis.edited_layers())
        if not self.postgis.save_edits():
            return False  # said why; the edits stay in the buffer
        path = self.project.metadata.get("path")
        if not path:
            if sent and not self.editing.session.is_dirty():
                self._update_title()
                return True  # the edits are on the server: the project itself is saved when asked
            return self.save_as(confirmed=True)
        return self._save_to(path, confirmed=True)

    def save_as(self, *, confirmed: bool = False) -> bool:
        if self._still_opening():
            return False
        path = self.get_save_path(self.tr("Save project"), str(Path.home() / "dalian_plan.gpkg"),
                                  self.tr("GeoPackage project (*.gpkg)"))
        if not path:
            return False
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        if not confirmed and self.postgis.edited_layers():
            if not self.editing.confirm_save() or not self.postgis.save_edits():
                return False
            confirmed = True
        return self._save_to(path, confirmed=confirmed)

    def export_web_map_dialog(self):
        """File > Export web map: the options dialog on this project, in the window's language."""
        from gisapp.ui.panels.export_dialog import open_export_dialog

        self.export_dialog = open_export_dialog(self.project, self.lang, self)
        return self.export_dialog

    def _still_opening(self) -> bool:
        """A layer half read is never saved: say so."""
        if self.opener.busy():
            self.show_error(self.tr("The project was not saved"),
                            self.tr("A file is still opening: save when it is open, or cancel it."))
            return True
        return False

    def _save_to(self, path: str, confirmed: bool = False) -> bool:
        if not confirmed and not self.editing.confirm_save():
            return False
        try:
            save_project(self.project, path, self.editing.session.row_changes())
        except ReadOnlyError as exc:
            return self._offer_save_as(exc)
        except DiskFullError as exc:
            self.show_error(self.tr("The project was not saved"), self.disk_full_text(exc))
            return False
        except GisIOError as exc:
            self.show_error(self.tr("The project was not saved"), str(exc))
            return False
        self.editing.saved()
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        self._update_title()
        return True

    def _offer_save_as(self, exc: ReadOnlyError) -> bool:
        """A read-only target is never replaced: say why and offer another name."""
        text = "\n".join((self.tr("{name} cannot be overwritten, so it was not changed.").format(
            name=exc.path.name), exc.problem, self.tr("Save the project under another name?")))
        self.statusBar().showMessage(str(exc), 10000)
        answer = self.ask(self.tr("The project was not saved"), text,
                          [("save_as", self.tr("Save As…")), ("cancel", self.tr("Cancel"))], "save_as")
        return self.save_as() if answer == "save_as" else False

    def disk_full_text(self, exc: DiskFullError) -> str:
        return self.tr("The disk is full: {name} could not be written. The previous version is unchanged; "
                       "free some space or save to another disk.").format(name=exc.path.name)

    def _confirm_discard(self) -> bool:
        edited = self.editing.unsaved_layer_titles()
        if not self.project.modified and not edited:
            return True
        text = self.tr("The project has unsaved changes. Save them first?")
        if edited:
            text += "\n" + self.tr("Unsaved edits in: {layers}").format(layers=", ".join(edited))
        answer = self.ask(self.tr("Unsaved changes"), text,
                          [("save", self.tr("Save")), ("discard", self.tr("Discard")), ("cancel", self.tr("Cancel"))],
                          "save")
        if answer == "save":
            return self.save()
        return answer == "discard"

    def closeEvent(self, event) -> None:
        self.opener.cancel()  # a file half read is nothing to save or to ask about
        if self._confirm_discard():
            self.opener.shutdown()
            self.georef.shutdown()  # first: a map pick in progress gives the canvas back to editing
            self.editing.shutdown()
            self.team.shutdown()
            self.postgis.shutdown()
            self.indicators.shutdown()
            self.canvas.shutdown()
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths, style_target=self._layer_at(event.position().toPoint()))

    def _layer_at(self, window_pos):
        """The layer of the tree row under a point of the window (a style dropped onto it), or None."""
        viewport = self.tree.viewport()
        index = self.tree.indexAt(viewport.mapFrom(self, window_pos))
        if not index.isValid() or self.tree_model is None or not viewport.rect().contains(viewport.mapFrom(self, window_pos)):
            return None
        node = self.tree_model.node(index)
        while node is not None and node.kind != "layer":
            node = getattr(node, "parent", None)
        if node is None:
            return None
        layer = self.project.map_layer(node.key)
        return layer if isinstance(layer, VectorLayer) else None  # a basemap takes no style file

    # --- about -------------------------------------------------------------------------------
    def show_about(self) -> None:
        text = "<h3>gisapp</h3><p>{}</p><p>{}</p><p>{}</p>".format(
            escape(self.tr("A desktop GIS for spatial planning: the Dalian High-tech Zone's "
                                "“one corridor, one core, one city, multiple clusters” layout and its plan indicators.")),
            escape(self.tr("Data: © OpenStreetMap contributors (ODbL); geoBoundaries (Runfola et al. 2020). "
                                "Plan shapes are schematic: placed from the plan text, not surveyed.")),
            escape(self.project.attribution))
        QMessageBox.about(self, self.tr("About gisapp"), text)
