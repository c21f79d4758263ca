"""Vectorised geodesic areas and lengths agree with the exact per-feature measures."""

import pytest


def test_vectorised_areas_and_lengths_match_the_exact_per_feature_measures():
    import numpy as np
    import shapely

    from gisapp.core.geo.geodesy import (
        geodesic_area_m2,
        geodesic_areas_m2,
        geodesic_length_m,
        geodesic_lengths_m,
    )

    rng = np.random.default_rng(7)
    geoms = []
    for lon, lat, size in zip(rng.uniform(-179, 179, 40), rng.uniform(-80, 80, 40), rng.uniform(1e-4, 0.5, 40),
                              strict=True):
        box = shapely.box(lon, lat, lon + size, lat + size)
        geoms.append(shapely.segmentize(box, size / 4).difference(shapely.box(lon + size / 4, lat + size / 4,
                                                                              lon + size / 2, lat + size / 2)))
    geoms += [shapely.box(120, 30, 125, 36),  # larger than half a degree: measured exactly
              shapely.MultiPolygon([shapely.box(121, 38, 121.1, 38.1), shapely.box(122, 39, 122.05, 39.05)]),
              shapely.LineString([(121, 38), (121.5, 38.5), (122, 38)]), shapely.Point(121, 38), None,
              shapely.Polygon()]
    geoms = np.array(geoms, dtype=object)
    areas, lengths = geodesic_areas_m2(geoms), geodesic_lengths_m(geoms)
    for geom, area, length in zip(geoms, areas, lengths, strict=True):
        polygonal = geom is not None and geom.geom_type.endswith("Polygon")
        # (pyproj gives an open line the area of its closed ring; areas here are of polygons only)
        assert area == pytest.approx(geodesic_area_m2(geom) if polygonal else 0.0, rel=2e-6, abs=1e-6)
        assert length == pytest.approx(geodesic_length_m(geom), rel=1e-9, abs=1e-6)
