"""The coordinates panel: a captured point in every listed CRS (DD and DMS), copyable, and Go to coordinate."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.geo.coordinates import (
    PRESET_CRSS,
    CoordinateError,
    convert,
    crs_name,
    format_point,
    gauss_kruger_zone,
    is_geographic,
    parse_crs,
)
from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.ui.plain import plain_label, set_plain

ERROR_COLOUR = "#b00020"


class CoordinatesPanel(QWidget):
    """Rows: one per CRS. ``goToRequested(text, crs)`` asks the controller to centre the map."""

    goToRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CoordinatesPanel")
        self.lang = "en"
        self.canvas_crs = "EPSG:3857"
        self.extra_crss: list[str] = []
        self.point: tuple[float, float] | None = None  # lon/lat of the captured point

        self.capture_row = QHBoxLayout()  # the controller puts the capture tool button here
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("CoordinatesTable")
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Two lines per row (code and name; decimal and DMS) so a narrow dock shows it all.
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        self.zone_label = plain_label(parent=self)
        self.zone_label.setWordWrap(True)
        self.add_crs_edit = QLineEdit(self)
        self.add_crs_edit.setObjectName("AddCrsEdit")
        self.add_crs_edit.returnPressed.connect(self.add_crs_from_edit)
        self.add_crs_button = QPushButton(self)
        self.add_crs_button.clicked.connect(self.add_crs_from_edit)
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("CoordinatesCopy")
        self.copy_button.clicked.connect(self.copy)
        self.message = plain_label(parent=self)
        self.message.setObjectName("CoordinatesMessage")
        self.message.setWordWrap(True)
        shortcut = QShortcut(QKeySequence.Copy, self.table, self.copy)
        shortcut.setContext(Qt.WidgetWithChildrenShortcut)

        self.goto_box = QGroupBox(self)
        self.goto_crs = QComboBox(self.goto_box)
        self.goto_crs.setObjectName("GoToCrs")
        self.goto_crs.currentIndexChanged.connect(lambda _i: self._placeholder())
        self.goto_edit = QLineEdit(self.goto_box)
        self.goto_edit.setObjectName("GoToEdit")
        self.goto_edit.returnPressed.connect(self._go)
        self.goto_button = QPushButton(self.goto_box)
        self.goto_button.setObjectName("GoToButton")
        self.goto_button.clicked.connect(self._go)
        self.goto_message = plain_label(parent=self.goto_box)
        self.goto_message.setObjectName("GoToMessage")
        self.goto_message.setWordWrap(True)
        goto_layout = QVBoxLayout(self.goto_box)
        goto_layout.addWidget(self.goto_crs)
        row = QHBoxLayout()
        row.addWidget(self.goto_edit, 1)
        row.addWidget(self.goto_button)
        goto_layout.addLayout(row)
        goto_layout.addWidget(self.goto_message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self.capture_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.zone_label)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_crs_edit, 1)
        add_row.addWidget(self.add_crs_button)
        layout.addLayout(add_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.goto_box)
        self.retranslate()

    # --- CRSs ----------------------------------------------------------------------------------------
    def crss(self) -> list[str]:
        """The canvas CRS, the presets and the added ones, each once."""
        return list(dict.fromkeys([self.canvas_crs, *PRESET_CRSS, *self.extra_crss]))

    def set_canvas_crs(self, crs: str) -> None:
        self.canvas_crs = crs
        self.refresh()

    def add_crs(self, text: str) -> bool:
        try:
            crs = parse_crs(text)
        except CoordinateError as exc:
            set_plain(self.message, exc.text(self.lang), ERROR_COLOUR)
            return False
        if crs not in self.crss():
            self.extra_crss.append(crs)
        set_plain(self.message, self.tr("Added {crs}").format(crs=f"{crs} {crs_name(crs)}"))
        self.refresh()
        return True

    def add_crs_from_edit(self) -> None:
        if self.add_crs(self.add_crs_edit.text()):
            self.add_crs_edit.clear()

    # --- the point -----------------------------------------------------------------------------------
    def show_point(self, x: float, y: float, crs: str) -> None:
        """A captured point (x, y in ``crs``)."""
        try:
            self.point = convert(x, y, crs, STORAGE_CRS)
        except CoordinateError as exc:
            set_plain(self.message, exc.text(self.lang), ERROR_COLOUR)
            return
        set_plain(self.message, "")
        self.refresh()

    def rows(self) -> list[tuple[str, str, str]]:
        """(CRS label, decimal coordinates, DMS or '') for each CRS, as shown and copied."""
        rows = []
        for crs in self.crss():
            label = f"{crs} {crs_name(crs)}"
            if self.point is None:
                rows.append((label, "", ""))
                continue
            try:
                x, y = convert(*self.point, STORAGE_CRS, crs)
            except CoordinateError:
                rows.append((label, self.tr("outside this CRS"), ""))
                continue
            rows.append((label, *format_point(x, y, crs)))
        return rows

    def refresh(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for row, (label, decimal, dms) in enumerate(rows):
            code, _space, name = label.partition(" ")
            self.table.setItem(row, 0, QTableWidgetItem(f"{code}\n{name}"))
            self.table.setItem(row, 1, QTableWidgetItem(f"{decimal}\n{dms}" if dms else decimal))
        self.copy_button.setEnabled(self.point is not None)
        if self.point is not None:
            zone = gauss_kruger_zone(self.point[0])
            self.zone_label.setText(self.tr("CGCS2000 3-degree Gauss-Krüger zone {zone} (central meridian {cm}°E)")
                                    .format(zone=zone, cm=3 * zone))
        else:
            self.zone_label.setText(self.tr("Choose Capture coordinates and click the map."))
        current = self.goto_crs.currentData()
        self.goto_crs.blockSignals(True)
        self.goto_crs.clear()
        for crs in self.crss():
            self.goto_crs.addItem(f"{crs} {crs_name(crs)}", crs)
        index = self.goto_crs.findData(current if current else STORAGE_CRS)
        self.goto_crs.setCurrentIndex(max(0, index))
        self.goto_crs.blockSignals(False)
        self._placeholder()

    def copy_text(self) -> str:
        selected = sorted({index.row() for index in self.table.selectedIndexes()})
        rows = self.rows()
        chosen = [rows[i] for i in selected] if selected else rows
        return "\n".join("\t".join(part for part in row if part) for row in chosen) if self.point else ""

    def copy(self) -> None:
        text = self.copy_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            set_plain(self.message, self.tr("Copied to the clipboard"))

    # --- go to -------------------------------------------------------------------------------------------
    def _placeholder(self) -> None:
        crs = self.goto_crs.currentData() or STORAGE_CRS
        self.goto_edit.setPlaceholderText(self.tr("lon, lat (e.g. 121.6, 38.9)") if is_geographic(crs)
                                          else self.tr("x, y in metres"))

    def _go(self) -> None:
        self.goToRequested.emit(self.goto_edit.text(), self.goto_crs.currentData() or STORAGE_CRS)

    def say_go_to(self, text: str, error: bool) -> None:
        set_plain(self.goto_message, text, ERROR_COLOUR if error else None)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("CRS"), self.tr("x, y / lon, lat (DMS)")])
        self.add_crs_edit.setPlaceholderText(self.tr("EPSG code, e.g. 4549"))
        self.add_crs_button.setText(self.tr("Add CRS"))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the selected rows, or all (Ctrl+C)"))
        self.goto_box.setTitle(self.tr("Go to coordinate"))
        self.goto_button.setText(self.tr("Go"))
        self.refresh()
