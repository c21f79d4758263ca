"""The schema of project metadata, checked where it enters (project GeoPackage, catalogue manifest).

Metadata from a file is untrusted: a colleague's hand edit, another tool or a broken
write can put a list where an object belongs, text where a number belongs, or drop a
key. Everything the model and Qt will see is checked here with pydantic, and the first
problem is reported as ``damaged <part>: <where>: <what was expected>``, for example
``damaged project metadata: layers[3].opacity: expected a number from 0 to 1, got 'abc'``.

Every leaf is a *plain* validator with its own wording, so the message says what a user
can act on (``expected text``) rather than how a parser failed.

Keys this version does not know are kept out of the model and reported as warnings, as
QGIS ignores unknown elements of a project file: the file opens, nothing it understands
is lost, and a misspelt key (``opactiy``) is named rather than silently defaulted. A file
written by a *newer* gisapp is refused before this step (its ``format_version``).
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from gisapp.core.model.labels import LabelStyle
from gisapp.core.model.raster_layer import RasterStyle
from gisapp.core.model.style import SingleStyle, Style, StyleError, shown
from gisapp.core.model.tile_layer import TILE_KINDS, TileSource
from gisapp.core.plan.indicators import Category, Indicator
from gisapp.io.errors import GisIOError

YEAR_RANGE = (1000, 9999)


# --- leaves ---------------------------------------------------------------------------------
def _expect(what: str, accept: Callable[[Any], bool],
            convert: Callable[[Any], Any] = lambda value: value) -> PlainValidator:
    """A validator whose only check is ``accept(value)``; the error says ``expected <what>``."""
    def validate(value: Any) -> Any:
        if not accept(value):
            raise PydanticCustomError("expected", "expected {what}, got {got}",
                                      {"what": what, "got": shown(value)})
        return convert(value)

    return PlainValidator(validate)


def _is_real(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


Text = Annotated[str, _expect("text", lambda v: isinstance(v, str))]
OptionalText = Annotated[str | None, _expect("text or null", lambda v: v is None or isinstance(v, str))]
NonEmptyText = Annotated[str, _expect("non-empty text", lambda v: isinstance(v, str) and v.strip() != "")]
Flag = Annotated[bool, _expect("true or false", lambda v: isinstance(v, bool))]
Fraction = Annotated[float, _expect("a number from 0 to 1", lambda v: _is_real(v) and 0 <= v <= 1, float)]
WholeNumber = Annotated[int, _expect("a whole number", _is_whole)]
OptionalWholeNumber = Annotated[int | None, _expect("a whole number or null", lambda v: v is None or _is_whole(v))]
JsonObject = Annotated[dict[str, Any], _expect("an object", lambda v: isinstance(v, dict))]


def _check_crs(value: Any) -> str:
    """A CRS the canvas can show: pyproj knows it, and it is a 2-D geographic or projected one."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    expected = "a map CRS such as EPSG:3857"
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        raise PydanticCustomError("expected", "expected {what}, got {got}", {"what": expected, "got": shown(value)})
    try:
        crs = CRS.from_user_input(value)
    except CRSError:
        raise PydanticCustomError("expected", "expected {what}, got {got} (unknown to PROJ)",
                                  {"what": expected, "got": shown(value)}) from None
    if not (crs.is_geographic or crs.is_projected) or len(crs.axis_info) != 2:
        raise PydanticCustomError("expected", "expected {what}, got {got} (not a 2-D map CRS)",
                                  {"what": expected, "got": shown(value)})
    return value


MapCrs = Annotated[str, PlainValidator(_check_crs)]


# --- models ---------------------------------------------------------------------------------
class _Entry(BaseModel):
    # Unknown keys are kept aside (model_extra) and reported as warnings, never used.
    model_config = ConfigDict(extra="allow")


