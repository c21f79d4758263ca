"""Layer tree: the plan's groups, visibility check boxes, drag to reorder, legends."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.model.style import SingleStyle
from gisapp.core.model.tile_layer import TileLayer
from gisapp.ui.icons import pencil_icon, raster_icon, tiles_icon
from gisapp.ui.map.symbols import symbol_icon
from gisapp.ui.plain import tooltip

LAYER_MIME = "application/x-gisapp-layer-id"


@dataclass(eq=False)
class _Node:
    kind: str  # "group", "layer" or "legend"
    key: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    legend_index: int = -1

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class LayerTreeModel(QAbstractItemModel):
    LayerIdRole = Qt.UserRole + 1

    def __init__(self, project: Project, lang: str = "en", parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.lang = lang
        # Set by the editing controller: layer id -> (in editing mode, has unsaved edits).
        self.edit_state = lambda layer_id: (False, False)
        self._root = _Node("root", "")
        self._rebuild()
        project.layers_changed.connect(self.reset)
        project.layer_changed.connect(self._on_layer_changed)

    # --- structure ---------------------------------------------------------------------
    def _node_for(self, kind: str, key: str, parent: _Node, legend_index: int = -1) -> _Node:
        # Nodes are reused across rebuilds: QModelIndex keeps raw pointers to them.
        node = self._nodes.setdefault((kind, key, legend_index), _Node(kind, key, legend_index=legend_index))
        node.parent = parent
        node.children = []
        parent.children.append(node)
        return node

    def _rebuild(self) -> None:
        if not hasattr(self, "_nodes"):
            self._nodes: dict[tuple[str, str, int], _Node] = {}
        self._root.children = []
        for group in self.project.groups:
            layers = self.project.layers_in_group(group.id)
            if not layers:
                continue
            group_node = self._node_for("group", group.id, self._root)
            for layer in layers:
                layer_node = self._node_for("layer", layer.id, group_node)
                if isinstance(layer, VectorLayer) and not isinstance(layer.style, SingleStyle):
                    for i, _entry in enumerate(layer.style.legend()):
                        self._node_for("legend", layer.id, layer_node, i)

    def reset(self) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.reset()

    def _on_layer_changed(self, layer, reason: str) -> None:
        if reason == "style":
            self.reset()
            return
        index = self.index_for_layer(layer.id)
        if index.isValid():
            self.dataChanged.emit(index, index)
            parent = index.parent()
            self.dataChanged.emit(parent, parent)

    def refresh_layer(self, layer_id: str) -> None:
        """Repaint a layer's row (editing marker, unsaved star)."""
        index = self.index_for_layer(layer_id)
        if index.isValid():
            self.dataChanged.emit(index, index)

    def node(self, index: QModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index_for_layer(self, layer_id: str) -> QModelIndex:
        for group_node in self._root.children:
            for layer_node in group_node.children:
                if layer_node.key == layer_id:
                    return self.createIndex(layer_node.row(), 0, layer_node)
        return QModelIndex()

    # --- QAbstractItemModel ----------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        parent_node = self.node(parent)
        if 0 <= row < len(parent_node.children) and column == 0:
            return self.createIndex(row, column, parent_node.children[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent_node = index.internalPointer().parent
        if parent_node is None or parent_node is self._root:
            return QModelIndex()
        return self.createIndex(parent_node.row(), 0, parent_node)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(self.node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        node = index.internalPointer()
        if node.kind == "group":
            group = self.project.group(node.key)
            layers = self.project.layers_in_group(node.key)
            if role == Qt.DisplayRole:
                return group.title(self.lang)
            if role == Qt.CheckStateRole:
                visible = [layer.visible for layer in layers]
                if all(visible):
                    return Qt.Checked
                return Qt.PartiallyChecked if any(visible) else Qt.Unchecked
            if role == Qt.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        layer = self.project.map_layer(node.key)
        if node.kind == "layer" and isinstance(layer, TileLayer):
            return self._tile_layer_data(layer, role)
        if node.kind == "layer" and isinstance(layer, RasterLayer):
            return self._raster_layer_data(layer, role)
        if node.kind == "layer":
            editing, dirty = self.edit_state(layer.id)
            if role == Qt.DisplayRole:
                return ("* " if dirty else "") + layer.title(self.lang)  # "*" first: never elided
            if editing and role == Qt.DecorationRole:
                return pencil_icon(dirty)
            if dirty and role == Qt.ForegroundRole:
                return QColor("#a50f15")
            if role == Qt.CheckStateRole:
                return Qt.Checked if layer.visible else Qt.Unchecked
            if role == Qt.DecorationRole and isinstance(layer.style, SingleStyle):
                return symbol_icon(layer.style.symbol, layer.geometry_family)
            if role == Qt.ToolTipRole:
                provenance = layer.metadata.get(f"provenance_{self.lang}", "")
                state = ""
                if editing:
                    state = "\n" + (self.tr("Editing — unsaved edits") if dirty else self.tr("Editing"))
                return tooltip(f"{layer.title(self.lang)} — {len(layer)}{state}\n{provenance}".strip())
            if role == self.LayerIdRole:
                return layer.id
            return None
        entry = layer.style.legend()[node.legend_index]
        if role == Qt.DisplayRole:
            return entry.label(self.lang)
        if role == Qt.DecorationRole:
            return symbol_icon(entry.symbol, layer.geometry_family)
        if role == self.LayerIdRole:
            return layer.id
        return None

    def _tile_layer_data(self, layer: TileLayer, role: int):
        """A basemap's row: title, check box, a tiles icon, where its tiles come from."""
        if role == Qt.DisplayRole:
            return layer.title(self.lang)
        if role == Qt.CheckStateRole:
            return Qt.Checked if layer.visible else Qt.Unchecked
        if role == Qt.DecorationRole:
            return tiles_icon()
        if role == Qt.ToolTipRole:
            where = layer.source.path if layer.source.kind == "mbtiles" else layer.source.url.replace("{key}", "…")
            return tooltip(f"{layer.title(self.lang)}\n{where}\n{layer.source.attribution_text()}".strip())
        if role == self.LayerIdRole:
            return layer.id
        return None

    def _raster_layer_data(self, layer: RasterLayer, role: int):
        """A raster's row: title, check box, a raster icon, its file, size and CRS."""
        if role == Qt.DisplayRole:
            return layer.title(self.lang)
        if role == Qt.CheckStateRole:
            return Qt.Checked if layer.visible else Qt.Unchecked
        if role == Qt.DecorationRole:
            return raster_icon()
        if role == Qt.ToolTipRole:
            info = layer.info
            size = self.tr("{width} x {height} pixels, {bands} band(s), {crs}").format(
                width=info.width, height=info.height, bands=info.count, crs=info.crs if len(info.crs) < 40 else "WKT")
            return tooltip(f"{layer.title(self.lang)}\n{layer.path}\n{size}")
        if role == self.LayerIdRole:
            return layer.id
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:
        if not index.isValid() or role != Qt.CheckStateRole:
            return False
        node = index.internalPointer()
        visible = Qt.CheckState(value) == Qt.Checked
        if node.kind == "group":
            for layer in self.project.layers_in_group(node.key):
                layer.set_visible(visible)
        elif node.kind == "layer":
            self.project.map_layer(node.key).set_visible(visible)
        else:
            return False
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.ItemIsDropEnabled
        node = index.internalPointer()
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if node.kind == "group":
            return base | Qt.ItemIsUserCheckable | Qt.ItemIsDropEnabled | Qt.ItemIsAutoTristate
        if node.kind == "layer":
            return base | Qt.ItemIsUserCheckable | Qt.ItemIsDragEnabled | Qt.ItemIsDropEnabled
        return Qt.ItemIsEnabled

    # --- drag and drop ----------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropActions:
        return Qt.MoveAction

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, indexes) -> QMimeData:
        mime = QMimeData()
        layer_ids = [self.node(i).key for i in indexes if self.node(i).kind == "layer"]
        mime.setData(LAYER_MIME, "\n".join(layer_ids).encode("utf-8"))
        return mime

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent: QModelIndex) -> bool:
        if not data.hasFormat(LAYER_MIME):
            return False
        layer_ids = [s for s in bytes(data.data(LAYER_MIME)).decode("utf-8").split("\n") if s]
        target = self.node(parent)
        if target.kind == "layer":  # dropped onto a layer: take its place
            group_id = target.parent.key
            row = target.row()
        elif target.kind == "group":
            group_id = target.key
            row = row if row >= 0 else len(target.children)
        else:
            return False
        for offset, layer_id in enumerate(layer_ids):
            self.move_layer(layer_id, group_id, row + offset)
        return True

    def move_layer(self, layer_id: str, group_id: str, row: int) -> None:
        """Move a layer to ``row`` of a group, as shown in the tree (before the removal)."""
        current = self.project.map_layer(layer_id)
        siblings = self.project.layers_in_group(group_id)
        if current.group == group_id and siblings.index(current) < row:
            row -= 1  # the layer leaves its old slot above the drop position
        self.project.move_layer(layer_id, group_id, row)


class LayerTreeView(QTreeView):
    layerActivated = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.InternalMove)
        self.setDefaultDropAction(Qt.MoveAction)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.setIndentation(14)
        self.setUniformRowHeights(True)

    def setModel(self, model) -> None:  # noqa: N802 (Qt override)
        super().setModel(model)
        model.modelReset.connect(self._expand_layers)
        self._expand_layers()

    def _expand_layers(self) -> None:
        model = self.model()
        for group_row in range(model.rowCount()):
            group_index = model.index(group_row, 0)
            self.expand(group_index)

    def current_layer_id(self) -> str | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return index.data(LayerTreeModel.LayerIdRole)
