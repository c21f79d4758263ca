"""Labels are drawn above the selection highlight, with halos, so a selected zone stays readable."""

import numpy as np
from PySide6.QtGui import QImage

SCIENCE_CITY = "hitech.city.yingeshi"


def _array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format_RGBA8888)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()].copy()


def test_a_selected_zone_keeps_its_label_and_halo_on_top(make_window):
    window = make_window("zh")
    canvas = window.canvas
    layer, row = window.project.find_feature(SCIENCE_CITY)
    layer.select([row])
    canvas.wait_for_render()
    labels = _array(canvas._label_image)
    features = _array(canvas._image)
    # Label text is dark and opaque in the labels image; the feature image holds no text.
    text = (labels[..., 3] > 250) & (labels[..., :3].max(axis=-1) < 60)
    halo = (labels[..., 3] > 200) & (labels[..., :3].min(axis=-1) > 240)
    assert text.sum() > 200 and halo.sum() > text.sum() / 2
    assert ((features[..., 3] > 250) & (features[..., :3].max(axis=-1) < 60))[text].mean() < 0.05
    # On screen the text pixels stay dark inside the selected (yellow) zone.
    shown = _array(canvas.grab().toImage())[: labels.shape[0], : labels.shape[1]]
    geom = layer.projected(canvas.viewport.crs).geometries[row]
    xmin, ymin, xmax, ymax = geom.bounds
    left, top = canvas.viewport.map_to_pixel(xmin, ymax)
    right, bottom = canvas.viewport.map_to_pixel(xmax, ymin)
    inside = np.zeros_like(text)
    inside[max(0, int(top)): int(bottom), max(0, int(left)): int(right)] = True
    assert (text & inside).sum() > 50, "the selected zone's own label is drawn"
    assert shown[text & inside][:, :3].max(axis=-1).mean() < 80
