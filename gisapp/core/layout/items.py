"""A print layout: a page and its items, positioned in millimetres, stored as plain dicts.

Every item has a kind, a rectangle on the page (mm from the top-left corner) and the
properties its kind uses. Items that describe a map (scale bar, north arrow, legend,
overview) name the map frame they follow by ``map_id``. Text items may hold
``{placeholders}``: ``{today}`` is the printing date, and an atlas page fills in its
feature's ``{name}``, ``{role}``, ``{facts}``... (see :mod:`gisapp.core.layout.atlas`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import Any

from gisapp.core.layout.page import MAX_MARGIN_MM, PAPER_SIZES_MM, Page

ITEM_KINDS = ("map", "title", "subtitle", "text", "legend", "scale_bar", "north_arrow", "attribution",
              "review_number", "date", "image", "overview", "indicator_table")
ALIGNMENTS = ("left", "center", "right")
MAX_PAGE_MM = 2000.0
MIN_ITEM_MM = 1.0
MAX_SCALE = 1e9
FORMAT_VERSION = 1


class LayoutError(ValueError):
    """A stored layout is malformed; ``where`` is the path inside it (``items[2].width``)."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}" if where else problem)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not low <= value <= high:
        raise LayoutError(where, f"expected a number from {low:g} to {high:g}, got {_shown(value)}")
    return float(value)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise LayoutError(where, f"expected text, got {_shown(value)}")
    return value


@dataclass
class LayoutItem:
    """One item on the page. Fields a kind does not use keep their defaults.

    ``extent`` (map, overview) is lon0, lat0, lon1, lat1 in WGS 84; ``scale`` (map) is the
    denominator (50000 for 1:50,000) and wins over the extent's size, which then only gives
    the centre. ``layer_ids`` None means the project's visible layers, in its order.
    """

    id: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    text_zh: str = ""
    text_en: str = ""
    font_size_pt: float = 10.0
    bold: bool = False
    align: str = "left"
    map_id: str = "map"
    extent: tuple[float, float, float, float] | None = None
    scale: float | None = None
    crs: str = ""  # empty: the project's map CRS
    layer_ids: list[str] | None = None
    columns: int = 0  # legend: 0 chooses as many as the height needs
    path: str = ""  # image
    frame: bool = True  # a thin border around the item
    feature_id: str = ""  # indicator table: one feature's indicators ("" = the atlas feature or the plan's)
    max_rows: int = 12
    units: str = ""  # scale bar: "m", "km" or "" (km from 1 km up)
    segments: int = 0  # scale bar: 0 chooses 4 or 5

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.width, self.height)

    def moved_to(self, x: float, y: float) -> LayoutItem:
        return replace(self, x=x, y=y)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.extent is not None:
            data["extent"] = list(self.extent)
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str = "") -> LayoutItem:
        if not isinstance(data, dict):
            raise LayoutError(where, f"expected an object, got {_shown(data)}")
        at = partial(_join, where)
        for key in ("id", "kind", "x", "y", "width", "height"):
            if key not in data:
                raise LayoutError(at(key), "required key is missing")
        kind = data["kind"]
        if kind not in ITEM_KINDS:
            raise LayoutError(at("kind"), f"expected one of {', '.join(ITEM_KINDS)}, got {_shown(kind)}")
        values: dict[str, Any] = {"id": _text(data["id"], at("id")), "kind": kind}
        for key in ("x", "y"):
            values[key] = _number(data[key], at(key), -MAX_PAGE_MM, MAX_PAGE_MM)
        for key in ("width", "height"):
            values[key] = _number(data[key], at(key), MIN_ITEM_MM, MAX_PAGE_MM)
        for key in ("text_zh", "text_en", "map_id", "crs", "path", "feature_id"):
            if key in data:
                values[key] = _text(data[key], at(key))
        if "font_size_pt" in data:
            values["font_size_pt"] = _number(data["font_size_pt"], at("font_size_pt"), 1, 400)
        for key in ("bold", "frame"):
            if key in data:
                if not isinstance(data[key], bool):
                    raise LayoutError(at(key), f"expected true or false, got {_shown(data[key])}")
                values[key] = data[key]
        if "align" in data:
            if data["align"] not in ALIGNMENTS:
                raise LayoutError(at("align"), f"expected one of {', '.join(ALIGNMENTS)}, got {_shown(data['align'])}")
            values["align"] = data["align"]
        for key, high in (("columns", 20), ("max_rows", 200), ("segments", 20)):
            if key in data:
                number = _number(data[key], at(key), 0, high)
                if number != int(number):
                    raise LayoutError(at(key), f"expected a whole number, got {_shown(data[key])}")
                values[key] = int(number)
        if "units" in data:
            if data["units"] not in ("", "m", "km"):
                raise LayoutError(at("units"), f"expected m, km or empty, got {_shown(data['units'])}")
            values["units"] = data["units"]
        if data.get("extent") is not None:
            extent = data["extent"]
            if not isinstance(extent, list | tuple) or len(extent) != 4:
                raise LayoutError(at("extent"), f"expected [lon0, lat0, lon1, lat1], got {_shown(extent)}")
            lon0, lat0, lon1, lat1 = (_number(v, f"{at('extent')}[{n}]", -540, 540) for n, v in enumerate(extent))
            if lon1 <= lon0 or lat1 <= lat0 or abs(lat0) > 90 or abs(lat1) > 90:
                raise LayoutError(at("extent"), f"expected west < east and south < north in degrees, got {_shown(extent)}")
            values["extent"] = (lon0, lat0, lon1, lat1)
        if data.get("scale") is not None:
            values["scale"] = _number(data["scale"], at("scale"), 1, MAX_SCALE)
        if data.get("layer_ids") is not None:
            ids = data["layer_ids"]
            if not isinstance(ids, list):
                raise LayoutError(at("layer_ids"), f"expected a list of layer ids, got {_shown(ids)}")
            values["layer_ids"] = [_text(v, f"{at('layer_ids')}[{n}]") for n, v in enumerate(ids)]
        return cls(**values)


