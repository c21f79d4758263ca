"""The GeoPackage ``layer_styles`` table QGIS reads default styles from.

The schema is the one QGIS's OGR provider creates (``QgsOgrProviderUtils`` /
``saveStyle`` for GeoPackage). QGIS loads, for a table, the row marked
``useAsDefault`` with the newest ``update_time``. gisapp owns only the rows it
writes (``owner`` 'gisapp'); every other row stays as it is.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from gisapp.core.model.layer import VectorLayer
from gisapp.io.qgis.notes import joined
from gisapp.io.qgis.qml import qml_to_style
from gisapp.io.qgis.style_apply import apply_style_import

TABLE = "layer_styles"
OWNER = "gisapp"
STYLE_NAME = "gisapp"
CREATE_SQL = (
    'CREATE TABLE "layer_styles" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), '
    '"f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, '
    '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)


@dataclass(frozen=True)
class StoredStyle:
    """One ``layer_styles`` row."""

    table: str
    geometry_column: str
    name: str
    qml: str
    description: str = ""
    owner: str = ""
    update_time: str = ""
    sld: str = ""

    @property
    def written_by_gisapp(self) -> bool:
        return self.owner == OWNER and self.name == STYLE_NAME


def _read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection; the path is URI-quoted, so a '#' or '?' in a file name is a file name."""
    return sqlite3.connect(f"file:{quote(Path(path).resolve().as_posix())}?mode=ro", uri=True)


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (name,)).fetchone() is not None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _ensure_table(connection: sqlite3.Connection) -> None:
    if not _has_table(connection, TABLE):
        connection.execute(CREATE_SQL)
        # Registered as an attributes table, as QGIS does, so GDAL lists it.
        connection.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES (?, 'attributes', ?, '', ?)", (TABLE, TABLE, _now()))


def _insert_defaults(connection: sqlite3.Connection, styles: list[StoredStyle]) -> None:
    stamp = _now()
    for style in styles:
        connection.execute(f'DELETE FROM "{TABLE}" WHERE f_table_name = ? AND owner = ? AND styleName = ?',
                           (style.table, OWNER, STYLE_NAME))
        connection.execute(
            f'INSERT INTO "{TABLE}" (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, '
            "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, ?, '', ?)",
            (style.table, style.geometry_column, STYLE_NAME, style.qml, style.sld, style.description, OWNER, stamp))


def write_default_styles(path: str | Path, styles: list[StoredStyle]) -> None:
    """Make each style the default of its table; gisapp's earlier row for the table is replaced."""
    with closing(sqlite3.connect(path)) as connection, connection:
        _ensure_table(connection)
        _insert_defaults(connection, styles)


def replace_gisapp_styles(connection: sqlite3.Connection, styles: list[StoredStyle]) -> None:
    """gisapp's rows become exactly ``styles`` (rows of layers no longer saved go); every row
    gisapp did not write stays. The caller commits."""
    _ensure_table(connection)
    connection.execute(f'DELETE FROM "{TABLE}" WHERE owner = ? AND styleName = ?', (OWNER, STYLE_NAME))
    _insert_defaults(connection, styles)


def default_style(path: str | Path, table: str) -> StoredStyle | None:
    """The style QGIS would load by default for ``table``, or None."""
    with closing(_read_only(path)) as connection:
        if not _has_table(connection, TABLE):
            return None
        row = connection.execute(
            f'SELECT f_table_name, f_geometry_column, styleName, styleQML, description, owner, update_time '
            f'FROM "{TABLE}" WHERE f_table_name = ? AND styleQML IS NOT NULL AND styleQML != \'\' '
            "ORDER BY CASE WHEN useAsDefault THEN 0 ELSE 1 END, update_time DESC, id DESC LIMIT 1",
            (table,)).fetchone()
    if row is None:
        return None
    return StoredStyle(*(value if value is not None else "" for value in row))


def geometry_columns(path: str | Path) -> dict[str, str]:
    """Feature table -> its geometry column, from ``gpkg_geometry_columns``."""
    with closing(_read_only(path)) as connection:
        return geometry_columns_of(connection)


def geometry_columns_of(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())


def colleague_default_style(path: str | Path, table: str, saved_at: str = "") -> StoredStyle | None:
    """The ``useAsDefault`` row QGIS would load for ``table`` (the newest), unless gisapp wrote it
    or it is not newer than ``saved_at`` (when gisapp last saved the file: gisapp's own stored
    style, made after it, wins)."""
    with closing(_read_only(path)) as connection:
        if not _has_table(connection, TABLE):
            return None
        row = connection.execute(
            f'SELECT f_table_name, f_geometry_column, styleName, styleQML, description, owner, update_time '
            f'FROM "{TABLE}" WHERE f_table_name = ? AND useAsDefault AND styleQML IS NOT NULL '
            "ORDER BY update_time DESC, id DESC LIMIT 1", (table,)).fetchone()
    if row is None:
        return None
    stored = StoredStyle(*(str(value) if value is not None else "" for value in row))
    if stored.written_by_gisapp or (saved_at and not _later(stored.update_time, saved_at)):
        return None
    return stored


def _instant(text: str) -> datetime | None:
    """A SQLite or GDAL timestamp ('2026-12-01T19:20:00.123Z', '2026-12-01 19:20:00') in UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _later(first: str, second: str) -> bool:
    a, b = _instant(first), _instant(second)
    return a is not None and b is not None and a > b


def table_last_change(path: str | Path, table: str) -> str:
    """``gpkg_contents.last_change`` of ``table`` (GDAL stamps it when it writes the table)."""
    with closing(_read_only(path)) as connection:
        row = connection.execute("SELECT last_change FROM gpkg_contents WHERE table_name = ?", (table,)).fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def apply_stored_style(layer: VectorLayer, path: str | Path, table: str, saved_at: str = "") -> StoredStyle | None:
    """Apply the table's QGIS default style a colleague wrote (see :func:`colleague_default_style`).

    What was simplified, or why the style could not be used, goes into the layer's load report;
    the layer keeps its style when the row cannot be read. Returns the row applied, or None.
    """
    report = layer.load_report
    try:
        stored = colleague_default_style(path, table, saved_at)
    except sqlite3.Error as exc:
        if report is not None:
            report.warn("qgis_style_unreadable", name=TABLE, reason=str(exc))
        return None
    if stored is None:
        return None
    name = stored.name or TABLE
    try:
        found = qml_to_style(stored.qml)
        notes = apply_style_import(layer, found)
    except ValueError as exc:  # XmlRefused, StyleRefused
        if report is not None:
            report.warn("qgis_style_unreadable", name=name, reason=str(exc))
        return None
    if report is not None and notes:
        report.warn("qgis_style_simplified", name=name, notes=joined(notes))
    layer.metadata["qgis_style"] = name
    return stored
