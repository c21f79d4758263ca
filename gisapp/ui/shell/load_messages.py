"""The message after opening files: what was refused, warned about or rejected, in the UI language.

The reports' texts come in both languages from :mod:`gisapp.core.model.load_report`; the box's
own words are Qt translations. Texts from files (names, GDAL's messages) reach the box only as
plain text: the box and its details never interpret markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.load_report import LoadReport
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.io.errors import GisIOError
from gisapp.io.postgis.connection import PostgisError

MAX_DETAIL_LINES = 2000


@dataclass
class OpenOutcome:
    """What one File > Open (or drop, or ``gisapp FILE...``) did."""

    opened: list[str] = field(default_factory=list)
    refused: list[GisIOError | PostgisError] = field(default_factory=list)
    layers: list[VectorLayer] = field(default_factory=list)  # added, or of the project opened
    rasters: list[RasterLayer] = field(default_factory=list)  # raster files added
    notes: list[str] = field(default_factory=list)  # what a project file had that was tolerated
    # What a QGIS project or style had that gisapp could not take over as it was (shown in the box).
    not_taken_over: list[str] = field(default_factory=list)

    def reports(self) -> list[LoadReport]:
        """Reports with something to say, once each (a split layer shares its file's report)."""
        seen, found = set(), []
        for layer in [*self.layers, *self.rasters]:
            report = layer.load_report
            if report is not None and report.has_problems and id(report) not in seen:
                seen.add(id(report))
                found.append(report)
        return found

    def untrusted_crs_layers(self) -> list[VectorLayer]:
        return [layer for layer in self.layers if isinstance(layer, VectorLayer)  # a raster from a QGIS project
                and layer.load_report is not None and not layer.load_report.crs_trusted]

    @property
    def has_news(self) -> bool:
        return bool(self.refused or self.reports() or self.not_taken_over)


def _file_name(report: LoadReport) -> str:
    from pathlib import Path

    return Path(report.source).name


def outcome_texts(outcome: OpenOutcome, lang: str) -> tuple[str, str, str, str]:
    """(title, text, informative text, details) for the message box."""
    lines = [str(problem) for problem in outcome.refused] + outcome.not_taken_over
    details: list[str] = []
    reports = outcome.reports()
    for report in reports:
        name = _file_name(report)
        where = name if report.layer in (name, name.rsplit(".", 1)[0]) else f"{name} — {report.layer}"
        lines.append(f"{where}: {report.summary_in(lang)}")
        details += [f"{where}: {rejected.message_in(lang)}" for rejected in report.rejected]
    if len(details) > MAX_DETAIL_LINES:
        more = len(details) - MAX_DETAIL_LINES
        details = details[:MAX_DETAIL_LINES] + [
            QCoreApplication.translate("LoadReport", "… and {count} more").format(count=more)]
    if (reports or outcome.not_taken_over) and not outcome.refused:
        title = QCoreApplication.translate("LoadReport", "Opened with problems")
    else:
        title = QCoreApplication.translate("LoadReport", "Some files could not be opened")
    notes = []
    if any(report.rejected for report in reports):
        notes.append(QCoreApplication.translate(
            "LoadReport", "Rejected features were not loaded (Show Details lists them). Saving the "
                          "project writes those layers without them."))
    if outcome.untrusted_crs_layers():
        notes.append(QCoreApplication.translate(
            "LoadReport", "Check where the layer lands; Layer > Set layer CRS… changes the CRS its "
                          "coordinates are read in."))
    return title, "\n".join(lines), "\n".join(notes), "\n".join(details)


def show_outcome(parent: QWidget, outcome: OpenOutcome, lang: str, set_crs=None) -> QMessageBox:
    """A window-modal, non-blocking message; ``set_crs(layer)`` is offered as a button when
    exactly one opened layer's CRS was assumed or guessed."""
    title, text, notes, details = outcome_texts(outcome, lang)
    box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, parent)
    box.setObjectName("LoadReportBox")
    box.setTextFormat(Qt.PlainText)  # file names and GDAL's words are never markup
    if notes:
        box.setInformativeText(notes)
    if details:
        box.setDetailedText(details)
    untrusted = outcome.untrusted_crs_layers()
    if set_crs is not None and len(untrusted) == 1:
        button = box.addButton(QCoreApplication.translate("LoadReport", "Set layer CRS…"),
                               QMessageBox.ActionRole)
        button.setObjectName("SetLayerCrsButton")
        button.clicked.connect(lambda: set_crs(untrusted[0]))
    box.open()
    return box
