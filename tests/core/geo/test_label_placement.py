"""The label engine: candidates per geometry type, no overlaps across layers, priorities, inside-only."""

import numpy as np
import shapely

from gisapp.core.geo.label_placement import LayerLabels, View, overlapping, place_labels

VIEW = View(xmin=0.0, ymax=1000.0, resolution=1.0, width=1000.0, height=1000.0)  # map units are pixels


def measure(text):
    return 8.0 * len(text), 14.0, 11.0


def square(x, y, size):
    return shapely.box(x, y, x + size, y + size)


def test_labels_of_different_layers_never_overlap_and_priority_wins():
    zones = LayerLabels("zones", "polygon", np.array([square(400, 400, 200)]), ["Central ecological core"],
                        measure, rank=1, priority=5)
    city = LayerLabels("city", "polygon", np.array([square(420, 420, 160)]), ["Yingeshi Science City"],
                       measure, rank=0, priority=5)
    clean = LayerLabels("points", "point", np.array([shapely.Point(500, 500)]), ["CAS Clean Energy Institute"],
                        measure, rank=2, priority=9)
    placed = place_labels([zones, city, clean], VIEW)
    assert overlapping(placed) == []
    assert [label.key for label in placed][0] == "points"  # the highest priority goes first
    assert {label.key for label in placed} == {"zones", "city", "points"}  # each found room nearby


def test_layer_order_decides_between_equal_priorities():
    first = LayerLabels("top", "polygon", np.array([square(400, 400, 200)]), ["Top label"], measure, rank=0)
    second = LayerLabels("below", "polygon", np.array([square(400, 400, 200)]), ["Bottom"], measure, rank=1,
                         placement="inside")
    placed = place_labels([second, first], VIEW)
    assert placed[0].key == "top" and placed[0].cx == 500 and placed[0].cy == 500


def test_always_show_overlaps_and_collisions_off_keeps_every_label():
    points = np.array([shapely.Point(500, 500)] * 5)
    crowded = place_labels([LayerLabels("p", "point", points, ["Label"] * 5, measure, placement="offset")], VIEW)
    assert len(crowded) == 1  # one position allowed, and it is taken
    shown = place_labels([LayerLabels("p", "point", points, ["Label"] * 5, measure, placement="offset",
                                      always_show=True)], VIEW)
    assert len(shown) == 5 and overlapping(shown)


def test_point_positions_around_the_point():
    point = np.array([shapely.Point(500, 500)])
    for position, (sx, sy) in {"E": (1, 0), "NW": (-1, -1), "S": (0, 1), "N": (0, -1)}.items():
        label = place_labels([LayerLabels("p", "point", point, ["Name"], measure, placement="offset",
                                          position=position, distance_px=6)], VIEW)[0]
        x0, y0, x1, y1 = label.bounds()
        # The label's box lies on the chosen side of the point (view y grows downwards), 6 px away or more.
        assert (sx == 0 and x0 < 500 < x1) or (sx > 0 and x0 >= 504) or (sx < 0 and x1 <= 496)
        assert (sy == 0 and y0 < 500 < y1) or (sy > 0 and y0 >= 504) or (sy < 0 and y1 <= 496)


def test_inside_only_never_leaves_its_polygon():
    # An L-shaped zone whose point on surface sits in a narrow arm: the label moves to where it fits, or is dropped.
    ell = shapely.union(shapely.box(100, 100, 130, 600), shapely.box(100, 100, 600, 130))
    narrow = shapely.box(700, 700, 740, 712)
    placed = place_labels([LayerLabels("z", "polygon", np.array([ell, narrow]), ["Zone", "Too long for it"],
                                       measure, placement="inside")], VIEW)
    assert [label.index for label in placed] == [0]
    x0, y0, x1, y1 = placed[0].bounds()
    box = shapely.box(x0, 1000 - y1, x1, 1000 - y0)  # back to map coordinates
    assert shapely.contains(ell, box)
    around = place_labels([LayerLabels("z", "polygon", np.array([narrow]), ["Too long for it"], measure)], VIEW)
    assert len(around) == 1  # the default placement labels it anyway, centred on it


def test_lines_along_and_horizontal():
    diagonal = np.array([shapely.LineString([(100, 100), (900, 900)])])
    along = place_labels([LayerLabels("l", "line", diagonal, ["Corridor axis"], measure, placement="along")], VIEW)
    assert abs(abs(along[0].angle) - 45) < 1e-6 and (along[0].cx, along[0].cy) == (500, 500)
    flat = place_labels([LayerLabels("l", "line", diagonal, ["Corridor axis"], measure)], VIEW)
    assert flat[0].angle == 0.0
    short = np.array([shapely.LineString([(100, 100), (120, 100)])])
    assert place_labels([LayerLabels("l", "line", short, ["Corridor axis"], measure, placement="along")], VIEW) == []


def test_labels_stay_inside_the_view():
    placed = place_labels([LayerLabels("p", "point", np.array([shapely.Point(995, 500)]), ["Edge"], measure)], VIEW)
    assert placed and placed[0].bounds()[2] <= 1000 and placed[0].cx < 995
