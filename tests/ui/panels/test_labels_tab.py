"""The style dialog's labels tab: every setting reaches the layer, the map previews it live,
Cancel puts the labels back, and an applied change is one undo step."""

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from gisapp.core.model.labels import LabelStyle
from gisapp.io.catalogue import load_catalogue

pytestmark = pytest.mark.xdist_group("labels-tab-window")


def _placed(canvas, key):
    canvas.wait_for_render()
    return [label for label in canvas.placed_labels if label.key == key]


def test_labels_tab_previews_cancels_applies_and_undoes(make_window, qtbot):
    project = load_catalogue()
    window = make_window("en", project, (1600, 1000))
    canvas, stack = window.canvas, window.editing.stack
    layer = project.layer("hitech_city_platforms")
    dialog = window.indicators.open_style_dialog(layer.id)
    tab = dialog.labels_tab
    dialog.tabs.setCurrentWidget(tab)
    before = _placed(canvas, layer.id)
    assert before and tab.placement_combo.currentData() == "around" and tab.position_combo.isVisible()

    # Live preview: a bigger red text on the chosen side, priority 10, drawn at once.
    tab.size_spin.setValue(14)
    tab.colour_edit.edit.setText("#aa0000")
    tab.placement_combo.setCurrentIndex(tab.placement_combo.findData("offset"))
    tab.position_combo.setCurrentIndex(tab.position_combo.findData("NW"))
    tab.priority_spin.setValue(10)
    assert (layer.label_style.size_pt, layer.label_style.color, layer.label_style.placement,
            layer.label_style.position, layer.label_style.priority) == (14, "#aa0000", "offset", "NW", 10)
    previewed = _placed(canvas, layer.id)
    assert previewed and previewed[0].height > before[0].height  # a larger font on the map
    geoms = layer.projected(canvas.viewport.crs).geometries
    texts = list(layer.label_texts("en"))
    for label in previewed:  # upper left of its point
        point = geoms[texts.index(label.text)]
        px, py = canvas.viewport.map_to_pixel(point.x, point.y)
        x0, y0, x1, y1 = label.bounds()
        assert x1 <= px and y1 <= py, (label, px, py)
    # A template that names no field is refused, and says why.
    tab.template_edit.setText("{nonsense}")
    assert layer.label_style.text == "" and "nonsense" in tab.problem.text()
    tab.template_edit.setText("{name_zh} ★")
    assert layer.label_texts("en")[0].endswith(" ★")  # name_zh follows the UI: the English name

    # Cancel: everything as it was.
    dialog.buttons.button(QDialogButtonBox.Cancel).click()
    assert layer.label_style == LabelStyle() and layer.label_field == "name_zh"
    assert stack.count() == 0

    # Apply: kept, and one undo step that puts it back; redo brings it again.
    dialog = window.indicators.open_style_dialog(layer.id)
    dialog.labels_tab.halo_check.setChecked(False)
    dialog.labels_tab.always_check.setChecked(True)
    dialog.labels_tab.min_scale_spin.setValue(500_000)
    assert dialog.apply(), dialog.message.text()
    applied = layer.label_style
    assert (applied.halo, applied.always_show, applied.min_scale) == (False, True, 500_000)
    dialog.reject()  # closing after Apply keeps what was applied
    assert layer.label_style == applied
    assert stack.count() == 1 and "Labels of" in stack.undoText()
    stack.undo()
    assert layer.label_style == LabelStyle()
    stack.redo()
    assert layer.label_style == applied


def test_line_layers_offer_line_placements(qtbot, bundled_project):
    from gisapp.ui.panels.style_dialog import StyleDialog

    dialog = StyleDialog(bundled_project, "zh")
    qtbot.addWidget(dialog)
    dialog.choose_layer("hitech_corridor_centerline")
    tab = dialog.labels_tab
    assert [tab.placement_combo.itemData(i) for i in range(tab.placement_combo.count())] == ["horizontal", "along"]
    assert not tab.position_combo.isVisibleTo(dialog)
    tab.placement_combo.setCurrentIndex(1)
    assert bundled_project.layer("hitech_corridor_centerline").label_style.placement == "along"
