"""Layer > Set layer CRS…: name the CRS a layer's coordinates are in (any EPSG code).

The coordinates stay as they are; only the CRS they are read in changes. That is the fix
for a shapefile without .prj or a wrong guess. pyproj checks the code as it is typed.
"""

from __future__ import annotations

import re

from pyproj import CRS
from pyproj.exceptions import CRSError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

# CRSs Dalian data comes in: WGS 84, CGCS2000, its 3-degree Gauss-Krüger zones 40/41 with and
# without the zone prefix, UTM 51N, Web Mercator.
COMMON_CODES = ("EPSG:4326", "EPSG:4490", "EPSG:4529", "EPSG:4528", "EPSG:4550", "EPSG:4549", "EPSG:32651",
                "EPSG:3857")


def parse_crs_code(text: str) -> tuple[str, str] | None:
    """('EPSG:4529', its name) for '4529', 'EPSG:4529', 'epsg 4529' or any AUTHORITY:CODE pyproj
    knows; None for anything else.

    >>> parse_crs_code(" epsg:4529 ")
    ('EPSG:4529', 'CGCS2000 / 3-degree Gauss-Kruger zone 41')
    >>> parse_crs_code("999999") is None
    True
    """
    text = text.strip()
    if re.fullmatch(r"\d{4,6}", text):
        text = f"EPSG:{text}"
    match = re.fullmatch(r"([A-Za-z]+)[\s:]+(\d+)", text)
    if not match:
        return None
    code = f"{match[1].upper()}:{match[2]}"
    try:
        crs = CRS.from_user_input(code)
    except CRSError:
        return None
    return code, crs.name


class CrsDialog(QDialog):
    def __init__(self, layer_title: str, current_crs: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CrsDialog")
        self.setWindowTitle(self.tr("Set layer CRS"))
        intro = QLabel(self.tr("The coordinates of {layer} stay as they are; only the CRS they are read "
                               "in changes.").format(layer=layer_title), self)
        intro.setTextFormat(Qt.PlainText)
        intro.setWordWrap(True)
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("CrsCodeEdit")
        self.code_edit.setPlaceholderText("EPSG:4529")
        self.common = QComboBox(self)
        self.common.addItem(self.tr("Common for Dalian…"), "")
        for code in COMMON_CODES:
            self.common.addItem(f"{code} {CRS.from_user_input(code).name}", code)
        self.common.activated.connect(self._choose_common)
        self.name_label = QLabel(self)
        self.name_label.setObjectName("CrsNameLabel")
        self.name_label.setTextFormat(Qt.PlainText)
        self.name_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("EPSG code"), self.code_edit)
        form.addRow("", self.common)
        form.addRow(self.tr("CRS"), self.name_label)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.code_edit.textChanged.connect(self._check)
        self.code_edit.setText(current_crs if parse_crs_code(current_crs) else "")
        self._check()

    def _choose_common(self, index: int) -> None:
        code = self.common.itemData(index)
        if code:
            self.code_edit.setText(code)

    def _check(self) -> None:
        parsed = parse_crs_code(self.code_edit.text())
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(parsed is not None)
        if parsed is not None:
            self.name_label.setText(parsed[1])
        elif self.code_edit.text().strip():
            self.name_label.setText(self.tr("Unknown CRS code"))
        else:
            self.name_label.setText(self.tr("Type an EPSG code such as 4529"))

    def crs(self) -> str | None:
        parsed = parse_crs_code(self.code_edit.text())
        return parsed[0] if parsed else None
