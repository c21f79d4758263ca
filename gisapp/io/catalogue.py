"""Load the bundled layer catalogue (layers/manifest.json) as a Project."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import Style
from gisapp.core.plan.indicators import IndicatorCatalog
from gisapp.io.errors import GisIOError
from gisapp.paths import bundled_manifest


def load_catalogue(manifest_path: str | Path | None = None) -> Project:
    """Read the manifest, every layer file it names, the indicators and their links."""
    manifest_path = Path(manifest_path) if manifest_path else bundled_manifest()
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GisIOError(manifest_path, f"the catalogue manifest cannot be read ({exc})") from exc
    folder = manifest_path.parent
    project_info = manifest.get("project", {})
    groups = [LayerGroup(g["id"], g["title_zh"], g["title_en"]) for g in manifest["groups"]]
    layers = []
    for entry in manifest["layers"]:
        file_path = folder / entry["file"]
        try:
            frame = pyogrio.read_dataframe(file_path)
        except Exception as exc:
            raise GisIOError(file_path, f"catalogue layer cannot be read ({exc})") from exc
        layers.append(VectorLayer(
            id=entry["id"], title_zh=entry["title_zh"], title_en=entry["title_en"], frame=frame,
            style=Style.from_dict(entry.get("style", {"type": "single"})),
            group=entry.get("group", ""), visible=bool(entry.get("visible", True)),
            opacity=float(entry.get("opacity", 1.0)), label_field=entry.get("label_field", ""),
            metadata={k: v for k, v in entry.items()
                      if k.startswith("provenance") or k in ("file", "geometry_type")},
        ))
    indicators_path = folder / "indicators.json"
    indicators = (IndicatorCatalog.load(indicators_path, folder / "indicator_links.csv")
                  if indicators_path.exists() else IndicatorCatalog())
    project = Project(
        title_zh=project_info.get("title_zh", "大连高新区规划"),
        title_en=project_info.get("title_en", "Dalian High-tech Zone plan"),
        groups=groups, layers=layers, indicators=indicators,
        attribution=project_info.get("attribution", ""),
        metadata={"source": str(manifest_path)},
    )
    project.set_modified(False)
    return project
