"""Qt translations: English source strings, Chinese from resources/translations."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gisapp.core.texts import LANGUAGES
from gisapp.paths import resources_dir

_installed: list[QTranslator] = []


def translations_dir() -> Path:
    return resources_dir() / "translations"


def system_language() -> str:
    return "zh" if QLocale.system().language() == QLocale.Chinese else "en"


def install_language(lang: str) -> None:
    """Replace the application's translators; Qt then sends LanguageChange events."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose zh or en")
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang == "en":
        return
    ours = QTranslator(app)
    if not ours.load(str(translations_dir() / "gisapp_zh_CN.qm")):
        raise FileNotFoundError("the Chinese translation gisapp_zh_CN.qm is missing")
    qt_base = QTranslator(app)
    if qt_base.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    # Qt 6 strings that Qt's own catalogue misses (file dialogs' "Look in", "Files of type").
    qt_extra = QTranslator(app)
    if qt_extra.load(str(translations_dir() / "qt_extra_zh_CN.qm")):
        app.installTranslator(qt_extra)
        _installed.append(qt_extra)
    app.installTranslator(ours)
    _installed.append(ours)
