/* The map's controls: title, layer tree (visibility, opacity), legend, search and mini-map. */
(function (gisapp) {
  "use strict";

  var el = gisapp.dom.el, stopEvents = gisapp.dom.stopEvents, swatch = gisapp.symbols.swatch;
  var decodeGeometries = gisapp.decode.decodeGeometries, GisMap = gisapp.GisMap;

  // --- title ----------------------------------------------------------------------------
  GisMap.prototype.addTitle = function () {
    var data = this.data;
    if (!data.title && !data.subtitle) return;
    var box = el("div", "gis-title");
    box.appendChild(el("div", "gis-title-main", data.title));
    if (data.subtitle) box.appendChild(el("div", "gis-title-sub", data.subtitle));
    this.map.getContainer().appendChild(box);
  };

  // On a phone the panels would cover the title and most of the map: they start collapsed.
  GisMap.prototype.isNarrow = function () { return this.map.getSize().x < 700; };

  // A panel's header button; collapsing or opening it frees or covers map, so labels re-place.
  GisMap.prototype.panelHead = function (root, text) {
    var self = this, head = el("button", "gis-panel-head", text);
    head.type = "button";
    if (this.isNarrow()) root.classList.add("gis-collapsed");
    head.setAttribute("aria-expanded", this.isNarrow() ? "false" : "true");
    head.addEventListener("click", function () {
      var collapsed = root.classList.toggle("gis-collapsed");
      head.setAttribute("aria-expanded", collapsed ? "false" : "true");
      self.refreshLabels();
    });
    return head;
  };

  // --- layer tree -----------------------------------------------------------------------
  GisMap.prototype.addLayerTree = function () {
    var self = this, t = this.t;
    var Control = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var root = el("div", "gis-panel gis-layertree leaflet-control");
        stopEvents(root);
        var head = self.panelHead(root, t.layers);
        var body = el("div", "gis-panel-body");
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
            // Read once: each setVisible re-syncs this box (indeterminate while half done).
            var visible = check.checked;
            group.layers.forEach(function (id) { self.setVisible(id, visible); });
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
        var head = self.panelHead(root, t.legend);
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

  // --- search (leaflet-search fed from our own index, tips built with textContent) ---------
  GisMap.prototype.addSearch = function () {
    if (!L.Control.Search) return;
    var self = this, t = this.t;
    function records() {
      var out = {}, seen = {};
      self.order.slice().reverse().forEach(function (record) {
        if (!record.visible || !record.interactive) return;
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
      collapsed: true, firstTipSubmit: true, textPlaceholder: t.searchPlaceholder, textErr: t.searchNotFound, textCancel: t.cancel,
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
      layer = gisapp.tileLayer(basemap.tiles[0], { attribution: "" });
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
    var narrow = this.isNarrow();
    var mini = new L.Control.MiniMap(layer, {
      position: "bottomleft", width: narrow ? 90 : 140, height: narrow ? 90 : 140, zoomLevelOffset: -4,
      toggleDisplay: true, minimized: narrow,
      strings: { hideText: this.t.hideMiniMap, showText: this.t.showMiniMap }
    });
    this.map.addControl(mini);
    var mapNode = mini._miniMap && mini._miniMap.getContainer();
    if (mapNode && this.data.background) mapNode.style.background = this.data.background;
    this.minimap = mini;
  };
}(window.gisapp));
