"""What a layer offers in its context menu and the Layer menu: properties, style, labels, export,
zoom, rename, duplicate and remove; select by expression and the field calculator; and any EPSG
CRS for the map (View > Map CRS > Other…).

Renames and alias changes are undoable edits on the window's undo stack; the field calculator's
changes are data edits like any other. A basemap offers only what applies to it (zoom, rename,
remove).
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QMenu, QVBoxLayout

from gisapp.core.editing.edits import Edit, RenameLayer
from gisapp.core.model.layer import LOADING, VectorLayer
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.model.style import Style


class RenameDialog(QDialog):
    def __init__(self, title_zh: str, title_en: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("RenameLayerDialog")
        self.setWindowTitle(self.tr("Rename layer"))
        self.zh_edit = QLineEdit(title_zh, self)
        self.en_edit = QLineEdit(title_en, self)
        form = QFormLayout()
        form.addRow(self.tr("Chinese name"), self.zh_edit)
        form.addRow(self.tr("English name"), self.en_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(420, 0)


def ask_layer_names(parent, title_zh: str, title_en: str) -> tuple[str, str] | None:
    from gisapp.ui.shell.dialogs import _check_interactive

    _check_interactive("Rename layer")
    dialog = RenameDialog(title_zh, title_en, parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.zh_edit.text(), dialog.en_edit.text()


def duplicate_layer(layer: VectorLayer, lang_suffix: tuple[str, str] = ("副本", "copy")) -> VectorLayer:
    """A copy of ``layer`` that shares nothing mutable with it: its own frame, style, metadata and
    aliases; not tied to the project file's rows (it is written as a new table)."""
    metadata = copy.deepcopy({key: value for key, value in layer.metadata.items() if key != LOADING})
    return VectorLayer(
        id=f"{layer.id}_copy", title_zh=f"{layer.title_zh} {lang_suffix[0]}", title_en=f"{layer.title_en} ({lang_suffix[1]})",
        frame=layer.frame.copy(deep=True), style=Style.from_dict(copy.deepcopy(layer.style.to_dict())),
        group=layer.group, visible=layer.visible, opacity=layer.opacity, label_field=layer.label_field,
        metadata=metadata, field_aliases=copy.deepcopy(layer.field_aliases))


