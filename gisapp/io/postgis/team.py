"""Team editing of a PostGIS table: row versions, conflict detection, history, live changes.

*Prepare table for team editing* (:func:`prepare_table`, run once by the table's owner) adds
to a table:

- a row version column (:data:`~gisapp.io.postgis.source.VERSION_COLUMN`) that a trigger
  raises on every update, whoever writes (gisapp, QGIS, psql);
- an audit table ``gisapp_audit`` in the table's schema: who, when, which operation, the old
  and new attributes (jsonb) and geometries, and the comment and plan citation the saving
  transaction gave (``set_config('gisapp.comment', ..)`` local to it). The audit is written by
  a ``SECURITY DEFINER`` trigger, so editors need no right on the audit table but SELECT;
- a ``NOTIFY`` on channel :data:`CHANNEL` per changed row, sent when the transaction commits
  (:class:`ChangeListener` receives them);
- a key default that works for editors without rights on the key's sequence.

An editor's save (:func:`save_changes`) sends the changed, added and deleted rows in one
transaction. It first locks the rows it will change and compares their versions with the
versions the editor's copy is based on (:class:`RowVersions`); if anyone changed or deleted
one since, it raises :class:`ConflictError` listing every such row (mine and theirs) before
anything is written. :func:`keep_mine` and :func:`take_theirs` give the base for the next
save once the user has seen theirs, so nothing is overwritten unseen.

Every statement is built with ``psycopg.sql`` identifiers and parameters; the trigger bodies
name columns only through ``format('%I')`` at run time, so hostile names stay names.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from gisapp.core.editing.changes import PendingRows, RowChanges
from gisapp.core.model.layer import StoredRows, VectorLayer
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, connect
from gisapp.io.postgis.source import VERSION_COLUMN, TableRef, table_ref
from gisapp.io.postgis.tables import TableInfo, attribute_columns, cell, read_table, table_info

AUDIT_TABLE = "gisapp_audit"
CHANNEL = "gisapp_changes"
_VERSION_FUNCTION = "gisapp_row_version"
_AUDIT_FUNCTION = "gisapp_audit_row"
_KEY_FUNCTION = "gisapp_next_key"
_VERSION_TRIGGER = "gisapp_version"
_AUDIT_TRIGGERS = {"INSERT": "gisapp_audit_insert", "UPDATE": "gisapp_audit_update",
                   "DELETE": "gisapp_audit_delete"}
# Transition tables allow one event per trigger, so the audit has three.
_TRANSITIONS = {"INSERT": "NEW TABLE AS gisapp_new", "UPDATE": "OLD TABLE AS gisapp_old NEW TABLE AS gisapp_new",
                "DELETE": "OLD TABLE AS gisapp_old"}
ABSENT = 0  # the base version of a key the editor expects not to be on the server


# --- what callers get back -------------------------------------------------------------------
@dataclass(frozen=True)
class Conflict:
    """One row someone else changed (or deleted) since the editor's copy was read.

    ``mine`` and ``theirs`` map column names to values, with the geometry (shapely) under
    ``"geometry"``; ``mine`` is None when I deleted the row, ``theirs`` when they did.
    """

    key: int
    mine: dict[str, Any] | None
    theirs: dict[str, Any] | None
    base_version: int  # the version my copy started from
    their_version: int | None  # the server's version now (None: deleted there)
    their_user: str  # who wrote the server's version ("" if the audit does not say)
    their_time: datetime | None
    their_comment: str = ""


class ConflictError(PostgisError):
    """The save stopped before writing anything: these rows changed on the server."""

    def __init__(self, where: str, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        keys = ", ".join(str(c.key) for c in conflicts[:5]) + (" ..." if len(conflicts) > 5 else "")
        super().__init__(where, f"{len(conflicts)} feature(s) were changed by someone else since you "
                                f"loaded them (keys {keys}); nothing was saved")


class ConnectionLost(PostgisError):
    """The connection broke during the save. The transaction was rolled back by the server
    (unless ``during_commit``: then :func:`transaction_committed` tells); local edits are kept."""

    def __init__(self, where: str, problem: str, txid: int | None, during_commit: bool) -> None:
        self.txid = txid
        self.during_commit = during_commit
        super().__init__(where, problem)


@dataclass(frozen=True)
class RowVersions:
    """key -> the row version an editor's copy is based on (:data:`ABSENT` when unknown).

    Sorted arrays, so a million-row layer costs two arrays, not a dict.
    """

    keys: np.ndarray
    versions: np.ndarray

    def __post_init__(self) -> None:
        keys = np.asarray(self.keys, dtype=np.int64)
        versions = np.asarray(self.versions, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        object.__setattr__(self, "keys", keys[order])
        object.__setattr__(self, "versions", versions[order])

    @classmethod
    def from_stored(cls, stored: StoredRows) -> RowVersions:
        versions = stored.versions if stored.versions is not None else np.ones(len(stored.fids), dtype=np.int64)
        return cls(stored.fids, versions)

    def get(self, keys: Iterable[int] | np.ndarray) -> np.ndarray:
        wanted = np.asarray(list(keys) if not isinstance(keys, np.ndarray) else keys, dtype=np.int64)
        out = np.full(len(wanted), ABSENT, dtype=np.int64)
        if not len(self.keys) or not len(wanted):
            return out
        at = np.searchsorted(self.keys, wanted).clip(0, len(self.keys) - 1)
        found = self.keys[at] == wanted
        out[found] = self.versions[at[found]]
        return out

    def version(self, key: int) -> int:
        return int(self.get(np.array([key]))[0])

    def with_versions(self, keys: Iterable[int] | np.ndarray, versions: Iterable[int] | np.ndarray) -> RowVersions:
        """A copy where ``keys`` have ``versions`` (added or replaced)."""
        new_keys = np.asarray(list(keys) if not isinstance(keys, np.ndarray) else keys, dtype=np.int64)
        new_versions = np.asarray(list(versions) if not isinstance(versions, np.ndarray) else versions,
                                  dtype=np.int64)
        keep = ~np.isin(self.keys, new_keys)
        return RowVersions(np.concatenate([self.keys[keep], new_keys]),
                           np.concatenate([self.versions[keep], new_versions]))


@dataclass(frozen=True)
class SaveResult:
    """What a save wrote. ``keys`` and ``base`` describe the current frame after the save:
    the server key of each row (added rows got theirs) and the versions the next save is
    based on."""

    txid: int
    updated: int
    inserted: int
    deleted: int
    keys: np.ndarray  # per row of the saved frame
    base: RowVersions
    added_keys: np.ndarray  # the server keys of the added rows, in frame order
    unchanged: int = 0  # rows in the pending set whose values the server already had

    def stored(self, frame: gpd.GeoDataFrame) -> StoredRows:
        """The layer's stored rows after the save (``frame`` is the frame that was saved)."""
        next_key = int(self.keys.max()) + 1 if len(self.keys) else 1
        return StoredRows(frame, self.keys, next_key, self.base.get(self.keys))


