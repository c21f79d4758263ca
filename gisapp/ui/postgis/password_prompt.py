"""The password a server asks for, typed when it asks (opening a published project, reading
a table): kept in memory for the session, or in the system keyring when the user ticks it;
never in settings or projects."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from gisapp.io.postgis.connection import ConnectionSpec


class PasswordDialog(QDialog):
    def __init__(self, spec: ConnectionSpec, problem: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("PostGIS password"))
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("{server} asks for the password of {user}.").format(
            server=spec.display(), user=spec.user or self.tr("the default user")) + "\n" + problem)
        text.setTextFormat(Qt.TextFormat.PlainText)  # the server's words, never rich text
        text.setWordWrap(True)
        layout.addWidget(text)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password_edit)
        self.remember_box = QCheckBox(self.tr("Remember in the system keyring"))
        layout.addWidget(self.remember_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(440, 160)


def ask_password(parent, spec: ConnectionSpec, problem: str) -> tuple[str, bool] | None:
    """(password, remember) or None when the user cancels."""
    dialog = PasswordDialog(spec, problem, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.password_edit.text(), dialog.remember_box.isChecked()
