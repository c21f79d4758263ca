"""The indicator dashboard in the window: indicators <-> zones, actuals, maps, spatial indicators."""

import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gisapp.core.analysis.classify import STATUS_FIELD
from gisapp.core.analysis.spatial_indicators import ANALYSIS_GROUP
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle
from gisapp.core.plan.actuals import Actual
from gisapp.ui.indicators.dashboard import COLUMNS
from gisapp.ui.panels.style_dialog import ORIGINAL_STYLE_KEY

CID = "hitech.core.lingshui_cid"


@pytest.fixture
def window(make_window):
    window = make_window("en")
    window.indicators.show_dashboard()
    return window


def selected_ids(window):
    return sorted(fid for fid, _name in window.indicators.selected_features())


def test_dashboard_lists_every_indicator_by_category(window):
    dashboard = window.indicators.dashboard
    catalog = window.project.indicators
    assert sorted(dashboard.visible_indicator_ids()) == sorted(i.id for i in catalog.indicators)
    assert dashboard.tree.topLevelItemCount() == len({i.category for i in catalog.indicators})
    item = dashboard.item_for("plan.t2.19")  # binding: red and bold
    assert item.font(0).bold() and item.foreground(0).color().name() == "#b00020"
    assert item.text(COLUMNS.index("nature")) == "binding" and "表2" in item.text(COLUMNS.index("source"))
    assert dashboard.item_for("plan.t2.04").text(1) == "6726 (2020)"
    assert dashboard.item_for("plan.t2.04").text(2) == "10000 (2025)"
    assert not dashboard.item_for("plan.t2.04").font(0).bold()


def test_choosing_an_indicator_selects_its_zones(window, qtbot):
    dashboard = window.indicators.dashboard
    dashboard.select_indicator("plan.t2.04")
    linked = sorted(window.project.indicators.features_for("plan.t2.04"))
    assert linked == ["hitech.core.lingshui_cid", "hitech.corridor"]
    assert selected_ids(window) == linked
    assert dashboard.chart.mode == "indicator"
    # The dashboard's own selection does not filter the dashboard.
    qtbot.wait(20)
    assert dashboard.filter_combo.currentIndex() == 0
    assert "2 linked zone(s)" in window.statusBar().currentMessage()


def test_choosing_a_zone_on_the_map_filters_the_dashboard(window, qtbot):
    dashboard = window.indicators.dashboard
    layer, row = window.project.find_feature(CID)
    window.canvas.zoom_to_feature(layer.id, row)
    window.canvas.wait_for_render()
    geom = layer.projected(window.canvas.viewport.crs).geometries[row]
    point = shapely.point_on_surface(geom)
    px, py = window.canvas.viewport.map_to_pixel(point.x, point.y)
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(window.canvas, Qt.LeftButton, pos=QPoint(round(px), round(py)))
    assert layer.selection.tolist() == [row]
    qtbot.waitUntil(lambda: dashboard.filter_combo.currentIndex() == 1)
    expected = {i.id for i, _link in window.project.indicators.for_feature(CID)}
    assert set(dashboard.visible_indicator_ids()) == expected
    assert "CID" in dashboard.zone_label.text()
    window.clear_selection()
    qtbot.waitUntil(lambda: dashboard.filter_combo.currentIndex() == 0)
    assert len(dashboard.visible_indicator_ids()) == len(window.project.indicators.indicators)


