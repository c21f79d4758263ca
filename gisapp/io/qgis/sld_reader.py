"""OGC SLD read into gisapp styles, as QGIS 3.22 writes them (the writer is :mod:`gisapp.io.qgis.sld`).

QGIS's *Save as SLD* writes SLD 1.1 with Symbology Encoding (``se:`` elements,
``se:SvgParameter``); older files are SLD 1.0 (elements in the ``sld`` namespace,
``CssParameter``). Both are read by local element names. A categorized style is one rule
per value with an ``ogc:PropertyIsEqualTo`` filter, a graduated one a rule per class with
``PropertyIsGreaterThan[OrEqualTo]`` and ``PropertyIsLessThan[OrEqualTo]`` under ``ogc:And``,
and labels a ``TextSymbolizer``. SLD sizes are pixels, as gisapp's are. SLD has no layer
opacity, so a style read from SLD is opaque.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Any

from gisapp.core.model.labels import POSITIONS
from gisapp.core.model.style import (
    CategorizedStyle,
    Category,
    GraduatedStyle,
    SingleStyle,
    Style,
    Symbol,
)
from gisapp.io.qgis.notes import StyleNote
from gisapp.io.qgis.qml import (
    MAX_MARKER_SIZE,
    MAX_STROKE_WIDTH,
    LabelSettings,
    StyleImport,
)
from gisapp.io.qgis.safe_xml import XmlRefused, parse_xml

SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
SYMBOLIZER_FAMILY = {"PolygonSymbolizer": "polygon", "LineSymbolizer": "line", "PointSymbolizer": "point"}
MARKERS = {"circle": "circle", "square": "square", "triangle": "triangle", "star": "star"}
LOWER = {"PropertyIsGreaterThanOrEqualTo", "PropertyIsGreaterThan"}
UPPER = {"PropertyIsLessThanOrEqualTo", "PropertyIsLessThan"}


# --- reading ---------------------------------------------------------------------

def _local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c) == name), None)


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if _local(c) == name]


def _descendants(element: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in element.iter() if _local(e) == name]


def _params(element: ET.Element | None) -> dict[str, str]:
    """``SvgParameter`` (SE 1.1) and ``CssParameter`` (SLD 1.0) values by name."""
    if element is None:
        return {}
    return {p.get("name", ""): (p.text or "").strip() for p in element
            if _local(p) in ("SvgParameter", "CssParameter")}


def _float(text: str | None, default: float) -> float:
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    return value if math.isfinite(value) else default


def _colour(text: str | None) -> str | None:
    if not text or not text.startswith("#") or len(text) not in (4, 7):
        return None
    try:
        int(text[1:], 16)
    except ValueError:
        return None
    return text.lower()


def _width(text: str | None, default: float, symbolizer: ET.Element, notes: set[StyleNote]) -> float:
    value = _float(text, default)
    if "metre" in symbolizer.get("uom", "") or "foot" in symbolizer.get("uom", ""):
        notes.add(StyleNote("ground_units"))
    return value


def _stroke(stroke: ET.Element | None, symbolizer: ET.Element, changes: dict[str, Any], notes: set[StyleNote]) -> None:
    if stroke is None:
        changes["stroke_style"] = "none"
        return
    params = _params(stroke)
    if (colour := _colour(params.get("stroke"))) is not None:
        changes["stroke"] = colour
    changes["stroke_width"] = _width(params.get("stroke-width"), 1.0, symbolizer, notes)
    dashes = params.get("stroke-dasharray", "")
    if dashes:
        first = _float(dashes.split()[0], 4.0)
        changes["stroke_style"] = "dot" if first <= 1.5 else "dash"
    if _float(params.get("stroke-opacity"), 1.0) < 1:
        notes.add(StyleNote("stroke_opacity"))


def _fill(fill: ET.Element | None, changes: dict[str, Any], notes: set[StyleNote]) -> None:
    if fill is None:
        changes["fill_opacity"] = 0.0
        return
    if _child(fill, "GraphicFill") is not None:
        notes.add(StyleNote("graphic_fill"))
    params = _params(fill)
    if (colour := _colour(params.get("fill"))) is not None:
        changes["fill"] = colour
    changes["fill_opacity"] = min(1.0, max(0.0, _float(params.get("fill-opacity"), 1.0)))


def _read_symbolizer(symbolizer: ET.Element, notes: set[StyleNote]) -> Symbol:
    changes: dict[str, Any] = {}
    kind = _local(symbolizer)
    if kind == "PolygonSymbolizer":
        _fill(_child(symbolizer, "Fill"), changes, notes)
        _stroke(_child(symbolizer, "Stroke"), symbolizer, changes, notes)
    elif kind == "LineSymbolizer":
        changes["fill_opacity"] = 0.0
        _stroke(_child(symbolizer, "Stroke"), symbolizer, changes, notes)
    else:
        graphic = _child(symbolizer, "Graphic")
        mark = _child(graphic, "Mark")
        if mark is None:
            notes.add(StyleNote("external_graphic"))
        else:
            known = _child(mark, "WellKnownName")
            name = (known.text or "circle").strip() if known is not None else "circle"
            changes["marker"] = MARKERS.get(name, "circle")
            if name not in MARKERS:
                notes.add(StyleNote("marker_shape", {"shape": repr(name)}))
            _fill(_child(mark, "Fill"), changes, notes)
            _stroke(_child(mark, "Stroke"), symbolizer, changes, notes)
        size = _child(graphic, "Size")
        changes["size"] = _width(size.text if size is not None else None, 7.0, symbolizer, notes)
    for key, limit in (("stroke_width", MAX_STROKE_WIDTH), ("size", MAX_MARKER_SIZE)):
        if changes.get(key, 0) > limit:
            notes.add(StyleNote("too_wide", {"what": key.replace("_", " "), "limit": f"{limit:g}"}))
            changes[key] = limit
        if changes.get(key, 0) < 0:
            changes[key] = 0.0
    return Symbol().with_(**changes)


def _rule_symbol(rule: ET.Element, notes: set[StyleNote]) -> tuple[Symbol, str] | None:
    """The rule's symbol and geometry family (its first symbolizer), or None for a label rule."""
    symbolizers = [c for c in rule if _local(c) in SYMBOLIZER_FAMILY]
    if not symbolizers:
        return None
    if len(symbolizers) > 1:
        notes.add(StyleNote("several_symbolizers"))
    return _read_symbolizer(symbolizers[0], notes), SYMBOLIZER_FAMILY[_local(symbolizers[0])]


