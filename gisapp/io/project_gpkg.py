"""Save and open a whole project as one GeoPackage (opens in QGIS too).

Layers are feature tables named after the layer ids. Beside them:
- ``gisapp_project``: key/value rows with JSON values (project, groups, layer list
  with styles and order, indicator definitions);
- ``gisapp_indicator_links``: feature-to-indicator links;
- ``gisapp_indicator_actuals``: monitoring values (indicator, feature or '' for zone-wide,
  year, value, note). Files written before it existed open with no actuals.
Saving edits back to the file they came from writes only the changed rows, in one SQLite
transaction, and leaves every other table as it is; any other save rewrites the file
atomically (see :func:`save_project` and :mod:`gisapp.io.atomic`), carrying whatever else the
file held (a colleague's tables, QGIS styles and projects, metadata) into the new file
(:mod:`gisapp.io.foreign_content`).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sqlite3
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pydantic import ValidationError

from gisapp.core.editing.changes import PendingRows, RowChanges
from gisapp.core.geo.geodesy import STORAGE_CRS
from gisapp.core.layout.items import Layout, LayoutError
from gisapp.core.model.bookmarks import Bookmark, BookmarkError
from gisapp.core.model.layer import StoredRows, VectorLayer
from gisapp.core.model.load_report import CRS_SET, LoadReport
from gisapp.core.model.project import USER_GROUP, LayerGroup, Project
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.core.model.style import shown
from gisapp.core.model.tile_layer import MapLayer, TileLayer
from gisapp.core.plan.actuals import Actual
from gisapp.core.plan.indicators import IndicatorCatalog, IndicatorLink, current_indicator_id
from gisapp.io.atomic import (
    atomic_path,
    check_writable,
    crash_point,
    crash_watcher,
    raise_if_no_space,
    remove_stale_temps,
)
from gisapp.io.errors import GisIOError
from gisapp.io.field_types import frame_for_writing
from gisapp.io.file_checks import ensure_regular_file
from gisapp.io.foreign_content import carry_over, foreign_tables
from gisapp.io.gpkg_inplace import (
    TableLayout,
    gpkg_blobs,
    quote,
    register_gpkg_functions,
    sql_values,
)
from gisapp.io.postgis.references import KIND as POSTGIS_KIND
from gisapp.io.postgis.references import (
    empty_frame,
    is_postgis_layer,
    read_from_server,
    saved_metadata,
)
from gisapp.io.project_schema import YEAR_RANGE, LayerEntry, ProjectMetadata, check
from gisapp.io.qgis.layer_styles import TABLE as LAYER_STYLES_TABLE
from gisapp.io.qgis.layer_styles import apply_stored_style, table_last_change
from gisapp.io.qgis.qgis_side import PROJECTS_TABLE, write_qgis_side
from gisapp.io.raster import open_raster
from gisapp.io.vector import ReadProgress, open_vector_file, read_layer

FORMAT_VERSION = 1
META_TABLE = "gisapp_project"
LINKS_TABLE = "gisapp_indicator_links"
ACTUALS_TABLE = "gisapp_indicator_actuals"
ACTUALS_COLUMNS = ["indicator_id", "feature_id", "year", "value", "note"]
FID_COLUMN = "fid"  # the feature id column of the layer tables gisapp writes (GDAL's default)


# GeoPackage 1.2: GDAL in pyogrio would write 1.4, which QGIS 3.22 (GDAL 3.6 and older) opens
# with the warning that the file "may only be partially supported". Used when GDAL creates the file.
GPKG_OPTIONS = {"VERSION": "1.2"}
# Tables QGIS keeps beside the layers: never a layer's table name.
QGIS_TABLES = {LAYER_STYLES_TABLE, PROJECTS_TABLE}


def _table_name(layer_id: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_]+", "_", layer_id).strip("_").lower() or "layer"
    if base.startswith("gisapp_"):
        base = f"l_{base}"
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def save_project(project: Project, path: str | Path,
                 changes: Mapping[str, RowChanges] | None = None, in_place: bool = True) -> str:
    """Write ``project`` to ``path``; the previous file survives any failure.

    Saving to the project file the project came from, with ``changes`` (the edit
    session's :meth:`~gisapp.core.editing.session.EditSession.row_changes`) covering every
    layer whose data differs from the file, writes only the changed, added and deleted rows
    and gisapp's metadata rows, in one SQLite transaction (:func:`_save_in_place`). Anything
    else (*Save As*, a layer added or removed, a field added, a file changed by another
    program since) rewrites the whole file atomically (:func:`_save_rewrite`), and so does
    ``in_place=False``. Returns ``"in_place"`` or ``"rewrite"``.
    """
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise GisIOError(path, "a project is saved as a GeoPackage: use the .gpkg extension")
    changes = changes or {}
    settle_journal(path)
    if in_place and _save_in_place(project, path, changes):
        how = "in_place"
    else:
        _save_rewrite(project, path, changes)
        how = "rewrite"
    project.metadata["path"] = str(path)
    project.stored_file = file_stamp(path)
    project.set_modified(False)
    return how


def _layer_entry(layer: VectorLayer, table: str) -> dict[str, Any]:
    if is_postgis_layer(layer):  # by reference: its rows stay on the server
        return {"id": layer.id, "kind": POSTGIS_KIND, "title_zh": layer.title_zh, "title_en": layer.title_en,
                "group": layer.group, "visible": layer.visible, "opacity": layer.opacity,
                "label_field": layer.label_field, "labels": layer.label_style.to_dict(),
                "style": layer.style.to_dict(), "metadata": saved_metadata(layer),
                "field_aliases": layer.field_aliases}
    return {"id": layer.id, "table": table, "title_zh": layer.title_zh, "title_en": layer.title_en,
            "group": layer.group, "visible": layer.visible, "opacity": layer.opacity,
            "label_field": layer.label_field, "labels": layer.label_style.to_dict(),
            "style": layer.style.to_dict(), "metadata": layer.metadata,
            "field_aliases": layer.field_aliases}


def _meta_rows(project: Project, layer_entries: list[dict[str, Any]]) -> pd.DataFrame:
    meta = {
        "format_version": FORMAT_VERSION,
        "project": {"title_zh": project.title_zh, "title_en": project.title_en,
                    "canvas_crs": project.canvas_crs, "attribution": project.attribution,
                    "metadata": project.metadata},
        "groups": [vars(g) for g in project.groups],
        "layers": layer_entries,
        "indicators": project.indicators.to_json_dict(),
        "layouts": project.layouts,
        "bookmarks": [bookmark.to_dict() for bookmark in project.bookmarks],
    }
    return pd.DataFrame({"key": list(meta), "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})


def _links_frame(project: Project) -> pd.DataFrame:
    return pd.DataFrame([vars(link) for link in project.indicators.links],
                        columns=["feature_id", "indicator_id", "relation", "note"]).astype(str)


def _row_ids(layer: VectorLayer, changes: Mapping[str, RowChanges]) -> tuple[np.ndarray, int] | None:
    """The file ids of the layer's rows as the session or the last read/save knows them."""
    rows, stored, n = changes.get(layer.id), layer.stored, len(layer.frame)
    if rows is not None and rows.frame is layer.frame and len(rows.fids) == n:
        return rows.fids, rows.next_fid
    if stored is not None and stored.frame is layer.frame and len(stored.fids) == n:
        return stored.fids, stored.next_fid
    return None


def _save_rewrite(project: Project, path: Path, changes: Mapping[str, RowChanges]) -> None:
    """The whole project into a new file that replaces ``path`` atomically. Rows keep their
    feature ids, so the edit session's ids stay true and the next save can be in place."""
    own_tables = {META_TABLE, LINKS_TABLE, ACTUALS_TABLE}
    tables_before = _layer_tables_written_before(path)
    written_before = own_tables | set(tables_before.values())
    foreign = foreign_tables(path, written_before)
    used: set[str] = own_tables | QGIS_TABLES | foreign
    layer_entries = []
    saved_tables: list[tuple[VectorLayer, str]] = []
    stored: list[StoredRows | None] = []
    try:
        with atomic_path(path) as temp:
            for number, layer in enumerate(project.layers, start=1):
                if isinstance(layer, TileLayer | RasterLayer):
                    layer_entries.append(_map_entry(layer, path))
                    continue
                if is_postgis_layer(layer):
                    layer_entries.append(_layer_entry(layer, ""))
                    continue
                table = (_table_kept(tables_before.get(layer.id), used)
                         or _table_read_from(layer, path, foreign) or _table_name(layer.id, used))
                frame, needs_arrow = frame_for_writing(layer.frame)
                known = _row_ids(layer, changes)
                if FID_COLUMN in frame.columns:  # the layer's own field takes the name: ids go
                    known = None
                elif known is None:
                    known = (np.arange(1, len(frame) + 1, dtype=np.int64), len(frame) + 1)
                if known is not None:
                    frame = frame.assign(**{FID_COLUMN: known[0]})  # GDAL takes it as the fid
                stored.append(StoredRows(layer.frame, known[0], known[1]) if known is not None else None)
                pyogrio.write_dataframe(frame, temp, layer=table, driver="GPKG", dataset_options=GPKG_OPTIONS,
                                        use_arrow=needs_arrow,
                                        geometry_type="Unknown", promote_to_multi=False)
                crash_point(f"after_layer:{number}")
                saved_tables.append((layer, table))
                layer_entries.append(_layer_entry(layer, table))
            rows = _meta_rows(project, layer_entries)
            pyogrio.write_dataframe(rows, temp, layer=META_TABLE, driver="GPKG", dataset_options=GPKG_OPTIONS)
            pyogrio.write_dataframe(_links_frame(project), temp, layer=LINKS_TABLE, driver="GPKG",
                                    dataset_options=GPKG_OPTIONS)
            pyogrio.write_dataframe(_actuals_frame(project), temp, layer=ACTUALS_TABLE, driver="GPKG",
                                    dataset_options=GPKG_OPTIONS)
            if path.exists():
                carry_over(path, temp, owned=written_before | {table for _layer, table in saved_tables})
            with closing(sqlite3.connect(temp)) as connection, connection:
                write_qgis_side(connection, project, saved_tables, Path(os.path.realpath(path)).name,
                                Path(os.path.realpath(path)).parent)
    except GisIOError:
        raise
    except OSError as exc:
        raise GisIOError(path, f"the project could not be saved ({exc.strerror or exc})") from exc
    except Exception as exc:
        raise GisIOError(path, f"the project could not be saved ({exc})") from exc
    file_layers = [layer for layer in project.vector_layers() if not is_postgis_layer(layer)]
    for layer, rows_of_layer in zip(file_layers, stored, strict=True):
        layer.stored = rows_of_layer


def file_stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), info.st_mtime_ns, info.st_size)