@dataclass(frozen=True)
class HistoryEntry:
    """One committed change of one feature, from the audit table."""

    audit_id: int
    key: int
    version: int  # the version the change made (for a delete: the version deleted)
    operation: str  # "INSERT", "UPDATE" or "DELETE"
    user: str
    time: datetime
    txid: int
    comment: str
    citation: str
    old: dict[str, Any] | None  # attributes and "geometry" before (None for an insert)
    new: dict[str, Any] | None  # after (None for a delete)

    @property
    def row(self) -> dict[str, Any] | None:
        """The feature as this version left it (for a delete, as it was before)."""
        return self.new if self.new is not None else self.old


@dataclass(frozen=True)
class ChangeNotice:
    """Another transaction committed a change of one row (from the NOTIFY trigger)."""

    schema: str
    table: str
    key: int
    version: int
    operation: str
    user: str
    txid: int


# --- preparing a table ---------------------------------------------------------------------------
def _postgis_schema(cur: Any) -> str:
    cur.execute("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'postgis'")
    row = cur.fetchone()
    if row is None:
        raise PostgisError("PostGIS", "the database has no postgis extension")
    return str(row[0]).strip('"')


_VERSION_BODY = """
DECLARE
  k bigint;
  last bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) USING NEW INTO k;
    EXECUTE format('SELECT max(version) FROM %I.gisapp_audit WHERE table_name = $1 AND key = $2',
                   TG_TABLE_SCHEMA) INTO last USING TG_TABLE_NAME, k;
    NEW.gisapp_version := COALESCE(last, 0) + 1;
  ELSE
    NEW.gisapp_version := OLD.gisapp_version + 1;
  END IF;
  RETURN NEW;
END
"""

_AUDIT_BODY = """
DECLARE
  audit_columns text := 'table_name, key, version, operation, username, txid, comment, citation, '
                        'old_row, new_row, old_geom, new_geom';
  who text := session_user::text;
  tx bigint := txid_current();
  note text := NULLIF(current_setting('gisapp.comment', true), '');
  cite text := NULLIF(current_setting('gisapp.citation', true), '');
  changed text;
BEGIN
  -- One set-based INSERT into the audit per statement (a row trigger cost 3 ms a row).
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO %1$I.gisapp_audit (%4$s) SELECT $1, n.%2$I, n.gisapp_version, $2, $3, $4, $5, $6, '
                   'NULL, to_jsonb(n) - $7, NULL, n.%3$I FROM gisapp_new n ORDER BY n.%2$I',
                   TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1], audit_columns)
      USING TG_TABLE_NAME, TG_OP, who, tx, note, cite, TG_ARGV[1];
    changed := 'gisapp_new';
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE format('INSERT INTO %1$I.gisapp_audit (%4$s) SELECT $1, n.%2$I, n.gisapp_version, $2, $3, $4, $5, $6, '
                   'to_jsonb(o) - $7, to_jsonb(n) - $7, o.%3$I, n.%3$I '
                   'FROM gisapp_old o JOIN gisapp_new n ON n.%2$I = o.%2$I ORDER BY n.%2$I',
                   TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1], audit_columns)
      USING TG_TABLE_NAME, TG_OP, who, tx, note, cite, TG_ARGV[1];
    changed := 'gisapp_new';
  ELSE
    EXECUTE format('INSERT INTO %1$I.gisapp_audit (%4$s) SELECT $1, o.%2$I, o.gisapp_version, $2, $3, $4, $5, $6, '
                   'to_jsonb(o) - $7, NULL, o.%3$I, NULL FROM gisapp_old o ORDER BY o.%2$I',
                   TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1], audit_columns)
      USING TG_TABLE_NAME, TG_OP, who, tx, note, cite, TG_ARGV[1];
    changed := 'gisapp_old';
  END IF;
  -- Listeners hear of the changed rows when the transaction commits, 200 keys a notice.
  EXECUTE format('SELECT count(pg_notify(%3$L, p::text)) FROM (SELECT json_build_object(%4$L, $1, %5$L, $2, '
                 '%6$L, $3, %7$L, $4, %8$L, $5, %9$L, json_agg(k ORDER BY k), %10$L, json_agg(v ORDER BY k)) AS p '
                 'FROM (SELECT k, v, (row_number() OVER (ORDER BY k) - 1) / 200 AS chunk '
                 'FROM (SELECT c.%1$I AS k, c.gisapp_version AS v FROM %2$I c) keyed) chunked GROUP BY chunk) notices',
                 TG_ARGV[0], changed, 'gisapp_changes', 'schema', 'table', 'op', 'user', 'txid', 'keys', 'versions')
    USING TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP, who, tx;
  RETURN NULL;
END
"""


