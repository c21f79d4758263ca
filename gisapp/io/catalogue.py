"""Load the bundled layer catalogue (layers/manifest.json) as a Project.

The manifest and ``indicators.json`` are checked against the schema of
:mod:`gisapp.io.project_schema` like a project file's metadata: a hand-edited catalogue
with a wrong value raises :class:`GisIOError` saying ``damaged catalogue manifest: ...``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyogrio

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.tile_layer import MapLayer
from gisapp.core.plan.indicators import IndicatorCatalog, IndicatorLink
from gisapp.io.errors import GisIOError
from gisapp.io.project_schema import CatalogueManifest, IndicatorsEntry, check
from gisapp.paths import bundled_manifest


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise GisIOError(path, f"the {what} cannot be read ({exc})") from exc


def load_catalogue(manifest_path: str | Path | None = None, warnings: list[str] | None = None) -> Project:
    """Read the manifest, every layer file it names, the indicators and their links."""
    manifest_path = Path(manifest_path) if manifest_path else bundled_manifest()
    manifest = check(CatalogueManifest, _read_json(manifest_path, "catalogue manifest"), manifest_path,
                     "catalogue manifest", warnings)
    folder = manifest_path.parent
    layers: list[MapLayer] = []
    for entry in manifest.layers:
        file_path = folder / entry.file
        try:
            frame = pyogrio.read_dataframe(file_path)
        except Exception as exc:
            raise GisIOError(file_path, f"catalogue layer cannot be read ({exc})") from exc
        layers.append(VectorLayer(
            id=entry.id, title_zh=entry.title_zh, title_en=entry.title_en, frame=frame,
            style=entry.built_style(), group=entry.group, visible=entry.visible,
            opacity=entry.opacity, label_field=entry.label_field, label_style=entry.built_labels(),
            metadata={**entry.provenance(), "file": entry.file,
                      **({"geometry_type": entry.geometry_type} if entry.geometry_type else {})},
        ))
    indicators_path = folder / "indicators.json"
    indicators = (_load_indicators(indicators_path, folder / "indicator_links.csv", warnings)
                  if indicators_path.exists() else IndicatorCatalog())
    info = manifest.project
    project = Project(
        title_zh=info.title_zh, title_en=info.title_en,
        groups=[LayerGroup(g.id, g.title_zh, g.title_en) for g in manifest.groups],
        layers=layers, indicators=indicators, attribution=info.attribution,
        metadata={"source": str(manifest_path)},
    )
    project.set_modified(False)
    return project


def _load_indicators(indicators_path: Path, links_path: Path, warnings: list[str] | None) -> IndicatorCatalog:
    checked = check(IndicatorsEntry, _read_json(indicators_path, "indicator table"), indicators_path,
                    "indicator table", warnings)
    categories, indicators = checked.definitions()
    links: list[IndicatorLink] = []
    if links_path.exists():
        try:
            with open(links_path, encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = {"feature_id", "indicator_id"} - set(reader.fieldnames or [])
                if missing:
                    raise GisIOError(links_path, f"damaged indicator links: no {' or '.join(sorted(missing))} column")
                links = [IndicatorLink(row["feature_id"] or "", row["indicator_id"] or "",
                                       "carries" if row.get("relation") is None else row["relation"],
                                       row.get("note") or "")
                         for row in reader]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise GisIOError(links_path, f"the indicator links cannot be read ({exc})") from exc
    return IndicatorCatalog(categories=categories, indicators=indicators, links=links)