class _Styled(_Entry):
    """An entry with a ``style`` dict, checked by the style model itself (core/model/style.py)."""

    style: JsonObject = Field(default_factory=lambda: {"type": "single"})
    _style: Style = PrivateAttr(default_factory=SingleStyle)
    _style_unknown: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _build_style(self) -> _Styled:
        unknown: list[str] = []
        try:
            self._style = Style.from_dict(self.style, unknown)
        except StyleError as exc:
            where = f"style.{exc.where}" if exc.where else "style"
            raise PydanticCustomError("style", "{problem}", {"where": where, "problem": exc.problem}) from None
        self._style_unknown = [f"style.{key}" for key in unknown]
        return self

    def built_style(self) -> Style:
        return self._style


_LEAF_FOR_ANNOTATION = {str: Text, int | None: OptionalWholeNumber, str | None: OptionalText}


def _model_of(cls: type, name: str) -> type[_Entry]:
    """The schema of a core dataclass, field by field, so the two cannot drift apart."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        leaf = _LEAF_FOR_ANNOTATION[hints[item.name]]
        default = ... if item.default is dataclasses.MISSING else item.default
        fields[item.name] = (leaf, default)
    return create_model(name, __base__=_Entry, **fields)


IndicatorEntry = _model_of(Indicator, "IndicatorEntry")
CategoryEntry = _model_of(Category, "CategoryEntry")


class IndicatorsEntry(_Entry):
    format_version: WholeNumber = 1
    categories: list[CategoryEntry] = Field(default_factory=list)  # type: ignore[valid-type]
    indicators: list[IndicatorEntry] = Field(default_factory=list)  # type: ignore[valid-type]

    def definitions(self) -> tuple[list[Category], list[Indicator]]:
        known_c = set(CategoryEntry.model_fields)
        known_i = set(IndicatorEntry.model_fields)
        return ([Category(**{k: getattr(c, k) for k in known_c}) for c in self.categories],
                [Indicator(**{k: getattr(i, k) for k in known_i}) for i in self.indicators])


class GroupEntry(_Entry):
    id: Text
    title_zh: Text
    title_en: Text


ZoomLevel = Annotated[int, _expect("a zoom level from 0 to 24", lambda v: _is_whole(v) and 0 <= v <= 24)]
TileKind = Annotated[str, _expect("'xyz' or 'mbtiles'", lambda v: v in TILE_KINDS)]
LayerKind = Annotated[str, _expect("'vector', 'tiles', 'raster' or 'postgis'",
                                   lambda v: v in ("vector", "tiles", "raster", "postgis"))]


class RasterEntry(_Entry):
    """A raster layer's file (relative to the project where it can be) and its colours
    (core/model/raster_layer.py: RasterStyle, checked by itself); ``crs`` only when the user set it."""

    path: NonEmptyText
    style: JsonObject = Field(default_factory=dict)
    crs: Text = ""

    @model_validator(mode="after")
    def _check_style(self) -> RasterEntry:
        try:
            RasterStyle.from_dict(self.style)
        except ValueError as exc:
            raise PydanticCustomError("style", "{problem}", {"where": "style", "problem": str(exc)}) from None
        return self

    def built_style(self) -> RasterStyle:
        return RasterStyle.from_dict(self.style)


class TileSourceEntry(_Entry):
    """A basemap's source (core/model/tile_layer.py: TileSource); keys are never stored here."""

    kind: TileKind
    url: Text = ""
    path: Text = ""
    subdomains: Text = ""
    min_zoom: ZoomLevel = 0
    max_zoom: ZoomLevel = 19
    attribution: Text = ""
    review_number: Text = ""
    key_service: Text = ""
    preset: Text = ""

    @model_validator(mode="after")
    def _has_where(self) -> TileSourceEntry:
        if self.kind == "xyz" and not self.url.strip():
            raise PydanticCustomError("expected", "expected {what}, got {got}",
                                      {"what": "a tile URL for an xyz source", "got": "none"})
        if self.kind == "mbtiles" and not self.path.strip():
            raise PydanticCustomError("expected", "expected {what}, got {got}",
                                      {"what": "the path of an MBTiles file", "got": "none"})
        return self

    def built(self) -> TileSource:
        return TileSource.from_dict({name: getattr(self, name) for name in type(self).model_fields})


