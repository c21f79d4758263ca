"""Exports of a project: the indicator report (PDF, HTML, CSV) and interactive web maps."""
