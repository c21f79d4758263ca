"""A whole project published into one PostGIS schema, and opened from it by any planner.

The schema holds what a project GeoPackage holds (:mod:`gisapp.io.project_gpkg`), in the
same row formats:

- one table per vector layer, with a ``bigserial`` primary key and a GiST index
  (:func:`gisapp.io.postgis.tables.write_table`), its style the default in QGIS's
  ``public.layer_styles`` (:mod:`gisapp.io.postgis.styles`);
- ``gisapp_project``: key/value rows of JSON (project, groups, layers with their styles and
  order, indicator definitions, layouts, bookmarks); each layer entry names its table by a
  :class:`~gisapp.io.postgis.source.TableRef`, so the opened layer is a PostGIS layer;
- ``gisapp_indicator_links`` and ``gisapp_indicator_actuals``, one row per link and per
  monitored value. Actuals are shared: :func:`save_published_actuals` writes only what this
  planner changed since opening (upserts on indicator, feature and year; deletes of what
  they removed), so two planners entering values for different years both keep theirs.

Basemaps and raster layers are files on the publisher's computer: they are left out, and
:class:`PublishSummary` says so. Publishing needs CREATE on the database; opening and
saving actuals need only SELECT, INSERT, UPDATE and DELETE.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gisapp.core.model.layer import StoredRows, VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.plan.actuals import Actual
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, connect
from gisapp.io.postgis.source import POSTGIS_KEY, TableRef, open_postgis_layer
from gisapp.io.postgis.styles import apply_table_style, write_table_style
from gisapp.io.postgis.tables import table_info, write_table
from gisapp.io.project_gpkg import (
    ACTUALS_TABLE,
    LINKS_TABLE,
    META_TABLE,
    _layer_entry,
    _links_frame,
    _meta_rows,
    _table_name,
    actuals_from_rows,
    build_project,
    check_project_metadata,
    links_from_rows,
    metadata_from_rows,
)

PUBLISHED_KEY = "published"  # project.metadata: {"url": ..., "schema": ...} of the schema it came from
OWN_TABLES = (META_TABLE, LINKS_TABLE, ACTUALS_TABLE)
PRIMARY_KEY = "fid"  # as GDAL names a GeoPackage's feature id; a layer with its own 'fid' gets FALLBACK_KEY
FALLBACK_KEY = "gisapp_fid"


@dataclass
class PublishSummary:
    """What a publish wrote: the tables by layer id, and the layers it left out (and why)."""

    schema: str
    tables: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)


def _sql() -> Any:
    from psycopg import sql

    return sql


def _schema_tables(con: Any, schema: str) -> set[str]:
    rows = con.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm')", (schema,)).fetchall()
    return {str(row[0]) for row in rows}


def is_published(con: Any, schema: str) -> bool:
    return META_TABLE in _schema_tables(con, schema)


def publish_project(project: Project, spec: ConnectionSpec, schema: str | None = None, *,
                    overwrite: bool = False) -> PublishSummary:
    """Write ``project`` into ``schema`` (default: the spec's) in one transaction.

    A schema that already holds a published project is refused unless ``overwrite``; then
    gisapp's own tables of that schema (those its ``gisapp_project`` names, and the three
    side tables) are replaced and every other table in it stays. Nothing is written when
    anything fails (PostgisError names the server or table and the problem).
    """
    import psycopg

    schema = schema or spec.schema
    summary = PublishSummary(schema)
    with connect(spec) as con:
        try:
            before = _schema_tables(con, schema)
            if META_TABLE in before and not overwrite:
                raise PostgisError(f"{spec.display()} schema {schema}",
                                   "a project is published there already (choose overwrite to replace it)")
            ours = _published_tables(con, schema) if META_TABLE in before else set()
            sql = _sql()
            for table in sorted(ours & before):
                con.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(schema, table)))
            used = set(OWN_TABLES) | (before - ours)  # a colleague's table keeps its name
            entries = []
            for layer in project.layers:
                if not isinstance(layer, VectorLayer):
                    summary.left_out.append(layer.id)
                    continue
                table = _table_name(layer.id, used)
                _write_layer(con, spec, schema, table, layer)
                summary.tables[layer.id] = table
                entry = _layer_entry(layer, table)
                key = FALLBACK_KEY if PRIMARY_KEY in layer.frame.columns else PRIMARY_KEY
                entry["metadata"] = {**layer.metadata,
                                     POSTGIS_KEY: TableRef(spec.url(), schema, table, "geom", key).to_metadata()}
                entries.append(entry)
            _write_side_tables(con, schema, project, entries)
            con.commit()
        except psycopg.errors.InsufficientPrivilege as exc:
            con.rollback()
            raise PostgisError(f"{spec.display()} schema {schema}",
                               f"the role may not publish here ({exc.diag.message_primary}); publishing needs "
                               "CREATE on the database or schema") from exc
        except psycopg.Error as exc:
            con.rollback()
            raise PostgisError(f"{spec.display()} schema {schema}", str(exc).strip().splitlines()[0]) from exc
        except BaseException:
            con.rollback()
            raise
    return summary


def _published_tables(con: Any, schema: str) -> set[str]:
    """The tables the schema's published project wrote (its layers and side tables)."""
    sql = _sql()
    row = con.execute(sql.SQL("SELECT value FROM {} WHERE key = 'layers'").format(
        sql.Identifier(schema, META_TABLE))).fetchone()
    tables = set(OWN_TABLES)
    try:
        for entry in json.loads(row[0]) if row else []:
            if isinstance(entry, dict) and isinstance(entry.get("table"), str):
                tables.add(entry["table"])
    except ValueError:
        pass
    return tables


