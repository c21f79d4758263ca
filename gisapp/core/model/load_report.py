"""What happened when a layer's data entered gisapp: warnings, rejected features, the CRS decision.

A file a user brings may be partly broken. The reader loads what it can and records the rest
here, so the window, ``gisapp info`` and the tests all see the same account. Every warning and
rejection has a code and an English template with named fields; the window shows the template
translated (the templates are marked for Qt's lupdate), the command line in English.

>>> report = LoadReport(source="zones.shp", layer="zones")
>>> report.warn("no_prj")
>>> report.reject(3, "non_finite", fid=2)
>>> report.warnings[0].message
'no .prj: assumed WGS 84 (EPSG:4326)'
>>> report.rejected[0].message
'feature 3 (fid 2): non-finite coordinate (NaN or infinity)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark ``text`` for Qt's lupdate (the window translates it); returns it unchanged."""
    return text


CONTEXT = "LoadReport"

WARNING_TEMPLATES: dict[str, str] = {
    "no_prj": QT_TRANSLATE_NOOP("LoadReport", "no .prj: assumed WGS 84 (EPSG:4326)"),
    "no_crs": QT_TRANSLATE_NOOP("LoadReport", "the file names no CRS: assumed WGS 84 (EPSG:4326)"),
    "bad_crs": QT_TRANSLATE_NOOP(
        "LoadReport", "the CRS the file names ({declared}) could not be understood: assumed WGS 84 (EPSG:4326)"),
    "no_dbf": QT_TRANSLATE_NOOP("LoadReport", "no .dbf: the attributes are missing; only the geometry was read"),
    "crs_guessed": QT_TRANSLATE_NOOP(
        "LoadReport", "coordinates look like {crs_name} ({crs}); assumed. If that is wrong, use "
                      "Layer > Set layer CRS…"),
    "crs_guessed_ambiguous": QT_TRANSLATE_NOOP(
        "LoadReport", "coordinates look like {crs_name} ({crs}); assumed, but {alternatives} fit as well. "
                      "If that is wrong, use Layer > Set layer CRS…"),
    "crs_contradicted": QT_TRANSLATE_NOOP(
        "LoadReport", "the file says {declared}, but the coordinates (e.g. {example}) are not degrees"),
    "outside_area_of_use": QT_TRANSLATE_NOOP(
        "LoadReport", "the features lie outside the area of use of {crs} ({area}); check the CRS"),
    "far_features": QT_TRANSLATE_NOOP(
        "LoadReport", "{count} feature(s) lie far from all the others ({numbers}); check them"),
    "not_utf8": QT_TRANSLATE_NOOP("LoadReport", "the file is not UTF-8: its text was read as GBK (GB18030)"),
    "wrong_extension": QT_TRANSLATE_NOOP(
        "LoadReport", "the file is a {content} although its name ends {suffix}; read as {content}"),
    "careful_reader": QT_TRANSLATE_NOOP(
        "LoadReport", "GDAL could not read the file ({reason}); it was read feature by feature"),
    "not_strict_json": QT_TRANSLATE_NOOP(
        "LoadReport", "the file is not valid JSON ({reason}); the features GDAL could read were loaded"),
    "split_by_type": QT_TRANSLATE_NOOP(
        "LoadReport", "the file mixes {types}: each type became its own layer"),
    "collections_converted": QT_TRANSLATE_NOOP(
        "LoadReport", "{count} geometry collection(s) of one type were read as multi-part geometries"),
    "empty_layer": QT_TRANSLATE_NOOP("LoadReport", "the layer has no features"),
    "truncated": QT_TRANSLATE_NOOP(
        "LoadReport", "the {part} file is shorter than its header says (truncated?); features may be missing"),
    "layer_skipped": QT_TRANSLATE_NOOP("LoadReport", "layer {layer} was not loaded: {reason}"),
}

REJECT_TEMPLATES: dict[str, str] = {
    "no_geometry": QT_TRANSLATE_NOOP("LoadReport", "no geometry"),
    "empty_geometry": QT_TRANSLATE_NOOP("LoadReport", "empty geometry"),
    "undecodable": QT_TRANSLATE_NOOP("LoadReport", "the geometry is stored in a form that cannot be decoded"),
    "invalid_geometry": QT_TRANSLATE_NOOP("LoadReport", "invalid geometry ({detail})"),
    "unclosed_ring": QT_TRANSLATE_NOOP("LoadReport", "a polygon ring is not closed"),
    "too_few_points": QT_TRANSLATE_NOOP("LoadReport", "too few points for a {detail}"),
    "unsupported_type": QT_TRANSLATE_NOOP("LoadReport", "unsupported geometry type {detail}"),
    "mixed_collection": QT_TRANSLATE_NOOP("LoadReport", "a geometry collection mixing points, lines and polygons"),
    "non_finite": QT_TRANSLATE_NOOP("LoadReport", "non-finite coordinate (NaN or infinity)"),
    "out_of_range": QT_TRANSLATE_NOOP("LoadReport", "coordinates outside the valid range of {detail}"),
    "not_a_feature": QT_TRANSLATE_NOOP("LoadReport", "not a GeoJSON feature ({detail})"),
    "bad_coordinates": QT_TRANSLATE_NOOP("LoadReport", "malformed coordinates ({detail})"),
}

