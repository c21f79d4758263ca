"""A style read from QGIS (QML, SLD, a project's layer) applied to a gisapp layer."""

from __future__ import annotations

from gisapp.core.model.labels import template_fields
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle
from gisapp.io.qgis.notes import StyleNote
from gisapp.io.qgis.qml import LabelSettings, StyleImport

FAMILY_NAMES = {"polygon": "polygons", "line": "lines", "point": "points"}


class StyleRefused(ValueError):
    """The style cannot be applied to the layer (it is unreadable, or for another geometry)."""


def apply_style_import(layer: VectorLayer, found: StyleImport) -> list[StyleNote]:
    """Give ``layer`` the style, opacity and labels of ``found``; returns what was simplified.

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
    labels = found.labels
    missing = [name for name in ([labels.field] if labels.field else []) + template_fields(labels.text)
               if name not in layer.frame.columns]
    label_field, label_style = labels.field, labels.label_style()
    if missing:
        notes.append(StyleNote("label_field_missing", {"field": repr(missing[0])}))
        label_field, label_style = "", LabelSettings().label_style()
    layer.set_label_settings(label_field, label_style)
    layer.set_opacity(found.opacity)
    layer.set_style(style)
    return notes
