/* Labels, placed like the desktop canvas's: top layer first, biggest features first, none
 * over another label or a control. */
(function (gisapp) {
  "use strict";

  var el = gisapp.dom.el, GisMap = gisapp.GisMap;

  var LABEL_FONT = '12px "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif';
  var MAX_LABELS_PER_LAYER = 400;
  var textCanvas = document.createElement("canvas").getContext("2d");  // measures label widths
  textCanvas.font = LABEL_FONT;

  GisMap.prototype.refreshLabels = function () {
    if (!this.labelGroup) return;
    var map = this.map, self = this;
    this.labelGroup.clearLayers();
    var size = map.getSize(), view = map.getBounds().pad(0.05), placed = this.obstacles();
    for (var k = this.order.length - 1; k >= 0; k--) {
      var record = this.order[k];
      if (!record.visible || !record.labels || record.opacity === 0) continue;
      var labels = record.labels, family = record.spec.family, candidates = [];
      for (var j = 0; j < labels.rows.length; j++) {
        var ll = labels.latlngs[j];
        if (!view.contains(ll)) continue;
        var width = 0;
        if (family !== "point") {
          if (record.fast) width = record.fast.widthPx(labels.rows[j]);
          else {
            var b = self.featureBounds(record, labels.rows[j]);
            if (!b) continue;
            width = map.latLngToContainerPoint(b.getNorthEast()).x - map.latLngToContainerPoint(b.getSouthWest()).x;
          }
          if (family === "polygon" && width < 24) continue;
        }
        candidates.push([width, j]);
      }
      candidates.sort(function (a, b) { return b[0] - a[0]; });
      candidates = candidates.slice(0, MAX_LABELS_PER_LAYER);
      for (var c = 0; c < candidates.length; c++) {
        var jj = candidates[c][1], text = labels.text[jj], pt = map.latLngToContainerPoint(labels.latlngs[jj]);
        var w = textCanvas.measureText(text).width + 4, h = 16;
        var x0 = family === "point" ? pt.x + 6 : pt.x - w / 2, y0 = pt.y - h / 2;
        var rect = [x0, y0, x0 + w, y0 + h];
        if (rect[0] < 0 || rect[1] < 0 || rect[2] > size.x || rect[3] > size.y) continue;
        var clash = false;
        for (var p = 0; p < placed.length && !clash; p++) {
          var q = placed[p];
          clash = rect[0] < q[2] && rect[2] > q[0] && rect[1] < q[3] && rect[3] > q[1];
        }
        if (clash) continue;
        placed.push([rect[0] - 3, rect[1] - 2, rect[2] + 3, rect[3] + 2]);
        var span = el("span", "gis-label-text", text);
        var marker = L.marker(labels.latlngs[jj], {
          pane: "gis-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "gis-label gis-label-" + family, html: span, iconSize: null })
        });
        marker.options.gisLayer = record.spec.id;
        this.labelGroup.addLayer(marker);
        var node = marker.getElement();
        if (node) node.setAttribute("data-layer", record.spec.id);
      }
    }
  };

  // Screen rectangles (container pixels) that labels must not hide under: panels and title.
  GisMap.prototype.obstacles = function () {
    var container = this.map.getContainer(), origin = container.getBoundingClientRect(), out = [];
    var nodes = container.querySelectorAll(".leaflet-control, .gis-title, .gis-info:not([hidden])");
    for (var i = 0; i < nodes.length; i++) {
      var r = nodes[i].getBoundingClientRect();
      if (r.width && r.height) out.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
    }
    return out;
  };
}(window.gisapp));
