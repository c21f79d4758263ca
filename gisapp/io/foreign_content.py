"""Carry what gisapp did not write from the previous GeoPackage into its replacement.

A project save writes a fresh file and swaps it in. Everything else a colleague put
into the file (QGIS styles and projects, other feature and attribute tables,
``gpkg_metadata``, relations, extensions) is copied over with SQLite itself: each
table is created from the original's ``sqlite_master`` SQL and filled with
``INSERT ... SELECT``, so values keep their exact storage, then its indexes, triggers
and the rows of the GeoPackage system tables that describe it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from gisapp.io.errors import GisIOError

# System tables whose rows describe other tables: rows for carried tables are copied.
DESCRIBING = {
    "gpkg_contents": "table_name",
    "gpkg_geometry_columns": "table_name",
    "gpkg_extensions": "table_name",
    "gpkg_ogr_contents": "table_name",
    "gpkg_data_columns": "table_name",
    "gpkg_tile_matrix_set": "table_name",
    "gpkg_tile_matrix": "table_name",
}


def _tables(connection: sqlite3.Connection, schema: str) -> dict[str, str]:
    rows = connection.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'").fetchall()
    return {name: sql for name, sql in rows}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rtree_owner(name: str, feature_tables: dict[str, str]) -> str | None:
    """The feature table an ``rtree_<table>_<geom>`` index (or one of its shadow tables) serves."""
    for table, column in feature_tables.items():
        base = f"rtree_{table}_{column}"
        if name == base or name in (base + "_node", base + "_parent", base + "_rowid"):
            return table
    return None


def carry_over(source: str | Path, target: str | Path, owned: set[str]) -> list[str]:
    """Copy tables of ``source`` that are neither in ``owned`` nor already in ``target``.

    Rows of ``layer_styles`` that the target lacks are added too. Returns the
    names of the tables copied.
    """
    with closing(sqlite3.connect(target)) as connection:
        connection.execute("ATTACH DATABASE ? AS old", (f"file:{Path(source).as_posix()}?mode=ro",))
        old_tables = _tables(connection, "old")
        new_tables = _tables(connection, "main")
        old_features = dict(connection.execute(
            "SELECT table_name, column_name FROM old.gpkg_geometry_columns").fetchall()) \
            if "gpkg_geometry_columns" in old_tables else {}
        carried: list[str] = []
        with connection:
            for name, sql in old_tables.items():
                if name.startswith("sqlite_") or name in new_tables or name in owned or sql is None:
                    continue
                rtree_of = _rtree_owner(name, old_features)
                if rtree_of is not None:
                    if rtree_of in owned or name != f"rtree_{rtree_of}_{old_features[rtree_of]}":
                        continue  # a gisapp table's index, or a shadow table the virtual table creates
                    connection.execute(sql)
                    connection.execute(f"INSERT INTO main.{_quote(name)} SELECT * FROM old.{_quote(name)}")
                    carried.append(name)
                    continue
                connection.execute(sql)
                connection.execute(f"INSERT INTO main.{_quote(name)} SELECT * FROM old.{_quote(name)}")
                carried.append(name)
            _copy_extra_layer_styles(connection, old_tables, new_tables)
            described = set(carried) | ({"layer_styles"} if "layer_styles" in old_tables else set())
            for system, column in DESCRIBING.items():
                if system in old_tables and system in new_tables and system not in carried:
                    _copy_rows_for(connection, system, column, described)
            if "gpkg_spatial_ref_sys" in old_tables and "gpkg_spatial_ref_sys" in new_tables:
                columns = _common_columns(connection, "gpkg_spatial_ref_sys")
                connection.execute(f"INSERT OR IGNORE INTO main.gpkg_spatial_ref_sys ({columns}) "
                                   f"SELECT {columns} FROM old.gpkg_spatial_ref_sys")
            if "gpkg_extensions" in old_tables and "gpkg_extensions" in new_tables:
                # File-wide extensions (no table) that the new file does not declare yet.
                connection.execute(
                    "INSERT INTO main.gpkg_extensions SELECT * FROM old.gpkg_extensions AS o "
                    "WHERE o.table_name IS NULL AND NOT EXISTS (SELECT 1 FROM main.gpkg_extensions AS n "
                    "WHERE n.table_name IS NULL AND n.extension_name = o.extension_name)")
            _copy_indexes_and_triggers(connection, set(carried))
            _copy_views(connection, owned)
        connection.execute("DETACH DATABASE old")
    return carried


def _copy_extra_layer_styles(connection: sqlite3.Connection, old_tables: dict[str, str], new_tables: dict[str, str]) -> None:
    """When both files have ``layer_styles``, add the old rows the new one lacks (by id)."""
    if "layer_styles" not in old_tables or "layer_styles" not in new_tables:
        return
    connection.execute("INSERT INTO main.layer_styles SELECT * FROM old.layer_styles AS o "
                       "WHERE o.id NOT IN (SELECT id FROM main.layer_styles)")


def _copy_rows_for(connection: sqlite3.Connection, system: str, column: str, tables: set[str]) -> None:
    """Rows describing ``tables``; each of these system tables has a key that includes ``column``."""
    if tables:
        names = sorted(tables)
        columns = _common_columns(connection, system)
        connection.execute(f"INSERT OR IGNORE INTO main.{system} ({columns}) SELECT {columns} FROM old.{system} "
                           f"WHERE {column} IN ({','.join('?' * len(names))})", names)


def _common_columns(connection: sqlite3.Connection, table: str) -> str:
    """The columns both files' ``table`` have: a file from a newer GDAL may have more (GeoPackage
    1.4's ``definition_12_063`` in ``gpkg_spatial_ref_sys``), an older one fewer."""
    old = [row[1] for row in connection.execute(f"PRAGMA old.table_info({_quote(table)})")]
    new = {row[1] for row in connection.execute(f"PRAGMA main.table_info({_quote(table)})")}
    return ", ".join(_quote(name) for name in old if name in new)


