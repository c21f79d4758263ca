"""QGIS project files (``.qgs``, and ``.qgz``: a ZIP holding one ``.qgs``) opened as a gisapp project.

Taken over: vector layers from GeoPackage (``path|layername=x``), Shapefile and GeoJSON
sources, with relative (to the project's folder) or absolute paths; the layer tree's groups,
order and check boxes; each layer's name, opacity and style (its ``<maplayer>`` holds the same
renderer and labelling XML as a QML file, read by :func:`gisapp.io.qgis.qml.style_from_element`);
the project CRS as the map CRS. gisapp's layer tree has one level of groups, so nested groups
are flattened into ``parent / child``. Everything else (other providers, missing files, print
layouts, filters, a custom layer order...) is listed in :attr:`QgisProjectImport.notes`, each
a bilingual :class:`ImportNote`, never skipped silently.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyogrio
from pyproj import CRS
from pyproj.exceptions import CRSError

from gisapp.core.geo.geodesy import DEFAULT_CANVAS_CRS
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.model.style import SingleStyle
from gisapp.core.model.tile_layer import MapLayer
from gisapp.core.texts import Bilingual
from gisapp.io.errors import GisIOError
from gisapp.io.file_checks import ensure_regular_file
from gisapp.io.qgis.notes import joined
from gisapp.io.qgis.qml import style_from_element
from gisapp.io.qgis.safe_xml import MAX_XML_BYTES, XmlRefused, parse_xml
from gisapp.io.qgis.style_apply import apply_style_import
from gisapp.io.raster import is_raster_path, open_raster
from gisapp.io.vector import DEFAULT_SYMBOLS, read_layer

PROJECT_SUFFIXES = (".qgs", ".qgz")
VECTOR_SUFFIXES = {".gpkg": "GeoPackage", ".shp": "Shapefile", ".geojson": "GeoJSON", ".json": "GeoJSON"}
ROOT_GROUP = Bilingual("图层", "Layers")
GROUP_SEPARATOR = " / "
# Sections of <properties> that QGIS itself writes; any other is a plugin's or the user's.
CORE_PROPERTIES = frozenset({
    "Paths", "Gui", "Measure", "PositionPrecision", "SpatialRefSys", "Legend", "Digitizing", "Measurement",
    "DefaultStyles", "WMSServiceCapabilities", "WMSUseLayerIDs", "WMSRequestDefinedDataSources", "Macros",
    "Identify", "Variables", "PAL", "RequiredLayers", "WCSLayers", "WCSUrl", "WFSLayers", "WFSTLayers", "WFSUrl",
    "WMSAccessConstraints", "WMSAddWktGeometry", "WMSContactMail", "WMSContactOrganization", "WMSContactPerson",
    "WMSContactPhone", "WMSContactPosition", "WMSDefaultMapUnitsPerMm", "WMSFees", "WMSImageQuality",
    "WMSKeywordList", "WMSMaxAtlasFeatures", "WMSOnlineResource", "WMSPrecision", "WMSRestrictedComposers",
    "WMSSegmentizeFeatureInfoGeometry", "WMSServiceAbstract", "WMSServiceTitle", "WMSUrl", "WMTSGrids",
    "WMTSJpegLayers", "WMTSLayers", "WMTSMinScale", "WMTSPngLayers", "WMSRootName",
    "WMSFeatureInfoUseAttributeFormSettings", "WMSAddLayerGroupsLegendGraphic", "WMSSkipNameForGroup",
    "WMSCrsList", "WMSExtent", "WMSUseTemporalDataSources",
})

NOTE_TEXTS: dict[str, Bilingual] = {
    "provider": Bilingual("图层“{layer}”来自 {provider} 数据源（{source}），gisapp 只读取 GeoPackage、Shapefile 和 GeoJSON 矢量文件：未载入",
                          "layer “{layer}” comes from a {provider} source ({source}); gisapp reads GeoPackage, "
                          "Shapefile and GeoJSON vector files only: not loaded"),
    "raster": Bilingual("图层“{layer}”不是矢量图层（类型 {kind}，{source}）：gisapp 只显示矢量图层，未载入",
                        "layer “{layer}” is a {kind} layer ({source}); gisapp shows vector layers only: not loaded"),
    "file_type": Bilingual("图层“{layer}”的文件类型 {suffix} 不受支持（{source}）：未载入",
                           "layer “{layer}”: the file type {suffix} is not supported ({source}): not loaded"),
    "missing": Bilingual("图层“{layer}”的文件不存在：{path}", "layer “{layer}”: the file is missing: {path}"),
    "unreadable": Bilingual("图层“{layer}”无法读取：{reason}", "layer “{layer}” could not be read: {reason}"),
    "subset": Bilingual("图层“{layer}”的要素过滤条件（{subset}）未应用：显示全部要素",
                        "layer “{layer}”: its feature filter ({subset}) was not applied; every feature is shown"),
    "style": Bilingual("图层“{layer}”的样式已简化：{notes}", "layer “{layer}”: its style was simplified: {notes}"),
    "style_refused": Bilingual("图层“{layer}”的样式无法使用（{reason}）：使用默认样式",
                               "layer “{layer}”: its style could not be used ({reason}); the default style is used"),
    "nested_groups": Bilingual("gisapp 的图层树只有一层分组：嵌套分组已展开为 {groups}",
                               "gisapp's layer tree has one level of groups: nested groups became {groups}"),
    "hidden_group": Bilingual("分组“{group}”在 QGIS 中被关闭：其图层已设为不可见",
                              "group “{group}” was switched off in QGIS: its layers are hidden"),
    "custom_order": Bilingual("QGIS 的自定义绘制顺序未采用：按图层树顺序绘制",
                              "QGIS's custom drawing order was not taken over: layers are drawn in the tree's order"),
    "layouts": Bilingual("{count} 个打印布局未导入", "{count} print layout(s) were not taken over"),
    "crs": Bilingual("项目坐标系 {crs} 无法作为地图坐标系：使用 {used}",
                     "the project CRS {crs} cannot be the map CRS: {used} is used"),
    "not_in_tree": Bilingual("图层“{layer}”不在图层树中：已放在最后", "layer “{layer}” is not in the layer tree: put last"),
    "plugins": Bilingual("插件和项目变量等自定义属性未导入（{names}）",
                         "plugins' and custom project properties were not taken over ({names})"),
}


@dataclass(frozen=True)
class ImportNote:
    """One thing of the QGIS project that gisapp did not take over as it was."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message_in(self, lang: str | None) -> str:
        values = {k: v(lang) if isinstance(v, Bilingual) else v for k, v in self.params.items()}
        return NOTE_TEXTS[self.code](lang).format_map(values)

    @property
    def message(self) -> str:
        return self.message_in("en")


