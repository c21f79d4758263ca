"""gisapp styles as QGIS QML and back, written and read without QGIS.

The XML follows what QGIS 3.22 itself writes (``QgsMapLayer::saveNamedStyle``): a
``renderer-v2`` element (``singleSymbol``, ``categorizedSymbol``, ``graduatedSymbol``)
with ``SimpleFill`` / ``SimpleLine`` / ``SimpleMarker`` symbol layers, a ``simple``
``labeling`` element with ``text-style`` and ``text-buffer``, and ``layerOpacity``.
gisapp widths and sizes are screen pixels, so they are written with the unit
``Pixel``; QGIS millimetres and points are converted at 96 dpi when read.

Reading maps what gisapp cannot draw to the nearest equivalent (rule-based
renderers, several symbol layers, map-unit widths, expression labels) and says so
in :attr:`StyleImport.notes`.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, fields
from typing import Any

from gisapp.core.geo.label_placement import DIAGONAL
from gisapp.core.model.labels import PLACEMENTS, POSITIONS, LabelStyle, template_fields
from gisapp.core.model.style import (
    CategorizedStyle,
    Category,
    GraduatedStyle,
    SingleStyle,
    Style,
    Symbol,
)
from gisapp.io.qgis.notes import StyleNote
from gisapp.io.qgis.safe_xml import XmlRefused, parse_xml

QGIS_VERSION = "3.22.0-gisapp"
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
PIXELS_PER_UNIT = {"Pixel": 1.0, "MM": 96 / 25.4, "Point": 96 / 72, "Inch": 96.0}
SYMBOL_TYPE = {"polygon": "fill", "line": "line", "point": "marker"}
GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}
STROKE_TO_QGIS = {"solid": "solid", "dash": "dash", "dot": "dot", "none": "no"}
STROKE_FROM_QGIS = {"solid": "solid", "dash": "dash", "dot": "dot", "dash dot": "dash",
                    "dash dot dot": "dash", "no": "none"}
MARKER_FROM_QGIS = {"circle": "circle", "square": "square", "triangle": "triangle", "star": "star",
                    "equilateral_triangle": "triangle", "rectangle": "square", "diamond": "square",
                    "pentagon": "circle", "hexagon": "circle", "octagon": "circle"}
# gisapp's limits for stored symbols (see Symbol.from_dict).
MAX_STROKE_WIDTH = 100.0
MAX_MARKER_SIZE = 200.0
# Lowest double: gisapp's first class has no lower bound.
OPEN_LOWER = -1.7976931348623157e308


@dataclass(frozen=True)
class LabelSettings(LabelStyle):
    """A layer's labels as QGIS styles hold them: the field, and how they look and are placed
    (gisapp.core.model.labels.LabelStyle); the defaults are the ones the gisapp canvas draws."""

    field: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.field or self.text)

    def label_style(self) -> LabelStyle:
        """The settings without the field, as a layer keeps them."""
        return LabelStyle(**{item.name: getattr(self, item.name) for item in fields(LabelStyle)})

    @classmethod
    def of(cls, label_field: str, style: LabelStyle) -> LabelSettings:
        return cls(field=label_field, **{item.name: getattr(style, item.name) for item in fields(LabelStyle)})


@dataclass
class StyleImport:
    """What :func:`qml_to_style` found: the style, layer opacity, labels and what was simplified."""

    style: Style
    opacity: float = 1.0
    labels: LabelSettings = field(default_factory=LabelSettings)
    notes: list[StyleNote] = field(default_factory=list)
    geometry_family: str = ""  # what the style was made for, where it says: 'polygon', 'line', 'point'


# --- colours ---------------------------------------------------------------------

def _qgis_color(hex_color: str, opacity: float = 1.0) -> str:
    text = hex_color.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    r, g, b = int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    alpha = round(min(1.0, max(0.0, opacity)) * 255)
    return f"{r},{g},{b},{alpha}"


def _parse_color(text: str | None) -> tuple[str, float] | None:
    """``'r,g,b,a'`` (QGIS; newer versions append ``,rgb:...``) or ``#rrggbb`` -> (hex, opacity)."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("#"):
        body = text[1:]
        if len(body) == 8:  # #aarrggbb as Qt writes it
            return "#" + body[2:].lower(), int(body[:2], 16) / 255
        return "#" + body[:6].lower(), 1.0
    numbers = re.findall(r"-?\d+(?:\.\d+)?", text.split(",rgb:")[0])
    if len(numbers) < 3:
        return None
    r, g, b = (max(0, min(255, int(float(n)))) for n in numbers[:3])
    alpha = float(numbers[3]) if len(numbers) > 3 else 255.0
    return f"#{r:02x}{g:02x}{b:02x}", alpha / 255


