"""A style read from QGIS (QML, SLD, a project's layer) applied to a gisapp layer."""

from __future__ import annotations

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle
from gisapp.io.qgis.notes import StyleNote
from gisapp.io.qgis.qml import LabelSettings, StyleImport

FAMILY_NAMES = {"polygon": "polygons", "line": "lines", "point": "points"}


def _look(labels: LabelSettings) -> tuple[object, ...]:
    """How labels look, to the precision the files store (an alpha byte, two decimals)."""
    return tuple(round(v, 2) if isinstance(v, float) else v for k, v in vars(labels).items() if k != "field")


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
    if label_field and _look(found.labels) != _look(LabelSettings()):
        notes.append(StyleNote("label_style"))  # the canvas draws every layer's labels one way
    layer.label_field = label_field
    layer.set_opacity(found.opacity)
    layer.set_style(style)
    return notes
