"""Tables with geometry in a PostGIS database: listing them, reading one, writing a frame as one.

Every statement is built with ``psycopg.sql`` (quoted identifiers, parameters for values), so a
schema, table or column name is never pasted into SQL text: hostile names are just names.
Geometries travel as WKB (``ST_AsBinary`` out, ``ST_GeomFromWKB`` in) through shapely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.array import GeometryArray

from gisapp.core.editing.edits import field_kind
from gisapp.io.postgis.connection import PostgisError


@dataclass(frozen=True)
class TableInfo:
    """One geometry column of a table (a table with two geometry columns is listed twice)."""

    schema: str
    table: str
    geometry_column: str
    geometry_type: str  # as geometry_columns says: POLYGON, MULTIPOLYGON, GEOMETRY, ...
    srid: int
    estimated_rows: int  # pg_class.reltuples: -1 when the table was never analysed
    primary_key: str  # "" when the table has no single-column primary key

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.table}"


def list_tables(con: Any, schema: str | None = None) -> list[TableInfo]:
    """Geometry tables (and views) the connection can see, by schema and name."""
    from psycopg import sql

    query = sql.SQL("""
        SELECT g.f_table_schema, g.f_table_name, g.f_geometry_column, g.type, g.srid,
               COALESCE(c.reltuples, -1)::bigint,
               COALESCE((SELECT a.attname FROM pg_index i
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                         WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1), '')
        FROM geometry_columns g
        LEFT JOIN pg_namespace n ON n.nspname = g.f_table_schema
        LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = g.f_table_name
        WHERE {where}
        ORDER BY 1, 2, 3""").format(
        where=sql.SQL("g.f_table_schema = %s") if schema else sql.SQL("g.f_table_schema NOT IN ('pg_catalog', 'information_schema')"))
    with con.cursor() as cur:
        cur.execute(query, (schema,) if schema else ())
        return [TableInfo(str(s), str(t), str(g), str(kind), int(srid), int(rows), str(pk))
                for s, t, g, kind, srid, rows, pk in cur.fetchall()]


def table_info(con: Any, schema: str, table: str) -> TableInfo:
    """The first geometry column of ``schema.table`` (PostgisError when it has none)."""
    for info in list_tables(con, schema):
        if info.table == table:
            return info
    raise PostgisError(f"{schema}.{table}", "no such table with a geometry column (or no right to read it)")


def attribute_columns(con: Any, info: TableInfo) -> list[tuple[str, str]]:
    """(name, PostgreSQL type) of the table's columns other than its geometry, in table order."""
    with con.cursor() as cur:
        cur.execute("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
            WHERE a.attrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass
              AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> %s
            ORDER BY a.attnum""", (info.schema, info.table, info.geometry_column))
        return [(str(name), str(kind)) for name, kind in cur.fetchall()]


READ_BATCH_ROWS = 5_000  # one fetch converts this many rows holding the GIL (about 20 ms)


def read_table(con: Any, info: TableInfo, where: Any = None, params: tuple[Any, ...] = (),
               after_batch: Callable[[], None] | None = None) -> gpd.GeoDataFrame:
    """The rows of the table as a frame in the table's CRS, ordered by the primary key.

    ``where`` is an optional ``psycopg.sql.Composable`` condition with ``params``. The primary
    key stays a column of the frame (its values identify rows in later saves). ``after_batch``
    runs after each batch of rows is decoded (the window exempts them from garbage
    collections there, as it does for the chunks of a file: a full collection over a million
    new objects holds the GIL for 100 ms and more).
    """
    from psycopg import sql

    columns = attribute_columns(con, info)
    names = [name for name, _ in columns]
    selected = [sql.Identifier(name) for name in names]
    geometry = sql.SQL("ST_AsBinary({})").format(sql.Identifier(info.geometry_column))
    query = sql.SQL("SELECT {cols} FROM {table}{where}{order}").format(
        cols=sql.SQL(", ").join([*selected, geometry]),
        table=sql.Identifier(info.schema, info.table),
        where=sql.SQL(" WHERE ") + where if where is not None else sql.SQL(""),
        order=sql.SQL(" ORDER BY {}").format(sql.Identifier(info.primary_key)) if info.primary_key else sql.SQL(""))
    geometry_parts: list[np.ndarray] = []
    column_parts: list[list[pd.Series]] = [[] for _ in columns]
    # A server-side cursor, a batch per round trip: libpq builds each result holding the GIL,
    # which for a whole big table is a stall of the window's UI thread.
    with con.transaction(), con.cursor(name="gisapp_read", binary=True) as cur:
        cur.execute(query, params)
        while True:
            # A batch at a time: converting a whole big result (or building one frame from it)
            # holds the GIL for seconds, and the window's UI thread waits for it.
            batch = cur.fetchmany(READ_BATCH_ROWS)
            if not batch:
                break
            values = list(zip(*batch, strict=True))
            geometry_parts.append(shapely.from_wkb(np.array(
                [None if wkb is None else bytes(wkb) for wkb in values[-1]], dtype=object)))
            for parts, (_, kind), column in zip(column_parts, columns, values, strict=False):
                parts.append(_typed(pd.Series(column, dtype=object), kind))
            if after_batch is not None:
                after_batch()
    if geometry_parts:
        attributes = pd.DataFrame({name: pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
                                   for (name, _), parts in zip(columns, column_parts, strict=True)})
        geometries = np.concatenate(geometry_parts) if len(geometry_parts) > 1 else geometry_parts[0]
    else:
        attributes = pd.DataFrame({name: _typed(pd.Series([], dtype=object), kind) for name, kind in columns})
        geometries = np.empty(0, dtype=object)
    crs = f"EPSG:{info.srid}" if info.srid > 0 else None
    # A GeometryArray as it is: a GeoSeries of plain objects would check every element again,
    # holding the GIL for the whole column.
    column = gpd.GeoSeries(GeometryArray(geometries, crs=crs), index=attributes.index, copy=False)
    return gpd.GeoDataFrame(attributes, geometry=column, copy=False)


def _typed(values: pd.Series, kind: str) -> pd.Series:
    """A column as the frame of a file read would hold it (nullable integers stay integers)."""
    if kind in ("integer", "bigint", "smallint"):
        return values.astype("Int64")
    if kind in ("double precision", "real") or kind.startswith("numeric"):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind == "boolean":
        return values.astype("boolean")
    if kind == "date" or kind.startswith("timestamp"):
        return pd.to_datetime(values, errors="coerce")
    return values.astype(object).where(values.notna(), None)


# gisapp's field kinds (gisapp.core.editing.edits.field_kind) -> the PostgreSQL type written.
_PG_TYPES = {"integer": "bigint", "real": "double precision", "boolean": "boolean", "date": "timestamp",
             "text": "text"}


def column_type(series: pd.Series) -> str:
    """The PostgreSQL type a frame column is written as."""
    return _PG_TYPES[field_kind(series.dtype)]


def cell(value: Any) -> Any:
    """A frame value as psycopg sends it (missing values as NULL, numpy scalars as Python)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def write_table(con: Any, schema: str, table: str, frame: gpd.GeoDataFrame, *,
                primary_key: str = "gid", replace: bool = False) -> TableInfo:
    """Write ``frame`` as ``schema.table`` with a serial primary key and a GiST index; in the
    caller's transaction. Raises PostgisError if the table exists and ``replace`` is false."""
    from psycopg import sql

    srid = int(frame.crs.to_epsg() or 0) if frame.crs is not None else 0
    geometry_name = frame.geometry.name
    attributes = [c for c in frame.columns if c != geometry_name and c != primary_key]
    target = sql.Identifier(schema, table)
    with con.cursor() as cur:
        cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        if replace:
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target))
        else:
            cur.execute("SELECT to_regclass(quote_ident(%s) || '.' || quote_ident(%s))", (schema, table))
            row = cur.fetchone()
            if row is not None and row[0] is not None:
                raise PostgisError(f"{schema}.{table}", "a table of that name exists already")
        columns = [sql.SQL("{} bigserial PRIMARY KEY").format(sql.Identifier(primary_key))]
        columns += [sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(column_type(frame[name])))
                    for name in attributes]
        columns.append(sql.SQL("geom geometry(Geometry, {})").format(sql.Literal(srid)))
        cur.execute(sql.SQL("CREATE TABLE {} ({})").format(target, sql.SQL(", ").join(columns)))
        keys = frame[primary_key] if primary_key in frame.columns else None
        names = ([primary_key] if keys is not None else []) + attributes + ["geom"]
        copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
            target, sql.SQL(", ").join(sql.Identifier(n) for n in names))
        wkbs = shapely.to_wkb(np.asarray(frame.geometry.array, dtype=object), hex=True, include_srid=False)
        values = [frame[name].to_numpy(dtype=object) for name in attributes]
        with cur.copy(copy) as writer:
            for index in range(len(frame)):
                row_values = [cell(column[index]) for column in values]
                geometry = wkbs[index]
                record = ([cell(keys.iat[index])] if keys is not None else []) + row_values + [
                    None if geometry is None else f"SRID={srid};{geometry}" if srid else geometry]
                writer.write_row(record)
        if keys is not None:
            cur.execute(sql.SQL("SELECT setval(pg_get_serial_sequence({}, {}), GREATEST(1, COALESCE(max({}), 0))) FROM {}").format(
                sql.Literal(f"{_quoted(schema)}.{_quoted(table)}"), sql.Literal(primary_key),
                sql.Identifier(primary_key), target))
        cur.execute(sql.SQL("CREATE INDEX {} ON {} USING gist (geom)").format(
            sql.Identifier(f"{table}_geom_idx"[:63]), target))
        cur.execute(sql.SQL("ANALYZE {}").format(target))
    return TableInfo(schema, table, "geom", "GEOMETRY", srid, len(frame), primary_key)


def _quoted(name: str) -> str:
    """An identifier quoted as PostgreSQL prints it (for pg_get_serial_sequence's text argument)."""
    return '"' + name.replace('"', '""') + '"'