def _number(value: float) -> str:
    """Shortest text that reads back as the same double (the lowest double included)."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


# --- writing ---------------------------------------------------------------------

def _option_map(parent: ET.Element, props: dict[str, str]) -> None:
    """Properties twice, as QGIS 3.22 writes them: an Option map (read by 3.x) and prop elements."""
    options = ET.SubElement(parent, "Option", type="Map")
    for key, value in sorted(props.items()):
        ET.SubElement(options, "Option", value=value, type="QString", name=key)
    for key, value in sorted(props.items()):
        ET.SubElement(parent, "prop", k=key, v=value)


def _symbol_layer_props(symbol: Symbol, family: str) -> tuple[str, dict[str, str]]:
    stroke_style = STROKE_TO_QGIS[symbol.stroke_style]
    if family == "line":
        return "SimpleLine", {
            "line_color": _qgis_color(symbol.stroke), "line_style": stroke_style,
            "line_width": _number(symbol.stroke_width), "line_width_unit": "Pixel",
            "capstyle": "round", "joinstyle": "round",
        }
    if family == "point":
        return "SimpleMarker", {
            "name": symbol.marker, "color": _qgis_color(symbol.fill, symbol.fill_opacity),
            "outline_color": _qgis_color(symbol.stroke), "outline_style": stroke_style,
            "outline_width": _number(symbol.stroke_width), "outline_width_unit": "Pixel",
            "size": _number(symbol.size), "size_unit": "Pixel", "angle": "0",
            "scale_method": "diameter", "joinstyle": "bevel",
        }
    return "SimpleFill", {
        "color": _qgis_color(symbol.fill, symbol.fill_opacity), "style": "solid",
        "outline_color": _qgis_color(symbol.stroke), "outline_style": stroke_style,
        "outline_width": _number(symbol.stroke_width), "outline_width_unit": "Pixel",
        "joinstyle": "round",
    }


def _symbol_element(parent: ET.Element, name: str, symbol: Symbol, family: str) -> None:
    element = ET.SubElement(parent, "symbol", type=SYMBOL_TYPE[family], name=name, alpha="1",
                            clip_to_extent="1", force_rhr="0")
    layer_class, props = _symbol_layer_props(symbol, family)
    layer = ET.SubElement(element, "layer", {"class": layer_class, "pass": "0", "locked": "0",
                                             "enabled": "1"})
    _option_map(layer, props)


def _renderer_element(root: ET.Element, style: Style, family: str) -> None:
    if isinstance(style, CategorizedStyle):
        renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=style.field,
                                 symbollevels="0", forceraster="0", enableorderby="0")
        categories = ET.SubElement(renderer, "categories")
        symbols = ET.SubElement(renderer, "symbols")
        for index, category in enumerate(style.categories):
            ET.SubElement(categories, "category", value=category.value, symbol=str(index),
                          label=category.label_zh or category.value, render="true")
            _symbol_element(symbols, str(index), category.symbol, family)
        # An empty value is QGIS's "all other values" category: gisapp's default symbol.
        other = str(len(style.categories))
        ET.SubElement(categories, "category", value="", symbol=other, label="", render="true")
        _symbol_element(symbols, other, style.default, family)
        return
    if isinstance(style, GraduatedStyle):
        renderer = ET.SubElement(root, "renderer-v2", type="graduatedSymbol", attr=style.field,
                                 graduatedMethod="GraduatedColor", symbollevels="0", forceraster="0",
                                 enableorderby="0")
        ranges = ET.SubElement(renderer, "ranges")
        symbols = ET.SubElement(renderer, "symbols")
        lower = OPEN_LOWER
        legend = style.legend()
        for index, (upper, symbol) in enumerate(zip(style.breaks, style.symbols_, strict=False)):
            ET.SubElement(ranges, "range", lower=_number(lower), upper=_number(upper),
                          symbol=str(index), label=legend[index].label_zh, render="true")
            _symbol_element(symbols, str(index), symbol, family)
            lower = upper
        ET.SubElement(renderer, "classificationMethod", id="Custom")
        return
    if not isinstance(style, SingleStyle):
        raise TypeError(f"no QML for style type {style.kind!r}")
    renderer = ET.SubElement(root, "renderer-v2", type="singleSymbol", symbollevels="0",
                             forceraster="0", enableorderby="0")
    symbols = ET.SubElement(renderer, "symbols")
    _symbol_element(symbols, "0", style.symbol, family)


# QGIS's label placements (Qgis::LabelPlacement) and point quadrants (QuadrantPosition).
QGIS_AROUND_POINT, QGIS_OVER_POINT, QGIS_LINE, QGIS_CURVED, QGIS_HORIZONTAL, QGIS_FREE, QGIS_ORDERED = range(7)
QUADRANTS = {"NW": 0, "N": 1, "NE": 2, "W": 3, "E": 5, "SW": 6, "S": 7, "SE": 8}
_QUOTED_FIELD = r'"((?:[^"]|"")+)"'
_QUOTED_TEXT = r"'((?:[^']|'')*)'"
_FORMATTED = r'format_number\(\s*' + _QUOTED_FIELD + r'\s*,\s*(\d)\s*\)'
_TOKEN = re.compile(r"\s*(?:" + _FORMATTED + "|" + _QUOTED_FIELD + "|" + _QUOTED_TEXT + r")\s*")


def template_to_expression(template: str) -> str:
    """A gisapp label template as a QGIS expression (concat treats NULL as empty, as gisapp does).

    >>> print(template_to_expression("{name_zh} {area:.1f} km²"))
    concat("name_zh", ' ', format_number("area", 1), ' km²')
    """
    parts: list[str] = []
    position = 0
    for match in re.finditer(r"\{([^{}:]*)(?::([^{}]*))?\}", template):
        if match.start() > position:
            parts.append("'" + template[position:match.start()].replace("'", "''") + "'")
        name = '"' + match.group(1).strip().replace('"', '""') + '"'
        decimals = re.fullmatch(r",?\.(\d)f", match.group(2) or "")
        parts.append(f"format_number({name}, {decimals.group(1)})" if decimals else name)
        position = match.end()
    if position < len(template):
        parts.append("'" + template[position:].replace("'", "''") + "'")
    return "concat(" + ", ".join(parts) + ")" if len(parts) > 1 else (parts[0] if parts else "''")


def expression_to_template(expression: str) -> str | None:
    """The gisapp template of a QGIS label expression made of fields, texts and format_number
    joined by concat() or ||; None for anything else (it needs an expression engine)."""
    text = expression.strip()
    inner = re.fullmatch(r"concat\((.*)\)", text, flags=re.S)
    pieces = _split_arguments(inner.group(1)) if inner else re.split(r"\|\|", text)
    if pieces is None:
        return None
    template = ""
    for piece in pieces:
        token = _TOKEN.fullmatch(piece)
        if token is None:
            return None
        number_field, decimals, name, literal = token.groups()
        if number_field is not None:
            template += "{" + number_field.replace('""', '"') + f":.{decimals}f}}"
        elif name is not None:
            template += "{" + name.replace('""', '"') + "}"
        else:
            template += literal.replace("''", "'").replace("{", "(").replace("}", ")")
    return template


def _split_arguments(text: str) -> list[str] | None:
    """Top-level comma-separated arguments, quotes and parentheses respected."""
    out, depth, current, quote = [], 0, "", ""
    for char in text:
        if quote:
            current += char
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        elif char == "," and depth == 0:
            out.append(current)
            current = ""
            continue
        current += char
    out.append(current)
    return out if depth == 0 and not quote else None


def _placement_attributes(labels: LabelSettings, family: str) -> dict[str, str]:
    placement = labels.placement_for(family)
    distance = labels.distance_px
    values = {"placement": str(QGIS_OVER_POINT), "centroidInside": "1", "fitInPolygonOnly": "0",
              "dist": "0", "distUnits": "Pixel", "quadOffset": "4", "xOffset": "0", "yOffset": "0",
              "offsetUnits": "Pixel", "placementFlags": "10", "offsetType": "0",
              "priority": str(labels.priority), "predefinedPositionOrder": "TR,TL,BR,BL,R,L,TSR,BSR"}
    if family == "polygon":
        # Around: centred on the point on surface or next to it; inside: only where the label fits.
        values["placement"] = str(QGIS_AROUND_POINT if placement == "around" else QGIS_HORIZONTAL)
        values["fitInPolygonOnly"] = "1" if placement == "inside" else "0"
    elif family == "line":
        values["placement"] = str(QGIS_LINE if placement == "along" else QGIS_HORIZONTAL)
        values["placementFlags"] = "9" if placement == "along" else "10"  # on the line, map orientation
    elif placement == "around":
        values.update(placement=str(QGIS_AROUND_POINT), dist=_number(distance))
    else:  # offset: one quadrant, the distance as an offset towards it
        dx, dy = POSITIONS[labels.position]
        step = distance * (DIAGONAL if dx and dy else 1.0)
        values.update(quadOffset=str(QUADRANTS[labels.position]), xOffset=_number(round(dx * step, 2)),
                      yOffset=_number(round(dy * step, 2)))
    return values


def _labeling_element(root: ET.Element, labels: LabelSettings, family: str) -> None:
    labeling = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    expression = bool(labels.text)
    text_style = ET.SubElement(settings, "text-style", {
        "fieldName": template_to_expression(labels.text) if expression else labels.field,
        "isExpression": "1" if expression else "0", "fontFamily": labels.font_family,
        "fontSize": _number(labels.size_pt), "fontSizeUnit": "Point",
        "textColor": _qgis_color(labels.color), "textOpacity": "1", "fontWeight": "50",
        "fontItalic": "0", "namedStyle": "", "blendMode": "0", "multilineHeight": "1",
    })
    ET.SubElement(text_style, "text-buffer", {
        "bufferDraw": "1" if labels.halo and labels.halo_width_px > 0 else "0",
        "bufferSize": _number(labels.halo_width_px), "bufferSizeUnits": "Pixel",
        "bufferColor": _qgis_color(labels.halo_color, labels.halo_opacity),
        "bufferOpacity": "1", "bufferNoFill": "1", "bufferJoinStyle": "128", "bufferBlendMode": "0",
    })
    ET.SubElement(settings, "placement", _placement_attributes(labels, family))
    ranged = labels.min_scale > 0 or labels.max_scale > 0
    ET.SubElement(settings, "rendering", {
        "drawLabels": "1", "obstacle": "1", "obstacleFactor": "1", "obstacleType": "1",
        "displayAll": "1" if labels.always_show else "0",
        # QGIS's scaleMin is the zoomed-in end (maximumScale), scaleMax the zoomed-out one.
        "scaleVisibility": "1" if ranged else "0",
        "scaleMin": _number(labels.max_scale), "scaleMax": _number(labels.min_scale),
        "upsidedownLabels": "0", "labelPerPart": "0",
        "mergeLines": "0", "minFeatureSize": "0", "limitNumLabels": "0", "maxNumLabels": "2000",
        "zIndex": "0", "fontLimitPixelSize": "0", "fontMinPixelSize": "0", "fontMaxPixelSize": "10000",
    })


def style_to_qml(style: Style, layer_geometry_family: str, label_settings: LabelSettings | None = None,
                 opacity: float = 1.0) -> str:
    """QML text for ``style`` on a layer of ``'point'``, ``'line'`` or ``'polygon'`` geometries.

    ``label_settings`` with a field turns labels on. Graduated styles write gisapp's
    classes as QGIS ranges: the first has no lower bound (the lowest double), as in
    gisapp; QGIS leaves values above the last break undrawn where gisapp clamps them.

    >>> qml = style_to_qml(SingleStyle(Symbol(fill="#ff0000")), "polygon", opacity=0.8)
    >>> "<layerOpacity>0.8</layerOpacity>" in qml and 'value="255,0,0,128"' in qml
    True
    """
    if layer_geometry_family not in SYMBOL_TYPE:
        raise ValueError(f"unknown geometry family {layer_geometry_family!r}")
    labels = label_settings or LabelSettings()
    root = ET.Element("qgis", {
        "version": QGIS_VERSION, "styleCategories": "AllStyleCategories",
        "labelsEnabled": "1" if labels.enabled else "0", "hasScaleBasedVisibilityFlag": "0",
        "minScale": "100000000", "maxScale": "0", "readOnly": "0",
    })
    _renderer_element(root, style, layer_geometry_family)
    if labels.enabled:
        _labeling_element(root, labels, layer_geometry_family)
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerOpacity").text = _number(min(1.0, max(0.0, float(opacity))))
    ET.SubElement(root, "layerGeometryType").text = GEOMETRY_TYPE[layer_geometry_family]
    ET.indent(root)
    return DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


# --- reading ---------------------------------------------------------------------

def _layer_props(layer: ET.Element) -> dict[str, str]:
    options = layer.find("Option")
    if options is not None and options.get("type") == "Map":
        props = {o.get("name", ""): o.get("value", "") for o in options.findall("Option")}
        if props:
            return props
    return {p.get("k", ""): p.get("v", "") for p in layer.findall("prop")}


def _width_px(props: dict[str, str], key: str, unit_key: str, default: float, notes: set[StyleNote]) -> float:
    try:
        value = float(props.get(key, ""))
    except ValueError:
        return default
    unit = props.get(unit_key, "MM") or "MM"
    if unit == "MapUnit" or unit == "MetersInMapUnits":
        notes.add(StyleNote("map_units", {"key": key, "default": f"{default:g}"}))
        return default
    if value == 0 and key != "size":  # QGIS draws a zero width as a hairline
        return 1.0
    return round(value * PIXELS_PER_UNIT.get(unit, PIXELS_PER_UNIT["MM"]), 2)


def _read_symbol(element: ET.Element, notes: set[StyleNote]) -> Symbol:
    """The nearest gisapp symbol to a QGIS symbol (its enabled simple layers)."""
    layers = [layer for layer in element.findall("layer") if layer.get("enabled", "1") != "0"]
    symbol_alpha = float(element.get("alpha", "1") or 1)
    simple = [layer for layer in layers if layer.get("class") in ("SimpleFill", "SimpleLine", "SimpleMarker")]
    others = sorted({layer.get("class", "?") for layer in layers} - {"SimpleFill", "SimpleLine", "SimpleMarker"})
    if others:
        notes.add(StyleNote("symbol_layers", {"classes": ", ".join(others)}))
    if len(simple) > 1:
        notes.add(StyleNote("several_layers"))
    changes: dict[str, Any] = {}
    fill = next((layer for layer in simple if layer.get("class") in ("SimpleFill", "SimpleMarker")), None)
    line = next((layer for layer in simple if layer.get("class") == "SimpleLine"), None)
    if fill is not None:
        props = _layer_props(fill)
        color = _parse_color(props.get("color"))
        if props.get("style", "solid") == "no":
            changes["fill_opacity"] = 0.0
        elif color:
            changes["fill"], changes["fill_opacity"] = color[0], round(color[1] * symbol_alpha, 3)
        if props.get("style", "solid") not in ("solid", "no"):
            notes.add(StyleNote("fill_pattern", {"pattern": repr(props["style"])}))
        outline = _parse_color(props.get("outline_color"))
        if outline:
            changes["stroke"] = outline[0]
        changes["stroke_style"] = STROKE_FROM_QGIS.get(props.get("outline_style", "solid"), "solid")
        changes["stroke_width"] = _width_px(props, "outline_width", "outline_width_unit", 1.0, notes)
        if fill.get("class") == "SimpleMarker":
            changes["size"] = _width_px(props, "size", "size_unit", 7.0, notes)
            name = props.get("name", "circle")
            changes["marker"] = MARKER_FROM_QGIS.get(name, "circle")
            if name not in MARKER_FROM_QGIS:
                notes.add(StyleNote("marker_shape", {"shape": repr(name)}))
    if line is not None and (fill is None or fill.get("class") != "SimpleMarker"):
        props = _layer_props(line)
        color = _parse_color(props.get("line_color") or props.get("color"))
        if color:
            changes["stroke"] = color[0]
        changes["stroke_style"] = STROKE_FROM_QGIS.get(props.get("line_style", "solid"), "solid")
        changes["stroke_width"] = _width_px(props, "line_width", "line_width_unit", 1.0, notes)
        if fill is None and element.get("type") == "fill":
            changes["fill_opacity"] = 0.0
    for key, limit in (("stroke_width", MAX_STROKE_WIDTH), ("size", MAX_MARKER_SIZE)):
        if changes.get(key, 0) > limit:
            notes.add(StyleNote("too_wide", {"what": key.replace("_", " "), "limit": f"{limit:g}"}))
            changes[key] = limit
    return Symbol().with_(**changes)


def _symbols_by_name(renderer: ET.Element, notes: set[StyleNote]) -> dict[str, Symbol]:
    container = renderer.find("symbols")
    if container is None:
        return {}
    return {s.get("name", ""): _read_symbol(s, notes) for s in container.findall("symbol")}


_EQUALS = re.compile(r"""^\s*"?(?P<field>[^"=<>]+?)"?\s*=\s*(?P<value>'(?:[^']|'')*'|-?\d+(?:\.\d+)?)\s*$""")
_RANGE = re.compile(r"""^\s*"(?P<field>[^"]+)"\s*>=?\s*(?P<lower>-?[\d.eE+]+)\s+AND\s+"(?P=field)"\s*<=?"""
                    r"""\s*(?P<upper>-?[\d.eE+]+)\s*$""", re.IGNORECASE)


