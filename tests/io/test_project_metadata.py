"""Damaged project metadata is refused with a message naming the part, never another exception."""

import pytest
from damaged_projects import DAMAGES, damaged_project, read_meta, saved_project, set_meta

from gisapp.io.catalogue import load_catalogue
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project


@pytest.mark.parametrize("case", list(DAMAGES))
def test_damaged_metadata_is_a_clear_error(tmp_path, case):
    path = damaged_project(tmp_path, case)
    with pytest.raises(GisIOError) as caught:
        load_project(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: damaged "), message
    assert DAMAGES[case][1] in message, message


def test_undamaged_project_opens_without_warnings(tmp_path):
    warnings = []
    project = load_project(saved_project(tmp_path), warnings)
    assert [layer.id for layer in project.layers] == ["points", "zones"]
    assert project.layer("zones").opacity == 0.7
    assert project.indicators.actuals.records()[0].value == 7000.0
    assert warnings == []


def test_unknown_keys_are_ignored_with_a_warning(tmp_path):
    path = saved_project(tmp_path)
    set_meta(path, "groups", [{"id": "plan", "title_zh": "规划", "title_en": "Plan", "colour": "red"}])
    layers = read_meta(path)["layers"]
    layers[0]["opactiy"] = 0.5
    layers[0]["style"]["symbol"]["glow"] = True
    set_meta(path, "layers", layers)
    set_meta(path, "written_by", "another tool")
    warnings = []
    project = load_project(path, warnings)
    assert project.group("plan").title_en == "Plan"
    assert project.layer("points").opacity == 1.0  # the misspelt key is not used...
    assert warnings == [f"{path.name}: project metadata: unknown keys ignored: written_by, groups[0].colour, "
                        "layers[0].opactiy, layers[0].style.symbol.glow"]  # ...but named


def test_layer_in_an_unlisted_group_is_kept_with_a_warning(tmp_path):
    path = saved_project(tmp_path)
    layers = read_meta(path)["layers"]
    layers[0]["group"] = "lost"
    set_meta(path, "layers", layers)
    warnings = []
    project = load_project(path, warnings)
    assert project.layer("points").group == "lost" and project.group("lost") is not None
    assert "group 'lost', which the project does not list" in warnings[0]


def test_newer_format_is_refused_before_the_schema(tmp_path):
    path = saved_project(tmp_path)
    set_meta(path, "format_version", 99)
    set_meta(path, "layers", "a layout this version does not know")
    with pytest.raises(GisIOError, match="written by a newer gisapp"):
        load_project(path)


def test_catalogue_manifest_is_checked_too(tmp_path):
    import json
    import shutil

    from gisapp.paths import layers_dir

    folder = tmp_path / "layers"
    shutil.copytree(layers_dir(), folder, ignore=shutil.ignore_patterns("source", "*.py", "README.md"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["layers"][2]["opacity"] = "abc"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(GisIOError, match=r"manifest.json: damaged catalogue manifest: layers\[2\].opacity: "
                                         r"expected a number from 0 to 1, got 'abc'"):
        load_catalogue(folder / "manifest.json")
    manifest["layers"][2]["opacity"] = 0.5
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    indicators = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))
    indicators["indicators"] = "none"
    (folder / "indicators.json").write_text(json.dumps(indicators), encoding="utf-8")
    with pytest.raises(GisIOError, match="indicators.json: damaged indicator table: indicators: expected a list"):
        load_catalogue(folder / "manifest.json")


def test_bundled_catalogue_has_no_unknown_keys():
    warnings = []
    load_catalogue(warnings=warnings)
    assert warnings == []