@dataclass
class Layout:
    """A named page of items; ``atlas_layer`` (a layer id) makes it one page per feature."""

    name: str
    page: Page = field(default_factory=Page)
    items: list[LayoutItem] = field(default_factory=list)
    atlas_layer: str = ""

    def item(self, item_id: str) -> LayoutItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def items_of(self, kind: str) -> list[LayoutItem]:
        return [item for item in self.items if item.kind == kind]

    def replace_item(self, item: LayoutItem) -> None:
        self.items = [item if existing.id == item.id else existing for existing in self.items]

    def new_item_id(self, kind: str) -> str:
        used = {item.id for item in self.items}
        if kind not in used:
            return kind
        number = 2
        while f"{kind}{number}" in used:
            number += 1
        return f"{kind}{number}"

    def to_dict(self) -> dict[str, Any]:
        return {"format_version": FORMAT_VERSION, "name": self.name,
                "page": {"paper": self.page.paper, "landscape": self.page.landscape,
                         "margin_mm": self.page.margin_mm},
                "items": [item.to_dict() for item in self.items], "atlas_layer": self.atlas_layer}

    @classmethod
    def from_dict(cls, data: Any, where: str = "") -> Layout:
        """A layout from its stored dict; a malformed part raises :class:`LayoutError` naming it.

        >>> Layout.from_dict({"name": "x", "page": {"paper": "A9"}})
        Traceback (most recent call last):
        ...
        gisapp.core.layout.items.LayoutError: page.paper: expected one of A4, A3, A2, A1, A0, got 'A9'
        """
        at = partial(_join, where)
        if not isinstance(data, dict):
            raise LayoutError(where, f"expected an object, got {_shown(data)}")
        version = data.get("format_version", FORMAT_VERSION)
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise LayoutError(at("format_version"), f"made by a newer gisapp (version {_shown(version)})")
        name = _text(data.get("name", ""), at("name"))
        page_data = data.get("page", {})
        if not isinstance(page_data, dict):
            raise LayoutError(at("page"), f"expected an object, got {_shown(page_data)}")
        paper = page_data.get("paper", "A4")
        if paper not in PAPER_SIZES_MM:
            raise LayoutError(at("page.paper"), f"expected one of {', '.join(PAPER_SIZES_MM)}, got {_shown(paper)}")
        landscape = page_data.get("landscape", False)
        if not isinstance(landscape, bool):
            raise LayoutError(at("page.landscape"), f"expected true or false, got {_shown(landscape)}")
        margin = _number(page_data.get("margin_mm", 10.0), at("page.margin_mm"), 0, MAX_MARGIN_MM)
        raw_items = data.get("items", [])
        if not isinstance(raw_items, list):
            raise LayoutError(at("items"), f"expected a list, got {_shown(raw_items)}")
        items = [LayoutItem.from_dict(entry, at(f"items[{n}]")) for n, entry in enumerate(raw_items)]
        seen: set[str] = set()
        for n, item in enumerate(items):
            if item.id in seen:
                raise LayoutError(at(f"items[{n}].id"), f"the id {item.id!r} is used twice")
            seen.add(item.id)
        atlas = _text(data.get("atlas_layer", ""), at("atlas_layer"))
        return cls(name=name, page=Page(paper, landscape, margin), items=items, atlas_layer=atlas)