def settle_journal(path: Path) -> None:
    """Roll back what a save killed inside its transaction left (a hot ``-journal``).

    SQLite does this on the next read-write connection; doing it first means a rewrite never
    puts a new file beside an old journal, which SQLite would then play back into it."""
    if not Path(f"{path}-journal").exists() or not path.is_file():
        return
    with contextlib.suppress(sqlite3.Error, OSError):
        con = sqlite3.connect(path, timeout=5)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()


class _NotInPlace(Exception):
    """The in-place save does not apply (the reason is for the tests and the log)."""


def _save_in_place(project: Project, path: Path, changes: Mapping[str, RowChanges]) -> bool:
    """Write only what changed into ``path`` in one SQLite transaction; False if that does not
    apply (nothing was written). A crash at any point leaves the old or the new state: the
    rollback journal (or the WAL, if the file uses one) makes the transaction atomic."""
    source = project.metadata.get("path")
    if not source or not path.is_file() or Path(source).resolve() != path.resolve():
        return False
    if project.stored_file is None or project.stored_file != file_stamp(path):
        return False  # never read or written by gisapp, or changed by another program since
    check_writable(path)
    remove_stale_temps(path)  # left by rewrites that were killed
    try:
        con = sqlite3.connect(path, isolation_level=None, timeout=5)
    except sqlite3.Error:
        return False
    written: dict[str, RowChanges] = {}
    try:
        register_gpkg_functions(con)
        mode = con.execute("PRAGMA journal_mode").fetchone()[0].lower()
        if mode not in ("delete", "truncate", "persist", "wal"):
            return False
        con.execute("PRAGMA synchronous = FULL")  # the journal reaches the disk before the file changes
        con.execute("BEGIN IMMEDIATE")
        try:
            plan = _in_place_plan(con, project, changes)
            vector_entries = {}
            for layer, table, layout, pending in plan:
                vector_entries[layer.id] = _layer_entry(layer, table)
                if pending is not None:
                    _write_rows(con, layer, layout, pending)
                    written[layer.id] = changes[layer.id]
            entries = [vector_entries.get(layer.id) or _layer_entry(layer, "") if isinstance(layer, VectorLayer)
                       else _map_entry(layer, path) for layer in project.layers]  # in tree order, basemaps and rasters included
            crash_point("inplace_after_rows")
            gisapp_side_tables_in_transaction(con, project, path, entries)
            crash_point("inplace_before_commit")
            commit_watch = crash_watcher(path, "inplace_during_commit")
            con.execute("COMMIT")
            if commit_watch is not None:
                commit_watch.join()
            crash_point("inplace_after_commit")
        except _NotInPlace:
            con.execute("ROLLBACK")
            return False
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise_if_no_space(path, exc)
        raise GisIOError(path, f"the project could not be saved ({exc}); the file is unchanged") from exc
    finally:
        con.close()
    for layer_id, rows in written.items():
        layer = project.layer(layer_id)
        layer.stored = StoredRows(layer.frame, rows.fids, rows.next_fid)
    return True


