"""A vector layer whose rows live in a PostGIS table.

The layer's ``metadata[POSTGIS_KEY]`` names the table (:class:`TableRef`: the server's URL
without a password, schema, table, geometry and key columns); projects save it like any
metadata, so a project refers to the table instead of copying it. The rows' primary keys are
the layer's stored ids (``layer.stored.fids``, as a GeoPackage's fids are) and never a column
of the frame, so no edit can change them; the row versions of a table prepared for team
editing (:data:`VERSION_COLUMN`) are ``layer.stored.versions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from gisapp.core.model.layer import StoredRows, VectorLayer
from gisapp.io.postgis.connection import ConnectionSpec, parse_url
from gisapp.io.postgis.tables import TableInfo, read_table
from gisapp.io.vector import file_layer

POSTGIS_KEY = "postgis"
VERSION_COLUMN = "gisapp_version"  # maintained by the trigger that preparing for team editing installs


@dataclass(frozen=True)
class TableRef:
    url: str  # ConnectionSpec.url(): never a password
    schema: str
    table: str
    geometry_column: str
    primary_key: str

    def to_metadata(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_metadata(cls, entry: Any) -> TableRef | None:
        if not isinstance(entry, dict):
            return None
        try:
            return cls(**{key: str(entry[key]) for key in ("url", "schema", "table", "geometry_column", "primary_key")})
        except KeyError:
            return None

    def spec(self) -> ConnectionSpec:
        return parse_url(self.url)


def table_ref(layer: VectorLayer) -> TableRef | None:
    """The PostGIS table a layer shows, or None for a layer of a file."""
    return TableRef.from_metadata(layer.metadata.get(POSTGIS_KEY))


def open_postgis_layer(con: Any, spec: ConnectionSpec, info: TableInfo, title: str | None = None,
                       after_batch: Callable[[], None] | None = None) -> VectorLayer:
    """A layer of ``info``'s rows read through ``con`` (keys and versions kept as its stored rows).

    Raises PostgisError when the table has no single-column primary key (rows could not be
    told apart when saving).
    """
    from gisapp.io.postgis.connection import PostgisError

    if not info.primary_key:
        raise PostgisError(info.qualified, "the table has no single-column primary key, so edits could not be saved")
    frame = read_table(con, info, after_batch=after_batch)
    keys = frame[info.primary_key].to_numpy(dtype=np.int64)
    versions = frame[VERSION_COLUMN].to_numpy(dtype=np.int64) if VERSION_COLUMN in frame.columns else None
    frame = frame.drop(columns=[c for c in (info.primary_key, VERSION_COLUMN) if c in frame.columns])
    family = "polygon"
    if len(frame):
        from gisapp.core.model.layer import geometry_family

        family = geometry_family(frame)
    name = title or info.table
    layer = file_layer(name, name, frame, family)
    layer.metadata[POSTGIS_KEY] = TableRef(spec.url(), info.schema, info.table, info.geometry_column,
                                           info.primary_key).to_metadata()
    layer.stored = StoredRows(layer.frame, keys, int(keys.max()) + 1 if len(keys) else 1, versions)
    return layer
