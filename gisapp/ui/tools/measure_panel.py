"""The measure panel: segment lengths, the total, the area or the angle, with units, copyable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.geo.measure import (
    ANGLE,
    AREA,
    AREA_UNITS,
    LENGTH_UNITS,
    MeasureResult,
    format_angle,
    format_area,
    format_length,
)
from gisapp.ui.plain import plain_label


class MeasurePanel(QWidget):
    """Shows a :class:`~gisapp.core.geo.measure.MeasureResult`; Copy (and Ctrl+C) puts it on the clipboard."""

    clearRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MeasurePanel")
        self.result = MeasureResult("distance")
        self.mode_row = QHBoxLayout()  # the controller puts the three tool buttons here
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("MeasureSegments")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.total_label = plain_label(parent=self)
        self.total_label.setObjectName("MeasureTotal")
        self.total_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.extra_label = plain_label(parent=self)
        self.extra_label.setObjectName("MeasureExtra")
        self.extra_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hint = plain_label(parent=self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555")
        self.length_unit = QComboBox(self)
        self.area_unit = QComboBox(self)
        for combo, units in ((self.length_unit, LENGTH_UNITS), (self.area_unit, AREA_UNITS)):
            for unit in units:
                combo.addItem("", unit)
            combo.currentIndexChanged.connect(lambda _i: self.show_result(self.result))
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("MeasureCopy")
        self.copy_button.clicked.connect(self.copy)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.clearRequested.emit)
        shortcut = QShortcut(QKeySequence.Copy, self, self.copy)
        shortcut.setContext(Qt.WidgetWithChildrenShortcut)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self.mode_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.extra_label)
        self.units_form = QFormLayout()
        self.length_unit_label = plain_label(parent=self)
        self.area_unit_label = plain_label(parent=self)
        self.units_form.addRow(self.length_unit_label, self.length_unit)
        self.units_form.addRow(self.area_unit_label, self.area_unit)
        layout.addLayout(self.units_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        self.retranslate()

    def add_mode_button(self, action) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.mode_row.addWidget(button)
        return button

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Segment"), self.tr("Length")])
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the segments and totals (Ctrl+C)"))
        self.clear_button.setText(self.tr("Clear"))
        self.length_unit_label.setText(self.tr("Length unit"))
        self.area_unit_label.setText(self.tr("Area unit"))
        names = {"auto": self.tr("Automatic"), "m": self.tr("metres (m)"), "km": self.tr("kilometres (km)"),
                 "m2": self.tr("square metres (m²)"), "ha": self.tr("hectares (ha)"),
                 "km2": self.tr("square kilometres (km²)")}
        for combo in (self.length_unit, self.area_unit):
            for i in range(combo.count()):
                combo.setItemText(i, names[combo.itemData(i)])
        self.hint.setText(self.tr("Click points on the map (they snap to vertices and edges). Right-click, "
                                  "double-click or Enter finishes; Backspace removes the last point; Esc "
                                  "finishes, a second Esc clears. Lengths and areas are geodesic (WGS 84 "
                                  "ellipsoid), whatever the map CRS."))
        self.show_result(self.result)

    # --- the result --------------------------------------------------------------------------------
    def _length(self, metres: float) -> str:
        return format_length(metres, self.length_unit.currentData() or "auto")

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) rows as shown and copied."""
        result = self.result
        rows = [(self.tr("Segment {n}").format(n=n), self._length(m)) for n, m in enumerate(result.segments_m, 1)]
        if result.kind == AREA and result.area_m2 is not None:
            rows.append((self.tr("Perimeter"), self._length(result.perimeter_m or 0.0)))
            rows.append((self.tr("Area"), format_area(result.area_m2, self.area_unit.currentData() or "auto")))
        elif result.kind == ANGLE:
            if result.angle_deg is not None:
                rows.append((self.tr("Angle"), format_angle(result.angle_deg)))
        else:
            rows.append((self.tr("Total"), self._length(result.total_m)))
        return rows

    def show_result(self, result: MeasureResult) -> None:
        self.result = result
        segments = result.segments_m
        self.table.setRowCount(len(segments))
        for row, metres in enumerate(segments):
            self.table.setItem(row, 0, QTableWidgetItem(str(row + 1)))
            item = QTableWidgetItem(self._length(metres))
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.table.setItem(row, 1, item)
        if segments:
            self.table.scrollToBottom()
        rows = self.lines()[len(segments):] if segments else []
        self.total_label.setText("  ".join(f"{label}: {value}" for label, value in rows[:1]) if rows else
                                 self.tr("No measurement yet"))
        self.extra_label.setText("  ".join(f"{label}: {value}" for label, value in rows[1:]))
        self.extra_label.setVisible(len(rows) > 1)
        self.area_unit.setEnabled(result.kind == AREA)
        self.copy_button.setEnabled(bool(segments))

    def copy_text(self) -> str:
        return "\n".join(f"{label}\t{value}" for label, value in self.lines()) if self.result.segments_m else ""

    def copy(self) -> None:
        text = self.copy_text()
        if text:
            QGuiApplication.clipboard().setText(text)