def _literal_pair(comparison: ET.Element) -> tuple[str, str] | None:
    name, literal = _child(comparison, "PropertyName"), _child(comparison, "Literal")
    if name is None or literal is None:
        return None
    return (name.text or "").strip(), (literal.text or "").strip()


def _rule_title(rule: ET.Element, fallback: str) -> str:
    description = _child(rule, "Description")
    title = _child(description, "Title") if description is not None else _child(rule, "Title")
    if title is not None and title.text:
        return title.text.strip()
    name = _child(rule, "Name")
    return name.text.strip() if name is not None and name.text else fallback


def _read_label_placement(rule: ET.Element, text: ET.Element) -> dict[str, Any]:
    """Scale range (the rule's denominators), and where the label sits (a line placement
    follows the line; a point placement's anchor and displacement give its side)."""
    changes: dict[str, Any] = {}
    for tag, key in (("MinScaleDenominator", "max_scale"), ("MaxScaleDenominator", "min_scale")):
        element = _child(rule, tag)
        if element is not None:
            changes[key] = min(1e9, max(0.0, _float(element.text, 0.0)))
    placement = _child(text, "LabelPlacement")
    if _child(placement, "LinePlacement") is not None:
        changes["placement"] = "along"
        return changes
    point = _child(placement, "PointPlacement")
    anchor = _child(point, "AnchorPoint")
    displacement = _child(point, "Displacement")
    if anchor is None and displacement is None:
        return changes
    ax = _float(getattr(_child(anchor, "AnchorPointX"), "text", None), 0.5)
    ay = _float(getattr(_child(anchor, "AnchorPointY"), "text", None), 0.5)
    dx = round(1 - 2 * ax) if math.isfinite(ax) else 0
    dy = round(2 * ay - 1) if math.isfinite(ay) else 0
    side = {(x, y): name for name, (x, y) in POSITIONS.items()}.get((max(-1, min(1, dx)), max(-1, min(1, dy))))
    if side is not None:
        changes.update(placement="offset", position=side)
        if displacement is not None:
            distance = math.hypot(_float(getattr(_child(displacement, "DisplacementX"), "text", None), 0.0),
                                  _float(getattr(_child(displacement, "DisplacementY"), "text", None), 0.0))
            changes["distance_px"] = round(min(100.0, distance) if math.isfinite(distance) else 6.0, 2)
    return changes