def _rules(element: ET.Element, notes: set[StyleNote]) -> list[ET.Element]:
    """Leaf rules with a symbol, nested rules flattened (their filters are not combined)."""
    found = []
    for rule in element.findall("rule"):
        if rule.get("active", "1") == "0":
            continue
        if rule.findall("rule"):
            notes.add(StyleNote("nested_rules"))
            found.extend(_rules(rule, notes))
        if rule.get("symbol") is not None:
            found.append(rule)
    return found


def _from_rules(renderer: ET.Element, notes: set[StyleNote]) -> Style:
    symbols = _symbols_by_name(renderer, notes)
    top = renderer.find("rules")
    rules = _rules(top, notes) if top is not None else []
    if any(r.get("scalemindenom") or r.get("scalemaxdenom") for r in rules):
        notes.add(StyleNote("rule_scales"))
    plain = [r for r in rules if r.get("filter") not in (None, "", "ELSE")]
    fallback = [r for r in rules if r.get("filter") in (None, "", "ELSE")]
    equal_matches = [_EQUALS.match(r.get("filter", "")) for r in plain]
    range_matches = [_RANGE.match(r.get("filter", "")) for r in plain]
    equals = [m for m in equal_matches if m is not None]
    ranges = [m for m in range_matches if m is not None]
    default = symbols.get(fallback[0].get("symbol", ""), Symbol()) if fallback else Symbol()
    if plain and len(equals) == len(plain) and len({m["field"].strip() for m in equals}) == 1:
        categories = []
        for rule, match in zip(plain, equals, strict=True):
            value = match["value"]
            value = value[1:-1].replace("''", "'") if value.startswith("'") else value
            label = rule.get("label") or value
            categories.append(Category(value, label, label, symbols.get(rule.get("symbol", ""), Symbol())))
        notes.add(StyleNote("rules_as_categories", {"field": repr(equals[0]["field"].strip())}))
        if not fallback:
            notes.add(StyleNote("outside_categories"))
        return CategorizedStyle(equals[0]["field"].strip(), categories, default)
    if plain and len(ranges) == len(plain) and len({m["field"] for m in ranges}) == 1:
        pairs = sorted(((float(m["upper"]), symbols.get(r.get("symbol", ""), Symbol()))
                        for r, m in zip(plain, ranges, strict=True)), key=lambda p: p[0])
        notes.add(StyleNote("rules_as_classes", {"field": repr(ranges[0]["field"])}))
        return GraduatedStyle(ranges[0]["field"], [p[0] for p in pairs], [p[1] for p in pairs])
    first = rules[0] if rules else None
    notes.add(StyleNote("rules_single"))
    return SingleStyle(symbols.get(first.get("symbol", ""), Symbol()) if first is not None else Symbol())


