"""Style a layer by a field or a plan indicator; its labels tab sets what the labels show and
how they look and are placed, previewed on the map as they change (Cancel puts them back, and
an applied change is one step on the undo stack)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.analysis import classify
from gisapp.core.model.fields import field_alias
from gisapp.core.model.labels import LabelStyle
from gisapp.core.model.project import Project
from gisapp.core.model.style import Style
from gisapp.ui.panels.labels_tab import LabelSettingsCommand, LabelsTab
from gisapp.ui.plain import plain_label, set_plain

ORIGINAL_STYLE_KEY = "original_style"


class StyleDialog(QDialog):
    """Categorized, graduated (mapclassify schemes) or progress status; the legend follows."""

    def __init__(self, project: Project, lang: str = "en", parent: QWidget | None = None,
                 undo_stack=None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack  # a QUndoStack for applied label changes (the window's)
        # Label settings as last applied, per layer touched: Cancel brings them back.
        self._committed: dict[str, tuple[str, LabelStyle]] = {}
        self.setObjectName("StyleDialog")
        self.setModal(False)
        self.project = project
        self.lang = lang
        self.layer_combo = QComboBox(self)
        self.source_combo = QComboBox(self)  # field / indicator
        self.field_combo = QComboBox(self)
        self.indicator_combo = QComboBox(self)
        self.measure_combo = QComboBox(self)
        self.method_combo = QComboBox(self)
        self.scheme_combo = QComboBox(self)
        self.classes_spin = QSpinBox(self)
        self.classes_spin.setRange(2, 7)
        self.classes_spin.setValue(5)
        self.ramp_combo = QComboBox(self)
        self.ramp_combo.addItems(list(classify.RAMPS))
        self.labels_tab = LabelsTab(self)
        self.label_combo = self.labels_tab.source_combo
        self.message = plain_label(parent=self)  # quotes field names
        self.message.setWordWrap(True)
        self.style_box = QGroupBox(self)
        self.tabs = QTabWidget(self)
        self.form = QFormLayout(self.style_box)
        self.labels: dict[str, QLabel] = {key: QLabel(self) for key in (
            "layer", "source", "field", "indicator", "measure", "method", "scheme", "classes", "ramp")}
        for key, widget in (("source", self.source_combo), ("field", self.field_combo),
                            ("indicator", self.indicator_combo), ("measure", self.measure_combo),
                            ("method", self.method_combo), ("scheme", self.scheme_combo),
                            ("classes", self.classes_spin), ("ramp", self.ramp_combo)):
            self.form.addRow(self.labels[key], widget)
        top = QFormLayout()
        top.addRow(self.labels["layer"], self.layer_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Apply | QDialogButtonBox.Cancel
                                        | QDialogButtonBox.Reset, self)
        self.tabs.addTab(self.style_box, "")
        self.tabs.addTab(self.labels_tab, "")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.layer_combo.currentIndexChanged.connect(lambda _i: self._layer_changed())
        self.source_combo.currentIndexChanged.connect(lambda _i: self._update_enabled())
        self.method_combo.currentIndexChanged.connect(lambda _i: self._update_enabled())
        self.measure_combo.currentIndexChanged.connect(lambda _i: self._update_enabled())
        self.field_combo.currentIndexChanged.connect(lambda _i: self._field_changed())
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)
        self.buttons.button(QDialogButtonBox.Reset).clicked.connect(self.restore_original)
        self.buttons.button(QDialogButtonBox.Ok).clicked.connect(self._ok)
        self.buttons.button(QDialogButtonBox.Cancel).clicked.connect(self.reject)
        self.labels_tab.changed.connect(self.preview_labels)
        self.resize(560, 620)
        self.retranslate()

    # --- language ---------------------------------------------------------------------------
    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Style layer"))
        texts = {"layer": self.tr("Layer"), "source": self.tr("Style by"), "field": self.tr("Field"),
                 "indicator": self.tr("Indicator"), "measure": self.tr("Value"), "method": self.tr("Method"),
                 "scheme": self.tr("Classification"), "classes": self.tr("Classes"),
                 "ramp": self.tr("Colours")}
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.tabs.setTabText(0, self.tr("Colours"))
        self.tabs.setTabText(1, self.tr("Labels"))
        self.labels_tab.retranslate()
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("OK"))
        self.buttons.button(QDialogButtonBox.Apply).setText(self.tr("Apply"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        self.buttons.button(QDialogButtonBox.Reset).setText(self.tr("Restore the layer's style"))
        self._set_items(self.source_combo, [("field", self.tr("a field")), ("indicator", self.tr("a plan indicator"))])
        self._set_items(self.measure_combo, [("latest", self.tr("latest actual value")),
                                             ("progress", self.tr("progress (%)")),
                                             ("status", self.tr("progress status"))])
        self._set_items(self.method_combo, [("graduated", self.tr("graduated (numeric classes)")),
                                            ("categorized", self.tr("categorized (one colour per value)")),
                                            ("status", self.tr("progress status (achieved / on track / behind)"))])
        self._set_items(self.scheme_combo, [(key, name(self.lang)) for key, name in classify.SCHEMES.items()])
        layer_id = self.layer_combo.currentData()
        self._set_items(self.layer_combo, [(layer.id, layer.title(self.lang)) for layer in self.project.vector_layers()
                                           if layer.group != "base"])
        if layer_id:
            self.choose_layer(layer_id)
        indicator_id = self.indicator_combo.currentData()
        self._set_items(self.indicator_combo, [(i.id, i.name(self.lang)) for i in self.project.indicators.indicators])
        if indicator_id:
            self.indicator_combo.setCurrentIndex(max(0, self.indicator_combo.findData(indicator_id)))
        self._layer_changed()

    @staticmethod
    def _set_items(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for key, text in items:
            combo.addItem(text, key)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)
        combo.blockSignals(False)

    # --- layer ----------------------------------------------------------------------------------
    def layer(self):
        layer_id = self.layer_combo.currentData()
        return self.project.layer(layer_id) if layer_id else None

    def choose_layer(self, layer_id: str) -> None:
        index = self.layer_combo.findData(layer_id)
        if index >= 0:
            self.layer_combo.setCurrentIndex(index)
            self._layer_changed()

    def _layer_changed(self) -> None:
        layer = self.layer()
        if layer is None:
            return
        fields = [c for c in layer.attribute_columns() if not str(c).endswith("_label")]
        shown = {c: field_alias(c, self.lang, layer.field_aliases) for c in fields}
        self.field_combo.blockSignals(True)
        self._set_items(self.field_combo, [(c, shown[c]) for c in fields])
        self.field_combo.setCurrentIndex(max(0, self.field_combo.findData(self._default_field(layer, fields))))
        self.field_combo.blockSignals(False)
        labels = [("none", self.tr("nothing")), *[(f"field:{c}", shown[c]) for c in fields],
                  ("indicator:latest", self.tr("the indicator's latest value")),
                  ("indicator:progress", self.tr("the indicator's progress (%)")),
                  ("indicator:status", self.tr("the indicator's status"))]
        self._set_items(self.label_combo, labels)
        current = f"field:{layer.label_field}" if layer.label_field else "none"
        spec = layer.metadata.get(classify.LABEL_SPEC_KEY)
        if spec:
            current = f"indicator:{spec.get('measure', 'latest')}"
        self.label_combo.blockSignals(True)
        self.label_combo.setCurrentIndex(max(0, self.label_combo.findData(current)))
        self.label_combo.blockSignals(False)
        self.labels_tab.show_style(layer.label_style, layer.geometry_family, list(map(str, layer.frame.columns)))
        spec = layer.metadata.get(classify.STYLE_SPEC_KEY)
        if spec:
            self.source_combo.setCurrentIndex(self.source_combo.findData("indicator"))
            self.indicator_combo.setCurrentIndex(max(0, self.indicator_combo.findData(spec.get("indicator"))))
        self._field_changed()

    @staticmethod
    def _default_field(layer, fields: list[str]) -> str | None:
        """The field the layer is styled by, else the first one worth classifying: an identifier
        or name (a different text in every feature) makes one class per feature, which says nothing."""
        frame = layer.frame
        def classifiable(column) -> bool:  # numbers graduate even when all differ; texts must repeat
            values = frame[column].nunique(dropna=True)
            return values > 1 and (pd.api.types.is_numeric_dtype(frame[column].dtype) or values < len(frame))

        worth = [c for c in fields if c != "id" and not str(c).startswith("name") and classifiable(c)]
        styled = getattr(layer.style, "field", "")
        if styled in worth:
            return styled
        return (worth or fields or [None])[0]

    def _field_is_numeric(self) -> bool:
        layer, column = self.layer(), self.field_combo.currentData()
        if layer is None or column not in layer.frame.columns:
            return False
        dtype = layer.frame[column].dtype
        return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)

    def _field_changed(self) -> None:
        """Text fields are categorized, numbers graduated (the default a person expects)."""
        if self.source_combo.currentData() == "field" and self.method_combo.currentData() != "status":
            method = "graduated" if self._field_is_numeric() else "categorized"
            self.method_combo.blockSignals(True)
            self.method_combo.setCurrentIndex(self.method_combo.findData(method))
            self.method_combo.blockSignals(False)
        self._update_enabled()

    def _update_enabled(self) -> None:
        by_indicator = self.source_combo.currentData() == "indicator"
        method = self.method_combo.currentData()
        graduated = method == "graduated"
        for key, widget in (("field", self.field_combo), ("indicator", self.indicator_combo),
                            ("measure", self.measure_combo)):
            visible = (key == "field") != by_indicator
            widget.setVisible(visible)
            self.labels[key].setVisible(visible)
        for key, widget in (("scheme", self.scheme_combo), ("classes", self.classes_spin), ("ramp", self.ramp_combo)):
            widget.setEnabled(graduated)
            self.labels[key].setEnabled(graduated)
        set_plain(self.message, "")

    # --- apply -------------------------------------------------------------------------------------
    def spec(self) -> dict:
        method = self.method_combo.currentData()
        spec = {"method": method, "scheme": self.scheme_combo.currentData(), "k": self.classes_spin.value(),
                "ramp": self.ramp_combo.currentText()}
        if self.source_combo.currentData() == "indicator":
            measure = self.measure_combo.currentData()
            if method == "status":
                measure = "status"
            spec.update(source="indicator", indicator=self.indicator_combo.currentData(), measure=measure)
            if measure == "status":
                spec["method"] = "status"
        else:
            spec.update(source="field", field=self.field_combo.currentData())
        return spec

    def label_spec(self) -> dict | None:
        choice = self.label_combo.currentData() or "none"
        if choice == "none":
            return None
        kind, _, value = choice.partition(":")
        if kind == "field":
            return {"source": "field", "field": value}
        return {"source": "indicator", "indicator": self.indicator_combo.currentData(), "measure": value}

    def set_choice(self, **choices) -> None:
        """Pick combo entries by their data (tests): layer, source, field, indicator, measure, method,
        scheme, classes, label."""
        combos = {"layer": self.layer_combo, "source": self.source_combo, "field": self.field_combo,
                  "indicator": self.indicator_combo, "measure": self.measure_combo, "method": self.method_combo,
                  "scheme": self.scheme_combo, "label": self.label_combo}
        for key, value in choices.items():
            if key == "classes":
                self.classes_spin.setValue(int(value))
                continue
            index = combos[key].findData(value)
            if index < 0:
                raise KeyError(f"{key}={value!r} is not offered")
            combos[key].setCurrentIndex(index)

    # --- labels: preview, apply, cancel ---------------------------------------------------------------
    def _label_field_choice(self, layer) -> str:
        """The field the labels tab shows ('' for nothing); an indicator's values are written on Apply."""
        kind, _, value = (self.label_combo.currentData() or "none").partition(":")
        return value if kind == "field" else ("" if kind == "none" else layer.label_field)

    def preview_labels(self) -> None:
        """Show the labels tab's settings on the map now; Cancel puts back what was applied."""
        layer = self.layer()
        if layer is None:
            return
        self._committed.setdefault(layer.id, (layer.label_field, layer.label_style))
        layer.set_label_settings(self._label_field_choice(layer), self.labels_tab.label_style())

    def _commit_labels(self, layer, before: tuple[str, LabelStyle] | None) -> None:
        after = (layer.label_field, layer.label_style)
        self._committed[layer.id] = after
        if before is not None and before != after and self.undo_stack is not None:
            text = self.tr("Labels of {layer}").format(layer=layer.title(self.lang))
            self.undo_stack.push(LabelSettingsCommand(layer, before, after, text))

    def reject(self) -> None:
        """Cancel: every layer previewed gets back the labels it had when last applied."""
        for layer_id, (field, style) in self._committed.items():
            layer = self.project.layer(layer_id)
            if layer is not None:
                layer.set_label_settings(field, style)
        self._committed.clear()
        super().reject()

    def _ok(self) -> None:
        if self.apply():
            self._committed.clear()
            self.accept()

    def apply(self) -> bool:
        layer = self.layer()
        if layer is None:
            return False
        before = self._committed.get(layer.id, (layer.label_field, layer.label_style))
        spec = self.spec()
        layer.metadata.setdefault(ORIGINAL_STYLE_KEY, {"style": layer.style.to_dict(),
                                                       "label_field": layer.label_field})
        try:
            if spec["method"] == "graduated" and spec.get("source") == "field":
                values = pd.to_numeric(layer.frame[spec["field"]], errors="coerce")
                if values.notna().sum() == 0:
                    raise ValueError(self.tr("The field {field} has no numbers: choose categorized.").format(
                        field=spec["field"]))
            column = classify.apply_style_spec(layer, self.project.indicators, spec)
            classify.apply_label_spec(layer, self.project.indicators, self.label_spec())
            layer.set_label_settings(layer.label_field, self.labels_tab.label_style())
            self._commit_labels(layer, before)
        except (ValueError, KeyError) as exc:
            text = str(exc)
            if "no numeric values" in text:
                text = self.tr("There are no numbers to classify yet: enter actual values for the layer's "
                               "features, or choose progress status.")
            set_plain(self.message, text, "#b00020")
            return False
        classes = len(layer.style.legend())
        set_plain(self.message, self.tr("Styled by {column}: {classes} legend entries.").format(
            column=column, classes=classes))
        return True

    def restore_original(self) -> None:
        layer = self.layer()
        if layer is None:
            return
        original = layer.metadata.pop(ORIGINAL_STYLE_KEY, None)
        layer.metadata.pop(classify.STYLE_SPEC_KEY, None)
        layer.metadata.pop(classify.LABEL_SPEC_KEY, None)
        if original:
            layer.label_field = original.get("label_field", "")
            layer.set_style(Style.from_dict(original["style"]))
        self._committed[layer.id] = (layer.label_field, layer.label_style)
        self._layer_changed()