def _in_place_plan(con: sqlite3.Connection, project: Project, changes: Mapping[str, RowChanges]
                   ) -> list[tuple[VectorLayer, str, TableLayout, PendingRows | None]]:
    """Per layer: its table in the file and the rows to write (None: it is as stored)."""
    row = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'layers'").fetchone() \
        if _table_exists(con, META_TABLE) else None
    try:
        tables = {entry["id"]: entry["table"] for entry in json.loads(row[0])
                  if entry.get("kind", "vector") == "vector"} if row else None
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise _NotInPlace("the file's layer list cannot be read") from exc
    # Basemaps have no table, and a PostGIS layer's rows are on its server: their entries are metadata.
    vector_layers = [layer for layer in project.vector_layers() if not is_postgis_layer(layer)]
    if tables is None or set(tables) != {layer.id for layer in vector_layers} \
            or len(tables) != len(vector_layers):
        raise _NotInPlace("layers were added or removed")
    for table in (LINKS_TABLE, ACTUALS_TABLE):
        if not _table_exists(con, table):
            raise _NotInPlace(f"no {table} table")
    plan: list[tuple[VectorLayer, str, TableLayout, PendingRows | None]] = []
    for layer in vector_layers:
        table = tables[layer.id]
        layout = TableLayout.read(con, table)
        if layout is None:
            raise _NotInPlace(f"{table!r} is not a feature table")
        # Also for a layer whose rows are as stored: a field may have been added to its frame
        # (indicator styles add columns).
        misfit = layout.misfit(layer.frame, layer.frame.crs.to_epsg() if layer.frame.crs else None)
        if misfit:
            raise _NotInPlace(misfit)
        stored = layer.stored
        if stored is not None and stored.frame is layer.frame:
            plan.append((layer, table, layout, None))
            continue
        rows = changes.get(layer.id)
        pending = rows.pending() if rows is not None and rows.frame is layer.frame else None
        if pending is None or stored is None:
            raise _NotInPlace(f"the changes of {layer.id!r} are not known row by row")
        plan.append((layer, table, layout, pending))
    return plan


