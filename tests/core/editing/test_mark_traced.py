"""Marking features as traced over a georeferenced figure: one undoable edit (no Qt)."""

import pytest

from gisapp.core.editing.edits import CompoundEdit
from gisapp.core.editing.ops import EditError, mark_traced, traced_basis
from gisapp.core.editing.session import EditSession
from gisapp.core.model.fields import value_label


def test_mark_traced_sets_quality_and_basis_and_undo_restores_them(bundled_project):
    layer = bundled_project.layer("hitech_clusters")
    before = layer.frame[["geom_quality", "geom_basis"]].copy()
    session = EditSession(bundled_project)
    edit = mark_traced(layer, [2, 0, 2], " layout-figure.png ")
    assert isinstance(edit, CompoundEdit)
    assert edit.label_in("en") == "Mark 2 feature(s) as traced over “layout-figure.png”"
    assert edit.label_in("zh") == "将 2 个要素标记为据“layout-figure.png”描绘"
    session.apply(edit)
    frame = layer.frame
    assert list(frame["geom_quality"].iloc[[0, 2]]) == ["traced", "traced"]
    assert frame["geom_basis"].iloc[0] == traced_basis("layout-figure.png")
    assert frame["geom_quality"].iloc[1] == before["geom_quality"].iloc[1]  # not selected: untouched
    assert session.is_dirty(layer.id)
    session.undo(edit)
    assert layer.frame[["geom_quality", "geom_basis"]].equals(before)
    assert value_label("geom_quality", "traced", "zh") == "描绘"
    assert value_label("geom_quality", "traced", "en") == "Traced"


def test_mark_traced_refuses_nothing_selected_no_figure_or_no_field(bundled_project):
    layer = bundled_project.layer("hitech_clusters")
    with pytest.raises(EditError) as nothing:
        mark_traced(layer, [], "figure.png")
    assert nothing.value.key == "nothing_selected"
    with pytest.raises(EditError) as unnamed:
        mark_traced(layer, [0], "  ")
    assert unnamed.value.key == "no_figure"
    plain = layer.frame.drop(columns=["geom_quality"])
    layer.set_frame(plain)
    with pytest.raises(EditError) as no_field:
        mark_traced(layer, [0], "figure.png")
    assert no_field.value.key == "no_quality_field"