def _copy_views(connection: sqlite3.Connection, owned: set[str]) -> None:
    """Views a colleague made (QGIS can list a view registered in ``gpkg_contents`` as a layer)."""
    present = {row[0] for row in connection.execute("SELECT name FROM main.sqlite_master")}
    for name, sql in connection.execute("SELECT name, sql FROM old.sqlite_master WHERE type = 'view' "
                                        "AND sql IS NOT NULL").fetchall():
        if name not in present and name not in owned:
            connection.execute(sql)
            _copy_rows_for_view(connection, name)


def _copy_rows_for_view(connection: sqlite3.Connection, name: str) -> None:
    for system, column in DESCRIBING.items():
        if _has(connection, "old", system) and _has(connection, "main", system):
            _copy_rows_for(connection, system, column, {name})


def _has(connection: sqlite3.Connection, schema: str, table: str) -> bool:
    return connection.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?",
                              (table,)).fetchone() is not None


def foreign_tables(path: str | Path, owned_before: set[str]) -> set[str]:
    """Tables and views of the GeoPackage at ``path`` that gisapp did not write (``owned_before``
    are the ones it did); empty when there is no file yet.

    Raises GisIOError when a file is there but cannot be read as SQLite: replacing it would
    lose whatever it holds.
    """
    path = Path(path)
    if not path.exists():
        return set()
    try:
        with closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as connection:
            names = {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    except sqlite3.DatabaseError as exc:
        raise GisIOError(path, f"the existing file cannot be read as a GeoPackage ({exc}), so what it holds "
                               "could not be kept; it was not replaced. Save under another name") from exc
    return {name for name in names if not name.startswith(("sqlite_", "gpkg_", "rtree_"))
            and name not in owned_before}


def _copy_indexes_and_triggers(connection: sqlite3.Connection, tables: set[str]) -> None:
    rows = connection.execute(
        "SELECT type, name, tbl_name, sql FROM old.sqlite_master WHERE type IN ('index', 'trigger') "
        "AND sql IS NOT NULL").fetchall()
    present = {row[0] for row in connection.execute("SELECT name FROM main.sqlite_master")}
    for _kind, name, table, sql in rows:
        if table in tables and name not in present:
            connection.execute(sql)