def prepare_table(con: Any, info: TableInfo) -> TableInfo:
    """Install row versions, the audit table, its triggers and the NOTIFY on ``info``'s table
    and commit. Safe to run again. Needs the table's owner (PostgisError says so otherwise)."""
    import psycopg
    from psycopg import sql

    if not info.primary_key:
        raise PostgisError(info.qualified, "the table has no single-column primary key to tell rows apart")
    table = sql.Identifier(info.schema, info.table)
    audit = sql.Identifier(info.schema, AUDIT_TABLE)
    try:
        with con.cursor() as cur:
            gis = _postgis_schema(cur)
            path = sql.SQL("pg_catalog, {}, pg_temp").format(sql.Identifier(gis))
            cur.execute(sql.SQL("""
                CREATE TABLE IF NOT EXISTS {audit} (
                  id bigserial PRIMARY KEY, table_name text NOT NULL, key bigint NOT NULL,
                  version bigint NOT NULL, operation text NOT NULL, username text NOT NULL,
                  at timestamptz NOT NULL DEFAULT now(), txid bigint NOT NULL, comment text,
                  citation text, old_row jsonb, new_row jsonb, old_geom {geometry}, new_geom {geometry})
                """).format(audit=audit, geometry=sql.Identifier(gis, "geometry")))
            cur.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (table_name, key, id)").format(
                sql.Identifier(f"{AUDIT_TABLE}_key_idx"), audit))
            cur.execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC").format(audit))
            cur.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} bigint NOT NULL DEFAULT 1").format(
                table, sql.Identifier(VERSION_COLUMN)))
            for name, body, returns in ((_VERSION_FUNCTION, _VERSION_BODY, "trigger"),
                                        (_AUDIT_FUNCTION, _AUDIT_BODY, "trigger")):
                cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {}() RETURNS {} LANGUAGE plpgsql "
                                    "SECURITY DEFINER SET search_path = {} AS {}").format(
                    sql.Identifier(info.schema, name), sql.SQL(returns), path, sql.Literal(body)))
            key_function = sql.Identifier(info.schema, _KEY_FUNCTION)
            cur.execute(sql.SQL("CREATE OR REPLACE FUNCTION {}(seq regclass) RETURNS bigint LANGUAGE sql "
                                "SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
                                "AS 'SELECT nextval(seq)'").format(key_function))
            cur.execute(sql.SQL("REVOKE ALL ON FUNCTION {}(regclass) FROM PUBLIC").format(key_function))
            cur.execute("SELECT pg_get_serial_sequence(quote_ident(%s) || '.' || quote_ident(%s), %s)",
                        (info.schema, info.table, info.primary_key))
            row = cur.fetchone()
            if row is not None and row[0]:
                cur.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}({}::regclass)").format(
                    table, sql.Identifier(info.primary_key), key_function, sql.Literal(str(row[0]))))
            args = sql.SQL(", ").join([sql.Literal(info.primary_key), sql.Literal(info.geometry_column)])
            cur.execute(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(sql.Identifier(_VERSION_TRIGGER), table))
            cur.execute(sql.SQL("CREATE TRIGGER {} BEFORE INSERT OR UPDATE ON {} FOR EACH ROW EXECUTE FUNCTION {}({})")
                        .format(sql.Identifier(_VERSION_TRIGGER), table, sql.Identifier(info.schema, _VERSION_FUNCTION),
                                args))
            # The row-level audit trigger of the first version of this preparation, if any.
            cur.execute(sql.SQL("DROP TRIGGER IF EXISTS gisapp_audit ON {}").format(table))
            for event, trigger in _AUDIT_TRIGGERS.items():
                cur.execute(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(sql.Identifier(trigger), table))
                cur.execute(sql.SQL("CREATE TRIGGER {} AFTER {} ON {} REFERENCING {} FOR EACH STATEMENT "
                                    "EXECUTE FUNCTION {}({})").format(
                    sql.Identifier(trigger), sql.SQL(event), table, sql.SQL(_TRANSITIONS[event]),
                    sql.Identifier(info.schema, _AUDIT_FUNCTION), args))
        con.commit()
    except psycopg.errors.InsufficientPrivilege as exc:
        con.rollback()
        raise PostgisError(info.qualified, "preparing for team editing needs the table's owner or a "
                                           f"superuser ({_first_line(exc)})") from exc
    except psycopg.Error as exc:
        con.rollback()
        raise PostgisError(info.qualified, _first_line(exc)) from exc
    return info


