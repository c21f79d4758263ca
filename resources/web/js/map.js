/* GisMap: the page's layers on the Leaflet map (basemap, panes, features, hover and hits,
 * visibility, opacity). labels.js, controls.js, info_panel.js and main.js add its other methods. */
(function (gisapp) {
  "use strict";

  var el = gisapp.dom.el, decode = gisapp.decode, symbols = gisapp.symbols;
  var decodeGeometries = decode.decodeGeometries, decodePoints = decode.decodePoints;
  var decodeFlat = decode.decodeFlat, expandCompactSpec = decode.expandCompactSpec;
  var symbolOf = symbols.symbolOf, pathStyle = symbols.pathStyle, markerShape = symbols.markerShape;
  var FastLayer = gisapp.canvasLayer.FastLayer;

  // The offline background (land, sea, district outlines) is scenery: clicking or hovering
  // empty land opens nothing. Its named places stay clickable.
  var BACKGROUND_GROUP = "base";
  function isInteractive(spec) { return spec.group !== BACKGROUND_GROUP || spec.family === "point"; }

  function GisMap(map, data) {
    this.map = map;
    this.data = data;
    this.t = data.i18n;
    this.layers = {};      // id -> runtime record
    this.order = [];       // bottom-first records
    this.selected = null;
  }

  GisMap.prototype.fitView = function () {
    var b = this.data.bounds, size = this.map.getSize();
    if (!b) return;
    // Keep the features clear of the layer tree (top right) when there is room for both.
    var right = this.tree && size.x > 900 ? this.tree.getContainer().offsetWidth + 20 : 20;
    this.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { paddingTopLeft: [50, 70], paddingBottomRight: [right, 30] });
  };

  // Tiles embedded in the page (an MBTiles basemap exported offline): data URLs by "z/x/y".
  // Outside the embedded zoom range Leaflet scales the nearest level (minNativeZoom/maxNativeZoom).
  var BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
  var EmbeddedTiles = L.TileLayer.extend({
    getTileUrl: function (coords) {
      return this.options.embedded[coords.z + "/" + coords.x + "/" + coords.y] || BLANK_TILE;
    }
  });

  function tileLayer(tile, options) {
    options = L.extend({
      attribution: tile.attribution, subdomains: tile.subdomains || "abc",
      maxZoom: tile.maxZoom || 19, maxNativeZoom: tile.maxNativeZoom || tile.maxZoom || 19,
      crossOrigin: false
    }, options || {});
    if (tile.embedded) {
      options.embedded = tile.embedded;
      options.minNativeZoom = tile.minNativeZoom;
      options.maxZoom = 22;
      return new EmbeddedTiles("", options);
    }
    return L.tileLayer(tile.url, options);
  }

  GisMap.prototype.addBasemap = function () {
    var basemap = this.data.basemap, map = this.map;
    this.basemapLayers = [];
    if (!basemap || !basemap.tiles) return;
    var group = L.layerGroup();
    basemap.tiles.forEach(function (tile) {
      group.addLayer(tileLayer(tile));
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
    var interactive = isInteractive(spec);
    var record = { spec: spec, pane: pane, paneName: paneName, index: index, features: new Array(geometries.length),
                   visible: spec.visible, opacity: spec.opacity, labels: null, interactive: interactive };
    var features = geometries.map(function (geometry, i) {
      return { type: "Feature", geometry: geometry, properties: { i: i, name: spec.names[i] } };
    });
    var layer = L.geoJSON(null, {
      pane: paneName,
      renderer: renderer,
      interactive: interactive,
      style: function (feature) { return pathStyle(symbolOf(spec, feature.properties.i)); },
      pointToLayer: function (feature, latlng) { return self.makeMarker(spec, feature.properties.i, latlng, paneName, renderer); },
      onEachFeature: function (feature, sublayer) { record.features[feature.properties.i] = sublayer; }
    });
    layer.addData(features);
    // One tooltip, one click handler and one tagging pass per layer, not per feature.
    if (interactive) layer.bindTooltip(function (sublayer) { return el("span", "gis-tooltip-text", spec.names[sublayer.feature.properties.i]); },
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
                   layer: layer, visible: spec.visible, opacity: spec.opacity, labels: null,
                   interactive: isInteractive(spec) };
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
      if (!record.fast || !record.visible || !record.interactive || !record.opacity ||
          !this.map.hasLayer(record.layer)) continue;
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
    var record = this.layers[id], wasHidden = record.opacity === 0;
    record.opacity = opacity;
    record.pane.style.opacity = opacity;
    if (wasHidden !== (opacity === 0)) this.refreshLabels();  // a transparent layer has no labels
  };

  gisapp.GisMap = GisMap;
  gisapp.tileLayer = tileLayer;
}(window.gisapp));
