"""Which rows of an edited layer differ from its project file, kept edit by edit (no Qt).

Each row of a layer read from (or saved to) a project GeoPackage has the feature id it has
there (:class:`~gisapp.core.model.layer.StoredRows`). While the layer is edited,
:class:`RowChanges` keeps one id per current row (added rows get fresh ids above any the
file used) and, per id, the edits that changed the row since the last save, with the
buffer's cancelling rule (see :mod:`gisapp.core.editing.session`): undoing an edit removes
it, undoing an edit made before the save adds its negation, redoing that edit removes the
negation again. Adding and removing rows flips an id's presence the same way. So an edit
undone back to the saved state leaves nothing to write, and an edit costs what its rows
cost (plus an insert into or delete from the id array when rows come or go), never a
comparison of the whole layer.

>>> import numpy as np
>>> changes = RowChanges(np.array([1, 2, 3]), next_fid=4)
>>> changes.pending().is_empty
True
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from gisapp.core.editing.edits import (
    AddFeatures,
    CompoundEdit,
    DeleteFeatures,
    Edit,
    ReplaceFrame,
    SetAttribute,
    SetFieldValues,
    SetGeometries,
)


@dataclass(frozen=True)
class PendingRows:
    """What a save must write for one layer: rows of the current frame and ids to delete."""

    positions: np.ndarray  # rows of the current frame to write, ascending
    fids: np.ndarray  # the id of each of those rows
    added: np.ndarray  # per row: True to insert it, False to update the stored row
    deleted: np.ndarray  # ids of stored rows that are gone

    @property
    def is_empty(self) -> bool:
        return not len(self.positions) and not len(self.deleted)


def _push(tokens: list[int], token: int) -> None:
    """An edit was done (or redone)."""
    if tokens and tokens[-1] == -token:
        tokens.pop()  # redo of an edit that was undone past the last save
    else:
        tokens.append(token)


def _pull(tokens: list[int], token: int) -> None:
    """An edit was undone."""
    if token in tokens:
        del tokens[len(tokens) - 1 - tokens[::-1].index(token)]
    else:
        tokens.append(-token)  # undone past the last save: the row moves away from it


def leaf_edits(edit: Edit) -> Iterator[Edit]:
    """The plain edits of ``edit`` in the order they are done."""
    if isinstance(edit, CompoundEdit):
        for part in edit.edits:
            yield from leaf_edits(part)
    else:
        yield edit


class RowChanges:
    """The rows of one layer that differ from its stored rows (see the module docstring)."""

    def __init__(self, fids: np.ndarray, next_fid: int) -> None:
        self.fids = np.asarray(fids, dtype=np.int64)
        self.next_fid = max(int(next_fid), int(self.fids.max()) + 1 if len(self.fids) else 1)
        self.frame: object | None = None  # the frame these ids describe; the session keeps it current
        self._rows: dict[int, list[int]] = {}  # id -> edits that changed that row's values
        self._presence: dict[int, bool] = {}  # id -> True: added since the save, False: removed
        self._whole: list[int] = []  # edits that replaced the whole table
        # The ids an edit added or removed, so that redoing it (or undoing a delete) gives the
        # rows their ids back and the save finds nothing to write.
        self._ids_of: weakref.WeakKeyDictionary[Edit, np.ndarray] = weakref.WeakKeyDictionary()
        self._old_ids_of: weakref.WeakKeyDictionary[Edit, np.ndarray] = weakref.WeakKeyDictionary()

    # --- following the edits ---------------------------------------------------------------
    def applied(self, layer_id: str, edit: Edit) -> None:
        """``edit`` was done (or redone) on the layer ``layer_id``."""
        touched: set[int] = set()
        whole = False
        for leaf in leaf_edits(edit):
            if getattr(leaf, "layer_id", None) != layer_id:
                continue
            whole |= self._do_leaf(leaf, touched)
        for fid in touched:
            _push(self._rows.setdefault(fid, []), edit.token)
            if not self._rows[fid]:
                del self._rows[fid]
        if whole:
            _push(self._whole, edit.token)

    def undone(self, layer_id: str, edit: Edit) -> None:
        touched: set[int] = set()
        whole = False
        for leaf in reversed(list(leaf_edits(edit))):
            if getattr(leaf, "layer_id", None) != layer_id:
                continue
            whole |= self._undo_leaf(leaf, touched)
        for fid in touched:
            _pull(self._rows.setdefault(fid, []), edit.token)
            if not self._rows[fid]:
                del self._rows[fid]
        if whole:
            _pull(self._whole, edit.token)

    def _do_leaf(self, leaf: Edit, touched: set[int]) -> bool:
        if isinstance(leaf, SetGeometries):
            touched.update(self.fids[np.asarray(leaf.rows, dtype=np.int64)].tolist())
        elif isinstance(leaf, SetAttribute):
            touched.add(int(self.fids[leaf.row]))
        elif isinstance(leaf, SetFieldValues):
            touched.update(self.fids[leaf.rows].tolist())
        elif isinstance(leaf, AddFeatures):
            self._insert(leaf, np.asarray(leaf.positions, dtype=np.int64))
        elif isinstance(leaf, DeleteFeatures):
            self._remove(leaf, np.asarray(leaf.rows, dtype=np.int64))
        elif isinstance(leaf, ReplaceFrame):
            self._old_ids_of[leaf] = self.fids
            self.fids = self._ids_for(leaf, len(leaf.new))
            return True
        else:
            return True  # an edit this log does not know: the save rewrites the table
        return False

    def _undo_leaf(self, leaf: Edit, touched: set[int]) -> bool:
        if isinstance(leaf, SetGeometries):
            touched.update(self.fids[np.asarray(leaf.rows, dtype=np.int64)].tolist())
        elif isinstance(leaf, SetAttribute):
            touched.add(int(self.fids[leaf.row]))
        elif isinstance(leaf, SetFieldValues):
            touched.update(self.fids[leaf.rows].tolist())
        elif isinstance(leaf, AddFeatures):
            self._remove(leaf, np.asarray(leaf.positions, dtype=np.int64))
        elif isinstance(leaf, DeleteFeatures):
            self._insert(leaf, np.asarray(leaf.rows, dtype=np.int64))
        elif isinstance(leaf, ReplaceFrame):
            old = self._old_ids_of.get(leaf)
            self._ids_of[leaf] = self.fids
            self.fids = old if old is not None else self._fresh(len(self.fids))
            return True
        else:
            return True
        return False

    def _fresh(self, count: int) -> np.ndarray:
        ids = np.arange(self.next_fid, self.next_fid + count, dtype=np.int64)
        self.next_fid += count
        return ids

    def _ids_for(self, leaf: Edit, count: int) -> np.ndarray:
        ids = self._ids_of.get(leaf)
        if ids is None or len(ids) != count:
            ids = self._fresh(count)
        return ids

    def _insert(self, leaf: Edit, positions: np.ndarray) -> None:
        """Rows came in at ``positions`` (ascending, in the new frame)."""
        ids = self._ids_for(leaf, len(positions))
        total = len(self.fids) + len(positions)
        is_new = np.zeros(total, dtype=bool)
        is_new[positions] = True
        fids = np.empty(total, dtype=np.int64)
        fids[~is_new] = self.fids
        fids[is_new] = ids
        self.fids = fids
        for fid in ids.tolist():
            if self._presence.get(fid) is False:
                del self._presence[fid]  # a stored row is back
            else:
                self._presence[fid] = True

    def _remove(self, leaf: Edit, positions: np.ndarray) -> None:
        ids = self.fids[positions]
        self._ids_of[leaf] = ids
        self.fids = np.delete(self.fids, positions)
        for fid in ids.tolist():
            if self._presence.get(fid) is True:
                del self._presence[fid]  # a row added since the save is gone again
            else:
                self._presence[fid] = False

    # --- what a save writes ----------------------------------------------------------------------
    @property
    def needs_rewrite(self) -> bool:
        """Whether the whole table was replaced (the save rewrites it)."""
        return bool(self._whole)

    def pending(self) -> PendingRows | None:
        """The rows to write, or None when only a rewrite of the table can save the layer."""
        if self._whole:
            return None
        added = sorted(fid for fid, present in self._presence.items() if present)
        deleted = np.array(sorted(fid for fid, present in self._presence.items() if not present),
                           dtype=np.int64)
        wanted = np.array(sorted(set(self._rows) | set(added)), dtype=np.int64)
        positions = self._positions_of(wanted)
        fids = self.fids[positions]
        return PendingRows(positions, fids, np.isin(fids, np.asarray(added, dtype=np.int64)), deleted)

    def _positions_of(self, wanted: np.ndarray) -> np.ndarray:
        """Rows whose id is in ``wanted`` (ids of removed rows are skipped)."""
        if not len(wanted) or not len(self.fids):
            return np.empty(0, dtype=np.int64)
        fids = self.fids
        if len(wanted) * 64 < len(fids) and bool(np.all(fids[1:] > fids[:-1])):
            # Rows in id order (as read, with additions at the end): binary search, not a scan.
            at = np.searchsorted(fids, wanted).clip(0, len(fids) - 1)
            return np.sort(at[fids[at] == wanted])
        return np.flatnonzero(np.isin(fids, wanted))

    def changed_ids(self) -> set[int]:
        """Ids of rows an unsaved edit changed, added or removed."""
        return {int(fid) for fid in self._rows} | {int(fid) for fid in self._presence}

    def saved(self) -> None:
        """The file now holds the current rows."""
        self._rows.clear()
        self._presence.clear()
        self._whole.clear()
