"""Shared set-up of the QGIS peers: the application, the parcel layer styled as ours, a map
canvas, and waiting for its render. Runs with Debian's Python and QGIS's PyQt5 (no gisapp
imports); importing it makes Qt offscreen and benchmarks/ importable (input_script)."""
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt import QtCore, QtGui, QtWidgets  # noqa: E402,F401 (input_script finds them on qgis.PyQt)

USES = ["R2 residential", "M1 industrial", "A3 education", "B1 commercial", "G1 park", "S1 road"]
WEB_MERCATOR = "EPSG:3857"


def start_qgis(gui=True, profile=None):
    """The QgsApplication, initialised (``profile``: a settings folder of its own, e.g. an
    empty network cache)."""
    app = QgsApplication([], gui, profile) if profile else QgsApplication([], gui)
    app.initQgis()
    return app


def open_parcels(path, categorized=True):
    """The ``parcels`` layer of ``path`` (opened lazily, as QGIS does), added to the project;
    categorized by land_use with the colours ours uses unless ``categorized`` is false."""
    layer = QgsVectorLayer(path + "|layername=parcels", "parcels", "ogr")
    assert layer.isValid(), path
    if categorized:
        categories = []
        for i, value in enumerate(USES):
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(QtGui.QColor.fromHsv(i * 50, 160, 230))
            categories.append(QgsRendererCategory(value, symbol, value))
        layer.setRenderer(QgsCategorizedSymbolRenderer("land_use", categories))
    QgsProject.instance().addMapLayer(layer)
    return layer


def full_extent(layer):
    """The layer's extent in EPSG:3857, as the canvas's zoom to layer computes it."""
    transform = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem(WEB_MERCATOR), QgsProject.instance())
    return transform.transformBoundingBox(layer.extent())


def make_canvas(app, width, height):
    """A QgsMapCanvas in EPSG:3857 of the given size, shown (offscreen)."""
    from qgis.gui import QgsMapCanvas

    canvas = QgsMapCanvas()
    canvas.resize(width, height)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(WEB_MERCATOR))
    canvas.show()
    app.processEvents()
    return canvas


def run_until_rendered(canvas, loop, after_ms=0):
    """Run ``loop`` until the canvas has finished a render (begun at least ``after_ms`` from
    now, when input is still being posted until then)."""
    state = {"posted": after_ms == 0}

    def check():
        if state["posted"] and not canvas.isDrawing():
            QtCore.QTimer.singleShot(0, loop.quit)

    canvas.mapCanvasRefreshed.connect(check)
    if after_ms:
        QtCore.QTimer.singleShot(after_ms + 10, lambda: (state.update(posted=True), check()))
    loop.exec_()
    canvas.mapCanvasRefreshed.disconnect(check)
