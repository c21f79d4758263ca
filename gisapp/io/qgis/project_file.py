"""A QGIS project (``.qgs`` XML, zipped as ``.qgz``) of a gisapp project's layer tree.

The XML follows what QGIS 3.22 writes (``QgsProject::writeProjectFile``): a
``layer-tree-group`` with one group per gisapp group, in gisapp's order, each layer
checked as it is visible; ``projectlayers`` with one ``maplayer`` per layer whose
``datasource`` is the GeoPackage by relative path (``./plan.gpkg|layername=TABLE``),
carrying the same renderer, labels and opacity as the layer's QML; the project CRS
and the extent of the layers. Layers are named by their Chinese titles, as the
bundled plan is.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from pyproj.enums import WktVersion

from gisapp.core.geo.geodesy import transformer
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import MAP_BACKGROUND
from gisapp.io.qgis.context_layers import ContextLayer, context_layers
from gisapp.io.qgis.qml import DOCTYPE, QGIS_VERSION, LabelSettings, style_to_qml

QGIS_GEOMETRY = {"polygon": "Polygon", "line": "Line", "point": "Point"}
POSTGRES_GEOMETRY = {"polygon": "Polygon", "line": "LineString", "point": "Point"}  # QgsWkbTypes names


@dataclass(frozen=True)
class StoredLayer:
    """A layer as written to the GeoPackage: its table and geometry column. A PostGIS layer
    has no table in the file: ``postgres`` holds QGIS's postgres data source of its table."""

    layer: VectorLayer
    table: str
    geometry_column: str = "geom"
    postgres: str = ""

    @property
    def qgis_id(self) -> str:
        return qgis_layer_id(self.table)

    def source(self, file_name: str) -> str:
        return self.postgres or f"./{file_name}|layername={self.table}"

    @property
    def provider(self) -> str:
        return "postgres" if self.postgres else "ogr"


def _uri_value(value: str) -> str:
    """A value of QGIS's data source string, quoted as QgsDataSourceUri writes it."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _uri_identifier(name: str) -> str:
    """A schema or table name as QgsDataSourceUri writes it: backslash escapes, not doubled quotes."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def postgres_layer(layer: VectorLayer) -> StoredLayer | None:
    """A PostGIS layer (its ``metadata["postgis"]`` names the table) as the stored project lists
    it: QGIS's postgres provider on the same table, without a password (QGIS finds it in
    ~/.pgpass, the service file or its own authentication database, as libpq does)."""
    from gisapp.io.postgis.connection import parse_url

    entry = layer.metadata.get("postgis")
    if not isinstance(entry, dict):
        return None
    try:
        spec = parse_url(str(entry["url"]))
        schema, table = str(entry["schema"]), str(entry["table"])
        geometry, key = str(entry["geometry_column"]), str(entry["primary_key"])
    except (KeyError, ValueError):
        return None
    parts = []
    for name, value in (("service", spec.service), ("dbname", spec.dbname), ("host", spec.host),
                        ("port", str(spec.port) if spec.host else ""), ("user", spec.user)):
        if value:  # as QgsDataSourceUri::uri writes them: host and port bare
            parts.append(f"{name}={value if name in ('host', 'port') else _uri_value(value)}")
    epsg = layer.frame.crs.to_epsg() if layer.frame.crs is not None else None
    parts += [f"sslmode={spec.sslmode}", f"key={_uri_value(key)}"]
    if epsg:
        parts.append(f"srid={epsg}")
    parts += [f"type={POSTGRES_GEOMETRY[layer.geometry_family]}", "checkPrimaryKeyUnicity='1'",
              # QGIS reads the geometry column up to the closing parenthesis, unquoted.
              f"table={_uri_identifier(schema)}.{_uri_identifier(table)} ({geometry})"]
    safe = "".join(ch if ch.isalnum() else "_" for ch in layer.id)
    return StoredLayer(layer, f"postgis_{safe}", geometry, " ".join(parts))


def qgis_layer_id(table: str) -> str:
    """The layer's id in the stored project: stable and unique, as the table name is. QGIS
    replaces an id of 10 characters or fewer by a random one (``QgsMapLayer::readLayerXml``)."""
    return f"gisapp_{table}"


def layer_qml(layer: VectorLayer) -> str:
    """The layer's style, opacity and labels (in Chinese, as the canvas shows them in zh) as QML."""
    labels = LabelSettings.of(layer.label_column("zh") or "", layer.label_style)
    return style_to_qml(layer.style, layer.geometry_family, labels, layer.opacity)


