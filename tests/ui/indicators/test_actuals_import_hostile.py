"""Importing a broken actuals CSV in the window: a refused file changes nothing and says
which line; bad rows are listed by line and the good ones imported."""

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox


def error_box(window) -> QMessageBox:
    box = window.findChild(QMessageBox, "ErrorBox")
    assert box is not None and box.textFormat() == Qt.PlainText
    return box


def test_a_refused_csv_leaves_the_project_unchanged_and_names_the_line(make_window, tmp_path):
    window = make_window("en")
    window.project.indicators.actuals.set_value("plan.t2.04", 2021, 7350)
    window.project.set_modified(False)
    before = window.project.indicators.actuals.records()
    path = tmp_path / "<img src=x>office.csv"
    path.write_text("indicator_id,year,value,note\nplan.t2.04,2022,8120,\nplan.t2.04,2023,1," + "x" * 140_000 + "\n",
                    encoding="utf-8")
    assert window.indicators.import_csv(str(path)) is None
    box = error_box(window)
    assert box.text().startswith("<img src=x>office.csv: line 3: a cell is longer than 131,072 characters")
    assert window.project.indicators.actuals.records() == before and not window.project.modified


def test_bad_rows_are_listed_by_line_and_good_ones_imported(make_window, tmp_path):
    window = make_window("en")
    path = tmp_path / "actuals.csv"
    path.write_text("indicator_id,year,value,note\n"
                    "plan.t2.04,2021,7350,\n"
                    "plan.t2.04,2022,inf,\n"
                    "plan.t2.04,2023,1e400,\n"
                    "plan.t2.04,2021.9,1,\n"
                    "plan.t2.04,2021,7350,\n"
                    "plan.t2.04,2024,nan,\n", encoding="utf-8")
    result = window.indicators.import_csv(str(path))
    assert [(a.year, a.value) for a in result.actuals] == [(2021, 7350.0)]
    assert all(math.isfinite(r.value) for r in window.project.indicators.actuals.records() if r.value is not None)
    text = error_box(window).text()
    for line in (3, 4, 5, 6, 7):
        assert f"Line {line}:" in text
    assert "Line 6: a repeat of line 2" in text
