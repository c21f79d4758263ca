"""Select by expression: features of a layer chosen with a QGIS-style expression.

The selection is made new, added to, removed from, or narrowed to the features that match
(as QGIS's dialog offers). A selection is no data edit, so it is not on the undo stack.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.model.layer import VectorLayer
from gisapp.ui.panels.expression_builder import ExpressionBuilder
from gisapp.ui.plain import plain_label

MODES = ("new", "add", "remove", "within")


def combine_selection(current: np.ndarray, matches: np.ndarray, mode: str) -> np.ndarray:
    """The rows selected after applying ``matches`` (a boolean per row) in ``mode``."""
    rows = np.flatnonzero(matches)
    if mode == "add":
        return np.union1d(current, rows)
    if mode == "remove":
        return np.setdiff1d(current, rows)
    if mode == "within":
        return np.intersect1d(current, rows)
    return rows


class SelectByExpressionDialog(QDialog):
    def __init__(self, layer: VectorLayer, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SelectByExpressionDialog")
        self.layer = layer
        self.lang = lang
        self.builder = ExpressionBuilder(layer, lang, "filter", self)
        self.mode_combo = QComboBox(self)
        self.mode_combo.setObjectName("SelectionMode")
        self.layer_label = plain_label(layer.title(lang), self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Apply | QDialogButtonBox.Close, self)
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.Close).clicked.connect(self.reject)
        self.result_label = plain_label(parent=self)
        self.result_label.setObjectName("SelectionResult")
        form = QFormLayout()
        self.form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.builder, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.builder.evaluated.connect(self._update_enabled)
        self.finished.connect(lambda _r: self.builder.shutdown())
        self.resize(880, 620)
        self.retranslate()
        self._update_enabled()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Select by expression — {layer}").format(layer=self.layer.title(self.lang)))
        while self.form.rowCount():
            self.form.takeRow(0)
        self.form.addRow(self.tr("Layer"), self.layer_label)
        self.form.addRow(self.tr("Selection"), self.mode_combo)
        current = self.mode_combo.currentIndex()
        self.mode_combo.clear()
        for mode, text in zip(MODES, (self.tr("Create a new selection"), self.tr("Add to the current selection"),
                                      self.tr("Remove from the current selection"),
                                      self.tr("Select within the current selection")), strict=True):
            self.mode_combo.addItem(text, mode)
        self.mode_combo.setCurrentIndex(max(current, 0))
        self.buttons.button(QDialogButtonBox.Apply).setText(self.tr("Select features"))
        self.layer_label.setText(self.layer.title(self.lang))
        self.builder.set_lang(self.lang)

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(MODES.index(mode))

    def _update_enabled(self) -> None:
        outcome = self.builder.outcome
        ready = outcome is not None and outcome.error is None and outcome.matches is not None
        self.buttons.button(QDialogButtonBox.Apply).setEnabled(ready)

    def apply(self) -> bool:
        """Select with the evaluated expression; False while it is evaluated or wrong."""
        outcome = self.builder.outcome
        if outcome is None or outcome.matches is None or outcome.text != self.builder.text():
            return False
        if len(outcome.matches) != len(self.layer.frame):  # the layer changed meanwhile
            self.builder.evaluate_now()
            return False
        rows = combine_selection(self.layer.selection, outcome.matches, self.mode_combo.currentData())
        self.layer.select(rows)
        self.result_label.setText(self.tr("{count} features selected").format(count=f"{len(rows):,}"))
        return True
