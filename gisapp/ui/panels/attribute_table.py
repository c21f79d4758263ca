"""Attribute table: sort, filter, edit, and a selection kept in step with the map.

Sorting and filtering happen in the model with numpy/pandas on whole columns, and
cells are read lazily, so the table opens quickly on large layers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.model.fields import CODED_VALUES, field_alias, value_label
from gisapp.core.model.layer import VectorLayer
from gisapp.ui.plain import plain_label, set_plain, tooltip

_CELL_ROLES = frozenset(int(role) for role in (Qt.DisplayRole, Qt.ToolTipRole, Qt.TextAlignmentRole, Qt.EditRole))
_ALIGNMENT_ROLE = int(Qt.TextAlignmentRole)
_TOOLTIP_ROLE = int(Qt.ToolTipRole)
_RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
_EDIT_ROLE = int(Qt.EditRole)
LABELLED_COLUMNS = frozenset(CODED_VALUES) | {"source"}


class FrameTableModel(QAbstractTableModel):
    """Rows of a layer in a sort/filter order held as an array of frame positions.

    Cells are editable while ``can_edit()`` is true; an edit goes to ``editor(frame row,
    column, text)``, which makes it an undoable edit with the column's type and returns
    a message when the value does not fit (the cell then keeps its value).
    """

    editFailed = Signal(str)

    def __init__(self, layer: VectorLayer, parent=None, lang: str = "en") -> None:
        super().__init__(parent)
        self.layer = layer
        self.lang = lang  # headers show field aliases, coded cells their labels (core.model.fields)
        self.can_edit = lambda: False
        self.editor = None
        self.columns = layer.attribute_columns()
        self.order = np.arange(len(layer.frame), dtype=np.int64)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._filter = ("", None)
        # Cell values per column, read on first use: frame[column] builds a pandas Series
        # (~0.1 ms), too slow for every cell the view asks for.
        self._values: dict[int, np.ndarray | ArrowCells] = {}
        self._values_frame = layer.frame
        self._positions: np.ndarray | None = None  # frame row -> view row, for self.order

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        # Called for every role of every cell on screen (32,000 times when columns are sized
        # to their contents): plain int and set tests, no Qt enum comparisons.
        role = int(role)
        if role not in _CELL_ROLES or not index.isValid():
            return None
        value = self.column_values(index.column())[self.order[index.row()]]
        if role == _ALIGNMENT_ROLE:
            return _RIGHT if isinstance(value, (int, float, np.number)) else None
        if isinstance(value, str):
            column = self.columns[index.column()]
            # An edit starts from the stored value; what is read is the label.
            text = value if role == _EDIT_ROLE or column not in LABELLED_COLUMNS else value_label(column, value, self.lang)
        elif value is None or pd.isna(value):
            text = ""
        else:
            text = str(value)
        # Cells draw plain text; a tooltip would read '<img src=...>' as HTML.
        return tooltip(text) if role == _TOOLTIP_ROLE else text

    def column_values(self, column: int) -> np.ndarray | ArrowCells:
        """The values of one column in frame order, indexed by frame row: numbers as numpy,
        Arrow text as :class:`ArrowCells`, others as objects (what ``frame[name].iat[row]``
        returns, None or NaN where missing)."""
        if self._values_frame is not self.layer.frame:
            self._values, self._values_frame = {}, self.layer.frame
        values = self._values.get(column)
        if values is None:
            series = self.layer.frame[self.columns[column]]
            plain_number = isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf"
            arrow = _arrow_text(series)
            values = (series.to_numpy() if plain_number else ArrowCells(arrow) if arrow is not None
                      else series.to_numpy(dtype=object))
            self._values[column] = values
        return values

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        flags = super().flags(index)
        if index.isValid() and self.editor is not None and self.can_edit():
            flags |= Qt.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:
        if not index.isValid() or role != Qt.EditRole or self.editor is None or not self.can_edit():
            return False
        message = self.editor(self.frame_row(index.row()), self.columns[index.column()], value)
        if message:
            self.editFailed.emit(message)
            return False
        self.dataChanged.emit(index, index)
        return True

    def refresh(self) -> None:
        """The layer's data changed (an edit, undo or discard): re-read it, keep sort and filter."""
        self.beginResetModel()
        self.columns = self.layer.attribute_columns()
        self._values = {}
        self._apply_order()
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and 0 <= section < len(self.columns):
            return tooltip(str(self.columns[section]))  # the stored field name behind the alias
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            return field_alias(str(self.columns[section]), self.lang, self.layer.field_aliases)
        return str(int(self.order[section]) + 1) if 0 <= section < len(self.order) else None

    def frame_row(self, view_row: int) -> int:
        return int(self.order[view_row])

    def view_rows(self, frame_rows: np.ndarray) -> np.ndarray:
        position = self._positions
        if position is None or len(position) != len(self.layer.frame):
            position = np.full(len(self.layer.frame), -1, dtype=np.int64)
            position[self.order] = np.arange(len(self.order))
            self._positions = position
        found = position[np.asarray(frame_rows, dtype=np.int64)]
        return found[found >= 0]

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        # Qt asks for column 0 when sorting is switched on, and -1 for "unsorted": a layer
        # without attribute columns has no column 0.
        self._sort = (column, order) if 0 <= column < len(self.columns) else None
        self._apply()

    def set_filter(self, text: str, column: str | None = None) -> None:
        self._filter = (text.strip(), column)
        self._apply()

    def _apply(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self._apply_order()
        self.layoutChanged.emit()

    def _apply_order(self) -> None:
        frame = self.layer.frame
        rows = np.arange(len(frame), dtype=np.int64)
        text, column = self._filter
        if text:
            columns = [column] if column else self.columns
            mask = np.zeros(len(frame), dtype=bool)
            for name in columns:
                values = frame[name].astype("string").fillna("")
                mask |= values.str.contains(text, case=False, regex=False).to_numpy(dtype=bool)
            rows = rows[mask]
        if self._sort is not None and self._sort[0] >= len(self.columns):
            self._sort = None  # the column went away (an edit, undo or discard)
        if self._sort is not None:
            column_index, order = self._sort
            series = frame[self.columns[column_index]]
            if len(rows) != len(frame):
                series = series.iloc[rows]
            positions = _sort_positions(series)
            if order == Qt.DescendingOrder:
                positions = positions[::-1]
            rows = rows[positions]
        self.order = rows
        self._positions = None


class ArrowCells:
    """A text column's cells as Python strings (None where missing), one at a time from its
    Arrow array: a million-row column as an object array costs about 100 MB of str objects,
    kept while the table is open. The view asks for a cell once per role: the last few
    thousand are remembered."""

    MEMO = 4096

    def __init__(self, values: pa.ChunkedArray) -> None:
        self._values = values
        self._memo: dict[int, object] = {}

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, row) -> object:
        row = int(row)
        memo = self._memo
        if row in memo:
            return memo[row]
        if len(memo) >= self.MEMO:
            memo.clear()
        value = memo[row] = self._values[row].as_py()
        return value


