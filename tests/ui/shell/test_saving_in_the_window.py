"""Saving from the window: a read-only file offers Save As, a full disk says so; the file on
disk and the unsaved state of the project stay as they were."""

import resource
import signal

from damaged_projects import saved_project
from PySide6.QtWidgets import QMessageBox

from gisapp.io.project_gpkg import load_project


def open_saved(make_window, tmp_path):
    path = saved_project(tmp_path)
    window = make_window("en", project=load_project(path))
    window.project.layer("zones").set_opacity(0.3)  # an unsaved change
    return window, path


def test_saving_over_a_read_only_file_offers_save_as(make_window, tmp_path):
    window, path = open_saved(make_window, tmp_path)
    path.chmod(0o444)
    before = path.read_bytes()
    asked = []
    window.ask = lambda title, text, buttons, default=None: asked.append((title, text, buttons)) or "cancel"
    assert window.save() is False
    assert path.read_bytes() == before and window.project.modified
    title, text, buttons = asked[0]
    assert title == "The project was not saved"
    assert text.startswith("plan.gpkg cannot be overwritten, so it was not changed.\n"
                           "the file is read-only (-r--r--r--)")
    assert [key for key, _label in buttons] == ["save_as", "cancel"]

    window.ask = lambda *args, **kwargs: "save_as"
    copy = tmp_path / "copy.gpkg"
    window.get_save_path = lambda title, start, filters: str(copy)
    assert window.save() is True
    assert path.read_bytes() == before
    assert load_project(copy).layer("zones").opacity == 0.3
    assert window.project.metadata["path"] == str(copy) and not window.project.modified


def test_saving_on_a_full_disk_says_so_and_keeps_the_file(make_window, tmp_path):
    window, path = open_saved(make_window, tmp_path)
    before = path.read_bytes()
    # A file-size limit for this process stands in for a full disk (writes fail with EFBIG).
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, hard))
    try:
        saved = window.save()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert saved is False
    boxes = [box for box in window.findChildren(QMessageBox, "ErrorBox") if box.isVisible()]
    assert boxes[0].text() == ("The disk is full: plan.gpkg could not be written. The previous version is "
                               "unchanged; free some space or save to another disk.")
    assert path.read_bytes() == before and window.project.modified
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.gpkg"]
