"""Field calculator edits (a column set at many rows, a new field), renames and aliases: undo,
and saved to a real GeoPackage and read back (in place where the table still fits, else by
the atomic rewrite)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from gisapp.core.editing.edits import (
    DECLARED_TYPES_ATTR,
    AddField,
    RenameLayer,
    SetFieldAliases,
    SetFieldValues,
)
from gisapp.core.editing.session import EditSession
from gisapp.io.field_types import FIELD_TYPES
from gisapp.io.project_gpkg import load_project, save_project
from tests.io.test_save_in_place import parcels_project, table_rows


@pytest.fixture
def opened(tmp_path):
    path = tmp_path / "plan.gpkg"
    save_project(parcels_project(), path)
    project = load_project(path)
    return path, project, EditSession(project)


def test_the_declared_types_attribute_is_the_one_io_reads():
    assert DECLARED_TYPES_ATTR == FIELD_TYPES


def test_updating_a_field_for_selected_rows_is_saved_in_place_and_undone(opened):
    path, project, session = opened
    layer = project.layer("parcels")
    before = table_rows(path)
    old_far = layer.frame["far"].copy()
    rows = np.array([10, 3, 250])
    session.apply(edit := SetFieldValues("parcels", "far", rows, pd.Series([9.5, 8.5, 7.5])))
    assert layer.frame["far"].iloc[[3, 10, 250]].tolist() == [8.5, 9.5, 7.5]
    assert edit.label_in("en") == "Calculate far for 3 features"
    assert save_project(project, path, session.row_changes()) == "in_place"
    session.commit()
    after = table_rows(path)
    assert {fid for fid in before if before[fid] != after[fid]} == {4, 11, 251}
    assert load_project(path).layer("parcels").frame["far"].iloc[[3, 10, 250]].tolist() == [8.5, 9.5, 7.5]
    session.undo(edit)
    pd.testing.assert_series_equal(layer.frame["far"], old_far)
    assert save_project(project, path, session.row_changes()) == "in_place"
    assert table_rows(path) == before


@pytest.mark.parametrize(("field_type", "values", "declared"), [
    ("integer", pd.array([1, None, 3] + [4] * 297, dtype="Int64"), "INTEGER"),
    ("real", pd.Series([0.5] * 300, dtype=float), "REAL"),
    ("text", pd.Series(["规划"] * 299 + [None], dtype=object), "TEXT"),
    ("date", pd.Series(pd.to_datetime(["2025-06-30"] * 300)), "DATE"),
])
def test_a_new_field_is_saved_with_its_type_and_undo_removes_it(opened, field_type, values, declared):
    path, project, session = opened
    layer = project.layer("parcels")
    columns = list(layer.frame.columns)
    edit = AddField("parcels", "calc", field_type, pd.Series(values))
    session.apply(edit)
    assert list(layer.frame.columns) == [*columns[:-1], "calc", columns[-1]]  # before the geometry
    # The table no longer fits the layer: the atomic rewrite writes the new column.
    assert save_project(project, path, session.row_changes()) == "rewrite"
    session.commit()
    with sqlite3.connect(path) as db:
        types = {row[1]: row[2] for row in db.execute("PRAGMA table_info(parcels)")}
    assert types["calc"].upper() == declared
    reopened = load_project(path).layer("parcels").frame["calc"]
    expected = pd.Series(values)
    assert reopened.isna().tolist() == expected.isna().tolist()
    if field_type == "date":
        assert str(pd.Timestamp(reopened.iloc[0]).date()) == "2025-06-30"
    else:
        assert reopened.dropna().tolist() == expected.dropna().tolist()
    session.undo(edit)
    assert list(layer.frame.columns) == columns
    assert save_project(project, path, session.row_changes()) == "rewrite"
    assert "calc" not in load_project(path).layer("parcels").frame.columns


def test_an_existing_field_name_is_refused(opened):
    _path, project, session = opened
    with pytest.raises(ValueError, match="already has a field"):
        session.apply(AddField("parcels", "far", "real", pd.Series([1.0] * 300)))
    assert list(project.layer("parcels").frame["far"])[:2] != [1.0, 1.0]


def test_rename_and_aliases_are_undoable_and_saved(opened):
    path, project, session = opened
    layer = project.layer("parcels")
    rename = RenameLayer("parcels", "新地块", "New parcels")
    alias = SetFieldAliases("parcels", "far", {"zh": "容积率", "en": "Floor area ratio"})
    session.apply(rename)
    session.apply(alias)
    assert (layer.title_zh, layer.title_en) == ("新地块", "New parcels")
    assert layer.field_aliases["far"] == {"zh": "容积率", "en": "Floor area ratio"}
    assert rename.label_in("zh") == "将图层重命名为“新地块”" and project.modified
    assert not session.is_editing("parcels"), "renaming opens no edit buffer"
    save_project(project, path, session.row_changes())
    reopened = load_project(path).layer("parcels")
    assert (reopened.title_zh, reopened.title_en) == ("新地块", "New parcels")
    assert reopened.field_aliases["far"] == {"zh": "容积率", "en": "Floor area ratio"}
    session.undo(alias)
    session.undo(rename)
    assert (layer.title_zh, layer.title_en) == ("地块", "Parcels") and "far" not in layer.field_aliases
