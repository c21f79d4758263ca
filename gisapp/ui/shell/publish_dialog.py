"""File > Publish to PostGIS…: the project written into one schema of a server, off the UI thread.

The dialog asks for the server as a ``postgresql://`` URL (the password in its own field, kept
in memory for this publish only; empty, libpq takes it from ``~/.pgpass``, the service file,
or the keyring as the connection module does), the schema and whether to replace a project
published there before. :func:`gisapp.io.postgis.project.publish_project` runs on the PostGIS
publish thread with the connection's timeouts; the dialog says what was written or why not.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.model.project import Project
from gisapp.core.plan.actuals import Actual
from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, parse_url
from gisapp.io.postgis.project import PUBLISHED_KEY
from gisapp.ui.plain import plain_label, set_plain
from gisapp.ui.workers import Job, JobRunner, WorkerThread

PUBLISH_THREAD = WorkerThread("gisapp-postgis-publish")
URL_SETTING = "postgis/publish_url"  # the last URL, never with a password


class PublishJob(Job):
    def __init__(self, project: Project, spec: ConnectionSpec, schema: str, overwrite: bool) -> None:
        super().__init__()
        self.project, self.spec, self.schema, self.overwrite = project, spec, schema, overwrite

    def work(self) -> object:
        from gisapp.io.postgis.project import publish_project

        try:
            return publish_project(self.project, self.spec, self.schema, overwrite=self.overwrite)
        except PostgisError as exc:
            return exc


class PublishDialog(QDialog):
    """URL, password, schema, overwrite; *Publish* runs on the publish thread."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PublishDialog")
        self.setModal(True)  # the project does not change while it is written
        self.project = project
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("PublishUrl")
        self.url_edit.setPlaceholderText("postgresql://USER@HOST:5432/DATABASE")
        self.url_edit.setText(str(QSettings().value(URL_SETTING, "") or ""))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("PublishPassword")
        self.password_edit.setEchoMode(QLineEdit.Password)
        self.schema_edit = QLineEdit(self)
        self.schema_edit.setObjectName("PublishSchema")
        self.overwrite_box = QCheckBox(self)
        self.status = plain_label(parent=self)
        self.status.setWordWrap(True)
        self.status.setObjectName("PublishStatus")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.publish_button = QPushButton(self)
        self.publish_button.setObjectName("PublishButton")
        self.buttons.addButton(self.publish_button, QDialogButtonBox.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.publish_button.clicked.connect(self.publish)
        self.form = QFormLayout()
        self.url_label, self.password_label, self.schema_label = (plain_label(parent=self) for _ in range(3))
        self.form.addRow(self.url_label, self.url_edit)
        self.form.addRow(self.password_label, self.password_edit)
        self.form.addRow(self.schema_label, self.schema_edit)
        self.form.addRow(self.overwrite_box)
        layout = QVBoxLayout(self)
        self.note = plain_label(parent=self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._runner = JobRunner(PUBLISH_THREAD, self)
        self._runner.finished.connect(self._finished)
        self.url_edit.textChanged.connect(self._url_changed)
        self._url_changed(self.url_edit.text())
        self.retranslate()
        self.resize(560, self.sizeHint().height())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Publish to PostGIS"))
        set_plain(self.note, self.tr(
            "Writes every vector layer as a table (primary key, spatial index), its style into the "
            "layer_styles table QGIS reads, and the indicators, links and actuals into one schema. "
            "Colleagues open it with gisapp --project URL?schema=NAME or add its tables in QGIS. "
            "Publishing needs the right to create tables."))
        self.url_label.setText(self.tr("Server URL"))
        self.password_label.setText(self.tr("Password"))
        self.schema_label.setText(self.tr("Schema"))
        self.password_edit.setPlaceholderText(self.tr("empty: from ~/.pgpass, the service file or the keyring"))
        self.overwrite_box.setText(self.tr("Replace a project published there before (other tables stay)"))
        self.publish_button.setText(self.tr("Publish"))

    def _url_changed(self, text: str) -> None:
        try:
            spec = parse_url(text)
        except ValueError:
            return
        if spec.schema != "public" or not self.schema_edit.text():
            self.schema_edit.setText(spec.schema if spec.schema != "public" else "plan")

    def spec(self) -> ConnectionSpec:
        """The server typed in (raises ValueError naming what is wrong with the URL)."""
        spec = parse_url(self.url_edit.text())
        password = self.password_edit.text()
        return spec.with_password(password) if password else spec

    def publish(self) -> Job | None:
        try:
            spec = self.spec()
        except ValueError as exc:
            set_plain(self.status, str(exc), "#b00020")
            return None
        schema = self.schema_edit.text().strip() or spec.schema
        QSettings().setValue(URL_SETTING, spec.url())
        self.publish_button.setEnabled(False)
        set_plain(self.status, self.tr("Publishing to {server}, schema {schema}…").format(
            server=spec.display(), schema=schema))
        return self._runner.submit(PublishJob(self.project, spec, schema, self.overwrite_box.isChecked()))

    def busy(self) -> bool:
        return self._runner.busy()

    def wait(self, timeout_s: float = 120.0) -> None:
        """Wait for the publish and hand its result to the dialog (tests)."""
        from PySide6.QtWidgets import QApplication

        self._runner.wait(timeout_s)
        QApplication.processEvents()

    def _finished(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        self.publish_button.setEnabled(True)
        if job is None:
            return
        result = job.result
        if job.error:
            set_plain(self.status, self.tr("Not published: {problem}").format(problem=job.error), "#b00020")
        elif isinstance(result, PostgisError):
            set_plain(self.status, self.tr("Not published: {problem}").format(problem=str(result)), "#b00020")
        else:
            assert isinstance(job, PublishJob)
            text = self.tr("Published {count} layers to {server}, schema {schema}.").format(
                count=len(result.tables), server=job.spec.display(), schema=result.schema)
            if result.left_out:
                text += " " + self.tr("Left out (basemaps and rasters are files on this computer): {layers}").format(
                    layers=", ".join(result.left_out))
            set_plain(self.status, text)

    def done(self, result: int) -> None:
        if self._runner.busy():
            self._runner.wait(None)  # the transaction ends (commit or rollback) before the dialog goes
        super().done(result)


class PublishController(QObject):
    """File > Publish to PostGIS…, and File > Share actuals on PostGIS for a published project:
    the monitoring values this planner changed since opening go to the server (off the UI
    thread), and the values others saved there meanwhile come back."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: PublishDialog | None = None
        self.act_publish = QAction(window)
        self.act_publish.triggered.connect(self.open_dialog)
        self.act_share = QAction(window)
        self.act_share.setObjectName("ShareActuals")
        self.act_share.triggered.connect(self.share_actuals)
        menu = window.menu_file
        before = next((act for act in reversed(menu.actions()) if act.isSeparator()), None)
        menu.insertActions(before, [self.act_publish, self.act_share])
        self.project: Project | None = None
        self._actuals_read: list[Actual] = []  # as on the server when last read: what "changed" is measured against
        self._runner = JobRunner(PUBLISH_THREAD, self)
        self._runner.finished.connect(self._shared)

    def retranslate(self) -> None:
        self.act_publish.setText(self.tr("Publish to PostGIS…"))
        self.act_share.setText(self.tr("Share actuals on PostGIS"))
        if self.dialog is not None:
            self.dialog.retranslate()

    def set_project(self, project: Project) -> None:
        self.project = project
        self._actuals_read = [replace(record) for record in project.indicators.actuals.records()]
        self.act_share.setEnabled(PUBLISHED_KEY in project.metadata)

    def share_actuals(self) -> Job | None:
        project = self.project
        if project is None or PUBLISHED_KEY not in project.metadata:
            return None
        from gisapp.io.postgis.project import save_published_actuals

        source = project.metadata[PUBLISHED_KEY]
        spec = parse_url(str(source["url"]))
        records = [replace(record) for record in project.indicators.actuals.records()]
        self.act_share.setEnabled(False)
        job = Job(save_published_actuals, spec, str(source["schema"]), records, self._actuals_read)
        job.project, job.server = project, spec.display()  # type: ignore[attr-defined]
        return self._runner.submit(job)

    def busy(self) -> bool:
        return self._runner.busy()

    def _shared(self, job_id: int) -> None:
        job = self._runner.take(job_id)
        if job is None or job.project is not self.project:  # type: ignore[attr-defined]
            return
        self.act_share.setEnabled(True)
        error = job.error or ("" if isinstance(job.result, list) else "no answer")
        if error:
            self.window.show_error(self.tr("Actuals not shared"), self.tr(
                "The monitoring values stay in this window; share them again when the server answers.\n{problem}").format(
                problem=error))
            return
        modified = self.project.modified
        self.project.indicators.actuals.replace_all(job.result)
        self._actuals_read = [replace(record) for record in job.result]
        self.project.set_modified(modified)
        self.window.statusBar().showMessage(self.tr("Actuals shared on {server}: {count} values there now, "
                                                    "colleagues' included.").format(
            server=job.server, count=len(job.result)), 8000)  # type: ignore[attr-defined]

    def open_dialog(self) -> PublishDialog:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = PublishDialog(self.window.project, self.window)
        self.dialog.show()
        return self.dialog
