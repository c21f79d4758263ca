"""Start the Qt application: fonts, language, main window, screenshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Microsoft YaHei", "PingFang SC", "SimHei")


def create_application(offscreen: bool = False):
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("gisapp")
    app.setApplicationName("gisapp")
    from gisapp.ui.shell.crash import install_safety_net

    # A crash leaves its stack in the crash log; an uncaught exception is shown, and the app runs on.
    install_safety_net()
    choose_cjk_font(app)
    return app


def choose_cjk_font(app) -> str | None:
    """Make the UI font one with Chinese glyphs, loading bundled fonts if needed."""
    from PySide6.QtGui import QFont, QFontDatabase

    from gisapp.paths import resources_dir

    fonts_dir = resources_dir() / "fonts"
    if fonts_dir.is_dir():
        for font_file in sorted(fonts_dir.glob("*.tt[fc]")) + sorted(fonts_dir.glob("*.otf")):
            QFontDatabase.addApplicationFont(str(font_file))
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            font = QFont(family)
            font.setPointSizeF(max(9.5, app.font().pointSizeF()))
            app.setFont(font)
            return family
    print("gisapp: warning: no Chinese font found; install fonts-wqy-microhei "
          "(scripts/bootstrap.sh does) or Chinese labels will show as boxes", file=sys.stderr)
    return None


def open_initial_project(project_path: str | None, actuals: str | None):
    """The project to start with; warnings about the actuals CSV go to stderr as in the CLI."""
    from gisapp.io.session import open_project_with_actuals

    project, warnings = open_project_with_actuals(project_path, actuals)
    for warning in warnings:
        print(f"gisapp: warning: {warning}", file=sys.stderr)
    return project


def resolve_language(lang: str | None) -> str:
    from PySide6.QtCore import QSettings

    from gisapp.ui.shell.i18n import system_language

    if lang:
        return lang
    stored = QSettings().value("language")
    return stored if stored in ("zh", "en") else system_language()


def run_window(project_path: str | None = None, lang: str | None = None, actuals: str | None = None,
               files: list[str] | tuple[str, ...] = (), basemap: str | None = None) -> int:
    """The window; ``files`` open beside the project once it is up (problems in a message)."""
    app = create_application()
    start_window(project_path, lang, actuals, files, basemap)
    return app.exec()


def start_window(project_path: str | None = None, lang: str | None = None, actuals: str | None = None,
                 files: list[str] | tuple[str, ...] = (), basemap: str | None = None):
    """Show the main window at once; a project file (``--project``) and then ``files`` are
    read in the background, as File > Open reads them (progress and Cancel in the status
    bar). The window starts on an empty project, which stays if the project is cancelled
    or cannot be read (a message names the file and the problem). The actuals CSV is read
    once the project is in."""
    from PySide6.QtCore import QTimer

    from gisapp.core.model.project import Project
    from gisapp.io.file_checks import ensure_regular_file
    from gisapp.io.postgis.connection import is_postgres_url
    from gisapp.ui.shell.basemaps import layers_for_option
    from gisapp.ui.shell.main_window import MainWindow

    for path in (project_path, actuals if project_path else None):
        if path and not is_postgres_url(path):  # a server is asked in the background
            ensure_regular_file(Path(path))  # a missing file fails on the command line, as before
    project = Project() if project_path else open_initial_project(None, actuals)
    lang = resolve_language(lang)
    basemap_layers = layers_for_option(basemap, lang) if basemap else []  # a bad option fails first
    window = MainWindow(project, lang)
    if basemap_layers:
        window.basemaps.add(basemap_layers)
        window.project.set_modified(False)
    window.show()
    def started(batch=None) -> None:
        if batch is not None:
            _project_opened(window, batch, actuals)
        window.editing.offer_recovery()  # edits a crashed session autosaved (once the project is in)
        if files:
            _open_files_and_zoom(window, list(files))

    if project_path:
        window.open_paths([project_path], on_done=started)
    else:
        QTimer.singleShot(0, started)
    return window


def _project_opened(window, batch, actuals: str | None) -> None:
    """The ``--project`` file is in (or was refused or cancelled): its layers' warnings on
    stderr as before, then the actuals CSV (its problems in the window, as Import actuals)."""
    from gisapp.io.session import layer_warnings

    if not batch.outcome.opened:
        return
    for warning in layer_warnings(window.project):
        print(f"gisapp: warning: {warning}", file=sys.stderr)
    if actuals:
        window.indicators.import_csv(actuals)
    window.project.set_modified(False)


def _open_files_and_zoom(window, files: list[str]) -> None:
    """Open ``files`` in the background; the view fits them once they are read."""
    before = {layer.id for layer in window.project.layers}

    def zoom(batch) -> None:
        if batch.outcome.opened:
            added = [layer.id for layer in window.project.layers if layer.id not in before]
            window.canvas.zoom_to_layers(added) if added else window.canvas.zoom_full()

    window.open_paths(files, on_done=zoom)


def open_files_for_screenshot(window, files: list[str]) -> None:
    """Open ``files`` in the window: problems go to stderr as warnings; a file that cannot be
    opened at all raises its GisIOError (the command line exits with status 2)."""
    outcome = window.read_paths(files)
    if outcome.refused:
        raise outcome.refused[0]
    for line in outcome.not_taken_over:  # what a QGIS project or style could not bring along
        print(f"gisapp: warning: {line}", file=sys.stderr)
    for report in outcome.reports():
        print(f"gisapp: warning: {Path(report.source).name}: {report.summary()}", file=sys.stderr)
        for rejected in report.rejected[:20]:
            print(f"gisapp: warning: {Path(report.source).name}: {rejected.message}", file=sys.stderr)
    added = [layer.id for layer in [*outcome.layers, *outcome.rasters] if layer in window.project.layers]
    if added:
        window.canvas.zoom_to_layers(added)


def take_screenshot(out: str, size: tuple[int, int] = (1600, 1000), select: str | None = None,
                    lang: str = "en", project_path: str | None = None, table: bool = False,
                    dashboard: bool = False, style_by_progress: bool = False,
                    actuals: str | None = None, indicator: str | None = None,
                    files: list[str] | tuple[str, ...] = (), basemap: str | None = None) -> Path:
    """Render the main window offscreen to a PNG, optionally with a feature selected.

    ``dashboard`` opens the indicator dashboard; ``style_by_progress`` colours the plan zones
    by the progress of their indicators; ``actuals`` loads monitoring values from a CSV first;
    ``files`` are data files opened beside the project, and the view fits them.
    """
    app = create_application(offscreen=True)
    from gisapp.ui.shell.basemaps import layers_for_option
    from gisapp.ui.shell.main_window import MainWindow

    project = open_initial_project(project_path, actuals)
    basemap_layers = layers_for_option(basemap, lang) if basemap else []
    window = MainWindow(project, lang)
    if basemap_layers:
        window.basemaps.add(basemap_layers)
        window.project.set_modified(False)
    window.resize(*size)
    window.show()
    app.processEvents()
    window.canvas.zoom_full()
    if files:
        try:
            open_files_for_screenshot(window, list(files))
        except BaseException:
            window.project.set_modified(False)
            window.close()
            raise
        window.project.set_modified(False)  # nothing to save from a screenshot
    if select and not window.select_feature(select):
        window.close()
        raise KeyError(f"no feature with id {select!r} in the project")
    if table:
        window.open_attribute_table(window.project.find_feature(select)[0].id if select else None)
    if style_by_progress:
        window.indicators.style_by_progress()
    if dashboard or indicator:
        window.indicators.show_dashboard()
        if indicator and not window.indicators.dashboard.select_indicator(indicator):
            window.close()
            raise KeyError(f"no indicator with id {indicator!r}; `gisapp indicators` lists them")
        if not indicator:
            window.indicators.dashboard.show_category_chart()
        window.indicators.service.wait()
        app.processEvents()
        window.canvas.zoom_full()
    app.processEvents()
    window.canvas.wait_for_render()
    if basemap_layers:
        window.canvas.wait_for_tiles()
    image = window.grab()
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out_path)):
        raise OSError(f"could not write {out_path}")
    window.project.set_modified(False)
    window.close()
    return out_path
