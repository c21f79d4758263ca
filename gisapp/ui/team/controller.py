"""Team editing in the main window: conflicts at save, others' live changes, feature history.

- **Conflicts.** When a save of a shared table stops with a ConflictError, the save routing
  calls :meth:`TeamController.resolve_conflicts`: the conflict dialog shows each feature; the
  decisions become undoable edits (take theirs, an edited result) and new base versions
  (:func:`gisapp.core.editing.remote.accept_server_version`), and the save is tried again.
- **Live changes.** One LISTEN connection per server (:class:`~gisapp.ui.team.live.LiveChanges`).
  Notices are gathered for 150 ms, the changed rows read on the team thread, then applied on
  the UI thread to features without a local edit; a feature with a local edit is marked on the
  map and in the identify panel (:func:`~gisapp.core.editing.remote.apply_remote_rows`).
- **History.** View > Feature history: the versions of the feature last clicked, read on the
  team thread; the chosen version is drawn as a ghost over the map; *Restore* pushes an edit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDockWidget

from gisapp.core.editing.changes import leaf_edits
from gisapp.core.editing.edits import (
    AddFeatures,
    DeleteFeatures,
    FieldValueError,
    SetAttribute,
    SetFieldValues,
    SetGeometries,
)
from gisapp.core.editing.ops import delete_features
from gisapp.core.editing.remote import (
    RemoteOutcome,
    accept_server_version,
    apply_remote_rows,
    current_keys,
    set_row_edit,
)
from gisapp.core.editing.tools import Overlay
from gisapp.core.model.layer import VectorLayer
from gisapp.io.postgis.connection import ConnectionSpec
from gisapp.io.postgis.source import TableRef, table_ref
from gisapp.ui.docks import show_dock
from gisapp.ui.team.conflict_dialog import EDITED, THEIRS, ConflictDialog, ConflictItem
from gisapp.ui.team.history_panel import HistoryPanel, VersionRow
from gisapp.ui.team.jobs import TEAM_THREAD, read_history, read_remote_rows, table_of, to_crs
from gisapp.ui.team.live import LiveChanges
from gisapp.ui.workers import Job, JobRunner

ABSENT = 0  # the base version of a row the server no longer has (as gisapp.io.postgis.team)
NOTICE_GATHER_MS = 150
RECENT_SHOWN_MS = 8000  # how long a feature others just saved stays outlined on the map


@dataclass
class Mark:
    """A feature someone else changed on the server while it has a local edit here."""

    user: str
    version: int
    operation: str


def _plain(value):
    """A frame or JSON value as the dialogs show and edits take it."""
    if isinstance(value, np.generic):
        return value.item()
    return value


class TeamController(QObject):
    """Wires team editing into a MainWindow (created after its editing controller)."""

    remoteApplied = Signal(str, object)  # layer id, RemoteOutcome (tests and the status bar)
    historyShown = Signal(str, int)  # layer id, key: the panel shows that feature's versions
    conflictsResolved = Signal(str, bool)  # layer id, whether the save goes on

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        self.editing = window.editing
        self.passwords: dict[str, str] = {}  # by URL: passwords typed this session (never saved)
        self.password_for = lambda url: self.passwords.get(url)
        self.runner = JobRunner(TEAM_THREAD, self)
        self.runner.finished.connect(self._job_done)
        self._jobs: dict[int, tuple] = {}
        self.listeners: dict[str, LiveChanges] = {}
        self.marks: dict[str, dict[int, Mark]] = {}
        self.deferred: dict[str, set[int]] = {}
        self.own_txids: set[int] = set()
        self._notices: dict[str, dict[int, object]] = {}
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_GATHER_MS)
        self._notice_timer.timeout.connect(self._fetch_noticed_rows)
        self.recent: dict[str, dict[int, str]] = {}  # layer id -> key -> who saved it (outlined a while)
        self._recent_timer = QTimer(self, singleShot=True, interval=RECENT_SHOWN_MS)
        self._recent_timer.timeout.connect(self._forget_recent)
        self.ghost: tuple[str, object, str] | None = None  # (layer id, geometry in layer CRS, label)
        self.history_target: tuple[str, int] | None = None  # (layer id, key)
        self.conflict_dialog: ConflictDialog | None = None
        self.project = None
        self._closed = False

        self.history_panel = HistoryPanel(window)
        self.history_panel.versionChosen.connect(self._version_chosen)
        self.history_panel.restoreRequested.connect(self.restore_version)
        self.history_dock = QDockWidget(window)
        self.history_dock.setObjectName("FeatureHistoryDock")
        self.history_dock.setWidget(self.history_panel)
        self.history_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                                      | QDockWidget.DockWidgetFloatable)
        window.addDockWidget(Qt.RightDockWidgetArea, self.history_dock)
        window.tabifyDockWidget(window.panel_dock, self.history_dock)
        self.history_dock.hide()
        self.history_dock.visibilityChanged.connect(self._history_visibility)
        self.act_history = self.history_dock.toggleViewAction()
        window.menu_view.addAction(self.act_history)

        self.canvas.overlay_sources.append(self.canvas_overlay)
        self.canvas.featureClicked.connect(self._feature_clicked)
        window.panel.feature_note = self.feature_note
        window.projectChanged.connect(self.set_project)
        window.languageChanged.connect(lambda _lang: self.retranslate())
        self.editing.session.changed.connect(self._session_changed)
        postgis = getattr(window, "postgis", None)  # the save routing (Layer > Add PostGIS layers)
        if postgis is not None and hasattr(postgis, "conflict_handler"):
            postgis.conflict_handler = self.handle_conflicts
        self.set_project(window.project)
        self.retranslate()

    # --- the window's interface ------------------------------------------------------------------
    def retranslate(self) -> None:
        self.history_dock.setWindowTitle(self.tr("Feature history"))
        self.act_history.setText(self.tr("Feature history"))
        self.history_panel.retranslate()
        if self.conflict_dialog is not None:
            self.conflict_dialog.retranslate()

    def set_project(self, project) -> None:
        if self.project is not None and self.project is not project:
            self.project.layers_changed.disconnect(self.follow_layers)
        self.project = project
        project.layers_changed.connect(self.follow_layers)
        self.marks.clear()
        self.recent.clear()
        self.deferred.clear()
        self._notices.clear()
        self.ghost = None
        self.history_target = None
        self.history_panel.show_nothing()
        self.follow_layers()

    def shutdown(self) -> None:
        self._closed = True
        self._notice_timer.stop()
        for live in self.listeners.values():
            live.stop()
        self.listeners.clear()
        self.runner.shutdown()

    def spec_for(self, ref: TableRef) -> ConnectionSpec:
        spec = ref.spec()
        password = self.password_for(ref.url)
        return spec.with_password(password) if password else spec

    def shared_layers(self) -> list[tuple[VectorLayer, TableRef]]:
        if self.project is None:
            return []
        out = []
        for layer in self.project.vector_layers():
            ref = table_ref(layer)
            if ref is not None and layer.stored is not None:
                out.append((layer, ref))
        return out

    # --- live changes ------------------------------------------------------------------------------
    def follow_layers(self) -> None:
        """Listen to every server that a layer of the project comes from (and no other)."""
        if self._closed:
            return
        wanted: dict[str, set[tuple[str, str]]] = {}
        refs: dict[str, TableRef] = {}
        for _layer, ref in self.shared_layers():
            wanted.setdefault(ref.url, set()).add((ref.schema, ref.table))
            refs[ref.url] = ref
        for url in list(self.listeners):
            if url not in wanted or self.listeners[url].tables != frozenset(wanted[url]):
                self.listeners.pop(url).stop()
        for url, tables in wanted.items():
            if url in self.listeners:
                continue
            live = LiveChanges(self.spec_for(refs[url]), tables, self)
            live.changed.connect(lambda notice, url=url: self.notice_arrived(url, notice))
            live.failed.connect(self._listener_failed)
            live.start()
            self.listeners[url] = live

    def wait_listening(self, timeout_s: float = 10.0) -> bool:
        """Whether every listener has its LISTEN in place (tests wait for this)."""
        import time

        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if all(live.listening for live in self.listeners.values()):
                return True
            time.sleep(0.02)
        return False

    def _listener_failed(self, error: str) -> None:
        self.window.statusBar().showMessage(
            self.tr("Live changes from the server stopped: {error}. Retrying…").format(error=error), 8000)

    def notice_arrived(self, url: str, notice) -> None:
        if notice.txid in self.own_txids:
            return  # this window's own save
        for layer, ref in self.shared_layers():
            if ref.url == url and (ref.schema, ref.table) == (notice.schema, notice.table):
                self._notices.setdefault(layer.id, {})[int(notice.key)] = notice
        if self._notices and not self._notice_timer.isActive():
            self._notice_timer.start()

    def _saving(self) -> bool:
        return bool(getattr(getattr(self.window, "postgis", None), "saving", False))

    def _fetch_noticed_rows(self) -> None:
        if self._saving():
            # The window's own save is on its way: its rows get their versions when it ends, so
            # its own notices are then recognised as already seen.
            self._notice_timer.start()
            return
        notices, self._notices = self._notices, {}
        for layer_id, by_key in notices.items():
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                continue
            ref = table_ref(layer)
            if ref is None:
                continue
            job = Job(read_remote_rows, self.spec_for(ref), table_of(ref, layer.crs), sorted(by_key))
            self._jobs[self.runner.submit(job).id] = ("rows", layer_id, by_key)

    def fetch_deferred(self, layer_id: str) -> None:
        """Rows others added or deleted while the layer was edited: read and apply them now."""
        keys = self.deferred.pop(layer_id, set())
        if not keys:
            return
        layer = self.project.layer(layer_id)
        ref = table_ref(layer)
        if ref is None:
            return
        job = Job(read_remote_rows, self.spec_for(ref), table_of(ref, layer.crs), sorted(keys))
        self._jobs[self.runner.submit(job).id] = ("rows", layer_id, {})

    def _redo_keys(self, layer: VectorLayer) -> set[int]:
        """Keys of rows that an undone edit would change again on redo (kept as they are)."""
        stack = self.editing.stack
        keys = current_keys(layer, self.editing.session)
        if keys is None:
            return set()
        out: set[int] = set()
        for index in range(stack.index(), stack.count()):
            edit = getattr(stack.command(index), "edit", None)
            if edit is None:
                continue
            for leaf in leaf_edits(edit):
                if getattr(leaf, "layer_id", None) != layer.id:
                    continue
                if isinstance(leaf, SetGeometries):
                    rows = list(leaf.rows)
                elif isinstance(leaf, SetAttribute):
                    rows = [leaf.row]
                elif isinstance(leaf, SetFieldValues):
                    rows = leaf.rows.tolist()
                elif isinstance(leaf, DeleteFeatures):
                    rows = list(leaf.rows)
                elif isinstance(leaf, AddFeatures):
                    rows = []
                else:
                    return set(int(k) for k in keys)  # an edit of the whole table: keep every row
                out.update(int(keys[r]) for r in rows if 0 <= r < len(keys))
        return out

    def _apply_rows(self, layer_id: str, rows: list, notices: dict) -> None:
        try:
            layer = self.project.layer(layer_id)
        except KeyError:
            return
        outcome: RemoteOutcome = apply_remote_rows(layer, rows, self.editing.session, self._redo_keys(layer))
        marks = self.marks.setdefault(layer_id, {})
        for key in outcome.marked:
            notice = notices.get(key)
            version = next((r.version for r in rows if r.key == key), 0)
            marks[key] = Mark(getattr(notice, "user", ""), version, getattr(notice, "operation", "UPDATE"))
        recent = self.recent.setdefault(layer_id, {})
        for key in outcome.applied:
            marks.pop(key, None)
            recent[key] = getattr(notices.get(key), "user", "")
        if outcome.applied:
            self._recent_timer.start()
        if outcome.deferred:
            self.deferred.setdefault(layer_id, set()).update(outcome.deferred)
        if outcome.applied or outcome.marked or outcome.deferred:
            self._say_outcome(layer, outcome, notices)
        panel = self.window.panel
        if panel.current is not None and panel.current[0] == layer_id:
            panel.refresh()
        if self.history_target is not None and self.history_target[0] == layer_id \
                and self.history_target[1] in set(outcome.applied) | set(outcome.marked):
            self.show_history_of(layer_id, self.history_target[1])
        self.canvas.update()
        self.remoteApplied.emit(layer_id, outcome)

    def _say_outcome(self, layer: VectorLayer, outcome: RemoteOutcome, notices: dict) -> None:
        users = sorted({getattr(n, "user", "") for n in notices.values() if getattr(n, "user", "")})
        who = ", ".join(users) or self.tr("another editor")
        parts = []
        if outcome.applied:
            parts.append(self.tr("{n} feature(s) of {layer} changed by {who} are shown as saved").format(
                n=len(outcome.applied), layer=layer.title(self.window.lang), who=who))
        if outcome.marked:
            parts.append(self.tr("{n} feature(s) you are editing were also changed by {who}: they are marked, "
                                 "and saving will ask which version to keep").format(n=len(outcome.marked), who=who))
        if outcome.deferred:
            parts.append(self.tr("{n} feature(s) added or deleted by {who} appear when you stop editing").format(
                n=len(outcome.deferred), who=who))
        self.window.statusBar().showMessage("; ".join(parts), 15000)

    def _forget_recent(self) -> None:
        self.recent.clear()
        self.canvas.update()

    def _session_changed(self, layer_id: str) -> None:
        session = self.editing.session
        if not session.is_dirty(layer_id) and self.marks.get(layer_id) and self.conflict_dialog is None:
            self.marks.pop(layer_id, None)  # saved or discarded: no local edit is left to mark
            self.canvas.update()
        if not session.is_editing(layer_id) and self.deferred.get(layer_id):
            self.fetch_deferred(layer_id)

    def saved(self, layer_id: str, txid: int | None = None) -> None:
        """The window saved this layer to its server (the save routing calls this)."""
        if txid:
            self.own_txids.add(int(txid))
        self.marks.pop(layer_id, None)
        self.canvas.update()
        if self.window.panel.current is not None and self.window.panel.current[0] == layer_id:
            self.window.panel.refresh()

    def feature_note(self, layer_id: str, row: int) -> str:
        mark = self._mark_at(layer_id, row)
        if mark is None:
            return ""
        who = mark.user or self.tr("another editor")
        if mark.operation.upper() == "DELETE":
            return self.tr("{who} deleted this feature on the server while you edit it; saving will ask "
                           "which version to keep.").format(who=who)
        return self.tr("{who} saved version {version} of this feature while you edit it; saving will ask "
                       "which version to keep.").format(who=who, version=mark.version)

    def _mark_at(self, layer_id: str, row: int) -> Mark | None:
        marks = self.marks.get(layer_id)
        if not marks:
            return None
        try:
            layer = self.project.layer(layer_id)
        except KeyError:
            return None
        keys = current_keys(layer, self.editing.session)
        if keys is None or not 0 <= row < len(keys):
            return None
        return marks.get(int(keys[row]))

    def marked_rows(self, layer_id: str) -> list[int]:
        """Rows of the layer now marked as changed by someone else (what the map outlines)."""
        marks = self.marks.get(layer_id)
        if not marks:
            return []
        layer = self.project.layer(layer_id)
        keys = current_keys(layer, self.editing.session)
        if keys is None:
            return []
        return np.flatnonzero(np.isin(keys, np.fromiter(marks, dtype=np.int64))).tolist()

    # --- map overlay ----------------------------------------------------------------------------------
    def canvas_overlay(self) -> Overlay:
        overlay = Overlay()
        if self.project is None:
            return overlay
        crs = self.canvas.viewport.crs
        for layer_id in list(self.marks):
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                continue
            if not layer.visible:
                continue
            for row in self.marked_rows(layer_id)[:200]:
                geometry = to_crs(layer.geometry_array[row], layer.crs, crs)
                if geometry is None or shapely.is_empty(geometry):
                    continue
                overlay.geometries.append((geometry, layer.geometry_family, "remote_conflict"))
                point = shapely.point_on_surface(geometry)
                mark = self._mark_at(layer_id, row)
                who = (mark.user if mark else "") or self.tr("another editor")
                overlay.texts.append((point.x, point.y, self.tr("Also changed by {who}").format(who=who), "remote"))
        for layer_id, recent in list(self.recent.items()):
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                continue
            keys = current_keys(layer, self.editing.session)
            if keys is None or not layer.visible or not recent:
                continue
            for row in np.flatnonzero(np.isin(keys, np.fromiter(recent, dtype=np.int64)))[:200].tolist():
                geometry = to_crs(layer.geometry_array[row], layer.crs, crs)
                if geometry is None or shapely.is_empty(geometry):
                    continue
                overlay.geometries.append((geometry, layer.geometry_family, "remote"))
                point = shapely.point_on_surface(geometry)
                who = recent.get(int(keys[row])) or self.tr("another editor")
                overlay.texts.append((point.x, point.y, self.tr("Saved by {who}").format(who=who), "remote"))
        if self.ghost is not None:
            layer_id, geometry, label = self.ghost
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                return overlay
            shown = to_crs(geometry, layer.crs, crs)
            if shown is not None and not shapely.is_empty(shown):
                overlay.geometries.append((shown, layer.geometry_family, "ghost"))
                point = shapely.point_on_surface(shown)
                overlay.texts.append((point.x, point.y, label, "ghost"))
        return overlay

    # --- history --------------------------------------------------------------------------------------
    def _history_visibility(self, visible: bool) -> None:
        if visible:
            current = self.window.panel.current
            if current is not None and self.history_target is None:
                self.show_history(*current)
        elif self.ghost is not None:
            self.ghost = None
            self.canvas.update()

    def _feature_clicked(self, layer_id: str, row: int, _add: bool) -> None:
        if self.history_dock.isVisible():
            self.show_history(layer_id, row)

    def show_history(self, layer_id: str, row: int) -> bool:
        """Show the versions of the feature at ``row`` (read in the background); False, with a
        note in the panel, when the layer is not a shared table or the feature is not saved yet."""
        layer = self.project.layer(layer_id)
        if self.ghost is not None:
            self.ghost = None
            self.canvas.update()
        ref = table_ref(layer)
        if ref is None:
            self.history_target = None
            self.history_panel.show_nothing(self.tr("{layer} is not a PostGIS table: its features have no "
                                                    "saved versions.").format(layer=layer.title(self.window.lang)))
            return False
        keys = current_keys(layer, self.editing.session)
        stored = layer.stored
        if keys is None or not 0 <= row < len(keys) or stored is None or int(keys[row]) not in set(stored.fids.tolist()):
            self.history_target = None
            self.history_panel.show_nothing(self.tr("This feature is not saved to the server yet: it has no "
                                                    "history."))
            return False
        return self.show_history_of(layer_id, int(keys[row]))

    def show_history_of(self, layer_id: str, key: int) -> bool:
        layer = self.project.layer(layer_id)
        ref = table_ref(layer)
        if ref is None:
            return False
        self.history_target = (layer_id, key)
        self.history_panel.show_loading(self._feature_title(layer, key))
        job = Job(read_history, self.spec_for(ref), table_of(ref, layer.crs), key)
        self._jobs[self.runner.submit(job).id] = ("history", layer_id, key)
        return True

    def open_history(self, layer_id: str, row: int) -> bool:
        """Show the dock with the history of one feature."""
        show_dock(self.history_dock)
        return self.show_history(layer_id, row)

    def _feature_title(self, layer: VectorLayer, key: int) -> str:
        keys = current_keys(layer, self.editing.session)
        if keys is not None:
            hits = np.flatnonzero(keys == key)
            if len(hits):
                return f"{layer.feature_label(int(hits[0]), self.window.lang)} · {layer.title(self.window.lang)}"
        return f"{key} · {layer.title(self.window.lang)}"

    def _history_done(self, job: Job, layer_id: str, key: int) -> None:
        if self.history_target != (layer_id, key):
            return  # another feature was clicked meanwhile
        if job.error:
            self.history_panel.show_nothing(self.tr("The history could not be read: {error}").format(error=job.error))
            return
        try:
            layer = self.project.layer(layer_id)
        except KeyError:
            return
        self.history_entries = list(job.result or [])
        rows = []
        for entry in self.history_entries:
            values = dict(entry.row or {})
            geometry = values.pop("geometry", None)
            time = entry.time.astimezone().strftime("%Y-%m-%d %H:%M") if hasattr(entry.time, "strftime") else str(entry.time)
            rows.append(VersionRow(entry.version, entry.operation, entry.user, time, entry.comment, entry.citation,
                                   {k: v for k, v in values.items() if k in layer.frame.columns}, geometry))
        current = None
        keys = current_keys(layer, self.editing.session)
        position = None
        if keys is not None:
            hits = np.flatnonzero(keys == key)
            position = int(hits[0]) if len(hits) else None
        if position is not None:
            record = layer.frame.iloc[position]
            current = {c: _plain(record[c]) for c in layer.frame.columns if c != layer.frame.geometry.name}
        self.history_panel.show_versions(self._feature_title(layer, key), rows, current, position is not None)
        self.historyShown.emit(layer_id, key)

    def _version_chosen(self, index: int) -> None:
        panel = self.history_panel
        if self.history_target is None or not 0 <= index < len(panel.versions):
            self.ghost = None
        else:
            version = panel.versions[index]
            label = self.tr("Version {version} ({who}, {when})").format(
                version=version.version, who=version.user, when=version.time)
            self.ghost = (self.history_target[0], version.geometry, label)
        self.canvas.update()

    def restore_version(self, index: int) -> bool:
        """Make the chosen version the feature's current state, as one undoable edit."""
        if self.history_target is None or not 0 <= index < len(self.history_panel.versions):
            return False
        layer_id, key = self.history_target
        layer = self.project.layer(layer_id)
        version = self.history_panel.versions[index]
        keys = current_keys(layer, self.editing.session)
        hits = np.flatnonzero(keys == key) if keys is not None else []
        if not len(hits):
            self.window.statusBar().showMessage(self.tr("The feature is not in the layer any more."), 8000)
            return False
        row = int(hits[0])
        names = layer.feature_label(row, self.window.lang)
        try:
            edit = set_row_edit(layer, row, version.geometry, version.attributes, "restore_version",
                                {"name": names, "version": version.version})
        except FieldValueError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            return False
        if edit is None:
            self.window.statusBar().showMessage(self.tr("The feature already holds version {version}.").format(
                version=version.version), 8000)
            return False
        if not self.editing.push(edit):
            return False
        self.window.statusBar().showMessage(self.tr("Version {version} restored as a new edit: save to write it, "
                                                    "undo to take it back.").format(version=version.version), 10000)
        record = layer.frame.iloc[row]
        self.history_panel.current = {c: _plain(record[c]) for c in layer.frame.columns
                                      if c != layer.frame.geometry.name}
        return True

    # --- conflicts --------------------------------------------------------------------------------------
    def conflict_items(self, layer: VectorLayer, conflicts: list) -> list[ConflictItem]:
        crs = self.canvas.viewport.crs
        geometry_name = layer.frame.geometry.name
        fields = [c for c in layer.frame.columns if c != geometry_name]
        stored = layer.stored
        base_frame = stored.frame if stored is not None else None
        items = []
        keys = current_keys(layer, self.editing.session)
        for conflict in conflicts:
            mine = dict(conflict.mine) if conflict.mine is not None else None
            theirs = dict(conflict.theirs) if conflict.theirs is not None else None
            mine_geometry = mine.pop("geometry", None) if mine is not None else None
            theirs_geometry = theirs.pop("geometry", None) if theirs is not None else None
            base = base_geometry = None
            if stored is not None and base_frame is not None and len(stored.fids) == len(base_frame):
                hits = np.flatnonzero(stored.fids == conflict.key)
                if len(hits):
                    record = base_frame.iloc[int(hits[0])]
                    base = {c: _plain(record[c]) for c in fields}
                    base_geometry = record[geometry_name]
            title = str(conflict.key)
            if keys is not None:
                hits = np.flatnonzero(keys == conflict.key)
                if len(hits):
                    title = layer.feature_label(int(hits[0]), self.window.lang)
            elif base is not None:
                title = str(base.get(f"name_{self.window.lang}") or base.get("name") or conflict.key)
            time = conflict.their_time.astimezone().strftime("%Y-%m-%d %H:%M:%S") if conflict.their_time is not None else ""
            items.append(ConflictItem(
                int(conflict.key), title, fields, mine, theirs, base,
                to_crs(mine_geometry, layer.crs, crs), to_crs(theirs_geometry, layer.crs, crs),
                to_crs(base_geometry, layer.crs, crs), conflict.their_user, time,
                int(conflict.base_version), int(conflict.their_version or 0)))
        return items

    def resolve_conflicts(self, layer_id: str, conflicts: list, on_done=None) -> ConflictDialog:
        """Show the conflict dialog for a save of ``layer_id`` that found ``conflicts``; when the
        user has decided every feature, apply the decisions and call ``on_done(True)`` (save
        again), or ``on_done(False)`` when the save is cancelled. Returns the dialog (open)."""
        layer = self.project.layer(layer_id)
        marks = self.marks.setdefault(layer_id, {})
        for conflict in conflicts:
            marks[int(conflict.key)] = Mark(conflict.their_user, int(conflict.their_version or 0),
                                            "DELETE" if conflict.theirs is None else "UPDATE")
        self.canvas.update()
        if self.conflict_dialog is not None:
            self.conflict_dialog.close()
        dialog = ConflictDialog(layer.title(self.window.lang), self.conflict_items(layer, conflicts), self.window)
        by_key = {int(c.key): c for c in conflicts}

        def finished(result: int) -> None:
            self.conflict_dialog = None
            go_on = result == QDialog.Accepted and self.apply_decisions(layer_id, dialog, by_key)
            self.conflictsResolved.emit(layer_id, go_on)
            if on_done is not None:
                on_done(go_on)

        dialog.finished.connect(finished)
        dialog.setWindowModality(Qt.WindowModal)
        width = min(1100, int(self.window.width() * 0.9))
        height = min(720, int(self.window.height() * 0.9))
        dialog.resize(width, height)
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def handle_conflicts(self, layer: VectorLayer, error) -> bool:
        """The save routing's conflict handler: show the dialog and wait for the decisions
        (the window keeps painting); True when they are applied and the save should go on."""
        from PySide6.QtCore import QEventLoop

        outcome: list[bool] = []
        loop = QEventLoop(self)
        dialog = self.resolve_conflicts(layer.id, list(error.conflicts), on_done=outcome.append)
        dialog.finished.connect(loop.quit)
        if not outcome:
            loop.exec()
        return bool(outcome and outcome[0])

    def apply_decisions(self, layer_id: str, dialog: ConflictDialog, conflicts: dict) -> bool:
        """Each decision as an edit (one undo step for all) and a new base version; False (with a
        message) when a typed value does not fit its field: nothing is applied then."""
        layer = self.project.layer(layer_id)
        planned = []
        keys = current_keys(layer, self.editing.session)
        for resolution in dialog.resolutions():
            conflict = conflicts[resolution.key]
            hits = np.flatnonzero(keys == resolution.key) if keys is not None else np.empty(0)
            row = int(hits[0]) if len(hits) else None
            version = int(conflict.their_version) if conflict.their_version is not None else ABSENT
            edit = None
            if resolution.choice in (THEIRS, EDITED) and row is not None:
                name = layer.feature_label(row, self.window.lang)
                if resolution.choice == THEIRS and conflict.theirs is None:
                    edit = delete_features(layer, [row])
                else:
                    source = conflict.theirs if resolution.choice == THEIRS or resolution.geometry_from == THEIRS \
                        else conflict.mine
                    geometry = (source or {}).get("geometry")
                    if resolution.choice == THEIRS:
                        values = {k: v for k, v in (conflict.theirs or {}).items() if k != "geometry"}
                    else:
                        values = dict(resolution.values)
                    try:
                        edit = set_row_edit(layer, row, geometry, values,
                                            "take_theirs" if resolution.choice == THEIRS else "resolve_conflict",
                                            {"name": name})
                    except FieldValueError as exc:
                        self.window.show_error(self.tr("The decisions were not applied"),
                                               f"{name}: {exc}")
                        return False
            planned.append((resolution.key, version, edit))
        edits = [edit for _key, _version, edit in planned if edit is not None]
        stack = self.editing.stack
        if edits:
            stack.beginMacro(self.tr("Resolve conflicting edits of {layer}").format(
                layer=layer.title(self.window.lang)))
        try:
            for edit in edits:
                if not self.editing.push(edit):
                    return False
        finally:
            if edits:
                stack.endMacro()
        for key, version, _edit in planned:
            accept_server_version(layer, key, version)
            self.marks.get(layer_id, {}).pop(key, None)
        bases = getattr(getattr(self.window, "postgis", None), "bases", None)
        if isinstance(bases, dict) and layer_id in bases and planned:  # a base the save routing holds
            bases[layer_id] = bases[layer_id].with_versions([k for k, _v, _e in planned],
                                                            [v for _k, v, _e in planned])
        self.canvas.update()
        self.window.statusBar().showMessage(self.tr("{n} conflict(s) resolved; saving again.").format(
            n=len(planned)), 8000)
        return True

    # --- jobs ------------------------------------------------------------------------------------------
    def _job_done(self, job_id: int) -> None:
        job = self.runner.take(job_id)
        what = self._jobs.pop(job_id, None)
        if job is None or what is None or self._closed:
            return
        if what[0] == "history":
            self._history_done(job, what[1], what[2])
        elif what[0] == "rows":
            if job.error:
                self.window.statusBar().showMessage(self.tr("Others' changes could not be read: {error}").format(
                    error=job.error), 10000)
                return
            self._apply_rows(what[1], list(job.result or []), what[2])
