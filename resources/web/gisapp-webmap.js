/* gisapp web map: layers, labels, layer tree, legend, info panel and search.
 *
 * Reads the JSON payload written by gisapp.export.webmap. Every piece of data reaches
 * the page through textContent / attribute setters, never innerHTML, so an attribute
 * value that looks like HTML (an img tag with an onerror handler) shows as text.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var LABEL_FONT = '12px "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif';
  var MAX_LABELS_PER_LAYER = 400;
  // The desktop canvas's selection symbol.
  var HIGHLIGHT = { color: "#ff00ff", weight: 2.5, opacity: 1, fillColor: "#ffff00", fillOpacity: 0.35, dashArray: null };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  }

  function stopEvents(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  // --- compact encoding of large layers (gisapp/export/compact.py) --------------------
  function b64Bytes(text) {
    var bin = atob(text), n = bin.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // LEB128 varints (7 bits a byte, high bit = more follows), zigzag-decoded when signed.
  // Arithmetic rather than bit operators: values may pass 2^31.
  function readVarints(text, count, signed) {
    var bytes = b64Bytes(text), out = new Float64Array(count), pos = 0;
    for (var k = 0; k < count; k++) {
      var value = 0, scale = 1, b;
      do { b = bytes[pos++]; value += (b & 127) * scale; scale *= 128; } while (b & 128);
      out[k] = signed ? (value % 2 ? -(value + 1) / 2 : value / 2) : value;
    }
    return out;
  }

  // Compact geometry -> lon/lat typed arrays and offsets (one Int32Array per level).
  function decodeFlat(geom, precision) {
    var n = geom.n, steps = readVarints(geom.c, 2 * n, true), scale = Math.pow(10, precision);
    var x = new Float64Array(n), y = new Float64Array(n), ax = 0, ay = 0;
    for (var i = 0; i < n; i++) {
      ax += steps[2 * i]; ay += steps[2 * i + 1];
      x[i] = ax / scale; y[i] = ay / scale;
    }
    var offsets = geom.o.map(function (text, level) {
      var lengths = readVarints(text, geom.on[level], false), out = new Int32Array(lengths.length + 1);
      for (var k = 0; k < lengths.length; k++) out[k + 1] = out[k] + lengths[k];
      return out;
    });
    return { t: geom.t, x: x, y: y, o: offsets };
  }

  // The compact fields of a large layer's spec, decoded once into arrays the rest of the
  // page indexes as before (spec.sym[i], spec.values[c][i], spec.area_m2[i]).
  function expandCompactSpec(spec) {
    if (spec.sym && typeof spec.sym === "object" && spec.sym.k) spec.sym = b64Bytes(spec.sym.k);
    spec.values = spec.values.map(function (column) {
      if (Array.isArray(column)) return column;
      var codes = b64Bytes(column.k), out = new Array(codes.length);
      for (var i = 0; i < codes.length; i++) out[i] = column.d[codes[i]];
      return out;
    });
    ["area_m2", "length_m"].forEach(function (key) {
      if (spec[key] && !Array.isArray(spec[key])) spec[key] = readVarints(spec[key].v, spec[key].n, false);
    });
  }

  // --- geometry decoding (shapely ragged arrays, delta-encoded integers) ----------------
  function decodeGeometries(geom, precision) {
    if (geom.t === -1) return geom.g.map(function (text) { return JSON.parse(text); });
    var pts, o, i;
    if (geom.b) {  // compact: typed arrays to [lon, lat] pairs
      var flat = decodeFlat(geom, precision);
      pts = new Array(flat.x.length);
      for (i = 0; i < pts.length; i++) pts[i] = [flat.x[i], flat.y[i]];
      o = flat.o;
    } else {
      var c = geom.c, n = c.length / 2, scale = Math.pow(10, precision), x = 0, y = 0;
      pts = new Array(n);
      for (i = 0; i < n; i++) {
        x += c[2 * i]; y += c[2 * i + 1];
        pts[i] = [x / scale, y / scale];
      }
      o = geom.o;
    }
    function slice(offsets, items, k) { return items.slice(offsets[k], offsets[k + 1]); }
    function rings(offsets, items) {  // polygon rings arrive without their closing vertex
      var out = group(offsets, items);
      if (geom.open) out.forEach(function (ring) { if (ring.length) ring.push(ring[0]); });
      return out;
    }
    function group(offsets, items) {
      var out = new Array(offsets.length - 1);
      for (var k = 0; k < out.length; k++) out[k] = slice(offsets, items, k);
      return out;
    }
    function wrap(type, list) { return list.map(function (coords) { return { type: type, coordinates: coords }; }); }
    switch (geom.t) {
      case 0: return wrap("Point", pts);
      case 1: return wrap("LineString", group(o[0], pts));
      case 3: return wrap("Polygon", group(o[1], rings(o[0], pts)));
      case 4: return wrap("MultiPoint", group(o[0], pts));
      case 5: return wrap("MultiLineString", group(o[1], group(o[0], pts)));
      case 6: return wrap("MultiPolygon", group(o[2], group(o[1], rings(o[0], pts))));
      default: throw new Error("unknown geometry type " + geom.t);
    }
  }

  function decodePoints(flat, precision) {
    if (!Array.isArray(flat)) flat = readVarints(flat.b, 2 * flat.n, true);  // compact
    var scale = Math.pow(10, precision), out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push(L.latLng(y / scale, x / scale));
    }
    return out;
  }

  // --- large layers: one canvas drawn straight from typed arrays --------------------------
  // Leaflet makes an object, a projected copy and a path per feature: 3 s for 100,000
  // parcels. FastLayer keeps the layer as arrays (Web Mercator in world units, bounds per
  // feature), draws each symbol class as one canvas path (rings oriented for the non-zero
  // rule by the exporter), and finds the feature under the mouse by bounds, then by
  // point-in-ring (polygons) or distance to the line.
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

  // --- symbols --------------------------------------------------------------------------
  function symbolOf(spec, i) { return spec.symbols[typeof spec.sym === "number" ? spec.sym : spec.sym[i]]; }

  function pathStyle(symbol) {
    var style = {};
    ["color", "weight", "opacity", "stroke", "fill", "fillColor", "fillOpacity", "dashArray", "lineJoin", "lineCap"]
      .forEach(function (key) { if (symbol[key] !== undefined) style[key] = symbol[key]; });
    return style;
  }

  function markerShape(symbol, size) {
    var svg = document.createElementNS(SVG_NS, "svg");
    var pad = Math.max(symbol.weight || 0, 1);
    var full = size + 2 * pad, half = size / 2, c = full / 2;
    svg.setAttribute("width", full); svg.setAttribute("height", full);
    svg.setAttribute("viewBox", "0 0 " + full + " " + full);
    var shape;
    if (symbol.marker === "square") {
      shape = document.createElementNS(SVG_NS, "rect");
      shape.setAttribute("x", pad); shape.setAttribute("y", pad);
      shape.setAttribute("width", size); shape.setAttribute("height", size);
    } else if (symbol.marker === "triangle" || symbol.marker === "star") {
      var spikes = symbol.marker === "triangle" ? 3 : 5, inner = symbol.marker === "triangle" ? half : half * 0.45;
      var count = symbol.marker === "triangle" ? spikes : spikes * 2, pts = [];
      for (var k = 0; k < count; k++) {
        var step = symbol.marker === "triangle" ? k : k / 2;
        var r = (symbol.marker === "triangle" || k % 2 === 0) ? half : inner;
        var a = -Math.PI / 2 + step * 2 * Math.PI / spikes;
        pts.push((c + r * Math.cos(a)).toFixed(2) + "," + (c + r * Math.sin(a)).toFixed(2));
      }
      shape = document.createElementNS(SVG_NS, "polygon");
      shape.setAttribute("points", pts.join(" "));
    } else {
      shape = document.createElementNS(SVG_NS, "circle");
      shape.setAttribute("cx", c); shape.setAttribute("cy", c); shape.setAttribute("r", half);
    }
    shape.setAttribute("fill", symbol.fill ? symbol.fillColor : "none");
    shape.setAttribute("fill-opacity", symbol.fillOpacity);
    if (symbol.stroke) {
      shape.setAttribute("stroke", symbol.color);
      shape.setAttribute("stroke-width", symbol.weight);
      if (symbol.dashArray) shape.setAttribute("stroke-dasharray", symbol.dashArray);
    }
    svg.appendChild(shape);
    return svg;
  }

  function swatch(spec, symbol) {
    var size = 18, svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    svg.setAttribute("class", "gis-swatch");
    var shape;
    if (spec.family === "point") {
      var marker = markerShape(symbol, Math.min(symbol.size || 8, 14));
      marker.setAttribute("class", "gis-swatch");
      return marker;
    } else if (spec.family === "line") {
      shape = document.createElementNS(SVG_NS, "line");
      shape.setAttribute("x1", 2); shape.setAttribute("y1", size - 4);
      shape.setAttribute("x2", size - 2); shape.setAttribute("y2", 4);
      shape.setAttribute("stroke", symbol.color);
      shape.setAttribute("stroke-width", Math.max(1.5, Math.min(symbol.weight, 5)));
      shape.setAttribute("stroke-linecap", "round");
      if (symbol.dashArray) shape.setAttribute("stroke-dasharray", symbol.dashArray);
    } else {
      shape = document.createElementNS(SVG_NS, "rect");
      shape.setAttribute("x", 1.5); shape.setAttribute("y", 1.5);
      shape.setAttribute("width", size - 3); shape.setAttribute("height", size - 3);
      shape.setAttribute("fill", symbol.fill ? symbol.fillColor : "none");
      shape.setAttribute("fill-opacity", Math.max(symbol.fillOpacity, symbol.fill ? 0.35 : 0));
      if (symbol.stroke) {
        shape.setAttribute("stroke", symbol.color);
        shape.setAttribute("stroke-width", Math.min(symbol.weight, 3));
        if (symbol.dashArray) shape.setAttribute("stroke-dasharray", symbol.dashArray);
      }
    }
    svg.appendChild(shape);
    return svg;
  }

  // --- formatting -----------------------------------------------------------------------
  function formatNumber(value, digits) {
    return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }

  function areaText(m2, t) {
    if (m2 >= 1e6) return formatNumber(m2 / 1e6, 2) + " km²" + " (" + formatNumber(m2 / 1e4, 0) + " " + t.hectares + ")";
    return formatNumber(m2, 0) + " m²";
  }

  function lengthText(m) { return m >= 1000 ? formatNumber(m / 1000, 2) + " km" : formatNumber(m, 0) + " m"; }

  // --- the map --------------------------------------------------------------------------
  function GisMap(map, data) {
    this.map = map;
    this.data = data;
    this.t = data.i18n;
    this.layers = {};      // id -> runtime record
    this.order = [];       // bottom-first records
    this.selected = null;
    this.textCanvas = document.createElement("canvas").getContext("2d");
    this.textCanvas.font = LABEL_FONT;
  }

  GisMap.prototype.init = function () {
    var map = this.map, data = this.data, self = this;
    var container = map.getContainer();
    container.classList.add("gis-map");
    container.setAttribute("lang", data.lang === "zh" ? "zh-CN" : "en");
    if (data.background) container.style.background = data.background;
    map.attributionControl.setPrefix(false);
    (data.attributions || []).forEach(function (text) { map.attributionControl.addAttribution(text); });

    this.addBasemap();
    map.createPane("gis-labels").style.zIndex = 640;
    this.labelGroup = L.layerGroup().addTo(map);

    var t0 = performance.now();
    this.timings = {};
    data.layers.forEach(function (spec, index) { self.addLayer(spec, index); });
    this.timings.layers = performance.now() - t0;

    L.control.scale({ imperial: false, position: "bottomleft", maxWidth: 160 }).addTo(map);
    this.addTitle();
    this.addInfoPanel();
    this.addLayerTree();
    this.addLegend();
    if (data.options.search) this.addSearch();
    if (data.options.minimap) this.addMiniMap();

    // A click that reaches the map may be on a feature of a large (canvas) layer.
    map.on("click", function (e) {
      var hit = self.fastHit(e.latlng, -1);
      if (hit) self.select(hit.id, hit.i); else self.closeInfo();
    });
    if (this.order.some(function (record) { return record.fast; })) this.addFastHover();
    map.on("zoomend moveend resize", function () { self.refreshLabels(); });
    this.timings.controls = performance.now() - t0 - this.timings.layers;
    this.fitView();
    var t1 = performance.now();
    this.refreshLabels();
    this.timings.labels = performance.now() - t1;
    this.timings.total = performance.now() - t0;
    window.gisappExport = this.debugApi();
  };

  GisMap.prototype.fitView = function () {
    var b = this.data.bounds, size = this.map.getSize();
    if (!b) return;
    // Keep the features clear of the layer tree (top right) when there is room for both.
    var right = this.tree && size.x > 900 ? this.tree.getContainer().offsetWidth + 20 : 20;
    this.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { paddingTopLeft: [50, 70], paddingBottomRight: [right, 30] });
  };

  GisMap.prototype.addBasemap = function () {
    var basemap = this.data.basemap, map = this.map;
    this.basemapLayers = [];
    if (!basemap || !basemap.tiles) return;
    var group = L.layerGroup();
    basemap.tiles.forEach(function (tile) {
      group.addLayer(L.tileLayer(tile.url, {
        attribution: tile.attribution, subdomains: tile.subdomains || "abc",
        maxZoom: tile.maxZoom || 19, maxNativeZoom: tile.maxNativeZoom || tile.maxZoom || 19,
        crossOrigin: false
      }));
    });
    group.addTo(map);
    this.basemapGroup = group;
  };

  GisMap.prototype.addLayer = function (spec, index) {
    var map = this.map, self = this;
    var paneName = "gis-" + index;
    var pane = map.createPane(paneName);
    pane.style.zIndex = 400 + index;
    pane.style.opacity = spec.opacity;
    pane.setAttribute("data-layer", spec.id);
    if (spec.renderer === "fast") return this.addFastLayer(spec, index, pane, paneName);
    var renderer = spec.renderer === "canvas" ? L.canvas({ pane: paneName }) : L.svg({ pane: paneName });
    var geometries = decodeGeometries(spec.geom, spec.precision);
    var record = { spec: spec, pane: pane, paneName: paneName, index: index, features: new Array(geometries.length),
                   visible: spec.visible, opacity: spec.opacity, labels: null };
    var features = geometries.map(function (geometry, i) {
      return { type: "Feature", geometry: geometry, properties: { i: i, name: spec.names[i] } };
    });
    var layer = L.geoJSON(null, {
      pane: paneName,
      renderer: renderer,
      style: function (feature) { return pathStyle(symbolOf(spec, feature.properties.i)); },
      pointToLayer: function (feature, latlng) { return self.makeMarker(spec, feature.properties.i, latlng, paneName, renderer); },
      onEachFeature: function (feature, sublayer) { record.features[feature.properties.i] = sublayer; }
    });
    layer.addData(features);
    // One tooltip, one click handler and one tagging pass per layer, not per feature.
    layer.bindTooltip(function (sublayer) { return el("span", "gis-tooltip-text", spec.names[sublayer.feature.properties.i]); },
      { sticky: true, direction: "top", className: "gis-tooltip", opacity: 0.95 });
    // A large layer drawn above this one (on a canvas the mouse goes through) comes first,
    // for the tooltip as for the click.
    layer.on("mousemove", function (e) {
      var tooltip = layer.getTooltip(), above = self.hasFast && self.fastHit(e.latlng, index);
      if (tooltip && self.hasFast) {
        var i = above ? above.i : (e.propagatedFrom || e.layer).feature.properties.i;
        tooltip.setContent(el("span", "gis-tooltip-text", (above ? self.layers[above.id].spec : spec).names[i]));
      }
    });
    layer.on("click", function (e) {
      L.DomEvent.stop(e);
      var above = self.fastHit(e.latlng, index);
      if (above) self.select(above.id, above.i);
      else self.select(spec.id, (e.propagatedFrom || e.layer).feature.properties.i);
    });
    layer.on("add", function () {
      layer.eachLayer(function (sublayer) {
        var node = sublayer.getElement && sublayer.getElement();
        if (node) { node.setAttribute("data-row", sublayer.feature.properties.i); node.classList.add("gis-feature"); }
      });
    });
    record.layer = layer;
    if (spec.labels) {
      var rows = spec.labels.rows || spec.names.map(function (_name, row) { return row; });
      var texts = spec.labels.text || rows.map(function (row) { return spec.names[row]; });
      record.labels = { rows: rows, text: texts, latlngs: decodePoints(spec.labels.c, spec.precision) };
    }
    this.layers[spec.id] = record;
    this.order.push(record);
    if (spec.visible) layer.addTo(map);
  };

  GisMap.prototype.addFastLayer = function (spec, index, pane, paneName) {
    expandCompactSpec(spec);
    var layer = new FastLayer(spec, decodeFlat(spec.geom, spec.precision), paneName);
    var record = { spec: spec, pane: pane, paneName: paneName, index: index, features: null, fast: layer,
                   layer: layer, visible: spec.visible, opacity: spec.opacity, labels: null };
    if (spec.labels) {
      var rows = spec.labels.rows || spec.names.map(function (_name, row) { return row; });
      var texts = spec.labels.text || rows.map(function (row) { return spec.names[row]; });
      record.labels = { rows: rows, text: texts, latlngs: decodePoints(spec.labels, spec.precision) };
    }
    this.layers[spec.id] = record;
    this.order.push(record);
    this.hasFast = true;
    if (spec.visible) layer.addTo(this.map);
  };

  // The topmost feature of a visible large layer at latlng, among the layers stacked above
  // index (-1: all), or null.
  GisMap.prototype.fastHit = function (latlng, index) {
    for (var k = this.order.length - 1; k >= 0; k--) {
      var record = this.order[k];
      if (record.index <= index) break;
      if (!record.fast || !record.visible || !this.map.hasLayer(record.layer)) continue;
      var i = record.fast.hit(latlng, 3);
      if (i >= 0) return { id: record.spec.id, i: i };
    }
    return null;
  };

  // Names of large-layer features follow the mouse (one hit test per animation frame).
  GisMap.prototype.addFastHover = function () {
    var self = this, map = this.map, container = map.getContainer(), latest = null, scheduled = false;
    var tooltip = L.tooltip({ direction: "top", className: "gis-tooltip", opacity: 0.95, offset: [0, -8] });
    function hide() {
      map.closeTooltip(tooltip);
      container.classList.remove("gis-fast-hover");
    }
    function update() {
      scheduled = false;
      var hit = latest && self.fastHit(latest, -1);
      if (!hit) return hide();
      tooltip.setContent(el("span", "gis-tooltip-text", self.layers[hit.id].spec.names[hit.i]));
      map.openTooltip(tooltip, latest);
      container.classList.add("gis-fast-hover");
    }
    map.on("mousemove", function (e) {
      // Over a feature of an SVG layer, that layer's own tooltip shows (and asks fastHit).
      var target = e.originalEvent && e.originalEvent.target;
      var overSvg = target && target.classList && (target.classList.contains("gis-feature") ||
                                                   target.closest && target.closest(".gis-marker"));
      latest = overSvg ? null : e.latlng;
      if (!scheduled) { scheduled = true; L.Util.requestAnimFrame(update); }
    });
    map.on("mouseout movestart zoomstart", function () { latest = null; hide(); });
  };

  GisMap.prototype.makeMarker = function (spec, i, latlng, paneName, renderer) {
    var symbol = symbolOf(spec, i);
    if (!symbol.marker || symbol.marker === "circle") {
      var style = pathStyle(symbol);
      style.radius = (symbol.size || 7) / 2;
      style.pane = paneName;
      style.renderer = renderer;
      return L.circleMarker(latlng, style);
    }
    var size = symbol.size || 7, full = size + 2 * Math.max(symbol.weight || 0, 1);
    return L.marker(latlng, {
      pane: paneName, keyboard: false,
      icon: L.divIcon({ className: "gis-marker", html: markerShape(symbol, size), iconSize: [full, full] })
    });
  };

  GisMap.prototype.featureBounds = function (record, i) {
    if (record.fast) return record.fast.latLngBounds(i);
    var sub = record.features[i];
    if (!sub) return null;
    if (sub.getBounds) return sub.getBounds();
    var ll = sub.getLatLng();
    return L.latLngBounds(ll, ll);
  };

  // --- visibility and opacity ---------------------------------------------------------------
  GisMap.prototype.setVisible = function (id, visible) {
    var record = this.layers[id];
    if (!record || record.visible === visible) return;
    record.visible = visible;
    if (visible) record.layer.addTo(this.map); else this.map.removeLayer(record.layer);
    if (!visible && this.selected && this.selected.id === id) this.closeInfo();
    this.syncTree();
    this.updateLegend();
    this.refreshLabels();
  };

  GisMap.prototype.setOpacity = function (id, opacity) {
    var record = this.layers[id];
    record.opacity = opacity;
    record.pane.style.opacity = opacity;
  };

  // --- labels (placed like the desktop canvas: top layer first, biggest features first) ------
  GisMap.prototype.refreshLabels = function () {
    if (!this.labelGroup) return;
    var map = this.map, self = this;
    this.labelGroup.clearLayers();
    var size = map.getSize(), view = map.getBounds().pad(0.05), placed = this.obstacles();
    for (var k = this.order.length - 1; k >= 0; k--) {
      var record = this.order[k];
      if (!record.visible || !record.labels) continue;
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
        var w = this.textCanvas.measureText(text).width + 4, h = 16;
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

  // --- title ----------------------------------------------------------------------------
  GisMap.prototype.addTitle = function () {
    var data = this.data;
    if (!data.title && !data.subtitle) return;
    var box = el("div", "gis-title");
    box.appendChild(el("div", "gis-title-main", data.title));
    if (data.subtitle) box.appendChild(el("div", "gis-title-sub", data.subtitle));
    this.map.getContainer().appendChild(box);
  };

  // --- layer tree -----------------------------------------------------------------------
  GisMap.prototype.addLayerTree = function () {
    var self = this, t = this.t;
    var Control = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var root = el("div", "gis-panel gis-layertree leaflet-control");
        stopEvents(root);
        var head = el("button", "gis-panel-head", t.layers);
        head.type = "button";
        head.setAttribute("aria-expanded", "true");
        var body = el("div", "gis-panel-body");
        head.addEventListener("click", function () {
          var open = root.classList.toggle("gis-collapsed");
          head.setAttribute("aria-expanded", open ? "false" : "true");
        });
        root.appendChild(head);
        root.appendChild(body);
        self.treeInputs = {};
        self.groupInputs = [];
        // Many layers: show the plan's groups (一廊, 一心, ...) first, layers on demand.
        var collapseGroups = self.order.length > 8 && self.data.groups.length > 1;
        self.data.groups.forEach(function (group) {
          var box = el("div", "gis-group" + (collapseGroups ? " gis-group-closed" : ""));
          var row = el("div", "gis-group-row");
          var caret = el("button", "gis-caret", collapseGroups ? "▸" : "▾");
          caret.type = "button";
          caret.setAttribute("aria-label", t.toggleGroup);
          caret.addEventListener("click", function () {
            var closed = box.classList.toggle("gis-group-closed");
            caret.textContent = closed ? "▸" : "▾";
          });
          var check = el("input");
          check.type = "checkbox";
          var label = el("label", "gis-group-title");
          label.appendChild(check);
          label.appendChild(el("span", "", group.title));
          row.appendChild(caret);
          row.appendChild(label);
          box.appendChild(row);
          var list = el("div", "gis-group-layers");
          group.layers.forEach(function (id) {
            var record = self.layers[id];
            var item = el("div", "gis-layer");
            item.setAttribute("data-layer", id);
            var l = el("label", "gis-layer-title");
            var input = el("input");
            input.type = "checkbox";
            input.checked = record.visible;
            input.setAttribute("data-layer", id);
            input.addEventListener("change", function () { self.setVisible(id, input.checked); });
            l.appendChild(input);
            l.appendChild(el("span", "", record.spec.title));
            var slider = el("input", "gis-opacity");
            slider.type = "range"; slider.min = 0; slider.max = 100; slider.step = 5;
            slider.value = Math.round(record.opacity * 100);
            slider.title = t.opacity;
            slider.setAttribute("aria-label", t.opacity + " — " + record.spec.title);
            slider.setAttribute("data-layer", id);
            slider.addEventListener("input", function () { self.setOpacity(id, slider.value / 100); });
            item.appendChild(l);
            item.appendChild(slider);
            list.appendChild(item);
            self.treeInputs[id] = input;
          });
          box.appendChild(list);
          check.addEventListener("change", function () {
            group.layers.forEach(function (id) { self.setVisible(id, check.checked); });
          });
          self.groupInputs.push([check, group.layers]);
          body.appendChild(box);
        });
        if (self.basemapGroup) {
          var basemapRow = el("label", "gis-layer-title gis-basemap-row");
          var input = el("input");
          input.type = "checkbox"; input.checked = true;
          input.addEventListener("change", function () {
            if (input.checked) self.basemapGroup.addTo(self.map); else self.map.removeLayer(self.basemapGroup);
          });
          basemapRow.appendChild(input);
          basemapRow.appendChild(el("span", "", t.basemap + ": " + self.data.basemap.title));
          body.appendChild(basemapRow);
        }
        return root;
      }
    });
    this.tree = new Control().addTo(this.map);
    this.syncTree();
  };

  GisMap.prototype.syncTree = function () {
    var self = this;
    if (!this.treeInputs) return;
    Object.keys(this.treeInputs).forEach(function (id) { self.treeInputs[id].checked = self.layers[id].visible; });
    this.groupInputs.forEach(function (pair) {
      var on = pair[1].filter(function (id) { return self.layers[id].visible; }).length;
      pair[0].checked = on === pair[1].length;
      pair[0].indeterminate = on > 0 && on < pair[1].length;
    });
  };

  // --- legend (only the visible layers, top first) --------------------------------------
  GisMap.prototype.addLegend = function () {
    var self = this, t = this.t;
    var Control = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var root = el("div", "gis-panel gis-legend leaflet-control");
        stopEvents(root);
        var head = el("button", "gis-panel-head", t.legend);
        head.type = "button";
        head.addEventListener("click", function () { root.classList.toggle("gis-collapsed"); });
        self.legendBody = el("div", "gis-panel-body");
        root.appendChild(head);
        root.appendChild(self.legendBody);
        return root;
      }
    });
    this.legend = new Control().addTo(this.map);
    var body = this.legendBody;
    for (var k = this.order.length - 1; k >= 0; k--) {
      var record = this.order[k], spec = record.spec;
      var block = el("div", "gis-legend-layer");
      block.setAttribute("data-layer", spec.id);
      if (spec.legend.length === 1 && !spec.legend[0].label) {
        var single = el("div", "gis-legend-row gis-legend-single");
        single.appendChild(swatch(spec, spec.symbols[spec.legend[0].s]));
        single.appendChild(el("span", "", spec.title));
        block.appendChild(single);
      } else {
        block.appendChild(el("div", "gis-legend-title", spec.title));
        spec.legend.forEach(function (entry) {
          var row = el("div", "gis-legend-row");
          row.appendChild(swatch(spec, spec.symbols[entry.s]));
          row.appendChild(el("span", "", entry.label));
          block.appendChild(row);
        });
      }
      record.legendBlock = block;
      body.appendChild(block);
    }
    this.updateLegend();
  };

  GisMap.prototype.updateLegend = function () {
    this.order.forEach(function (record) {
      if (record.legendBlock) record.legendBlock.hidden = !record.visible;
    });
  };

  // --- info panel -----------------------------------------------------------------------
  GisMap.prototype.addInfoPanel = function () {
    var self = this;
    var panel = el("aside", "gis-info");
    panel.setAttribute("aria-live", "polite");
    panel.hidden = true;
    stopEvents(panel);
    var close = el("button", "gis-info-close", "×");
    close.type = "button";
    close.title = this.t.close;
    close.setAttribute("aria-label", this.t.close);
    close.addEventListener("click", function () { self.closeInfo(); });
    this.infoContent = el("div", "gis-info-content");
    panel.appendChild(close);
    panel.appendChild(this.infoContent);
    this.map.getContainer().appendChild(panel);
    this.infoPanel = panel;
  };

  GisMap.prototype.select = function (id, i) {
    var record = this.layers[id];
    if (!record) return;
    this.unhighlight();
    var sub = record.features ? record.features[i] : null;
    if (record.fast) {  // the canvas has no per-feature shape: draw the feature on top
      if (!record.highlightRenderer) record.highlightRenderer = L.svg({ pane: record.paneName });
      var options = L.extend({ pane: record.paneName, interactive: false, renderer: record.highlightRenderer }, HIGHLIGHT);
      var parts = record.fast.latLngs(i);
      this.highlight = (record.spec.family === "polygon" ? L.polygon(parts, options) : L.polyline(parts, options))
        .addTo(this.map);
    } else if (sub && sub.setStyle) {
      sub.setStyle(HIGHLIGHT);
      if (sub.bringToFront) sub.bringToFront();
    } else if (sub && sub.getElement && sub.getElement()) {
      sub.getElement().classList.add("gis-marker-selected");
    }
    this.selected = { id: id, i: i };
    this.showInfo(record, i);
  };

  GisMap.prototype.unhighlight = function () {
    if (!this.selected) return;
    if (this.highlight) {
      this.map.removeLayer(this.highlight);
      this.highlight = null;
    }
    var record = this.layers[this.selected.id], sub = record && record.features && record.features[this.selected.i];
    if (sub && sub.setStyle) record.layer.resetStyle(sub);
    else if (sub && sub.getElement && sub.getElement()) sub.getElement().classList.remove("gis-marker-selected");
    this.selected = null;
  };

  GisMap.prototype.closeInfo = function () {
    this.unhighlight();
    if (this.infoPanel && !this.infoPanel.hidden) {
      this.infoPanel.hidden = true;
      this.refreshLabels();
    }
    this.map.getContainer().classList.remove("gis-info-open");
  };

  GisMap.prototype.showInfo = function (record, i) {
    var spec = record.spec, t = this.t, data = this.data, box = this.infoContent;
    while (box.firstChild) box.removeChild(box.firstChild);
    var values = {};
    spec.columns.forEach(function (column, c) { values[column] = spec.values[c][i]; });
    var lang = data.lang, other = lang === "zh" ? "en" : "zh";

    box.appendChild(el("h2", "gis-info-name", spec.names[i]));
    var otherName = values["name_" + other];
    if (otherName && otherName !== spec.names[i]) box.appendChild(el("div", "gis-muted", otherName));
    box.appendChild(el("div", "gis-muted gis-info-layer", spec.title + (values.id ? " · " + values.id : "")));

    var quality = values.geom_quality;
    if (quality) {
      var q = el("div", "gis-quality gis-quality-" + quality.replace(/[^a-z]/g, ""), "⚠ " + (t.quality[quality] || quality));
      box.appendChild(q);
    }
    if (values["role_" + lang]) box.appendChild(el("p", "gis-role", values["role_" + lang]));
    if (values["industries_" + lang]) {
      var ind = el("p", "gis-industries");
      ind.appendChild(el("b", "", t.industries + ": "));
      ind.appendChild(document.createTextNode(values["industries_" + lang]));
      box.appendChild(ind);
    }

    var measures = [];
    if (spec.area_m2) measures.push([t.area, areaText(spec.area_m2[i], t)]);
    if (spec.length_m) measures.push([spec.family === "polygon" ? t.perimeter : t.length, lengthText(spec.length_m[i])]);
    if (measures.length) {
      box.appendChild(el("h3", "", t.measures));
      box.appendChild(this.table(measures));
    }

    var links = (spec.links && spec.links[String(i)]) || [];
    var section = el("section", "gis-indicators");
    section.appendChild(el("h3", "", t.indicators + " (" + links.length + ")"));
    if (!links.length) section.appendChild(el("p", "gis-muted", t.noIndicators));
    var self = this;
    links.forEach(function (link) { section.appendChild(self.indicatorCard(data.indicators[link[0]], link[1], link[2])); });
    box.appendChild(section);

    var rows = [];
    spec.columns.forEach(function (column, c) {
      var value = spec.values[c][i];
      if (value !== "" && value !== null && value !== undefined && data.headerFields.indexOf(column) < 0) rows.push([column, value]);
    });
    if (rows.length) {
      box.appendChild(el("h3", "", t.attributes));
      box.appendChild(this.table(rows, "gis-attributes"));
    }
    this.infoPanel.hidden = false;
    this.infoPanel.scrollTop = 0;
    this.map.getContainer().classList.add("gis-info-open");
    // Keep the feature in sight beside the panel.
    var b = this.featureBounds(record, i), panelWidth = this.infoPanel.offsetWidth, width = this.map.getSize().x;
    if (b && panelWidth < width * 0.7) {
      var west = this.map.latLngToContainerPoint(b.getSouthWest()).x;
      var east = this.map.latLngToContainerPoint(b.getNorthEast()).x;
      if (west < panelWidth + 20 && east - west < width - panelWidth - 360) this.map.panBy([west - panelWidth - 40, 0]);
    }
    this.refreshLabels();
  };

  GisMap.prototype.table = function (rows, className) {
    var table = el("table", className || "");
    rows.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", "", row[0]));
      tr.appendChild(el("td", "", row[1]));
      table.appendChild(tr);
    });
    return table;
  };

  GisMap.prototype.indicatorCard = function (ind, relation, own) {
    var t = this.t, card = el("div", "gis-indicator"), p = own || ind.progress || {};
    card.setAttribute("data-indicator", ind.id);
    if (p.status) card.setAttribute("data-status", p.status);
    var head = el("div", "gis-indicator-head");
    head.appendChild(el("span", "gis-indicator-name", ind.name));
    if (ind.natureLabel) head.appendChild(el("span", "gis-badge gis-badge-" + (ind.nature === "binding" ? "binding" : "expected"), ind.natureLabel));
    card.appendChild(head);
    var meta = [ind.category, t.relations[relation] || relation].filter(Boolean).join(" · ");
    if (meta) card.appendChild(el("div", "gis-muted gis-small", meta));
    function value(v, year) {
      return v + (ind.unit ? " " + ind.unit : "") + (year ? " (" + year + ")" : "");
    }
    var rows = [];  // empty fields are left out
    if (ind.baseline) rows.push([t.baseline, value(ind.baseline, ind.baselineYear)]);
    if (ind.target) rows.push([t.target, value(ind.target, ind.targetYear)]);
    if (p.value) rows.push([own ? t.actualHere : t.actual, value(p.value, p.year)]);
    if (ind.actualGrowth || ind.targetGrowth) rows.push([t.avgGrowth, (ind.actualGrowth || "—") + " / " + (ind.targetGrowth || "—")]);
    if (ind.completion) rows.push([t.completion, t.completions[ind.completion] || ind.completion]);
    if (rows.length) card.appendChild(this.table(rows, "gis-indicator-values"));
    if (p.status && p.status !== "no_data" && p.statusLabel) {
      var status = el("span", "gis-status", p.statusLabel);
      status.style.background = p.colour;
      card.appendChild(status);
    }
    if (typeof p.share === "number") {
      var share = Math.max(0, Math.min(1, p.share));
      var bar = el("div", "gis-progress");
      bar.setAttribute("role", "progressbar");
      bar.setAttribute("aria-valuemin", "0");
      bar.setAttribute("aria-valuemax", "100");
      bar.setAttribute("aria-valuenow", String(Math.round(share * 100)));
      var fill = el("div", "gis-progress-fill");
      fill.style.width = (share * 100).toFixed(1) + "%";
      if (p.colour) fill.style.background = p.colour;
      bar.appendChild(fill);
      if (typeof p.expectedShare === "number") {
        var mark = el("div", "gis-progress-expected");
        mark.style.left = (Math.max(0, Math.min(1, p.expectedShare)) * 100).toFixed(1) + "%";
        mark.title = t.expected;
        bar.appendChild(mark);
      }
      bar.appendChild(el("span", "gis-progress-text", t.progress + " " + Math.round(p.share * 100) + "%"));
      card.appendChild(bar);
    }
    if (p.reason) card.appendChild(el("div", "gis-reason", p.reason));
    if (ind.source) card.appendChild(el("div", "gis-source", t.source + ": " + ind.source));
    return card;
  };

  // --- search (leaflet-search fed from our own index, tips built with textContent) ---------
  GisMap.prototype.addSearch = function () {
    if (!L.Control.Search) return;
    var self = this, t = this.t;
    function records() {
      var out = {}, seen = {};
      self.order.slice().reverse().forEach(function (record) {
        if (!record.visible) return;
        record.spec.names.forEach(function (name, i) {
          var sub = record.features ? record.features[i] : record.fast;
          if (!sub) return;
          var key = seen[name] ? name + " · " + record.spec.title : name;
          if (out[key]) return;
          seen[name] = true;
          var b = self.featureBounds(record, i);
          var loc = b.getCenter();
          loc.layer = record.features ? sub : null;
          loc.gis = { id: record.spec.id, i: i, bounds: b };
          out[key] = loc;
        });
      });
      return out;
    }
    var control = new L.Control.Search({
      position: "topleft", marker: false, initial: false, casesensitive: false, autoType: false,
      collapsed: true, textPlaceholder: t.searchPlaceholder, textErr: t.searchNotFound, textCancel: t.cancel,
      sourceData: function (text, callResponse) { callResponse(records()); return { abort: function () {} }; },
      formatData: function (json) { return json; },
      buildTip: function (text) {
        var tip = el("a", "gis-search-tip", text);
        tip.href = "#";
        return tip;
      },
      moveToLocation: function (latlng, title, map) {
        var b = latlng.gis.bounds;
        if (b.getNorthEast().equals(b.getSouthWest())) map.setView(b.getCenter(), Math.max(map.getZoom(), 15));
        else map.fitBounds(b, { padding: [40, 40], maxZoom: 16 });
      }
    });
    control.on("search:locationfound", function (e) {
      if (e.latlng && e.latlng.gis) self.select(e.latlng.gis.id, e.latlng.gis.i);
    });
    this.map.addControl(control);
    this.search = control;
  };

  // --- mini-map -------------------------------------------------------------------------
  GisMap.prototype.addMiniMap = function () {
    if (!L.Control.MiniMap) return;
    var layer, basemap = this.data.basemap;
    if (basemap && basemap.tiles) {
      var tile = basemap.tiles[0];
      layer = L.tileLayer(tile.url, { subdomains: tile.subdomains || "abc", maxZoom: tile.maxZoom || 19 });
    } else {
      // Offline: the bundled land when it is exported (small), else the outline of the data.
      var self = this, group = L.featureGroup(), overview = this.data.overview || {};
      (overview.layers || []).forEach(function (id) {
        var record = self.layers[id];
        if (!record) return;
        var spec = record.spec;
        group.addLayer(L.geoJSON({ type: "FeatureCollection", features: decodeGeometries(spec.geom, spec.precision).map(function (g) {
          return { type: "Feature", geometry: g, properties: {} };
        }) }, { interactive: false, style: function () { return { color: "#8c8c8c", weight: 0.6, fillColor: "#f2efe9", fillOpacity: 1 }; } }));
      });
      if (overview.outline) {
        group.addLayer(L.polygon(overview.outline.map(function (p) { return [p[1], p[0]]; }),
          { interactive: false, color: "#8c8c8c", weight: 1, fillColor: "#f2efe9", fillOpacity: 1 }));
      }
      layer = group;
    }
    var mini = new L.Control.MiniMap(layer, {
      position: "bottomleft", width: 140, height: 140, zoomLevelOffset: -4, toggleDisplay: true,
      strings: { hideText: this.t.hideMiniMap, showText: this.t.showMiniMap }
    });
    this.map.addControl(mini);
    var mapNode = mini._miniMap && mini._miniMap.getContainer();
    if (mapNode && this.data.background) mapNode.style.background = this.data.background;
    this.minimap = mini;
  };

  // --- debugging and tests ---------------------------------------------------------------
  GisMap.prototype.debugApi = function () {
    var self = this;
    return {
      ready: true,
      map: self.map,
      timings: self.timings,
      layers: function () {
        var out = {};
        self.order.forEach(function (record) {
          out[record.spec.id] = {
            expected: record.spec.n,
            drawn: record.fast ? (self.map.hasLayer(record.layer) ? record.fast.drawn : 0) : record.layer.getLayers().length,
            visible: record.visible && self.map.hasLayer(record.layer),
            pane: record.paneName,
            renderer: record.spec.renderer
          };
        });
        return out;
      },
      labels: function () {
        return self.labelGroup.getLayers().map(function (m) { return { layer: m.options.gisLayer, text: m.getElement() ? m.getElement().textContent : "" }; });
      },
      select: function (id, i) { self.select(id, i); },
      setVisible: function (id, visible) { self.setVisible(id, visible); },
      featureIndex: function (id, name) { return self.layers[id].spec.names.indexOf(name); },
      featurePoint: function (id, i) {
        var rec = self.layers[id], j = rec.labels ? rec.labels.rows.indexOf(i) : -1;
        var ll = j >= 0 ? rec.labels.latlngs[j] : self.featureBounds(rec, i).getCenter();
        var p = self.map.latLngToContainerPoint(ll), box = self.map.getContainer().getBoundingClientRect();
        return { x: p.x + box.left, y: p.y + box.top };
      },
      pointAt: function (lat, lng) {
        var p = self.map.latLngToContainerPoint([lat, lng]), box = self.map.getContainer().getBoundingClientRect();
        return { x: p.x + box.left, y: p.y + box.top };
      },
      symbolOf: function (id, i) { return symbolOf(self.layers[id].spec, i); }
    };
  };

  window.GisappWebMap = {
    init: function (map, data) {
      var gis = new GisMap(map, data);
      gis.init();
      return gis;
    },
    decodeGeometries: decodeGeometries
  };
})();
