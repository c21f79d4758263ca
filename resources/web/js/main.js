/* Start-up (GisMap.init, called by the page with its JSON payload) and the debugging API
 * that tests and benchmarks read (window.gisappExport). */
(function (gisapp) {
  "use strict";

  var GisMap = gisapp.GisMap, symbolOf = gisapp.symbols.symbolOf, decodeGeometries = gisapp.decode.decodeGeometries;

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
    // leaflet-measure draws in Leaflet's own panes (overlay 400, marker 600), which would put a
    // measured area under the data panes (400 + index): lift them over the data, under labels.
    map.getPane("overlayPane").style.zIndex = 630;
    map.getPane("markerPane").style.zIndex = 635;
    // leaflet-measure's click-capturing marker is made with Leaflet's default icon, whose PNGs
    // the page's img-src policy blocks; the icon is swapped at once, so a blank one does.
    L.Marker.prototype.options.icon = L.divIcon({ className: "gis-blank-icon", iconSize: [0, 0] });
    this.translateZoomControl();
    this.labelGroup = L.layerGroup().addTo(map);

    var t0 = performance.now();
    this.timings = {};
    data.layers.forEach(function (spec, index) { self.addLayer(spec, index); });
    this.timings.layers = performance.now() - t0;

    L.control.scale({ imperial: false, position: "bottomleft", maxWidth: 160 }).addTo(map);
    this.addPresenterTools();
    this.addTitle();
    this.addYearSlider();
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
    map.on("resize", function () { self.clearAttribution(); });
    this.clearAttribution();
    this.followPrinting();
    this.timings.controls = performance.now() - t0 - this.timings.layers;
    this.fitView();
    var t1 = performance.now();
    this.refreshLabels();
    this.timings.labels = performance.now() - t1;
    if (this.presentOnLoad) this.setPresenting(true);
    this.timings.total = performance.now() - t0;
    window.gisappExport = this.debugApi();
  };

  GisMap.prototype.translateZoomControl = function () {
    var zoom = this.map.zoomControl, t = this.t;
    if (!zoom) return;
    [[zoom._zoomInButton, t.zoomIn], [zoom._zoomOutButton, t.zoomOut]].forEach(function (pair) {
      if (!pair[0]) return;
      pair[0].title = pair[1];
      pair[0].setAttribute("aria-label", pair[1]);
    });
  };

  // On a narrow screen the attribution wraps over the whole width: the bottom-left controls
  // (scale bar, mini-map) sit above it rather than under it.
  GisMap.prototype.clearAttribution = function () {
    var corner = this.map._controlCorners && this.map._controlCorners.bottomleft;
    var attribution = this.map.attributionControl && this.map.attributionControl.getContainer();
    if (!corner || !attribution) return;
    var left = corner.getBoundingClientRect(), right = attribution.getBoundingClientRect();
    var overlaps = right.left < left.right + 4;
    corner.style.bottom = overlaps ? attribution.offsetHeight + "px" : "";
  };

  // The printed page is another size than the screen: it shows the area seen on screen, with
  // labels placed for the page; the screen view comes back after printing.
  GisMap.prototype.followPrinting = function () {
    var self = this, map = this.map, media = window.matchMedia && window.matchMedia("print"), before = null;
    function relayout(printing) {
      if (printing && !before) before = { center: map.getCenter(), zoom: map.getZoom(), bounds: map.getBounds() };
      map.invalidateSize({ pan: false, animate: false });
      if (printing && before) map.fitBounds(before.bounds, { animate: false, padding: [0, 0] });
      if (!printing && before) { map.setView(before.center, before.zoom, { animate: false }); before = null; }
      self.clearAttribution();
      self.refreshLabels();
    }
    if (media && media.addEventListener) media.addEventListener("change", function (e) { relayout(e.matches); });
    window.addEventListener("beforeprint", function () { relayout(true); });
    window.addEventListener("afterprint", function () { relayout(false); });
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
      symbolOf: function (id, i) { return symbolOf(self.layers[id].spec, i); },
      asOfYear: function () { return self.asOfYear === undefined ? null : self.asOfYear; },
      setYear: function (year) { self.setYear(year); }
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
}(window.gisapp));
