"""A style read from QGIS (QML, SLD, a project's layer) applied to a gisapp layer."""

from __future__ import annotations

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle
from gisapp.io.qgis.notes import StyleNote
from gisapp.io.qgis.qml import StyleImport

FAMILY_NAMES = {"polygon": "polygons", "line": "lines", "point": "points"}


class StyleRefused(ValueError):
    """The style cannot be applied to the layer (it is unreadable, or for another geometry)."""


def apply_style_import(layer: VectorLayer, found: StyleImport) -> list[StyleNote]:
    """Give ``layer`` the style, opacity and label field of ``found``; returns what was simplified.

    Raises :class:`StyleRefused`, leaving the layer as it was, when the style was made for
    another geometry type (a line style on polygons).
    """
    family = layer.geometry_family
    if found.geometry_family and found.geometry_family != family:
        raise StyleRefused(f"the style is for {FAMILY_NAMES[found.geometry_family]}, but the layer "
                           f"holds {FAMILY_NAMES[family]}")
    notes = list(found.notes)
    style = found.style
    if isinstance(style, CategorizedStyle | GraduatedStyle) and style.field not in layer.frame.columns:
        notes.append(StyleNote("field_missing", {"field": repr(style.field)}))
    label_field = found.labels.field
    if label_field and label_field not in layer.frame.columns:
        notes.append(StyleNote("label_field_missing", {"field": repr(label_field)}))
        label_field = ""
    layer.label_field = label_field
    layer.set_opacity(found.opacity)
    layer.set_style(style)
    return notes
