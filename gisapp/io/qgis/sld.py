"""gisapp styles as OGC SLD 1.1 (Symbology Encoding), for the ``styleSLD`` column of ``layer_styles``.

QGIS loads the QML; SLD is for the other readers of a GeoPackage (GeoServer, QGIS's
"Load style from SLD"). The layout follows what QGIS 3.22 exports (``QgsVectorLayer::exportSldStyle``):
one ``se:Rule`` per category or class with an ``ogc:Filter``, a polygon, line or point
symbolizer with ``se:SvgParameter``s, and a ``se:TextSymbolizer`` for labels. Widths and
sizes are in pixels, as gisapp draws them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gisapp.core.geo.label_placement import DIAGONAL
from gisapp.core.model.labels import POSITIONS, LabelStyle
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle, SingleStyle, Style, Symbol

SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
NAMESPACES = {"": SLD, "se": SE, "ogc": OGC, "xlink": "http://www.w3.org/1999/xlink",
              "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
DASHES = {"dash": "4 2", "dot": "1 2"}


def _se(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{SE}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _parameter(parent: ET.Element, name: str, value: str) -> None:
    _se(parent, "SvgParameter", value, name=name)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _stroke(parent: ET.Element, symbol: Symbol) -> None:
    if symbol.stroke_style == "none" or symbol.stroke_width <= 0:
        return
    stroke = _se(parent, "Stroke")
    _parameter(stroke, "stroke", symbol.stroke)
    _parameter(stroke, "stroke-width", _number(symbol.stroke_width))
    _parameter(stroke, "stroke-linejoin", "round")
    if symbol.stroke_style in DASHES:
        _parameter(stroke, "stroke-dasharray", DASHES[symbol.stroke_style])


def _fill(parent: ET.Element, symbol: Symbol) -> None:
    fill = _se(parent, "Fill")
    _parameter(fill, "fill", symbol.fill)
    _parameter(fill, "fill-opacity", _number(symbol.fill_opacity))


def _symbolizer(rule: ET.Element, symbol: Symbol, family: str) -> None:
    if family == "polygon":
        element = _se(rule, "PolygonSymbolizer")
        _fill(element, symbol)
        _stroke(element, symbol)
    elif family == "line":
        _stroke(_se(rule, "LineSymbolizer"), symbol)
    else:
        graphic = _se(_se(rule, "PointSymbolizer"), "Graphic")
        mark = _se(graphic, "Mark")
        _se(mark, "WellKnownName", symbol.marker)
        _fill(mark, symbol)
        _stroke(mark, symbol)
        _se(graphic, "Size", _number(symbol.size))


def _comparison(parent: ET.Element, operator: str, field: str, value: str) -> None:
    element = ET.SubElement(parent, f"{{{OGC}}}{operator}")
    ET.SubElement(element, f"{{{OGC}}}PropertyName").text = field
    ET.SubElement(element, f"{{{OGC}}}Literal").text = value


def _rule(style_element: ET.Element, name: str) -> ET.Element:
    rule = _se(style_element, "Rule")
    _se(rule, "Name", name)
    _se(_se(rule, "Description"), "Title", name)
    return rule


def _rules(feature_style: ET.Element, style: Style, family: str) -> None:
    if isinstance(style, CategorizedStyle):
        for category in style.categories:
            rule = _rule(feature_style, category.label_zh or category.value)
            _comparison(ET.SubElement(rule, f"{{{OGC}}}Filter"), "PropertyIsEqualTo", style.field, category.value)
            _symbolizer(rule, category.symbol, family)
        other = _rule(feature_style, "其他")
        _se(other, "ElseFilter")
        _symbolizer(other, style.default, family)
    elif isinstance(style, GraduatedStyle):
        legend = style.legend()
        lower: float | None = None
        for index, (upper, symbol) in enumerate(zip(style.breaks, style.symbols_, strict=False)):
            rule = _rule(feature_style, legend[index].label_zh)
            condition = ET.SubElement(rule, f"{{{OGC}}}Filter")
            if lower is not None:
                condition = ET.SubElement(condition, f"{{{OGC}}}And")
                _comparison(condition, "PropertyIsGreaterThan", style.field, _number(lower))
            _comparison(condition, "PropertyIsLessThanOrEqualTo", style.field, _number(upper))
            _symbolizer(rule, symbol, family)
            lower = upper
    elif isinstance(style, SingleStyle):
        _symbolizer(_rule(feature_style, "Single symbol"), style.symbol, family)
    else:
        raise TypeError(f"no SLD for style type {style.kind!r}")


def _labels(feature_style: ET.Element, field: str, family: str, labels: LabelStyle) -> None:
    rule = _se(feature_style, "Rule")
    # SLD's MinScaleDenominator is the zoomed-in end (gisapp's max_scale), Max the zoomed-out one.
    if labels.max_scale > 0:
        _se(rule, "MinScaleDenominator", _number(labels.max_scale))
    if labels.min_scale > 0:
        _se(rule, "MaxScaleDenominator", _number(labels.min_scale))
    text = _se(rule, "TextSymbolizer")
    label = _se(text, "Label")
    ET.SubElement(label, f"{{{OGC}}}PropertyName").text = field
    font = _se(text, "Font")
    _parameter(font, "font-family", labels.font_family)
    _parameter(font, "font-size", _number(round(labels.size_pt * 96 / 72, 2)))  # SLD sizes are pixels
    placement = _se(text, "LabelPlacement")
    chosen = labels.placement_for(family)
    if family == "line" and chosen == "along":
        _se(placement, "LinePlacement")
    else:
        point = _se(placement, "PointPlacement")
        anchor = _se(point, "AnchorPoint")
        dx, dy = POSITIONS[labels.position] if family == "point" else (0, 0)
        # The anchor is the label's own point that sits on the feature: a label east of a point
        # is anchored at its left edge (0), one north of it at its bottom (0).
        _se(anchor, "AnchorPointX", _number((1 - dx) / 2))
        _se(anchor, "AnchorPointY", _number((1 + dy) / 2))
        if family == "point" and labels.distance_px > 0:
            step = labels.distance_px * (DIAGONAL if dx and dy else 1.0)
            displacement = _se(point, "Displacement")
            _se(displacement, "DisplacementX", _number(round(dx * step, 2)))
            _se(displacement, "DisplacementY", _number(round(-dy * step, 2)))  # SLD's y points up
    if labels.halo and labels.halo_width_px > 0:
        halo = _se(text, "Halo")
        _se(halo, "Radius", _number(labels.halo_width_px))
        halo_fill = _se(halo, "Fill")
        _parameter(halo_fill, "fill", labels.halo_color)
        _parameter(halo_fill, "fill-opacity", _number(round(labels.halo_opacity, 3)))
    _fill(text, Symbol(fill=labels.color, fill_opacity=1.0))


def style_to_sld(style: Style, family: str, layer_name: str, label_field: str = "",
                 labels: LabelStyle | None = None) -> str:
    """SLD 1.1 text for ``style`` on a layer of ``'point'``, ``'line'`` or ``'polygon'`` geometries.

    >>> from gisapp.core.model.style import SingleStyle, Symbol
    >>> '<se:SvgParameter name="fill">#ff0000</se:SvgParameter>' in style_to_sld(
    ...     SingleStyle(Symbol(fill="#ff0000")), "polygon", "plots")
    True
    """
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", {
        "version": "1.1.0",
        f"{{{NAMESPACES['xsi']}}}schemaLocation":
            "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"})
    layer = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    _se(layer, "Name", layer_name)
    user_style = ET.SubElement(layer, f"{{{SLD}}}UserStyle")
    _se(user_style, "Name", layer_name)
    feature_style = _se(user_style, "FeatureTypeStyle")
    _rules(feature_style, style, family)
    if label_field:
        _labels(feature_style, label_field, family, labels or LabelStyle())
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