def _read_renderer(renderer: ET.Element | None, notes: set[StyleNote]) -> Style:
    if renderer is None:
        notes.add(StyleNote("no_renderer"))
        return SingleStyle()
    kind = renderer.get("type", "")
    if kind == "singleSymbol":
        symbols = _symbols_by_name(renderer, notes)
        return SingleStyle(next(iter(symbols.values()), Symbol()))
    if kind == "categorizedSymbol":
        symbols = _symbols_by_name(renderer, notes)
        categories: list[Category] = []
        default: Symbol | None = None
        container = renderer.find("categories")
        for element in container.findall("category") if container is not None else []:
            symbol = symbols.get(element.get("symbol", ""), Symbol())
            if element.get("render", "true") == "false":
                notes.add(StyleNote("categories_off"))
            values = [v.get("value", "") for v in element.findall("val")]
            if not values:
                values = [element.get("value", "")]
            if values == [""]:
                default = symbol
                continue
            if len(values) > 1:
                notes.add(StyleNote("merged_values"))
            label = element.get("label") or values[0]
            categories.extend(Category(value, label, label, symbol) for value in values)
        if default is None:
            # QGIS leaves values without a category undrawn; gisapp draws them in its default.
            notes.add(StyleNote("outside_categories"))
            default = Symbol()
        if renderer.get("attr", "").startswith(("(", "concat", "to_")) or '"' in renderer.get("attr", ""):
            notes.add(StyleNote("category_expression", {"expression": repr(renderer.get("attr"))}))
        return CategorizedStyle(renderer.get("attr", "").strip('"'), categories, default)
    if kind == "graduatedSymbol":
        symbols = _symbols_by_name(renderer, notes)
        container = renderer.find("ranges")
        rows = []
        for element in container.findall("range") if container is not None else []:
            try:
                lower, upper = float(element.get("lower", "")), float(element.get("upper", ""))
            except ValueError:
                lower = upper = math.nan
            if math.isnan(lower) or lower == math.inf or not math.isfinite(upper):
                notes.add(StyleNote("open_ranges"))
                continue
            rows.append((lower, upper, symbols.get(element.get("symbol", ""), Symbol())))
        rows.sort(key=lambda r: r[1])
        if rows and rows[0][0] > -1e300:
            notes.add(StyleNote("below_first", {"lower": f"{rows[0][0]:g}"}))
        if any(not math.isclose(a[1], b[0]) for a, b in zip(rows, rows[1:], strict=False)):
            notes.add(StyleNote("gaps_closed"))
        if renderer.get("graduatedMethod") == "GraduatedSize":
            notes.add(StyleNote("graduated_size"))
        if not rows:
            notes.add(StyleNote("no_ranges"))
            return SingleStyle()
        return GraduatedStyle(renderer.get("attr", "").strip('"'), [r[1] for r in rows], [r[2] for r in rows],
                              scheme="")
    if kind == "RuleRenderer":
        return _from_rules(renderer, notes)
    # A heatmap or point-cluster style has no nearest gisapp style: refused, the layer keeps its own.
    raise XmlRefused(f"the renderer {kind!r} is not one gisapp can draw (single symbol, categorized, "
                     "graduated or rule-based)")


