"""TileLayer: a basemap of web-mercator tiles (XYZ, WMTS or an MBTiles file) in the layer tree.

It is the first map layer without features. It shares the tree's part of a layer (id,
titles, group, visibility, opacity, metadata, ``changed``) with :class:`VectorLayer`, and
:data:`MapLayer` names every kind the project's layer list holds. Whatever needs features
(identify, the attribute table, editing, indicators, analysis) asks the project for
``vector_layers()`` and never sees a tile layer; a raster layer joins the same way.

The source is described, not opened: ``gisapp.io.tiles`` turns a :class:`TileSource` into
tile requests. A key a source needs (Tianditu's ``tk``) is never part of it: the URL holds
the ``{key}`` placeholder and the key stays in the operating system's keyring.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

from gisapp.core.events import Signal
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.layer_state import ShownLayer
from gisapp.core.model.raster_layer import RasterLayer

TILE_KINDS = ("xyz", "mbtiles")


@dataclass(frozen=True)
class TileSource:
    """Where tiles come from.

    ``kind`` is ``xyz`` (a URL template with ``{z}``, ``{x}``, ``{y}``, optionally ``{s}`` for
    a subdomain, ``{r}`` for ``@2x`` on HiDPI screens and ``{key}`` for a key kept in the
    keyring; WMTS KVP requests are written as such a template) or ``mbtiles`` (``path``).
    ``attribution`` is shown on the map; ``review_number`` is a map review number (审图号)
    that must be shown with it.
    """

    kind: str
    url: str = ""
    path: str = ""
    subdomains: str = ""
    min_zoom: int = 0
    max_zoom: int = 19
    attribution: str = ""
    review_number: str = ""
    key_service: str = ""  # keyring service name when the URL has {key}, e.g. "tianditu"
    preset: str = ""  # the preset it came from ("osm", "tianditu-vec", ...), or ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TileSource:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def attribution_text(self) -> str:
        if self.review_number and self.review_number not in self.attribution:
            return f"{self.attribution} {self.review_number}".strip()
        return self.attribution


@dataclass
class TileLayer(ShownLayer):
    """One basemap in the layer tree (drawn in tree order like any layer)."""

    kind: ClassVar[str] = "tiles"

    id: str
    title_zh: str
    title_en: str
    source: TileSource
    group: str = ""
    visible: bool = True
    opacity: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.changed = Signal()  # emitted with a reason: "visibility", "opacity", "source"


# Every kind of layer the project's list holds.
MapLayer = VectorLayer | TileLayer | RasterLayer
