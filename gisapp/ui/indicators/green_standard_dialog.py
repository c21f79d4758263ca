"""The plan's green standard, “50 m to green, 500 m to a park” (50米见绿、500米见园), on any layers.

The user picks a built-up or residential layer and a park or green-space layer (bundled or
their own); the share within the distance is computed in a worker thread and the areas
beyond it are drawn on the map as a layer of the *Analysis results* group. With
*Recompute when these layers change*, editing either layer updates the result.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.analysis.spatial_indicators import ANALYSIS_GROUP, GREEN_STANDARDS
from gisapp.core.model.project import Project
from gisapp.core.texts import pick
from gisapp.ui.indicators.service import SpatialService, coverage_text
from gisapp.ui.plain import escape

# Guesses for the default layers, best first: a residential layer before blocks or streets.
TARGET_HINTS = [re.compile(p, re.I) for p in (r"resid|housing|住宅|居住", r"communit|社区", r"built|建成",
                                             r"block|街区")]
SOURCE_HINTS = [re.compile(p, re.I) for p in (r"park|公园", r"green|绿", r"ecolog|forest|生态")]


class GreenStandardDialog(QDialog):
    def __init__(self, project: Project, service: SpatialService, lang: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("GreenStandardDialog")
        self.setModal(False)
        self.project = project
        self.service = service
        self.lang = lang
        self.standard_combo = QComboBox(self)
        self.distance_spin = QDoubleSpinBox(self)
        self.distance_spin.setRange(1, 20000)
        self.distance_spin.setDecimals(0)
        self.distance_spin.setSuffix(" m")
        self.distance_spin.setValue(500)
        self.target_combo = QComboBox(self)
        self.source_combo = QComboBox(self)
        self.auto_check = QCheckBox(self)
        self.auto_check.setChecked(True)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet("color:#555")
        self.labels = {key: QLabel(self) for key in ("standard", "distance", "target", "source")}
        form = QFormLayout()
        form.addRow(self.labels["standard"], self.standard_combo)
        form.addRow(self.labels["distance"], self.distance_spin)
        form.addRow(self.labels["target"], self.target_combo)
        form.addRow(self.labels["source"], self.source_combo)
        form.addRow("", self.auto_check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Apply | QDialogButtonBox.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.standard_combo.currentIndexChanged.connect(self._standard_changed)
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(self.compute)
        self.buttons.button(QDialogButtonBox.Close).clicked.connect(self.reject)
        service.coverageReady.connect(self.show_result)
        service.busyChanged.connect(self._busy)
        self.resize(600, 520)
        self.retranslate()
        self._fill_layers()
        if service.coverage is not None:
            self.show_result()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()
        self._fill_layers()
        self.show_result()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Green standard"))
        self.explain.setText(self.tr(
            "The plan builds a green grid to the standard “50 m to green, 500 m to a park” (50米见绿、500米见园). "
            "Choose the built-up or residential layer and the park or green layer, bundled or your own. "
            "Distances are measured in metres in a local projection; areas are geodesic."))
        self.labels["standard"].setText(self.tr("Standard"))
        self.labels["distance"].setText(self.tr("Distance"))
        self.labels["target"].setText(self.tr("Built-up or residential layer"))
        self.labels["source"].setText(self.tr("Park or green layer"))
        self.auto_check.setText(self.tr("Recompute when these layers change"))
        self.buttons.button(QDialogButtonBox.Apply).setText(self.tr("Compute"))
        self.buttons.button(QDialogButtonBox.Close).setText(self.tr("Close"))
        current = self.standard_combo.currentData()
        self.standard_combo.blockSignals(True)
        self.standard_combo.clear()
        for key, standard in GREEN_STANDARDS.items():
            title = standard.title
            self.standard_combo.addItem(pick(self.lang, title.zh, f"{title.en} ({title.zh})"), key)
        self.standard_combo.addItem(self.tr("Another distance"), "custom")
        self.standard_combo.setCurrentIndex(max(0, self.standard_combo.findData(current)))
        self.standard_combo.blockSignals(False)

    def _fill_layers(self) -> None:
        layers = [layer for layer in self.project.vector_layers() if layer.group not in ("base", ANALYSIS_GROUP)
                  and len(layer)]
        for combo, hints, families in ((self.target_combo, TARGET_HINTS, ("polygon", "point")),
                                       (self.source_combo, SOURCE_HINTS, ("polygon", "point", "line"))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for layer in layers:
                if layer.geometry_family in families:
                    combo.addItem(layer.title(self.lang), layer.id)
            index = combo.findData(current)
            if index < 0:
                offered = [layer for layer in layers if layer.geometry_family in families]
                index = 0
                for pattern in hints:
                    guesses = [i for i, layer in enumerate(offered)
                               if pattern.search(f"{layer.id} {layer.title_zh} {layer.title_en}")]
                    if guesses:
                        index = guesses[0]
                        break
            combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def _standard_changed(self, _index: int) -> None:
        key = self.standard_combo.currentData()
        if key in GREEN_STANDARDS:
            self.distance_spin.setValue(GREEN_STANDARDS[key].distance_m)
        self.distance_spin.setEnabled(key == "custom")

    def choose(self, target: str, source: str, distance: float | None = None) -> None:
        self.target_combo.setCurrentIndex(self.target_combo.findData(target))
        self.source_combo.setCurrentIndex(self.source_combo.findData(source))
        if distance is not None:
            self.standard_combo.setCurrentIndex(self.standard_combo.findData("custom"))
            self.distance_spin.setValue(distance)

    def compute(self) -> bool:
        target, source = self.target_combo.currentData(), self.source_combo.currentData()
        if not target or not source:
            self.result_label.setText(self.tr("Open a built-up or residential layer and a park layer first."))
            return False
        self.result_label.setText(self.tr("Computing…"))
        self.service.compute_coverage(target, source, self.distance_spin.value(), self.auto_check.isChecked())
        return True

    def _busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.Apply).setEnabled(not busy)

    def show_result(self) -> None:
        if self.service.coverage_error:
            self.result_label.setText(f"<span style='color:#b00020'>{escape(self.service.coverage_error)}</span>")
            return
        result = self.service.coverage
        if result is None:
            return
        self.result_label.setText(coverage_text(result, self))
        frame = result.per_feature
        name = pick(self.lang, "name_zh", "name_en")
        if result.target_kind == "points":
            headers = [self.tr("Feature"), self.tr("Within the distance")]
            rows = [(r[name], self.tr("yes") if r["covered"] else self.tr("no")) for r in frame.to_dict("records")]
        else:
            headers = [self.tr("Feature"), self.tr("Area (km²)"), self.tr("Beyond (km²)"), self.tr("Covered")]
            rows = [(r[name], f"{r['area_km2']:,.3f}", f"{r['uncovered_km2']:,.3f}",
                     "—" if r["covered_share"] is None else f"{r['covered_share'] * 100:.1f}%")
                    for r in frame.to_dict("records")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(str(text)))
        self.table.resizeColumnsToContents()
