"""Any EPSG CRS by search: a filterable list built from pyproj's CRS database.

Used by the layer properties (the layer's CRS) and View > Map CRS > Other… (the canvas).
Typing filters by code or name ("4549", "CGCS2000 120E", "UTM 51N"); deprecated codes are
left out. The list is read once per program (``query_crs_info``), as plain tuples.
"""

from __future__ import annotations

from functools import lru_cache

from pyproj.database import query_crs_info
from pyproj.enums import PJType
from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gisapp.ui.plain import plain_label

CRS_TYPES = (PJType.GEOGRAPHIC_2D_CRS, PJType.PROJECTED_CRS, PJType.COMPOUND_CRS)


@lru_cache(maxsize=1)
def crs_catalogue() -> tuple[tuple[str, str, str], ...]:
    """(code, name, area of use) of every EPSG CRS that is not deprecated, by code."""
    infos = query_crs_info(auth_name="EPSG", pj_types=list(CRS_TYPES))
    rows = [(f"EPSG:{info.code}", info.name, info.area_of_use.name if info.area_of_use else "")
            for info in infos if not info.deprecated]
    return tuple(sorted(rows, key=lambda row: int(row[0].split(":")[1])))


class _Filter(QSortFilterProxyModel):
    """Rows whose code or name contain every word typed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.words: list[str] = []

    def set_words(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 deprecates invalidateFilter()
            self.beginFilterChange()
            self.words = text.lower().replace("epsg:", "").split()
            self.endFilterChange()
        else:
            self.words = text.lower().replace("epsg:", "").split()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 (Qt override)
        if not self.words:
            return True
        model = self.sourceModel()
        code = model.index(row, 0, parent).data(Qt.DisplayRole).lower()
        name = model.index(row, 1, parent).data(Qt.DisplayRole).lower()
        text = f"{code} {name}"
        return all(word in text for word in self.words)


class CrsSearch(QWidget):
    """``chosen(code)`` when a row is picked; :meth:`code` is the current choice."""

    chosen = Signal(str)

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CrsSearch")
        self.search = QLineEdit(self)
        self.search.setObjectName("CrsSearchEdit")
        self.search.setClearButtonEnabled(True)
        self.model = QStandardItemModel(0, 3, self)
        for code, name, area in crs_catalogue():
            items = [QStandardItem(code), QStandardItem(name), QStandardItem(area)]
            for item in items:
                item.setEditable(False)
            self.model.appendRow(items)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("CrsTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Interactive)
        self.count_label = plain_label(parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.search.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._picked())
        self.retranslate()
        if current:
            self.select_code(current)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search by EPSG code or name, e.g. 4549 or CGCS2000 120E"))
        self.model.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"), self.tr("Area of use")])
        self._show_count()

    def _filter(self, text: str) -> None:
        self.proxy.set_words(text)
        if self.proxy.rowCount() == 1:
            self.table.selectRow(0)
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(self.tr("{shown} of {total} coordinate reference systems").format(
            shown=f"{self.proxy.rowCount():,}", total=f"{self.model.rowCount():,}"))

    def code(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.proxy.index(index.row(), 0).data(Qt.DisplayRole)

    def _picked(self) -> None:
        code = self.code()
        if code:
            self.chosen.emit(code)

    def select_code(self, code: str) -> bool:
        """Show and select ``code`` (e.g. "EPSG:4549"); False if the list has no such CRS."""
        matches = self.model.findItems(code.upper(), Qt.MatchExactly, 0)
        if not matches:
            return False
        index = self.proxy.mapFromSource(matches[0].index())
        if not index.isValid():
            self.search.clear()
            index = self.proxy.mapFromSource(matches[0].index())
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True


class CanvasCrsDialog(QDialog):
    """View > Map CRS > Other…: the map's CRS chosen from every EPSG CRS."""

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CanvasCrsDialog")
        self.setWindowTitle(self.tr("Map CRS"))
        self.crs_search = CrsSearch(current, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.crs_search, 1)
        layout.addWidget(self.buttons)
        self.crs_search.chosen.connect(lambda _code: self.buttons.button(QDialogButtonBox.Ok).setEnabled(True))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.crs_search.code() is not None)
        self.resize(720, 520)

    def code(self) -> str | None:
        return self.crs_search.code()
