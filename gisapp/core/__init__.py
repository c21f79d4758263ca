"""Qt-free model of a planning project: layers, styles, indicators, geodesy.

Nothing in this package imports Qt or other gisapp packages, so it runs headless
(the CLI, exports and tests use it directly).
"""