@dataclass
class QgisProjectImport:
    project: Project
    notes: list[ImportNote] = field(default_factory=list)


def is_qgis_project(path: str | Path) -> bool:
    return Path(path).suffix.lower() in PROJECT_SUFFIXES


def _project_text(path: Path) -> bytes:
    """The ``.qgs`` XML of a ``.qgs`` or ``.qgz`` file, its size checked before it is read."""
    ensure_regular_file(path)
    if path.suffix.lower() == ".qgs":
        if path.stat().st_size > MAX_XML_BYTES:
            raise GisIOError(path, f"the project file is too large ({path.stat().st_size / 2**20:.0f} MB)")
        return path.read_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".qgs") and "/" not in m.filename]
            if not members:
                raise GisIOError(path, "the .qgz archive holds no .qgs project")
            member = members[0]
            if member.file_size > MAX_XML_BYTES:
                raise GisIOError(path, f"the project inside the archive is too large ({member.file_size / 2**20:.0f} MB)")
            with archive.open(member) as stream:
                data = stream.read(MAX_XML_BYTES + 1)  # the header's size may lie
            if len(data) > MAX_XML_BYTES:
                raise GisIOError(path, "the project inside the archive is larger than its header says")
            return data
    except zipfile.BadZipFile as exc:
        raise GisIOError(path, f"not a readable .qgz archive ({exc})") from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise GisIOError(path, f"the .qgz archive could not be read ({exc})") from None


def _checked(value: str | None) -> bool:
    return (value or "Qt::Checked") != "Qt::Unchecked"


def _datasource(text: str, project_folder: Path) -> tuple[Path, dict[str, str]]:
    """The file path of an OGR data source and its ``|key=value`` options."""
    parts = text.split("|")
    options = dict(part.split("=", 1) for part in parts[1:] if "=" in part)
    raw = unquote(parts[0]) if parts[0].startswith("file:") else parts[0]
    raw = re.sub(r"^file://", "", raw)
    path = Path(raw)
    if not path.is_absolute():
        path = project_folder / path
    return path, options


@dataclass
class _TreeLayer:
    layer_id: str
    name: str
    group: str  # '' at the root
    visible: bool


