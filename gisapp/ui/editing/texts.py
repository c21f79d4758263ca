"""Translated texts for the Qt-free editing core: tool messages, problems, field errors.

The core names these by key (``split_no_cross``, ``self_intersection``, ``not_integer``)
and keeps English defaults; this class turns the keys into UI strings with ``tr`` so
the Chinese translation covers them. Undo labels are the exception: the core holds them
in both languages (``gisapp.core.editing.edits.LABELS``), and :meth:`edit_label` picks one.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from gisapp.core.editing.edits import Edit
from gisapp.core.editing.validation import Problem


class EditTexts(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = "en"

    # --- undo labels ------------------------------------------------------------------------
    def edit_label(self, edit: Edit) -> str:
        return edit.label_in(self.lang)

    # --- tool and edit messages ---------------------------------------------------------------
    def message(self, key: str, params: dict | None = None) -> str:
        params = params or {}
        family = self.family(params.get("family", ""))
        texts = {
            "no_edit_layer": self.tr("Choose a layer in the layer tree and turn on editing first (Ctrl+E)."),
            "too_few_vertices": self.tr("Too few vertices: this shape needs at least {minimum}.").format(
                minimum=params.get("minimum", 3)) if "minimum" in params
            else self.tr("Too few vertices: a ring keeps at least 3 and a line at least 2. "
                         "Delete the feature instead."),
            "ring_outside": self.tr("Draw the ring inside a polygon of the layer."),
            "select_one": self.tr("Select exactly one feature first."),
            "wrong_family": self.tr("This layer holds {family}; use the matching tool.").format(family=family),
            "needs_polygons": self.tr("Rings can only be added to polygons."),
            "split_no_cross": self.tr("The cut line must cross a feature from one side to the other."),
            "split_needs_lines_or_polygons": self.tr("Only polygons and lines can be split."),
            "merge_needs_two": self.tr("Select at least two features of the layer to merge."),
            "merge_keep": self.tr("The feature whose attributes are kept must be selected."),
            "merge_needs_lines_or_polygons": self.tr("Points cannot be merged."),
            "nothing_selected": self.tr("Select features first."),
            "no_vertex_selected": self.tr("Click a vertex (shift-click for more) before deleting."),
            "clipboard_empty": self.tr("Copy features first."),
            "no_segment": self.tr("There is no segment here to insert a vertex into."),
            "no_figure": self.tr("Name the figure the features were traced over."),
            "no_quality_field": self.tr("{layer} has no geom_quality field to mark.").format(
                layer=params.get("layer", "")),
        }
        return texts.get(key, key)

    def family(self, family: str) -> str:
        return {"point": self.tr("points"), "line": self.tr("lines"),
                "polygon": self.tr("polygons")}.get(family, family)

    # --- problems ------------------------------------------------------------------------------
    def problem(self, problem: Problem) -> str:
        texts = {
            "self_intersection": self.tr("Self-intersection: the boundary crosses itself"),
            "ring_self_intersection": self.tr("Ring self-intersection: a ring touches itself"),
            "too_few_points": self.tr("Too few points: a ring needs at least 3 distinct vertices"),
            "hole_outside_shell": self.tr("A hole lies outside its polygon"),
            "nested_holes": self.tr("Holes are nested inside each other"),
            "interior_disconnected": self.tr("Holes cut the polygon in two"),
            "nested_shells": self.tr("Parts lie inside each other"),
            "duplicate_rings": self.tr("Duplicate rings"),
            "invalid_coordinate": self.tr("Invalid coordinate"),
            "ring_not_closed": self.tr("A ring is not closed"),
            "orientation": self.tr("Ring orientation: the outer ring runs clockwise"),
            "empty": self.tr("Empty geometry"),
        }
        return texts.get(problem.key, self.tr("Invalid geometry: {reason}").format(reason=problem.reason))

    # --- attribute values ------------------------------------------------------------------------
    def field_error(self, key: str, params: dict) -> str:
        field = params.get("field", "")
        value = params.get("value", "")
        texts = {
            "required_integer": self.tr("“{field}” takes a whole number and cannot be empty."),
            "required_boolean": self.tr("“{field}” takes yes or no and cannot be empty."),
            "not_integer": self.tr("“{field}” takes a whole number; “{value}” is not one."),
            "out_of_range": self.tr("“{field}” takes whole numbers from {minimum} to {maximum}."),
            "not_number": self.tr("“{field}” takes a number; “{value}” is not one."),
            "not_boolean": self.tr("“{field}” takes yes or no; “{value}” is neither."),
            "not_date": self.tr("“{field}” takes a date such as 2025-12-31; “{value}” is not one."),
        }
        template = texts.get(key, self.tr("“{value}” does not fit “{field}”."))
        return template.format(field=field, value=value, minimum=params.get("minimum", ""),
                               maximum=params.get("maximum", ""))
