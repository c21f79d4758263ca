"""The style dialog's labels tab: what the labels show and how they look and are placed.

Widgets write a :class:`~gisapp.core.model.labels.LabelStyle`; the dialog previews it on the
canvas as it changes, and Cancel puts back what the layer had.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from gisapp.core.model.labels import (
    MAX_HALO_PX,
    MAX_SCALE,
    MAX_SIZE_PT,
    POSITIONS,
    LabelStyle,
    template_fields,
    template_problem,
)
from gisapp.ui.plain import plain_label, set_plain


class ColourEdit(QWidget):
    """A hex colour typed or picked, with a swatch (never a modal dialog in tests: typing works)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setMaxLength(7)
        self.edit.setFixedWidth(80)
        self.swatch = QPushButton(self)
        self.swatch.setFixedWidth(28)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.swatch)
        layout.addStretch(1)
        self.edit.textChanged.connect(self._typed)
        self.swatch.clicked.connect(self._pick)

    def colour(self) -> str | None:
        text = self.edit.text().strip()
        return text.lower() if QColor.isValidColorName(text) and text.startswith("#") and len(text) in (4, 7) else None

    def set_colour(self, hex_colour: str) -> None:
        self.edit.setText(hex_colour)

    def _typed(self, _text: str) -> None:
        colour = self.colour()
        self.swatch.setStyleSheet(f"background: {colour}" if colour else "")
        if colour:
            self.changed.emit()

    def _pick(self) -> None:
        from PySide6.QtWidgets import QColorDialog

        chosen = QColorDialog.getColor(QColor(self.colour() or "#000000"), self)
        if chosen.isValid():
            self.set_colour(chosen.name())


