"""QGIS's ``layer_styles`` table in a PostGIS database: the default style of a table.

QGIS's PostgreSQL provider keeps styles in ``public.layer_styles`` (one row per style; the
row of a table marked ``useAsDefault``, newest ``update_time`` first, is loaded when the
table is added), matched on ``f_table_catalog`` (the database), ``f_table_schema``,
``f_table_name`` and ``f_geometry_column``. gisapp writes its rows with the QML of
:func:`gisapp.io.qgis.project_file.layer_qml` and the SLD of :mod:`gisapp.io.qgis.sld`, named
:data:`~gisapp.io.qgis.layer_styles.STYLE_NAME`; a colleague's rows for the same table stay
(gisapp's row is made the newer default). Reading applies whichever default QGIS would load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gisapp.core.model.layer import VectorLayer
from gisapp.io.postgis.connection import PostgisError
from gisapp.io.qgis.layer_styles import STYLE_NAME
from gisapp.io.qgis.notes import joined
from gisapp.io.qgis.project_file import layer_qml
from gisapp.io.qgis.qml import qml_to_style
from gisapp.io.qgis.sld import style_to_sld
from gisapp.io.qgis.style_apply import apply_style_import

STYLES_SCHEMA = "public"
STYLES_TABLE = "layer_styles"

# The table as QGIS 3.22's provider creates it (QgsPostgresProviderMetadata::saveStyle).
_CREATE = """
CREATE TABLE IF NOT EXISTS public.layer_styles (
    id serial PRIMARY KEY,
    f_table_catalog varchar,
    f_table_schema varchar,
    f_table_name varchar,
    f_geometry_column varchar,
    stylename text,
    styleqml xml,
    stylesld xml,
    useasdefault boolean,
    description text,
    owner varchar(63) DEFAULT CURRENT_USER,
    ui xml,
    update_time timestamp DEFAULT CURRENT_TIMESTAMP,
    type varchar
)"""


@dataclass(frozen=True)
class TableStyle:
    """One ``layer_styles`` row, as read."""

    schema: str
    table: str
    geometry_column: str
    name: str
    qml: str
    sld: str = ""
    description: str = ""

    @property
    def written_by_gisapp(self) -> bool:
        return self.name == STYLE_NAME


def _has_styles_table(con: Any) -> bool:
    row = con.execute("SELECT to_regclass('public.layer_styles')").fetchone()
    return row is not None and row[0] is not None


def write_table_style(con: Any, schema: str, table: str, geometry_column: str, layer: VectorLayer) -> None:
    """Make ``layer``'s style the default of ``schema.table`` (in the caller's transaction).

    gisapp's earlier row for the table is replaced and other rows for it stop being the
    default, as QGIS does when a user saves a new default. Raises PostgisError when the role
    may not create or write ``public.layer_styles``. The row's ``type`` stays NULL: QGIS
    matches it with ``type = <the URI's geometry type> OR type IS NULL``, and a URI without a
    type (a layer added by script) asks for 'Unknown geometry'.
    """
    import psycopg

    dbname = con.info.dbname
    qml = layer_qml(layer)
    sld = style_to_sld(layer.style, layer.geometry_family, table, layer.label_column("zh") or "", layer.label_style)
    try:
        with con.cursor() as cur:
            if not _has_styles_table(con):
                cur.execute(_CREATE)
            where = ("f_table_catalog = %s AND f_table_schema = %s AND f_table_name = %s "
                     "AND f_geometry_column = %s")
            key = (dbname, schema, table, geometry_column)
            cur.execute(f"DELETE FROM public.layer_styles WHERE {where} AND stylename = %s", (*key, STYLE_NAME))
            cur.execute(f"UPDATE public.layer_styles SET useasdefault = false WHERE {where}", key)
            cur.execute(
                "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, stylename, styleqml, stylesld, useasdefault, description, ui, "
                "update_time, type) VALUES (%s, %s, %s, %s, %s, XMLPARSE(DOCUMENT %s), XMLPARSE(DOCUMENT %s), "
                "true, %s, NULL, clock_timestamp(), NULL)",
                (*key, STYLE_NAME, qml, sld, layer.title_zh or layer.title_en))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise PostgisError(f"{schema}.{table}", "the role may not write QGIS's style table "
                                                "public.layer_styles (publishing needs CREATE and INSERT there)") from exc


def default_table_style(con: Any, schema: str, table: str, geometry_column: str) -> TableStyle | None:
    """The row QGIS would load for ``schema.table`` (default first, then the newest), or None."""
    if not _has_styles_table(con):
        return None
    row = con.execute(
        "SELECT stylename, styleqml::text, COALESCE(stylesld::text, ''), COALESCE(description, '') "
        "FROM public.layer_styles WHERE f_table_catalog = %s AND f_table_schema = %s AND f_table_name = %s "
        "AND f_geometry_column = %s AND styleqml IS NOT NULL "
        "ORDER BY CASE WHEN useasdefault THEN 0 ELSE 1 END, update_time DESC, id DESC LIMIT 1",
        (con.info.dbname, schema, table, geometry_column)).fetchone()
    if row is None:
        return None
    return TableStyle(schema, table, geometry_column, str(row[0] or ""), str(row[1]), str(row[2]), str(row[3]))


def apply_table_style(con: Any, layer: VectorLayer, schema: str, table: str, geometry_column: str, *,
                      colleagues_only: bool = False) -> TableStyle | None:
    """Give ``layer`` the table's default style from ``layer_styles``; returns the row applied.

    ``colleagues_only`` leaves the layer as it is when the default is gisapp's own row (a
    published project keeps its full style in its metadata; the QML is the QGIS reading of it).

    A style that cannot be read or is for another geometry leaves the layer's style as it
    was and is said in the layer's load report, as for a GeoPackage's ``layer_styles``.
    """
    stored = default_table_style(con, schema, table, geometry_column)
    if stored is None or (colleagues_only and stored.written_by_gisapp):
        return None
    report = layer.load_report
    try:
        notes = apply_style_import(layer, qml_to_style(stored.qml))
    except ValueError as exc:  # XmlRefused, StyleRefused
        if report is not None:
            report.warn("qgis_style_unreadable", name=stored.name or STYLES_TABLE, reason=str(exc))
        return None
    if report is not None and notes:
        report.warn("qgis_style_simplified", name=stored.name or STYLES_TABLE, notes=joined(notes))
    if not stored.written_by_gisapp:
        layer.metadata["qgis_style"] = stored.name or STYLES_TABLE
    return stored