def test_entering_actuals_updates_status_and_survives_save(window, qtbot, tmp_path):
    controller = window.indicators
    dialog = controller.open_actuals_dialog("plan.t2.04")
    assert dialog.isVisible() and not dialog.isModal()
    dialog.set_value(2022, "8,100", "statistical bulletin")
    assert "On track" in dialog.preview.text()
    assert dialog.apply()
    qtbot.waitUntil(lambda: controller.dashboard.status_of("plan.t2.04") == "on_track")
    assert window.project.modified
    for typed in ("lots", "inf", "nan", "1e400"):  # none of these is a value to store
        dialog.set_value(2023, typed)
        assert not dialog.apply()
        assert "Not a usable number in 2023" in dialog.preview.text()
    dialog.set_value(2023, "")
    # A rate for one zone.
    dialog.choose("plan.t2.03", CID)
    dialog.set_value(2022, "12.5")
    assert dialog.apply()
    records = window.project.indicators.actuals.records()
    assert [(r.indicator_id, r.feature_id, r.year, r.value) for r in records] == [
        ("plan.t2.03", CID, 2022, 12.5), ("plan.t2.04", "", 2022, 8100.0)]
    path = tmp_path / "monitored.gpkg"
    assert window._save_to(str(path))
    from gisapp.io.project_gpkg import load_project

    assert load_project(path).indicators.actuals.records() == records
    dialog.close()


def test_import_csv_reports_rows_that_match_nothing(window, qtbot, tmp_path):
    path = tmp_path / "office.csv"
    path.write_text("指标名称,2022年,2023年\n有效发明专利,8100,8800\n火星基地数,1,2\n", encoding="utf-8")
    result = window.indicators.import_csv(str(path))
    assert len(result.actuals) == 2 and len(result.problems) == 1
    box = window.findChild(QMessageBox, "ErrorBox")
    assert box is not None and "Line 3" in box.text() and "火星基地数" in box.text()
    box.close()
    qtbot.waitUntil(lambda: window.indicators.dashboard.status_of("plan.t2.04") == "on_track")
    out = tmp_path / "out.csv"
    window.indicators.export_csv(str(out))
    assert "plan.t2.04" in out.read_text(encoding="utf-8-sig")


def test_map_styled_by_progress_and_by_an_indicator(window, qtbot):
    catalog = window.project.indicators
    catalog.actuals.update([Actual("plan.t2.04", 2022, 7000), Actual("plan.t2.06", 2022, 140)])
    styled = window.indicators.style_by_progress()
    assert "hitech_core_zones" in styled and "base_land" not in styled
    core = window.project.layer("hitech_core_zones")
    assert isinstance(core.style, CategorizedStyle) and core.style.field == STATUS_FIELD
    status = dict(zip(core.frame["id"], core.frame[STATUS_FIELD], strict=True))
    assert status[CID] == "behind" and status["hitech.core.qixianling_cbd"] == "on_track"
    assert window.canvas.wait_for_render()
    # The legend in the layer tree follows the style.
    labels = [entry.label("en") for entry in core.style.legend()]
    assert "Behind" in labels and "On track" in labels
    # New actuals re-colour the map by themselves.
    catalog.actuals.set(Actual("plan.t2.04", 2023, 9900))
    qtbot.waitUntil(lambda: dict(zip(core.frame["id"], core.frame[STATUS_FIELD], strict=True))[CID] == "on_track")
    # Graduated by each cluster's own latest value (natural breaks), labelled with the value.
    clusters = window.project.layer("hitech_clusters")
    catalog.actuals.update([Actual("plan.t2.09", 2023, v, fid) for v, fid in (
        (420, "hitech.cluster.huangnichuan"), (180, "hitech.cluster.longwangtang"),
        (60, "hitech.cluster.miaoling_materials"), (30, "hitech.cluster.life_health"))])
    dialog = window.indicators.open_style_dialog("hitech_clusters")
    dialog.set_choice(source="indicator", indicator="plan.t2.09", measure="latest", method="graduated",
                      scheme="natural_breaks", classes=3, label="indicator:latest")
    assert dialog.apply(), dialog.message.text()
    assert isinstance(clusters.style, GraduatedStyle) and clusters.style.scheme == "natural_breaks"
    assert len(clusters.style.breaks) == 3
    texts = clusters.label_texts("en").tolist()
    assert "420 家" in texts or "420 enterprises" in texts or any(t.startswith("420") for t in texts)
    dialog.restore_original()
    assert ORIGINAL_STYLE_KEY not in clusters.metadata and clusters.style.field == "id"
    dialog.close()