FEATURE_TEMPLATE = QT_TRANSLATE_NOOP("LoadReport", "feature {number}")
FEATURE_FID_TEMPLATE = QT_TRANSLATE_NOOP("LoadReport", "feature {number} (fid {fid})")

# How the layer's CRS was decided.
CRS_DECLARED = "declared"  # the file names it (.prj, GeoPackage srs, GeoJSON "crs")
CRS_STANDARD = "standard"  # GeoJSON without "crs": WGS 84 by RFC 7946
CRS_ASSUMED = "assumed"  # nothing says: WGS 84 assumed, said out loud
CRS_GUESSED = "guessed"  # from the coordinates (Gauss-Krüger zone prefix, UTM 51N, ...)
CRS_SET = "set"  # by the user, Layer > Set layer CRS…
CRS_DECISIONS = (CRS_DECLARED, CRS_STANDARD, CRS_ASSUMED, CRS_GUESSED, CRS_SET)

_CRS_DECISION_TEXTS = {
    CRS_DECLARED: QT_TRANSLATE_NOOP("LoadReport", "declared in the file"),
    CRS_STANDARD: QT_TRANSLATE_NOOP("LoadReport", "GeoJSON without a crs member: WGS 84 by RFC 7946"),
    CRS_ASSUMED: QT_TRANSLATE_NOOP("LoadReport", "assumed (the file names no CRS)"),
    CRS_GUESSED: QT_TRANSLATE_NOOP("LoadReport", "guessed from the coordinates"),
    CRS_SET: QT_TRANSLATE_NOOP("LoadReport", "set by the user"),
}


def crs_decision_template(how: str) -> str:
    return _CRS_DECISION_TEXTS[how]


class _Defaults(dict[str, Any]):
    """Leave unknown fields visible instead of raising (a template and its call out of step)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: dict[str, Any]) -> str:
    return template.format_map(_Defaults(params))


@dataclass(frozen=True)
class LoadWarning:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return WARNING_TEMPLATES[self.code]

    @property
    def message(self) -> str:
        return fill(self.template, self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **({"params": self.params} if self.params else {})}


@dataclass(frozen=True)
class RejectedFeature:
    """A feature that was not loaded: ``number`` counts the layer's features from 1 in file
    order; ``fid`` is the source's feature id where it has one (GeoPackage, Shapefile)."""

    number: int
    code: str
    detail: str = ""
    fid: int | None = None

    @property
    def template(self) -> str:
        return REJECT_TEMPLATES[self.code]

    @property
    def reason(self) -> str:
        return fill(self.template, {"detail": self.detail})

    @property
    def label_template(self) -> str:
        return FEATURE_TEMPLATE if self.fid is None or self.fid == self.number else FEATURE_FID_TEMPLATE

    @property
    def label(self) -> str:
        return fill(self.label_template, {"number": self.number, "fid": self.fid})

    @property
    def message(self) -> str:
        return f"{self.label}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "fid": self.fid, "code": self.code, "reason": self.reason,
                "message": self.message}


@dataclass
class LoadReport:
    """The account of one layer read from a file (see the module docstring)."""

    source: str
    layer: str
    features_read: int = 0
    crs: str = ""
    crs_how: str = CRS_DECLARED
    warnings: list[LoadWarning] = field(default_factory=list)
    rejected: list[RejectedFeature] = field(default_factory=list)

    def warn(self, code: str, **params: Any) -> None:
        if code not in WARNING_TEMPLATES:
            raise KeyError(f"unknown warning code {code!r}")
        warning = LoadWarning(code, params)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def reject(self, number: int, code: str, detail: str = "", fid: int | None = None) -> None:
        if code not in REJECT_TEMPLATES:
            raise KeyError(f"unknown rejection code {code!r}")
        self.rejected.append(RejectedFeature(number, code, detail, fid))

    @property
    def features_loaded(self) -> int:
        return self.features_read - len(self.rejected)

    @property
    def has_problems(self) -> bool:
        return bool(self.warnings or self.rejected)

    @property
    def crs_trusted(self) -> bool:
        """False when nothing in the file said which CRS the coordinates are in."""
        return self.crs_how in (CRS_DECLARED, CRS_STANDARD, CRS_SET)

    def summary(self) -> str:
        """One line: the warnings, then how many features were rejected."""
        parts = [warning.message for warning in self.warnings]
        if self.rejected:
            parts.append(f"{len(self.rejected)} of {self.features_read} features rejected")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "layer": self.layer, "features_read": self.features_read,
                "features_loaded": self.features_loaded, "crs": self.crs, "crs_decision": self.crs_how,
                "crs_decision_text": crs_decision_template(self.crs_how),
                "warnings": [w.to_dict() for w in self.warnings],
                "rejected": [r.to_dict() for r in self.rejected]}
