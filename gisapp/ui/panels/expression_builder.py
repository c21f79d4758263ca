"""The expression builder shared by Select by expression and the field calculator.

An editor for the text, the layer's fields listed by alias (double-click inserts
``"name"``), the functions by group with their help, the values a field holds (double-click
inserts them as literals), and a live preview: how many features match, or the value for the
first feature, or the error with its position. The preview is evaluated on a worker thread
(:data:`EXPRESSION_THREAD`) a moment after typing stops, so a big layer never blocks typing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.analysis.expressions import (
    FUNCTIONS,
    GROUPS,
    VARIABLE_HELP,
    Expression,
    ExpressionError,
    layer_context,
)
from gisapp.core.analysis.expressions.context import Context
from gisapp.core.analysis.expressions.values import NULL, to_bool, to_python
from gisapp.core.model.fields import field_alias, value_label
from gisapp.core.model.layer import VectorLayer
from gisapp.ui.plain import plain_label, set_plain, tooltip
from gisapp.ui.workers import Job, JobRunner, WorkerThread

EXPRESSION_THREAD = WorkerThread("gisapp-expressions", yield_to_ui=True)  # lives as long as the program
PREVIEW_DELAY_MS = 250
MAX_LISTED_VALUES = 500
ERROR_COLOUR = "#b00020"


class Outcome:
    """What one evaluation gave: an error, or per-feature matches (filter) or values."""

    def __init__(self, text: str, error: ExpressionError | None = None, matches: np.ndarray | None = None,
                 value=None) -> None:
        self.text = text
        self.error = error
        self.matches = matches
        self.value = value


def evaluate_outcome(text: str, ctx: Context, mode: str) -> Outcome:
    """On the worker thread: ``mode`` is "filter" (which features match) or "value"."""
    try:
        expression = Expression(text)
        value = expression.evaluate(ctx)
        if mode == "filter":
            if value.kind == NULL:
                return Outcome(text, matches=np.zeros(ctx.n, dtype=bool), value=value)
            truth = to_bool(value, expression.root.pos)
            return Outcome(text, matches=truth.data & ~truth.null, value=value)
        return Outcome(text, value=value)
    except ExpressionError as error:
        return Outcome(text, error=error)


class ExpressionBuilder(QWidget):
    """``outcome`` is the last evaluation of the current text (None while it is evaluated)."""

    evaluated = Signal()

    def __init__(self, layer: VectorLayer, lang: str, mode: str = "filter", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExpressionBuilder")
        self.layer = layer
        self.lang = lang
        self.mode = mode
        self.outcome: Outcome | None = None
        self._job: Job | None = None
        self.runner = JobRunner(EXPRESSION_THREAD, self)
        self.runner.finished.connect(self._finished)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.evaluate_now)

        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("ExpressionEdit")
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self._text_changed)
        self.operators = QHBoxLayout()
        for op in ("=", "<>", ">", "<", "+", "-", "*", "/", "||", "AND", "OR", "NOT", "LIKE", "IN", "IS NULL",
                   "(", ")"):
            button = QPushButton(op, self)
            button.setObjectName(f"Operator {op}")
            button.setAutoDefault(False)
            button.setMaximumWidth(56)
            button.clicked.connect(lambda _c=False, op=op: self.insert(f" {op} " if op[0].isalpha() or len(op) > 1
                                                                        or op in "=<>+-*/" else op))
            self.operators.addWidget(button)
        self.operators.addStretch(1)

        self.fields = QListWidget(self)
        self.fields.setObjectName("ExpressionFields")
        self.fields.itemDoubleClicked.connect(lambda item: self.insert(f'"{item.data(Qt.UserRole)}"'))
        self.fields.currentItemChanged.connect(lambda *_: self._show_field_help())
        self.functions = QTreeWidget(self)
        self.functions.setObjectName("ExpressionFunctions")
        self.functions.setHeaderHidden(True)
        self.functions.itemDoubleClicked.connect(self._insert_function)
        self.functions.currentItemChanged.connect(lambda *_: self._show_function_help())
        self.values = QListWidget(self)
        self.values.setObjectName("ExpressionValues")
        self.values.itemDoubleClicked.connect(lambda item: self.insert(item.data(Qt.UserRole)))
        self.values_button = QPushButton(self)
        self.values_button.setAutoDefault(False)
        self.values_button.clicked.connect(self.load_values)
        self.help = plain_label(parent=self)
        self.help.setObjectName("ExpressionHelp")
        self.help.setWordWrap(True)
        self.preview = plain_label(parent=self)
        self.preview.setObjectName("ExpressionPreview")
        self.preview.setWordWrap(True)

        self.fields_title, self.functions_title, self.values_title = QLabel(self), QLabel(self), QLabel(self)
        columns = QSplitter(Qt.Horizontal, self)
        for title, widget, extra in ((self.fields_title, self.fields, None),
                                     (self.functions_title, self.functions, None),
                                     (self.values_title, self.values, self.values_button)):
            box = QWidget(columns)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(title)
            box_layout.addWidget(widget, 1)
            if extra is not None:
                box_layout.addWidget(extra)
            columns.addWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 2)
        layout.addLayout(self.operators)
        layout.addWidget(columns, 3)
        layout.addWidget(self.help)
        layout.addWidget(self.preview)
        self.retranslate()

    # --- texts --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.fields_title.setText(self.tr("Fields"))
        self.functions_title.setText(self.tr("Functions"))
        self.values_title.setText(self.tr("Values of the field"))
        self.values_button.setText(self.tr("Show values"))
        self.edit.setPlaceholderText(self.tr("e.g. \"status\" = 'planned' AND $area > 1000000"))
        self._fill_fields()
        self._fill_functions()
        self._show_outcome()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def _fill_fields(self) -> None:
        self.fields.clear()
        for column in self.layer.attribute_columns():
            alias = field_alias(column, self.lang, self.layer.field_aliases)
            item = QListWidgetItem(alias if alias == column else f"{alias}  ({column})", self.fields)
            item.setData(Qt.UserRole, column)
            item.setToolTip(tooltip(column))

    def _fill_functions(self) -> None:
        self.functions.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for key, title in GROUPS.items():
            groups[key] = QTreeWidgetItem(self.functions, [title(self.lang)])
        variables = QTreeWidgetItem(self.functions, [self.tr("Geometry and feature")])
        for name, help_text in VARIABLE_HELP.items():
            item = QTreeWidgetItem(variables, [f"${name}"])
            item.setData(0, Qt.UserRole, f"${name}")
            item.setData(0, Qt.UserRole + 1, help_text(self.lang))
        for name, spec in sorted(FUNCTIONS.items()):
            item = QTreeWidgetItem(groups[spec.group], [name])
            item.setData(0, Qt.UserRole, f"{name}(")
            item.setData(0, Qt.UserRole + 1, spec.help(self.lang))

    # --- editing the text ------------------------------------------------------------------------
    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def insert(self, text: str) -> None:
        cursor = self.edit.textCursor()
        cursor.insertText(text)
        self.edit.setTextCursor(cursor)
        self.edit.setFocus()

    def _insert_function(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        text = item.data(0, Qt.UserRole)
        if text:
            self.insert(text)

    def _show_function_help(self) -> None:
        item = self.functions.currentItem()
        set_plain(self.help, item.data(0, Qt.UserRole + 1) or "" if item is not None else "")

    def _show_field_help(self) -> None:
        item = self.fields.currentItem()
        if item is None:
            return
        column = item.data(Qt.UserRole)
        dtype = self.layer.frame[column].dtype
        set_plain(self.help, self.tr("Field {name} ({dtype}): double-click to insert it.").format(
            name=column, dtype=str(dtype)))
        self.values.clear()

    def load_values(self) -> None:
        """The distinct values of the current field (at most MAX_LISTED_VALUES), as literals."""
        item = self.fields.currentItem()
        self.values.clear()
        if item is None:
            set_plain(self.help, self.tr("Choose a field first."))
            return
        column = item.data(Qt.UserRole)
        series = self.layer.frame[column].dropna()
        uniques = series.drop_duplicates().head(MAX_LISTED_VALUES)
        try:
            uniques = uniques.sort_values()
        except TypeError:
            pass
        for value in uniques.tolist():
            if isinstance(value, bool):
                literal = "TRUE" if value else "FALSE"
            elif isinstance(value, (int, float, np.integer, np.floating)):
                literal = str(value)
            else:
                literal = "'" + str(value).replace("'", "''") + "'"
            label = value_label(column, value, self.lang)
            row = QListWidgetItem(label if label == str(value) else f"{value}  ({label})", self.values)
            row.setData(Qt.UserRole, literal)

    # --- evaluation --------------------------------------------------------------------------------
    def _text_changed(self) -> None:
        self.outcome = None
        if self._job is not None:
            self._job.cancel()
            self._job = None
        set_plain(self.preview, self.tr("Evaluating…"))
        self.timer.start()
        self.evaluated.emit()

    def evaluate_now(self) -> None:
        """Evaluate the current text on the worker thread (a snapshot of the layer's frame)."""
        self.timer.stop()
        text = self.text()
        if not text.strip():
            self.outcome = None
            set_plain(self.preview, self.tr("Type an expression, or double-click a field or function."))
            self.evaluated.emit()
            return
        ctx = layer_context(self.layer)
        self._job = self.runner.submit(Job(evaluate_outcome, text, ctx, self.mode))

    def _finished(self, job_id: int) -> None:
        job = self.runner.take(job_id)
        if job is None or job is not self._job:
            return
        self._job = None
        if job.error:
            self.outcome = Outcome(job.args[0], error=ExpressionError("unexpected_end", 0))
            set_plain(self.preview, self.tr("The expression could not be evaluated: {error}").format(error=job.error),
                      ERROR_COLOUR)
        else:
            outcome = job.result
            if outcome.text == self.text():
                self.outcome = outcome
            self._show_outcome()
        self.evaluated.emit()

    def busy(self) -> bool:
        return self.timer.isActive() or self._job is not None

    def _show_outcome(self) -> None:
        outcome = self.outcome
        if outcome is None:
            return
        if outcome.error is not None:
            set_plain(self.preview, outcome.error.message(self.lang), ERROR_COLOUR)
        elif self.mode == "filter" and outcome.matches is not None:
            set_plain(self.preview, self.tr("{count} of {total} features match").format(
                count=f"{int(outcome.matches.sum()):,}", total=f"{len(outcome.matches):,}"))
        elif outcome.value is not None:
            first = to_python(outcome.value)[:1]
            shown = "NULL" if not first or first[0] is None else str(first[0])
            if len(shown) > 80:
                shown = shown[:79] + "…"
            set_plain(self.preview, self.tr("First feature: {value}").format(value=shown))

    def shutdown(self) -> None:
        self.timer.stop()
        self.runner.shutdown()