def _float(element: ET.Element | None, name: str, default: float = 0.0) -> float:
    try:
        value = float(element.get(name, default)) if element is not None else default
    except ValueError:
        return default
    return value if math.isfinite(value) else default


def _read_placement(settings: ET.Element, family: str, notes: set[StyleNote]) -> dict[str, Any]:
    element = settings.find("placement")
    rendering = settings.find("rendering")
    changes: dict[str, Any] = {}
    if element is not None:
        kind = int(_float(element, "placement", QGIS_OVER_POINT))
        if family == "polygon":
            inside = element.get("fitInPolygonOnly", "0") == "1" or kind in (QGIS_HORIZONTAL, QGIS_FREE)
            changes["placement"] = "inside" if inside else "around"
        elif family == "line":
            changes["placement"] = "along" if kind in (QGIS_LINE, QGIS_CURVED) else "horizontal"
            if kind == QGIS_CURVED:
                notes.add(StyleNote("label_curved"))
        elif family == "point":
            units = PIXELS_PER_UNIT.get(element.get("distUnits", "MM"), PIXELS_PER_UNIT["MM"])
            if kind == QGIS_OVER_POINT:
                quadrant = int(_float(element, "quadOffset", 4))
                position = {v: k for k, v in QUADRANTS.items()}.get(quadrant)
                offset_units = PIXELS_PER_UNIT.get(element.get("offsetUnits", "MM"), PIXELS_PER_UNIT["MM"])
                distance = math.hypot(_float(element, "xOffset"), _float(element, "yOffset")) * offset_units
                changes.update(placement="offset", position=position or "E")
                changes["distance_px"] = round(min(100.0, distance), 2)
            else:
                changes["placement"] = "around"
                changes["distance_px"] = round(min(100.0, _float(element, "dist") * units), 2)
        if family in PLACEMENTS and changes.get("placement") == PLACEMENTS[family][0]:
            changes["placement"] = ""  # the family's default, stored as gisapp stores it
        priority = _float(element, "priority", 5)
        changes["priority"] = int(min(10, max(0, round(priority))))
    if rendering is not None:
        changes["always_show"] = rendering.get("displayAll", "0") == "1"
        if rendering.get("scaleVisibility", "0") == "1":
            # QGIS's scaleMin is the zoomed-in end, scaleMax the zoomed-out one (a 0 is no limit).
            changes["max_scale"] = min(1e9, max(0.0, _float(rendering, "scaleMin")))
            changes["min_scale"] = min(1e9, max(0.0, _float(rendering, "scaleMax")))
    return changes


