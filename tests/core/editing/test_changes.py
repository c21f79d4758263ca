"""Which rows differ from the project file, followed edit by edit (no Qt, no file)."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.core.editing import ops as edit_ops
from gisapp.core.editing.edits import (
    AddFeatures,
    CompoundEdit,
    DeleteFeatures,
    ReplaceFrame,
    SetAttribute,
    SetGeometries,
    new_rows,
)
from gisapp.core.editing.session import EditSession
from gisapp.core.model.layer import StoredRows, VectorLayer
from gisapp.core.model.project import Project

FIDS = np.array([10, 11, 12, 13, 20], dtype=np.int64)  # as a file with gaps would hold them


@pytest.fixture
def session():
    frame = gpd.GeoDataFrame({"id": [f"z{i}" for i in range(5)], "jobs": np.arange(5) * 100},
                             geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)], crs="EPSG:4326")
    layer = VectorLayer("zones", "区", "Zones", frame)
    layer.stored = StoredRows(layer.frame, FIDS.copy(), next_fid=31)
    return EditSession(Project(layers=[layer]))


def pending(session):
    return session.row_changes()["zones"].pending()


def written(session):
    """(ids updated, ids inserted, ids deleted)."""
    rows = pending(session)
    return (rows.fids[~rows.added].tolist(), rows.fids[rows.added].tolist(), rows.deleted.tolist())


def test_a_changed_geometry_and_a_changed_value_are_the_rows_to_update(session):
    layer = session.project.layer("zones")
    session.apply(SetGeometries("zones", [1], [shapely.box(0, 0, 9, 9)], project=session.project))
    session.apply(SetAttribute("zones", 3, "jobs", 7, project=session.project))
    rows = pending(session)
    assert written(session) == ([11, 13], [], [])
    assert rows.positions.tolist() == [1, 3]
    assert layer.frame["jobs"].iat[rows.positions[1]] == 7


def test_undo_back_to_the_saved_state_leaves_nothing_to_write(session):
    edit = SetGeometries("zones", [2], [shapely.box(0, 0, 9, 9)], project=session.project)
    session.apply(edit)
    session.undo(edit)
    assert pending(session).is_empty
    session.apply(edit)  # redo
    assert written(session) == ([12], [], [])


def test_after_a_save_undo_makes_the_row_differ_and_redo_makes_it_equal_again(session):
    edit = SetAttribute("zones", 0, "jobs", 5, project=session.project)
    session.apply(edit)
    session.project.layer("zones").stored = StoredRows(session.project.layer("zones").frame,
                                                       session.row_changes()["zones"].fids, 31)
    session.commit()
    assert pending(session).is_empty
    session.undo(edit)
    assert written(session) == ([10], [], [])
    session.apply(edit)
    assert pending(session).is_empty


def test_undo_then_another_edit_of_the_same_row_still_differs(session):
    first = SetAttribute("zones", 4, "jobs", 1, project=session.project)
    session.apply(first)
    layer = session.project.layer("zones")
    layer.stored = StoredRows(layer.frame, session.row_changes()["zones"].fids, 31)
    session.commit()
    session.undo(first)
    session.apply(SetAttribute("zones", 4, "jobs", 2, project=session.project))
    assert written(session) == ([20], [], [])


def test_deleted_rows_are_deleted_and_undoing_the_delete_gives_their_ids_back(session):
    edit = DeleteFeatures("zones", [1, 3])
    session.apply(edit)
    assert written(session) == ([], [], [11, 13])
    assert session.row_changes()["zones"].fids.tolist() == [10, 12, 20]
    session.undo(edit)
    assert pending(session).is_empty
    assert session.row_changes()["zones"].fids.tolist() == FIDS.tolist()


def test_added_rows_get_fresh_ids_and_keep_them_through_undo_and_redo(session):
    layer = session.project.layer("zones")
    edit = AddFeatures("zones", new_rows(layer, [shapely.box(5, 5, 6, 6)], [{"id": "new", "jobs": 1}]))
    session.apply(edit)
    assert written(session) == ([], [31], [])
    assert pending(session).positions.tolist() == [5]
    session.undo(edit)
    assert pending(session).is_empty
    session.apply(edit)
    assert written(session) == ([], [31], [])
    # A value set on the new row does not turn the insert into an update.
    session.apply(SetAttribute("zones", 5, "jobs", 9, project=session.project))
    assert written(session) == ([], [31], [])


def test_a_split_updates_the_stored_row_and_inserts_the_other_piece(session):
    layer = session.project.layer("zones")
    edit = edit_ops.split_features(layer, shapely.LineString([(2.5, -1), (2.5, 2)]), [2])
    assert isinstance(edit, CompoundEdit)
    session.apply(edit)
    updated, inserted, deleted = written(session)
    assert (updated, inserted, deleted) == ([12], [31], [])
    assert len(session.row_changes()["zones"].fids) == len(layer.frame) == 6
    session.undo(edit)
    assert pending(session).is_empty


def test_replacing_the_whole_table_asks_for_a_rewrite_until_undone(session):
    layer = session.project.layer("zones")
    edit = ReplaceFrame("zones", layer.frame.iloc[:2].copy())
    session.apply(edit)
    assert pending(session) is None
    session.undo(edit)
    assert pending(session).is_empty


def test_a_frame_changed_outside_the_session_is_no_longer_followed(session):
    layer = session.project.layer("zones")
    session.apply(SetAttribute("zones", 0, "jobs", 5, project=session.project))
    layer.set_frame(layer.frame.iloc[::-1])
    assert "zones" not in session.row_changes()
    session.apply(SetAttribute("zones", 0, "jobs", 6, project=session.project))
    assert "zones" not in session.row_changes()


def test_a_merge_updates_the_kept_row_and_deletes_the_others(session):
    layer = session.project.layer("zones")
    session.apply(edit_ops.merge_features(layer, [1, 2, 3], keep_row=2))
    updated, inserted, deleted = written(session)
    assert inserted == [] and set(deleted) | set(updated) == {11, 12, 13} and 12 not in deleted
    assert session.row_changes()["zones"].fids.tolist() == [
        fid for fid in FIDS.tolist() if fid not in deleted]


def test_discard_keeps_the_rows_known_and_clean(session):
    layer = session.project.layer("zones")
    session.apply(DeleteFeatures("zones", [0]))
    session.discard("zones")
    assert layer.stored.frame is layer.frame and len(layer.frame) == 5
    assert pending(session).is_empty


def test_rows_in_any_order_are_found(session):
    layer = session.project.layer("zones")
    layer.stored.fids = np.array([20, 13, 12, 11, 10])
    session.start("zones")
    session.apply(SetAttribute("zones", 0, "jobs", 1, project=session.project))
    assert written(session) == ([20], [], [])
