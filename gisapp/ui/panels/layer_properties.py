"""Layer properties: source, CRS (settable by search), feature count, extent, geometry type,
fields with their types and aliases (editable, saved in the project), style and labels.

The dialog changes nothing itself: it hands its requests to ``actions`` (the window's layer
actions), which sets the CRS, pushes alias edits onto the undo stack and opens the style
dialog, so every change goes the way the menus' changes go.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.editing.edits import SetFieldAliases, field_kind
from gisapp.core.geo.geodesy import STORAGE_CRS, crs_label, transform_point
from gisapp.core.model.fields import FIELD_ALIASES
from gisapp.core.model.layer import VectorLayer
from gisapp.paths import layers_dir
from gisapp.ui.panels.crs_search import CrsSearch
from gisapp.ui.plain import plain_label, set_plain

DRIVERS = {".gpkg": "GPKG (GeoPackage)", ".shp": "ESRI Shapefile", ".geojson": "GeoJSON", ".json": "GeoJSON",
           ".kml": "KML", ".gml": "GML", ".csv": "CSV", ".fgb": "FlatGeobuf"}


def layer_source(layer: VectorLayer, project_path: str | None) -> tuple[str, str, str]:
    """(path, layer or table name, driver) the layer's features came from."""
    meta = layer.metadata
    if meta.get("source_path"):
        path = str(meta["source_path"])
        name = str(meta.get("source_layer") or Path(path).stem)
    elif layer.stored is not None and project_path:
        path, name = project_path, str(meta.get("table") or layer.id)
    elif meta.get("file"):
        path = str(layers_dir() / str(meta["file"]))
        name = Path(path).stem
    else:
        return "", "", ""
    return path, name, DRIVERS.get(Path(path).suffix.lower(), Path(path).suffix.lstrip(".").upper())