def _read_text_style(settings: ET.Element, notes: set[StyleNote], family: str = "") -> LabelSettings:
    text_style = settings.find("text-style")
    if text_style is None:
        return LabelSettings()
    field_name = text_style.get("fieldName", "")
    changes: dict[str, Any] = {}
    if text_style.get("isExpression", "0") == "1":
        plain = re.fullmatch(r'\s*"([^"]+)"\s*', field_name)
        template = None if plain else expression_to_template(field_name)
        if plain:
            field_name = plain.group(1)
        elif template and template_fields(template) and len(template) <= 1000:
            changes["text"] = template
            field_name = template_fields(template)[0]
        else:
            notes.add(StyleNote("label_expression", {"expression": repr(field_name)}))
            field_name = ""
    changes["field"] = field_name
    if text_style.get("fontFamily"):
        changes["font_family"] = text_style.get("fontFamily", "")[:200]
    try:
        size = float(text_style.get("fontSize", "9"))
        unit = text_style.get("fontSizeUnit", "Point")
        size = size if unit == "Point" else round(size * PIXELS_PER_UNIT.get(unit, 1.0) * 72 / 96, 2)
        if math.isfinite(size):
            changes["size_pt"] = min(72.0, max(1.0, size))
    except ValueError:
        pass
    color = _parse_color(text_style.get("textColor"))
    if color:
        changes["color"] = color[0]
    buffer = text_style.find("text-buffer")
    if buffer is not None:
        # A buffer that is switched off keeps its colour and size, as in QGIS.
        changes["halo"] = buffer.get("bufferDraw", "0") == "1"
        halo = _parse_color(buffer.get("bufferColor"))
        if halo:
            changes["halo_color"] = halo[0]
            changes["halo_opacity"] = min(1.0, max(0.0, halo[1] * _float(buffer, "bufferOpacity", 1.0)))
        unit = buffer.get("bufferSizeUnits", "MM")
        changes["halo_width_px"] = min(10.0, max(0.0, round(_float(buffer, "bufferSize", 1.0)
                                                             * PIXELS_PER_UNIT.get(unit, 1.0), 2)))
    changes.update(_read_placement(settings, family, notes))
    return LabelSettings(**changes)


