"""An editor as gisapp's window has one: a project with a PostGIS layer, an edit session on it,
and the base row versions its next save starts from. Used by the team-editing tests and the
editor processes they start."""

from __future__ import annotations

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
        rows = gpd.GeoDataFrame({"name": [name], "far": [far]},
                                geometry=[shapely.box(122.0, 39.0, 122.01, 39.01)], crs=self.layer.frame.crs)
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
