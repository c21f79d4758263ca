"""The build script reproduces the committed catalogue in layers/ exactly.

Builds into a temporary directory and compares it with the committed files, so
any change to a source row (layers/source/) or to the geometry code shows up
here until the catalogue is rebuilt and committed.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("catalogue_build")  # one build, on one worker

LAYERS = Path(__file__).resolve().parents[2] / "layers"


def _load_build_module():
    spec = importlib.util.spec_from_file_location("build_catalogue", LAYERS / "build_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("catalogue")
    _load_build_module().main(["--out", str(out)])
    return out


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _committed_layer_files() -> list[str]:
    return [lyr["file"] for lyr in _json(LAYERS / "manifest.json")["layers"]]


def test_build_writes_exactly_the_committed_files(built):
    committed = {p.name for p in LAYERS.iterdir() if p.suffix in (".geojson", ".json", ".csv")}
    assert {p.name for p in built.iterdir()} == committed


def test_manifest_matches_committed(built):
    assert _json(built / "manifest.json") == _json(LAYERS / "manifest.json")


def test_indicators_match_committed(built):
    new, old = _json(built / "indicators.json"), _json(LAYERS / "indicators.json")
    assert new["categories"] == old["categories"]
    assert [i["id"] for i in new["indicators"]] == [i["id"] for i in old["indicators"]]
    for new_ind, old_ind in zip(new["indicators"], old["indicators"], strict=True):
        assert new_ind == old_ind, new_ind["id"]
    assert new == old


def test_indicator_links_match_committed(built):
    assert _csv_rows(built / "indicator_links.csv") == _csv_rows(LAYERS / "indicator_links.csv")


@pytest.mark.parametrize("file", _committed_layer_files())
def test_layer_features_match_committed(built, file):
    new, old = _json(built / file), _json(LAYERS / file)
    assert [f["properties"]["id"] for f in new["features"]] == [
        f["properties"]["id"] for f in old["features"]
    ]
    for new_f, old_f in zip(new["features"], old["features"], strict=True):
        fid = old_f["properties"]["id"]
        assert new_f["properties"] == old_f["properties"], fid
        assert new_f["geometry"] == old_f["geometry"], fid
    assert new == old
