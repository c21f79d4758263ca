"""The bookmarks panel: the project's spatial bookmarks; add from the view, go to, rename, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.model.bookmarks import Bookmark
from gisapp.ui.plain import plain_label


class BookmarksPanel(QWidget):
    """Lists bookmarks; names are edited in place (double-click or Rename)."""

    addRequested = Signal()
    goToRequested = Signal(str)  # bookmark id
    renamed = Signal(str, str)  # id, new name
    deleteRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BookmarksPanel")
        self.bookmarks: list[Bookmark] = []
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("BookmarksTable")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditKeyPressed | QAbstractItemView.SelectedClicked)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemDoubleClicked.connect(lambda item: self._go(item.row()))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("BookmarkAdd")
        self.add_button.clicked.connect(self.addRequested.emit)
        self.go_button = QPushButton(self)
        self.go_button.clicked.connect(lambda: self._go(self.current_row()))
        self.rename_button = QPushButton(self)
        self.rename_button.clicked.connect(self.start_rename)
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(self._delete)
        self.empty_label = plain_label(parent=self)
        self.empty_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.go_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("CRS")])
        self.add_button.setText(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Bookmark the current view (Ctrl+B)"))
        self.go_button.setText(self.tr("Go to"))
        self.rename_button.setText(self.tr("Rename"))
        self.delete_button.setText(self.tr("Delete"))
        self.empty_label.setText(self.tr("No bookmarks yet: Add keeps the current view under a name."))

    def current_row(self) -> int:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return min(rows) if rows else -1

    def show_bookmarks(self, bookmarks: list[Bookmark], select_id: str | None = None) -> None:
        self.bookmarks = list(bookmarks)
        self.table.blockSignals(True)
        self.table.setRowCount(len(bookmarks))
        for row, bookmark in enumerate(bookmarks):
            name = QTableWidgetItem(bookmark.name)
            name.setData(Qt.UserRole, bookmark.id)
            self.table.setItem(row, 0, name)
            crs = QTableWidgetItem(bookmark.crs)
            crs.setFlags(crs.flags() & ~Qt.ItemIsEditable)
            self.table.setItem(row, 1, crs)
        self.table.blockSignals(False)
        if select_id is not None:
            for row, bookmark in enumerate(bookmarks):
                if bookmark.id == select_id:
                    self.table.selectRow(row)
        self.empty_label.setVisible(not bookmarks)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current_row() >= 0
        for button in (self.go_button, self.rename_button, self.delete_button):
            button.setEnabled(chosen)

    def start_rename(self, row: int | None = None) -> None:
        row = self.current_row() if row is None or row is False else row
        if row >= 0:
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.renamed.emit(item.data(Qt.UserRole), item.text())

    def _go(self, row: int) -> None:
        if 0 <= row < len(self.bookmarks):
            self.goToRequested.emit(self.bookmarks[row].id)

    def _delete(self) -> None:
        row = self.current_row()
        if 0 <= row < len(self.bookmarks):
            self.deleteRequested.emit(self.bookmarks[row].id)
