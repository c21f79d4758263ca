"""The conflict dialog on plain data: both versions shown, every feature decided before the save
goes on, edited results typed as a person would, names from files shown as text."""

import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from gisapp.ui.team.conflict_dialog import EDITED, MINE, THEIRS, ConflictDialog, ConflictItem


def _items():
    base = shapely.box(0, 0, 1000, 800)
    return [
        ConflictItem(7, "<b>Huangnichuan</b>", ["name", "far"], {"name": "mine", "far": 2.5},
                     {"name": "theirs", "far": 2.0}, {"name": "as loaded", "far": 2.0},
                     shapely.affinity.translate(base, 150, 0), shapely.affinity.scale(base, 1.2, 1.1), base,
                     "li.wei", "2026-12-02 01:20:00", 3, 4),
        ConflictItem(9, "Gangwan", ["name", "far"], {"name": "g", "far": 1.0}, None, {"name": "g", "far": 1.0},
                     base, None, base, "wang", "2026-12-02 01:21:00", 1, 0),
        ConflictItem(11, "Lingshui", ["name", "far"], None, {"name": "l2", "far": 3.0}, {"name": "l", "far": 3.0},
                     None, base, base, "wang", "2026-12-02 01:22:00", 2, 3),
    ]


def _cell(dialog, row, column):
    return dialog.table.item(row, column).text()


def test_both_versions_are_shown_and_the_save_waits_for_every_decision(qtbot):
    dialog = ConflictDialog("Zones", _items())
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled() and len(dialog.undecided()) == 3
    # The first feature: as loaded, mine and theirs on the small map, attributes side by side.
    assert [shape.label for shape in dialog.map.drawn()] == ["As loaded", "Theirs", "Mine"]
    assert [_cell(dialog, 0, c) for c in range(4)] == ["name", "as loaded", "mine", "theirs"]
    assert dialog.table.item(0, 2).font().bold() and dialog.table.item(1, 2).font().bold()  # mine != theirs
    assert "li.wei" in dialog.who.text() and "3 → 4" in dialog.who.text()
    # The feature name comes from the data: shown as text, never as rich text.
    assert dialog.header.textFormat() == Qt.PlainText and dialog.header.text() == "<b>Huangnichuan</b>"
    dialog.accept()  # nothing happens while features are undecided
    assert dialog.result() == 0 and dialog.isVisible()

    qtbot.mouseClick(dialog.take_theirs, Qt.LeftButton)
    # The next undecided feature is shown: theirs deleted it.
    assert dialog.current().key == 9 and "They deleted" in dialog.who.text()
    assert [shape.label for shape in dialog.map.drawn()] == ["As loaded", "Mine"]
    qtbot.mouseClick(dialog.keep_mine, Qt.LeftButton)
    # I deleted the third: only keeping the delete is offered here (nothing to edit).
    assert dialog.current().key == 11
    assert not dialog.take_theirs.isEnabled() and not dialog.edit_button.isEnabled()
    assert not ok.isEnabled()
    qtbot.mouseClick(dialog.keep_mine, Qt.LeftButton)
    assert ok.isEnabled()
    assert [(r.key, r.choice) for r in dialog.resolutions()] == [(7, THEIRS), (9, MINE), (11, MINE)]
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert dialog.result() == 1


def test_an_edited_result_starts_from_mine_and_keeps_what_was_typed(qtbot):
    dialog = ConflictDialog("Zones", _items()[:1])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.edit_button, Qt.LeftButton)
    assert [_cell(dialog, row, 4) for row in range(2)] == ["mine", "2.5"]
    dialog.set_result("far", "2.2")
    dialog.geometry_choice.setCurrentIndex(1)  # theirs
    (resolution,) = dialog.resolutions()
    assert resolution.choice == EDITED and resolution.values == {"name": "mine", "far": "2.2"}
    assert resolution.geometry_from == THEIRS
    assert dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    # Choosing keep mine afterwards replaces the edited result.
    qtbot.mouseClick(dialog.keep_mine, Qt.LeftButton)
    assert dialog.resolutions()[0].choice == MINE and _cell(dialog, 1, 4) == "2.5"


def test_the_dialog_speaks_chinese(qtbot):
    from gisapp.ui.shell.i18n import install_language

    install_language("zh")
    try:
        dialog = ConflictDialog("区", _items())
        qtbot.addWidget(dialog)
        assert dialog.keep_mine.text() == "保留我的"
        assert dialog.take_theirs.text() == "采用他人的"
        assert "冲突" in dialog.windowTitle()
    finally:
        install_language("en")
