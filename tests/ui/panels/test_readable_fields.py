"""The identify panel and the attribute table show field aliases, value labels and cited titles."""

from PySide6.QtCore import Qt

from gisapp.io.project_gpkg import load_project, save_project
from gisapp.ui.panels.attribute_table import AttributeTable
from gisapp.ui.panels.feature_panel import FeaturePanel
from gisapp.ui.shell.i18n import install_language

SCIENCE_CITY = "hitech.city.yingeshi"
PLAN_TITLE = "《大连高新区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》"


def _panel(qtbot, project, lang):
    panel = FeaturePanel()
    qtbot.addWidget(panel)
    panel.set_project(project)
    panel.set_lang(lang)
    layer, row = project.find_feature(SCIENCE_CITY)
    panel.show_feature(layer.id, row)
    return panel, layer


def test_identify_panel_reads_in_chinese(qtbot, bundled_project):
    panel, _layer = _panel(qtbot, bundled_project, "zh")
    text = panel.plain_text()
    assert "规划层次" in text and "建设状态" in text and "图形依据" in text
    assert "plan_group" not in text and "geom_basis" not in text
    assert "planned" not in text and "under_construction" not in text
    assert PLAN_TITLE + "第七章第一节" in text
    assert "five-year-plan.zh.txt" not in text


def test_identify_panel_reads_in_english(qtbot, bundled_project):
    panel, _layer = _panel(qtbot, bundled_project, "en")
    text = panel.plain_text()
    assert "Plan level" in text and "Shape quality" in text
    assert "Outline of the 14th Five-Year Plan" in text and "chapter 7, section 1" in text


def test_panel_says_when_the_plan_gives_no_baseline(qtbot, bundled_project):
    catalog = bundled_project.indicators
    feature_id = next(link.feature_id for link in catalog.links
                      if not catalog.get(link.indicator_id).baseline_value
                      and bundled_project.find_feature(link.feature_id))
    layer, row = bundled_project.find_feature(feature_id)
    for lang, wording in (("zh", "规划未给出基期值"), ("en", "not given in the plan")):
        install_language(lang)
        try:
            panel = FeaturePanel()
            qtbot.addWidget(panel)
            panel.set_project(bundled_project)
            panel.set_lang(lang)
            panel.show_feature(layer.id, row)
            text = panel.plain_text()
        finally:
            install_language("en")
        assert wording in text
        assert "Baseline: —" not in text and "基期值: —" not in text


def test_attribute_table_headers_and_codes_use_labels_and_user_aliases(qtbot, bundled_project, tmp_path):
    layer, row = bundled_project.find_feature(SCIENCE_CITY)
    table = AttributeTable(layer, "zh")
    qtbot.addWidget(table)
    model = table.model
    headers = [model.headerData(i, Qt.Horizontal) for i in range(model.columnCount())]
    assert "建设状态" in headers and "status" not in headers
    status = model.columns.index("status")
    view_row = int(model.view_rows([row])[0])
    assert model.data(model.index(view_row, status)) == "规划"
    assert model.data(model.index(view_row, status), Qt.EditRole) == "planned"
    assert "status" in model.headerData(status, Qt.Horizontal, Qt.ToolTipRole)
    # A user's alias wins and survives a save and a reload of the project.
    layer.field_aliases = {"status": {"zh": "进度", "en": "Progress"}}
    path = tmp_path / "aliases.gpkg"
    save_project(bundled_project, path)
    reloaded = load_project(path)
    again, _row = reloaded.find_feature(SCIENCE_CITY)
    assert again.field_aliases == {"status": {"zh": "进度", "en": "Progress"}}
    table = AttributeTable(again, "en")
    qtbot.addWidget(table)
    assert table.model.headerData(table.model.columns.index("status"), Qt.Horizontal) == "Progress"
