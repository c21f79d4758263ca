"""WMTS GetCapabilities: the layers a server offers and which of their tile matrix sets gisapp can draw.

gisapp draws tiles in Web Mercator (gisapp.core.geo.tiles), so a tile matrix set is usable when
it is EPSG:3857 (or a name of it) and its matrices are the GoogleMapsCompatible pyramid: the
top-left corner at the world's corner and each level's scale denominator that of a zoom (within
1 %). Matrix identifiers may be the zoom ("0".."18") or end in it ("EPSG:3857:12"); the GetTile
template then carries that prefix. Anything else is listed with the reason it cannot be used
(a CGCS2000 or lon/lat pyramid, identifiers that are no zoom), never silently dropped.

The document is parsed with defusedxml (gisapp.io.qgis.safe_xml: no entity expansion, a size
cap) and fetched with the same User-Agent as tiles.

"""

from __future__ import annotations

import math
import re
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from gisapp.io.errors import GisIOError
from gisapp.io.qgis.safe_xml import XmlRefused, parse_xml
from gisapp.io.tiles.sources import USER_AGENT, wmts_template

WORLD_HALF = 20037508.342789244
ZOOM0_SCALE = 559082264.0287178  # GoogleMapsCompatible's scale denominator at zoom 0 (0.28 mm pixels)
MAX_CAPABILITIES_BYTES = 16 * 1024 * 1024
TIMEOUT_S = 15.0
WEB_MERCATOR_NAMES = ("3857", "900913", "102100", "102113", "3785")


@dataclass(frozen=True)
class MatrixSet:
    identifier: str
    crs: str
    zooms: tuple[int, ...]  # the zoom of each matrix, in the document's order
    prefix: str  # matrix identifier = prefix + zoom
    problem: str = ""  # why gisapp cannot draw it ("" if it can)


@dataclass
class WmtsLayer:
    identifier: str
    title: str
    base_url: str  # the KVP GetTile endpoint
    formats: list[str] = field(default_factory=list)
    style: str = "default"
    usable: list[MatrixSet] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (matrix set, why)
    resource_template: str = ""  # a RESTful ResourceURL template, if the server gives one

    @property
    def image_format(self) -> str:
        for preferred in ("image/png", "image/jpeg", "image/jpg", "image/webp"):
            if preferred in self.formats:
                return preferred
        return self.formats[0] if self.formats else "image/png"

    def template(self, matrix_set: MatrixSet) -> str:
        """gisapp's XYZ-style template of GetTile for this layer and matrix set."""
        if self.resource_template:
            return (self.resource_template.replace("{TileMatrixSet}", matrix_set.identifier)
                    .replace("{Style}", self.style).replace("{TileMatrix}", matrix_set.prefix + "{z}")
                    .replace("{TileRow}", "{y}").replace("{TileCol}", "{x}"))
        url = wmts_template(self.base_url, self.identifier, matrix_set.identifier, self.style, self.image_format)
        return url.replace("TILEMATRIX={z}", f"TILEMATRIX={matrix_set.prefix}{{z}}")

    def zoom_range(self, matrix_set: MatrixSet) -> tuple[int, int]:
        return min(matrix_set.zooms), max(matrix_set.zooms)


@dataclass
class WmtsCapabilities:
    title: str
    layers: list[WmtsLayer]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child_text(element: Element, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "").strip() if found else ""


def _is_web_mercator(crs: str) -> bool:
    code = re.findall(r"(\d+)\s*$", crs.replace("::", ":"))
    return bool(code) and code[0] in WEB_MERCATOR_NAMES


def _matrix_set(element: Element) -> MatrixSet:
    identifier = _child_text(element, "Identifier")
    crs = _child_text(element, "SupportedCRS")
    codes = re.findall(r"(\d+)\s*$", crs)
    short = f"EPSG:{codes[0]}" if codes else crs
    matrices = _children(element, "TileMatrix")
    if not _is_web_mercator(crs):
        return MatrixSet(identifier, crs, (), "", f"its CRS is {short}, not Web Mercator (EPSG:3857)")
    zooms, names = [], []
    for matrix in matrices:
        try:
            scale = float(_child_text(matrix, "ScaleDenominator"))
            corner = [float(v) for v in _child_text(matrix, "TopLeftCorner").split()]
            tile_width = int(_child_text(matrix, "TileWidth") or 256)
        except ValueError:
            return MatrixSet(identifier, crs, (), "", "a tile matrix has no readable scale or corner")
        zoom = math.log2(ZOOM0_SCALE * 256 / tile_width / scale) if scale > 0 else math.nan
        if not (math.isfinite(zoom) and abs(zoom - round(zoom)) < 0.015):
            return MatrixSet(identifier, crs, (), "", f"its scales are not the Web Mercator zoom levels "
                                                      f"(scale 1:{scale:,.0f})")
        if len(corner) != 2 or not all(abs(abs(v) - WORLD_HALF) < 1.0 for v in corner):
            return MatrixSet(identifier, crs, (), "", "its tiles do not start at the corner of the world")
        zooms.append(round(zoom))
        names.append(_child_text(matrix, "Identifier"))
    if not zooms:
        return MatrixSet(identifier, crs, (), "", "it has no tile matrices")
    prefixes = {name[: len(name) - len(str(zoom))] for name, zoom in zip(names, zooms, strict=True)
                if name.endswith(str(zoom))}
    if len(prefixes) != 1 or sum(name.endswith(str(zoom)) for name, zoom in zip(names, zooms, strict=True)) != len(names):
        return MatrixSet(identifier, crs, tuple(zooms), "", "its matrix identifiers do not end in the zoom level")
    return MatrixSet(identifier, crs, tuple(zooms), prefixes.pop())