def _read_labels(root: ET.Element, notes: set[StyleNote], family: str = "") -> LabelSettings:
    labeling = root.find("labeling")
    if labeling is None or root.get("labelsEnabled", "0") != "1":
        return LabelSettings()
    kind = labeling.get("type", "simple")
    if kind == "simple":
        settings = labeling.find("settings")
        return _read_text_style(settings, notes, family) if settings is not None else LabelSettings()
    if kind == "rule-based":
        for rule in labeling.iter("rule"):
            settings = rule.find("settings")
            if settings is not None and rule.get("active", "1") != "0":
                notes.add(StyleNote("rule_labels"))
                return _read_text_style(settings, notes, family)
    notes.add(StyleNote("labeling_kind", {"kind": repr(kind)}))
    return LabelSettings()


def qml_to_style(qml_text: str) -> StyleImport:
    """The gisapp style, layer opacity and labels nearest to a QGIS QML style.

    >>> found = qml_to_style(style_to_qml(SingleStyle(Symbol(fill="#00ff00")), "polygon", opacity=0.5))
    >>> found.style.symbol.fill, found.opacity, found.notes
    ('#00ff00', 0.5, [])
    """
    root = parse_xml(qml_text)
    if root.tag != "qgis":
        raise XmlRefused(f"not a QGIS style: the root element is <{root.tag}>, not <qgis>")
    try:
        return style_from_element(root)
    except RecursionError:
        raise XmlRefused("the style's rules are nested too deeply") from None


