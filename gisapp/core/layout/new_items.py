"""A new item of any kind for a layout: a size that reads well, a free place, default text."""

from __future__ import annotations

from gisapp.core.layout.items import ITEM_KINDS, Layout, LayoutItem
from gisapp.core.texts import Bilingual

# Width, height (mm) and font size of a new item of each kind.
NEW_SIZES: dict[str, tuple[float, float, float]] = {
    "map": (150.0, 110.0, 10.0), "title": (120.0, 14.0, 16.0), "subtitle": (120.0, 8.0, 10.0),
    "text": (70.0, 12.0, 9.0), "legend": (60.0, 80.0, 8.0), "scale_bar": (60.0, 14.0, 9.0),
    "north_arrow": (14.0, 18.0, 10.0), "attribution": (90.0, 10.0, 6.5), "review_number": (80.0, 5.0, 7.0),
    "date": (50.0, 5.0, 7.0), "image": (30.0, 30.0, 10.0), "overview": (60.0, 45.0, 10.0),
    "indicator_table": (160.0, 60.0, 8.0),
}
NEW_TEXTS: dict[str, Bilingual] = {
    "title": Bilingual("标题", "Title"),
    "subtitle": Bilingual("副标题", "Subtitle"),
    "text": Bilingual("文字", "Text"),
    "review_number": Bilingual("审图号：", "Map review no.: "),
    "date": Bilingual("制图日期：{today}", "Date: {today}"),
}
FRAMED = ("map", "legend", "overview", "indicator_table", "image")
STEP_MM = 6.0  # each further new item sits this much lower and to the right: none hides another


def new_item(layout: Layout, kind: str) -> LayoutItem:
    """An item of ``kind`` for ``layout`` with a fresh id, inside the margins, not exactly on
    top of an item added before it. Items that follow a map follow the layout's first map.

    >>> from gisapp.core.layout.templates import plan_map
    >>> layout = plan_map()
    >>> item = new_item(layout, "legend")
    >>> item.id, item.map_id, item.width
    ('legend2', 'map', 60.0)
    """
    if kind not in ITEM_KINDS:
        raise ValueError(f"no item kind {kind!r}; choose one of {', '.join(ITEM_KINDS)}")
    width, height, font_size = NEW_SIZES[kind]
    x0, y0, content_w, content_h = layout.page.content_mm
    width, height = min(width, content_w), min(height, content_h)
    x, y = x0 + (content_w - width) / 2, y0 + (content_h - height) / 2
    taken = {(round(item.x, 1), round(item.y, 1)) for item in layout.items}
    while (round(x, 1), round(y, 1)) in taken and x + width + STEP_MM <= x0 + content_w \
            and y + height + STEP_MM <= y0 + content_h:
        x, y = x + STEP_MM, y + STEP_MM
    maps = layout.items_of("map")
    text = NEW_TEXTS.get(kind)
    return LayoutItem(layout.new_item_id(kind), kind, x, y, width, height,
                      text_zh=text.zh if text else "", text_en=text.en if text else "",
                      font_size_pt=font_size, bold=kind == "title", frame=kind in FRAMED,
                      map_id=maps[0].id if maps else "map")
