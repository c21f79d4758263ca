"""What QGIS reads beside the layer tables: styles, titles and the project stored in the file.

:func:`write_qgis_side` runs inside a GeoPackage that gisapp has just written its
layer tables into (a whole new file, or one transaction of an in-place save), and
writes, for those layers only:

- a ``layer_styles`` row per layer, the default QGIS loads (see :mod:`layer_styles`), with
  the style as SLD too (:mod:`sld`) for other readers;
- ``gpkg_contents.identifier`` = the layer's Chinese title, ``description`` = its English
  title, as QGIS's browser and "Add layer" dialog show them;
- a ``qgis_projects`` row (QGIS's "Open project from GeoPackage", ``QgsGeoPackageProjectStorage``):
  the content column holds the .qgz archive as hex text and the metadata column JSON, as
  QGIS 3.22 writes them. gisapp marks its row (``"written_by": "gisapp"``) and replaces only
  such rows; a project a QGIS user stored, under any name, is left as it is.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.io.qgis.layer_styles import (
    STYLE_NAME,
    StoredStyle,
    geometry_columns_of,
    replace_gisapp_styles,
)
from gisapp.io.qgis.project_file import StoredLayer, layer_qml, project_qgs, qgz_bytes
from gisapp.io.qgis.sld import style_to_sld

PROJECTS_TABLE = "qgis_projects"
PROJECTS_SQL = f"CREATE TABLE {PROJECTS_TABLE}(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)"
WRITER = "gisapp"


def write_qgis_side(connection: sqlite3.Connection, project: Project, layer_tables: list[tuple[VectorLayer, str]],
                    file_name: str, folder: Path | None = None) -> None:
    """Write the styles, titles and QGIS project of ``project`` into the open GeoPackage.

    ``layer_tables`` pairs each saved layer with its table; ``file_name`` is the name the
    GeoPackage will have (layers in the stored project point at it by relative path).
    The caller commits (or rolls back) the connection.
    """
    columns = geometry_columns_of(connection)
    stored = [StoredLayer(layer, table, columns.get(table, "geom")) for layer, table in layer_tables]
    replace_gisapp_styles(connection, [
        StoredStyle(s.table, s.geometry_column, STYLE_NAME, layer_qml(s.layer),
                    description=s.layer.title_zh or s.layer.title_en,
                    sld=style_to_sld(s.layer.style, s.layer.geometry_family, s.table, s.layer.label_column("zh") or "",
                                    s.layer.label_style))
        for s in stored])
    _write_titles(connection, stored)
    store_project(connection, project_name(connection, project), project_qgs(project, stored, file_name, folder))


def _write_titles(connection: sqlite3.Connection, stored: list[StoredLayer]) -> None:
    """Titles in ``gpkg_contents``; the identifier is unique in a GeoPackage, so a title that
    another table already has gets a number."""
    tables = {s.table for s in stored}
    taken = {row[0] for row in connection.execute("SELECT identifier, table_name FROM gpkg_contents")
             if row[1] not in tables and row[0] is not None}
    for s in stored:
        base = s.layer.title_zh or s.layer.title_en or s.table
        identifier, number = base, 2
        while identifier in taken:
            identifier, number = f"{base} ({number})", number + 1
        taken.add(identifier)
        connection.execute("UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
                           (identifier, s.layer.title_en, s.table))


def _written_by_gisapp(metadata: object) -> bool:
    try:
        text = metadata.decode("utf-8") if isinstance(metadata, bytes) else str(metadata)
        return json.loads(text).get("written_by") == WRITER
    except (ValueError, AttributeError, UnicodeDecodeError):
        return False


def _projects(connection: sqlite3.Connection) -> dict[str, bool]:
    """Stored project name -> whether gisapp wrote it."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (PROJECTS_TABLE,)).fetchone() is None:
        return {}
    return {name: _written_by_gisapp(metadata)
            for name, metadata in connection.execute(f"SELECT name, metadata FROM {PROJECTS_TABLE}")}


def project_name(connection: sqlite3.Connection, project: Project) -> str:
    """The project's title, unless a QGIS user stored a project of that name: then '<title> (gisapp)'."""
    base = (project.title_zh or project.title_en or "gisapp").strip() or "gisapp"
    stored = _projects(connection)
    name, number = base, 2
    while name in stored and not stored[name]:
        name = f"{base} (gisapp)" if number == 2 else f"{base} (gisapp {number})"
        number += 1
    return name


def store_project(connection: sqlite3.Connection, name: str, qgs_text: str) -> None:
    """Store the project as QGIS does; gisapp's earlier rows (under any name) are replaced."""
    stored = _projects(connection)
    if PROJECTS_TABLE not in {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}:
        connection.execute(PROJECTS_SQL)
    for old, ours in stored.items():
        if ours:
            connection.execute(f"DELETE FROM {PROJECTS_TABLE} WHERE name = ?", (old,))
    metadata = json.dumps({"last_modified_time": datetime.now(UTC).astimezone().strftime("%Y-%m-%dT%H:%M:%S"),
                           "last_modified_user": WRITER, "written_by": WRITER})
    connection.execute(f"INSERT INTO {PROJECTS_TABLE} (name, metadata, content) VALUES (?, ?, ?)",
                       (name, metadata, qgz_bytes(qgs_text).hex()))
