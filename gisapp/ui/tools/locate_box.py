"""The locate box: type part of a name or id, pick a feature from the list, the map goes there.

Searching runs on the UI thread over the :class:`~gisapp.core.model.locate.LocateIndex` (a
``str.find`` per layer, capped). Layers too large to index at once are indexed by a job on
a worker thread of their own, meanwhile the list says so; the list is refreshed when
their index arrives.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QWidget,
)

from gisapp.core.model.fields import field_alias, value_label
from gisapp.core.model.locate import LayerText, LocateIndex, LocateResults
from gisapp.ui.workers import Job, JobRunner, WorkerThread

# Normal priority: a lowered one would hold the GIL unscheduled on a busy machine (seconds).
LOCATE_THREAD = WorkerThread("gisapp-locate")
SHOWN_HITS = 30
HIT_ROLE = Qt.UserRole + 1  # (layer id, row) of a hit


class IndexJob(Job):
    """Builds one layer's text off the UI thread, checking for cancellation between chunks."""

    def __init__(self, layer_id: str, frame) -> None:
        super().__init__()
        self.layer_id = layer_id
        self.frame = frame

    def work(self) -> object:
        return LayerText.build(self.frame, self.is_cancelled)


class LocateBox(QLineEdit):
    """A search field with a completion list: name, then layer (and the matched field)."""

    featureChosen = Signal(str, int)  # layer id, row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LocateBox")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(200)
        self.setMaximumWidth(340)
        self.project = None
        self.lang = "en"
        self.index = LocateIndex()
        self.results = LocateResults()
        self._building: dict[str, IndexJob] = {}
        self._runner = JobRunner(LOCATE_THREAD, self)
        self._runner.finished.connect(self._on_indexed)
        self.model = QStandardItemModel(0, 2, self)
        self.popup_view = QTreeView()
        self.popup_view.setObjectName("LocatePopup")
        self.popup_view.setHeaderHidden(True)
        self.popup_view.setRootIsDecorated(False)
        self.popup_view.setUniformRowHeights(True)
        self.popup_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.popup_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.popup_view.setTextElideMode(Qt.ElideMiddle)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        self.completer.setPopup(self.popup_view)
        self.completer.setMaxVisibleItems(14)
        self.completer.setWidget(self)
        self.popup_view.header().setSectionResizeMode(0, QHeaderView.Interactive)
        self.popup_view.header().setStretchLastSection(True)
        self.completer.activated[QModelIndex].connect(self._activated)
        self._chosen_by_list = False
        self.textEdited.connect(self.update_list)
        self.returnPressed.connect(self._enter)

    # --- project and language ---------------------------------------------------------------------
    def set_project(self, project) -> None:
        for job in self._building.values():
            job.cancel()
        self._building.clear()
        self.project = project
        self.index = LocateIndex()
        self.model.removeRows(0, self.model.rowCount())

    def shutdown(self) -> None:
        self._runner.shutdown()

    # --- searching ----------------------------------------------------------------------------------------
    def search(self, text: str) -> LocateResults:
        if self.project is None:
            return LocateResults()
        self.results = self.index.search(self.project, text, self.lang, limit=SHOWN_HITS)
        self._index_in_background(self.results.pending)
        return self.results

    def _index_in_background(self, layer_ids: list[str]) -> None:
        for layer_id in layer_ids:
            layer = self.project.layer(layer_id)
            job = self._building.get(layer_id)
            if job is not None and job.frame is layer.frame:
                continue
            if job is not None:
                job.cancel()
            if layer.metadata.get("loading"):
                continue  # indexed once it is read
            self._building[layer_id] = self._runner.submit(IndexJob(layer_id, layer.frame))

    def _on_indexed(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        if not isinstance(job, IndexJob) or self._building.get(job.layer_id) is not job:
            return
        del self._building[job.layer_id]
        try:
            layer = self.project.layer(job.layer_id)
        except KeyError:
            return
        if job.error or job.result is None or layer.frame is not job.frame:
            return  # the layer changed meanwhile: the next search builds it again
        self.index.put(job.layer_id, job.result)  # type: ignore[arg-type]
        if self.text().strip() and self.hasFocus():
            self.update_list(self.text())

    def update_list(self, text: str) -> None:
        results = self.search(text)
        self.model.removeRows(0, self.model.rowCount())
        if not text.strip():
            self.completer.popup().hide()
            return
        for hit in results.hits:
            layer = self.project.layer(hit.layer_id)
            name = QStandardItem(hit.name)
            name.setData((hit.layer_id, hit.row), HIT_ROLE)
            where = layer.title(self.lang)
            if hit.value and hit.value != hit.name:
                column = field_alias(hit.column, self.lang, layer.field_aliases)
                where = f"{where} · {column}: {value_label(hit.column, hit.value, self.lang)}"
            name.setToolTip("")
            place = QStandardItem(where)
            place.setForeground(Qt.darkGray)
            self.model.appendRow([name, place])
        notes = []
        if not results.hits:
            notes.append(self.tr("No feature matches “{text}”").format(text=text.strip()))
        if results.more:
            notes.append(self.tr("Only the first {n} matches are listed: type more").format(n=SHOWN_HITS))
        if results.pending:
            notes.append(self.tr("Still indexing {n} large layer(s)…").format(n=len(results.pending)))
        for note in notes:
            item = QStandardItem(note)
            item.setFlags(Qt.NoItemFlags)
            item.setForeground(Qt.darkGray)
            self.model.appendRow([item, QStandardItem("")])
        # Names on the left, the layer (and the matched field) on the right, both readable.
        width = max(520, self.width())
        self.popup_view.setMinimumWidth(width)
        self.popup_view.header().resizeSection(0, int(width * 0.5))
        self.completer.complete(self.rect())

    # --- choosing ---------------------------------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        hit = index.sibling(index.row(), 0).data(HIT_ROLE)
        if hit is None:
            return
        self._chosen_by_list = True
        QTimer.singleShot(0, self._forget_choice)
        self.featureChosen.emit(hit[0], int(hit[1]))

    def _forget_choice(self) -> None:
        self._chosen_by_list = False

    def _enter(self) -> None:
        """Enter without choosing from the list: the best match."""
        if self._chosen_by_list:
            return
        results = self.search(self.text())
        if results.hits:
            self.completer.popup().hide()
            self.featureChosen.emit(results.hits[0].layer_id, results.hits[0].row)

    def focus_and_select(self) -> None:
        self.setFocus(Qt.ShortcutFocusReason)
        self.selectAll()

    def hits_shown(self) -> list[tuple[str, str]]:
        """(name, where) rows of the list as the user sees them."""
        return [(self.model.item(r, 0).text(), self.model.item(r, 1).text()) for r in range(self.model.rowCount())]


