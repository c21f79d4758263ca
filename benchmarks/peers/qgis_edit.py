"""Peer: a vertex move and its undo in QGIS's edit buffer, until its map canvas shows them.

The same layer, style, canvas size and extent as ours; for each edit of the plan our run
wrote (the feature, the vertex our drag moved and where it put it), ``moveVertex`` inside an
edit command and a canvas refresh until it is drawn, then the undo stack's undo and a
refresh. A 5 ms timer measures the event loop (../input_script.py). Prints medians.
usage: /usr/bin/python3 qgis_edit.py IN.gpkg PLAN.json
"""
import json
import os
import statistics
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import input_script as script  # noqa: E402
from qgis import PyQt as qt  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsProject,
    QgsRectangle,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas  # noqa: E402
from qgis.PyQt import QtCore, QtGui  # noqa: E402

USES = ["R2 residential", "M1 industrial", "A3 education", "B1 commercial", "G1 park", "S1 road"]

app = QgsApplication([], True)
app.initQgis()
path, plan_path = sys.argv[1], sys.argv[2]
with open(plan_path) as f:
    plan = json.load(f)
layer = QgsVectorLayer(path + "|layername=parcels", "parcels", "ogr")
assert layer.isValid()
categories = []
for i, value in enumerate(USES):
    symbol = QgsSymbol.defaultSymbol(layer.geometryType())
    symbol.setColor(QtGui.QColor.fromHsv(i * 50, 160, 230))
    categories.append(QgsRendererCategory(value, symbol, value))
layer.setRenderer(QgsCategorizedSymbolRenderer("land_use", categories))
QgsProject.instance().addMapLayer(layer)

canvas = QgsMapCanvas()
canvas.resize(plan["width"], plan["height"])
canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
canvas.show()
app.processEvents()
probe = script.LatencyProbe(qt)
loop = QtCore.QEventLoop()


def refresh_and_wait(action):
    """Run ``action`` from the event loop, refresh, and return (ms until drawn, longest block)."""
    state = {}

    def check():
        if "start" in state and not canvas.isDrawing():
            state["end"] = time.perf_counter()
            QtCore.QTimer.singleShot(0, loop.quit)

    def go():
        state["start"] = time.perf_counter()
        action()
        canvas.refresh()

    canvas.mapCanvasRefreshed.connect(check)
    probe.start()
    QtCore.QTimer.singleShot(20, go)
    loop.exec_()
    block = probe.stop()
    canvas.mapCanvasRefreshed.disconnect(check)
    return 1000 * (state["end"] - state["start"]), block


start = time.perf_counter()
canvas.setLayers([layer])
canvas.setExtent(QgsRectangle(*plan["view"]))
first_render_ms, _ = refresh_and_wait(lambda: None)
layer.startEditing()

drags, undos = [], []
for edit in plan["edits"]:
    fid = edit["row"] + 1  # the parcels file's fids count from 1 in row order
    vertex = edit["vertex"]
    old = next(layer.getFeatures(QgsFeatureRequest(fid))).geometry().vertexAt(vertex)
    assert (old.x(), old.y()) == tuple(edit["from"]), (fid, old, edit)
    x, y = edit["to"]

    def move(fid=fid, vertex=vertex, x=x, y=y):
        layer.beginEditCommand("Move vertex")
        assert layer.moveVertex(x, y, fid, vertex)
        layer.endEditCommand()

    drags.append(refresh_and_wait(move))
    undos.append(refresh_and_wait(layer.undoStack().undo))
    restored = next(layer.getFeatures(QgsFeatureRequest(fid))).geometry().vertexAt(vertex)
    assert (restored.x(), restored.y()) == tuple(edit["from"]), "undo did not restore the vertex"
layer.rollBack()
print(f"first_render_s={first_render_ms / 1000:.2f} drag_ms={statistics.median(d for d, _ in drags):.1f} "
      f"drag_block_ms={statistics.median(b for _, b in drags):.1f} "
      f"undo_ms={statistics.median(d for d, _ in undos):.1f} undo_block_ms={statistics.median(b for _, b in undos):.1f} "
      f"worst_block_ms={max(b for _, b in drags + undos):.1f}")