class _Labelled(_Styled):
    """An entry with a ``style`` and a ``labels`` dict (core/model/labels.py: LabelStyle, checked
    by itself); entries written before label settings have none and label with the defaults."""

    labels: JsonObject = Field(default_factory=dict)
    _labels: LabelStyle = PrivateAttr(default_factory=LabelStyle)
    _labels_unknown: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _build_labels(self) -> _Labelled:
        unknown: list[str] = []
        try:
            self._labels = LabelStyle.from_dict(self.labels, "labels", unknown)
        except StyleError as exc:
            raise PydanticCustomError("labels", "{problem}", {"where": exc.where, "problem": exc.problem}) from None
        self._labels_unknown = unknown
        return self

    def built_labels(self) -> LabelStyle:
        return self._labels


class LayerEntry(_Labelled):
    """One layer of the tree: a vector layer (its ``table``) or a basemap (its ``source``).

    ``kind`` was added with basemaps; entries without it are vector layers, as before. A
    ``postgis`` layer has no table in the file: its ``metadata.postgis`` names the table on the
    server (gisapp/io/postgis/references.py).
    ``labels`` (core/model/labels.py: LabelStyle, checked by itself) came later: projects
    without it label with the defaults, as before.
    """

    id: NonEmptyText
    kind: LayerKind = "vector"
    table: Text = ""
    title_zh: Text
    title_en: Text
    group: Text = ""
    visible: Flag = True
    opacity: Fraction = 1.0
    label_field: Text = ""
    metadata: JsonObject = Field(default_factory=dict)
    field_aliases: dict[str, dict[Literal["zh", "en"], Text]] = Field(default_factory=dict)  # column -> lang -> alias
    source: TileSourceEntry | None = None
    raster: RasterEntry | None = None

    @model_validator(mode="after")
    def _kind_has_its_part(self) -> LayerEntry:
        if self.kind == "vector" and "table" not in self.model_fields_set:
            raise PydanticCustomError("missing_part", "required key is missing", {"where": "table"})
        if self.kind == "vector" and not self.table.strip():
            raise PydanticCustomError("missing_part", "expected non-empty text, got {got}",
                                      {"where": "table", "got": shown(self.table)})
        if self.kind == "tiles" and self.source is None:
            raise PydanticCustomError("missing_part", "required key is missing", {"where": "source"})
        if self.kind == "raster" and self.raster is None:
            raise PydanticCustomError("missing_part", "required key is missing", {"where": "raster"})
        if self.kind == "postgis" and not isinstance(self.metadata.get("postgis"), dict):
            # The table on the server is the layer's data: without its reference there is none.
            raise PydanticCustomError("missing_part", "required key is missing", {"where": "metadata.postgis"})
        return self


class ProjectInfo(_Entry):
    title_zh: Text = ""
    title_en: Text = ""
    canvas_crs: MapCrs = "EPSG:3857"
    attribution: Text = ""
    metadata: JsonObject = Field(default_factory=dict)


class ProjectMetadata(_Entry):
    """The ``gisapp_project`` table of a project GeoPackage, key by key."""

    format_version: WholeNumber = 1
    project: ProjectInfo
    groups: list[GroupEntry]
    layers: list[LayerEntry]
    indicators: IndicatorsEntry = Field(default_factory=IndicatorsEntry)
    # Print layouts (gisapp.core.layout.items.Layout.to_dict); each is checked by
    # Layout.from_dict when the project is built. Projects from before layouts have none.
    layouts: list[JsonObject] = Field(default_factory=list)
    # Spatial bookmarks (gisapp.core.model.bookmarks.Bookmark.to_dict), each checked by
    # Bookmark.from_dict; projects from before bookmarks have none.
    bookmarks: list[JsonObject] = Field(default_factory=list)


