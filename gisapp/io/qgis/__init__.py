"""QGIS interoperability without QGIS: styles as QML, the GeoPackage ``layer_styles`` table."""

from gisapp.io.qgis.qml import LabelSettings, StyleImport, qml_to_style, style_to_qml

__all__ = ["LabelSettings", "StyleImport", "qml_to_style", "style_to_qml"]
