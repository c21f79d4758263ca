"""The built-in layouts: an A3 landscape plan map and an A4 portrait zone sheet (atlas)."""

from __future__ import annotations

from gisapp.core.layout.items import Layout, LayoutItem
from gisapp.core.layout.page import Page

PLAN_MAP = "a3-plan-map"
ZONE_SHEET = "a4-zone-sheet"
TEMPLATE_NAMES = (PLAN_MAP, ZONE_SHEET)


def plan_map(page: Page | None = None, title_zh: str = "大连高新区空间布局规划图",
             title_en: str = "Dalian High-tech Zone: spatial layout plan") -> Layout:
    """A3 landscape (or ``page``): a large map, a side column with title, legend, north arrow,
    scale bar, overview and credits. Positions follow the page size."""
    page = page or Page("A3", landscape=True, margin_mm=10.0)
    x0, y0, width, height = page.content_mm
    side = max(80.0, width * 0.27)
    map_w = width - side - 5
    sx = x0 + map_w + 5
    items = [
        LayoutItem("map", "map", x0, y0, map_w, height),
        LayoutItem("title", "title", sx, y0, side, 14, text_zh=title_zh, text_en=title_en,
                   font_size_pt=16, bold=True, frame=False),
        LayoutItem("subtitle", "subtitle", sx, y0 + 14, side, 9, text_zh="“一廊一心一城多组团”",
                   text_en="One corridor, one core, one city, multiple clusters", font_size_pt=10, frame=False),
        LayoutItem("north_arrow", "north_arrow", sx, y0 + 24, 14, 18, frame=False),
        LayoutItem("scale_bar", "scale_bar", sx + 16, y0 + 26, side - 16, 14, frame=False),
        LayoutItem("legend", "legend", sx, y0 + 44, side, height - 44 - 78, font_size_pt=7.5),
        LayoutItem("overview", "overview", sx, y0 + height - 74, side, 44,
                   layer_ids=["base_land", "base_coastline", "base_central_districts", "hitech_science_city",
                              "hitech_clusters", "hitech_core_zones"]),
        LayoutItem("attribution", "attribution", sx, y0 + height - 28, side, 10, font_size_pt=6.5, frame=False),
        LayoutItem("review_number", "review_number", sx, y0 + height - 17, side, 5, font_size_pt=7,
                   text_zh="审图号：（示意图，未送审）", text_en="Map review no.: (schematic, not submitted)", frame=False),
        LayoutItem("date", "date", sx, y0 + height - 11, side, 5, font_size_pt=7, frame=False,
                   text_zh="制图日期：{today}", text_en="Date: {today}"),
        LayoutItem("note", "text", sx, y0 + height - 5.5, side, 5, font_size_pt=6, frame=False,
                   text_zh="规划范围与分区为示意，非测绘成果", text_en="Plan shapes are schematic, not surveyed"),
    ]
    return Layout(PLAN_MAP, page, items)


def zone_sheet(layer_id: str = "hitech_clusters", page: Page | None = None) -> Layout:
    """A4 portrait, one page per feature of ``layer_id``: the zone centred, its name, role,
    area and share of its parent, and its linked indicators."""
    page = page or Page("A4", landscape=False, margin_mm=12.0)
    x0, y0, width, height = page.content_mm
    map_h = height * 0.50
    items = [
        LayoutItem("title", "title", x0, y0, width, 11, text_zh="{name}", text_en="{name}",
                   font_size_pt=18, bold=True, frame=False),
        LayoutItem("subtitle", "subtitle", x0, y0 + 12, width, 7, text_zh="{layer} · {facts}",
                   text_en="{layer} · {facts}", font_size_pt=9.5, frame=False),
        LayoutItem("role", "text", x0, y0 + 20, width, 12, text_zh="{role}\n{industries_line}",
                   text_en="{role}\n{industries_line}", font_size_pt=8.5, frame=False),
        LayoutItem("map", "map", x0, y0 + 33, width, map_h),
        LayoutItem("north_arrow", "north_arrow", x0 + width - 14, y0 + 35, 12, 16, frame=False),
        LayoutItem("scale_bar", "scale_bar", x0 + 2, y0 + 33 + map_h - 14, 70, 12),
        LayoutItem("indicator_table", "indicator_table", x0, y0 + 36 + map_h, width, height - map_h - 36 - 12,
                   font_size_pt=8, max_rows=14),
        LayoutItem("attribution", "attribution", x0, y0 + height - 10, width * 0.7, 9, font_size_pt=6.5,
                   frame=False),
        LayoutItem("date", "date", x0 + width * 0.7, y0 + height - 10, width * 0.3, 5, font_size_pt=7,
                   align="right", frame=False, text_zh="制图日期：{today}", text_en="Date: {today}"),
    ]
    return Layout(ZONE_SHEET, page, items, atlas_layer=layer_id)


def builtin(name: str) -> Layout:
    """A built-in layout by name (KeyError naming the choices otherwise)."""
    if name == PLAN_MAP:
        return plan_map()
    if name == ZONE_SHEET:
        return zone_sheet()
    raise KeyError(f"no built-in layout {name!r}; choose {' or '.join(TEMPLATE_NAMES)}, or give a layout JSON file")


def on_page(layout: Layout, page: Page) -> Layout:
    """``layout`` re-made for another paper or orientation: the built-ins lay themselves out
    again; other layouts scale their items to the new page."""
    if layout.name == PLAN_MAP:
        fresh = plan_map(page)
    elif layout.name == ZONE_SHEET:
        fresh = zone_sheet(layout.atlas_layer or "hitech_clusters", page)
    else:
        fresh = None
    if fresh is not None:
        old = {item.id: item for item in layout.items}
        for item in fresh.items:  # keep what the user set, but not where it was
            if item.id in old:
                kept = old[item.id]
                for key in ("text_zh", "text_en", "scale", "extent", "crs", "layer_ids", "path", "columns"):
                    setattr(item, key, getattr(kept, key))
        fresh.atlas_layer = layout.atlas_layer
        return fresh
    fx = page.width_mm / layout.page.width_mm
    fy = page.height_mm / layout.page.height_mm
    items = [LayoutItem(**{**item.__dict__, "x": item.x * fx, "y": item.y * fy,
                           "width": item.width * fx, "height": item.height * fy}) for item in layout.items]
    return Layout(layout.name, page, items, layout.atlas_layer)
