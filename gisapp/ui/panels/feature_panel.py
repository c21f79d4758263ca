"""Identify panel: a feature's attributes, geodesic measures and linked plan indicators.

While a layer is being edited the panel also shows an attribute editor, and while a
vertex is dragged its measures (area, perimeter, share of the parent zone) follow the
drag through :meth:`FeaturePanel.set_preview`.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.model.feature_measures import feature_measures
from gisapp.core.model.fields import citation, field_alias, value_label
from gisapp.core.model.project import Project
from gisapp.core.plan.monitoring import STATUS_COLOURS, feature_progress
from gisapp.core.texts import other_lang
from gisapp.ui.plain import escape, plain_label, tooltip

# Shown in the panel header already.
HIDDEN_FIELDS = {"id", "name_zh", "name_en", "role_zh", "role_en", "industries_zh", "industries_en"}
QUALITY_COLOURS = {"schematic": "#b35806", "approximate": "#8c6d00", "surveyed": "#1a7f37",
                   "traced": "#1f5fa8"}


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


class FeaturePanel(QWidget):
    """Shows the selected feature; tests read ``plain_text()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 3)
        # Attribute editor, shown while the feature's layer is in editing mode.
        self.editor_title = plain_label(parent=self)
        self.editor = QTableWidget(0, 2, self)
        self.editor.setObjectName("AttributeEditor")
        self.editor.verticalHeader().hide()
        self.editor.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.editor.horizontalHeader().setStretchLastSection(True)
        self.editor.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                    | QAbstractItemView.AnyKeyPressed)
        self.editor.itemChanged.connect(self._on_item_changed)
        self.editor_message = plain_label(parent=self)  # quotes typed values and field names
        self.editor_message.setWordWrap(True)
        self.editor_message.setStyleSheet("color: #b00020")
        layout.addWidget(self.editor_title)
        layout.addWidget(self.editor, 2)
        layout.addWidget(self.editor_message)
        self.can_edit = lambda layer_id: False  # set by the editing controller
        self.attribute_editor = None  # (layer id, row, column, text) -> error message or None
        # A warning about the feature shown (someone else changed it on the server): plain text.
        self.feature_note = lambda layer_id, row: ""
        self.preview: dict = {}
        self._filling = False
        self.project: Project | None = None
        self.lang = "en"
        self.current: tuple[str, int] | None = None
        self.spatial = None  # core.spatial_indicators.SpatialSummary, set by the indicator dashboard
        self.show_empty()

    def set_project(self, project: Project) -> None:
        self.project = project
        self.current = None
        self.spatial = None
        self.show_empty()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.refresh()

    def plain_text(self) -> str:
        return self.browser.toPlainText()

    def show_empty(self) -> None:
        hint = self.tr("Click a zone on the map to see its attributes and plan indicators.")
        self.browser.setHtml(f"<p style='color:#666'>{escape(hint)}</p>")
        self._fill_editor(None, None)

    def set_preview(self, preview: dict) -> None:
        """Geometries being dragged ((layer id, row) -> geometry in the layer's CRS): live measures."""
        if not preview and not self.preview:
            return
        self.preview = dict(preview)
        if self.current is None or self.project is None:
            return
        scroll = self.browser.verticalScrollBar().value()
        layer_id, row = self.current
        try:
            layer = self.project.layer(layer_id)
        except KeyError:
            return
        if row < len(layer):
            self.browser.setHtml(self._feature_html(layer, row))
            self.browser.verticalScrollBar().setValue(scroll)

    # --- attribute editor ----------------------------------------------------------------
    def _fill_editor(self, layer, row: int | None) -> None:
        editable = layer is not None and row is not None and self.can_edit(layer.id)
        self.editor_title.setVisible(editable)
        self.editor.setVisible(editable)
        self.editor_message.setVisible(False)
        if not editable:
            return
        self.editor_title.setText(self.tr("Edit attributes (double-click a value)"))
        self.editor.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self._filling = True
        try:
            columns = layer.attribute_columns()
            self.editor.setRowCount(len(columns))
            record = layer.frame.iloc[row]
            for i, column in enumerate(columns):
                name = QTableWidgetItem(column)
                name.setFlags(Qt.ItemIsEnabled)
                value = QTableWidgetItem(_text(record[column]))
                value.setData(Qt.UserRole, column)
                value.setToolTip(tooltip(layer.frame[column].dtype))
                self.editor.setItem(i, 0, name)
                self.editor.setItem(i, 1, value)
        finally:
            self._filling = False

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1 or self.current is None or self.attribute_editor is None:
            return
        layer_id, row = self.current
        column = item.data(Qt.UserRole)
        message = self.attribute_editor(layer_id, row, column, item.text())
        if message:
            self.editor_message.setText(message)
            self.editor_message.setVisible(True)
            self._filling = True
            try:
                item.setText(_text(self.project.layer(layer_id).frame[column].iat[row]))
            finally:
                self._filling = False

    def edit_value(self, column: str, text: str) -> str | None:
        """Type ``text`` into the editor's cell for ``column`` (what a user does; for tests)."""
        for i in range(self.editor.rowCount()):
            item = self.editor.item(i, 1)
            if item is not None and item.data(Qt.UserRole) == column:
                item.setText(text)
                return self.editor_message.text() if self.editor_message.isVisible() else None
        raise KeyError(column)

    def show_pixels(self, layer, values) -> None:
        """A raster's band values at a click (``values``: gisapp.io.raster.PixelValue list, or None
        when the click is off the raster)."""
        self.current = None
        esc = escape
        what = self.tr("Raster: pixel values at the click")
        outside = self.tr("The click is outside the raster.")
        band, value_heading = self.tr("Band"), self.tr("Value")
        parts = ["<style>td,th{padding:2px 6px} th{text-align:left;color:#444} h3{margin:2px 0}"
                 " .muted{color:#666}</style>", f"<h3>{esc(layer.title(self.lang))}</h3>",
                 f"<div class='muted'>{esc(what)}</div>"]
        if values is None:
            parts.append(f"<p>{esc(outside)}</p>")
        else:
            parts.append(f"<table><tr><th>{esc(band)}</th><th>{esc(value_heading)}</th></tr>")
            for value in values:
                shown = self.tr("no data") if value.value is None else (
                    f"{value.value:.6g}" if isinstance(value.value, float) else str(value.value))
                parts.append(f"<tr><td>{esc(value.name)}</td><td>{esc(shown)}</td></tr>")
            parts.append("</table>")
        self.browser.setHtml("".join(parts))
        self._fill_editor(None, None)

    def show_feature(self, layer_id: str | None, row: int | None) -> None:
        self.current = (layer_id, row) if layer_id is not None and row is not None else None
        self.refresh()

    def refresh(self) -> None:
        if self.project is None or self.current is None:
            self.show_empty()
            return
        layer_id, row = self.current
        try:
            layer = self.project.layer(layer_id)
        except KeyError:
            self.current = None
            self.show_empty()
            return
        if row >= len(layer):
            self.current = None
            self.show_empty()
            return
        self.browser.setHtml(self._feature_html(layer, row))
        self._fill_editor(layer, row)

    # --- HTML ------------------------------------------------------------------------
    def _feature_html(self, layer, row: int) -> str:
        lang = self.lang
        esc = escape
        record = layer.frame.iloc[row]
        get = lambda name: _text(record[name]) if name in layer.frame.columns else ""  # noqa: E731
        name = layer.feature_label(row, lang)
        other = get(f"name_{other_lang(lang)}")
        parts = ["<style>td,th{padding:2px 6px;vertical-align:top} th{text-align:left;color:#444}"
                 " h3{margin:2px 0} .muted{color:#666} .binding{color:#b00020;font-weight:bold}</style>"]
        parts.append(f"<h3>{esc(name)}</h3>")
        if other and other != name:
            parts.append(f"<div class='muted'>{esc(other)}</div>")
        parts.append(f"<div class='muted'>{esc(layer.title(lang))} · {esc(get('id'))}</div>")
        note = self.feature_note(layer.id, row)
        if note:
            parts.append(f"<p class='binding' id='feature-note'>{esc(note)}</p>")

        quality = get("geom_quality")
        if quality:
            labels = {"schematic": self.tr("Schematic shape: placed from the plan text, not surveyed"),
                      "approximate": self.tr("Approximate shape"),
                      "surveyed": self.tr("Surveyed shape"),
                      "traced": self.tr("Traced shape: drawn over a georeferenced figure")}
            colour = QUALITY_COLOURS.get(quality, "#444")
            parts.append(f"<p style='color:{colour}'>⚠ {esc(labels.get(quality, quality))}</p>")

        role = get(f"role_{lang}")
        if role:
            parts.append(f"<p>{esc(role)}</p>")
        industries = get(f"industries_{lang}")
        if industries:
            heading = self.tr("Priority industries")
            parts.append(f"<p><b>{esc(heading)}:</b> {esc(industries)}</p>")

        measures = feature_measures(self.project, layer.id, row, self.preview)
        family = layer.geometry_family
        rows = []
        if family == "polygon":
            rows.append((self.tr("Geodesic area"), f"{measures.area_m2 / 1e6:,.3f} km²"))
            rows.append((self.tr("Perimeter"), f"{measures.length_m / 1000:,.3f} km"))
            if measures.parent_share is not None:
                parent_layer = self.project.layer(measures.parent_layer_id)
                parent = parent_layer.feature_label(measures.parent_row, lang)
                rows.append((self.tr("Share of {parent}").format(parent=parent),
                             f"{measures.parent_share * 100:.1f} %"))
        elif family == "line":
            rows.append((self.tr("Geodesic length"), f"{measures.length_m / 1000:,.3f} km"))
        spatial = self.spatial.feature(get("id")) if self.spatial is not None and get("id") else None
        if spatial is not None:  # computed in the background by the indicator dashboard's service
            rows.append((self.tr("Named projects and platforms inside"), str(spatial.points_inside)))
            mix = spatial.landuse_shares()
            if mix:
                rows.append((self.tr("Land-use mix"), ", ".join(
                    f"{k} {v * 100:.0f}%" for k, v in sorted(mix.items(), key=lambda kv: -kv[1]))))
        if rows:
            live = any(key in self.preview for key in
                       ((layer.id, row), (measures.parent_layer_id, measures.parent_row)))
            heading = self.tr("Measures (live, not yet applied)") if live else self.tr("Measures")
            parts.append(f"<h4>{esc(heading)}</h4><table>")
            parts.extend(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
            parts.append("</table>")

        parts.append(self._indicators_html(get("id")))

        heading = self.tr("Attributes")
        parts.append(f"<h4>{esc(heading)}</h4><table>")
        for column in layer.attribute_columns():
            value = _text(record[column])
            if value and column not in HIDDEN_FIELDS:
                name = field_alias(column, lang, layer.field_aliases)
                parts.append(f"<tr><th title='{esc(column)}'>{esc(name)}</th>"
                             f"<td>{esc(value_label(column, value, lang))}</td></tr>")
        parts.append("</table>")
        return "".join(parts)

    def _indicators_html(self, feature_id: str) -> str:
        esc = escape
        lang = self.lang
        linked = self.project.indicators.for_feature(feature_id) if feature_id else []
        heading = self.tr("Plan indicators")
        title = f"<h4>{esc(heading)} ({len(linked)})</h4>"
        if not linked:
            none_linked = self.tr("No plan indicator is linked to this feature.")
            return title + f"<p class='muted'>{esc(none_linked)}</p>"
        out = [title]
        source_word = self.tr("Source")
        for indicator, _link in linked:
            unit = indicator.unit_label(lang)

            def value(year, val, unit=unit, missing="—"):
                if val in (None, ""):
                    return missing
                return f"{val} {unit}".strip() + (f" ({year})" if year else "")

            nature = ""
            if indicator.nature:
                css = "binding" if indicator.nature == "binding" else "muted"
                nature = f" <span class='{css}'>[{esc(indicator.nature_label(lang))}]</span>"
            baseline_word, target_word, actual_word = self.tr("Baseline"), self.tr("Target"), self.tr("Actual")
            no_baseline = self.tr("not given in the plan")
            line = (f"{esc(baseline_word)}: "
                    f"{esc(value(indicator.baseline_year, indicator.baseline_value, missing=no_baseline))}"
                    f" → {esc(target_word)}: {esc(value(indicator.target_year, indicator.target_value))}")
            progress = feature_progress(self.project.indicators, feature_id, indicator.id)
            progress = progress[0] if progress else None
            if progress is not None and progress.value is not None:
                shown = indicator.actual_value if progress.value_source == "plan" else f"{progress.value:,.6g}"
                line += f"; {esc(actual_word)}: {esc(value(progress.year, shown))}"
                share = f" · {progress.share * 100:.0f}%" if progress.share is not None else ""
                colour = STATUS_COLOURS.get(progress.status, "#666")
                line += (f"<br><span style='color:{colour}'><b>{esc(progress.status_label(lang))}</b>{share}</span>"
                         f" <span class='muted' style='font-size:small'>{esc(progress.reason(lang))}</span>")
            out.append(
                "<p style='margin:4px 0 8px 0'>"
                f"<b>{esc(indicator.name(lang))}</b>{nature}<br>{line}<br>"
                f"<span class='muted' style='font-size:small'>{esc(source_word)}: {esc(citation(indicator.source, lang))}</span>"
                "</p>")
        return "".join(out)
