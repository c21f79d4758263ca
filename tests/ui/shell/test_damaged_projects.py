"""A damaged project file, opened in the window, shows what is damaged and leaves the open
project as it was (the window keeps drawing it)."""

from damaged_projects import DAMAGES, damaged_project, read_meta, saved_project, set_meta
from PySide6.QtWidgets import QMessageBox


def error_boxes(window):
    return [box for box in window.findChildren(QMessageBox, "ErrorBox") if box.isVisible()]


def test_each_damaged_project_is_reported_and_the_open_project_stays(make_window, tmp_path):
    window = make_window("en")
    project, crs = window.project, window.canvas.viewport.crs
    layer_ids = [layer.id for layer in project.layers]
    for case, (_damage, expected) in DAMAGES.items():
        path = damaged_project(tmp_path, case)
        assert window.open_paths([str(path)]).wait() == [], case
        boxes = error_boxes(window)
        assert len(boxes) == 1, case
        assert path.name in boxes[0].text() and expected in boxes[0].text(), (case, boxes[0].text())
        assert window.statusBar().currentMessage().startswith(f"{path.name}: damaged "), case
        boxes[0].done(0)
        assert window.project is project and [layer.id for layer in project.layers] == layer_ids, case
        assert window.canvas.viewport.crs == crs and not project.modified, case
    window.canvas.refresh()
    assert window.canvas.wait_for_render() and window.canvas._image is not None


def test_a_project_with_unknown_keys_opens_and_says_so(make_window, tmp_path):
    window = make_window("en")
    path = saved_project(tmp_path)
    set_meta(path, "groups", [{**read_meta(path)["groups"][0], "colour": "red"}])
    assert window.open_paths([str(path)]).wait() == [str(path)]
    assert [layer.id for layer in window.project.layers] == ["points", "zones"]
    assert error_boxes(window) == []
    assert "unknown keys ignored: groups[0].colour" in window.statusBar().currentMessage()