class LabelsTab(QWidget):
    """Label settings of one layer; ``changed`` fires on every edit (the dialog previews it)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LabelsTab")
        self.family = "polygon"
        self.columns: list[str] = []
        self.source_combo = QComboBox(self)      # nothing / a field / an indicator measure (filled by the dialog)
        self.template_edit = QLineEdit(self)
        self.template_edit.setMaxLength(1000)
        self.follow_check = QCheckBox(self)
        self.size_spin = QDoubleSpinBox(self)
        self.size_spin.setRange(4.0, MAX_SIZE_PT)
        self.size_spin.setDecimals(1)
        self.size_spin.setSingleStep(0.5)
        self.colour_edit = ColourEdit(self)
        self.halo_check = QCheckBox(self)
        self.halo_colour_edit = ColourEdit(self)
        self.halo_width_spin = QDoubleSpinBox(self)
        self.halo_width_spin.setRange(0.0, MAX_HALO_PX)
        self.halo_width_spin.setSingleStep(0.5)
        self.placement_combo = QComboBox(self)
        self.position_combo = QComboBox(self)
        self.distance_spin = QDoubleSpinBox(self)
        self.distance_spin.setRange(0.0, 100.0)
        self.priority_spin = QSpinBox(self)
        self.priority_spin.setRange(0, 10)
        self.min_scale_spin = QDoubleSpinBox(self)
        self.max_scale_spin = QDoubleSpinBox(self)
        for spin in (self.min_scale_spin, self.max_scale_spin):
            spin.setRange(0.0, MAX_SCALE)
            spin.setDecimals(0)
            spin.setSingleStep(1000)
            spin.setPrefix("1:")
        self.always_check = QCheckBox(self)
        self.problem = plain_label(parent=self)  # names the template's fields: plain text
        self.problem.setWordWrap(True)
        self.names: dict[str, QLabel] = {key: QLabel(self) for key in (
            "source", "template", "size", "colour", "halo_colour", "halo_width", "placement", "position",
            "distance", "priority", "min_scale", "max_scale")}
        form = QFormLayout(self)
        for key, widget in (("source", self.source_combo), ("template", self.template_edit)):
            form.addRow(self.names[key], widget)
        form.addRow("", self.follow_check)
        for key, widget in (("size", self.size_spin), ("colour", self.colour_edit)):
            form.addRow(self.names[key], widget)
        form.addRow("", self.halo_check)
        for key, widget in (("halo_colour", self.halo_colour_edit), ("halo_width", self.halo_width_spin),
                            ("placement", self.placement_combo), ("position", self.position_combo),
                            ("distance", self.distance_spin), ("priority", self.priority_spin),
                            ("min_scale", self.min_scale_spin), ("max_scale", self.max_scale_spin)):
            form.addRow(self.names[key], widget)
        form.addRow("", self.always_check)
        form.addRow(self.problem)
        for signal in (self.source_combo.currentIndexChanged, self.template_edit.textChanged,
                       self.follow_check.toggled, self.size_spin.valueChanged, self.colour_edit.changed,
                       self.halo_check.toggled, self.halo_colour_edit.changed, self.halo_width_spin.valueChanged,
                       self.placement_combo.currentIndexChanged, self.position_combo.currentIndexChanged,
                       self.distance_spin.valueChanged, self.priority_spin.valueChanged,
                       self.min_scale_spin.valueChanged, self.max_scale_spin.valueChanged, self.always_check.toggled):
            signal.connect(self._edited)
        self._loading = False
        self.retranslate()

    def retranslate(self) -> None:
        texts = {"source": self.tr("Labels show"), "template": self.tr("Or a template"),
                 "size": self.tr("Font size (pt)"), "colour": self.tr("Text colour"),
                 "halo_colour": self.tr("Halo colour"), "halo_width": self.tr("Halo width (px)"),
                 "placement": self.tr("Placement"), "position": self.tr("Side of the point"),
                 "distance": self.tr("Distance from the point (px)"), "priority": self.tr("Priority (0–10)"),
                 "min_scale": self.tr("Hide when zoomed out beyond"), "max_scale": self.tr("Hide when zoomed in beyond")}
        for key, text in texts.items():
            self.names[key].setText(text)
        self.template_edit.setPlaceholderText(self.tr("e.g. {name_zh} {area:.1f}"))
        self.template_edit.setToolTip(self.tr("Field names in braces, optionally with a number format "
                                              "such as {area:.1f}; it replaces the field above when set."))
        self.follow_check.setText(self.tr("Chinese and English names follow the interface language"))
        self.halo_check.setText(self.tr("Halo around the text"))
        self.always_check.setText(self.tr("Always show (even where labels overlap)"))
        self.min_scale_spin.setSpecialValueText(self.tr("no limit"))
        self.max_scale_spin.setSpecialValueText(self.tr("no limit"))
        self._fill_placements()
        current = self.position_combo.currentData()
        names = {"N": self.tr("above"), "NE": self.tr("upper right"), "E": self.tr("right"),
                 "SE": self.tr("lower right"), "S": self.tr("below"), "SW": self.tr("lower left"),
                 "W": self.tr("left"), "NW": self.tr("upper left")}
        self._set_items(self.position_combo, [(key, names[key]) for key in POSITIONS], current)

    def _placement_names(self) -> dict[str, str]:
        return {"around": self.tr("around the point on surface") if self.family == "polygon"
                else self.tr("around the point (any of 8 sides)"),
                "inside": self.tr("inside the polygon only"),
                "horizontal": self.tr("horizontal, at the middle of the line"),
                "along": self.tr("along the line"),
                "offset": self.tr("on the chosen side only")}

    def _fill_placements(self) -> None:
        from gisapp.core.model.labels import PLACEMENTS

        names = self._placement_names()
        self._set_items(self.placement_combo, [(key, names[key]) for key in PLACEMENTS[self.family]],
                        self.placement_combo.currentData())

    def _set_items(self, combo: QComboBox, items: list[tuple[str, str]], current) -> None:
        combo.blockSignals(True)
        combo.clear()
        for key, text in items:
            combo.addItem(text, key)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)
        combo.blockSignals(False)

    # --- model -> widgets ----------------------------------------------------------------------
    def show_style(self, style: LabelStyle, family: str, columns: list[str]) -> None:
        """Show ``style`` of a layer of ``family`` with ``columns`` (no ``changed`` while loading)."""
        self._loading = True
        try:
            self.family, self.columns = family, list(columns)
            self._fill_placements()
            self.template_edit.setText(style.text)
            self.follow_check.setChecked(style.follow_language)
            self.size_spin.setValue(style.size_pt)
            self.colour_edit.set_colour(style.color)
            self.halo_check.setChecked(style.halo)
            self.halo_colour_edit.set_colour(style.halo_color)
            self.halo_width_spin.setValue(style.halo_width_px)
            self.placement_combo.setCurrentIndex(max(0, self.placement_combo.findData(style.placement_for(family))))
            self.position_combo.setCurrentIndex(max(0, self.position_combo.findData(style.position)))
            self.distance_spin.setValue(style.distance_px)
            self.priority_spin.setValue(style.priority)
            self.min_scale_spin.setValue(style.min_scale)
            self.max_scale_spin.setValue(style.max_scale)
            self.always_check.setChecked(style.always_show)
            self._base = style
            self._update_enabled()
        finally:
            self._loading = False

    # --- widgets -> model ----------------------------------------------------------------------
    def label_style(self) -> LabelStyle:
        """The settings shown; a template that cannot be shown is left out (and named below)."""
        base = getattr(self, "_base", LabelStyle())
        template = self.template_edit.text().strip()
        placement = self.placement_combo.currentData() or ""
        return base.with_(
            text=template if template and template_problem(template, self.columns) is None else "",
            follow_language=self.follow_check.isChecked(), size_pt=round(self.size_spin.value(), 1),
            color=self.colour_edit.colour() or base.color, halo=self.halo_check.isChecked(),
            halo_color=self.halo_colour_edit.colour() or base.halo_color,
            halo_width_px=round(self.halo_width_spin.value(), 2),
            placement="" if placement == LabelStyle().placement_for(self.family) else placement,
            position=self.position_combo.currentData() or "E", distance_px=round(self.distance_spin.value(), 2),
            priority=self.priority_spin.value(), min_scale=self.min_scale_spin.value(),
            max_scale=self.max_scale_spin.value(), always_show=self.always_check.isChecked())

    def _update_enabled(self) -> None:
        point = self.family == "point"
        for key, widget in (("position", self.position_combo), ("distance", self.distance_spin)):
            widget.setVisible(point)
            self.names[key].setVisible(point)
        halo = self.halo_check.isChecked()
        self.halo_colour_edit.setEnabled(halo)
        self.halo_width_spin.setEnabled(halo)
        template = self.template_edit.text().strip()
        problem = template_problem(template, self.columns) if template else None
        missing = [name for name in template_fields(template) if name not in self.columns]
        if problem is None:
            text = ""
        elif missing:
            text = self.tr("The template is not used: the layer has no field {field}.").format(field=missing[0])
        else:
            text = self.tr("The template is not used: write numbers with a format such as {{area:.1f}}.")
        set_plain(self.problem, text, "#b00020")

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self._update_enabled()
        self.changed.emit()


class LabelSettingsCommand(QUndoCommand):
    """One change of a layer's labels, undoable (the dialog has applied it already)."""

    def __init__(self, layer, before: tuple[str, LabelStyle], after: tuple[str, LabelStyle], text: str) -> None:
        super().__init__(text)
        self.layer, self.before, self.after = layer, before, after

    def redo(self) -> None:
        self.layer.set_label_settings(*self.after)

    def undo(self) -> None:
        self.layer.set_label_settings(*self.before)
