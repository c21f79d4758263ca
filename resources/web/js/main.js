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
}(window.gisapp));
