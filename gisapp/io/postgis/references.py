"""PostGIS layers in a project GeoPackage: saved by reference, opened again from the server.

A project file keeps a PostGIS layer as an entry of kind ``"postgis"``: its title, style,
labels, aliases and metadata, whose :data:`~gisapp.io.postgis.source.POSTGIS_KEY` names the
table (:class:`~gisapp.io.postgis.source.TableRef`, a URL without a password). Its rows stay
on the server, so the file holds no table for it and a save never writes its rows there
(they go to the server, :mod:`gisapp.io.postgis.team`). Opening the project reads each such
layer from its server again. A server that is down or refuses leaves the layer in the project
without rows, marked :data:`UNAVAILABLE` with the reason: it is saved again as it was, cannot
be edited, and opens once the server answers (the window offers *Reload from PostGIS*).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd

from gisapp.core.model.layer import VectorLayer
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, connect
from gisapp.io.postgis.source import POSTGIS_KEY, TableRef, open_postgis_layer, table_ref
from gisapp.io.postgis.tables import table_info

KIND = "postgis"  # the project's layer entry kind
UNAVAILABLE = "postgis_unavailable"  # a metadata key: why the server's rows are not here (never saved)


def is_postgis_layer(layer: object) -> bool:
    return isinstance(layer, VectorLayer) and table_ref(layer) is not None


def saved_metadata(layer: VectorLayer) -> dict[str, Any]:
    """The layer's metadata as a project keeps it (without what describes this session)."""
    return {key: value for key, value in layer.metadata.items() if key != UNAVAILABLE}


def empty_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"))


def read_from_server(layers: list[VectorLayer], passwords: dict[str, str] | None = None) -> list[str]:
    """Fill each PostGIS layer with its table's rows (keys and versions as its stored rows);
    one connection per server. A layer whose server or table cannot be read keeps no rows and
    gets :data:`UNAVAILABLE`; returns one warning per such layer (naming it, the server and
    the reason). ``passwords`` by URL, for servers whose password was typed this session."""
    warnings: list[str] = []
    by_url: dict[str, list[tuple[VectorLayer, TableRef]]] = {}
    for layer in layers:
        ref = table_ref(layer)
        if ref is not None:
            by_url.setdefault(ref.url, []).append((layer, ref))
    for url, group in by_url.items():
        try:
            spec = group[0][1].spec()
            if passwords and url in passwords:
                spec = spec.with_password(passwords[url])
            con = connect(spec, autocommit=True)
        except (PostgisError, ValueError) as exc:
            for layer, _ref in group:
                warnings.append(_left_out(layer, str(exc)))
            continue
        try:
            for layer, ref in group:
                try:
                    read_into(con, spec, layer, ref)
                except PostgisError as exc:
                    warnings.append(_left_out(layer, str(exc)))
                except Exception as exc:  # psycopg's errors: the server's words
                    warnings.append(_left_out(layer, f"{ref.schema}.{ref.table}: {str(exc).strip().splitlines()[0]}"))
        finally:
            con.close()
    return warnings


def read_into(con: Any, spec: ConnectionSpec, layer: VectorLayer, ref: TableRef) -> None:
    """Replace the layer's rows with the table's (title, style and metadata stay the layer's)."""
    info = table_info(con, ref.schema, ref.table)
    read = open_postgis_layer(con, spec, info)
    layer.metadata = {**{k: v for k, v in layer.metadata.items() if k != UNAVAILABLE}, POSTGIS_KEY: ref.to_metadata()}
    layer.set_frame(read.frame)
    assert read.stored is not None
    layer.stored = read.stored
    layer.stored.frame = layer.frame


def _left_out(layer: VectorLayer, reason: str) -> str:
    layer.metadata = {**layer.metadata, UNAVAILABLE: reason}
    return (f"the PostGIS layer {layer.title_en or layer.id!r} could not be read: {reason}. It stays in the "
            "project without its features and opens once the server answers (Layer > Reload from PostGIS)")