def _walk_tree(group: ET.Element, path: list[str], visible: bool, out: list[_TreeLayer],
               nested: list[str], hidden_groups: list[str]) -> None:
    for child in group:
        if child.tag == "layer-tree-layer":
            out.append(_TreeLayer(child.get("id", ""), child.get("name", ""), GROUP_SEPARATOR.join(path),
                                  visible and _checked(child.get("checked"))))
        elif child.tag == "layer-tree-group":
            name = child.get("name", "") or "?"
            inner = [*path, name]
            if len(inner) > 1:
                nested.append(GROUP_SEPARATOR.join(inner))
            checked = _checked(child.get("checked"))
            if not checked and visible:
                hidden_groups.append(GROUP_SEPARATOR.join(inner))
            _walk_tree(child, inner, visible and checked, out, nested, hidden_groups)


def _map_crs(root: ET.Element, notes: list[ImportNote]) -> str:
    authid = (root.findtext("projectCrs/spatialrefsys/authid") or "").strip()
    if not authid:
        return DEFAULT_CANVAS_CRS
    try:
        crs = CRS.from_user_input(authid)
        if (crs.is_geographic or crs.is_projected) and len(crs.axis_info) == 2:
            return authid
    except CRSError:
        pass
    notes.append(ImportNote("crs", {"crs": authid, "used": DEFAULT_CANVAS_CRS}))
    return DEFAULT_CANVAS_CRS


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_").lower() or "layer"
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def read_qgis_project(path: str | Path) -> QgisProjectImport:
    """A gisapp project of the QGIS project at ``path``, with what was not taken over.

    Raises GisIOError (naming the file and the problem) when the file is no readable QGIS
    project; a layer that cannot be read is a note, not an error.
    """
    path = Path(path)
    try:
        root = parse_xml(_project_text(path))
    except XmlRefused as exc:
        raise GisIOError(path, str(exc)) from None
    if root.tag != "qgis":
        raise GisIOError(path, f"not a QGIS project: the root element is <{root.tag}>, not <qgis>")
    folder = path.resolve().parent
    notes: list[ImportNote] = []
    maplayers = {(m.findtext("id") or "").strip(): m for m in root.iter("maplayer")}
    tree = root.find("layer-tree-group")
    order: list[_TreeLayer] = []
    nested: list[str] = []
    hidden_groups: list[str] = []
    if tree is not None:
        _walk_tree(tree, [], True, order, nested, hidden_groups)
    in_tree = {entry.layer_id for entry in order}
    for layer_id, maplayer in maplayers.items():
        if layer_id not in in_tree:
            name = maplayer.findtext("layername") or layer_id
            notes.append(ImportNote("not_in_tree", {"layer": name}))
            order.append(_TreeLayer(layer_id, name, "", True))
    if nested:
        notes.append(ImportNote("nested_groups", {"groups": ", ".join(nested)}))
    notes += [ImportNote("hidden_group", {"group": group}) for group in hidden_groups]
    custom = tree.find("custom-order") if tree is not None else None
    if custom is not None and custom.get("enabled", "0") == "1":
        notes.append(ImportNote("custom_order"))

    groups: list[LayerGroup] = []
    layers: list[VectorLayer | RasterLayer] = []
    used_ids: set[str] = set()
    group_ids: dict[str, str] = {}
    root_runs = 0
    previous: _TreeLayer | None = None
    for entry in order:
        element = maplayers.get(entry.layer_id)
        if element is None:
            notes.append(ImportNote("unreadable", {"layer": entry.name or entry.layer_id,
                                                   "reason": "the project file does not describe it"}))
            continue
        layer = _vector_layer(element, entry, folder, notes, used_ids)
        if layer is None:
            continue
        # Layers at the root keep their place between groups: each run of them is a group of its own.
        if entry.group:
            key = entry.group
        else:
            if previous is None or previous.group:
                root_runs += 1
            key = f"\0root{root_runs}"
        if key not in group_ids:
            group_ids[key] = _slug("group_" + (entry.group or "layers"), used_ids)
            groups.append(LayerGroup(group_ids[key], entry.group or ROOT_GROUP.zh, entry.group or ROOT_GROUP.en))
        layer.group = group_ids[key]
        layers.append(layer)
        previous = entry
    layouts = root.find("Layouts")
    if layouts is not None and len(layouts):
        notes.append(ImportNote("layouts", {"count": len(layouts)}))
    properties = root.find("properties")
    plugins = sorted({child.tag for child in (properties if properties is not None else [])} - CORE_PROPERTIES)
    if plugins:
        notes.append(ImportNote("plugins", {"names": ", ".join(plugins)}))
    title = (root.findtext("title") or "").strip() or root.get("projectname", "") or path.stem
    project = Project(title_zh=title, title_en=title, groups=groups, layers=list[MapLayer](layers),
                      canvas_crs=_map_crs(root, notes), metadata={"qgis_project": str(path)})
    project.set_modified(False)
    return QgisProjectImport(project, notes)