def _write_layer(con: Any, spec: ConnectionSpec, schema: str, table: str, layer: VectorLayer) -> None:
    from gisapp.io.field_types import frame_for_writing

    frame, _ = frame_for_writing(layer.frame)
    key = FALLBACK_KEY if PRIMARY_KEY in frame.columns else PRIMARY_KEY
    info = write_table(con, schema, table, frame, primary_key=key)
    geometry_type, promote = _column_geometry_type(con, schema, table)
    if geometry_type:  # a typed column: QGIS lists the table as one layer of that type
        sql = _sql()
        con.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN geom TYPE geometry({}, {}) USING {}").format(
            sql.Identifier(schema, table), sql.SQL(geometry_type), sql.Literal(info.srid),
            sql.SQL("ST_Multi(geom)" if promote else "geom")))
    write_table_style(con, schema, table, "geom", layer)


_SINGLE_TYPES = ("POINT", "LINESTRING", "POLYGON")


def _column_geometry_type(con: Any, schema: str, table: str) -> tuple[str, bool]:
    """The type the table's geometry column can have, and whether single parts must become
    multi for it: POLYGON when all are polygons, MULTIPOLYGON (promoting) when polygons and
    multipolygons mix, '' when the families mix (the column stays generic)."""
    sql = _sql()
    rows = con.execute(sql.SQL("SELECT DISTINCT GeometryType(geom) FROM {} WHERE geom IS NOT NULL").format(
        sql.Identifier(schema, table))).fetchall()
    kinds = {str(row[0]) for row in rows}
    for single in _SINGLE_TYPES:
        if kinds == {single}:
            return single, False
        if kinds and kinds <= {single, "MULTI" + single}:
            return "MULTI" + single, True  # ST_Multi leaves multi parts as they are
    return "", False


def _write_side_tables(con: Any, schema: str, project: Project, entries: list[dict[str, Any]]) -> None:
    sql = _sql()
    meta = sql.Identifier(schema, META_TABLE)
    links = sql.Identifier(schema, LINKS_TABLE)
    actuals = sql.Identifier(schema, ACTUALS_TABLE)
    con.execute(sql.SQL("CREATE TABLE {} (key text PRIMARY KEY, value text NOT NULL)").format(meta))
    con.execute(sql.SQL("CREATE TABLE {} (id bigserial PRIMARY KEY, feature_id text NOT NULL, "
                        "indicator_id text NOT NULL, relation text, note text)").format(links))
    con.execute(sql.SQL("CREATE TABLE {} (indicator_id text NOT NULL, feature_id text NOT NULL DEFAULT '', "
                        "year integer NOT NULL, value double precision, note text, "
                        "PRIMARY KEY (indicator_id, feature_id, year))").format(actuals))
    rows = _meta_rows(project, entries)
    with con.cursor() as cur:
        cur.executemany(sql.SQL("INSERT INTO {} (key, value) VALUES (%s, %s)").format(meta),
                        list(zip(rows["key"], rows["value"], strict=True)))
        link_rows = _links_frame(project)
        cur.executemany(sql.SQL("INSERT INTO {} (feature_id, indicator_id, relation, note) VALUES (%s, %s, %s, %s)").format(links),
                        link_rows[["feature_id", "indicator_id", "relation", "note"]].itertuples(index=False, name=None))
        _upsert_actuals(cur, schema, project.indicators.actuals.records())


def _upsert_actuals(cur: Any, schema: str, records: Iterable[Actual]) -> None:
    sql = _sql()
    cur.executemany(sql.SQL(
        "INSERT INTO {} (indicator_id, feature_id, year, value, note) VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (indicator_id, feature_id, year) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note"
    ).format(sql.Identifier(schema, ACTUALS_TABLE)),
        [(r.indicator_id, r.feature_id or "", int(r.year), r.value, r.note or "") for r in records])