def _arrow_text(series: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow array behind a text column stored in Arrow (pandas' default with pyarrow), or None."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        values = series.array.__arrow_array__()
        return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    return None


def _sort_positions(series: pd.Series) -> np.ndarray:
    """Positions that sort ``series`` ascending, stable (see :func:`_sort_keys`). Text in
    Arrow is sorted by Arrow (UTF-8 byte order is code point order, as Python compares),
    without a Python string per row."""
    keys = _sort_keys(series, arrow_text=True)
    if isinstance(keys, pa.ChunkedArray):
        return pc.sort_indices(keys).to_numpy().astype(np.int64)  # Arrow's sort is stable
    return np.argsort(keys, kind="stable")


def _sort_keys(series: pd.Series, arrow_text: bool = False) -> np.ndarray | pa.ChunkedArray:
    """Numbers if every value present reads as a number, else text ('' for missing; an
    Arrow array with ``arrow_text`` where the column is Arrow text)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        numeric = series
    else:
        present = series.dropna()
        # One value in the first thousands that is not a number settles it without
        # parsing a million strings (2 s).
        sample = present.iloc[:2000]
        if len(sample) and pd.to_numeric(sample, errors="coerce").isna().any():
            numeric = None
        else:
            numeric = pd.to_numeric(series, errors="coerce")
            if numeric.notna().sum() != len(present):
                numeric = None
    if numeric is not None:
        if isinstance(numeric.dtype, np.dtype) and numeric.dtype.kind in "iu":
            return numeric.to_numpy()  # exact for large integers
        return numeric.to_numpy(dtype=float, na_value=np.nan)  # missing values sort last
    arrow = _arrow_text(series) if arrow_text else None
    if arrow is not None:
        return pc.fill_null(arrow, "")
    text = series if isinstance(series.dtype, pd.StringDtype) else series.astype("string")
    return text.fillna("").to_numpy(dtype=object)


class AttributeTable(QWidget):
    """Table of one layer; selecting rows selects features and the reverse."""

    def __init__(self, layer: VectorLayer, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.model = FrameTableModel(layer, self, lang)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_column = QComboBox(self)
        self.count_label = plain_label(parent=self)
        self.message_label = plain_label(parent=self)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        bar = QHBoxLayout()
        self.filter_label = QLabel(self)
        bar.addWidget(self.filter_label)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.filter_column)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.message_label)
        layout.addWidget(self.view)
        self._syncing = False
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_column.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.model.layoutChanged.connect(self._on_layer_selection)
        layer.selection_changed.connect(self._on_layer_selection)
        layer.changed.connect(self._on_layer_changed)
        self.model.editFailed.connect(self._show_message)
        self.model.modelReset.connect(self._on_layer_selection)
        self.retranslate()
        self._on_layer_selection()
        if len(self.model.columns) <= 12:
            self.view.resizeColumnsToContents()

    def detach(self) -> None:
        """Stop listening to the layer (the table is being closed)."""
        self.layer.changed.disconnect(self._on_layer_changed)

    def _on_layer_changed(self, reason: str) -> None:
        if reason in ("data", "aliases"):  # a field added or removed, or renamed by an alias
            self.model.refresh()

    def _show_message(self, text: str) -> None:
        set_plain(self.message_label, text, "#b00020")
        self.message_label.setVisible(bool(text))
        QTimer.singleShot(8000, self.message_label.hide)

    def retranslate(self) -> None:
        self.filter_label.setText(self.tr("Filter:"))
        self.filter_edit.setPlaceholderText(self.tr("text in any field"))
        current = self.filter_column.currentIndex()
        self.filter_column.blockSignals(True)
        self.filter_column.clear()
        self.filter_column.addItem(self.tr("All fields"), None)
        for column in self.model.columns:
            self.filter_column.addItem(field_alias(column, self.model.lang, self.layer.field_aliases), column)
        self.filter_column.setCurrentIndex(max(0, current))
        self.filter_column.blockSignals(False)
        self._update_count()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text(), self.filter_column.currentData())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{shown} of {total} features, {selected} selected").format(
            shown=self.model.rowCount(), total=len(self.layer), selected=len(self.layer.selection)))

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        rows = sorted({self.model.frame_row(index.row()) for index in self.view.selectionModel().selectedRows()})
        self._syncing = True
        try:
            self.layer.select(rows)
        finally:
            self._syncing = False
        self._update_count()

    def _on_layer_selection(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            selection = QItemSelection()
            last_column = max(0, self.model.columnCount() - 1)
            for view_row in self.model.view_rows(self.layer.selection).tolist():
                selection.select(self.model.index(view_row, 0), self.model.index(view_row, last_column))
            self.view.selectionModel().select(selection, QItemSelectionModel.ClearAndSelect)
            if len(self.layer.selection):
                first = self.model.view_rows(self.layer.selection[:1])
                if len(first):
                    self.view.scrollTo(self.model.index(int(first[0]), 0))
        finally:
            self._syncing = False
        self._update_count()
