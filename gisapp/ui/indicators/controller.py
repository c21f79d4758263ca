"""The Indicators menu, the dashboard's dock and dialogs, and the link between map and indicators.

:class:`IndicatorsController` puts the dashboard (gisapp.ui.indicators.dashboard) in a dock
and an *Indicators* menu in the main window, and keeps map and dashboard in step: choosing
an indicator selects its zones, choosing a zone filters the dashboard to its indicators. It
runs the spatial service, opens the actuals, style and green-standard dialogs, colours plan
zones by progress, and imports, exports and reports actuals.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu, QWidget

from gisapp.core.analysis import classify
from gisapp.core.model.project import Project
from gisapp.ui.docks import dock_action, show_dock
from gisapp.ui.indicators.dashboard import ID_ROLE, IndicatorDashboard
from gisapp.ui.indicators.service import SpatialService


class IndicatorsController(QObject):
    """Dock, menu and the two-way link between the map and the indicators."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self.dashboard = IndicatorDashboard(window)
        self.dock = QDockWidget(window)
        self.dock.setObjectName("IndicatorDashboardDock")
        self.dock.setWidget(self.dashboard)
        self.dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                              | QDockWidget.DockWidgetFloatable)
        window.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.table_dock, self.dock)
        self.dock.hide()
        self.service = SpatialService(self)
        self.dialogs: dict[str, QWidget] = {}
        self._syncing = False
        self._selection_timer = QTimer(self, singleShot=True, interval=0)
        self._selection_timer.timeout.connect(self._selection_changed)
        self._refresh_timer = QTimer(self, singleShot=True, interval=50)
        self._refresh_timer.timeout.connect(self._actuals_changed)

        def action(slot, shortcut=None) -> QAction:
            act = QAction(window)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            return act

        # F8 brings the dashboard to the front even when it is tabbed behind the attribute table.
        self.act_dashboard = dock_action(self.dock, window, on_show=self.fit_dock)
        self.act_dashboard.setShortcut(QKeySequence("F8"))
        self.act_actuals = action(lambda: self.open_actuals_dialog())
        self.act_import = action(self.import_csv_dialog)
        self.act_export = action(self.export_csv_dialog)
        self.act_template = action(lambda: self.export_csv_dialog(layout="wide"))
        self.act_green = action(self.open_green_standard_dialog)
        self.act_style = action(lambda: self.open_style_dialog())
        self.act_progress_map = action(self.style_by_progress)
        self.act_report = action(self.report_dialog)
        self.menu = QMenu(window)
        for act in (self.act_dashboard, None, self.act_actuals, self.act_import, self.act_export,
                    self.act_template, None, self.act_style, self.act_progress_map, self.act_green, None,
                    self.act_report):
            self.menu.addSeparator() if act is None else self.menu.addAction(act)
        window.menuBar().insertMenu(window.menu_lang.menuAction(), self.menu)
        window.menu_view.addAction(self.act_dashboard)

        d = self.dashboard
        d.indicatorSelected.connect(self.select_indicator_features)
        d.actualsRequested.connect(self.open_actuals_dialog)
        d.importRequested.connect(self.import_csv_dialog)
        d.exportRequested.connect(self.export_csv_dialog)
        d.reportRequested.connect(self.report_dialog)
        d.greenStandardRequested.connect(self.open_green_standard_dialog)
        d.features_table.cellDoubleClicked.connect(self._spatial_row_activated)
        self.service.summaryReady.connect(self._summary_ready)
        self.service.coverageReady.connect(self._coverage_ready)
        self.service.busyChanged.connect(lambda busy: busy and d.show_spatial(d.summary, busy=True))
        self.dock.visibilityChanged.connect(self._dock_visibility)

    @property
    def lang(self) -> str:
        return self.window.lang

    # --- project and language ---------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        if self.project is not None:
            self.project.indicators.actuals.changed.disconnect(self._schedule_refresh)
            self.project.layers_changed.disconnect(self._watch_layers)
            for layer in self.project.vector_layers():
                layer.selection_changed.disconnect(self._schedule_selection)
        self.project = project
        project.indicators.actuals.changed.connect(self._schedule_refresh)
        project.layers_changed.connect(self._watch_layers)
        self._watch_layers()
        self.dashboard.lang = self.lang
        self.dashboard.set_project(project)
        self.service.set_project(project)
        for dialog in list(self.dialogs.values()):
            dialog.close()
        self.dialogs.clear()

    def _watch_layers(self) -> None:
        for layer in self.project.vector_layers():
            layer.selection_changed.connect(self._schedule_selection)  # connect() ignores repeats

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Indicators"))
        self.dock.setWindowTitle(self.tr("Indicator dashboard"))
        self.act_dashboard.setText(self.tr("Indicator dashboard"))
        self.act_actuals.setText(self.tr("Enter actual values…"))
        self.act_import.setText(self.tr("Import actuals from CSV…"))
        self.act_export.setText(self.tr("Export actuals to CSV…"))
        self.act_template.setText(self.tr("Export a form by year (CSV)…"))
        self.act_green.setText(self.tr("Green standard (50 m to green, 500 m to a park)…"))
        self.act_style.setText(self.tr("Style layer by field or indicator…"))
        self.act_progress_map.setText(self.tr("Colour plan zones by progress"))
        self.act_report.setText(self.tr("Export indicator report…"))
        if self.dashboard.lang != self.lang:
            self.dashboard.set_lang(self.lang)
        else:
            self.dashboard.retranslate()
        for dialog in self.dialogs.values():
            if hasattr(dialog, "set_lang"):
                dialog.set_lang(self.lang)

    def shutdown(self) -> None:
        self.service.shutdown()

    def show_dashboard(self) -> None:
        show_dock(self.dock)
        self.fit_dock()

    def fit_dock(self) -> None:
        height = self.window.height()
        # On a small screen (1280x800) the map keeps most of the window.
        share = 0.36 if height >= 900 else 0.31
        self.window.resizeDocks([self.dock], [int(min(420, max(230, height * share)))], Qt.Vertical)

    def _dock_visibility(self, visible: bool) -> None:
        if visible and self.service.summary is not None:
            self.dashboard.show_spatial(self.service.summary)

    # --- map -> dashboard ----------------------------------------------------------------------------
    def _schedule_selection(self, *_args) -> None:
        if not self._syncing:
            self._selection_timer.start()

    def selected_features(self) -> list[tuple[str, str]]:
        """(feature id, display name) of every selected feature."""
        out = []
        for layer in self.project.vector_layers():
            for row in layer.selection.tolist():
                if row < len(layer) and "id" in layer.frame.columns:
                    out.append((str(layer.frame["id"].iat[row]), layer.feature_label(row, self.lang)))
        return out

    def _selection_changed(self) -> None:
        if self._syncing or self.project is None:
            return
        selected = self.selected_features()
        self.dashboard.set_zone_filter([fid for fid, _ in selected], [name for _, name in selected])

    # --- dashboard -> map ------------------------------------------------------------------------------
    def select_indicator_features(self, indicator_id: str) -> int:
        """Select (and so highlight) the features linked to an indicator; returns how many."""
        if self.project is None or not indicator_id:
            return 0
        catalog = self.project.indicators
        ids = set(catalog.features_for(indicator_id)) | set(catalog.actuals.features_with(indicator_id))
        count = 0
        self._syncing = True
        try:
            for layer in self.project.vector_layers():
                rows = []
                if ids and "id" in layer.frame.columns:
                    column = layer.frame["id"].astype("string").fillna("").to_numpy()
                    rows = [i for i, value in enumerate(column) if value in ids]
                layer.select(rows)
                count += len(rows)
        finally:
            self._syncing = False
        self.window.canvas.update()
        name = catalog.get(indicator_id).name(self.lang)
        message = (self.tr("{name}: {count} linked zone(s) selected on the map").format(name=name, count=count)
                   if count else self.tr("{name}: no zone on the map carries this indicator (zone-wide)")
                   .format(name=name))
        self.window.statusBar().showMessage(message, 8000)
        return count

    def _spatial_row_activated(self, row: int, _column: int) -> None:
        item = self.dashboard.features_table.item(row, 0)
        if item is not None and item.data(ID_ROLE):
            self.window.select_feature(item.data(ID_ROLE), zoom=True)

    # --- actuals -------------------------------------------------------------------------------------
    def _schedule_refresh(self, *_args) -> None:
        self._refresh_timer.start()

    def _actuals_changed(self) -> None:
        if self.project is None:
            return
        self.dashboard.refresh()
        classify.refresh_indicator_styles(self.project.vector_layers(), self.project.indicators)
        self.window.panel.refresh()

    def open_actuals_dialog(self, indicator_id: str = "", feature_id: str = ""):
        from gisapp.ui.indicators.actuals_dialog import ActualsDialog

        indicator_id = indicator_id or self.dashboard.current_indicator_id()
        if not feature_id:
            selected = self.selected_features()
            feature_id = selected[0][0] if len(selected) == 1 else ""
        dialog = self.dialogs.get("actuals")
        if dialog is None:
            dialog = ActualsDialog(self.project, self.lang, self.window)
            dialog.finished.connect(lambda _r: self.dialogs.pop("actuals", None))
            self.dialogs["actuals"] = dialog
        dialog.choose(indicator_id, feature_id)
        dialog.show()
        dialog.raise_()
        return dialog

    def import_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Import actuals"), str(Path.home()),
                                              self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.import_csv(path)

    def import_csv(self, path: str):
        """Import actuals; rows that match no indicator are listed in a message."""
        from gisapp.io.actuals_csv import feature_names, read_actuals_csv
        from gisapp.io.errors import GisIOError

        try:
            result = read_actuals_csv(path, self.project.indicators, feature_names(self.project))
        except GisIOError as exc:
            self.window.show_error(self.tr("The actuals were not imported"), str(exc))
            return None
        self.project.indicators.actuals.update(result.actuals)
        summary = self.tr("Read {rows} rows from {file}: imported {count} values.").format(
            rows=result.rows_read, file=Path(path).name, count=len(result.actuals))
        if result.problems:
            lines = [self.tr("Line {line}: {message}").format(line=p.line, message=p.message(self.lang))
                     for p in result.problems[:30]]
            if len(result.problems) > 30:
                lines.append(self.tr("… and {count} more").format(count=len(result.problems) - 30))
            self.window.show_error(
                self.tr("Some rows were not imported"),
                summary + "\n" + self.tr("These rows were not imported (no matching indicator, no usable value, "
                                          "or a repeat of an earlier row):") + "\n"
                + "\n".join(lines))
        else:
            self.window.statusBar().showMessage(summary, 8000)
        return result

    def export_csv_dialog(self, layout: str = "long") -> None:
        name = "actuals_form.csv" if layout == "wide" else "actuals.csv"
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export actuals"), str(Path.home() / name),
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_csv(path, layout)

    def export_csv(self, path: str, layout: str = "long") -> None:
        from gisapp.io.actuals_csv import write_actuals_csv
        from gisapp.io.errors import GisIOError

        try:
            write_actuals_csv(path, self.project.indicators, layout)
        except GisIOError as exc:
            self.window.show_error(self.tr("The actuals were not exported"), str(exc))
            return
        self.window.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 8000)

    # --- report ------------------------------------------------------------------------------------------
    def report_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Export indicator report"), str(Path.home() / "indicator_report.pdf"),
            self.tr("PDF (*.pdf);;HTML (*.html);;CSV (*.csv)"))
        if path:
            self.write_report(path)

    def write_report(self, path: str):
        from gisapp.export.report import ReportOptions, write_report
        from gisapp.io.errors import GisIOError

        if Path(path).suffix.lower() not in (".pdf", ".html", ".htm", ".csv"):
            path += ".pdf"
        themed = any(classify.STYLE_SPEC_KEY in layer.metadata for layer in self.project.vector_layers())
        options = ReportOptions(lang=self.lang, map_style="current" if themed else "progress")
        self.window.statusBar().showMessage(self.tr("Writing the report…"))
        try:
            out = write_report(self.project, path, options)
        except (GisIOError, OSError, ValueError) as exc:
            self.window.show_error(self.tr("The report was not written"), str(exc))
            return None
        self.window.statusBar().showMessage(self.tr("Saved {path}").format(path=out), 8000)
        return out

    # --- maps ----------------------------------------------------------------------------------------------
    def style_by_progress(self) -> list[str]:
        """Colour every plan layer whose zones carry indicators by the worst status of those."""
        from gisapp.ui.panels.style_dialog import ORIGINAL_STYLE_KEY

        layers = classify.linked_layers(self.project)
        for layer in layers:
            layer.metadata.setdefault(ORIGINAL_STYLE_KEY, {"style": layer.style.to_dict(),
                                                           "label_field": layer.label_field})
            classify.style_by_progress(layer, self.project.indicators)
        if layers:  # show one legend of statuses in the layer tree
            richest = max(layers, key=lambda layer: len(layer.style.legend()))
            tree, model = self.window.tree, self.window.tree_model
            if model is not None and hasattr(model, "index_for_layer"):
                tree.expand(model.index_for_layer(richest.id))
        self.window.statusBar().showMessage(
            self.tr("{count} layers coloured by the progress of their indicators").format(count=len(layers)), 8000)
        return [layer.id for layer in layers]

    def open_style_dialog(self, layer_id: str | None = None):
        from gisapp.ui.panels.style_dialog import StyleDialog

        layer = self.project.layer(layer_id) if layer_id else self.window.current_layer()
        dialog = self.dialogs.get("style")
        if dialog is None:
            editing = getattr(self.window, "editing", None)  # its undo stack takes applied label changes
            dialog = StyleDialog(self.project, self.lang, self.window,
                                 undo_stack=editing.stack if editing is not None else None)
            dialog.finished.connect(lambda _r: self.dialogs.pop("style", None))
            self.dialogs["style"] = dialog
        if layer is not None:
            dialog.choose_layer(layer.id)
        dialog.show()
        dialog.raise_()
        return dialog

    def open_green_standard_dialog(self):
        from gisapp.ui.indicators.green_standard_dialog import GreenStandardDialog

        dialog = self.dialogs.get("green")
        if dialog is None:
            dialog = GreenStandardDialog(self.project, self.service, self.lang, self.window)
            dialog.finished.connect(lambda _r: self.dialogs.pop("green", None))
            self.dialogs["green"] = dialog
        dialog.show()
        dialog.raise_()
        return dialog

    def _summary_ready(self) -> None:
        self.dashboard.show_spatial(self.service.summary)
        panel = self.window.panel
        panel.spatial = self.service.summary
        panel.refresh()

    def _coverage_ready(self) -> None:
        self.dashboard.show_coverage(self.service.coverage, self.service.coverage_error)