def _read_labels(rules: list[ET.Element], notes: set[StyleNote]) -> LabelSettings:
    for rule in rules:
        text = _child(rule, "TextSymbolizer")
        if text is None:
            continue
        label = _child(text, "Label")
        names = _children(label, "PropertyName")
        if label is None or len(names) != 1 or (label.text or "").strip() or len(list(label)) > 1:
            notes.add(StyleNote("sld_label_expression"))
            return LabelSettings()
        changes: dict[str, Any] = {"field": (names[0].text or "").strip()}
        font = _params(_child(text, "Font"))
        if font.get("font-family"):
            changes["font_family"] = font["font-family"][:200]
        if font.get("font-size"):
            size = round(_float(font["font-size"], 12.0) * 72 / 96, 2)  # SLD sizes are pixels
            changes["size_pt"] = min(72.0, max(1.0, size)) if math.isfinite(size) else 9.0
        if (colour := _colour(_params(_child(text, "Fill")).get("fill"))) is not None:
            changes["color"] = colour
        halo = _child(text, "Halo")
        changes.update(_read_label_placement(rule, text))
        if halo is None:
            changes["halo_width_px"] = 0.0
            changes["halo"] = False
        else:
            radius = _child(halo, "Radius")
            width = _float(radius.text if radius is not None else None, 1.0)
            changes["halo_width_px"] = min(10.0, max(0.0, width)) if math.isfinite(width) else 1.5
            halo_fill = _params(_child(halo, "Fill"))
            if (colour := _colour(halo_fill.get("fill"))) is not None:
                changes["halo_color"] = colour
            changes["halo_opacity"] = min(1.0, max(0.0, _float(halo_fill.get("fill-opacity"), 1.0)))
        return LabelSettings(**changes)
    return LabelSettings()


def _categorized(rules: list[tuple[ET.Element, Symbol, ET.Element | None]], else_symbol: Symbol | None,
                 notes: set[StyleNote]) -> Style | None:
    pairs = []
    for rule, symbol, condition in rules:
        if condition is None or _local(condition) != "PropertyIsEqualTo" or (pair := _literal_pair(condition)) is None:
            return None
        pairs.append((pair, rule, symbol))
    fields = {field for (field, _value), _rule, _symbol in pairs}
    if len(fields) != 1:
        return None
    categories = [Category(value, _rule_title(rule, value), _rule_title(rule, value), symbol)
                  for (_field, value), rule, symbol in pairs]
    if else_symbol is None:
        notes.add(StyleNote("outside_categories"))
    return CategorizedStyle(fields.pop(), categories, else_symbol or Symbol())


