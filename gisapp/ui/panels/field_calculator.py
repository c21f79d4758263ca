"""The field calculator: a new field, or an existing one updated, from an expression.

For all features or only the selected ones; the change is one undoable edit
(:class:`~gisapp.core.editing.edits.AddField` or ``SetFieldValues``) handed to ``push_edit``
(the editing controller's push, which starts editing the layer as QGIS does), and saved like
any other edit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.analysis.expressions import ExpressionError
from gisapp.core.analysis.expressions.values import column_values
from gisapp.core.editing.edits import NEW_FIELD_DTYPES, AddField, Edit, SetFieldValues, field_kind
from gisapp.core.model.fields import field_alias
from gisapp.core.model.layer import LOADING, VectorLayer
from gisapp.ui.panels.expression_builder import ERROR_COLOUR, ExpressionBuilder
from gisapp.ui.plain import plain_label, set_plain

FIELD_TYPE_ORDER = ("integer", "real", "text", "date")
MAX_FIELD_NAME = 63


class FieldCalculatorDialog(QDialog):
    def __init__(self, layer: VectorLayer, lang: str, push_edit: Callable[[Edit], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FieldCalculatorDialog")
        self.layer = layer
        self.lang = lang
        self.push_edit = push_edit
        self.new_radio = QRadioButton(self)
        self.new_radio.setObjectName("NewFieldRadio")
        self.update_radio = QRadioButton(self)
        self.update_radio.setObjectName("UpdateFieldRadio")
        group = QButtonGroup(self)
        group.addButton(self.new_radio)
        group.addButton(self.update_radio)
        self.new_radio.setChecked(True)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("NewFieldName")
        self.name_edit.setMaxLength(MAX_FIELD_NAME)
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("NewFieldType")
        self.field_combo = QComboBox(self)
        self.field_combo.setObjectName("UpdateFieldCombo")
        self.selected_only = QCheckBox(self)
        self.selected_only.setObjectName("SelectedOnly")
        self.name_label, self.type_label, self.field_label = QLabel(self), QLabel(self), QLabel(self)
        self.target_box = QGroupBox(self)
        grid = QGridLayout(self.target_box)
        grid.addWidget(self.new_radio, 0, 0, 1, 2)
        grid.addWidget(self.name_label, 1, 0)
        grid.addWidget(self.name_edit, 1, 1)
        grid.addWidget(self.type_label, 2, 0)
        grid.addWidget(self.type_combo, 2, 1)
        grid.addWidget(self.update_radio, 0, 2, 1, 2)
        grid.addWidget(self.field_label, 1, 2)
        grid.addWidget(self.field_combo, 1, 3)
        grid.addWidget(self.selected_only, 3, 0, 1, 4)
        self.builder = ExpressionBuilder(layer, lang, "value", self)
        self.message = plain_label(parent=self)
        self.message.setObjectName("FieldCalculatorMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.calculate_and_close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.target_box)
        layout.addWidget(self.builder, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for signal in (self.new_radio.toggled, self.name_edit.textChanged, self.selected_only.toggled,
                       self.builder.evaluated):
            signal.connect(lambda *_: self._update_enabled())
        self.finished.connect(lambda _r: self.builder.shutdown())
        self.resize(900, 680)
        self.retranslate()
        self._update_enabled()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Field calculator — {layer}").format(layer=self.layer.title(self.lang)))
        self.target_box.setTitle(self.tr("Result"))
        self.new_radio.setText(self.tr("Create a new field"))
        self.update_radio.setText(self.tr("Update an existing field"))
        self.name_label.setText(self.tr("Name"))
        self.type_label.setText(self.tr("Type"))
        self.field_label.setText(self.tr("Field"))
        names = {"integer": self.tr("Whole number (integer)"), "real": self.tr("Decimal number (real)"),
                 "text": self.tr("Text (string)"), "date": self.tr("Date")}
        current = self.type_combo.currentData()
        self.type_combo.clear()
        for key in FIELD_TYPE_ORDER:
            self.type_combo.addItem(names[key], key)
        if current:
            self.type_combo.setCurrentIndex(FIELD_TYPE_ORDER.index(current))
        chosen = self.field_combo.currentData()
        self.field_combo.clear()
        for column in self.layer.attribute_columns():
            alias = field_alias(column, self.lang, self.layer.field_aliases)
            self.field_combo.addItem(alias if alias == column else f"{alias} ({column})", column)
        if chosen is not None:
            self.field_combo.setCurrentIndex(max(self.field_combo.findData(chosen), 0))
        count = len(self.layer.selection)
        self.selected_only.setText(self.tr("Only the {count} selected features").format(count=f"{count:,}"))
        self.selected_only.setEnabled(count > 0)
        if not count:
            self.selected_only.setChecked(False)
        self.builder.set_lang(self.lang)

    # --- state ------------------------------------------------------------------------------
    def _problem(self) -> str | None:
        if self.layer.metadata.get(LOADING):
            return self.tr("{layer} is still being read: calculate when it is open.").format(
                layer=self.layer.title(self.lang))
        if self.new_radio.isChecked():
            name = self.name_edit.text().strip()
            if not name:
                return self.tr("Give the new field a name.")
            if name in self.layer.frame.columns:
                return self.tr("The layer already has a field named {name}.").format(name=name)
        elif self.field_combo.currentData() is None:
            return self.tr("The layer has no field to update.")
        outcome = self.builder.outcome
        if outcome is None:
            return ""  # being evaluated: nothing to say yet
        if outcome.error is not None:
            return outcome.error.message(self.lang)
        return None

    def _update_enabled(self) -> None:
        for widget in (self.name_edit, self.type_combo, self.name_label, self.type_label):
            widget.setEnabled(self.new_radio.isChecked())
        for widget in (self.field_combo, self.field_label):
            widget.setEnabled(self.update_radio.isChecked())
        problem = self._problem()
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(problem is None)
        set_plain(self.message, problem or "", ERROR_COLOUR if problem else None)

    def set_new_field(self, name: str, field_type: str) -> None:
        self.new_radio.setChecked(True)
        self.name_edit.setText(name)
        self.type_combo.setCurrentIndex(FIELD_TYPE_ORDER.index(field_type))

    def set_update_field(self, column: str) -> None:
        self.update_radio.setChecked(True)
        self.field_combo.setCurrentIndex(self.field_combo.findData(column))

    # --- calculating ---------------------------------------------------------------------------
    def calculate(self) -> bool:
        """Make the edit from the evaluated expression; False (with the reason shown) if it cannot be made."""
        problem = self._problem()
        outcome = self.builder.outcome
        if problem is not None or outcome is None or outcome.value is None:
            return False
        if len(outcome.value) != len(self.layer.frame):  # the layer changed meanwhile
            self.builder.evaluate_now()
            return False
        rows = (np.asarray(self.layer.selection, dtype=np.int64) if self.selected_only.isChecked()
                else np.arange(len(self.layer.frame), dtype=np.int64))
        try:
            edit = self._edit(outcome.value, rows)
        except ExpressionError as error:
            set_plain(self.message, self.tr("The values do not fit the field: {problem}").format(
                problem=error.problem(self.lang)), ERROR_COLOUR)
            return False
        if not self.push_edit(edit):
            set_plain(self.message, self.tr("The field was not calculated."), ERROR_COLOUR)
            return False
        return True

    def _edit(self, value, rows: np.ndarray) -> Edit:
        if self.new_radio.isChecked():
            field_type = self.type_combo.currentData()
            values = column_values(value, field_type)
            if len(rows) != len(values):  # only the selected features get a value; the others stay NULL
                chosen = np.zeros(len(values), dtype=bool)
                chosen[rows] = True
                values = values.where(chosen, None) if field_type == "text" else values.where(chosen)
            return AddField(self.layer.id, self.name_edit.text().strip(), field_type,
                            values.astype(NEW_FIELD_DTYPES[field_type]) if field_type != "integer" else values)
        column = self.field_combo.currentData()
        dtype = self.layer.frame[column].dtype
        kind = field_kind(dtype)
        values = column_values(value, kind).iloc[rows].reset_index(drop=True)
        if values.isna().any() and kind in ("integer", "boolean") and not isinstance(
                dtype, pd.api.extensions.ExtensionDtype):
            raise ExpressionError("not_number", 0, value="NULL")
        if kind == "integer" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            values = values.astype(dtype)
        elif kind == "text":
            values = values.astype(object)
        elif kind == "boolean" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            values = values.astype(bool)
        return SetFieldValues(self.layer.id, column, rows, values)

    def calculate_and_close(self) -> None:
        if self.calculate():
            self.accept()
