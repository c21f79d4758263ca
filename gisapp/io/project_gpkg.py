"""Save and open a whole project as one GeoPackage (opens in QGIS too).

Layers are feature tables named after the layer ids. Beside them:
- ``gisapp_project``: key/value rows with JSON values (project, groups, layer list
  with styles and order, indicator definitions);
- ``gisapp_indicator_links``: feature-to-indicator links;
- ``gisapp_indicator_actuals``: monitoring values (indicator, feature or '' for zone-wide,
  year, value, note). Files written before it existed open with no actuals.
Saving is atomic (see :mod:`gisapp.io.atomic`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyogrio

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import Style
from gisapp.core.plan.actuals import Actual
from gisapp.core.plan.indicators import IndicatorCatalog, IndicatorLink
from gisapp.io.atomic import atomic_path, crash_point
from gisapp.io.errors import GisIOError
from gisapp.io.vector import open_vector_file

FORMAT_VERSION = 1
META_TABLE = "gisapp_project"
LINKS_TABLE = "gisapp_indicator_links"
ACTUALS_TABLE = "gisapp_indicator_actuals"
ACTUALS_COLUMNS = ["indicator_id", "feature_id", "year", "value", "note"]


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
    used: set[str] = {META_TABLE, LINKS_TABLE, ACTUALS_TABLE}
    layer_entries = []
    try:
        with atomic_path(path) as temp:
            for number, layer in enumerate(project.layers, start=1):
                table = _table_name(layer.id, used)
                pyogrio.write_dataframe(layer.frame, temp, layer=table, driver="GPKG",
                                        geometry_type="Unknown", promote_to_multi=False)
                crash_point(f"after_layer:{number}")
                layer_entries.append({
                    "id": layer.id, "table": table, "title_zh": layer.title_zh,
                    "title_en": layer.title_en, "group": layer.group, "visible": layer.visible,
                    "opacity": layer.opacity, "label_field": layer.label_field,
                    "style": layer.style.to_dict(), "metadata": layer.metadata,
                })
            meta = {
                "format_version": FORMAT_VERSION,
                "project": {"title_zh": project.title_zh, "title_en": project.title_en,
                            "canvas_crs": project.canvas_crs, "attribution": project.attribution,
                            "metadata": project.metadata},
                "groups": [vars(g) for g in project.groups],
                "layers": layer_entries,
                "indicators": project.indicators.to_json_dict(),
            }
            rows = pd.DataFrame({"key": list(meta),
                                 "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})
            pyogrio.write_dataframe(rows, temp, layer=META_TABLE, driver="GPKG")
            links = pd.DataFrame([vars(link) for link in project.indicators.links],
                                 columns=["feature_id", "indicator_id", "relation", "note"])
            pyogrio.write_dataframe(links.astype(str), temp, layer=LINKS_TABLE, driver="GPKG")
            pyogrio.write_dataframe(_actuals_frame(project), temp, layer=ACTUALS_TABLE, driver="GPKG")
    except GisIOError:
        raise
    except OSError as exc:
        raise GisIOError(path, f"the project could not be saved ({exc.strerror or exc})") from exc
    except Exception as exc:
        raise GisIOError(path, f"the project could not be saved ({exc})") from exc
    project.metadata["path"] = str(path)
    project.set_modified(False)


def is_project_file(path: str | Path) -> bool:
    try:
        return META_TABLE in {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception:
        return False


def load_project(path: str | Path) -> Project:
    """Open a project GeoPackage; a plain GeoPackage opens as a project of its layers."""
    path = Path(path)
    if not path.exists():
        raise GisIOError(path, "the file does not exist")
    if not is_project_file(path):
        project = Project(title_zh=path.stem, title_en=path.stem)
        for layer in reversed(open_vector_file(path)):
            project.add_layer(layer)
        project.set_modified(False)
        return project
    try:
        rows = pyogrio.read_dataframe(path, layer=META_TABLE)
        meta = {key: json.loads(value) for key, value in zip(rows["key"], rows["value"], strict=True)}
        if int(meta.get("format_version", 0)) > FORMAT_VERSION:
            raise GisIOError(path, "the project was written by a newer gisapp; update to open it")
        link_rows = pyogrio.read_dataframe(path, layer=LINKS_TABLE)
        actuals = _read_actuals(path)
        links = [IndicatorLink(**{k: str(v) for k, v in row.items()})
                 for row in link_rows.to_dict("records")]
        layers = []
        for entry in meta["layers"]:
            frame = pyogrio.read_dataframe(path, layer=entry["table"])
            layers.append(VectorLayer(
                id=entry["id"], title_zh=entry["title_zh"], title_en=entry["title_en"],
                frame=frame, style=Style.from_dict(entry["style"]), group=entry["group"],
                visible=entry["visible"], opacity=entry["opacity"],
                label_field=entry["label_field"], metadata=entry.get("metadata", {}),
            ))
    except GisIOError:
        raise
    except Exception as exc:
        raise GisIOError(path, f"the project file is damaged or incomplete ({exc})") from exc
    info = meta["project"]
    project = Project(
        title_zh=info["title_zh"], title_en=info["title_en"],
        groups=[LayerGroup(**g) for g in meta["groups"]], layers=layers,
        indicators=IndicatorCatalog.from_json_dict(meta["indicators"], links),
        canvas_crs=info.get("canvas_crs", "EPSG:3857"), attribution=info.get("attribution", ""),
        metadata={**info.get("metadata", {}), "path": str(path)},
    )
    project.indicators.actuals.replace_all(actuals)
    project.set_modified(False)
    return project


def _actuals_frame(project: Project) -> pd.DataFrame:
    records = project.indicators.actuals.records()
    return pd.DataFrame({
        "indicator_id": pd.Series([r.indicator_id for r in records], dtype=object),
        "feature_id": pd.Series([r.feature_id for r in records], dtype=object),
        "year": pd.Series([r.year for r in records], dtype="int32"),
        "value": pd.Series([r.value for r in records], dtype="float64"),
        "note": pd.Series([r.note for r in records], dtype=object),
    }, columns=ACTUALS_COLUMNS)


def _read_actuals(path: Path) -> list[Actual]:
    if ACTUALS_TABLE not in {str(name) for name, _ in pyogrio.list_layers(path)}:
        return []  # written before monitoring values were stored
    rows = pyogrio.read_dataframe(path, layer=ACTUALS_TABLE)
    actuals = []
    for row in rows.to_dict("records"):
        value = row.get("value")
        actuals.append(Actual(
            indicator_id=str(row["indicator_id"]), year=int(row["year"]),
            value=None if value is None or pd.isna(value) else float(value),
            feature_id=_cell(row.get("feature_id")), note=_cell(row.get("note"))))
    return actuals


def _cell(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
