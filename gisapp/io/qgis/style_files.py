"""``.qml`` and ``.sld`` style files applied to a layer, and a layer's style saved as one."""

from __future__ import annotations

from pathlib import Path

from gisapp.core.model.layer import VectorLayer
from gisapp.io.atomic import atomic_path
from gisapp.io.errors import GisIOError
from gisapp.io.file_checks import ensure_regular_file
from gisapp.io.qgis.notes import StyleNote
from gisapp.io.qgis.qml import LabelSettings, StyleImport, qml_to_style, style_to_qml
from gisapp.io.qgis.safe_xml import MAX_XML_BYTES
from gisapp.io.qgis.sld import style_to_sld
from gisapp.io.qgis.sld_reader import sld_to_style
from gisapp.io.qgis.style_apply import apply_style_import

STYLE_SUFFIXES = (".qml", ".sld")


def is_style_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in STYLE_SUFFIXES


def read_style_file(path: str | Path) -> StyleImport:
    """The style of a QML or SLD file; raises GisIOError naming the file and the problem."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in STYLE_SUFFIXES:
        raise GisIOError(path, "a style file is .qml (QGIS) or .sld")
    ensure_regular_file(path)  # a pipe or a device would block the read
    size = path.stat().st_size
    if size > MAX_XML_BYTES:
        raise GisIOError(path, f"the style file is too large ({size / 2**20:.0f} MB)")
    try:
        data = path.read_bytes()
        return qml_to_style(data.decode("utf-8-sig")) if suffix == ".qml" else sld_to_style(data)
    except UnicodeDecodeError:
        raise GisIOError(path, "the style file is not UTF-8 text") from None
    except OSError as exc:
        raise GisIOError(path, f"the style file could not be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # XmlRefused: not XML, entities, not a style
        raise GisIOError(path, str(exc)) from None


def apply_style_file(layer: VectorLayer, path: str | Path) -> list[StyleNote]:
    """Apply a QML or SLD file to ``layer``; returns what was simplified. On any problem
    GisIOError is raised and the layer is left as it was."""
    found = read_style_file(path)
    try:
        return apply_style_import(layer, found)
    except ValueError as exc:  # StyleRefused: another geometry type
        raise GisIOError(path, str(exc)) from None


def write_style_file(layer: VectorLayer, path: str | Path) -> None:
    """Save the layer's style, opacity (QML only) and labels as ``.qml`` or ``.sld``, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in STYLE_SUFFIXES:
        raise GisIOError(path, "save a style as .qml (QGIS) or .sld")
    labels = LabelSettings.of(layer.label_field if layer.label_field in layer.frame.columns else "", layer.label_style)
    family = layer.geometry_family
    text = (style_to_qml(layer.style, family, labels, layer.opacity) if suffix == ".qml"
            else style_to_sld(layer.style, family, layer.title_zh or layer.id, labels.field,
                                                                       labels.label_style()))
    try:
        with atomic_path(path) as temp:
            temp.write_text(text, encoding="utf-8")
    except GisIOError:
        raise
    except OSError as exc:
        raise GisIOError(path, f"the style could not be saved ({exc.strerror or exc})") from exc