def test_spatial_indicators_recompute_after_a_geometry_edit(window, qtbot):
    service = window.indicators.service
    assert service.wait()
    before = service.summary.feature("hitech.cluster.huangnichuan").area_km2
    runs = service.runs
    layer, row = window.project.find_feature("hitech.cluster.huangnichuan")
    frame = layer.frame.copy()
    frame.loc[row, "geometry"] = shapely.affinity.scale(frame.geometry.iloc[row], 0.5, 0.5)
    layer.set_frame(frame)  # what an edit does: a "data" change
    assert service.is_busy()  # debounced, then off the UI thread
    assert service.wait()
    assert service.runs > runs
    after = service.summary.feature("hitech.cluster.huangnichuan").area_km2
    assert after == pytest.approx(before / 4, rel=0.02)
    table = window.indicators.dashboard.features_table
    assert table.rowCount() == len(service.summary.features)


def test_a_layer_being_read_starts_no_summary_until_it_is_complete(window, qtbot):
    """Adding a file's layer while it is read leaves the summary's inputs as they were: it
    is not computed again beside the read (it competed with it for the GIL); the complete
    layer is."""
    from gisapp.core.model.layer import LOADING
    from gisapp.io.vector import file_layer

    service = window.indicators.service
    assert service.wait()
    runs, summary = service.runs, service.summary
    source = window.project.vector_layers()[0]
    frame = source.frame.copy()
    layer = file_layer("读取中", "reading", frame, source.geometry_family)
    layer.metadata = {LOADING: True}
    window.project.add_layer(layer)
    assert service.wait()
    assert service.runs == runs and service.summary is summary
    layer.metadata = {}
    layer.set_frame(frame)  # the read is complete
    assert service.is_busy() and service.wait()
    assert service.runs == runs + 1 and service.summary is not summary


def test_green_standard_on_chosen_layers_draws_the_uncovered_areas(window, qtbot):
    controller = window.indicators
    dialog = controller.open_green_standard_dialog()
    dialog.choose("hitech_international_communities", "hitech_expansion_ecology")
    assert dialog.distance_spin.value() == 500
    assert dialog.compute()
    assert controller.service.wait()
    result = controller.service.coverage
    assert result is not None and result.distance_m == 500
    assert result.share == pytest.approx(0.0, abs=1e-9)  # the schematic parks are far from the communities
    uncovered = [layer for layer in window.project.layers if layer.group == ANALYSIS_GROUP]
    assert len(uncovered) == 1 and len(uncovered[0]) == 2
    assert "500" in dialog.result_label.text()
    # Move the ecological core next to a community: the result follows the edit.
    eco = window.project.layer("hitech_expansion_ecology")
    community = window.project.layer("hitech_international_communities").frame.geometry.iloc[0]
    frame = eco.frame.copy()
    frame.loc[2, "geometry"] = community.centroid.buffer(0.001)
    eco.set_frame(frame)
    assert controller.service.wait()
    assert controller.service.coverage.share > 0.3
    assert len([layer for layer in window.project.layers if layer.group == ANALYSIS_GROUP]) == 1
    assert "%" in controller.dashboard.coverage_label.text()
    dialog.close()


def test_report_from_the_window(window, tmp_path):
    out = window.indicators.write_report(str(tmp_path / "report.html"))
    assert out is not None and "data:image/png" in out.read_text(encoding="utf-8")


def test_language_switch_keeps_the_dashboard_in_step(window):
    dashboard = window.indicators.dashboard
    dashboard.select_indicator("plan.t2.04")
    window.set_language("zh")
    assert dashboard.current_indicator_id() == "plan.t2.04"
    assert dashboard.item_for("plan.t2.04").text(0) == "有效发明专利"
    assert dashboard.tree.headerItem().text(COLUMNS.index("status")) == "状态"
    assert window.indicators.menu.title() != "&Indicators"
    assert np.all([dashboard.tabs.tabText(i) for i in range(2)])
