"""Server requests of team editing, run on the team worker thread (never the UI thread).

Each opens its own connection (a connection belongs to one thread) with the connect and
statement timeouts of :func:`gisapp.io.postgis.connection.connect`, so a server that is down
gives a :class:`~gisapp.io.postgis.connection.PostgisError` within seconds, never a hang.
"""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

from gisapp.core.editing.remote import RemoteRow
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, connect
from gisapp.io.postgis.source import TableRef
from gisapp.io.postgis.tables import TableInfo
from gisapp.ui.workers import WorkerThread

TEAM_THREAD = WorkerThread("gisapp-team", yield_to_ui=True)


def table_of(ref: TableRef, crs_text: str | None) -> TableInfo:
    """What the team functions need to know of a layer's table (its CRS from the layer)."""
    srid = 0
    if crs_text:
        try:
            srid = int(pyproj.CRS.from_user_input(crs_text).to_epsg() or 0)
        except pyproj.exceptions.CRSError:
            srid = 0
    return TableInfo(ref.schema, ref.table, ref.geometry_column, "GEOMETRY", srid, -1, ref.primary_key)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def read_history(spec: ConnectionSpec, info: TableInfo, key: int) -> list:
    """The feature's committed versions, newest first (HistoryEntry objects)."""
    import psycopg

    from gisapp.io.postgis.team import feature_history

    with connect(spec) as con:
        try:
            entries = feature_history(con, info, key)
        except psycopg.errors.UndefinedTable as exc:
            raise PostgisError(info.qualified, "the table keeps no history: it was not prepared for team "
                                               "editing") from exc
        except psycopg.Error as exc:
            raise PostgisError(info.qualified, _first_line(exc)) from exc
    return list(reversed(entries))


def read_remote_rows(spec: ConnectionSpec, info: TableInfo, keys: list[int]) -> list[RemoteRow]:
    """The rows of ``keys`` as the server holds them now (a key not found: deleted there)."""
    import psycopg

    from gisapp.io.postgis.team import read_rows

    with connect(spec) as con:
        try:
            frame, found, versions = read_rows(con, info, keys)
        except psycopg.Error as exc:
            raise PostgisError(info.qualified, _first_line(exc)) from exc
    geometry_name = frame.geometry.name
    columns = [c for c in frame.columns if c != geometry_name]
    geometries = np.asarray(frame.geometry.array, dtype=object)
    rows: list[RemoteRow] = []
    seen = set()
    for i, key in enumerate(found.tolist()):
        seen.add(int(key))
        values = {c: frame[c].iat[i] for c in columns}
        rows.append(RemoteRow(int(key), int(versions[i]), values, geometries[i]))
    for key in keys:
        if int(key) not in seen:
            rows.append(RemoteRow(int(key), 0, None, None))
    return rows


def to_crs(geometry, source: str | None, target: str):
    """``geometry`` in ``target`` (for drawing); None stays None."""
    if geometry is None or shapely.is_empty(geometry) or not source or source == target:
        return geometry
    transformer = pyproj.Transformer.from_crs(source, target, always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
