"""Project: groups of ordered layers, plan indicators and project metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gisapp.core.events import Signal
from gisapp.core.geo.geodesy import DEFAULT_CANVAS_CRS
from gisapp.core.model.bookmarks import Bookmark
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.tile_layer import MapLayer
from gisapp.core.plan.indicators import IndicatorCatalog
from gisapp.core.texts import pick

USER_GROUP = "user"


@dataclass
class LayerGroup:
    id: str
    title_zh: str
    title_en: str

    def title(self, lang: str) -> str:
        return pick(lang, self.title_zh, self.title_en)


@dataclass
class Project:
    """Layers ordered top (drawn last) to bottom, in groups like a layer tree.

    ``layers`` holds every kind of map layer in tree order (vector layers and basemaps);
    whatever needs features uses :meth:`vector_layers`, :meth:`layer` and
    :meth:`find_feature`, which only see vector layers.
    """

    title_zh: str = "未命名项目"
    title_en: str = "Untitled project"
    groups: list[LayerGroup] = field(default_factory=list)
    layers: list[MapLayer] = field(default_factory=list)
    indicators: IndicatorCatalog = field(default_factory=IndicatorCatalog)
    canvas_crs: str = DEFAULT_CANVAS_CRS
    attribution: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    # Print layouts as checked dicts (gisapp.core.layout.items.Layout.to_dict), saved in the
    # project; the layout room sits above the model, so the model keeps them as data.
    layouts: list[dict[str, Any]] = field(default_factory=list)
    # Spatial bookmarks (View > Bookmarks), saved in the project and in its QGIS project.
    bookmarks: list[Bookmark] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.layers_changed = Signal()  # structure: added, removed, moved
        self.layer_changed = Signal()  # (layer, reason)
        self.modified = False
        self.modified_changed = Signal()
        # (resolved path, mtime_ns, size) of the project file as gisapp last read or wrote it:
        # saving changes in place needs the file to be that one (gisapp/io/project_gpkg.py).
        self.stored_file: tuple[str, int, int] | None = None
        for layer in self.layers:
            self._watch(layer)
        self._normalise_order()
        # Monitoring values are user data saved with the project.
        self.indicators.actuals.changed.connect(self.set_modified)

    def title(self, lang: str) -> str:
        return pick(lang, self.title_zh, self.title_en)

    # --- lookup -------------------------------------------------------------
    def group(self, group_id: str) -> LayerGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def map_layer(self, layer_id: str) -> MapLayer:
        """The layer of any kind with this id (KeyError if none)."""
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(layer_id)

    def layer(self, layer_id: str) -> VectorLayer:
        """The vector layer with this id (KeyError if none, or if that layer has no features)."""
        layer = self.map_layer(layer_id)
        if not isinstance(layer, VectorLayer):
            raise KeyError(f"{layer_id} is a {layer.kind} layer, not a vector layer")
        return layer

    def vector_layers(self) -> list[VectorLayer]:
        """The layers with features, in tree order (top first)."""
        return [layer for layer in self.layers if isinstance(layer, VectorLayer)]

    def layers_in_group(self, group_id: str) -> list[MapLayer]:
        return [layer for layer in self.layers if layer.group == group_id]

    def render_order(self) -> list[VectorLayer]:
        """Vector layers bottom to top: the order they are painted."""
        return list(reversed(self.vector_layers()))

    def map_render_order(self) -> list[MapLayer]:
        """Every layer bottom to top (basemaps under or between vector layers)."""
        return list(reversed(self.layers))

    def find_feature(self, feature_id: str) -> tuple[VectorLayer, int] | None:
        for layer in self.vector_layers():
            row = layer.feature_row(feature_id)
            if row is not None:
                return layer, row
        return None

    # --- structure changes ----------------------------------------------------
    def add_layer(self, layer: MapLayer, index: int = 0) -> None:
        """Add a layer (default: at the top, in a 'user' group created on demand)."""
        if any(existing.id == layer.id for existing in self.layers):
            base, n = layer.id, 2
            while any(existing.id == f"{base}_{n}" for existing in self.layers):
                n += 1
            layer.id = f"{base}_{n}"
        if not layer.group:
            layer.group = USER_GROUP
        if self.group(layer.group) is None:
            self.groups.insert(0, LayerGroup(layer.group, "用户图层", "User layers")
                               if layer.group == USER_GROUP
                               else LayerGroup(layer.group, layer.group, layer.group))
        self.layers.insert(index, layer)
        self._watch(layer)
        self._normalise_order()
        self.set_modified()
        self.layers_changed.emit()

    def remove_layer(self, layer_id: str) -> None:
        layer = self.map_layer(layer_id)
        self.layers.remove(layer)
        self.set_modified()
        self.layers_changed.emit()

    def move_layer(self, layer_id: str, group_id: str, position: int) -> None:
        """Move a layer to ``position`` among the layers of ``group_id``."""
        layer = self.map_layer(layer_id)
        if self.group(group_id) is None:
            raise KeyError(group_id)
        self.layers.remove(layer)
        layer.group = group_id
        siblings = self.layers_in_group(group_id)
        position = max(0, min(position, len(siblings)))
        if siblings:
            anchor = siblings[position] if position < len(siblings) else siblings[-1]
            index = self.layers.index(anchor) + (0 if position < len(siblings) else 1)
        else:
            index = len(self.layers)
        self.layers.insert(index, layer)
        self._normalise_order()
        self.set_modified()
        self.layers_changed.emit()

    def set_modified(self, modified: bool = True) -> None:
        if modified != self.modified:
            self.modified = modified
            self.modified_changed.emit(modified)

    # --- internals --------------------------------------------------------------
    def _normalise_order(self) -> None:
        """Keep layers sorted by their group's position, stable within a group."""
        rank = {g.id: i for i, g in enumerate(self.groups)}
        self.layers.sort(key=lambda layer: rank.get(layer.group, len(rank)))

    def _watch(self, layer: MapLayer) -> None:
        def on_change(reason: str, layer: MapLayer = layer) -> None:
            self.set_modified()
            self.layer_changed.emit(layer, reason)

        layer.changed.connect(on_change)
