"""Where a map frame looks: its view from the item's extent or scale, or the atlas feature."""

from __future__ import annotations

from dataclasses import replace

from gisapp.core.geo.geodesy import STORAGE_CRS, transformer
from gisapp.core.geo.viewport import Viewport, extent_problem, with_min_span
from gisapp.core.layout.cartography import (
    round_scale,
    scale_denominator,
    units_per_mm_for_scale,
)
from gisapp.core.layout.items import LayoutItem
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.tile_layer import MapLayer

BASE_GROUP = "base"
DALIAN_HITECH = (121.3, 38.8, 121.7, 39.1)  # lon/lat: a frame with nothing to draw still shows the zone
ATLAS_MARGIN = 0.25  # the atlas feature fills the frame less a quarter on each side, for context


def frame_crs(item: LayoutItem, project: Project) -> str:
    return item.crs or project.canvas_crs


def frame_layers(item: LayoutItem, project: Project) -> list[VectorLayer]:
    """Bottom to top, the layers the frame draws: ``layer_ids`` (in project order) or the visible ones."""
    if item.layer_ids is None:
        return [layer for layer in project.render_order() if layer.visible and len(layer)]
    wanted = set(item.layer_ids)
    return [layer for layer in project.render_order() if layer.id in wanted and len(layer)]


def frame_map_layers(item: LayoutItem, project: Project) -> list[MapLayer]:
    """Bottom to top, every layer the frame draws: vector layers as :func:`frame_layers`, with the
    rasters and basemaps among them (visible ones, or those ``layer_ids`` names)."""
    vector = {id(layer) for layer in frame_layers(item, project)}
    wanted = None if item.layer_ids is None else set(item.layer_ids)
    return [layer for layer in project.map_render_order()
            if id(layer) in vector or (not isinstance(layer, VectorLayer)
                                       and (layer.visible if wanted is None else layer.id in wanted))]


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float] | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def layers_bounds(layers: list[VectorLayer], crs: str) -> tuple[float, float, float, float] | None:
    """Their extent in ``crs``, leaving out layers whose bounds cannot be shown."""
    return _union([b for b in (layer.bounds_in(crs) for layer in layers)
                   if b is not None and extent_problem(b, crs) is None])


def plan_bounds(layers: list[VectorLayer], crs: str) -> tuple[float, float, float, float] | None:
    """As the canvas's full extent: the plan layers, the base layers only if there is nothing else."""
    plan = [layer for layer in layers if layer.group != BASE_GROUP]
    return layers_bounds(plan, crs) or layers_bounds(layers, crs)


def lonlat_to_crs(extent: tuple[float, float, float, float], crs: str) -> tuple[float, float, float, float]:
    west, south, east, north = transformer(STORAGE_CRS, crs).transform_bounds(*extent)
    return float(west), float(south), float(east), float(north)


def map_view(item: LayoutItem, project: Project, width_px: int, height_px: int, px_per_mm: float,
             focus: tuple[float, float, float, float] | None = None) -> Viewport:
    """The view of a map frame ``width_px`` x ``height_px`` device pixels at ``px_per_mm``.

    ``focus`` (bounds in the frame CRS, an atlas feature) centres the view on it, fitted
    with a margin; else the item's extent, else the drawn layers. With a ``scale`` the
    frame prints at exactly that scale; fitted views are widened to the next round scale.
    """
    crs = frame_crs(item, project)
    if focus is not None:
        bounds = with_min_span(focus, crs)
        margin = ATLAS_MARGIN
    elif item.extent is not None:
        bounds, margin = lonlat_to_crs(item.extent, crs), 0.0
    else:
        bounds = plan_bounds(frame_layers(item, project), crs) or lonlat_to_crs(DALIAN_HITECH, crs)
        margin = 0.03
    view = Viewport(width=max(1, width_px), height=max(1, height_px), crs=crs).fitted(bounds, margin)
    units_per_mm = view.resolution * px_per_mm
    current = scale_denominator(units_per_mm, crs, view.center_x, view.center_y)
    scale = item.scale if item.scale and focus is None else round_scale(current)
    units_per_mm = units_per_mm_for_scale(scale, crs, view.center_x, view.center_y)
    return replace(view, resolution=units_per_mm / px_per_mm)


def view_scale(view: Viewport, px_per_mm: float) -> float:
    return scale_denominator(view.resolution * px_per_mm, view.crs, view.center_x, view.center_y)