def _table_exists(con: sqlite3.Connection, table: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() \
        is not None


def _write_rows(con: sqlite3.Connection, layer: VectorLayer, layout: TableLayout, pending: PendingRows) -> None:
    """Delete, update and insert one layer's changed rows (GDAL's triggers keep the R-tree)."""
    table, fid = quote(layout.table), quote(layout.fid_column)
    before = con.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?)",
                         (layout.table,)).fetchone()
    deleted = 0
    for start in range(0, len(pending.deleted), 500):
        chunk = [int(f) for f in pending.deleted[start:start + 500]]
        deleted += con.execute(f"DELETE FROM {table} WHERE {fid} IN ({','.join('?' * len(chunk))})",
                               chunk).rowcount
    frame = layer.frame
    columns = [c for c in frame.columns if c != frame.geometry.name]
    rows = frame.iloc[pending.positions]
    geoms = rows.geometry.array
    records = list(zip(gpkg_blobs(np.asarray(geoms, dtype=object), layout.srs_id),
                       *(sql_values(rows[c]) for c in columns), pending.fids.tolist(), strict=True))
    names = [quote(layout.geometry_column), *(quote(c) for c in columns)]
    updates = [r for r, added in zip(records, pending.added.tolist(), strict=True) if not added]
    inserts = [r for r, added in zip(records, pending.added.tolist(), strict=True) if added]
    update = f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE {fid} = ?"
    half = len(updates) // 2
    con.executemany(update, updates[:half])
    crash_point("inplace_rows_half")
    con.executemany(update, updates[half:])
    con.executemany(f"INSERT INTO {table} ({', '.join(names)}, {fid}) VALUES ({', '.join('?' * (len(names) + 1))})",
                    inserts)
    if before is not None and before[0] is not None:
        con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                    (int(before[0]) + len(inserts) - deleted, layout.table))
    if len(rows):
        bounds = shapely.bounds(np.asarray(geoms, dtype=object))
        finite = np.isfinite(bounds).all(axis=1)
        if finite.any():
            b = bounds[finite]
            # As GDAL does, the extent grows to take in new shapes; it is not shrunk.
            con.execute("UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?), "
                        "max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?) WHERE table_name = ?",
                        (*[float(v) for pair in ((b[:, 0].min(),) * 2, (b[:, 1].min(),) * 2,
                                                 (b[:, 2].max(),) * 2, (b[:, 3].max(),) * 2) for v in pair],
                         layout.table))
    _touch(con, layout.table)


def _touch(con: sqlite3.Connection, table: str) -> None:
    con.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                "WHERE table_name = ?", (table,))


def _replace_table_rows(con: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """All rows of one of gisapp's own attribute tables, replaced (left alone when equal)."""
    present = {row[1] for row in con.execute(f"PRAGMA table_info({quote(table)})")}
    if not set(columns) <= present:
        raise _NotInPlace(f"the {table} table lacks columns")
    names = ", ".join(quote(c) for c in columns)
    if con.execute(f"SELECT {names} FROM {quote(table)} ORDER BY rowid").fetchall() == rows:
        return
    con.execute(f"DELETE FROM {quote(table)}")
    con.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
    con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                (len(rows), table))
    _touch(con, table)


def gisapp_side_tables_in_transaction(con: sqlite3.Connection, project: Project, path: Path,
                                      layer_entries: list[dict[str, Any]]) -> None:
    """The side tables gisapp owns, rewritten inside the in-place save's transaction (they
    commit or roll back with the rows): the project metadata, the indicator links, the actuals,
    and the QGIS-facing ones (gisapp's layer_styles rows, the gpkg_contents titles, gisapp's
    qgis_projects row; :func:`gisapp.io.qgis.qgis_side.write_qgis_side`)."""
    write_qgis_side(con, project, [(project.layer(entry["id"]), entry["table"]) for entry in layer_entries
                                   if "table" in entry],  # basemap entries have no table
                    Path(os.path.realpath(path)).name, Path(os.path.realpath(path)).parent)
    meta = _meta_rows(project, layer_entries)
    _replace_table_rows(con, META_TABLE, ["key", "value"], list(zip(meta["key"], meta["value"], strict=True)))
    _replace_table_rows(con, LINKS_TABLE, ["feature_id", "indicator_id", "relation", "note"],
                        [(str(link.feature_id), str(link.indicator_id), str(link.relation), str(link.note))
                         for link in project.indicators.links])
    # As _actuals_frame writes them: a missing value as NULL, the year as an integer.
    _replace_table_rows(con, ACTUALS_TABLE, ACTUALS_COLUMNS, [
        (r.indicator_id, r.feature_id, int(r.year), None if r.value is None or math.isnan(r.value) else float(r.value),
         r.note) for r in project.indicators.actuals.records()])


def _layer_tables_written_before(path: Path) -> dict[str, str]:
    """Layer id -> table, as the gisapp project at ``path`` lists them (none for a new or plain
    file). A layer keeps its table from save to save, so QGIS styles and projects that name
    the table still find it.

    A damaged list gives none: every table then counts as someone else's and is kept.
    """
    if not path.is_file():
        return {}
    try:
        with closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as connection:
            row = connection.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'layers'").fetchone()
        entries = json.loads(row[0]) if row else []
        return {entry["id"]: entry["table"] for entry in entries
                if isinstance(entry.get("id"), str) and isinstance(entry.get("table"), str)}
    except (sqlite3.Error, ValueError, TypeError, AttributeError, RecursionError):
        return {}


