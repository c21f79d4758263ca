"""Undo for the layout editor: each change is a QUndoCommand holding the layouts before and after.

The layouts are small (a few kB as dicts), so a command keeps whole states rather than a
diff: one command class covers moving, resizing, every property, adding and removing items
and layouts, page and atlas changes. Consecutive edits of one property of one item (the
steps of a spin box) merge into one command, as in QGIS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand

MERGE_ID = 1507  # any constant: QUndoStack merges only commands with the same id


@dataclass(frozen=True)
class EditorState:
    """The editor's layouts (as stored in the project), the one shown and the chosen item."""

    layouts: tuple[str, ...]  # JSON of each layout: compared and copied cheaply
    current: int
    selected: str

    @property
    def layout_dicts(self) -> list[dict[str, Any]]:
        import json

        return [json.loads(text) for text in self.layouts]


class LayoutCommand(QUndoCommand):
    """Go from ``before`` to ``after``; ``apply`` puts a state into the editor.

    ``merge_key`` (an item id and property) lets the steps of one property edit merge.
    The first redo, when the stack is pushed, applies ``after`` again: the editor has
    already made the change, and applying the same state is harmless.
    """

    def __init__(self, label: str, before: EditorState, after: EditorState,
                 apply: Callable[[EditorState], None], merge_key: str = "") -> None:
        super().__init__(label)
        self.before = before
        self.after = after
        self.apply = apply
        self.merge_key = merge_key
        self._pushed = False

    def id(self) -> int:
        return MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, LayoutCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        if self.after.layouts == self.before.layouts:
            self.setObsolete(True)  # edited back to where it started: nothing to undo
        return True

    def redo(self) -> None:
        if self._pushed:
            self.apply(self.after)
        self._pushed = True

    def undo(self) -> None:
        self.apply(self.before)
