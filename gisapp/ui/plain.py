"""Text from files shown as text, never as HTML.

Qt reads any string that *looks* like HTML as rich text (``Qt::AutoText``): a layer named
``<img src=photo.png>`` would show a local image in a tooltip, and ``<img src="/dev/zero">``
makes Qt read forever and abort. Layer, group, field and file names, attribute values,
indicator names and error messages all come from files. Every widget that shows such
text goes through this module:

- labels and message boxes are switched to ``Qt.PlainText`` (:func:`plain_label`,
  :func:`set_plain`, :func:`message_box`);
- tooltips are always auto-detected, so their text is escaped and wrapped
  (:func:`tooltip`);
- text put into an HTML template (the identify panel, the about box) is escaped with
  :func:`escape`.

Item views (tree and table cells, combo boxes, list items), window and dock titles, menu
entries and the status bar draw their text plainly already; their *tooltips* do not.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def escape(text: object) -> str:
    """``text`` for an HTML template: ``<``, ``>``, ``&`` and quotes as entities."""
    return html.escape(str(text), quote=True)


def tooltip(text: object) -> str:
    """A tooltip that shows ``text`` literally (line breaks kept, long lines wrapped);
    '' stays '' (no tooltip)."""
    text = str(text)
    if not text:
        return ""
    return GuiQt.convertFromPlainText(text, Qt.WhiteSpaceNormal)


def set_plain(label: QLabel, text: object, colour: str | None = None) -> None:
    """Show ``text`` on ``label`` as plain text, optionally in a colour (e.g. errors in red)."""
    label.setTextFormat(Qt.PlainText)
    label.setStyleSheet(f"color: {colour}" if colour else "")
    label.setText(str(text))


def plain_label(text: object = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never reads its text as HTML."""
    label = QLabel(parent)
    label.setTextFormat(Qt.PlainText)
    label.setText(str(text))
    return label


def message_box(icon: QMessageBox.Icon, title: str, text: str, buttons=QMessageBox.Ok,
                parent: QWidget | None = None, details: str = "") -> QMessageBox:
    """A QMessageBox whose text is plain (its detailed text is plain by nature)."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.PlainText)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    return box