def spatial_ref_sys(parent: ET.Element, crs_text: str) -> ET.Element:
    """A ``spatialrefsys`` element as QGIS reads it (authid first, WKT for anything else)."""
    crs = CRS.from_user_input(crs_text)
    authority = crs.to_authority()
    element = ET.SubElement(parent, "spatialrefsys")
    ET.SubElement(element, "wkt").text = crs.to_wkt(WktVersion.WKT2_2019)
    ET.SubElement(element, "proj4").text = ""  # QGIS reads the authid or the WKT
    ET.SubElement(element, "srsid").text = "0"
    ET.SubElement(element, "srid").text = authority[1] if authority and authority[0] == "EPSG" else "0"
    ET.SubElement(element, "authid").text = ":".join(authority) if authority else ""
    ET.SubElement(element, "description").text = crs.name
    ET.SubElement(element, "projectionacronym").text = ""
    ET.SubElement(element, "ellipsoidacronym").text = ""
    ET.SubElement(element, "geographicflag").text = "true" if crs.is_geographic else "false"
    return element


def _extent(parent: ET.Element, name: str, bounds: tuple[float, float, float, float]) -> None:
    element = ET.SubElement(parent, name)
    for key, value in zip(("xmin", "ymin", "xmax", "ymax"), bounds, strict=True):
        ET.SubElement(element, key).text = repr(float(value))


def _layer_bounds(layer: VectorLayer, crs: str) -> tuple[float, float, float, float] | None:
    # From the stored coordinates: a save never waits for a million features to be projected.
    if not len(layer.frame):  # an empty layer (a PostGIS layer whose server is down) adds no extent
        return None
    xmin, ymin, xmax, ymax = shapely.total_bounds(np.asarray(layer.frame.geometry.array, dtype=object))
    if not np.all(np.isfinite([xmin, ymin, xmax, ymax])):
        return None
    try:
        bounds = transformer(layer.crs, crs).transform_bounds(xmin, ymin, xmax, ymax)
    except Exception:  # pyproj: coordinates the canvas CRS cannot place
        return None
    return tuple(float(v) for v in bounds) if np.all(np.isfinite(bounds)) else None  # type: ignore[return-value]


