"""The conflict dialog: a save found features that someone else changed since they were loaded.

Per feature it shows mine and theirs on a small map (with the version as loaded, dotted) and
their attributes side by side, differences marked; the user keeps mine, takes theirs or edits
a result from both. The dialog is accepted only when every conflicting feature has a decision,
and a decision is made while that feature is shown, so nothing is overwritten unseen.

The dialog takes plain data (:class:`ConflictItem`), so it is built and tested without a
server; ``gisapp.ui.team.controller`` makes the items from the save's conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.ui.plain import plain_label, tooltip
from gisapp.ui.team.geometry_view import (
    BASE_SYMBOL,
    MINE_SYMBOL,
    THEIRS_SYMBOL,
    GeometryView,
    Shape,
)

MINE, THEIRS, EDITED = "mine", "theirs", "edited"
DIFFERENT = QColor("#fff1c2")


def shown(value: Any) -> str:
    """A cell value as text ('' for a missing value)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


@dataclass
class ConflictItem:
    """One feature changed both here and on the server since it was loaded."""

    key: int  # the row's primary key on the server
    title: str  # how the feature is named in the list (plain text)
    fields: list[str]
    mine: dict[str, Any] | None  # attributes now in this window; None: deleted here
    theirs: dict[str, Any] | None  # attributes on the server; None: deleted there
    base: dict[str, Any] | None = None  # attributes as loaded (None when not known)
    mine_geometry: Any = None  # geometries in a metric CRS, for the small map
    theirs_geometry: Any = None
    base_geometry: Any = None
    their_user: str = ""
    their_time: str = ""
    base_version: int = 0
    their_version: int = 0


@dataclass
class Resolution:
    key: int
    choice: str  # MINE, THEIRS or EDITED
    values: dict[str, str] = field(default_factory=dict)  # EDITED: each field's text as typed
    geometry_from: str = MINE  # EDITED: whose geometry the result keeps