def _graduated(rules: list[tuple[ET.Element, Symbol, ET.Element | None]], notes: set[StyleNote]) -> Style | None:
    classes = []
    fields = set()
    for _rule, symbol, condition in rules:
        if condition is None:
            return None
        parts = list(condition) if _local(condition) == "And" else [condition]
        bounds: dict[str, float] = {}
        for part in parts:
            pair = _literal_pair(part)
            kind = _local(part)
            if pair is None or kind not in LOWER | UPPER:
                return None
            fields.add(pair[0])
            bounds["upper" if kind in UPPER else "lower"] = _float(pair[1], math.nan)
        if "upper" not in bounds or math.isnan(bounds["upper"]):
            return None
        classes.append((bounds.get("lower", -math.inf), bounds["upper"], symbol))
    if len(fields) != 1:
        return None
    classes.sort(key=lambda c: c[1])
    if any(not math.isclose(a[1], b[0]) for a, b in zip(classes, classes[1:], strict=False)):
        notes.add(StyleNote("sld_gaps_closed"))
    if classes and classes[0][0] > -1e300:
        notes.add(StyleNote("sld_below_first", {"lower": f"{classes[0][0]:g}"}))
    return GraduatedStyle(fields.pop(), [c[1] for c in classes], [c[2] for c in classes])


def sld_to_style(sld_text: str | bytes) -> StyleImport:
    """The gisapp style and labels nearest to an SLD 1.0 or SE 1.1 document.

    Raises :class:`~gisapp.io.qgis.safe_xml.XmlRefused` when it is not XML or not an SLD.
    """
    root = parse_xml(sld_text)
    if _local(root) != "StyledLayerDescriptor":
        raise XmlRefused(f"not an SLD style: the root element is <{_local(root)}>, not <StyledLayerDescriptor>")
    notes: set[StyleNote] = set()
    styles = _descendants(root, "FeatureTypeStyle")
    if not styles:
        raise XmlRefused("the SLD holds no FeatureTypeStyle")
    if len(_descendants(root, "NamedLayer")) > 1 or len(styles) > 1:
        notes.add(StyleNote("first_style_only"))
    all_rules = _children(styles[0], "Rule")
    if any(_child(r, "MinScaleDenominator") is not None or _child(r, "MaxScaleDenominator") is not None
           for r in all_rules):
        notes.add(StyleNote("rule_scales"))
    symbol_rules: list[tuple[ET.Element, Symbol, ET.Element | None]] = []
    else_symbol: Symbol | None = None
    families = set()
    for rule in all_rules:
        found = _rule_symbol(rule, notes)
        if found is None:
            continue
        symbol, family = found
        families.add(family)
        if _child(rule, "ElseFilter") is not None:
            else_symbol = symbol
            continue
        filter_element = _child(rule, "Filter")
        conditions = list(filter_element) if filter_element is not None else []
        symbol_rules.append((rule, symbol, conditions[0] if len(conditions) == 1 else None))
    if len(families) > 1:
        notes.add(StyleNote("several_geometries"))
    style: Style | None = None
    if not symbol_rules:
        style = SingleStyle(else_symbol or Symbol())
        if else_symbol is None:
            notes.add(StyleNote("no_symbolizer"))
    elif len(symbol_rules) == 1 and symbol_rules[0][2] is None and _child(symbol_rules[0][0], "Filter") is None:
        style = SingleStyle(symbol_rules[0][1])
    else:
        style = _categorized(symbol_rules, else_symbol, notes) or _graduated(symbol_rules, notes)
        if style is None:
            notes.add(StyleNote("sld_filters"))
            style = SingleStyle(symbol_rules[0][1])
    labels = _read_labels(all_rules, notes)
    family = next((SYMBOLIZER_FAMILY[_local(c)] for rule in all_rules for c in rule
                   if _local(c) in SYMBOLIZER_FAMILY), "")
    return StyleImport(style, 1.0, labels, sorted(notes, key=str), family)
