"""The per-feature history panel: every committed version of one feature of a shared table.

The list shows who changed the feature, when, how (insert, update, delete), with the comment
and plan citation given at the save. Choosing a version shows its attributes beside the
current ones and asks the window to draw its geometry as a ghost on the map; *Restore this
version* asks the window to make it a new, undoable edit. The panel takes plain data
(:class:`VersionRow`); ``gisapp.ui.team.controller`` reads the history off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.ui.plain import plain_label, tooltip
from gisapp.ui.team.conflict_dialog import DIFFERENT, shown

OPERATIONS = ("INSERT", "UPDATE", "DELETE")


@dataclass
class VersionRow:
    version: int
    operation: str  # INSERT, UPDATE or DELETE
    user: str
    time: str
    comment: str = ""
    citation: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)  # the row after this change
    geometry: Any = None  # after this change (layer CRS); None for a delete


class HistoryPanel(QWidget):
    """Versions of one feature, newest first."""

    versionChosen = Signal(int)  # index into ``versions`` (-1: none)
    restoreRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HistoryPanel")
        self.versions: list[VersionRow] = []
        self.current: dict[str, Any] | None = None  # the feature's attributes now
        self.feature_title = ""
        self.can_restore = False
        self._chosen_version: int | None = None  # kept while the same feature's history is read again
        self._chosen_of = ""
        self.title = plain_label(parent=self)
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.status = plain_label(parent=self)
        self.status.setWordWrap(True)
        self.list = QTableWidget(0, 6, self)
        self.list.setObjectName("HistoryVersions")
        self.list.verticalHeader().hide()
        self.list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.NoEditTriggers)
        header = self.list.horizontalHeader()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.list.setWordWrap(False)
        self.list.itemSelectionChanged.connect(self._on_selection)
        self.version_note = plain_label(parent=self)  # the chosen version's citation and comment
        self.version_note.setObjectName("HistoryVersionNote")
        self.version_note.setWordWrap(True)
        self.details = QTableWidget(0, 3, self)
        self.details.setObjectName("HistoryAttributes")
        self.details.verticalHeader().hide()
        self.details.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.details.setSelectionMode(QAbstractItemView.NoSelection)
        self.details.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.details.setWordWrap(True)
        self.details.setTextElideMode(Qt.ElideNone)
        # Row heights follow the column widths (wrapped text), also once the widget is laid out.
        self.details.horizontalHeader().sectionResized.connect(lambda *_: self.details.resizeRowsToContents())
        self.details.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.restore = QPushButton(self)
        self.restore.setObjectName("RestoreVersion")
        self.restore.clicked.connect(self._on_restore)
        self.hint = plain_label(parent=self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666")

        split = QSplitter(Qt.Vertical, self)
        split.addWidget(self.list)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.version_note)
        lower_layout.addWidget(self.details, 1)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        row = QHBoxLayout()
        row.addWidget(self.restore)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self.retranslate()
        self.show_nothing()

    # --- texts -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.list.setHorizontalHeaderLabels([self.tr("Version"), self.tr("When"), self.tr("Who"),
                                             self.tr("Change"), self.tr("Citation"), self.tr("Comment")])
        self.details.setHorizontalHeaderLabels([self.tr("Field"), self.tr("This version"), self.tr("Now")])
        self.restore.setText(self.tr("Restore this version"))
        self.hint.setText(self.tr("The chosen version is drawn dashed on the map. Restoring it is a new "
                                  "edit: undo takes it back, and a save writes it as a new version."))
        if self.versions:
            self._fill_versions()
        self._update_title()

    def operation_text(self, operation: str) -> str:
        return {"INSERT": self.tr("added"), "UPDATE": self.tr("changed"),
                "DELETE": self.tr("deleted")}.get(operation.upper(), operation)

    def _update_title(self) -> None:
        if self.feature_title:
            self.title.setText(self.tr("History of {feature}").format(feature=self.feature_title))
        else:
            self.title.setText(self.tr("Feature history"))

    # --- content -----------------------------------------------------------------------------
    def show_nothing(self, text: str | None = None) -> None:
        """No feature (or no shared table): say what to do."""
        self.feature_title = ""
        self.versions = []
        self.current = None
        self.list.blockSignals(True)
        self.list.setRowCount(0)
        self.list.blockSignals(False)
        self.details.setRowCount(0)
        self.version_note.setText("")
        self.restore.setEnabled(False)
        self._update_title()
        self.status.setText(text if text is not None else self.tr(
            "Select a feature of a layer from PostGIS to see its versions."))

    def show_loading(self, feature_title: str) -> None:
        self.show_nothing(self.tr("Reading the history from the server…"))
        self.feature_title = feature_title
        self._update_title()

    def show_versions(self, feature_title: str, versions: list[VersionRow], current: dict[str, Any] | None,
                      can_restore: bool) -> None:
        """``versions`` newest first; ``current``: the feature's attributes in the window now."""
        chosen_version = self._chosen_version if feature_title == self._chosen_of else None
        self.feature_title = feature_title
        self.versions = list(versions)
        self.current = current
        self.can_restore = can_restore
        self._update_title()
        if not versions:
            self.status.setText(self.tr("No saved versions: the table keeps history only for changes saved "
                                        "after it was prepared for team editing."))
        else:
            self.status.setText(self.tr("{n} version(s), newest first.").format(n=len(versions)))
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self._fill_versions()
        again = [i for i, v in enumerate(self.versions) if v.version == chosen_version]
        if again:
            self.list.selectRow(again[0])  # read again (the feature changed): the same version stays chosen
        else:
            self._on_selection()

    def _fill_versions(self) -> None:
        self.list.blockSignals(True)
        selected = self.selected_index()
        self.list.setRowCount(len(self.versions))
        for row, version in enumerate(self.versions):
            cells = [str(version.version), version.time, version.user, self.operation_text(version.operation),
                     version.citation, version.comment]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip(text))
                if version.operation.upper() == "DELETE":
                    item.setForeground(QBrush(QColor("#b00020")))
                self.list.setItem(row, column, item)
        if selected >= 0:
            self.list.selectRow(selected)
        self.list.blockSignals(False)

    def selected_index(self) -> int:
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        return rows[0].row() if rows else -1

    def choose(self, index: int) -> None:
        """Select the version at ``index`` (as a click on its row does)."""
        self.list.selectRow(index)

    def _on_selection(self) -> None:
        index = self.selected_index()
        if 0 <= index < len(self.versions):
            version = self.versions[index]
            self._chosen_version, self._chosen_of = version.version, self.feature_title
            self._fill_details(version)
            notes = []
            if version.citation:
                notes.append(self.tr("Citation: {citation}").format(citation=version.citation))
            if version.comment:
                notes.append(self.tr("Comment: {comment}").format(comment=version.comment))
            self.version_note.setText("\n".join(notes))
            self.restore.setEnabled(self.can_restore and version.operation.upper() != "DELETE"
                                    and version.geometry is not None)
        else:
            self.details.setRowCount(0)
            self.version_note.setText("")
            self.restore.setEnabled(False)
        self.versionChosen.emit(index)

    def _fill_details(self, version: VersionRow) -> None:
        names = list(version.attributes) or list(self.current or {})
        self.details.setRowCount(len(names))
        bold = QFont(self.details.font())
        bold.setBold(True)
        for row, name in enumerate(names):
            then = shown(version.attributes.get(name))
            now = shown((self.current or {}).get(name)) if self.current is not None else ""
            for column, text in enumerate((name, then, now)):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip(text))
                if self.current is not None and then != now:
                    item.setBackground(QBrush(DIFFERENT))
                    item.setFont(bold)
                self.details.setItem(row, column, item)
        self.details.resizeRowsToContents()

    def _on_restore(self) -> None:
        index = self.selected_index()
        if 0 <= index < len(self.versions):
            self.restoreRequested.emit(index)
