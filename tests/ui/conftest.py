import pytest
from PySide6.QtWidgets import QApplication

from gisapp.ui.shell.app import choose_cjk_font
from gisapp.ui.shell.main_window import MainWindow


@pytest.fixture
def make_window(qtbot, bundled_project):
    """Factory: a shown main window on the bundled project, closed after the test."""
    def factory(lang: str = "en", project=None, size=(1600, 1000)) -> MainWindow:
        choose_cjk_font(QApplication.instance())
        window = MainWindow(project or bundled_project, lang)
        # pytest-qt closes windows before fixture teardown: drop the unsaved flag first.
        qtbot.addWidget(window, before_close_func=lambda w: w.project.set_modified(False))
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.canvas.zoom_full()
        assert window.canvas.wait_for_render()
        return window

    return factory


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog would block an offscreen test forever: fail instead."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected modal dialog: {args[1:3]}")

    for name in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture(autouse=True)
def english_by_default(qapp):
    """Each test starts in English: a window of an earlier test in the same process (tests run
    in parallel, several per process) may have installed the Chinese translators."""
    from gisapp.ui.shell.i18n import install_language

    install_language("en")
    yield
