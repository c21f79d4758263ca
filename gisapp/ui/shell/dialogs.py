"""Questions the window asks (save before closing? discard edits? which attributes to keep?).

The main window holds these as plain attributes (``window.ask``, ``window.choose``, ``window.ask_crs``,
``window.get_save_path``) so tests replace them with functions that answer at once.
The defaults are modal dialogs; under the offscreen platform (tests, screenshots)
they raise instead of blocking forever.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMessageBox, QWidget

from gisapp.ui.plain import message_box


class NoInteractiveDialog(RuntimeError):
    pass


def _check_interactive(title: str) -> None:
    if QGuiApplication.platformName() == "offscreen":
        raise NoInteractiveDialog(f"a modal dialog ({title!r}) cannot be answered offscreen; "
                                  "replace window.ask / window.choose / window.get_save_path")


def ask_user(parent: QWidget, title: str, text: str, buttons: list[tuple[str, str]],
             default: str | None = None) -> str:
    """Ask with buttons given as (key, label); returns the key, or 'cancel' if closed."""
    _check_interactive(title)
    box = message_box(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)  # names layers
    box.setObjectName("AskBox")
    keys = {}
    for key, label in buttons:
        role = (QMessageBox.RejectRole if key == "cancel"
                else QMessageBox.DestructiveRole if key == "discard" else QMessageBox.AcceptRole)
        button = box.addButton(label, role)
        keys[button] = key
        if key == default:
            box.setDefaultButton(button)
    box.exec()
    return keys.get(box.clickedButton(), "cancel")


def choose_item(parent: QWidget, title: str, text: str, options: list[str]) -> int | None:
    """Index of the option the user picks, or None."""
    _check_interactive(title)
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(text)
    dialog.setComboBoxItems(options)
    dialog.setComboBoxEditable(False)
    for label in dialog.findChildren(QLabel):  # the question may quote field names
        label.setTextFormat(Qt.PlainText)
    ok = dialog.exec() == QInputDialog.Accepted
    item = dialog.textValue()
    return options.index(item) if ok and item in options else None


def save_path(parent: QWidget, title: str, start: str, filters: str) -> str:
    """A path to write, or '' if the user cancels."""
    _check_interactive(title)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    return path


def ask_crs(parent: QWidget, layer_title: str, current: str) -> str | None:
    """An EPSG code for a layer's coordinates (Layer > Set layer CRS…), or None if cancelled."""
    from gisapp.ui.panels.crs_dialog import CrsDialog

    _check_interactive("Set layer CRS")
    dialog = CrsDialog(layer_title, current, parent)
    return dialog.crs() if dialog.exec() == CrsDialog.Accepted else None
