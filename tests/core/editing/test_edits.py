"""Edits as plain objects: do/undo restore exact data, labels, buffers, typed values (no Qt)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.core.editing import ops as edit_ops
from gisapp.core.editing.edits import (
    AddFeatures,
    CompoundEdit,
    DeleteFeatures,
    FieldValueError,
    ReplaceFrame,
    SetAttribute,
    SetGeometries,
    coerce_value,
    new_rows,
)
from gisapp.core.editing.session import EditSession, EditSessionError
from gisapp.core.model.layer import VectorLayer

SECTORS = "hitech_city_sectors"


def frame_equal(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> bool:
    """Same columns, dtypes, values and bit-identical geometries."""
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    if not a.dtypes.equals(b.dtypes):
        return False
    geoms_equal = all(x.equals_exact(y, 0) and shapely.get_coordinates(x).tobytes() ==
                      shapely.get_coordinates(y).tobytes() for x, y in zip(a.geometry, b.geometry, strict=True))
    return geoms_equal and a.drop(columns=a.geometry.name).equals(b.drop(columns=b.geometry.name))


@pytest.fixture
def session(bundled_project):
    return EditSession(bundled_project)


def roundtrip(session, edit):
    """Apply, undo, redo: returns the frames (before, after) and checks exact restoration."""
    layers = [session.project.layer(i) for i in edit.layer_ids()]
    before = [layer.frame.copy() for layer in layers]
    session.apply(edit)
    after = [layer.frame.copy() for layer in layers]
    session.undo(edit)
    for layer, frame in zip(layers, before, strict=True):
        assert frame_equal(layer.frame, frame), f"undo of {edit.label} did not restore {layer.id}"
    session.apply(edit)
    for layer, frame in zip(layers, after, strict=True):
        assert frame_equal(layer.frame, frame), f"redo of {edit.label} differs"
    return before, after


def test_set_geometries_undo_restores_exact_coordinates(session):
    layer = session.project.layer(SECTORS)
    old = layer.frame.geometry.iloc[2]
    # A move in another CRS and back is not bit-exact; the edit must not rely on that.
    moved = shapely.transform(old, lambda c: c + 1e-7 / 3)
    edit = SetGeometries(SECTORS, [2], [moved], project=session.project, kind="move_vertex")
    before, after = roundtrip(session, edit)
    assert edit.label == "Move vertex"
    assert after[0].geometry.iloc[2].equals_exact(moved, 0)


def test_add_and_delete_features_keep_positions_dtypes_and_selection(session):
    layer = session.project.layer(SECTORS)
    frame = layer.frame.copy()
    frame["jobs"] = pd.Series([1, 2, 3, 4], dtype="int64")
    layer.set_frame(frame)
    add = AddFeatures(SECTORS, new_rows(layer, [shapely.box(121.5, 38.8, 121.51, 38.81)]))
    _before, after = roundtrip(session, add)
    assert after[0]["jobs"].dtype == "Int64" and pd.isna(after[0]["jobs"].iloc[-1])
    assert layer.selection.tolist() == [4]
    session.undo(add)
    assert layer.frame["jobs"].dtype == np.int64, "undo gives back the column's own type"
    delete = DeleteFeatures(SECTORS, [2, 0], kind="delete_features", params={"n": 2})
    assert delete.label == "Delete 2 features"
    roundtrip(session, delete)
    assert len(layer) == 2
    session.undo(delete)
    assert layer.selection.tolist() == [0, 2]


def test_set_attribute_and_label(session):
    edit = SetAttribute(SECTORS, 1, "name_en", "Transfer area", project=session.project)
    roundtrip(session, edit)
    assert edit.label == "Set name_en to “Transfer area”"
    assert edit.label_in("zh") == "将 name_en 设为“Transfer area”"


def test_compound_split_and_merge_undo_exactly(session):
    layer = session.project.layer(SECTORS)
    geom = layer.frame.geometry.iloc[3]
    x0, y0, x1, y1 = geom.bounds
    cut = shapely.LineString([((x0 + x1) / 2, y0 - 0.01), ((x0 + x1) / 2, y1 + 0.01)])
    split = edit_ops.split_features(layer, cut, rows=[3])
    assert isinstance(split, CompoundEdit)
    _before, after = roundtrip(session, split)
    assert len(after[0]) == 5
    assert split.label == "Split Innovation eco-community into 2 parts"
    assert split.label_in("zh") == "将创新生态社区分割为 2 块"
    merge = edit_ops.merge_features(layer, [3, 4], keep_row=3)
    roundtrip(session, merge)
    assert len(layer) == 4
    assert layer.frame["id"].iloc[3] == "hitech.city.yingeshi.sector.eco_community"
    assert layer.frame.geometry.iloc[3].area == pytest.approx(geom.area, rel=1e-12)


def test_split_requires_a_crossing_line_and_keeps_the_largest_piece(session):
    layer = session.project.layer(SECTORS)
    geom = layer.frame.geometry.iloc[3]
    inside = shapely.LineString([geom.centroid.coords[0], (geom.centroid.x + 1e-4, geom.centroid.y)])
    with pytest.raises(edit_ops.EditError) as info:
        edit_ops.split_features(layer, inside, rows=[3])
    assert info.value.key == "split_no_cross"
    x0, y0, x1, y1 = geom.bounds
    # A cut that starts and ends exactly on the boundary still cuts (it is lengthened a little).
    x = x0 + 0.3 * (x1 - x0)
    line = shapely.LineString([(x, y0 - 1), (x, y1 + 1)]).intersection(geom)
    edit = edit_ops.split_features(layer, line, rows=[3], extend=1e-6)
    session.apply(edit)
    pieces = layer.frame.geometry.iloc[[3, 4]]
    assert pieces.iloc[0].area > pieces.iloc[1].area


def test_paste_reprojects_and_keeps_ids_unique(session):
    project = session.project
    source = project.layer(SECTORS)
    target_frame = source.frame.iloc[:1].to_crs("EPSG:3857")
    target = VectorLayer("copies", "副本", "Copies", target_frame)
    project.add_layer(target)
    edit = edit_ops.paste_features(target, source.frame.iloc[[0, 1]], source.crs)
    roundtrip(session, edit)
    assert target.frame["id"].tolist()[1:] == [source.frame["id"].iloc[0] + ".copy2",
                                              source.frame["id"].iloc[1]]
    assert target.frame.geometry.iloc[2].bounds[0] > 1e7, "pasted features are in the target CRS"


def test_recovery_frame_replacement_is_one_undoable_edit(session):
    layer = session.project.layer(SECTORS)
    new = layer.frame.iloc[:2].copy()
    roundtrip(session, CompoundEdit([ReplaceFrame(SECTORS, new)], kind="recover"))
    assert len(layer) == 2


def test_edit_session_tracks_unsaved_edits_commit_discard_and_stop(session):
    layer = session.project.layer(SECTORS)
    original = layer.frame.copy()
    changes = []
    session.changed.connect(changes.append)
    edit = SetAttribute(SECTORS, 0, "name_en", "x", project=session.project)
    session.apply(edit)  # applying starts editing
    assert session.is_editing(SECTORS) and session.is_dirty(SECTORS) and changes
    with pytest.raises(EditSessionError):
        session.stop(SECTORS)
    session.undo(edit)
    assert not session.is_dirty(), "undo back to the saved state is clean"
    session.apply(edit)
    session.commit()
    assert not session.is_dirty()
    session.undo(edit)
    assert session.is_dirty(), "undo after save makes the layer dirty again"
    session.apply(edit)
    assert not session.is_dirty()
    second = SetAttribute(SECTORS, 1, "name_en", "y", project=session.project)
    session.apply(second)
    session.discard(SECTORS)
    assert layer.frame["name_en"].iloc[0] == "x" and layer.frame["name_en"].iloc[1] == original["name_en"].iloc[1]
    assert not session.is_dirty()
    session.stop(SECTORS)
    assert not session.is_editing(SECTORS)


@pytest.mark.parametrize(("dtype", "text", "expected"), [
    ("int64", "7,000", 7000), ("int64", "12.0", 12), ("Int64", "", pd.NA), ("float64", "0.25", 0.25),
    ("float64", "", np.nan), ("bool", "yes", True), ("bool", "否", False), ("str", " 前沿 ", "前沿"),
])
def test_coerce_value_keeps_the_field_type(dtype, text, expected):
    frame = pd.DataFrame({"f": pd.Series([], dtype=dtype)})
    value = coerce_value(frame, "f", text)
    if expected is pd.NA:
        assert value is pd.NA
    elif isinstance(expected, float) and np.isnan(expected):
        assert np.isnan(value)
    else:
        assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(("dtype", "text", "key"), [
    ("int64", "7k", "not_integer"), ("int64", "1.5", "not_integer"), ("int64", "", "required_integer"),
    ("int32", "99999999999", "out_of_range"), ("float64", "abc", "not_number"), ("bool", "maybe", "not_boolean"),
])
def test_values_that_do_not_fit_are_refused_with_a_reason(dtype, text, key):
    frame = pd.DataFrame({"f": pd.Series([], dtype=dtype)})
    with pytest.raises(FieldValueError) as info:
        coerce_value(frame, "f", text)
    assert info.value.key == key


def test_new_feature_ids_follow_the_layer_and_inherit_the_shared_parent(bundled_project):
    layer = bundled_project.layer(SECTORS)
    edit = edit_ops.add_feature(layer, shapely.Polygon([(121.5, 38.8), (121.5, 38.81), (121.51, 38.8)]))
    row = edit.rows.iloc[0]
    assert row["id"] == "hitech.city.yingeshi.sector.new1"
    assert row["parent_id"] == "hitech.city.yingeshi"
    assert row.geometry.exterior.is_ccw, "clockwise drawings are stored counter-clockwise"
    assert edit.label == "Add polygon"
