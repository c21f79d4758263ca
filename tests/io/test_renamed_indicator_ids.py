"""An indicator id that was renamed still opens: in a saved project and in an actuals CSV."""

import sqlite3

from gisapp.core.plan.actuals import Actual
from gisapp.core.plan.indicators import RENAMED_INDICATOR_IDS
from gisapp.io.actuals_csv import read_actuals_csv
from gisapp.io.project_gpkg import (
    ACTUALS_TABLE,
    LINKS_TABLE,
    META_TABLE,
    load_project,
    save_project,
)

OLD, NEW = "plan.text.hundred_billion_clusters", "plan.text.ten_billion_clusters"


def test_a_project_saved_with_the_old_id_opens_with_the_new_one(bundled_project, tmp_path):
    assert RENAMED_INDICATOR_IDS[OLD] == NEW
    bundled_project.indicators.actuals.update([Actual(NEW, 2023, 2.0, "", "two clusters")])
    path = tmp_path / "old.gpkg"
    save_project(bundled_project, path)
    # Write the file as an older gisapp did: the old id in the definitions, links and actuals.
    with sqlite3.connect(path) as con:
        con.execute(f"UPDATE {META_TABLE} SET value = replace(value, ?, ?)", (NEW, OLD))
        con.execute(f"UPDATE {LINKS_TABLE} SET indicator_id = ? WHERE indicator_id = ?", (OLD, NEW))
        con.execute(f"UPDATE {ACTUALS_TABLE} SET indicator_id = ? WHERE indicator_id = ?", (OLD, NEW))
        assert con.execute(f"SELECT count(*) FROM {META_TABLE} WHERE value LIKE ?", (f"%{OLD}%",)).fetchone()[0]
    reopened = load_project(path)
    indicator = reopened.indicators.get(NEW)
    assert "百亿级" in indicator.name_zh
    assert [link.feature_id for link in reopened.indicators.links if link.indicator_id == NEW] == [
        "hitech.cluster.clean_energy", "hitech.cluster.intelligent_manufacturing", "hitech.cluster.life_health"]
    assert reopened.indicators.actuals.get(NEW, 2023, "").value == 2.0
    assert OLD not in {i.id for i in reopened.indicators.indicators}


def test_an_actuals_csv_with_the_old_id_matches(bundled_project, tmp_path):
    csv_path = tmp_path / "actuals.csv"
    csv_path.write_text(f"indicator_id,year,value\n{OLD},2024,3\n", encoding="utf-8")
    result = read_actuals_csv(csv_path, bundled_project.indicators)
    assert [(r.indicator_id, r.year, r.value) for r in result.actuals] == [(NEW, 2024, 3.0)]
