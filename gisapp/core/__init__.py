"""Qt-free core of gisapp: geometry, the project model, plan indicators, analyses and editing.

Nothing in this package imports Qt or other gisapp packages, so it runs headless
(the CLI, exports and tests use it directly).
"""
