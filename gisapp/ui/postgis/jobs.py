"""What the window asks of a PostGIS server, run on the PostGIS worker thread.

Each function opens its own connection (a connection belongs to one thread) with the
connect and statement timeouts of :func:`gisapp.io.postgis.connection.connect`, so a
server that is down or stalls gives a :class:`PostgisError` within seconds, never a hang.
"""

from __future__ import annotations

import gc

from gisapp.core.model.layer import VectorLayer
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, connect
from gisapp.io.postgis.source import open_postgis_layer
from gisapp.io.postgis.tables import TableInfo, list_tables
from gisapp.ui.workers import WorkerThread

# One thread for every server request of the window: the UI thread never waits on a socket.
POSTGIS_THREAD = WorkerThread("gisapp-postgis", yield_to_ui=True)


def test_connection(spec: ConnectionSpec) -> tuple[str, str]:
    """(PostgreSQL version, PostGIS version or "") of the server; raises PostgisError."""
    import psycopg

    with connect(spec, autocommit=True) as con:
        try:
            server = str(con.execute("SHOW server_version").fetchone()[0])
            row = con.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
        except psycopg.Error as exc:
            raise PostgisError(spec.display(), str(exc).strip()) from exc
    return server, str(row[0]) if row else ""


def list_geometry_tables(spec: ConnectionSpec) -> list[tuple[TableInfo, bool]]:
    """Every geometry table (and view) the user can see, by schema and name, and whether it
    is prepared for team editing (row versions and history)."""
    import psycopg

    from gisapp.io.postgis.team import AUDIT_TABLE, is_prepared

    with connect(spec, autocommit=True) as con:
        try:
            tables = [info for info in list_tables(con) if info.table != AUDIT_TABLE]  # the history, not a layer
            return [(info, bool(info.primary_key) and is_prepared(con, info)) for info in tables]
        except psycopg.Error as exc:
            raise PostgisError(spec.display(), _first_line(exc)) from exc


def prepare_for_team_editing(spec: ConnectionSpec, info: TableInfo) -> TableInfo:
    """Install row versions, history and change notices on the table (needs its owner)."""
    from gisapp.io.postgis.team import prepare_table

    with connect(spec) as con:
        return prepare_table(con, info)


def open_tables(spec: ConnectionSpec, infos: list[TableInfo]) -> list[VectorLayer | PostgisError]:
    """A layer per table (or the PostgisError that refused it), in the order asked, over one connection."""
    import psycopg

    results: list[VectorLayer | PostgisError] = []
    with connect(spec, autocommit=True) as con:
        for info in infos:
            try:
                results.append(open_postgis_layer(con, spec, info, after_batch=gc.freeze))  # no full collection over the rows
            except PostgisError as exc:
                results.append(exc)
            except psycopg.OperationalError as exc:
                raise PostgisError(spec.display(), _first_line(exc)) from exc
            except psycopg.Error as exc:
                results.append(PostgisError(info.qualified, _first_line(exc)))
    return results


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