def _table_kept(table: str | None, used: set[str]) -> str | None:
    if table is None or table in used or table in QGIS_TABLES or table.startswith(("gpkg_", "rtree_", "sqlite_")):
        return None
    used.add(table)
    return table


def _table_read_from(layer: VectorLayer, path: Path, foreign: set[str]) -> str | None:
    """The table of this very file that ``layer`` was read from, which its save then replaces
    (a plain GeoPackage saved as a project onto itself). None when the layer came from elsewhere,
    or when some of the table's features were rejected on reading: the original table is then
    kept as it is, and the layer gets a table of its own."""
    table = layer.metadata.get("source_layer")
    source = layer.metadata.get("source_path")
    if not isinstance(table, str) or table not in foreign or table in QGIS_TABLES or not isinstance(source, str):
        return None
    if layer.load_report is not None and layer.load_report.rejected:
        return None
    try:
        if not os.path.samefile(source, path):
            return None
    except OSError:
        return None
    foreign.discard(table)  # claimed once: the other part of a table split by geometry type gets its own
    return table


def _map_entry(layer: TileLayer | RasterLayer, project_path: Path) -> dict[str, Any]:
    return _tile_entry(layer, project_path) if isinstance(layer, TileLayer) else _raster_entry(layer, project_path)


def _raster_entry(layer: RasterLayer, project_path: Path) -> dict[str, Any]:
    """A raster's entry: its file relative to the project where it can be, and its colours."""
    raster: dict[str, Any] = {"path": _relative_path(layer.path, project_path.parent), "style": layer.style.to_dict()}
    if layer.load_report is not None and layer.load_report.crs_how == CRS_SET:
        raster["crs"] = layer.info.crs
    return {"id": layer.id, "kind": layer.kind, "title_zh": layer.title_zh, "title_en": layer.title_en,
            "group": layer.group, "visible": layer.visible, "opacity": layer.opacity,
            "metadata": layer.metadata, "raster": raster}


def _tile_entry(layer: TileLayer, project_path: Path) -> dict[str, Any]:
    """A basemap's entry: its source, an MBTiles path relative to the project where it can be."""
    source = layer.source.to_dict()
    if layer.source.kind == "mbtiles":
        source["path"] = _relative_path(layer.source.path, project_path.parent)
    return {"id": layer.id, "kind": layer.kind, "title_zh": layer.title_zh, "title_en": layer.title_en,
            "group": layer.group, "visible": layer.visible, "opacity": layer.opacity,
            "metadata": layer.metadata, "source": source}


def _relative_path(path: str, folder: Path) -> str:
    try:
        return os.path.relpath(Path(path).resolve(), folder.resolve())
    except ValueError:  # another drive (Windows): keep it absolute
        return str(path)


def is_project_file(path: str | Path) -> bool:
    try:
        ensure_regular_file(path)  # a pipe or device would make SQLite wait or read forever
        return META_TABLE in {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception:
        return False


def load_project(path: str | Path, warnings: list[str] | None = None, progress: ReadProgress | None = None,
                 on_outline: Callable[[Project, dict[str, str]], None] | None = None) -> Project:
    """Open a project GeoPackage; a plain GeoPackage opens as a project of its layers.

    Every part of the file is checked before a model object is made (see
    :mod:`gisapp.io.project_schema`): a damaged file raises :class:`GisIOError` saying which
    part is wrong, never another exception. Tolerated oddities (unknown keys, a layer in a
    group that is not listed) are added to ``warnings``. ``progress`` follows (and can
    cancel) the reading of the layers, as in :func:`gisapp.io.vector.open_vector_file`.

    ``on_outline(project, tables)`` hears, once the metadata and the small tables are read and
    checked, and before any layer table is, of the project with every layer still empty, and
    of each layer's table by layer id (a window shows it while the layers are read).
    """
    path = Path(path)
    ensure_regular_file(path)
    settle_journal(path)
    stamp = file_stamp(path)
    if not is_project_file(path):
        project = Project(title_zh=path.stem, title_en=path.stem)
        for layer in reversed(open_vector_file(path, progress)):
            project.add_layer(layer)
        project.set_modified(False)
        return project
    try:
        tables = {str(name) for name, _ in pyogrio.list_layers(path)}
        rows = pyogrio.read_dataframe(path, layer=META_TABLE, read_geometry=False)
        link_rows = (pyogrio.read_dataframe(path, layer=LINKS_TABLE, read_geometry=False)
                     if LINKS_TABLE in tables else None)
        actual_rows = (_read_actual_rows(path)
                       if ACTUALS_TABLE in tables else None)  # None: written before actuals were saved
    except Exception as exc:
        raise GisIOError(path, f"the project file is damaged or incomplete ({exc})") from exc
    meta = metadata_from_rows(rows, path)
    checked = check_project_metadata(meta, path, warnings)
    for number, entry in enumerate(checked.layers):
        if entry.kind != "vector":
            continue
        if entry.table not in tables:
            raise GisIOError(path, f"damaged project metadata: layers[{number}].table: "
                                   f"no table {entry.table!r} in the file")
    links = links_from_rows(link_rows, path) if link_rows is not None else []
    actuals = actuals_from_rows(actual_rows, path) if actual_rows is not None else []
    if on_outline is not None:
        vector_entries = [entry for entry in checked.layers if entry.kind == "vector"]
        empty = {entry.table: gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=STORAGE_CRS)) for entry in vector_entries}
        outline = build_project(checked, empty, links, actuals, path)
        outline.set_modified(False)
        on_outline(outline, {entry.id: entry.table for entry in vector_entries})
    frames, reports = {}, {}
    for number, entry in enumerate(checked.layers):
        if entry.kind == "vector" and entry.table not in frames:
            frames[entry.table], reports[entry.table] = _read_layer_table(path, entry.table,
                                                                          f"layers[{number}].table", progress)
    project = build_project(checked, frames, links, actuals, path, warnings, reports)
    if progress is not None and progress.is_cancelled():
        raise GisIOError(path, "opening was cancelled")
    server_notes = read_from_server([layer for layer in project.vector_layers() if is_postgis_layer(layer)])
    if warnings is not None:
        warnings += [f"{path.name}: {note}" for note in server_notes]
    apply_colleague_styles(project, checked, path)
    _remember_stored_rows(path, project, {entry.id: entry.table for entry in checked.layers}, reports)
    project.stored_file = stamp
    project.set_modified(False)
    return project


