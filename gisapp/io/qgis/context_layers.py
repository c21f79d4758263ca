"""Basemaps and rasters in the QGIS project gisapp stores: the map's context for QGIS users.

An XYZ basemap becomes a ``wms`` provider layer with QGIS's XYZ source string
(``type=xyz&url=...&zmin=..&zmax=..``, the URL percent-encoded as QGIS writes it), an MBTiles
file the same provider's ``type=mbtiles``, and a raster a ``gdal`` layer by path (relative to the
GeoPackage where it can be), with a renderer like gisapp's: bands 1-3 as RGB, or one band
through the same matplotlib colormap sampled into an interpolated colour ramp between the
layer's limits. A basemap whose URL needs a key kept in the keyring (Tianditu) is left out:
the key must not leave the keyring, and QGIS could not load it without.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.model.tile_layer import TileLayer

RAMP_STOPS = 11  # colours sampled from the matplotlib colormap for QGIS's interpolated ramp


def qgis_context_id(layer: TileLayer | RasterLayer) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in layer.id)
    return f"gisapp_{layer.kind}_{safe}"


def tile_source(layer: TileLayer) -> str | None:
    """QGIS's data source of a basemap (None when QGIS cannot load it without a kept key)."""
    source = layer.source
    if source.kind == "mbtiles":
        return f"type=mbtiles&url={quote(Path(source.path).resolve().as_uri(), safe=':/')}"
    if "{key}" in source.url:
        return None
    url = source.url.replace("{r}", "")
    if "{s}" in url:  # QGIS 3.22's XYZ has no subdomains: take the first
        url = url.replace("{s}", (source.subdomains or "a")[0])
    return f"type=xyz&url={quote(url, safe=':/?=&,;@!$()*+')}&zmax={source.max_zoom}&zmin={source.min_zoom}"


def raster_source(layer: RasterLayer, folder: Path | None) -> str:
    if folder is not None:
        try:
            relative = os.path.relpath(Path(layer.path).resolve(), folder.resolve())
            return relative if relative.startswith("..") else f"./{relative}"
        except ValueError:  # another drive
            pass
    return str(Path(layer.path).resolve())


@dataclass(frozen=True)
class ContextLayer:
    """A basemap or raster as the stored QGIS project lists it."""

    layer: TileLayer | RasterLayer
    source: str
    provider: str  # "wms" or "gdal"

    @property
    def qgis_id(self) -> str:
        return qgis_context_id(self.layer)

    @property
    def name(self) -> str:
        return self.layer.title_zh or self.layer.title_en or self.layer.id

    def tree_element(self, parent: ET.Element) -> None:
        ET.SubElement(parent, "layer-tree-layer", {
            "id": self.qgis_id, "name": self.name, "source": self.source, "providerKey": self.provider,
            "checked": "Qt::Checked" if self.layer.visible else "Qt::Unchecked", "expanded": "0"})

    def map_element(self, parent: ET.Element, spatial_ref_sys: Callable[[ET.Element, str], ET.Element]) -> None:
        element = ET.SubElement(parent, "maplayer", {
            "type": "raster", "styleCategories": "AllStyleCategories", "hasScaleBasedVisibilityFlag": "0",
            "minScale": "1e+08", "maxScale": "0", "refreshOnNotifyEnabled": "0", "autoRefreshEnabled": "0"})
        ET.SubElement(element, "id").text = self.qgis_id
        ET.SubElement(element, "datasource").text = self.source
        ET.SubElement(element, "layername").text = self.name
        crs = self.layer.info.crs if isinstance(self.layer, RasterLayer) else "EPSG:3857"
        spatial_ref_sys(ET.SubElement(element, "srs"), crs)
        metadata = ET.SubElement(element, "resourceMetadata")
        ET.SubElement(metadata, "title").text = self.layer.title_zh
        ET.SubElement(metadata, "abstract").text = self.layer.title_en
        if isinstance(self.layer, TileLayer) and self.layer.source.attribution_text():
            ET.SubElement(metadata, "rights").text = self.layer.source.attribution_text()
        ET.SubElement(element, "provider").text = self.provider
        pipe = ET.SubElement(element, "pipe")
        if isinstance(self.layer, RasterLayer):
            _raster_renderer(pipe, self.layer)
        else:
            renderer = ET.SubElement(pipe, "rasterrenderer", {
                "type": "singlebandcolordata", "band": "1", "alphaBand": "-1", "opacity": _number(self.layer.opacity),
                "nodataColor": ""})
            ET.SubElement(renderer, "rasterTransparency")
        ET.SubElement(pipe, "brightnesscontrast", brightness="0", contrast="0", gamma="1")
        ET.SubElement(pipe, "huesaturation", saturation="0", grayscaleMode="0", colorizeOn="0")
        ET.SubElement(pipe, "rasterresampler", maxOversampling="2")
        ET.SubElement(element, "blendMode").text = "0"


def _number(value: float) -> str:
    return repr(float(value))


def _raster_renderer(pipe: ET.Element, layer: RasterLayer) -> None:
    info, style = layer.info, layer.style
    common = {"alphaBand": str(info.alpha_band or -1), "opacity": _number(layer.opacity), "nodataColor": ""}
    if style.mode == "rgb" and info.count >= 3:
        renderer = ET.SubElement(pipe, "rasterrenderer", {"type": "multibandcolor", "redBand": "1", "greenBand": "2",
                                                          "blueBand": "3", **common})
        ET.SubElement(renderer, "rasterTransparency")
        for channel, name in enumerate(("red", "green", "blue")):
            low, high = (0.0, 255.0) if info.dtype == "uint8" else info.stretch[channel]
            enhancement = ET.SubElement(renderer, f"{name}ContrastEnhancement")
            ET.SubElement(enhancement, "minValue").text = _number(low)
            ET.SubElement(enhancement, "maxValue").text = _number(high)
            ET.SubElement(enhancement, "algorithm").text = "StretchToMinimumMaximum"
        return
    import matplotlib

    band = min(max(style.band, 1), info.count)
    low, high = layer.limits()
    renderer = ET.SubElement(pipe, "rasterrenderer", {
        "type": "singlebandpseudocolor", "band": str(band), "classificationMin": _number(low),
        "classificationMax": _number(high), **common})
    ET.SubElement(renderer, "rasterTransparency")
    shader = ET.SubElement(ET.SubElement(renderer, "rastershader"), "colorrampshader", {
        "colorRampType": "INTERPOLATED", "classificationMode": "1", "clip": "0",
        "minimumValue": _number(low), "maximumValue": _number(high), "labelPrecision": "4"})
    try:
        colormap = matplotlib.colormaps[style.ramp]
    except KeyError:
        colormap = matplotlib.colormaps["viridis"]
    for step in range(RAMP_STOPS):
        fraction = step / (RAMP_STOPS - 1)
        red, green, blue, _alpha = colormap(fraction, bytes=True)
        value = low + (high - low) * fraction
        ET.SubElement(shader, "item", {"alpha": "255", "value": _number(value), "label": f"{value:.4g}",
                                       "color": f"#{int(red):02x}{int(green):02x}{int(blue):02x}"})


def context_layers(layers: Sequence[object], folder: Path | None) -> list[ContextLayer]:
    """The basemaps and rasters among ``layers`` that QGIS can load, in the same order."""
    found = []
    for layer in layers:
        if isinstance(layer, RasterLayer):
            found.append(ContextLayer(layer, raster_source(layer, folder), "gdal"))
        elif isinstance(layer, TileLayer):
            source = tile_source(layer)
            if source is not None:
                found.append(ContextLayer(layer, source, "wms"))
    return found
