"""Opening a project for the command line and the window alike: a saved file or the bundled
catalogue, with monitoring actuals from a CSV."""

from __future__ import annotations

from gisapp.core.model.project import Project
from gisapp.io.actuals_csv import feature_names, read_actuals_csv
from gisapp.io.catalogue import load_catalogue
from gisapp.io.postgis.connection import is_postgres_url, parse_url
from gisapp.io.project_gpkg import load_project


def open_project(project_path: str | None, warnings: list[str] | None = None) -> Project:
    """The project saved at ``project_path`` (a GeoPackage, or a ``postgresql://`` URL of a
    schema a project was published to), or the bundled Dalian catalogue when None.

    What was tolerated while reading it (unknown keys, ...) is added to ``warnings``.
    """
    if project_path and is_postgres_url(project_path):
        from gisapp.io.postgis.project import open_published_project

        return open_published_project(parse_url(project_path), warnings)
    return load_project(project_path, warnings) if project_path else load_catalogue(warnings=warnings)


def layer_warnings(project: Project) -> list[str]:
    """One line per project layer that did not load cleanly (rejected features, a CRS assumed)."""
    lines = []
    for layer in project.vector_layers():
        report = layer.load_report
        if report is not None and report.has_problems:
            lines.append(f"{report.source}: layer {layer.id}: {report.summary()}")
    return lines


def load_actuals(project: Project, path: str) -> list[str]:
    """Add the actuals of a CSV to the project; returns one warning per row that matched nothing."""
    result = read_actuals_csv(path, project.indicators, feature_names(project))
    project.indicators.actuals.update(result.actuals)
    return [f"{path}: {problem}" for problem in result.problems]


def open_project_with_actuals(project_path: str | None, actuals_path: str | None) -> tuple[Project, list[str]]:
    """:func:`open_project`, then :func:`load_actuals` when a CSV is given; the project starts unmodified."""
    warnings: list[str] = []
    project = open_project(project_path, warnings)
    warnings += layer_warnings(project)
    if actuals_path:
        warnings += load_actuals(project, actuals_path)
    project.set_modified(False)
    return project, warnings