def _vector_layer(element: ET.Element, entry: _TreeLayer, folder: Path, notes: list[ImportNote],
                  used_ids: set[str]) -> VectorLayer | RasterLayer | None:
    name = entry.name or element.findtext("layername") or entry.layer_id
    source = (element.findtext("datasource") or "").strip()
    provider = (element.findtext("provider") or "").strip()
    kind = element.get("type", "vector")
    if kind == "raster" and provider == "gdal":
        return _raster_layer(element, entry, name, source, folder, notes, used_ids)
    if kind != "vector":
        notes.append(ImportNote("raster", {"layer": name, "kind": kind, "source": source[:200]}))
        return None
    if provider != "ogr":
        notes.append(ImportNote("provider", {"layer": name, "provider": provider or "?", "source": source[:200]}))
        return None
    file_path, options = _datasource(source, folder)
    suffix = file_path.suffix.lower()
    if suffix not in VECTOR_SUFFIXES:
        notes.append(ImportNote("file_type", {"layer": name, "suffix": suffix or "(none)", "source": source[:200]}))
        return None
    if not file_path.exists():
        notes.append(ImportNote("missing", {"layer": name, "path": str(file_path)}))
        return None
    table = options.get("layername")
    try:
        if suffix == ".gpkg" and table is None:
            table = _table_by_id(file_path, options.get("layerid", "0"))
        frame, report = read_layer(file_path, table if suffix == ".gpkg" else None)
    except GisIOError as exc:
        notes.append(ImportNote("unreadable", {"layer": name, "reason": str(exc)}))
        return None
    if options.get("subset"):
        notes.append(ImportNote("subset", {"layer": name, "subset": options["subset"][:200]}))
    layer = VectorLayer(id=_slug(table or file_path.stem, used_ids),
                        title_zh=name, title_en=name, frame=frame, visible=entry.visible,
                        metadata={"source_path": str(file_path), "source_layer": table or file_path.stem,
                                  "encoding": frame.attrs.get("encoding", ""), "source_crs": report.crs,
                                  "crs_decision": report.crs_how, "qgis_layer_id": entry.layer_id},
                        load_report=report)
    layer.style = SingleStyle(DEFAULT_SYMBOLS[layer.geometry_family])
    try:
        simplified = apply_style_import(layer, style_from_element(element))
    except (ValueError, RecursionError) as exc:
        notes.append(ImportNote("style_refused", {"layer": name, "reason": str(exc) or "nested too deeply"}))
        opacity = element.findtext("layerOpacity")
        layer.opacity = min(1.0, max(0.0, float(opacity))) if opacity and _is_number(opacity) else 1.0
    else:
        if simplified:
            notes.append(ImportNote("style", {"layer": name, "notes": joined(simplified)}))
    return layer


def _raster_layer(element: ET.Element, entry: _TreeLayer, name: str, source: str, folder: Path,
                  notes: list[ImportNote], used_ids: set[str]) -> RasterLayer | None:
    """A GDAL raster of the project (a GeoTIFF, or a PNG/JPEG with a world file) through gisapp's
    raster reader, with its visibility and opacity; its QGIS renderer is not taken over."""
    file_path, _options = _datasource(source, folder)
    if not is_raster_path(file_path):
        notes.append(ImportNote("file_type", {"layer": name, "suffix": file_path.suffix.lower() or "(none)",
                                              "source": source[:200]}))
        return None
    if not file_path.exists():
        notes.append(ImportNote("missing", {"layer": name, "path": str(file_path)}))
        return None
    try:
        layer = open_raster(file_path, layer_id=_slug(file_path.stem, used_ids))
    except GisIOError as exc:
        notes.append(ImportNote("unreadable", {"layer": name, "reason": str(exc)}))
        return None
    layer.title_zh = layer.title_en = name
    layer.visible = entry.visible
    renderer = element.find("pipe/rasterrenderer")
    opacity = renderer.get("opacity", "1") if renderer is not None else "1"
    layer.opacity = min(1.0, max(0.0, float(opacity))) if _is_number(opacity) else 1.0
    layer.metadata["qgis_layer_id"] = entry.layer_id
    return layer


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _table_by_id(path: Path, layer_id: str) -> str:
    listed = [str(name) for name, geometry in pyogrio.list_layers(path) if geometry is not None]
    index = int(layer_id) if layer_id.isdigit() else 0
    if index >= len(listed):
        raise GisIOError(path, f"the GeoPackage has no layer number {index}")
    return listed[index]
