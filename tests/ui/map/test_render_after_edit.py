"""After an edit the map draws the new shape from the patched cache: no cache of the whole
layer is built again, for the edit or for its undo and redo."""

import geopandas as gpd
import shapely
from PySide6.QtGui import QColor

from gisapp.core.editing.edits import SetGeometries
from gisapp.core.editing.session import EditSession
from gisapp.core.geo.flatgeom import PatchedFlat, ProjectedCache
from gisapp.core.geo.geodesy import transform_point
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.ui.map.canvas import SEA_COLOUR, MapCanvas

FILL = "#d02020"
STEP, SIZE = 0.006, 0.004  # a grid of boxes with gaps between them
EMPTY_CELL = 55  # left out of the grid: the edit moves a box there
MOVED_CELL = 33  # rows are cells up to the empty one (away from the scale bar in a corner)


def _cell(i: int):
    x, y = 121.50 + (i % 10) * STEP, 38.85 + (i // 10) * STEP
    return shapely.box(x, y, x + SIZE, y + SIZE)


def _centre_pixel(canvas: MapCanvas, cell: int) -> tuple[int, int]:
    lon, lat = _cell(cell).centroid.coords[0]
    x, y = transform_point(lon, lat, "EPSG:4326", canvas.viewport.crs)
    px, py = canvas.viewport.map_to_pixel(x, y)
    return round(px), round(py)


def _colour_at(canvas: MapCanvas, cell: int) -> str:
    assert canvas.wait_for_render()
    return canvas.grab().toImage().pixelColor(*_centre_pixel(canvas, cell)).name()


def test_an_edit_and_its_undo_are_drawn_from_the_patched_cache(qtbot):
    cells = [i for i in range(100) if i != EMPTY_CELL]
    frame = gpd.GeoDataFrame({"id": [f"b{i}" for i in cells]}, geometry=[_cell(i) for i in cells], crs="EPSG:4326")
    layer = VectorLayer("boxes", "方块", "Boxes", frame, style=SingleStyle(Symbol(fill=FILL, fill_opacity=1.0)))
    project = Project(layers=[layer])
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(420, 320)
    canvas.set_project(project)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.zoom_full()
    sea = QColor(SEA_COLOUR).name()
    assert (_colour_at(canvas, MOVED_CELL), _colour_at(canvas, EMPTY_CELL)) == (FILL, sea)
    builds = ProjectedCache.full_builds

    session = EditSession(project)
    edit = SetGeometries(layer.id, [MOVED_CELL], [_cell(EMPTY_CELL)], project=project, kind="move_feature")
    session.apply(edit)
    assert (_colour_at(canvas, MOVED_CELL), _colour_at(canvas, EMPTY_CELL)) == (sea, FILL), "the map shows the old shape"
    assert isinstance(layer.projected_if_ready(canvas.viewport.crs).flat, PatchedFlat)
    session.undo(edit)
    assert (_colour_at(canvas, MOVED_CELL), _colour_at(canvas, EMPTY_CELL)) == (FILL, sea)
    session.apply(edit)
    assert (_colour_at(canvas, MOVED_CELL), _colour_at(canvas, EMPTY_CELL)) == (sea, FILL)
    assert ProjectedCache.full_builds == builds, "the edit rebuilt the whole layer's cache"
    canvas.shutdown()


def test_adding_deleting_and_recolouring_features_are_drawn_from_the_patched_cache(qtbot):
    """Add, delete and attribute edits, with undo and redo: the map shows each at once, drawn
    from the first cache's arrays (never rebuilt) and a symbol index patched row by row."""
    from gisapp.core.editing.edits import AddFeatures, DeleteFeatures, SetAttribute, new_rows
    from gisapp.core.model.style import CategorizedStyle, Category

    other = "#2040d0"
    cells = [i for i in range(100) if i != EMPTY_CELL]
    frame = gpd.GeoDataFrame({"id": [f"b{i}" for i in cells], "use": ["R"] * len(cells)},
                             geometry=[_cell(i) for i in cells], crs="EPSG:4326")
    style = CategorizedStyle("use", [Category("R", "R", "R", Symbol(fill=FILL, fill_opacity=1.0)),
                                     Category("G", "G", "G", Symbol(fill=other, fill_opacity=1.0))])
    layer = VectorLayer("boxes", "方块", "Boxes", frame, style=style)
    project = Project(layers=[layer])
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(420, 320)
    canvas.set_project(project)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.zoom_full()
    sea = QColor(SEA_COLOUR).name()
    assert (_colour_at(canvas, MOVED_CELL), _colour_at(canvas, EMPTY_CELL)) == (FILL, sea)
    base = layer.projected_if_ready(canvas.viewport.crs).flat
    builds = ProjectedCache.full_builds
    session = EditSession(project)
    moved_row = cells.index(MOVED_CELL)

    def shown():
        layer.clear_selection()  # an added feature is selected: its highlight would hide its fill
        return _colour_at(canvas, MOVED_CELL), _colour_at(canvas, EMPTY_CELL)

    add = AddFeatures(layer.id, new_rows(layer, [_cell(EMPTY_CELL)], [{"id": "new", "use": "G"}]))
    delete = DeleteFeatures(layer.id, [moved_row])
    recolour = SetAttribute(layer.id, moved_row, "use", "G", project=project)
    for edit, after in ((recolour, (other, sea)), (add, (FILL, other)), (delete, (sea, sea))):
        before = shown()
        session.apply(edit)
        assert shown() == after, f"the map does not show {edit.kind}"
        session.undo(edit)
        assert shown() == before
        session.apply(edit)
        assert shown() == after
        flat = layer.projected_if_ready(canvas.viewport.crs).flat
        assert flat is base or (isinstance(flat, PatchedFlat) and flat.base is base), "the arrays were rebuilt"
        session.undo(edit)
    assert ProjectedCache.full_builds == builds, "an edit rebuilt the whole layer's cache"
    canvas.shutdown()