def style_from_element(root: ET.Element) -> StyleImport:
    """:func:`qml_to_style` of an element holding ``renderer-v2``, ``labeling`` and
    ``layerOpacity``: a QML document's root, or a ``<maplayer>`` of a QGIS project."""
    notes: set[StyleNote] = set()
    style = _read_renderer(root.find("renderer-v2"), notes)
    opacity_text = root.findtext("layerOpacity")
    try:
        opacity = min(1.0, max(0.0, float(opacity_text))) if opacity_text else 1.0
    except ValueError:
        opacity = 1.0
    family = _geometry_family(root)
    labels = _read_labels(root, notes, family)
    if root.findtext("blendMode", "0") not in ("0", ""):
        notes.add(StyleNote("blend_mode"))
    if root.find(".//data_defined_properties//Option[@name='active'][@value='true']") is not None:
        notes.add(StyleNote("data_defined"))
    return StyleImport(style, opacity, labels, sorted(notes, key=str), family)


def _geometry_family(root: ET.Element) -> str:
    """'polygon', 'line' or 'point' the style was made for ('' when it does not say)."""
    by_code = {code: family for family, code in GEOMETRY_TYPE.items()}
    family = by_code.get((root.findtext("layerGeometryType") or "").strip(), "")
    if family:
        return family
    by_symbol = {symbol: family for family, symbol in SYMBOL_TYPE.items()}
    renderer = root.find("renderer-v2")
    symbol = renderer.find(".//symbols/symbol") if renderer is not None else None
    return by_symbol.get(symbol.get("type", "") if symbol is not None else "", "")
