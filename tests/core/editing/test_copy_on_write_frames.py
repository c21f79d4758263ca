"""A geometry edit builds the layer's next frame without copying every geometry pointer on the
UI thread: it reuses the array of a former frame nothing holds any more, brought up to date in
the rows that changed since, or the copy a worker made ahead. Frames someone still holds (the
edit buffer's committed frame, a save or a render of an older frame) are never changed."""

import geopandas as gpd
import numpy as np
import shapely

from gisapp.core.editing.edits import SetGeometries
from gisapp.core.editing.session import EditSession
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project

N = 200_000


def _layer() -> VectorLayer:
    x = np.arange(N, dtype=float)
    return VectorLayer("pts", "点", "Points", gpd.GeoDataFrame({"id": np.arange(N)}, geometry=shapely.points(x, x),
                                                                crs="EPSG:3857"))


def _values(layer: VectorLayer) -> np.ndarray:
    return np.asarray(layer.frame.geometry.array, dtype=object)


def _memory(layer: VectorLayer) -> np.ndarray:
    """The array that owns the frame's geometry pointers (pandas keeps a view of it)."""
    values = _values(layer)
    return values if values.base is None else values.base


def _move(session: EditSession, project: Project, row: int, to: float) -> SetGeometries:
    edit = SetGeometries("pts", [row], [shapely.Point(to, -to)], project=project, kind="move_vertex")
    session.apply(edit)
    return edit


def test_edits_reuse_former_arrays_and_never_change_a_held_frame(monkeypatch):
    layer = _layer()
    project = Project(layers=[layer])
    session = EditSession(project)
    committed = layer.frame  # the edit buffer keeps it for Discard edits
    committed_values = _values(layer).copy()

    copies = []
    real_array = np.array

    def counting_array(obj, *args, **kwargs):
        if kwargs.get("copy") and isinstance(obj, np.ndarray) and len(obj) == N:
            copies.append(len(obj))
        return real_array(obj, *args, **kwargs)

    monkeypatch.setattr("gisapp.core.model.layer.np.array", counting_array)
    edits = [_move(session, project, 0, 1e6)]
    assert len(copies) == 1, "the first edit of a frame still held elsewhere copies the pointers once"
    held = layer.frame  # e.g. a background save of this state still runs
    held_values = _values(layer).copy()
    edits.append(_move(session, project, 1, 2e6))
    assert len(copies) == 2, "the frame before is held: a copy"
    del held
    arrays = {id(_memory(layer))}
    for i in range(2, 12):
        edits.append(_move(session, project, i, (i + 1) * 1e6))
        arrays.add(id(_memory(layer)))
    assert len(copies) == 2, "once former frames are free, edits reuse their arrays"
    assert len(arrays) <= 3, "the frames take turns on a few arrays"
    coords = shapely.get_coordinates(layer.frame.geometry.array[:14])
    assert coords[:12, 0].tolist() == [(i + 1) * 1e6 for i in range(12)]
    assert coords[12:, 0].tolist() == [12.0, 13.0], "rows nobody edited are the original ones"
    assert all(a is b for a, b in zip(_values(layer)[12:], committed_values[12:], strict=True))

    for edit in reversed(edits):
        session.undo(edit)
    assert all(a is b for a, b in zip(_values(layer), committed_values, strict=True)), "undo restores every row"
    assert all(a is b for a, b in zip(np.asarray(committed.geometry.array), committed_values, strict=True)), \
        "the committed frame was never changed"
    assert held_values[0].x == 1e6 and held_values[1].x == 1.0


def test_the_copy_a_worker_made_is_used_by_the_next_edit(monkeypatch):
    layer = _layer()
    project = Project(layers=[layer])
    session = EditSession(project)
    session.start("pts")
    assert layer.prepare_edit_copy(), "no former array to reuse: the worker copies"
    prepared = layer._edit_copy[1]
    _move(session, project, 7, 5e6)
    assert _memory(layer) is prepared
    assert shapely.get_coordinates(layer.frame.geometry.array[7]).tolist() == [[5e6, -5e6]]
    # The committed frame still has its own array: the next copy is made by the worker too, and
    # an edit that came meanwhile makes the worker's copy stale (it is not used).
    assert layer.prepare_edit_copy() is False or layer._edit_copy is not None


def test_a_frame_that_shares_its_geometries_with_a_held_one_is_not_reused():
    """An attribute edit's frame shares the geometry memory of the frame before it: while that
    one is held, the memory is not written, however many edits follow."""
    from gisapp.core.editing.edits import SetAttribute

    layer = _layer()
    project = Project(layers=[layer])
    session = EditSession(project)
    _move(session, project, 0, 1e6)
    held = layer.frame
    held_values = _values(layer).copy()
    session.apply(SetAttribute("pts", 3, "id", -3, project=project))
    for i in range(1, 8):
        _move(session, project, i, (i + 1) * 1e6)
    assert all(a is b for a, b in zip(np.asarray(held.geometry.array), held_values, strict=True))
    assert shapely.get_coordinates(layer.frame.geometry.array[:8])[:, 0].tolist() == [(i + 1) * 1e6 for i in range(8)]
