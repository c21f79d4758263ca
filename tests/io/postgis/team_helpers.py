"""An editor as gisapp's window has one: a project with a PostGIS layer, an edit session on it,
and the base row versions its next save starts from. Used by the team-editing tests and the
editor processes they start."""

from __future__ import annotations

import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from gisapp.core.editing.edits import AddFeatures, DeleteFeatures, SetAttribute, SetGeometries
from gisapp.core.editing.session import EditSession
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.io.postgis.connection import ConnectionSpec, connect
from gisapp.io.postgis.source import open_postgis_layer
from gisapp.io.postgis.tables import table_info, write_table
from gisapp.io.postgis.team import RowVersions, SaveResult, prepare_table, save_layer


def zones_frame(count: int = 6) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"zone {i}" for i in range(count)], "far": [1.0 + i / 10 for i in range(count)]},
        geometry=[shapely.box(121.5 + i / 100, 38.8, 121.505 + i / 100, 38.805) for i in range(count)],
        crs="EPSG:4326")


def make_team_table(spec: ConnectionSpec, schema: str = "plan", table: str = "zones",
                    frame: gpd.GeoDataFrame | None = None) -> None:
    with connect(spec) as con:
        write_table(con, schema, table, zones_frame() if frame is None else frame)
        con.commit()
        prepare_table(con, table_info(con, schema, table))


@dataclass
class Editor:
    """One designer's copy of a shared table."""

    spec: ConnectionSpec
    schema: str = "plan"
    table: str = "zones"

    def __post_init__(self) -> None:
        self.con = connect(self.spec)
        self.reload()

    def reload(self) -> None:
        info = table_info(self.con, self.schema, self.table)
        self.layer: VectorLayer = open_postgis_layer(self.con, self.spec, info)
        self.con.rollback()
        self.project = Project(layers=[self.layer])
        self.session = EditSession(self.project)
        self.session.start(self.layer.id)
        self.base = RowVersions.from_stored(self.layer.stored)

    @property
    def rows(self):
        return self.session.row_changes()[self.layer.id]

    def row_of(self, key: int) -> int:
        return int(np.flatnonzero(self.rows.fids == key)[0])

    def set(self, key: int, column: str, value: object) -> None:
        row = self.row_of(key)
        self.session.apply(SetAttribute(self.layer.id, row, column, value, self.layer.frame[column].iat[row]))

    def move(self, key: int, dx: float) -> None:
        row = self.row_of(key)
        geom = self.layer.frame.geometry.iat[row]
        self.session.apply(SetGeometries(self.layer.id, [row], [shapely.affinity.translate(geom, dx, 0)], [geom]))

    def add(self, name: str, far: float) -> None:
        rows = self.layer.frame.iloc[:1].copy().reset_index(drop=True)  # the layer's columns and types
        for column, value in (("name", name), ("far", far)):
            if column in rows.columns:
                rows.loc[0, column] = value
        rows[rows.geometry.name] = gpd.GeoSeries([shapely.box(122.0, 39.0, 122.01, 39.01)], crs=rows.crs)
        self.session.apply(AddFeatures(self.layer.id, rows, select=False))

    def delete(self, key: int) -> None:
        self.session.apply(DeleteFeatures(self.layer.id, [self.row_of(key)]))

    def save(self, comment: str = "", citation: str = "") -> SaveResult:
        result = save_layer(self.con, self.layer, self.rows, self.base, comment=comment, citation=citation)
        self.layer.stored = result.stored(self.layer.frame)
        self.session.commit([self.layer.id])
        self.base = result.base
        return result

    def close(self) -> None:
        self.con.close()


# --- editor processes ---------------------------------------------------------------------------------
def editor_process(spec: ConnectionSpec, name: str, seconds: float, seed: int, hot_keys: int,
                   log_path: str, table: str = "zones") -> None:
    """One designer for ``seconds``: a few random edits, a save, and on a conflict keep mine or
    take theirs (at random) and save again; every attempt is logged as a JSON line.

    Logged per attempt: the keys it changed with the base version of each, and the outcome
    ("saved" with the transaction id, or "conflict" with the keys reported).
    """
    import json
    import random

    from gisapp.io.postgis.team import ConflictError, keep_mine, take_theirs

    rng = random.Random(seed)
    editor = Editor(spec, table=table)
    deadline = time.monotonic() + seconds
    with open(log_path, "w", encoding="utf-8") as log:
        while time.monotonic() < deadline:
            for _ in range(rng.randint(1, 3)):
                keys = editor.rows.fids
                roll = rng.random()
                if roll < 0.06:
                    editor.add(f"{name} add {rng.randint(0, 10**6)}", rng.random())
                elif roll < 0.09 and len(keys) > hot_keys:
                    editor.delete(int(rng.choice(keys[keys > hot_keys].tolist())))
                else:
                    hot = keys[keys <= hot_keys]
                    key = int(rng.choice((hot if len(hot) and rng.random() < 0.7 else keys).tolist()))
                    if rng.random() < 0.5:
                        editor.set(key, "far", round(rng.random() * 10, 3))
                    else:
                        editor.set(key, "name", f"{name} {rng.randint(0, 10**6)}")
            while True:
                pending = editor.rows.pending()
                changed = editor.rows.fids[pending.positions[~pending.added]].tolist() + pending.deleted.tolist()
                attempt = {"editor": name, "keys": [int(k) for k in changed],
                           "base": [int(v) for v in editor.base.get(changed).tolist()]}
                try:
                    result = editor.save(comment=name)
                except ConflictError as error:
                    attempt.update(outcome="conflict", reported=[c.key for c in error.conflicts],
                                   their_versions=[c.their_version for c in error.conflicts])
                    log.write(json.dumps(attempt) + "\n")
                    if rng.random() < 0.5:
                        editor.base = keep_mine(editor.base, error.conflicts)
                    else:
                        editor.base, theirs = take_theirs(editor.base, error.conflicts)
                        for key, values in theirs.items():
                            if values is None:
                                if key in editor.rows.fids:
                                    editor.delete(key)
                                continue
                            if key not in editor.rows.fids:
                                continue  # I deleted it, they changed it: keep my delete
                            for column in ("name", "far"):
                                editor.set(key, column, values[column])
                            row = editor.row_of(key)
                            old = editor.layer.frame.geometry.iat[row]
                            editor.session.apply(SetGeometries(editor.layer.id, [row], [values["geometry"]], [old]))
                    continue
                attempt.update(outcome="saved", txid=result.txid)
                log.write(json.dumps(attempt) + "\n")
                log.flush()
                break
            if rng.random() < 0.2:
                editor.reload()  # sometimes start from a fresh copy, as after reopening
    editor.close()
