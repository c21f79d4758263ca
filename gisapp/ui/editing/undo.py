"""QUndoCommand around a core :class:`~gisapp.core.editing.edits.Edit` (QtGui only, no widgets).

The command only forwards: ``redo`` applies the edit through the edit session and
``undo`` reverts it, so the undo stack, the Edit menu and the history panel show
exactly the edits the session applied, each with its readable label.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from gisapp.core.editing.edits import Edit
from gisapp.core.editing.session import EditSession


class EditCommand(QUndoCommand):
    def __init__(self, session: EditSession, edit: Edit, text: str | None = None,
                 after: Callable[[Edit, bool], None] | None = None) -> None:
        super().__init__(text if text is not None else edit.label)
        self.session = session
        self.edit = edit
        self._after = after
        self.error: Exception | None = None

    def redo(self) -> None:
        try:
            self.session.apply(self.edit)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never half-pushed
            # An obsolete command is dropped by QUndoStack.push instead of being stacked.
            self.error = exc
            self.setObsolete(True)
            traceback.print_exc()
            return
        if self._after is not None:
            self._after(self.edit, False)

    def undo(self) -> None:
        self.session.undo(self.edit)
        if self._after is not None:
            self._after(self.edit, True)
