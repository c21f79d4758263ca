"""File > Export web map: the dialog's defaults, live size estimate, export and preview."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from gisapp.ui.panels.export_dialog import ExportWebMapDialog, human_size


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.NativeFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def make_dialog(qtbot):
    def factory(project, lang="zh") -> ExportWebMapDialog:
        dialog = ExportWebMapDialog(project, lang)
        qtbot.addWidget(dialog)
        return dialog

    return factory


def test_defaults_follow_the_canvas(make_dialog, small_project):
    dialog = make_dialog(small_project)
    options = dialog.options()
    assert sorted(options.layer_ids) == ["plots", "road", "sites", "zones"]  # the visible ones
    assert options.lang == "zh" and options.basemap == "none" and options.self_contained
    assert options.simplify_m == 1.0 and options.layer_simplify_m == {}
    assert dialog.export_button.isEnabled()
    assert dialog.last_estimate and dialog.size_label.text().endswith(human_size(dialog.last_estimate))
    # no tolerance for point layers
    assert "sites" not in dialog.layer_tolerances and "zones" in dialog.layer_tolerances


def test_estimate_updates_with_the_tolerance(make_dialog, bundled, qtbot):
    dialog = make_dialog(bundled, "en")
    first = dialog.last_estimate
    dialog.tolerance.setValue(60.0)
    qtbot.waitUntil(lambda: dialog.last_estimate is not None and dialog.last_estimate < first, timeout=5000)
    assert all(spin.value() == 60.0 for spin in dialog.layer_tolerances.values())
    dialog.layer_tolerances["base_land"].setValue(5.0)
    assert dialog.options().layer_simplify_m == {"base_land": 5.0}
    smaller = dialog.last_estimate
    dialog.linked.setChecked(True)
    qtbot.waitUntil(lambda: dialog.last_estimate is not None and dialog.last_estimate < smaller / 2,
                    timeout=5000)


def test_basemap_choice_swaps_the_offline_background(make_dialog, bundled):
    dialog = make_dialog(bundled)
    assert dialog.layer_items["base_land"].checkState(0) == Qt.Checked
    dialog.basemap_combo.setCurrentIndex(dialog.basemap_combo.findData("osm"))
    assert dialog.layer_items["base_land"].checkState(0) == Qt.Unchecked
    assert not dialog.key_edit.isEnabled()
    dialog.basemap_combo.setCurrentIndex(dialog.basemap_combo.findData("tianditu"))
    dialog.key_edit.setText("")
    dialog.update_estimate()
    assert not dialog.export_button.isEnabled() and "Tianditu" in dialog.size_label.text()
    dialog.key_edit.setText("0123456789abcdef0123456789abcdef")
    dialog.update_estimate()
    assert dialog.export_button.isEnabled()
    dialog.basemap_combo.setCurrentIndex(dialog.basemap_combo.findData("none"))
    assert dialog.layer_items["base_land"].checkState(0) == Qt.Checked


def test_no_layer_no_export(make_dialog, small_project):
    dialog = make_dialog(small_project)
    for layer_id in dialog.layer_items:
        dialog.set_layer_checked(layer_id, False)
    dialog.update_estimate()
    assert not dialog.export_button.isEnabled() and not dialog.preview_button.isEnabled()


def test_export_and_preview(make_dialog, small_project, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("gisapp.ui.panels.export_dialog.QDesktopServices.openUrl", lambda url: opened.append(url))
    dialog = make_dialog(small_project, "en")
    dialog.title_edit.setText("Meeting map")
    dialog.path_edit.setText(str(tmp_path / "out.html"))
    preview = dialog.preview()
    assert preview.exists() and opened and opened[0].toLocalFile() == str(preview)
    written = dialog.export()
    assert written == tmp_path / "out.html" and written.exists()
    page = written.read_text(encoding="utf-8")
    assert "<title>Meeting map</title>" in page
    assert dialog.result() == dialog.DialogCode.Accepted


def test_the_file_menu_opens_the_dialog(qtbot, small_project):
    from gisapp.ui.shell.main_window import MainWindow

    window = MainWindow(small_project, "en")
    qtbot.addWidget(window)
    assert window.act_export_web in window.menu_file.actions()
    assert window.act_export_web.text() == "Export web map…"
    window.act_export_web.trigger()
    dialog = window.export_dialog
    assert isinstance(dialog, ExportWebMapDialog) and dialog.isVisible()
    assert dialog.lang_combo.currentData() == "en"
    dialog.reject()
    window.project.set_modified(False)
    window.close()