def is_prepared(con: Any, info: TableInfo) -> bool:
    """Whether the table has the row version column and the audit trigger."""
    with con.cursor() as cur:
        cur.execute("""
            SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass
                           AND attname = %s AND NOT attisdropped)
               AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass
                           AND tgname = %s)""",
                    (info.schema, info.table, VERSION_COLUMN, info.schema, info.table, _AUDIT_TRIGGERS["UPDATE"]))
        row = cur.fetchone()
        return bool(row and row[0])


def grant_editing(con: Any, info: TableInfo, role: str) -> None:
    """Give ``role`` what editing the prepared table needs, and no more: USAGE on the schema,
    SELECT/INSERT/UPDATE/DELETE on the table, SELECT on the audit (history), EXECUTE on the
    key function. Commits."""
    from psycopg import sql

    who = sql.Identifier(role)
    with con.cursor() as cur:
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(info.schema), who))
        cur.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
            sql.Identifier(info.schema, info.table), who))
        cur.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(info.schema, AUDIT_TABLE), who))
        cur.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {}(regclass) TO {}").format(
            sql.Identifier(info.schema, _KEY_FUNCTION), who))
    con.commit()


# --- saving -------------------------------------------------------------------------------------
def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _row_dict(frame: gpd.GeoDataFrame, position: int, columns: list[str]) -> dict[str, Any]:
    values = {name: cell(frame[name].iat[position]) for name in columns}
    values["geometry"] = frame.geometry.iat[position]
    return values


def _server_rows(con: Any, info: TableInfo, keys: list[int]) -> dict[int, dict[str, Any]]:
    """The rows of ``keys`` as the server holds them now (absent keys left out)."""
    from psycopg import sql

    if not keys:
        return {}
    frame = read_table(con, info, sql.SQL("{} = ANY(%s)").format(sql.Identifier(info.primary_key)), (keys,))
    columns = [c for c in frame.columns if c not in (info.primary_key, VERSION_COLUMN, frame.geometry.name)]
    return {int(frame[info.primary_key].iat[i]): _row_dict(frame, i, columns) for i in range(len(frame))}


def _last_writers(cur: Any, info: TableInfo, keys: list[int]) -> dict[int, tuple[str, datetime, str]]:
    from psycopg import sql

    if not keys:
        return {}
    cur.execute(sql.SQL("SELECT DISTINCT ON (key) key, username, at, COALESCE(comment, '') FROM {} "
                        "WHERE table_name = %s AND key = ANY(%s) ORDER BY key, id DESC").format(
        sql.Identifier(info.schema, AUDIT_TABLE)), (info.table, keys))
    return {int(k): (str(u), at, str(c)) for k, u, at, c in cur.fetchall()}


