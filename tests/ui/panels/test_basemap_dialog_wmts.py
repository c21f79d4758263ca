"""Add basemap with a WMTS capabilities URL: the dialog reads the layers off the UI thread from a
real loopback server, offers the Web Mercator matrix sets, says why the others cannot be drawn,
and the layer it makes previews the server's tiles."""

from __future__ import annotations

from gisapp.core.geo.viewport import Viewport
from gisapp.ui.panels.basemap_dialog import BasemapDialog
from tests.io.tiles.wmts_documents import capabilities


def test_wmts_capabilities_fill_the_dialog_and_the_preview_draws_the_tiles(qtbot, tile_server):
    server = tile_server()
    server.capabilities = capabilities(server.wmts_url)
    dialog = BasemapDialog("en", Viewport(13531000, 4707000, 150.0, 360, 220))
    qtbot.addWidget(dialog)
    dialog.choice.setCurrentIndex(dialog.choice.findData("wmts"))
    dialog.url_edit.setText(server.wmts_url)
    job = dialog.read_capabilities()
    assert not dialog.read_button.isEnabled()  # asked in the background; the dialog stays live
    qtbot.waitUntil(lambda: dialog.capabilities is not None, timeout=10_000)
    assert job.error == ""
    assert [dialog.wmts_layers.itemText(i) for i in range(dialog.wmts_layers.count())] == [
        "规划道路 Plan roads (plan_roads)", "Lon/lat only (cgcs_only)"]
    assert dialog.wmts_sets.count() == 1 and "zoom 0-18" in dialog.wmts_sets.itemText(0)
    assert "CGCS2000 cannot be drawn" in dialog.wmts_note.text() and "EPSG:4490" in dialog.wmts_note.text()
    (layer,) = dialog.layers()
    assert "LAYER=plan_roads" in layer.source.url and "TILEMATRIX=EPSG:3857:{z}" in layer.source.url
    dialog._update_preview()
    assert dialog.ok_button.isEnabled()
    assert dialog.preview.wait_for_tiles() and dialog.preview.tiles_missing() == 0
    assert any("REQUEST=GetTile" in path for path in server.requests)
    # The lon/lat-only layer: no matrix set gisapp can draw, said, and OK is refused.
    dialog.wmts_layers.setCurrentIndex(1)
    assert dialog.wmts_sets.count() == 0
    dialog._update_preview()
    assert "Web Mercator" in dialog.problem.text() and not dialog.ok_button.isEnabled()
    # Another URL forgets the layers read.
    dialog.url_edit.setText(server.wmts_url + "/other")
    assert dialog.capabilities is None and dialog.wmts_layers.count() == 0


def test_a_server_error_is_said_in_the_dialog(qtbot, tile_server):
    server = tile_server("404")
    dialog = BasemapDialog("en", Viewport(13531000, 4707000, 150.0, 360, 220))
    qtbot.addWidget(dialog)
    dialog.choice.setCurrentIndex(dialog.choice.findData("wmts"))
    dialog.url_edit.setText(server.wmts_url)
    dialog.read_capabilities()
    qtbot.waitUntil(lambda: dialog.read_button.isEnabled(), timeout=10_000)
    assert "HTTP 404" in dialog.problem.text() and dialog.capabilities is None
