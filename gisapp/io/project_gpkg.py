"""Save and open a whole project as one GeoPackage (opens in QGIS too).

Layers are feature tables named after the layer ids. Beside them:
- ``gisapp_project``: key/value rows with JSON values (project, groups, layer list
  with styles and order, indicator definitions);
- ``gisapp_indicator_links``: feature-to-indicator links;
- ``gisapp_indicator_actuals``: monitoring values (indicator, feature or '' for zone-wide,
  year, value, note). Files written before it existed open with no actuals.
Saving is atomic (see :mod:`gisapp.io.atomic`). Whatever else the file held (a colleague's
tables, QGIS styles and projects, metadata) is carried into the new file
(:mod:`gisapp.io.foreign_content`).
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from gisapp.core.layout.items import Layout, LayoutError
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.load_report import LoadReport
from gisapp.core.model.project import USER_GROUP, LayerGroup, Project
from gisapp.core.model.style import shown
from gisapp.core.model.tile_layer import MapLayer, TileLayer
from gisapp.core.plan.actuals import Actual
from gisapp.core.plan.indicators import IndicatorCatalog, IndicatorLink
from gisapp.io.atomic import atomic_path, crash_point
from gisapp.io.errors import GisIOError
from gisapp.io.field_types import frame_for_writing
from gisapp.io.file_checks import ensure_regular_file
from gisapp.io.foreign_content import carry_over, foreign_tables
from gisapp.io.project_schema import YEAR_RANGE, ProjectMetadata, check
from gisapp.io.qgis.layer_styles import TABLE as LAYER_STYLES_TABLE
from gisapp.io.qgis.qgis_side import PROJECTS_TABLE, write_qgis_side
from gisapp.io.vector import open_vector_file, read_layer

FORMAT_VERSION = 1
META_TABLE = "gisapp_project"
LINKS_TABLE = "gisapp_indicator_links"
ACTUALS_TABLE = "gisapp_indicator_actuals"
ACTUALS_COLUMNS = ["indicator_id", "feature_id", "year", "value", "note"]


# GeoPackage 1.2: GDAL in pyogrio would write 1.4, which QGIS 3.22 (GDAL 3.6 and older) opens
# with the warning that the file "may only be partially supported". Used when GDAL creates the file.
GPKG_OPTIONS = {"VERSION": "1.2"}
# Tables QGIS keeps beside the layers: never a layer's table name.
QGIS_TABLES = {LAYER_STYLES_TABLE, PROJECTS_TABLE}


def _table_name(layer_id: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_]+", "_", layer_id).strip("_").lower() or "layer"
    if base.startswith("gisapp_"):
        base = f"l_{base}"
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def save_project(project: Project, path: str | Path) -> None:
    """Write ``project`` to ``path`` atomically; the previous file survives any failure."""
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise GisIOError(path, "a project is saved as a GeoPackage: use the .gpkg extension")
    own_tables = {META_TABLE, LINKS_TABLE, ACTUALS_TABLE}
    tables_before = _layer_tables_written_before(path)
    written_before = own_tables | set(tables_before.values())
    foreign = foreign_tables(path, written_before)
    used: set[str] = own_tables | QGIS_TABLES | foreign
    layer_entries = []
    saved_tables: list[tuple[VectorLayer, str]] = []
    try:
        with atomic_path(path) as temp:
            for number, layer in enumerate(project.layers, start=1):
                if isinstance(layer, TileLayer):
                    layer_entries.append(_tile_entry(layer, path))
                    continue
                table = (_table_kept(tables_before.get(layer.id), used)
                         or _table_read_from(layer, path, foreign) or _table_name(layer.id, used))
                frame, needs_arrow = frame_for_writing(layer.frame)
                pyogrio.write_dataframe(frame, temp, layer=table, driver="GPKG", dataset_options=GPKG_OPTIONS,
                                        use_arrow=needs_arrow,
                                        geometry_type="Unknown", promote_to_multi=False)
                crash_point(f"after_layer:{number}")
                saved_tables.append((layer, table))
                layer_entries.append({
                    "id": layer.id, "table": table, "title_zh": layer.title_zh,
                    "title_en": layer.title_en, "group": layer.group, "visible": layer.visible,
                    "opacity": layer.opacity, "label_field": layer.label_field,
                    "style": layer.style.to_dict(), "metadata": layer.metadata,
                    "field_aliases": layer.field_aliases,
                })
            meta = {
                "format_version": FORMAT_VERSION,
                "project": {"title_zh": project.title_zh, "title_en": project.title_en,
                            "canvas_crs": project.canvas_crs, "attribution": project.attribution,
                            "metadata": project.metadata},
                "groups": [vars(g) for g in project.groups],
                "layers": layer_entries,
                "indicators": project.indicators.to_json_dict(),
                "layouts": project.layouts,
            }
            rows = pd.DataFrame({"key": list(meta),
                                 "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})
            pyogrio.write_dataframe(rows, temp, layer=META_TABLE, driver="GPKG", dataset_options=GPKG_OPTIONS)
            links = pd.DataFrame([vars(link) for link in project.indicators.links],
                                 columns=["feature_id", "indicator_id", "relation", "note"])
            pyogrio.write_dataframe(links.astype(str), temp, layer=LINKS_TABLE, driver="GPKG",
                                    dataset_options=GPKG_OPTIONS)
            pyogrio.write_dataframe(_actuals_frame(project), temp, layer=ACTUALS_TABLE, driver="GPKG",
                                    dataset_options=GPKG_OPTIONS)
            if path.exists():
                carry_over(path, temp, owned=written_before | {table for _layer, table in saved_tables})
            with closing(sqlite3.connect(temp)) as connection, connection:
                write_qgis_side(connection, project, saved_tables, Path(os.path.realpath(path)).name)
    except GisIOError:
        raise
    except OSError as exc:
        raise GisIOError(path, f"the project could not be saved ({exc.strerror or exc})") from exc
    except Exception as exc:
        raise GisIOError(path, f"the project could not be saved ({exc})") from exc
    project.metadata["path"] = str(path)
    project.set_modified(False)


def _layer_tables_written_before(path: Path) -> dict[str, str]:
    """Layer id -> table, as the gisapp project at ``path`` lists them (none for a new or plain
    file). A layer keeps its table from save to save, so QGIS styles and projects that name
    the table still find it.

    A damaged list gives none: every table then counts as someone else's and is kept.
    """
    if not path.is_file():
        return {}
    try:
        with closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as connection:
            row = connection.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'layers'").fetchone()
        entries = json.loads(row[0]) if row else []
        return {entry["id"]: entry["table"] for entry in entries
                if isinstance(entry.get("id"), str) and isinstance(entry.get("table"), str)}
    except (sqlite3.Error, ValueError, TypeError, AttributeError, RecursionError):
        return {}


def _table_kept(table: str | None, used: set[str]) -> str | None:
    if table is None or table in used or table in QGIS_TABLES or table.startswith(("gpkg_", "rtree_", "sqlite_")):
        return None
    used.add(table)
    return table


def _table_read_from(layer: VectorLayer, path: Path, foreign: set[str]) -> str | None:
    """The table of this very file that ``layer`` was read from, which its save then replaces
    (a plain GeoPackage saved as a project onto itself). None when the layer came from elsewhere,
    or when some of the table's features were rejected on reading: the original table is then
    kept as it is, and the layer gets a table of its own."""
    table = layer.metadata.get("source_layer")
    source = layer.metadata.get("source_path")
    if not isinstance(table, str) or table not in foreign or table in QGIS_TABLES or not isinstance(source, str):
        return None
    if layer.load_report is not None and layer.load_report.rejected:
        return None
    try:
        if not os.path.samefile(source, path):
            return None
    except OSError:
        return None
    foreign.discard(table)  # claimed once: the other part of a table split by geometry type gets its own
    return table


def _tile_entry(layer: TileLayer, project_path: Path) -> dict[str, Any]:
    """A basemap's entry: its source, an MBTiles path relative to the project where it can be."""
    source = layer.source.to_dict()
    if layer.source.kind == "mbtiles":
        source["path"] = _relative_path(layer.source.path, project_path.parent)
    return {"id": layer.id, "kind": layer.kind, "title_zh": layer.title_zh, "title_en": layer.title_en,
            "group": layer.group, "visible": layer.visible, "opacity": layer.opacity,
            "metadata": layer.metadata, "source": source}