def open_published_project(spec: ConnectionSpec, warnings: list[str] | None = None,
                           on_outline: Callable[[Project, dict[str, str]], None] | None = None) -> Project:
    """The project published in the spec's schema, its layers read from their tables.

    Each layer is a PostGIS layer (its TableRef in the metadata, the primary keys as its
    stored rows), so its edits go back to its table. A QGIS user's newer default style in
    ``layer_styles`` is applied over the one gisapp published. The project's
    ``metadata[PUBLISHED_KEY]`` names the schema (URL without a password) and the actuals as
    read, for :func:`save_published_actuals`. A damaged schema raises PostgisError naming the
    part that is wrong; the connection has the spec's timeouts.

    ``on_outline(project, tables)`` hears, as for :func:`gisapp.io.project_gpkg.load_project`,
    of the project with every layer still empty once its rows of metadata are read and checked,
    before any layer table is (a window shows it while the tables are read).
    """
    from gisapp.io.errors import GisIOError

    where = f"{spec.display()} schema {spec.schema}"
    with connect(spec) as con:
        if not is_published(con, spec.schema):
            raise PostgisError(where, "no project is published in this schema (no gisapp_project table)")
        sql = _sql()
        rows = pd.DataFrame(con.execute(sql.SQL("SELECT key, value FROM {} ORDER BY key").format(
            sql.Identifier(spec.schema, META_TABLE))).fetchall(), columns=["key", "value"])
        link_rows = pd.DataFrame(con.execute(sql.SQL(
            "SELECT feature_id, indicator_id, relation, note FROM {} ORDER BY id").format(
            sql.Identifier(spec.schema, LINKS_TABLE))).fetchall(), columns=["feature_id", "indicator_id", "relation", "note"])
        try:
            actuals = read_published_actuals(con, spec.schema)
            checked = check_project_metadata(metadata_from_rows(rows, where), where, warnings)
            links = links_from_rows(link_rows, where)  # type: ignore[arg-type]
        except GisIOError as exc:
            raise PostgisError(where, exc.problem) from None
        if on_outline is not None:
            import geopandas as gpd

            from gisapp.core.geo.geodesy import STORAGE_CRS

            vector_entries = [entry for entry in checked.layers if entry.kind == "vector"]
            empty = {entry.table: gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=STORAGE_CRS)) for entry in vector_entries}
            outline = build_project(checked, empty, links, actuals, where)
            outline.metadata.pop("path", None)
            outline.metadata[PUBLISHED_KEY] = {"url": spec.url(), "schema": spec.schema}
            outline.set_modified(False)
            on_outline(outline, {entry.id: entry.table for entry in vector_entries})
        frames, layers = {}, {}
        for entry in checked.layers:
            if entry.kind != "vector":
                continue
            info = table_info(con, spec.schema, entry.table)
            layer = open_postgis_layer(con, spec, info, entry.title_en or entry.table)
            frames[entry.table], layers[entry.id] = layer.frame, layer
        project = build_project(checked, frames, links, actuals, where, warnings)
        for layer in project.vector_layers():
            opened = layers[layer.id]
            ref = TableRef.from_metadata(opened.metadata[POSTGIS_KEY])
            layer.metadata = {**layer.metadata, POSTGIS_KEY: opened.metadata[POSTGIS_KEY]}
            stored = opened.stored
            if stored is not None:  # the same rows in the same order, in the frame the layer holds
                layer.stored = StoredRows(layer.frame, stored.fids, stored.next_fid, stored.versions)
            if ref is not None:
                apply_table_style(con, layer, ref.schema, ref.table, ref.geometry_column, colleagues_only=True)
    project.metadata.pop("path", None)  # not a file: a save goes to the server or to a new file
    project.metadata[PUBLISHED_KEY] = {"url": spec.url(), "schema": spec.schema}
    project.set_modified(False)
    return project


def read_published_actuals(con: Any, schema: str) -> list[Actual]:
    """Every monitored value in the schema, as the GeoPackage's rows are read (checked the same way)."""
    sql = _sql()
    fetched = con.execute(sql.SQL(
        "SELECT indicator_id, feature_id, year, value, note, 'integer' AS year_type, year::text AS year_text, "
        "CASE WHEN value IS NULL THEN 'null' ELSE 'real' END AS value_type, value::text AS value_text "
        "FROM {} ORDER BY indicator_id, feature_id, year").format(sql.Identifier(schema, ACTUALS_TABLE))).fetchall()
    rows = pd.DataFrame(fetched, columns=["indicator_id", "feature_id", "year", "value", "note", "year_type",
                                          "year_text", "value_type", "value_text"])
    return actuals_from_rows(rows, f"{schema}.{ACTUALS_TABLE}")  # type: ignore[arg-type]


def save_published_actuals(spec: ConnectionSpec, schema: str, records: list[Actual],
                           since: list[Actual]) -> list[Actual]:
    """Write the monitored values this planner changed since ``since`` (what was read), in one
    transaction, and return every value now on the server (others' included).

    Values added or changed are upserted by (indicator, feature, year); values in ``since``
    that ``records`` no longer has are deleted; another planner's values for other keys stay.
    """
    before = {record.key: record for record in since}
    now = {record.key: record for record in records}
    changed = [record for key, record in now.items() if before.get(key) != record]
    removed = [key for key in before if key not in now]
    sql = _sql()
    with connect(spec) as con:
        with con.cursor() as cur:
            _upsert_actuals(cur, schema, changed)
            cur.executemany(sql.SQL("DELETE FROM {} WHERE indicator_id = %s AND feature_id = %s AND year = %s").format(
                sql.Identifier(schema, ACTUALS_TABLE)), [(i, f or "", int(y)) for i, f, y in removed])
        con.commit()
        return read_published_actuals(con, schema)
