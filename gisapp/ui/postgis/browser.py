"""Layer > Add PostGIS layers: the saved connections, and the schemas and geometry tables of one
(geometry type, SRID, estimated rows, key) to add to the project.

The table list is read on the PostGIS worker thread; the dialog says what it waits for and
stays usable meanwhile. A table without a single-column primary key is listed but cannot be
chosen (its rows could not be told apart when saving edits).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.io.postgis.connection import ConnectionSpec
from gisapp.io.postgis.tables import TableInfo
from gisapp.ui.plain import plain_label, set_plain, tooltip
from gisapp.ui.postgis.connection_dialog import ERROR_COLOUR, ConnectionDialog
from gisapp.ui.postgis.connections import SavedConnection, remove_connection, saved_connections
from gisapp.ui.postgis.jobs import POSTGIS_THREAD, list_geometry_tables, prepare_for_team_editing
from gisapp.ui.workers import Job, JobRunner

INFO_ROLE = Qt.UserRole + 1


class PostgisBrowser(QDialog):
    """Emits ``addRequested(spec, [TableInfo])`` for the tables chosen (see the module docstring)."""

    addRequested = Signal(object, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PostgisBrowser")
        self.connection_box = QComboBox()
        self.connection_box.setMinimumContentsLength(24)
        self.new_button = QPushButton()
        self.edit_button = QPushButton()
        self.remove_button = QPushButton()
        self.connect_button = QPushButton()
        self.connect_button.setObjectName("ConnectButton")
        self.new_button.clicked.connect(self.new_connection)
        self.edit_button.clicked.connect(self.edit_connection)
        self.remove_button.clicked.connect(self.remove_current)
        self.connect_button.clicked.connect(self.list_tables)
        self.tree = QTreeWidget()
        self.tree.setObjectName("PostgisTables")
        self.tree.setColumnCount(7)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setRootIsDecorated(True)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.add_selected() if item.data(0, INFO_ROLE) else None)
        self.status = plain_label(parent=self)  # server messages are plain text
        self.status.setObjectName("BrowserStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.add_button = self.buttons.addButton("", QDialogButtonBox.ActionRole)
        self.add_button.setObjectName("AddTablesButton")
        self.add_button.clicked.connect(self.add_selected)
        self.prepare_button = self.buttons.addButton("", QDialogButtonBox.ActionRole)
        self.prepare_button.setObjectName("PrepareTableButton")
        self.prepare_button.clicked.connect(self.prepare_selected)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        self.connection_label = plain_label(parent=self)
        top.addWidget(self.connection_label)
        top.addWidget(self.connection_box, 1)
        for button in (self.connect_button, self.new_button, self.edit_button, self.remove_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._runner = JobRunner(POSTGIS_THREAD, self)
        self._runner.finished.connect(self._listed)
        self.list_job: Job | None = None
        self.prepare_job: Job | None = None
        self.listed_spec: ConnectionSpec | None = None
        self.tables: list[tuple[TableInfo, bool]] = []  # and whether each is prepared for team editing
        self.reload_connections()
        self.retranslate()
        self.resize(860, 520)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add PostGIS layers"))
        self.connection_label.setText(self.tr("Connection"))
        self.new_button.setText(self.tr("New…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.remove_button.setText(self.tr("Remove"))
        self.connect_button.setText(self.tr("Connect"))
        self.add_button.setText(self.tr("Add to project"))
        self.prepare_button.setText(self.tr("Prepare for team editing"))
        self.prepare_button.setToolTip(tooltip(self.tr(
            "Adds row versions, a history table and change notices to the table, so saves never overwrite "
            "each other's edits unseen. Needs the table's owner; editors then need only SELECT, INSERT, "
            "UPDATE and DELETE.")))
        self.tree.setHeaderLabels([self.tr("Schema / table"), self.tr("Geometry column"), self.tr("Type"),
                                   self.tr("SRID"), self.tr("Rows (estimate)"), self.tr("Key"),
                                   self.tr("Team editing")])
        self._update_buttons()

    # --- connections ------------------------------------------------------------------------
    def reload_connections(self, current: str | None = None) -> None:
        current = current or self.connection_box.currentText()
        self.connection_box.clear()
        for connection in saved_connections():
            self.connection_box.addItem(connection.name, connection.url)
        if current:
            index = self.connection_box.findText(current)
            if index >= 0:
                self.connection_box.setCurrentIndex(index)
        self._update_buttons()

    def current_connection(self) -> SavedConnection | None:
        if self.connection_box.currentIndex() < 0:
            return None
        return SavedConnection(self.connection_box.currentText(), str(self.connection_box.currentData()))

    def connection_dialog(self, name: str = "", spec: ConnectionSpec | None = None) -> ConnectionDialog:
        """The dialog New… and Edit… open (tests answer it)."""
        return ConnectionDialog(self, name, spec)

    def new_connection(self) -> None:
        dialog = self.connection_dialog()
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self._connection_saved(dialog))
        dialog.open()

    def edit_connection(self) -> None:
        connection = self.current_connection()
        if connection is None:
            return
        dialog = self.connection_dialog(connection.name, connection.spec())
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self._connection_saved(dialog))
        dialog.open()

    def _connection_saved(self, dialog: ConnectionDialog) -> None:
        self.reload_connections(dialog.name_edit.text().strip())
        if dialog.keyring_note:
            set_plain(self.status, dialog.keyring_note, ERROR_COLOUR)
        self.list_tables()

    def remove_current(self) -> None:
        connection = self.current_connection()
        if connection is not None:
            remove_connection(connection.name)
            self.reload_connections()
            self.tree.clear()

    # --- tables ------------------------------------------------------------------------------
    def list_tables(self) -> None:
        connection = self.current_connection()
        if connection is None:
            set_plain(self.status, self.tr("Make a connection first (New…)."))
            return
        if self.list_job is not None:
            self.list_job.cancel()
        spec = connection.spec()
        self.tree.clear()
        self.connect_button.setEnabled(False)
        set_plain(self.status, self.tr("Reading the tables of {server}…").format(server=spec.display()))
        self.list_job = self._runner.submit(Job(list_geometry_tables, spec))
        self.list_job.spec = spec  # type: ignore[attr-defined]

    def busy(self) -> bool:
        return self.list_job is not None or self.prepare_job is not None

    def wait(self, timeout_s: float = 30.0) -> None:
        """Tests: block until the table list arrived."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self.busy() and clock.elapsed() < timeout_s * 1000:
            self._runner.wait(0.02)
            QCoreApplication.processEvents()

    def _listed(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        if job is not None and job is self.prepare_job:
            self._prepared(job)
            return
        if job is None or job is not self.list_job:
            return
        self.list_job = None
        self.connect_button.setEnabled(True)
        if job.error:
            set_plain(self.status, self.tr("Could not read the tables: {error}").format(error=job.error), ERROR_COLOUR)
            return
        self.listed_spec = job.spec  # type: ignore[attr-defined]
        self.tables = list(job.result)  # type: ignore[call-overload]
        self._fill(self.tables)

    def _fill(self, tables: list[tuple[TableInfo, bool]]) -> None:
        self.tree.clear()
        schemas: dict[str, QTreeWidgetItem] = {}
        for info, prepared in tables:
            parent = schemas.get(info.schema)
            if parent is None:
                parent = schemas[info.schema] = QTreeWidgetItem(self.tree, [info.schema])
                parent.setFlags(parent.flags() & ~Qt.ItemIsSelectable)
            rows = f"{info.estimated_rows:,}" if info.estimated_rows >= 0 else self.tr("not counted yet")
            item = QTreeWidgetItem(parent, [info.table, info.geometry_column, info.geometry_type,
                                            str(info.srid), rows, info.primary_key or self.tr("none"),
                                            self.tr("yes") if prepared else self.tr("not prepared")])
            item.setData(0, INFO_ROLE, info)
            item.setTextAlignment(3, Qt.AlignRight | Qt.AlignVCenter)
            item.setTextAlignment(4, Qt.AlignRight | Qt.AlignVCenter)
            if not info.primary_key:
                item.setFlags(item.flags() & ~Qt.ItemIsSelectable & ~Qt.ItemIsEnabled)
                item.setToolTip(0, tooltip(self.tr("No single-column primary key: its edits could not be saved.")))
            else:
                item.setToolTip(0, tooltip(info.qualified))
        self.tree.expandAll()
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        if tables:
            set_plain(self.status, self.tr("{n} geometry table(s). Choose the ones to add.").format(n=len(tables)))
        else:
            set_plain(self.status, self.tr("This database has no table with a geometry column that you may read."))
        self._update_buttons()

    def selected_tables(self) -> list[TableInfo]:
        return [item.data(0, INFO_ROLE) for item in self.tree.selectedItems() if item.data(0, INFO_ROLE) is not None]

    def select_table(self, schema: str, table: str) -> bool:
        """Select one listed table (tests, and a table named on the command line)."""
        for index in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(index)
            for child in range(parent.childCount()):
                item = parent.child(child)
                info = item.data(0, INFO_ROLE)
                if info.schema == schema and info.table == table and item.flags() & Qt.ItemIsSelectable:
                    item.setSelected(True)
                    return True
        return False

    def add_selected(self) -> None:
        tables = self.selected_tables()
        if not tables or self.listed_spec is None:
            return
        spec = self.listed_spec
        self.addRequested.emit(spec, tables)
        set_plain(self.status, self.tr("Adding {n} table(s) to the project…").format(n=len(tables)))

    def prepare_selected(self) -> None:
        """Prepare the chosen tables for team editing, on the PostGIS thread (the owner's right)."""
        tables = self.selected_tables()
        if not tables or self.listed_spec is None or self.prepare_job is not None:
            return
        spec = self.listed_spec
        set_plain(self.status, self.tr("Preparing {n} table(s) for team editing…").format(n=len(tables)))
        self.prepare_job = self._runner.submit(Job(lambda: [prepare_for_team_editing(spec, info) for info in tables]))
        self._update_buttons()

    def _prepared(self, job: Job) -> None:
        self.prepare_job = None
        if job.error:
            set_plain(self.status, self.tr("The table was not prepared: {error}").format(error=job.error), ERROR_COLOUR)
            self._update_buttons()
            return
        self.list_tables()
        set_plain(self.status, self.tr("Prepared for team editing. Reading the tables again…"))

    def _update_buttons(self) -> None:
        has_connection = self.connection_box.count() > 0
        for button in (self.edit_button, self.remove_button, self.connect_button):
            button.setEnabled(has_connection and (button is not self.connect_button or self.list_job is None))
        self.add_button.setEnabled(bool(self.selected_tables()))
        self.prepare_button.setEnabled(bool(self.selected_tables()) and self.prepare_job is None)

    def done(self, result: int) -> None:
        if self.list_job is not None:
            self.list_job.cancel()
        super().done(result)