def _writable_columns(con: Any, info: TableInfo, frame: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """(name, type) of the table columns the frame writes; PostgisError for a frame column the
    table lacks (the save would lose it)."""
    columns = [(n, t) for n, t in attribute_columns(con, info) if n not in (info.primary_key, VERSION_COLUMN)]
    known = {n for n, _ in columns}
    extra = [c for c in frame.columns if c != frame.geometry.name and c not in known]
    if extra:
        raise PostgisError(info.qualified, f"the table has no column {extra[0]!r}: add it on the server "
                                           "(or remove the field) before saving")
    present = set(frame.columns)
    return [(n, t) for n, t in columns if n in present]


def save_changes(con: Any, info: TableInfo, frame: gpd.GeoDataFrame, fids: np.ndarray, pending: PendingRows,
                 base: RowVersions, *, comment: str = "", citation: str = "") -> SaveResult:
    """Write ``pending`` (rows of ``frame``, whose rows have the ids ``fids``) to the table in
    one transaction, and commit it.

    Rows to update or delete are locked and their versions compared with ``base`` first; if
    any differs (someone else saved that feature since), :class:`ConflictError` is raised and
    nothing is written. Rows whose values the server already has are not written (no new
    version). Added rows get keys from the server. ``comment`` and ``citation`` go into the
    audit of every row written. A broken connection raises :class:`ConnectionLost`; any other
    refusal a :class:`PostgisError`; in all those cases the transaction is rolled back.
    ``con`` must have no transaction open.
    """
    import psycopg
    from psycopg import sql

    where = info.qualified
    fids = np.asarray(fids, dtype=np.int64)
    txid: int | None = None
    committing = False
    try:
        if not is_prepared(con, info):
            con.rollback()
            raise PostgisError(where, "the table is not prepared for team editing (its owner can run "
                                      "Prepare table for team editing)")
        columns = _writable_columns(con, info, frame)
        names = [n for n, _ in columns]
        srid = info.srid if info.srid > 0 else 0
        if frame.crs is not None and srid and (frame.crs.to_epsg() or 0) != srid:
            frame = frame.to_crs(epsg=srid)
        table = sql.Identifier(info.schema, info.table)
        pk = sql.Identifier(info.primary_key)
        with con.cursor() as cur:
            cur.execute("SELECT set_config('gisapp.comment', %s, true), set_config('gisapp.citation', %s, true), "
                        "txid_current()", (comment, citation))
            row = cur.fetchone()
            txid = int(row[2]) if row is not None else None
            positions = np.asarray(pending.positions, dtype=np.int64)
            added = np.asarray(pending.added, dtype=bool)
            update_positions = positions[~added]
            update_keys = fids[update_positions]
            deleted = np.asarray(pending.deleted, dtype=np.int64)
            checked = np.concatenate([update_keys, deleted])
            expected = base.get(checked)
            cur.execute(sql.SQL("SELECT {pk}, {v} FROM {t} WHERE {pk} = ANY(%s) FOR UPDATE").format(
                pk=pk, v=sql.Identifier(VERSION_COLUMN), t=table), (checked.tolist(),))
            current = {int(k): int(v) for k, v in cur.fetchall()}
            now = np.array([current.get(int(k), ABSENT) for k in checked.tolist()], dtype=np.int64)
            # A row I deleted that is gone there too is no conflict: both wanted it gone.
            both_gone = (np.arange(len(checked)) >= len(update_keys)) & (now == ABSENT)
            stale = np.flatnonzero((now != expected) & ~both_gone)
            if len(stale):
                stale_keys = [int(k) for k in checked[stale].tolist()]
                theirs = _server_rows(con, info, stale_keys)
                writers = _last_writers(cur, info, stale_keys)
                position_of = dict(zip(update_keys.tolist(), update_positions.tolist(), strict=True))
                conflicts = []
                for index in stale.tolist():
                    key = int(checked[index])
                    at = position_of.get(key)
                    user, time, note = writers.get(key, ("", None, ""))
                    conflicts.append(Conflict(
                        key, _row_dict(frame, at, names) if at is not None else None, theirs.get(key),
                        int(expected[index]), int(now[index]) if now[index] != ABSENT else None, user, time, note))
                con.rollback()
                raise ConflictError(where, conflicts)
            wkbs = shapely.to_wkb(np.asarray(frame.geometry.array, dtype=object)[positions], include_srid=False)
            wkb_at = dict(zip(positions.tolist(), wkbs, strict=True))
            values_of = [frame[n].to_numpy(dtype=object) for n in names]

            def params(position: int) -> list[Any]:
                return [cell(column[position]) for column in values_of] + [wkb_at[position]]

            targets = [sql.SQL("{}::{}").format(sql.Placeholder(), sql.SQL(kind)) for _, kind in columns]
            targets.append(sql.SQL("ST_GeomFromWKB(%s, {})").format(sql.Literal(srid)))
            column_list = sql.SQL(", ").join([*map(sql.Identifier, names), sql.Identifier(info.geometry_column)])
            new_versions: dict[int, int] = {}
            reinsert = update_positions[expected[:len(update_keys)] == ABSENT]
            to_update = update_positions[expected[:len(update_keys)] != ABSENT]
            if len(to_update):
                # One statement for all updated rows (the audit trigger runs once per statement):
                # the new values as arrays, one per column, unnested into rows.
                aliases = [sql.Identifier(f"c{i}") for i in range(len(names))]
                new_row = sql.SQL("ROW({})").format(sql.SQL(", ").join(
                    [*(sql.SQL("v.{}").format(a) for a in aliases),
                     sql.SQL("ST_GeomFromWKB(v.g, {})").format(sql.Literal(srid))]))
                arrays = sql.SQL(", ").join([sql.SQL("%s::bigint[]"),
                                             *(sql.SQL("%s::{}[]").format(sql.SQL(kind)) for _, kind in columns),
                                             sql.SQL("%s::bytea[]")])
                target_columns = sql.SQL(", ").join(
                    [*(sql.SQL("t.{}").format(sql.Identifier(n)) for n in names),
                     sql.SQL("t.{}").format(sql.Identifier(info.geometry_column))])
                update = sql.SQL("UPDATE {t} AS t SET ({cols}) = {new} FROM unnest({arrays}) AS v({aliases}) "
                                 "WHERE t.{pk} = v.k AND ({targets}) IS DISTINCT FROM {new} "
                                 "RETURNING t.{pk}, t.{v}").format(
                    t=table, cols=column_list, new=new_row, arrays=arrays, aliases=sql.SQL(", ").join([sql.Identifier("k"), *aliases, sql.Identifier("g")]),
                    pk=pk, targets=target_columns, v=sql.Identifier(VERSION_COLUMN))
                chosen = to_update.tolist()
                cur.execute(update, [fids[to_update].tolist(), *([cell(column[p]) for p in chosen] for column in values_of),
                                     [wkb_at[p] for p in chosen]])
                for key, version in cur.fetchall():
                    new_versions[int(key)] = int(version)
            insert_cols = sql.SQL(", ").join([pk, column_list])
            if len(reinsert):
                again = sql.SQL("INSERT INTO {t} ({cols}) VALUES (%s, {vals}) RETURNING {pk}, {v}").format(
                    t=table, cols=insert_cols, vals=sql.SQL(", ").join(targets), pk=pk,
                    v=sql.Identifier(VERSION_COLUMN))
                cur.executemany(again, [[int(fids[p]), *params(p)] for p in reinsert.tolist()], returning=True)
                while True:
                    for key, version in cur.fetchall():
                        new_versions[int(key)] = int(version)
                    if not cur.nextset():
                        break
            if len(deleted):
                cur.execute(sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(table, pk), (deleted.tolist(),))
            add_positions = positions[added]
            added_keys: list[int] = []
            added_versions: list[int] = []
            if len(add_positions):
                insert = sql.SQL("INSERT INTO {t} ({cols}) VALUES ({vals}) RETURNING {pk}, {v}").format(
                    t=table, cols=column_list, vals=sql.SQL(", ").join(targets), pk=pk,
                    v=sql.Identifier(VERSION_COLUMN))
                cur.executemany(insert, [params(p) for p in add_positions.tolist()], returning=True)
                while True:
                    for key, version in cur.fetchall():
                        added_keys.append(int(key))
                        added_versions.append(int(version))
                    if not cur.nextset():
                        break
            committing = True
            con.commit()
    except ConflictError:
        raise
    except psycopg.OperationalError as exc:
        _quiet_rollback(con)
        if committing:
            problem = ("the connection was lost while the save was committing; reconnect to see whether it "
                       "was written (your edits are kept)")
        else:
            problem = "the connection was lost during the save; nothing was written and your edits are kept: retry"
        raise ConnectionLost(where, f"{problem} ({_first_line(exc)})", txid, committing) from exc
    except psycopg.Error as exc:
        _quiet_rollback(con)
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            raise PostgisError(where, f"you may not change this table ({_first_line(exc)})") from exc
        raise PostgisError(where, f"the server refused the save, nothing was written ({_first_line(exc)})") from exc
    except PostgisError:
        _quiet_rollback(con)
        raise
    keys = fids.copy()
    keys_added = np.asarray(added_keys, dtype=np.int64)
    keys[add_positions] = keys_added
    written_keys = np.array(list(new_versions), dtype=np.int64)
    written_versions = np.array(list(new_versions.values()), dtype=np.int64)
    after = base.with_versions(np.concatenate([written_keys, keys_added]),
                               np.concatenate([written_versions, np.asarray(added_versions, dtype=np.int64)]))
    gone = np.isin(after.keys, deleted)
    after = RowVersions(after.keys[~gone], after.versions[~gone])
    updated = len(new_versions) - len(reinsert)
    return SaveResult(txid or 0, updated, len(added_keys) + len(reinsert), len(deleted), keys, after, keys_added,
                      unchanged=len(to_update) - updated)


def _quiet_rollback(con: Any) -> None:
    try:
        if not con.closed:
            con.rollback()
    except Exception:  # noqa: BLE001 - the connection is broken already; the server rolls back
        pass


def transaction_committed(con: Any, txid: int) -> bool | None:
    """Whether the transaction ``txid`` (from :class:`ConnectionLost`) committed; None if the
    server no longer knows."""
    with con.cursor() as cur:
        cur.execute("SELECT txid_status(%s)", (txid,))
        row = cur.fetchone()
    con.rollback()
    status = row[0] if row else None
    return None if status is None else status == "committed"


# --- resolving conflicts --------------------------------------------------------------------------
def keep_mine(base: RowVersions, conflicts: Iterable[Conflict]) -> RowVersions:
    """The base for a save that writes my rows over the versions the user has now seen.

    A row they deleted is inserted again with its key; if a third editor changes a row again
    before the save, that save reports it again."""
    chosen = list(conflicts)
    return base.with_versions([c.key for c in chosen],
                              [c.their_version if c.their_version is not None else ABSENT for c in chosen])


def take_theirs(base: RowVersions, conflicts: Iterable[Conflict]) -> tuple[RowVersions, dict[int, dict[str, Any] | None]]:
    """The base after taking the server's rows, and per key the values to put into the local
    copy (None: the row is gone there, remove it locally). Once the local row holds theirs,
    a save writes nothing for it."""
    chosen = list(conflicts)
    after = keep_mine(base, chosen)
    return after, {c.key: c.theirs for c in chosen}


def read_rows(con: Any, info: TableInfo, keys: Iterable[int]) -> tuple[gpd.GeoDataFrame, np.ndarray, np.ndarray]:
    """The current rows of ``keys`` (those still there): their frame (without key and version
    columns, as a layer holds it), keys and versions. For applying others' changes."""
    from psycopg import sql

    wanted = [int(k) for k in keys]
    frame = read_table(con, info, sql.SQL("{} = ANY(%s)").format(sql.Identifier(info.primary_key)), (wanted,))
    con.rollback()
    found = frame[info.primary_key].to_numpy(dtype=np.int64)
    versions = (frame[VERSION_COLUMN].to_numpy(dtype=np.int64) if VERSION_COLUMN in frame.columns
                else np.ones(len(frame), dtype=np.int64))
    return frame.drop(columns=[c for c in (info.primary_key, VERSION_COLUMN) if c in frame.columns]), found, versions


# --- history ----------------------------------------------------------------------------------------
def _values(row: Any, geometry: Any, info: TableInfo) -> dict[str, Any] | None:
    if row is None:
        return None
    values = dict(row if isinstance(row, dict) else json.loads(row))
    values.pop(info.primary_key, None)
    values.pop(VERSION_COLUMN, None)
    values["geometry"] = shapely.from_wkb(bytes(geometry)) if geometry is not None else None
    return values


def feature_history(con: Any, info: TableInfo, key: int) -> list[HistoryEntry]:
    """Every committed change of the feature ``key``, oldest first."""
    from psycopg import sql

    with con.cursor() as cur:
        cur.execute(sql.SQL("""
            SELECT id, key, version, operation, username, at, txid, COALESCE(comment, ''), COALESCE(citation, ''),
                   old_row, new_row, ST_AsBinary(old_geom), ST_AsBinary(new_geom)
            FROM {} WHERE table_name = %s AND key = %s ORDER BY id""").format(
            sql.Identifier(info.schema, AUDIT_TABLE)), (info.table, int(key)))
        rows = cur.fetchall()
    con.rollback()
    return [HistoryEntry(int(i), int(k), int(v), str(op), str(user), at, int(tx), str(note), str(cite),
                         _values(old, old_geom, info), _values(new, new_geom, info))
            for i, k, v, op, user, at, tx, note, cite, old, new, old_geom, new_geom in rows]


def restore_version(con: Any, info: TableInfo, entry: HistoryEntry, *, expected_version: int,
                    comment: str = "", citation: str = "") -> int:
    """Write the feature as ``entry`` left it (:attr:`HistoryEntry.row`) as a new version, in one
    transaction; the row's current version must be ``expected_version`` (:data:`ABSENT` if it
    is deleted), else :class:`ConflictError`. Returns the new version. The values are taken
    from the audit on the server, so every type comes back as it was."""
    import psycopg
    from psycopg import sql

    audit = sql.Identifier(info.schema, AUDIT_TABLE)
    table = sql.Identifier(info.schema, info.table)
    pk = sql.Identifier(info.primary_key)
    version = sql.Identifier(VERSION_COLUMN)
    source = "new" if entry.new is not None else "old"
    where = info.qualified
    try:
        with con.cursor() as cur:
            cur.execute("SELECT set_config('gisapp.comment', %s, true), set_config('gisapp.citation', %s, true)",
                        (comment, citation))
            cur.execute(sql.SQL("SELECT {} FROM {} WHERE {} = %s FOR UPDATE").format(version, table, pk), (entry.key,))
            row = cur.fetchone()
            now = int(row[0]) if row else ABSENT
            if now != expected_version:
                theirs = _server_rows(con, info, [entry.key]).get(entry.key)
                user, time, note = _last_writers(cur, info, [entry.key]).get(entry.key, ("", None, ""))
                con.rollback()
                raise ConflictError(where, [Conflict(entry.key, entry.row, theirs, expected_version,
                                                     now if now != ABSENT else None, user, time, note)])
            columns = [n for n, _ in attribute_columns(con, info) if n not in (info.primary_key, VERSION_COLUMN)]
            names = sql.SQL(", ").join([*map(sql.Identifier, columns), sql.Identifier(info.geometry_column)])
            picked = sql.SQL(", ").join([*(sql.SQL("r.{}").format(sql.Identifier(c)) for c in columns),
                                         sql.SQL("a.{}").format(sql.Identifier(f"{source}_geom"))])
            record = sql.SQL("FROM {audit} a, jsonb_populate_record(NULL::{t}, a.{row}) r WHERE a.id = %s").format(
                audit=audit, t=table, row=sql.Identifier(f"{source}_row"))
            if now == ABSENT:
                cur.execute(sql.SQL("INSERT INTO {t} ({pk}, {names}) SELECT %s, {picked} {record} RETURNING {v}").format(
                    t=table, pk=pk, names=names, picked=picked, record=record, v=version), (entry.key, entry.audit_id))
            else:
                cur.execute(sql.SQL("UPDATE {t} SET ({names}) = (SELECT {picked} {record}) WHERE {pk} = %s "
                                    "RETURNING {v}").format(t=table, names=names, picked=picked, record=record,
                                                            pk=pk, v=version), (entry.audit_id, entry.key))
            written = cur.fetchone()
        con.commit()
    except ConflictError:
        raise
    except psycopg.OperationalError as exc:
        _quiet_rollback(con)
        raise ConnectionLost(where, f"the connection was lost; nothing was restored ({_first_line(exc)})",
                             None, False) from exc
    except psycopg.Error as exc:
        _quiet_rollback(con)
        raise PostgisError(where, f"the server refused the restore ({_first_line(exc)})") from exc
    return int(written[0]) if written else now


# --- live changes -------------------------------------------------------------------------------------
@dataclass
class ChangeListener:
    """Receives other editors' committed changes (LISTEN on :data:`CHANNEL`) on a thread of its
    own and calls ``callback`` with each :class:`ChangeNotice` there (Qt-free: the UI wraps the
    callback in a signal). Only notices of ``tables`` ((schema, table) pairs; all if empty)
    are passed on. A lost connection is reported to ``on_error`` and retried every
    ``retry_s`` until :meth:`stop`. Changes committed while the connection was down are not
    announced again: ``on_listening`` is called each time LISTEN is in place (the first time
    and after every reconnection), so the caller can read again what it shows."""

    spec: ConnectionSpec
    callback: Callable[[ChangeNotice], None]
    tables: frozenset[tuple[str, str]] = frozenset()
    on_error: Callable[[Exception], None] | None = None
    retry_s: float = 2.0
    poll_s: float = 0.25
    on_listening: Callable[[], None] | None = None
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _ready: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    def start(self, wait_s: float = 10.0) -> bool:
        """Start listening; True once LISTEN is in place (changes committed after it arrive)."""
        self._stop.clear()
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, name="gisapp-postgis-listener", daemon=True)
        self._thread.start()
        return self._ready.wait(wait_s)

    def stop(self, wait_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait_s)
            self._thread = None

    @property
    def listening(self) -> bool:
        return self._ready.is_set() and self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with connect(self.spec, autocommit=True) as con:
                    con.execute("LISTEN " + CHANNEL)
                    self._ready.set()
                    if self.on_listening is not None:
                        self.on_listening()
                    while not self._stop.is_set():
                        for note in con.notifies(timeout=self.poll_s, stop_after=256):
                            for notice in _notices(note.payload):
                                if not self.tables or (notice.schema, notice.table) in self.tables:
                                    self.callback(notice)
            except Exception as exc:  # noqa: BLE001 - reported to the caller, then retried
                self._ready.clear()
                if self.on_error is not None and not self._stop.is_set():
                    self.on_error(exc)
                self._stop.wait(self.retry_s)


