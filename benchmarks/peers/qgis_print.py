"""Peer: QGIS's print layout exporter (QgsLayoutExporter) on an A3 landscape layout.

usage: /usr/bin/python3 qgis_print.py IN.gpkg OUT_DIR [DPI [SCALE]]
The layout matches benchmarks/bench_print.py: a map frame (10 mm margins, 300 mm wide,
the rest a side column) at the layer's full extent in EPSG:3857 (at SCALE if given), a title, a legend, a
scale bar and a north arrow; the layer categorized by land_use as in qgis_render.py.
Prints the seconds (wall clock and CPU) and bytes of a 300 dpi PDF and PNG of the page.
"""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsRendererCategory,
    QgsSymbol,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402

app = QgsApplication([], False)
app.initQgis()
path, out_dir = sys.argv[1], sys.argv[2]
dpi = float(sys.argv[3]) if len(sys.argv) > 3 else 300.0
scale = float(sys.argv[4]) if len(sys.argv) > 4 else None
start = time.perf_counter()
layer = QgsVectorLayer(path + "|layername=parcels", "parcels", "ogr")
assert layer.isValid()
categories = []
for i, value in enumerate(["R2 residential", "M1 industrial", "A3 education", "B1 commercial", "G1 park", "S1 road"]):
    symbol = QgsSymbol.defaultSymbol(layer.geometryType())
    symbol.setColor(QColor.fromHsv(i * 50, 160, 230))
    categories.append(QgsRendererCategory(value, symbol, value))
layer.setRenderer(QgsCategorizedSymbolRenderer("land_use", categories))
project = QgsProject.instance()
project.addMapLayer(layer)
project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
open_s = time.perf_counter() - start

mm = QgsUnitTypes.LayoutMillimeters
layout = QgsPrintLayout(project)
layout.initializeDefaults()
page = layout.pageCollection().page(0)
page.setPageSize("A3", page.Landscape)
map_item = QgsLayoutItemMap(layout)
map_item.attemptMove(QgsLayoutPoint(10, 10, mm))
map_item.attemptResize(QgsLayoutSize(300, 277, mm))
map_item.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
transform = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem("EPSG:3857"), project)
map_item.setLayers([layer])
map_item.setFrameEnabled(True)
layout.addLayoutItem(map_item)
map_item.setExtent(transform.transformBoundingBox(layer.extent()))  # this resizes the frame to the extent
map_item.attemptResize(QgsLayoutSize(300, 277, mm))  # the frame as ours, the extent grows about its centre
if scale:
    map_item.setScale(scale)  # about the same centre
title = QgsLayoutItemLabel(layout)
title.setText("Parcels of the Dalian High-tech Zone")
title.setFont(QFont("WenQuanYi Micro Hei", 16))
title.attemptMove(QgsLayoutPoint(315, 10, mm))
title.attemptResize(QgsLayoutSize(95, 20, mm))
layout.addLayoutItem(title)
legend = QgsLayoutItemLegend(layout)
legend.setLinkedMap(map_item)
legend.attemptMove(QgsLayoutPoint(315, 62, mm))
layout.addLayoutItem(legend)
scale_bar = QgsLayoutItemScaleBar(layout)
scale_bar.setStyle("Single Box")
scale_bar.setLinkedMap(map_item)
scale_bar.applyDefaultSize()
scale_bar.attemptMove(QgsLayoutPoint(331, 34, mm))
layout.addLayoutItem(scale_bar)
arrow = QgsLayoutItemPicture(layout)
arrow.setPicturePath(QgsApplication.defaultThemePath() + "/north_arrows/layout_default_north_arrow.svg")
arrow.setLinkedMap(map_item)
arrow.setNorthMode(QgsLayoutItemPicture.TrueNorth)
arrow.attemptMove(QgsLayoutPoint(315, 32, mm))
arrow.attemptResize(QgsLayoutSize(14, 18, mm))
layout.addLayoutItem(arrow)

exporter = QgsLayoutExporter(layout)
figures = {}
pdf_settings = QgsLayoutExporter.PdfExportSettings()
pdf_settings.dpi = dpi
pdf_settings.rasterizeWholeImage = False
pdf_settings.forceVectorOutput = True
pdf_path = os.path.join(out_dir, "qgis.pdf")
start, cpu = time.perf_counter(), time.process_time()
assert exporter.exportToPdf(pdf_path, pdf_settings) == QgsLayoutExporter.Success
figures["pdf_s"] = time.perf_counter() - start
figures["pdf_cpu_s"] = time.process_time() - cpu
figures["pdf_bytes"] = os.path.getsize(pdf_path)
image_settings = QgsLayoutExporter.ImageExportSettings()
image_settings.dpi = dpi
png_path = os.path.join(out_dir, "qgis.png")
start, cpu = time.perf_counter(), time.process_time()
assert exporter.exportToImage(png_path, image_settings) == QgsLayoutExporter.Success
figures["png_s"] = time.perf_counter() - start
figures["png_cpu_s"] = time.process_time() - cpu
figures["png_bytes"] = os.path.getsize(png_path)
print(f"features={layer.featureCount()} open_s={open_s:.3f} " + " ".join(f"{k}={v:.3f}" if k.endswith("_s") else
                                                                       f"{k}={int(v)}" for k, v in figures.items()))