def _relative_path(path: str, folder: Path) -> str:
    try:
        return os.path.relpath(Path(path).resolve(), folder.resolve())
    except ValueError:  # another drive (Windows): keep it absolute
        return str(path)


def is_project_file(path: str | Path) -> bool:
    try:
        ensure_regular_file(path)  # a pipe or device would make SQLite wait or read forever
        return META_TABLE in {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception:
        return False


def load_project(path: str | Path, warnings: list[str] | None = None) -> Project:
    """Open a project GeoPackage; a plain GeoPackage opens as a project of its layers.

    Every part of the file is checked before a model object is made (see
    :mod:`gisapp.io.project_schema`): a damaged file raises :class:`GisIOError` saying which
    part is wrong, never another exception. Tolerated oddities (unknown keys, a layer in a
    group that is not listed) are added to ``warnings``.
    """
    path = Path(path)
    ensure_regular_file(path)
    if not is_project_file(path):
        project = Project(title_zh=path.stem, title_en=path.stem)
        for layer in reversed(open_vector_file(path)):
            project.add_layer(layer)
        project.set_modified(False)
        return project
    try:
        tables = {str(name) for name, _ in pyogrio.list_layers(path)}
        rows = pyogrio.read_dataframe(path, layer=META_TABLE, read_geometry=False)
        link_rows = (pyogrio.read_dataframe(path, layer=LINKS_TABLE, read_geometry=False)
                     if LINKS_TABLE in tables else None)
        actual_rows = (_read_actual_rows(path)
                       if ACTUALS_TABLE in tables else None)  # None: written before actuals were saved
    except Exception as exc:
        raise GisIOError(path, f"the project file is damaged or incomplete ({exc})") from exc
    meta = metadata_from_rows(rows, path)
    checked = check_project_metadata(meta, path, warnings)
    frames, reports = {}, {}
    for number, entry in enumerate(checked.layers):
        if entry.kind != "vector":
            continue
        if entry.table not in tables:
            raise GisIOError(path, f"damaged project metadata: layers[{number}].table: "
                                   f"no table {entry.table!r} in the file")
        if entry.table not in frames:
            frames[entry.table], reports[entry.table] = _read_layer_table(path, entry.table,
                                                                          f"layers[{number}].table")
    links = links_from_rows(link_rows, path) if link_rows is not None else []
    actuals = actuals_from_rows(actual_rows, path) if actual_rows is not None else []
    project = build_project(checked, frames, links, actuals, path, warnings, reports)
    project.set_modified(False)
    return project


def _read_layer_table(path: Path, table: str, where: str) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """A layer table, checked like any file a user brings (see :func:`gisapp.io.vector.read_layer`):
    its good features, and the report of the rejected ones."""
    if table in (META_TABLE, LINKS_TABLE, ACTUALS_TABLE):
        raise GisIOError(path, f"damaged project metadata: {where}: {table!r} is not a layer table")
    try:
        geometry_type = pyogrio.read_info(path, layer=table).get("geometry_type")
    except Exception as exc:
        raise GisIOError(path, f"damaged layer table {table!r} ({exc})") from exc
    if not geometry_type:
        raise GisIOError(path, f"damaged project metadata: {where}: {table!r} has no geometry column")
    try:
        return read_layer(path, table)
    except GisIOError as exc:
        raise GisIOError(path, f"damaged layer table {table!r} ({exc.problem})") from None


def metadata_from_rows(rows: pd.DataFrame, path: str | Path) -> dict[str, Any]:
    """The ``gisapp_project`` key/value rows as a dict of parsed JSON values."""
    if not {"key", "value"} <= set(rows.columns):
        raise GisIOError(path, f"damaged project metadata: the {META_TABLE} table has no key and value columns")
    meta: dict[str, Any] = {}
    for number, (key, value) in enumerate(zip(rows["key"], rows["value"], strict=True), start=1):
        if not isinstance(key, str):
            raise GisIOError(path, f"damaged project metadata: row {number} of {META_TABLE}: "
                                   f"expected a key name, got {_shown_cell(key)}")
        if not isinstance(value, str):
            raise GisIOError(path, f"damaged project metadata: {key}: expected JSON text, "
                                   f"got {_shown_cell(value)}")
        if key in meta:
            raise GisIOError(path, f"damaged project metadata: the key {key!r} is stored twice")
        try:
            meta[key] = json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise GisIOError(path, f"damaged project metadata: {key}: not valid JSON ({exc})") from None
    return meta


def _shown_cell(value: Any) -> str:
    return "an empty value" if value is None or (isinstance(value, float) and math.isnan(value)) else shown(value)


def check_project_metadata(meta: Any, path: str | Path, warnings: list[str] | None = None) -> ProjectMetadata:
    """Validate parsed metadata; raises GisIOError('damaged project metadata: ...')."""
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise GisIOError(path, "the project was written by a newer gisapp; update to open it")
    checked = check(ProjectMetadata, meta, path, "project metadata", warnings)
    _unique([layer.id for layer in checked.layers], "layers", "id", path)
    _unique([group.id for group in checked.groups], "groups", "id", path)
    for number, entry in enumerate(checked.layouts):
        try:
            Layout.from_dict(entry, f"layouts[{number}]")
        except LayoutError as exc:
            raise GisIOError(path, f"damaged project metadata: {exc}") from None
    _unique([str(entry.get("name", "")) for entry in checked.layouts], "layouts", "name", path)
    return checked


def _unique(values: list[str], part: str, key: str, path: str | Path) -> None:
    seen: set[str] = set()
    for number, value in enumerate(values):
        if value in seen:
            raise GisIOError(path, f"damaged project metadata: {part}[{number}].{key}: "
                                   f"{value!r} is used twice")
        seen.add(value)


def build_project(checked: ProjectMetadata, frames: dict[str, Any], links: list[IndicatorLink],
                  actuals: list[Actual], path: str | Path, warnings: list[str] | None = None,
                  reports: dict[str, LoadReport] | None = None) -> Project:
    """The Project of validated metadata and its tables (``frames`` by table name, with the
    ``reports`` of reading them)."""
    groups = [LayerGroup(g.id, g.title_zh, g.title_en) for g in checked.groups]
    known = {g.id for g in groups}
    layers: list[MapLayer] = []
    for entry in checked.layers:
        group = entry.group or USER_GROUP
        if group not in known:
            # As QGIS keeps a layer whose group is gone: show it in a group of its own name.
            groups.append(LayerGroup(group, *(("用户图层", "User layers") if group == USER_GROUP
                                              else (group, group))))
            known.add(group)
            if warnings is not None:
                warnings.append(f"{Path(path).name}: layer {entry.id!r} is in group {group!r}, which "
                                "the project does not list; it was added")
        if entry.kind == "tiles" and entry.source is not None:
            source = entry.source.built()
            if source.kind == "mbtiles" and not Path(source.path).is_absolute():
                source = replace(source, path=str(Path(path).parent / source.path))
            layers.append(TileLayer(id=entry.id, title_zh=entry.title_zh, title_en=entry.title_en,
                                    source=source, group=group, visible=entry.visible,
                                    opacity=entry.opacity, metadata=entry.metadata))
            continue
        layers.append(VectorLayer(
            id=entry.id, title_zh=entry.title_zh, title_en=entry.title_en, frame=frames[entry.table],
            style=entry.built_style(), group=group, visible=entry.visible, opacity=entry.opacity,
            label_field=entry.label_field, metadata=entry.metadata,
            field_aliases={column: dict(names) for column, names in entry.field_aliases.items()},
            load_report=(reports or {}).get(entry.table)))
    categories, indicators = checked.indicators.definitions()
    info = checked.project
    project = Project(
        title_zh=info.title_zh, title_en=info.title_en, groups=groups, layers=layers,
        indicators=IndicatorCatalog(categories=categories, indicators=indicators, links=links),
        canvas_crs=info.canvas_crs, attribution=info.attribution,
        metadata={**info.metadata, "path": str(path)},
        layouts=[Layout.from_dict(entry).to_dict() for entry in checked.layouts])
    project.indicators.actuals.replace_all(actuals)
    return project


def links_from_rows(rows: pd.DataFrame, path: Path) -> list[IndicatorLink]:
    missing = [c for c in ("feature_id", "indicator_id") if c not in rows.columns]
    if missing:
        raise GisIOError(path, f"damaged indicator links: the {LINKS_TABLE} table has no "
                               f"{' or '.join(missing)} column")
    columns = [c for c in ("feature_id", "indicator_id", "relation", "note") if c in rows.columns]
    return [IndicatorLink(**{c: _cell(row[c]) for c in columns}) for row in rows[columns].to_dict("records")]


def _read_actual_rows(path: Path) -> pd.DataFrame:
    # SQLite keeps the type of each value: GDAL would read a year of 2021.9 stored in the
    # integer column as 2021, and text in the value column as 0.
    return pyogrio.read_dataframe(
        path, read_geometry=False,
        sql=f"SELECT *, typeof(year) AS year_type, quote(year) AS year_text, typeof(value) AS value_type, "
            f"quote(value) AS value_text FROM {ACTUALS_TABLE}")


def actuals_from_rows(rows: pd.DataFrame, path: Path) -> list[Actual]:
    missing = [c for c in ("indicator_id", "year", "value") if c not in rows.columns]
    if missing:
        raise GisIOError(path, f"damaged monitoring values: the {ACTUALS_TABLE} table has no "
                               f"{' or '.join(missing)} column")
    actuals = []
    for number, row in enumerate(rows.to_dict("records"), start=1):
        year, value = row["year"], row["value"]
        stored_year = row.get("year_text", year)
        if row.get("year_type", "integer") != "integer" or not _is_whole_number(year) \
                or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise GisIOError(path, f"damaged monitoring values: row {number}: year: "
                                   f"expected a year, got {_stored(stored_year)}")
        empty = row.get("value_type") == "null" or value is None or pd.isna(value)
        if not empty and (row.get("value_type", "real") not in ("integer", "real")
                          or not isinstance(value, int | float) or not math.isfinite(value)):
            raise GisIOError(path, f"damaged monitoring values: row {number}: value: expected a finite "
                                   f"number or empty, got {_stored(row.get('value_text', value))}")
        actuals.append(Actual(
            indicator_id=_cell(row["indicator_id"]), year=int(year), value=None if empty else float(value),
            feature_id=_cell(row.get("feature_id")), note=_cell(row.get("note"))))
    return actuals


def _stored(text: Any) -> str:
    """An SQL literal as SQLite's quote() wrote it, shown as the user would write it."""
    return (text if len(text) <= 60 else text[:60] + "…") if isinstance(text, str) else shown(text)


def _is_whole_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | np.integer):
        return True
    return isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer()


def _actuals_frame(project: Project) -> pd.DataFrame:
    records = project.indicators.actuals.records()
    return pd.DataFrame({
        "indicator_id": pd.Series([r.indicator_id for r in records], dtype=object),
        "feature_id": pd.Series([r.feature_id for r in records], dtype=object),
        "year": pd.Series([r.year for r in records], dtype="int32"),
        "value": pd.Series([r.value for r in records], dtype="float64"),
        "note": pd.Series([r.note for r in records], dtype=object),
    }, columns=ACTUALS_COLUMNS)


def _cell(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
