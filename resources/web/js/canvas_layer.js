/* FastLayer: a large layer drawn on one canvas straight from typed arrays.
 *
 * Leaflet makes an object, a projected copy and a path per feature: 3 s for 100,000
 * parcels. FastLayer keeps the layer as arrays (Web Mercator in world units, bounds per
 * feature), draws each symbol class as one canvas path (rings oriented for the non-zero
 * rule by the exporter), and finds the feature under the mouse by bounds, then by
 * point-in-ring (polygons) or distance to the line.
 */
(function (gisapp) {
  "use strict";

  var MAX_LATITUDE = 85.0511287798;

  function mercatorY(lat) {
    var phi = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat)) * Math.PI / 180;
    return 0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI);
  }

  function dashOf(style) {
    return style.dashArray ? style.dashArray.split(/[\s,]+/).map(Number) : [];
  }

  var FastLayer = L.Layer.extend({
    initialize: function (spec, flat, paneName) {
      this.spec = spec;
      this.options.pane = paneName;
      var n = spec.n, o = flat.o, t = flat.t, i, f;
      // Parts (rings or lines) per feature, vertices per part.
      this.partVertex = o[0];
      if (t === 3 || t === 5) this.featurePart = o[1];
      else if (t === 6) {
        this.featurePart = new Int32Array(n + 1);
        for (f = 0; f <= n; f++) this.featurePart[f] = o[1][o[2][f]];
      } else {  // LineString: one part per feature
        this.featurePart = new Int32Array(n + 1);
        for (f = 0; f <= n; f++) this.featurePart[f] = f;
      }
      this.polygon = t === 3 || t === 6;
      var count = flat.x.length, mx = new Float64Array(count), my = new Float64Array(count);
      for (i = 0; i < count; i++) { mx[i] = flat.x[i] / 360 + 0.5; my[i] = mercatorY(flat.y[i]); }
      this.mx = mx; this.my = my;
      this.lon = flat.x; this.lat = flat.y;
      // Bounds per feature: Web Mercator (0..1) for culling and hits, lon/lat for the page.
      var box = new Float64Array(4 * n), ll = new Float64Array(4 * n);
      for (f = 0; f < n; f++) {
        var v0 = this.partVertex[this.featurePart[f]], v1 = this.partVertex[this.featurePart[f + 1]];
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (i = v0; i < v1; i++) {
          if (mx[i] < x0) x0 = mx[i]; if (mx[i] > x1) x1 = mx[i];
          if (my[i] < y0) y0 = my[i]; if (my[i] > y1) y1 = my[i];
        }
        box[4 * f] = x0; box[4 * f + 1] = y0; box[4 * f + 2] = x1; box[4 * f + 3] = y1;
        ll[4 * f] = (x0 - 0.5) * 360; ll[4 * f + 2] = (x1 - 0.5) * 360;  // west, east
        ll[4 * f + 1] = 360 / Math.PI * Math.atan(Math.exp((0.5 - y1) * 2 * Math.PI)) - 90;  // south
        ll[4 * f + 3] = 360 / Math.PI * Math.atan(Math.exp((0.5 - y0) * 2 * Math.PI)) - 90;  // north
      }
      this.box = box; this.lonlat = ll;
      // Features by symbol, in draw order.
      var classes = {};
      for (f = 0; f < n; f++) {
        var s = typeof spec.sym === "number" ? spec.sym : spec.sym[f];
        (classes[s] = classes[s] || []).push(f);
      }
      this.classes = Object.keys(classes).map(Number).sort(function (a, b) { return a - b; })
        .map(function (s) { return { symbol: s, features: Int32Array.from(classes[s]) }; });
      this.drawn = 0;
    },

    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "gis-fast leaflet-zoom-animated");
      this._canvas.setAttribute("data-layer", this.spec.id);
      this.getPane().appendChild(this._canvas);
      this._reset();
    },

    onRemove: function () {
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
      this.drawn = 0;
    },

    getEvents: function () {
      var events = { moveend: this._reset, viewreset: this._reset, resize: this._reset };
      if (this._map.options.zoomAnimation && L.Browser.any3d) events.zoomanim = this._animateZoom;
      return events;
    },

    _reset: function () {
      var map = this._map, size = map.getSize(), pad = 0.1;  // like Leaflet's renderers
      var min = map.containerPointToLayerPoint(size.multiplyBy(-pad)).round();
      var full = size.multiplyBy(1 + 2 * pad).round(), ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      canvas.width = Math.round(full.x * ratio);
      canvas.height = Math.round(full.y * ratio);
      canvas.style.width = full.x + "px";
      canvas.style.height = full.y + "px";
      L.DomUtil.setPosition(canvas, min);
      this._min = min;
      this._size = full;
      this._ratio = ratio;
      this._bounds = L.latLngBounds(map.layerPointToLatLng(min), map.layerPointToLatLng(min.add(full)));
      this._draw();
    },

    _animateZoom: function (e) {
      var map = this._map;
      L.DomUtil.setTransform(this._canvas, map._latLngBoundsToNewLayerBounds(this._bounds, e.zoom, e.center).min,
                             map.getZoomScale(e.zoom));
    },

    _frame: function () {  // world units -> canvas pixels, for the current view
      var map = this._map, scale = 256 * Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
      return { scale: scale, ox: origin.x + this._min.x, oy: origin.y + this._min.y };
    },

    _draw: function () {
      var ctx = this._canvas.getContext("2d"), fr = this._frame(), scale = fr.scale, ox = fr.ox, oy = fr.oy;
      var r = this._ratio, size = this._size, spec = this.spec, box = this.box;
      var mx = this.mx, my = this.my, pv = this.partVertex, fp = this.featurePart, polygon = this.polygon;
      ctx.setTransform(r, 0, 0, r, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      var vx0 = ox / scale, vy0 = oy / scale, vx1 = (ox + size.x) / scale, vy1 = (oy + size.y) / scale;
      var drawn = 0;
      for (var c = 0; c < this.classes.length; c++) {
        var style = spec.symbols[this.classes[c].symbol], list = this.classes[c].features;
        var fill = polygon && style.fill, stroke = style.stroke, inPath = 0;
        ctx.fillStyle = style.fillColor;
        ctx.strokeStyle = style.color;
        ctx.lineWidth = style.weight;
        ctx.lineJoin = style.lineJoin || "round";
        ctx.lineCap = style.lineCap || "round";
        ctx.setLineDash(dashOf(style));
        ctx.beginPath();
        for (var k = 0; k < list.length; k++) {
          var f = list[k], b = 4 * f;
          if (box[b] > vx1 || box[b + 2] < vx0 || box[b + 1] > vy1 || box[b + 3] < vy0) continue;
          drawn++;
          for (var p = fp[f]; p < fp[f + 1]; p++) {
            var v0 = pv[p], v1 = pv[p + 1];
            if (v1 <= v0) continue;
            ctx.moveTo(mx[v0] * scale - ox, my[v0] * scale - oy);
            for (var v = v0 + 1; v < v1; v++) ctx.lineTo(mx[v] * scale - ox, my[v] * scale - oy);
            if (polygon) ctx.closePath();
          }
          // Paint every few features: one path of 100,000 rings took the browser 7.7 s,
          // runs of neighbours (the exporter sends features in Z-order) a few hundred ms.
          if (++inPath === FAST_CHUNK) {
            paintPath(ctx, style, fill, stroke);
            ctx.beginPath();
            inPath = 0;
          }
        }
        if (inPath) paintPath(ctx, style, fill, stroke);
      }
      ctx.globalAlpha = 1;
      this.drawn = drawn;
    },

    // The topmost feature at latlng (within tolerancePx of a line), or -1.
    hit: function (latlng, tolerancePx) {
      if (!this._map) return -1;
      var scale = 256 * Math.pow(2, this._map.getZoom()), px = latlng.lng / 360 + 0.5, py = mercatorY(latlng.lat);
      var box = this.box, mx = this.mx, my = this.my, pv = this.partVertex, fp = this.featurePart;
      for (var c = this.classes.length - 1; c >= 0; c--) {
        var list = this.classes[c].features, style = this.spec.symbols[this.classes[c].symbol];
        var tol = (tolerancePx + (this.polygon ? 0 : (style.weight || 1) / 2)) / scale;
        for (var k = list.length - 1; k >= 0; k--) {
          var f = list[k], b = 4 * f;
          if (px < box[b] - tol || px > box[b + 2] + tol || py < box[b + 1] - tol || py > box[b + 3] + tol) continue;
          var inside = false, near = false;
          for (var p = fp[f]; p < fp[f + 1]; p++) {
            var v0 = pv[p], v1 = pv[p + 1];
            if (this.polygon) {  // even-odd over the ring's edges (ring closes back to v0)
              for (var i = v0, j = v1 - 1; i < v1; j = i++) {
                if ((my[i] > py) !== (my[j] > py) &&
                    px < (mx[j] - mx[i]) * (py - my[i]) / (my[j] - my[i]) + mx[i]) inside = !inside;
              }
            } else {
              for (var q = v0; q + 1 < v1 && !near; q++) near = segmentDistance(px, py, mx[q], my[q], mx[q + 1], my[q + 1]) <= tol;
            }
          }
          if (inside || near) return f;
        }
      }
      return -1;
    },

    latLngBounds: function (f) {
      var ll = this.lonlat;
      return L.latLngBounds([ll[4 * f + 1], ll[4 * f]], [ll[4 * f + 3], ll[4 * f + 2]]);
    },

    widthPx: function (f) {
      return (this.box[4 * f + 2] - this.box[4 * f]) * 256 * Math.pow(2, this._map.getZoom());
    },

    // The feature as Leaflet lat/lng rings or lines (to highlight it).
    latLngs: function (f) {
      var out = [], pv = this.partVertex, fp = this.featurePart;
      for (var p = fp[f]; p < fp[f + 1]; p++) {
        var part = [];
        for (var v = pv[p]; v < pv[p + 1]; v++) part.push([this.lat[v], this.lon[v]]);
        out.push(part);
      }
      return out;
    }
  });

  var FAST_CHUNK = 16;

  function paintPath(ctx, style, fill, stroke) {
    if (fill) {
      ctx.globalAlpha = style.fillOpacity;
      ctx.fill("nonzero");
    }
    if (stroke) {
      ctx.globalAlpha = style.opacity;
      ctx.stroke();
    }
  }

  function segmentDistance(px, py, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
    var t = len ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
    var cx = ax + t * dx - px, cy = ay + t * dy - py;
    return Math.sqrt(cx * cx + cy * cy);
  }

  gisapp.canvasLayer = { FastLayer: FastLayer };
}(window.gisapp));
