"""Edit > Mark as traced over a figure: the selected features, one undo step, shown in the panel."""

from tests.ui.editing.editing_helpers import prepare


def test_mark_traced_from_the_edit_menu_shows_in_the_identify_panel_and_undoes(make_window):
    window = make_window("en")
    clusters = prepare(window, "hitech_clusters", zoom_to=None)
    window.last_georeferenced_figure = "layout-figure.png"
    asked = []
    window.editing.operations.ask_figure = lambda default: asked.append(default) or default
    action = window.editing.actions.act_mark_traced
    assert action.isEnabled() and action in window.editing.actions.menu.actions()
    clusters.select([1, 3])
    old = clusters.frame["geom_quality"].iloc[[1, 3]].tolist()
    action.trigger()
    assert asked == ["layout-figure.png"]  # the figure just georeferenced is offered
    assert clusters.frame["geom_quality"].iloc[[1, 3]].tolist() == ["traced", "traced"]
    assert "layout-figure.png" in clusters.frame["geom_basis"].iloc[3]
    window.panel.show_feature(clusters.id, 1)
    assert "Traced shape: drawn over a georeferenced figure" in window.panel.browser.toPlainText()
    stack = window.editing.stack
    assert stack.undoText() == "Mark 2 feature(s) as traced over “layout-figure.png”"
    stack.undo()
    assert clusters.frame["geom_quality"].iloc[[1, 3]].tolist() == old