class ManifestProject(_Entry):
    title_zh: Text = "大连高新区规划"
    title_en: Text = "Dalian High-tech Zone plan"
    crs: MapCrs = "EPSG:4326"
    attribution: Text = ""


class ManifestLayer(_Labelled):
    id: NonEmptyText
    file: NonEmptyText
    title_zh: Text
    title_en: Text
    group: Text = ""
    geometry_type: Text = ""
    visible: Flag = True
    opacity: Fraction = 1.0
    label_field: Text = ""

    def provenance(self) -> dict[str, Any]:
        """Provenance texts (``provenance_zh``, ``provenance_en``, ...) are free-form extras."""
        return {k: v for k, v in (self.model_extra or {}).items() if k.startswith("provenance")}


class CatalogueManifest(_Entry):
    """``layers/manifest.json`` of the bundled catalogue."""

    format_version: WholeNumber = 1
    project: ManifestProject = Field(default_factory=ManifestProject)
    groups: list[GroupEntry]
    layers: list[ManifestLayer]


Checked = typing.TypeVar("Checked", bound=BaseModel)


# --- checking -------------------------------------------------------------------------------
def _location(loc: tuple[int | str, ...]) -> str:
    where = ""
    for part in loc:
        where = f"{where}[{part}]" if isinstance(part, int) else (f"{where}.{part}" if where else str(part))
    return where or "(top level)"


def _problem(error: ErrorDetails) -> tuple[str, str]:
    kind, ctx, loc = error["type"], error.get("ctx") or {}, error["loc"]
    if kind in ("style", "labels"):
        where = _location(loc)
        return (f"{where}.{ctx['where']}" if ctx.get("where") else where), ctx["problem"]
    where = _location(loc)
    if kind == "missing_part":
        return f"{where}.{ctx['where']}", error["msg"]
    if kind == "missing":
        return where, "required key is missing"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return where, f"expected an object, got {shown(error.get('input'))}"
    if kind == "list_type":
        return where, f"expected a list, got {shown(error.get('input'))}"
    return where, error["msg"]


def check(model: type[Checked], data: Any, path: str | Path, part: str,
          warnings: list[str] | None = None) -> Checked:
    """Validate ``data`` against ``model``; a failure raises GisIOError('damaged <part>: ...').

    Unknown keys are added to ``warnings`` as one line naming each of them.
    """
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        where, problem = _problem(errors[0])
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise GisIOError(path, f"damaged {part}: {where}: {problem}{more}") from None
    except RecursionError:
        raise GisIOError(path, f"damaged {part}: nested too deeply to read") from None
    if warnings is not None:
        unknown = unknown_keys(result)
        if unknown:
            shown_keys = ", ".join(unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
            warnings.append(f"{Path(path).name}: {part}: unknown keys ignored: {shown_keys}")
    return result


def unknown_keys(model: BaseModel, where: str = "") -> list[str]:
    """Paths of the keys a validated model did not know, its own and its children's."""
    found = [f"{where}.{key}" if where else key for key in (model.model_extra or {})
             if not (isinstance(model, ManifestLayer) and key.startswith("provenance"))]
    for name in type(model).model_fields:
        value = getattr(model, name)
        child = f"{where}.{name}" if where else name
        if isinstance(value, BaseModel):
            found += unknown_keys(value, child)
        elif isinstance(value, list):
            for number, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found += unknown_keys(item, f"{child}[{number}]")
    if isinstance(model, _Styled):
        found += [f"{where}.{key}" if where else key for key in model._style_unknown]
    if isinstance(model, _Labelled):
        found += [f"{where}.{key}" if where else key for key in model._labels_unknown]
    return found