def _project_bounds(project: Project) -> tuple[float, float, float, float] | None:
    boxes = [b for b in (_layer_bounds(layer, project.canvas_crs) for layer in project.vector_layers()) if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _map_layer(parent: ET.Element, stored: StoredLayer, file_name: str) -> None:
    layer = stored.layer
    qml = ET.fromstring(layer_qml(layer).split("\n", 1)[1])
    element = ET.SubElement(parent, "maplayer", {
        "type": "vector", "geometry": QGIS_GEOMETRY[layer.geometry_family],
        "styleCategories": "AllStyleCategories", "labelsEnabled": qml.get("labelsEnabled", "0"),
        "hasScaleBasedVisibilityFlag": "0", "minScale": "100000000", "maxScale": "0", "readOnly": "0",
    })
    ET.SubElement(element, "id").text = stored.qgis_id
    ET.SubElement(element, "datasource").text = stored.source(file_name)
    ET.SubElement(element, "layername").text = layer.title_zh or layer.title_en or layer.id
    spatial_ref_sys(ET.SubElement(element, "srs"), layer.crs)
    metadata = ET.SubElement(element, "resourceMetadata")
    ET.SubElement(metadata, "title").text = layer.title_zh
    ET.SubElement(metadata, "abstract").text = layer.title_en
    ET.SubElement(element, "provider", encoding="UTF-8").text = stored.provider
    for child in qml:
        if child.tag != "layerGeometryType":
            element.append(child)


def _tree_layer(parent: ET.Element, stored: StoredLayer | ContextLayer, file_name: str) -> None:
    if isinstance(stored, ContextLayer):
        stored.tree_element(parent)
        return
    layer = stored.layer
    ET.SubElement(parent, "layer-tree-layer", {
        "id": stored.qgis_id, "name": layer.title_zh or layer.title_en or layer.id,
        "source": stored.source(file_name), "providerKey": stored.provider,
        "checked": "Qt::Checked" if layer.visible else "Qt::Unchecked", "expanded": "1",
    })


def _bookmarks(root: ET.Element, project: Project) -> None:
    """Project bookmarks as ``QgsBookmarkManager::writeXml`` writes them: the extent as a WKT
    polygon and its CRS as a ``spatialrefsys`` child."""
    element = ET.SubElement(root, "Bookmarks")
    for bookmark in project.bookmarks:
        xmin, ymin, xmax, ymax = (repr(float(v)) for v in bookmark.extent)
        wkt = f"POLYGON(({xmin} {ymin}, {xmax} {ymin}, {xmax} {ymax}, {xmin} {ymax}, {xmin} {ymin}))"
        child = ET.SubElement(element, "Bookmark", id=bookmark.id, name=bookmark.name, group=bookmark.group,
                              extent=wkt, rotation="0")
        spatial_ref_sys(child, bookmark.crs)


def project_qgs(project: Project, layers: list[StoredLayer], file_name: str, folder: Path | None = None) -> str:
    """The .qgs XML of ``project`` whose ``layers`` are stored in the GeoPackage ``file_name``
    (a name in the same folder as the project, which is the GeoPackage itself). Basemaps and
    rasters join in tree order (gisapp.io.qgis.context_layers); a raster's path is relative to
    ``folder``, the GeoPackage's, where it can be."""
    by_layer: dict[int, StoredLayer | ContextLayer] = {id(stored.layer): stored for stored in layers}
    for layer in project.vector_layers():  # PostGIS layers: their tables on the server
        postgres = postgres_layer(layer) if id(layer) not in by_layer else None
        if postgres is not None:
            by_layer[id(layer)] = postgres
    by_layer.update({id(context.layer): context for context in context_layers(project.layers, folder)})
    ordered = [by_layer[id(layer)] for layer in project.layers if id(layer) in by_layer]
    title = project.title_zh or project.title_en
    root = ET.Element("qgis", {"projectname": title, "version": QGIS_VERSION})
    ET.SubElement(root, "homePath", path="")
    ET.SubElement(root, "title").text = title
    spatial_ref_sys(ET.SubElement(root, "projectCrs"), project.canvas_crs)

    tree = ET.SubElement(root, "layer-tree-group")
    placed: set[int] = set()
    for group in project.groups:
        members = [stored for stored in ordered if stored.layer.group == group.id]
        element = ET.SubElement(tree, "layer-tree-group", {
            "name": group.title_zh or group.title_en or group.id, "checked": "Qt::Checked", "expanded": "1"})
        for stored in members:
            _tree_layer(element, stored, file_name)
            placed.add(id(stored.layer))
    for stored in ordered:  # a layer whose group is not listed stays visible at the top level
        if id(stored.layer) not in placed:
            _tree_layer(tree, stored, file_name)
    order = ET.SubElement(tree, "custom-order", enabled="0")
    for stored in ordered:
        ET.SubElement(order, "item").text = stored.qgis_id

    project_layers = ET.SubElement(root, "projectlayers")
    for stored in ordered:
        if isinstance(stored, ContextLayer):
            stored.map_element(project_layers, spatial_ref_sys)
        else:
            _map_layer(project_layers, stored, file_name)
    layer_order = ET.SubElement(root, "layerorder")
    for stored in ordered:
        ET.SubElement(layer_order, "layer", id=stored.qgis_id)

    bounds = _project_bounds(project)
    if bounds is not None:
        canvas = ET.SubElement(root, "mapcanvas", name="theMapCanvas", annotationsVisible="1")
        ET.SubElement(canvas, "units").text = "degrees" if CRS.from_user_input(project.canvas_crs).is_geographic \
            else "meters"
        _extent(canvas, "extent", bounds)
        ET.SubElement(canvas, "rotation").text = "0"
        spatial_ref_sys(ET.SubElement(canvas, "destinationsrs"), project.canvas_crs)
        view = ET.SubElement(root, "ProjectViewSettings", UseProjectScales="0", rotation="0")
        ET.SubElement(view, "Scales")
        default_view = ET.SubElement(view, "DefaultViewExtent", {
            key: repr(float(value)) for key, value in zip(("xmin", "ymin", "xmax", "ymax"), bounds, strict=True)})
        spatial_ref_sys(default_view, project.canvas_crs)

    _bookmarks(root, project)
    properties = ET.SubElement(root, "properties")
    paths = ET.SubElement(properties, "Paths")
    ET.SubElement(paths, "Absolute", type="bool").text = "false"
    gui = ET.SubElement(properties, "Gui")
    background = MAP_BACKGROUND.lstrip("#")
    for part, offset in (("Red", 0), ("Green", 2), ("Blue", 4)):
        ET.SubElement(gui, f"CanvasColor{part}Part", type="int").text = str(int(background[offset:offset + 2], 16))
    # QGIS reads projectCrs only when this flag is set.
    ET.SubElement(ET.SubElement(properties, "SpatialRefSys"), "ProjectionsEnabled", type="int").text = "1"
    metadata = ET.SubElement(root, "projectMetadata")
    ET.SubElement(metadata, "title").text = title
    ET.SubElement(metadata, "abstract").text = project.title_en
    if project.attribution:
        ET.SubElement(metadata, "rights").text = project.attribution
    ET.indent(root)
    return DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def qgz_bytes(qgs_text: str, name: str = "project") -> bytes:
    """A .qgz archive (a zip holding the .qgs), as QGIS stores it in ``qgis_projects``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.qgs", qgs_text.encode("utf-8"))
    return buffer.getvalue()