def apply_colleague_styles(project: Project, checked: ProjectMetadata, path: Path) -> None:
    """A default style a QGIS user saved into the file after gisapp last saved it wins over the
    style in gisapp's metadata (a row older than that save was in the file when gisapp wrote
    its own style, so gisapp's is the newer word)."""
    try:
        saved_at = table_last_change(path, META_TABLE)
    except sqlite3.Error:
        saved_at = ""
    if not saved_at:
        return  # no time to compare with: gisapp's metadata is the word
    tables = {entry.id: entry.table for entry in checked.layers}
    for layer in project.vector_layers():  # a basemap has no table or style row
        if is_postgis_layer(layer):  # its table and styles are on its server
            continue
        if layer.load_report is None:
            layer.load_report = LoadReport(source=str(path), layer=tables[layer.id])
        apply_stored_style(layer, path, tables[layer.id], saved_at)


def _remember_stored_rows(path: Path, project: Project, tables: dict[str, str],
                          reports: dict[str, LoadReport]) -> None:
    """Each layer's feature ids in the file (for saving edits in place); None where unsure."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return
    try:
        for layer in project.vector_layers():
            table = tables.get(layer.id)
            report = reports.get(table) if table else None
            if table is None or report is None:
                continue
            with contextlib.suppress(sqlite3.Error, ValueError):
                layer.stored = _stored_rows(con, table, layer, report)
    finally:
        con.close()


def _stored_rows(con: sqlite3.Connection, table: str, layer: VectorLayer, report: LoadReport) -> StoredRows | None:
    layout = TableLayout.read(con, table)
    rejected = [item.fid for item in report.rejected]
    if layout is None or any(fid is None for fid in rejected):
        return None
    fid = quote(layout.fid_column)
    total = len(layer.frame) + len(rejected)
    first = con.execute(f"SELECT {fid} FROM {quote(table)} ORDER BY {fid} LIMIT 1").fetchone()
    last = con.execute(f"SELECT {fid} FROM {quote(table)} ORDER BY {fid} DESC LIMIT 1").fetchone()
    if first is None:
        fids = np.empty(0, dtype=np.int64)
    elif last[0] - first[0] + 1 == total:
        # As many rows as ids from the first to the last: every id is there, in order (two
        # index look-ups instead of reading a million ids).
        fids = np.arange(first[0], last[0] + 1, dtype=np.int64)
    else:
        # GDAL reads the table in rowid (fid) order, so the rows come in this order.
        fids = np.fromiter((row[0] for row in con.execute(f"SELECT {fid} FROM {quote(table)} ORDER BY {fid}")),
                           dtype=np.int64)
    if len(fids) != total:
        return None
    if rejected:
        fids = fids[~np.isin(fids, np.asarray(rejected, dtype=np.int64))]
    sequence = con.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone() \
        if _table_exists(con, "sqlite_sequence") else None
    used = max(int(last[0]) if last else 0, int(sequence[0]) if sequence and sequence[0] is not None else 0)
    return StoredRows(layer.frame, fids, used + 1)


def _read_layer_table(path: Path, table: str, where: str, progress: ReadProgress | None = None,
                      ) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """A layer table, checked like any file a user brings (see :func:`gisapp.io.vector.read_layer`):
    its good features, and the report of the rejected ones."""
    if table in (META_TABLE, LINKS_TABLE, ACTUALS_TABLE):
        raise GisIOError(path, f"damaged project metadata: {where}: {table!r} is not a layer table")
    try:
        geometry_type = pyogrio.read_info(path, layer=table).get("geometry_type")
    except Exception as exc:
        raise GisIOError(path, f"damaged layer table {table!r} ({exc})") from exc
    if not geometry_type:
        raise GisIOError(path, f"damaged project metadata: {where}: {table!r} has no geometry column")
    try:
        return read_layer(path, table, progress)
    except GisIOError as exc:
        raise GisIOError(path, f"damaged layer table {table!r} ({exc.problem})") from None


def metadata_from_rows(rows: pd.DataFrame, path: str | Path) -> dict[str, Any]:
    """The ``gisapp_project`` key/value rows as a dict of parsed JSON values."""
    if not {"key", "value"} <= set(rows.columns):
        raise GisIOError(path, f"damaged project metadata: the {META_TABLE} table has no key and value columns")
    meta: dict[str, Any] = {}
    for number, (key, value) in enumerate(zip(rows["key"], rows["value"], strict=True), start=1):
        if not isinstance(key, str):
            raise GisIOError(path, f"damaged project metadata: row {number} of {META_TABLE}: "
                                   f"expected a key name, got {_shown_cell(key)}")
        if not isinstance(value, str):
            raise GisIOError(path, f"damaged project metadata: {key}: expected JSON text, "
                                   f"got {_shown_cell(value)}")
        if key in meta:
            raise GisIOError(path, f"damaged project metadata: the key {key!r} is stored twice")
        try:
            meta[key] = json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise GisIOError(path, f"damaged project metadata: {key}: not valid JSON ({exc})") from None
    return meta


def _shown_cell(value: Any) -> str:
    return "an empty value" if value is None or (isinstance(value, float) and math.isnan(value)) else shown(value)


def check_project_metadata(meta: Any, path: str | Path, warnings: list[str] | None = None) -> ProjectMetadata:
    """Validate parsed metadata; raises GisIOError('damaged project metadata: ...')."""
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise GisIOError(path, "the project was written by a newer gisapp; update to open it")
    checked = check(ProjectMetadata, meta, path, "project metadata", warnings)
    _unique([layer.id for layer in checked.layers], "layers", "id", path)
    _unique([group.id for group in checked.groups], "groups", "id", path)
    for number, entry in enumerate(checked.layouts):
        try:
            Layout.from_dict(entry, f"layouts[{number}]")
        except LayoutError as exc:
            raise GisIOError(path, f"damaged project metadata: {exc}") from None
    _unique([str(entry.get("name", "")) for entry in checked.layouts], "layouts", "name", path)
    for number, entry in enumerate(checked.bookmarks):
        try:
            Bookmark.from_dict(entry, f"bookmarks[{number}]")
        except BookmarkError as exc:
            raise GisIOError(path, f"damaged project metadata: {exc}") from None
    _unique([str(entry.get("id", "")) for entry in checked.bookmarks], "bookmarks", "id", path)
    return checked


def _unique(values: list[str], part: str, key: str, path: str | Path) -> None:
    seen: set[str] = set()
    for number, value in enumerate(values):
        if value in seen:
            raise GisIOError(path, f"damaged project metadata: {part}[{number}].{key}: "
                                   f"{value!r} is used twice")
        seen.add(value)


def build_project(checked: ProjectMetadata, frames: dict[str, Any], links: list[IndicatorLink],
                  actuals: list[Actual], path: str | Path, warnings: list[str] | None = None,
                  reports: dict[str, LoadReport] | None = None) -> Project:
    """The Project of validated metadata and its tables (``frames`` by table name, with the
    ``reports`` of reading them)."""
    groups = [LayerGroup(g.id, g.title_zh, g.title_en) for g in checked.groups]
    known = {g.id for g in groups}
    layers: list[MapLayer] = []
    # Raster entries whose file was missing when the project was last opened: tried again.
    unopened: list[dict[str, Any]] = []
    for raw in checked.project.metadata.get(UNOPENED_RASTERS, []) or []:
        try:
            retried = LayerEntry.model_validate(raw)
        except (ValidationError, TypeError):
            continue
        raster = _raster_layer(retried, retried.group if retried.group in known else USER_GROUP, Path(path), warnings) \
            if retried.raster is not None else None
        if raster is not None:
            layers.append(raster)
        elif retried.raster is not None:
            unopened.append(_kept_entry(retried, Path(path)))
    for entry in checked.layers:
        group = entry.group or USER_GROUP
        if group not in known:
            # As QGIS keeps a layer whose group is gone: show it in a group of its own name.
            groups.append(LayerGroup(group, *(("用户图层", "User layers") if group == USER_GROUP
                                              else (group, group))))
            known.add(group)
            if warnings is not None:
                warnings.append(f"{Path(path).name}: layer {entry.id!r} is in group {group!r}, which "
                                "the project does not list; it was added")
        if entry.kind == "tiles" and entry.source is not None:
            source = entry.source.built()
            if source.kind == "mbtiles" and not Path(source.path).is_absolute():
                source = replace(source, path=str(Path(path).parent / source.path))
            layers.append(TileLayer(id=entry.id, title_zh=entry.title_zh, title_en=entry.title_en,
                                    source=source, group=group, visible=entry.visible,
                                    opacity=entry.opacity, metadata=entry.metadata))
            continue
        if entry.kind == "raster" and entry.raster is not None:
            raster = _raster_layer(entry, group, Path(path), warnings)
            if raster is not None:
                layers.append(raster)
            else:
                unopened.append(_kept_entry(entry, Path(path)))
            continue
        layers.append(VectorLayer(
            id=entry.id, title_zh=entry.title_zh, title_en=entry.title_en,
            frame=empty_frame() if entry.kind == POSTGIS_KIND else frames[entry.table],
            style=entry.built_style(), group=group, visible=entry.visible, opacity=entry.opacity,
            label_field=entry.label_field, label_style=entry.built_labels(), metadata=entry.metadata,
            field_aliases={column: {lang: text for lang, text in names.items()}
                           for column, names in entry.field_aliases.items()},
            load_report=(reports or {}).get(entry.table)))
    categories, indicators = checked.indicators.definitions()
    indicators = [replace(i, id=current_indicator_id(i.id)) for i in indicators]
    info = checked.project
    project = Project(
        title_zh=info.title_zh, title_en=info.title_en, groups=groups, layers=layers,
        indicators=IndicatorCatalog(categories=categories, indicators=indicators, links=links),
        canvas_crs=info.canvas_crs, attribution=info.attribution,
        metadata={**{k: v for k, v in info.metadata.items() if k != UNOPENED_RASTERS}, "path": str(path),
                  **({UNOPENED_RASTERS: unopened} if unopened else {})},
        layouts=[Layout.from_dict(entry).to_dict() for entry in checked.layouts],
        bookmarks=[Bookmark.from_dict(entry) for entry in checked.bookmarks])
    project.indicators.actuals.replace_all(actuals)
    return project


UNOPENED_RASTERS = "unopened_rasters"  # project metadata: raster entries whose file was missing


def _kept_entry(entry: Any, path: Path) -> dict[str, Any]:
    """A raster entry kept while its file is missing, with an absolute path (a Save As elsewhere
    must not change where it points)."""
    data: dict[str, Any] = entry.model_dump(exclude_none=True)
    file = Path(data["raster"]["path"])
    data["raster"]["path"] = str(file if file.is_absolute() else (path.parent / file).resolve())
    return data


def _raster_layer(entry: Any, group: str, path: Path, warnings: list[str] | None) -> RasterLayer | None:
    """The raster an entry names, opened again; a file that is missing or broken now is said
    in ``warnings`` and left out (the rest of the project opens)."""
    assert entry.raster is not None
    file = Path(entry.raster.path)
    if not file.is_absolute():
        file = path.parent / file
    try:
        layer = open_raster(file, crs=entry.raster.crs or None, layer_id=entry.id)
    except GisIOError as exc:
        if warnings is not None:
            warnings.append(f"{path.name}: the raster layer {entry.title_en or entry.id!r} was left out: {exc}. It stays in the project and opens once the file is back")
        return None
    layer.title_zh, layer.title_en, layer.group = entry.title_zh, entry.title_en, group
    layer.visible, layer.opacity, layer.metadata = entry.visible, entry.opacity, dict(entry.metadata)
    layer.style = entry.raster.built_style()
    return layer


def links_from_rows(rows: pd.DataFrame, path: Path) -> list[IndicatorLink]:
    missing = [c for c in ("feature_id", "indicator_id") if c not in rows.columns]
    if missing:
        raise GisIOError(path, f"damaged indicator links: the {LINKS_TABLE} table has no "
                               f"{' or '.join(missing)} column")
    columns = [c for c in ("feature_id", "indicator_id", "relation", "note") if c in rows.columns]
    links = [IndicatorLink(**{c: _cell(row[c]) for c in columns}) for row in rows[columns].to_dict("records")]
    return [replace(link, indicator_id=current_indicator_id(link.indicator_id)) for link in links]


def _read_actual_rows(path: Path) -> pd.DataFrame:
    # SQLite keeps the type of each value: GDAL would read a year of 2021.9 stored in the
    # integer column as 2021, and text in the value column as 0.
    return pyogrio.read_dataframe(
        path, read_geometry=False,
        sql=f"SELECT *, typeof(year) AS year_type, quote(year) AS year_text, typeof(value) AS value_type, "
            f"quote(value) AS value_text FROM {ACTUALS_TABLE}")


def actuals_from_rows(rows: pd.DataFrame, path: Path) -> list[Actual]:
    missing = [c for c in ("indicator_id", "year", "value") if c not in rows.columns]
    if missing:
        raise GisIOError(path, f"damaged monitoring values: the {ACTUALS_TABLE} table has no "
                               f"{' or '.join(missing)} column")
    actuals = []
    for number, row in enumerate(rows.to_dict("records"), start=1):
        year, value = row["year"], row["value"]
        stored_year = row.get("year_text", year)
        if row.get("year_type", "integer") != "integer" or not _is_whole_number(year) \
                or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise GisIOError(path, f"damaged monitoring values: row {number}: year: "
                                   f"expected a year, got {_stored(stored_year)}")
        empty = row.get("value_type") == "null" or value is None or pd.isna(value)
        if not empty and (row.get("value_type", "real") not in ("integer", "real")
                          or not isinstance(value, int | float) or not math.isfinite(value)):
            raise GisIOError(path, f"damaged monitoring values: row {number}: value: expected a finite "
                                   f"number or empty, got {_stored(row.get('value_text', value))}")
        actuals.append(Actual(
            indicator_id=current_indicator_id(_cell(row["indicator_id"])), year=int(year), value=None if empty else float(value),
            feature_id=_cell(row.get("feature_id")), note=_cell(row.get("note"))))
    return actuals


def _stored(text: Any) -> str:
    """An SQL literal as SQLite's quote() wrote it, shown as the user would write it."""
    return (text if len(text) <= 60 else text[:60] + "…") if isinstance(text, str) else shown(text)


def _is_whole_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | np.integer):
        return True
    return isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer()


def _actuals_frame(project: Project) -> pd.DataFrame:
    records = project.indicators.actuals.records()
    return pd.DataFrame({
        "indicator_id": pd.Series([r.indicator_id for r in records], dtype=object),
        "feature_id": pd.Series([r.feature_id for r in records], dtype=object),
        "year": pd.Series([r.year for r in records], dtype="int32"),
        "value": pd.Series([r.value for r in records], dtype="float64"),
        "note": pd.Series([r.note for r in records], dtype=object),
    }, columns=ACTUALS_COLUMNS)


def _cell(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
