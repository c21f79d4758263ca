"""A PostGIS connection: host, port, database, user, SSL mode, a service of pg_service.conf, the
schema, and a password that is kept in memory or, when asked, in the system keyring.

*Test connection* connects on the PostGIS worker thread (with the connect timeout), so a
server that does not answer never freezes the dialog. The dialog gives a
:class:`ConnectionSpec` (:meth:`ConnectionDialog.spec`); saving it under a name keeps its
password-free URL in the settings (:mod:`gisapp.ui.postgis.connections`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gisapp.io.postgis.connection import (
    DEFAULT_PORT,
    SSL_MODES,
    ConnectionSpec,
    keyring_password,
    remember_password,
)
from gisapp.io.postgis.services import service_names
from gisapp.io.tiles.keys import use_for_session
from gisapp.ui.plain import plain_label, set_plain
from gisapp.ui.postgis.connections import save_connection, saved_connections
from gisapp.ui.postgis.jobs import POSTGIS_THREAD, test_connection
from gisapp.ui.workers import Job, JobRunner

ERROR_COLOUR = "#b00020"
OK_COLOUR = "#1b5e20"


class ConnectionDialog(QDialog):
    """New or edit a connection; on accept it is saved under its name (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None, name: str = "", spec: ConnectionSpec | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PostgisConnectionDialog")
        self.original_name = name or None
        spec = spec or ConnectionSpec()
        self.name_edit = QLineEdit(name)
        self.service_box = QComboBox()
        self.service_box.setEditable(True)  # a service the files do not list can still be typed
        self.service_box.addItem("")
        self.service_box.addItems(service_names())
        self.service_box.setCurrentText(spec.service)
        self.host_edit = QLineEdit(spec.host)
        self.host_edit.setPlaceholderText("localhost")
        self.port_box = QSpinBox()
        self.port_box.setRange(1, 65535)
        self.port_box.setValue(spec.port or DEFAULT_PORT)
        self.database_edit = QLineEdit(spec.dbname)
        self.user_edit = QLineEdit(spec.user)
        self.ssl_box = QComboBox()
        for mode in SSL_MODES:
            self.ssl_box.addItem(mode, mode)
        self.ssl_box.setCurrentIndex(SSL_MODES.index(spec.sslmode) if spec.sslmode in SSL_MODES else 2)
        self.schema_edit = QLineEdit(spec.schema)
        self.password_edit = QLineEdit(spec.password or "")
        self.password_edit.setEchoMode(QLineEdit.Password)
        self.remember_box = QCheckBox()
        self.test_button = QPushButton()
        self.test_button.setObjectName("TestConnectionButton")
        self.test_button.clicked.connect(self.test)
        self.result_label = plain_label(parent=self)  # a server's message: plain text
        self.result_label.setObjectName("ConnectionResult")
        self.result_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self._rows: list[tuple[QWidget, str]] = []
        for widget, key in ((self.name_edit, "name"), (self.service_box, "service"), (self.host_edit, "host"),
                            (self.port_box, "port"), (self.database_edit, "database"), (self.user_edit, "user"),
                            (self.ssl_box, "ssl"), (self.schema_edit, "schema"), (self.password_edit, "password")):
            self.form.addRow(plain_label(parent=self), widget)
            self._rows.append((widget, key))
        self.form.addRow("", self.remember_box)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(test_row)
        layout.addWidget(self.buttons)
        self._runner = JobRunner(POSTGIS_THREAD, self)
        self._runner.finished.connect(self._tested)
        self.test_job: Job | None = None
        self.keyring_note = ""  # why a remembered password lasts this session only, if it does
        self.retranslate()
        self.resize(520, self.sizeHint().height())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("PostGIS connection"))
        labels = {"name": self.tr("Name"), "service": self.tr("Service (pg_service.conf)"), "host": self.tr("Host"),
                  "port": self.tr("Port"), "database": self.tr("Database"), "user": self.tr("User"),
                  "ssl": self.tr("SSL mode"), "schema": self.tr("Schema"), "password": self.tr("Password")}
        for widget, key in self._rows:
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(labels[key])
        self.name_edit.setPlaceholderText(self.tr("e.g. Bureau plan server"))
        self.service_box.lineEdit().setPlaceholderText(self.tr("none: use the fields below"))
        self.password_edit.setPlaceholderText(self.tr("empty: from the keyring, ~/.pgpass or the service file"))
        self.remember_box.setText(self.tr("Remember the password in the system keyring"))
        self.test_button.setText(self.tr("Test connection"))

    # --- the connection ---------------------------------------------------------------------
    def spec(self) -> ConnectionSpec:
        """What the fields say, with the typed password (in memory only) if there is one."""
        return ConnectionSpec(host=self.host_edit.text().strip(), port=self.port_box.value(),
                              dbname=self.database_edit.text().strip(), user=self.user_edit.text().strip(),
                              sslmode=str(self.ssl_box.currentData()), service=self.service_box.currentText().strip(),
                              schema=self.schema_edit.text().strip() or "public",
                              password=self.password_edit.text() or None)

    def problem(self) -> str:
        """Why the fields cannot make a connection ("" when they can)."""
        spec = self.spec()
        if not spec.service and not spec.dbname:
            return self.tr("Name a database (or a service that names one).")
        return ""

    def test(self) -> None:
        """Connect on the PostGIS thread; the result shows below the fields."""
        problem = self.problem()
        if problem:
            set_plain(self.result_label, problem, ERROR_COLOUR)
            return
        if self.test_job is not None:
            self.test_job.cancel()
        self.test_button.setEnabled(False)
        set_plain(self.result_label, self.tr("Connecting to {server}…").format(server=self.spec().display()))
        self.test_job = self._runner.submit(Job(test_connection, self.spec()))

    def _tested(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        if job is None or job is not self.test_job:
            return
        self.test_job = None
        self.test_button.setEnabled(True)
        if job.error:
            set_plain(self.result_label, self.tr("Could not connect: {error}").format(error=job.error), ERROR_COLOUR)
            return
        server, postgis = job.result  # type: ignore[misc]
        text = (self.tr("Connected: PostgreSQL {server}, PostGIS {postgis}.").format(server=server, postgis=postgis)
                if postgis else self.tr("Connected: PostgreSQL {server}, but PostGIS is not installed in this "
                                        "database.").format(server=server))
        set_plain(self.result_label, text, OK_COLOUR if postgis else ERROR_COLOUR)

    def testing(self) -> bool:
        return self.test_job is not None

    def wait_for_test(self, timeout_s: float = 30.0) -> None:
        """Tests: block until the test ran, then let its result arrive."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self.testing() and clock.elapsed() < timeout_s * 1000:
            self._runner.wait(0.02)
            QCoreApplication.processEvents()

    # --- accepting ------------------------------------------------------------------------
    def accept(self) -> None:
        problem = self.problem()
        name = self.name_edit.text().strip()
        if not problem and not name:
            problem = self.tr("Give the connection a name.")
        if not problem and name != self.original_name and any(c.name == name for c in saved_connections()):
            problem = self.tr("A connection named {name} exists already.").format(name=name)
        if problem:
            set_plain(self.result_label, problem, ERROR_COLOUR)
            return
        spec = self.spec()
        if spec.password and self.remember_box.isChecked():
            self.keyring_note = remember_password(spec, spec.password) or ""
        elif spec.password:
            use_for_session(spec.keyring_name(), spec.password)  # in memory until gisapp closes
        save_connection(name, spec, replacing=self.original_name)
        if self.test_job is not None:
            self.test_job.cancel()
        super().accept()

    def reject(self) -> None:
        if self.test_job is not None:
            self.test_job.cancel()
        super().reject()

    def has_remembered_password(self) -> bool:
        return bool(keyring_password(self.spec()))