def _get_tile_url(root: Element, fallback: str) -> str:
    """The KVP GetTile endpoint from OperationsMetadata, else the capabilities URL's own path."""
    for operation in root.iter():
        if _local(operation.tag) == "Operation" and operation.get("name") == "GetTile":
            for get in operation.iter():
                if _local(get.tag) == "Get":
                    href = next((v for k, v in get.attrib.items() if _local(k) == "href"), "")
                    constraint = " ".join(value.text or "" for value in get.iter() if _local(value.tag) == "Value")
                    if href and ("KVP" in constraint or not constraint.strip()):
                        return href.rstrip("?&")
    parts = urlsplit(fallback)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def parse_capabilities(data: bytes, url: str) -> WmtsCapabilities:
    """The layers of a WMTS capabilities document fetched from ``url``; GisIOError if it is none."""
    try:
        root = parse_xml(data)
    except XmlRefused as exc:
        raise GisIOError(_name(url), f"the WMTS capabilities cannot be read: {exc}") from None
    if _local(root.tag) != "Capabilities":
        raise GisIOError(_name(url), f"this is not a WMTS capabilities document (its root is <{_local(root.tag)}>)")
    contents = next((c for c in root if _local(c.tag) == "Contents"), None)
    if contents is None:
        raise GisIOError(_name(url), "the WMTS capabilities list no layers (no <Contents>)")
    sets = {matrix.identifier: matrix for matrix in map(_matrix_set, _children(contents, "TileMatrixSet"))}
    base = _get_tile_url(root, url)
    layers = []
    for element in _children(contents, "Layer"):
        identifier = _child_text(element, "Identifier")
        if not identifier:
            continue
        styles = _children(element, "Style")
        default = next((s for s in styles if s.get("isDefault") == "true"), styles[0] if styles else None)
        layer = WmtsLayer(identifier, _child_text(element, "Title") or identifier, base,
                          formats=[(f.text or "").strip() for f in _children(element, "Format")],
                          style=_child_text(default, "Identifier") if default is not None else "default")
        for resource in _children(element, "ResourceURL"):
            if resource.get("resourceType") == "tile" and resource.get("template"):
                layer.resource_template = resource.get("template", "")
                break
        for link in _children(element, "TileMatrixSetLink"):
            name = _child_text(link, "TileMatrixSet")
            matrix = sets.get(name)
            if matrix is None:
                layer.refused.append((name, "the document does not define it"))
            elif matrix.problem:
                layer.refused.append((name, matrix.problem))
            else:
                layer.usable.append(matrix)
        layers.append(layer)
    if not layers:
        raise GisIOError(_name(url), "the WMTS capabilities list no layers")
    service = next((c for c in root if _local(c.tag) == "ServiceIdentification"), None)
    return WmtsCapabilities(_child_text(service, "Title") if service is not None else "", layers)


def _name(url: str) -> str:
    return urlsplit(url).netloc or url


def capabilities_url(url: str) -> str:
    """The GetCapabilities request of a WMTS endpoint (a URL that already asks for it stays)."""
    if "request=getcapabilities" in url.lower() or url.lower().endswith(".xml"):
        return url
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0"


def fetch_capabilities(url: str, timeout_s: float = TIMEOUT_S) -> WmtsCapabilities:
    """Ask the server (call off the UI thread); GisIOError saying what went wrong."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise GisIOError(_name(url), "the WMTS URL must start with http:// or https://")
    request = urllib.request.Request(capabilities_url(url), headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            data = answer.read(MAX_CAPABILITIES_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise GisIOError(_name(url), f"the server answered HTTP {exc.code} to GetCapabilities") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GisIOError(_name(url), f"the server could not be reached ({reason})") from None
    if len(data) > MAX_CAPABILITIES_BYTES:
        raise GisIOError(_name(url), "the capabilities document is larger than 16 MB")
    return parse_capabilities(data, url)