class LayerActions(QObject):
    """Layer menu entries and the layer tree's context menu of a MainWindow."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs: dict[str, QDialog] = {}
        # Questions go through this attribute so tests can answer them (as window.ask does).
        self.ask_names = lambda zh, en: ask_layer_names(self.window, zh, en)

        def action(slot, name: str) -> QAction:
            act = QAction(window)
            act.setObjectName(name)
            act.triggered.connect(lambda _checked=False: slot())
            return act

        self.act_properties = action(self.open_properties, "LayerPropertiesAction")
        self.act_style = action(lambda: self.open_style(), "LayerStyleAction")
        self.act_labels = action(lambda: self.open_labels(), "LayerLabelsAction")
        self.act_export = action(self.export, "LayerExportAction")
        self.act_rename = action(self.rename, "LayerRenameAction")
        self.act_duplicate = action(self.duplicate, "LayerDuplicateAction")
        self.act_select_expression = action(self.select_by_expression, "SelectByExpressionAction")
        self.act_field_calculator = action(self.field_calculator, "FieldCalculatorAction")
        self.act_canvas_crs = action(self.canvas_crs_dialog, "OtherCanvasCrsAction")
        self.act_select_expression.setShortcut("Ctrl+Alt+E")
        menu = window.menu_layer
        first = menu.actions()[0] if menu.actions() else None
        menu.insertActions(first, [self.act_properties, self.act_select_expression, self.act_field_calculator])
        menu.insertSeparator(first)
        window.menu_crs.addSeparator()
        window.menu_crs.addAction(self.act_canvas_crs)
        window.languageChanged.connect(self._language_changed)

    def _language_changed(self, lang: str) -> None:
        """Open dialogs follow the window's language."""
        for dialog in list(self.dialogs.values()):
            if hasattr(dialog, "lang") and hasattr(dialog, "retranslate"):
                dialog.lang = lang
                dialog.retranslate()

    def retranslate(self) -> None:
        self.act_properties.setText(self.tr("Layer properties…"))
        self.act_style.setText(self.tr("Style…"))
        self.act_labels.setText(self.tr("Labels…"))
        self.act_export.setText(self.tr("Export layer…"))
        self.act_rename.setText(self.tr("Rename…"))
        self.act_duplicate.setText(self.tr("Duplicate"))
        self.act_select_expression.setText(self.tr("Select by expression…"))
        self.act_field_calculator.setText(self.tr("Field calculator…"))
        self.act_canvas_crs.setText(self.tr("Other CRS…"))

    # --- the context menu --------------------------------------------------------------------
    def context_menu(self, layer) -> QMenu:
        window = self.window
        menu = QMenu(window)
        menu.setObjectName("LayerContextMenu")
        if isinstance(layer, VectorLayer):
            menu.addActions([self.act_properties, self.act_style, self.act_labels, window.act_table,
                             self.act_select_expression, self.act_field_calculator])
            menu.addSeparator()
            menu.addActions([window.act_zoom_layer, self.act_export, *window.qgis_files.actions])
            menu.addSeparator()
            menu.addActions([self.act_rename, self.act_duplicate, window.act_set_crs, window.act_remove_layer])
        elif isinstance(layer, RasterLayer):
            menu.addActions([window.act_zoom_layer, window.rasters.act_style, self.act_rename, window.act_set_crs,
                             window.act_remove_layer])
        else:  # a basemap has no features, table, CRS, style or labels of its own
            menu.addActions([window.act_zoom_layer, self.act_rename, window.act_remove_layer])
        return menu

    # --- helpers -------------------------------------------------------------------------------
    def _layer(self, layer_id: str | None = None) -> VectorLayer | None:
        layer = self.window.project.layer(layer_id) if layer_id else self.window.current_layer()
        if layer is None:
            self.window.statusBar().showMessage(self.tr("Choose a layer in the layer tree first."), 5000)
        return layer

    def _dialog(self, key: str, make):
        old = self.dialogs.get(key)
        if old is not None:
            old.close()
        dialog = make()
        dialog.finished.connect(lambda _r, key=key, dialog=dialog: self.dialogs.pop(key, None)
                                if self.dialogs.get(key) is dialog else None)
        self.dialogs[key] = dialog
        dialog.show()
        dialog.raise_()
        return dialog

    def push_edit(self, edit: Edit) -> bool:
        return self.window.editing.push(edit)

    def set_crs(self, layer_id: str, code: str) -> bool:
        return self.window.set_layer_crs(layer_id, code)

    # --- entries --------------------------------------------------------------------------------
    def open_properties(self, layer_id: str | None = None):
        from gisapp.ui.panels.layer_properties import LayerPropertiesDialog

        layer = self._layer(layer_id)
        if layer is None:
            return None
        path = self.window.project.metadata.get("path")
        return self._dialog("properties", lambda: LayerPropertiesDialog(layer, self.window.lang, self, path,
                                                                        self.window))

    def open_style(self, layer_id: str | None = None):
        layer = self._layer(layer_id)
        return None if layer is None else self.window.indicators.open_style_dialog(layer.id)

    def open_labels(self, layer_id: str | None = None):
        dialog = self.open_style(layer_id)
        if dialog is not None:
            dialog.label_combo.setFocus()
        return dialog

    def export(self, layer_id: str | None = None):
        layer = self._layer(layer_id)
        if layer is None:
            return None
        self._make_current(layer.id)
        return self.window.editing.export.export_layer_dialog()

    def _make_current(self, layer_id: str) -> None:
        model = self.window.tree_model
        if model is not None:
            self.window.tree.setCurrentIndex(model.index_for_layer(layer_id))

    def rename(self, layer_id: str | None = None) -> bool:
        window = self.window
        layer = window.project.map_layer(layer_id) if layer_id else window.current_map_layer()
        if layer is None:
            return False
        names = self.ask_names(layer.title_zh, layer.title_en)
        if not names:
            return False
        zh, en = (name.strip() for name in names)
        if not zh and not en:
            window.statusBar().showMessage(self.tr("A layer needs a name."), 5000)
            return False
        zh, en = zh or en, en or zh
        if (zh, en) == (layer.title_zh, layer.title_en):
            return False
        return self.push_edit(RenameLayer(layer.id, zh, en))

    def duplicate(self, layer_id: str | None = None) -> VectorLayer | None:
        layer = self._layer(layer_id)
        if layer is None:
            return None
        if layer.metadata.get(LOADING):
            self.window.statusBar().showMessage(self.tr("{layer} is still being read.").format(
                layer=layer.title(self.window.lang)), 5000)
            return None
        copy_layer = duplicate_layer(layer)
        project = self.window.project
        project.add_layer(copy_layer, index=project.layers.index(layer))
        self._make_current(copy_layer.id)
        self.window.statusBar().showMessage(self.tr("{layer} added").format(layer=copy_layer.title(self.window.lang)),
                                            5000)
        return copy_layer

    def select_by_expression(self, layer_id: str | None = None):
        from gisapp.ui.panels.select_by_expression import SelectByExpressionDialog

        layer = self._layer(layer_id)
        if layer is None:
            return None
        return self._dialog("select", lambda: SelectByExpressionDialog(layer, self.window.lang, self.window))

    def field_calculator(self, layer_id: str | None = None):
        from gisapp.ui.panels.field_calculator import FieldCalculatorDialog

        layer = self._layer(layer_id)
        if layer is None:
            return None
        return self._dialog("calculator", lambda: FieldCalculatorDialog(layer, self.window.lang, self.push_edit,
                                                                        self.window))

    def canvas_crs_dialog(self, answer: str | None = None) -> str | None:
        """Pick the map CRS from every EPSG CRS; ``answer`` skips the dialog (tests, scripts)."""
        from gisapp.ui.panels.crs_search import CanvasCrsDialog

        code = answer
        if code is None:
            from gisapp.ui.shell.dialogs import _check_interactive

            _check_interactive("Map CRS")
            dialog = CanvasCrsDialog(self.window.canvas.viewport.crs, self.window)
            self.dialogs["canvas_crs"] = dialog
            code = dialog.code() if dialog.exec() == QDialog.Accepted else None
            self.dialogs.pop("canvas_crs", None)
        if code:
            self.window.set_canvas_crs(code)
        return code