class ConflictDialog(QDialog):
    """Decide each conflict; ``resolutions()`` after ``accept``. ``decided`` fires per decision."""

    decided = Signal(int, str)  # key, choice

    def __init__(self, layer_title: str, items: list[ConflictItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictDialog")
        self.items = list(items)
        self.layer_title = layer_title
        self._decisions: dict[int, Resolution] = {}
        self._editing = False
        self._filling = False

        self.intro = plain_label(parent=self)
        self.intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("ConflictList")
        self.header = plain_label(parent=self)
        self.header.setWordWrap(True)
        header_font = QFont(self.header.font())
        header_font.setBold(True)
        self.header.setFont(header_font)
        self.who = plain_label(parent=self)
        self.who.setWordWrap(True)
        self.map = GeometryView(self)
        self.map.setObjectName("ConflictMap")
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("ConflictAttributes")
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.setWordWrap(True)  # a difference at the end of a long value must not be elided away
        self.table.setTextElideMode(Qt.ElideNone)
        # Row heights follow the column widths (wrapped text), also once the widget is laid out.
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.itemChanged.connect(self._on_result_typed)
        self.geometry_choice = QComboBox(self)
        self.geometry_choice.setObjectName("ResultGeometry")
        self.geometry_choice.currentIndexChanged.connect(self._on_geometry_choice)
        self.geometry_label = plain_label(parent=self)
        self.keep_mine = QPushButton(self)
        self.keep_mine.setObjectName("KeepMine")
        self.take_theirs = QPushButton(self)
        self.take_theirs.setObjectName("TakeTheirs")
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("EditResult")
        self.edit_button.setCheckable(True)
        self.keep_mine.clicked.connect(lambda: self.decide(MINE))
        self.take_theirs.clicked.connect(lambda: self.decide(THEIRS))
        self.edit_button.toggled.connect(self._on_edit_toggled)
        self.state = plain_label(parent=self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.who)
        body = QSplitter(Qt.Vertical, right)
        body.addWidget(self.map)
        body.addWidget(self.table)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        right_layout.addWidget(body, 1)
        geometry_row = QHBoxLayout()
        geometry_row.addWidget(self.geometry_label)
        geometry_row.addWidget(self.geometry_choice)
        geometry_row.addStretch(1)
        right_layout.addLayout(geometry_row)
        choice_row = QHBoxLayout()
        for button in (self.keep_mine, self.take_theirs, self.edit_button):
            choice_row.addWidget(button)
        choice_row.addStretch(1)
        right_layout.addLayout(choice_row)
        split = QSplitter(Qt.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([280, 820])
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.list.currentRowChanged.connect(self._show)
        self.retranslate()
        for item in self.items:
            QListWidgetItem(item.title, self.list)
        self._refresh_list()
        if self.items:
            self.list.setCurrentRow(0)
        self.resize(1100, 720)

    # --- texts -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Conflicting edits — {layer}").format(layer=self.layer_title))
        self.intro.setText(self.tr(
            "Someone else saved changes to {n} of the features you edited since you loaded them. "
            "Nothing was written. Decide for each feature which version to keep; the save goes on "
            "when every feature has a decision.").format(n=len(self.items)))
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("As loaded"), self.tr("Mine"),
                                              self.tr("Theirs"), self.tr("Result")])
        self.keep_mine.setText(self.tr("Keep mine"))
        self.take_theirs.setText(self.tr("Take theirs"))
        self.edit_button.setText(self.tr("Edit result"))
        self.geometry_label.setText(self.tr("Result geometry:"))
        self.geometry_choice.blockSignals(True)
        index = max(0, self.geometry_choice.currentIndex())
        self.geometry_choice.clear()
        self.geometry_choice.addItems([self.tr("Mine"), self.tr("Theirs")])
        self.geometry_choice.setCurrentIndex(index)
        self.geometry_choice.blockSignals(False)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Save with these decisions"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel the save"))
        self._refresh_list()
        if self.current() is not None:
            self._show(self.list.currentRow())

    def choice_text(self, choice: str | None) -> str:
        return {MINE: self.tr("keep mine"), THEIRS: self.tr("take theirs"),
                EDITED: self.tr("edited")}.get(choice or "", self.tr("undecided"))

    # --- state -----------------------------------------------------------------------------
    def current(self) -> ConflictItem | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def resolutions(self) -> list[Resolution]:
        return [self._decisions[item.key] for item in self.items if item.key in self._decisions]

    def undecided(self) -> list[ConflictItem]:
        return [item for item in self.items if item.key not in self._decisions]

    def decide(self, choice: str) -> None:
        """Decide the feature shown (keep mine, take theirs, or the edited result)."""
        item = self.current()
        if item is None:
            return
        if choice == EDITED:
            self._decisions[item.key] = Resolution(item.key, EDITED, self._typed_result(),
                                                   THEIRS if self.geometry_choice.currentIndex() == 1 else MINE)
        else:
            self._decisions[item.key] = Resolution(item.key, choice)
            if self.edit_button.isChecked():
                self.edit_button.setChecked(False)
        self._refresh_list()
        self._fill_result(item)
        self.decided.emit(item.key, choice)
        pending = self.undecided()
        if pending and choice != EDITED:
            self.list.setCurrentRow(self.items.index(pending[0]))

    def _refresh_list(self) -> None:
        for row, item in enumerate(self.items):
            entry = self.list.item(row)
            if entry is None:
                continue
            decision = self._decisions.get(item.key)
            entry.setText(f"{item.title}  ({self.choice_text(decision.choice if decision else None)})")
            entry.setForeground(QBrush(QColor("#1a7f37" if decision else "#b00020")))
        left = len(self.undecided())
        ok = self.buttons.button(QDialogButtonBox.Ok)
        ok.setEnabled(left == 0 and bool(self.items))
        self.state.setText(self.tr("{n} feature(s) still to decide").format(n=left) if left
                           else self.tr("Every feature has a decision."))

    # --- showing one feature --------------------------------------------------------------
    def _show(self, row: int) -> None:
        item = self.current()
        if item is None:
            return
        self.header.setText(item.title)
        who = item.their_user or self.tr("another editor")
        parts = [self.tr("Changed on the server by {user} at {time} (version {base} → {theirs}).").format(
            user=who, time=item.their_time or "?", base=item.base_version, theirs=item.their_version)]
        if item.theirs is None:
            parts.append(self.tr("They deleted this feature."))
        if item.mine is None:
            parts.append(self.tr("You deleted this feature: keep your delete, or cancel the save and undo "
                                 "the delete to keep theirs."))
        self.who.setText(" ".join(parts))
        self.take_theirs.setEnabled(item.mine is not None)
        self.edit_button.setEnabled(item.mine is not None and item.theirs is not None)
        shapes = []
        if item.base_geometry is not None:
            shapes.append(Shape(item.base_geometry, BASE_SYMBOL, self.tr("As loaded")))
        shapes.append(Shape(item.theirs_geometry, THEIRS_SYMBOL, self.tr("Theirs")))
        shapes.append(Shape(item.mine_geometry, MINE_SYMBOL, self.tr("Mine")))
        self.map.set_shapes(shapes, self.tr("No geometry on either side."))
        decision = self._decisions.get(item.key)
        self._editing = decision is not None and decision.choice == EDITED
        self.edit_button.blockSignals(True)
        self.edit_button.setChecked(self._editing)
        self.edit_button.blockSignals(False)
        self.geometry_choice.blockSignals(True)
        self.geometry_choice.setCurrentIndex(1 if decision is not None and decision.geometry_from == THEIRS else 0)
        self.geometry_choice.blockSignals(False)
        self._fill_table(item)

    def _fill_table(self, item: ConflictItem) -> None:
        self._filling = True
        self.table.setRowCount(len(item.fields))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, name in enumerate(item.fields):
            values = [shown((side or {}).get(name)) if side is not None else "" for side in
                      (item.base, item.mine, item.theirs)]
            differs = values[1] != values[2]
            cells = [name, *values]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tooltip(text))
                cell.setFlags(Qt.ItemIsEnabled)
                if differs:
                    cell.setBackground(QBrush(DIFFERENT))
                    cell.setFont(bold)
                self.table.setItem(row, column, cell)
        self._filling = False
        self._fill_result(item)
        self.table.resizeRowsToContents()

    def _fill_result(self, item: ConflictItem) -> None:
        decision = self._decisions.get(item.key)
        self._filling = True
        for row, name in enumerate(item.fields):
            if decision is None:
                text = ""
            elif decision.choice == EDITED:
                text = decision.values.get(name, "")
            else:
                source = item.mine if decision.choice == MINE else item.theirs
                text = shown((source or {}).get(name))
            if self._editing and decision is None:
                text = shown((item.mine or {}).get(name))
            cell = QTableWidgetItem(text)
            flags = Qt.ItemIsEnabled | (Qt.ItemIsEditable | Qt.ItemIsSelectable if self._editing else Qt.NoItemFlags)
            cell.setFlags(flags)
            if self._editing:
                cell.setBackground(QBrush(QColor("#e8f4ff")))
            self.table.setItem(row, 4, cell)
        self.table.setEditTriggers(QAbstractItemView.AllEditTriggers if self._editing
                                   else QAbstractItemView.NoEditTriggers)
        self.geometry_choice.setEnabled(self._editing)
        self._filling = False

    def _typed_result(self) -> dict[str, str]:
        item = self.current()
        if item is None:
            return {}
        values = {}
        for row, name in enumerate(item.fields):
            cell = self.table.item(row, 4)
            values[name] = cell.text() if cell is not None else ""
        return values

    # --- editing a result ---------------------------------------------------------------
    def _on_edit_toggled(self, on: bool) -> None:
        item = self.current()
        if item is None:
            return
        self._editing = on
        if on:
            self._fill_result(item)  # starts from mine (or from the result decided before)
            self.decide(EDITED)
        elif self._decisions.get(item.key) is not None and self._decisions[item.key].choice == EDITED:
            self._fill_result(item)

    def set_result(self, field_name: str, text: str) -> None:
        """Type ``text`` into the result column of ``field_name`` (as a person would)."""
        item = self.current()
        if item is None or not self._editing:
            raise RuntimeError("the result is edited only after 'Edit result'")
        row = item.fields.index(field_name)
        self.table.item(row, 4).setText(text)

    def _on_result_typed(self, cell: QTableWidgetItem) -> None:
        if self._filling or cell.column() != 4 or not self._editing:
            return
        self.decide(EDITED)

    def _on_geometry_choice(self, _index: int) -> None:
        if self._editing:
            self.decide(EDITED)

    def accept(self) -> None:
        if self.undecided():
            return  # the OK button is disabled then; a programmatic accept changes nothing
        super().accept()