def _notices(payload: str) -> list[ChangeNotice]:
    """The rows of one NOTIFY payload (up to 200 keys of one statement)."""
    try:
        data = json.loads(payload)
        return [ChangeNotice(str(data["schema"]), str(data["table"]), int(key), int(version), str(data["op"]),
                             str(data["user"]), int(data["txid"]))
                for key, version in zip(data["keys"], data["versions"], strict=True)]
    except (ValueError, KeyError, TypeError):
        return []


def describe_conflicts(conflicts: Mapping[int, Conflict] | Iterable[Conflict]) -> str:
    """One line per conflict, for logs and the command line."""
    items = conflicts.values() if isinstance(conflicts, Mapping) else conflicts
    lines = []
    for c in items:
        theirs = "deleted" if c.their_version is None else f"version {c.their_version}"
        mine = "deleted" if c.mine is None else "changed"
        lines.append(f"key {c.key}: mine {mine} from version {c.base_version}, theirs {theirs}"
                     + (f" by {c.their_user}" if c.their_user else ""))
    return "\n".join(lines)


def save_layer(con: Any, layer: VectorLayer, rows: RowChanges, base: RowVersions, *, comment: str = "",
               citation: str = "") -> SaveResult:
    """:func:`save_changes` for a PostGIS layer in an edit session: the table from the layer's
    :class:`~gisapp.io.postgis.source.TableRef`, the rows from the session's ``rows``.

    After it returns, the caller sets ``layer.stored = result.stored(layer.frame)``, commits the
    session for the layer and keeps ``result.base`` as the layer's base for the next save.
    """
    ref = table_ref(layer)
    if ref is None:
        raise PostgisError(layer.title_en or layer.id, "the layer is not a PostGIS table")
    pending = rows.pending()
    if pending is None:
        raise PostgisError(f"{ref.schema}.{ref.table}", "the layer was replaced as a whole; only changed, added "
                                                       "and deleted features can be saved to a shared table")
    import psycopg

    try:
        info = _layer_table(con, ref)
    except psycopg.OperationalError as exc:
        _quiet_rollback(con)
        raise ConnectionLost(f"{ref.schema}.{ref.table}", f"the connection was lost; nothing was written and "
                                                         f"your edits are kept: retry ({_first_line(exc)})",
                             None, False) from exc
    con.rollback()
    return save_changes(con, info, layer.frame, rows.fids, pending, base, comment=comment, citation=citation)


def _layer_table(con: Any, ref: TableRef) -> TableInfo:
    """The table a layer names, from the catalogue directly: the ``geometry_columns`` view that
    :func:`~gisapp.io.postgis.tables.table_info` lists took 40 ms a save."""
    with con.cursor() as cur:
        cur.execute("""
            SELECT postgis_typmod_srid(a.atttypmod), upper(postgis_typmod_type(a.atttypmod))
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(quote_ident(%s) || '.' || quote_ident(%s)) AND a.attname = %s
              AND NOT a.attisdropped""", (ref.schema, ref.table, ref.geometry_column))
        row = cur.fetchone()
    if row is None:
        raise PostgisError(f"{ref.schema}.{ref.table}", "no such table with a geometry column (or no right to read it)")
    srid, kind = int(row[0] or 0), str(row[1] or "GEOMETRY")
    if srid <= 0:  # an unconstrained geometry column: geometry_columns knows it from the rows
        return table_info(con, ref.schema, ref.table)
    return TableInfo(ref.schema, ref.table, ref.geometry_column, kind, srid, -1, ref.primary_key)