class LayerPropertiesDialog(QDialog):
    def __init__(self, layer: VectorLayer, lang: str, actions, project_path: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LayerPropertiesDialog")
        self.layer = layer
        self.lang = lang
        self.actions = actions
        self.project_path = project_path
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("LayerPropertiesTabs")
        # Information
        self.info = QWidget(self)
        self.info_form = QFormLayout(self.info)
        self.values = {key: plain_label(parent=self.info) for key in (
            "title", "path", "table", "driver", "crs", "geometry", "count", "extent", "extent_lonlat")}
        for label in self.values.values():
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        # CRS
        self.crs_page = QWidget(self)
        self.crs_current = plain_label(parent=self.crs_page)
        self.crs_current.setObjectName("LayerCrsCurrent")
        self.crs_current.setWordWrap(True)
        self.crs_note = plain_label(parent=self.crs_page)
        self.crs_note.setWordWrap(True)
        self.crs_search = CrsSearch(layer.crs, self.crs_page)
        self.crs_apply = QPushButton(self.crs_page)
        self.crs_apply.setObjectName("ApplyLayerCrs")
        self.crs_apply.setAutoDefault(False)
        self.crs_apply.clicked.connect(self.apply_crs)
        crs_layout = QVBoxLayout(self.crs_page)
        crs_layout.addWidget(self.crs_current)
        crs_layout.addWidget(self.crs_note)
        crs_layout.addWidget(self.crs_search, 1)
        crs_layout.addWidget(self.crs_apply, 0, Qt.AlignRight)
        # Fields
        self.fields_page = QWidget(self)
        self.fields_table = QTableWidget(0, 4, self.fields_page)
        self.fields_table.setObjectName("LayerFieldsTable")
        self.fields_table.verticalHeader().hide()
        self.fields_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.fields_note = plain_label(parent=self.fields_page)
        self.fields_note.setWordWrap(True)
        self.aliases_apply = QPushButton(self.fields_page)
        self.aliases_apply.setObjectName("ApplyAliases")
        self.aliases_apply.setAutoDefault(False)
        self.aliases_apply.clicked.connect(self.apply_aliases)
        fields_layout = QVBoxLayout(self.fields_page)
        fields_layout.addWidget(self.fields_table, 1)
        fields_layout.addWidget(self.fields_note)
        fields_layout.addWidget(self.aliases_apply, 0, Qt.AlignRight)
        # Style and labels
        self.style_page, self.labels_page = QWidget(self), QWidget(self)
        self.style_summary = plain_label(parent=self.style_page)
        self.style_summary.setWordWrap(True)
        self.style_button = QPushButton(self.style_page)
        self.style_button.setObjectName("OpenStyleDialog")
        self.style_button.clicked.connect(lambda: self.actions.open_style(self.layer.id))
        self.labels_summary = plain_label(parent=self.labels_page)
        self.labels_summary.setWordWrap(True)
        self.labels_button = QPushButton(self.labels_page)
        self.labels_button.setObjectName("OpenLabelsDialog")
        self.labels_button.clicked.connect(lambda: self.actions.open_labels(self.layer.id))
        for page, summary, button in ((self.style_page, self.style_summary, self.style_button),
                                      (self.labels_page, self.labels_summary, self.labels_button)):
            page_layout = QVBoxLayout(page)
            page_layout.addWidget(summary)
            page_layout.addWidget(button, 0, Qt.AlignLeft)
            page_layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.Close).clicked.connect(self.reject)
        self.message = plain_label(parent=self)
        self.message.setObjectName("LayerPropertiesMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for page in (self.info, self.crs_page, self.fields_page, self.style_page, self.labels_page):
            self.tabs.addTab(page, "")
        layer.changed.connect(self._layer_changed)
        self.finished.connect(lambda _r: layer.changed.disconnect(self._layer_changed))
        self.resize(820, 600)
        self.retranslate()

    # --- texts ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Layer properties — {layer}").format(layer=self.layer.title(self.lang)))
        for index, text in enumerate((self.tr("Information"), self.tr("CRS"), self.tr("Fields"), self.tr("Style"),
                                      self.tr("Labels"))):
            self.tabs.setTabText(index, text)
        while self.info_form.rowCount():
            self.info_form.removeRow(0)
            self.values = {key: plain_label(parent=self.info) for key in self.values}
        for key, text in (("title", self.tr("Name")), ("path", self.tr("Source file")),
                          ("table", self.tr("Layer in the file")), ("driver", self.tr("Format")),
                          ("crs", self.tr("CRS")), ("geometry", self.tr("Geometry type")),
                          ("count", self.tr("Features")), ("extent", self.tr("Extent (layer CRS)")),
                          ("extent_lonlat", self.tr("Extent (longitude, latitude)"))):
            label = self.values[key]
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            label.setObjectName(f"LayerInfo_{key}")
            self.info_form.addRow(text, label)
        self.crs_note.setText(self.tr("Choosing a CRS here says which CRS the coordinates are in; they are not "
                                      "transformed. Use it when a file had no CRS or a wrong one."))
        self.crs_apply.setText(self.tr("Use this CRS for the layer"))
        self.fields_note.setText(self.tr("Aliases are what the panel, the table, the report and the web map show "
                                         "for a field. Leave both empty for the built-in alias or, if there is none, the field name."))
        self.aliases_apply.setText(self.tr("Apply aliases"))
        self.fields_table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Type"), self.tr("Alias (Chinese)"),
                                                     self.tr("Alias (English)")])
        self.style_button.setText(self.tr("Edit the style…"))
        self.labels_button.setText(self.tr("Label settings…"))
        self.refresh()

    def refresh(self) -> None:
        layer = self.layer
        path, table, driver = layer_source(layer, self.project_path)
        none = self.tr("not from a file")
        set_plain(self.values["title"], f"{layer.title_zh} / {layer.title_en}")
        set_plain(self.values["path"], path or none)
        set_plain(self.values["table"], table or "—")
        set_plain(self.values["driver"], driver or "—")
        set_plain(self.values["crs"], crs_label(layer.crs))
        families = {"point": self.tr("Points"), "line": self.tr("Lines"), "polygon": self.tr("Polygons")}
        types = sorted({str(t) for t in layer.frame.geometry.geom_type.dropna().unique()})
        set_plain(self.values["geometry"], f"{families.get(layer.geometry_family, layer.geometry_family)}"
                                           f" ({', '.join(types) or '—'})")
        set_plain(self.values["count"], f"{len(layer):,}")
        bounds = layer.bounds_in(layer.crs)
        if bounds is None:
            set_plain(self.values["extent"], "—")
            set_plain(self.values["extent_lonlat"], "—")
        else:
            xmin, ymin, xmax, ymax = bounds
            set_plain(self.values["extent"], f"{xmin:.6f}, {ymin:.6f} — {xmax:.6f}, {ymax:.6f}")
            corners = [transform_point(x, y, layer.crs, STORAGE_CRS) for x, y in ((xmin, ymin), (xmax, ymax))]
            if all(np.isfinite(value) for corner in corners for value in corner):
                (w, s), (e, n) = corners
                set_plain(self.values["extent_lonlat"], f"{w:.5f}°, {s:.5f}° — {e:.5f}°, {n:.5f}°")
        set_plain(self.crs_current, self.tr("Current CRS: {crs}").format(crs=crs_label(layer.crs)))
        self._fill_fields()
        legend = layer.style.legend()
        kind = {"single": self.tr("Single symbol"), "categorized": self.tr("Categorized"),
                "graduated": self.tr("Graduated")}.get(getattr(layer.style, "kind", ""), str(getattr(layer.style, "kind", "")))
        field = getattr(layer.style, "field", "") or ""
        set_plain(self.style_summary, self.tr("{kind} style{field}, {count} legend entries.").format(
            kind=kind, field=f" ({field})" if field else "", count=len(legend)))
        set_plain(self.labels_summary, self.tr("Labels from: {field}").format(field=layer.label_field)
                  if layer.label_field else self.tr("Labels: the feature names in the window's language."))

    def _fill_fields(self) -> None:
        layer = self.layer
        columns = layer.attribute_columns()
        self.fields_table.setRowCount(len(columns))
        for row, column in enumerate(columns):
            own = layer.field_aliases.get(column, {})
            bundled = FIELD_ALIASES.get(column)
            name = QTableWidgetItem(column)
            kind = QTableWidgetItem(f"{field_kind(layer.frame[column].dtype)} ({layer.frame[column].dtype})")
            for item in (name, kind):
                item.setFlags(item.flags() & ~Qt.ItemIsEditable)
            zh = QTableWidgetItem(own.get("zh", bundled.zh if bundled else ""))
            en = QTableWidgetItem(own.get("en", bundled.en if bundled else ""))
            for column_index, item in enumerate((name, kind, zh, en)):
                self.fields_table.setItem(row, column_index, item)

    def _layer_changed(self, reason: str) -> None:
        if reason in ("data", "aliases", "title", "style"):
            self.refresh()

    # --- changes ------------------------------------------------------------------------------
    def apply_crs(self) -> bool:
        code = self.crs_search.code()
        if not code:
            set_plain(self.message, self.tr("Choose a CRS in the list first."), "#b00020")
            return False
        if not self.actions.set_crs(self.layer.id, code):
            return False
        set_plain(self.message, self.tr("{layer} is now read in {crs}").format(layer=self.layer.title(self.lang),
                                                                                crs=crs_label(code)))
        self.refresh()
        return True

    def apply_aliases(self) -> int:
        """One undoable edit per field whose aliases changed; returns how many."""
        layer = self.layer
        changed = 0
        for row, column in enumerate(layer.attribute_columns()):
            zh = (self.fields_table.item(row, 2).text() or "").strip()
            en = (self.fields_table.item(row, 3).text() or "").strip()
            bundled = FIELD_ALIASES.get(column)
            shown = layer.field_aliases.get(column) or ({"zh": bundled.zh, "en": bundled.en} if bundled else {})
            if (zh, en) == (shown.get("zh", ""), shown.get("en", "")):
                continue
            if self.actions.push_edit(SetFieldAliases(layer.id, column, {"zh": zh, "en": en})):
                changed += 1
        set_plain(self.message, self.tr("Aliases of {count} fields changed.").format(count=changed))
        return changed
