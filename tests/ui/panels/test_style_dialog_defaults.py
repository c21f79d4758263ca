"""The style dialog starts from a sensible field and method: categorized text, graduated numbers."""

import numpy as np

from gisapp.ui.panels.style_dialog import StyleDialog


def test_text_fields_are_categorized_and_numbers_graduated(qtbot, bundled_project):
    layer = bundled_project.layer("hitech_clusters")
    layer.frame["jobs"] = np.arange(len(layer.frame), dtype=float) * 100
    dialog = StyleDialog(bundled_project, "zh")
    qtbot.addWidget(dialog)
    dialog.choose_layer(layer.id)
    assert dialog.field_combo.currentData() != "id"
    assert dialog.method_combo.currentData() == "categorized"
    # The field list reads in aliases; the stored name stays the data.
    status = dialog.field_combo.findData("status")
    assert dialog.field_combo.itemText(status) == "建设状态"
    dialog.set_choice(field="jobs")
    assert dialog.method_combo.currentData() == "graduated"
    assert dialog.scheme_combo.isEnabled()
    dialog.set_choice(field="kind")
    assert dialog.method_combo.currentData() == "categorized"
    assert not dialog.scheme_combo.isEnabled()
