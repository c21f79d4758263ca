"""Edit > Note for the next PostGIS save…: a comment and a plan citation that the next save of
shared tables writes into their history (the audit table), as a commit message is kept.

The citation box offers the plan passages the project's indicators cite (as readable titles),
and takes any text. The note is cleared once a save has written it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)


class SaveNoteDialog(QDialog):
    def __init__(self, comment: str, citation: str, citations: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Note for the next PostGIS save"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("The next save of shared PostGIS tables keeps this note with every feature it "
                               "writes; colleagues read it in the feature history."))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.comment_edit = QPlainTextEdit(comment)
        self.comment_edit.setPlaceholderText(self.tr("What was changed and why, e.g. boundary follows the surveyed road"))
        self.comment_edit.setMinimumHeight(70)
        self.citation_box = QComboBox()
        self.citation_box.setEditable(True)
        self.citation_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.citation_box.addItems(citations)
        self.citation_box.setEditText(citation)
        self.citation_box.lineEdit().setPlaceholderText(self.tr("The plan passage the change follows (optional)"))
        self.citation_box.setMinimumContentsLength(40)
        form.addRow(self.tr("Comment"), self.comment_edit)
        form.addRow(self.tr("Plan citation"), self.citation_box)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 260)

    def note(self) -> tuple[str, str]:
        return self.comment_edit.toPlainText().strip(), self.citation_box.currentText().strip()


def plan_citations(project, lang: str) -> list[str]:
    """The passages the project's indicators cite, as readable titles, each once, in order."""
    from gisapp.core.model.fields import citation

    seen: dict[str, None] = {}
    for indicator in project.indicators.indicators:
        if indicator.source:
            seen.setdefault(citation(indicator.source, lang), None)
    return list(seen)
