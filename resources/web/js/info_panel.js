/* Selecting a feature: its highlight and the info panel with measures, plan indicators
 * and attributes. */
(function (gisapp) {
  "use strict";

  var el = gisapp.dom.el, stopEvents = gisapp.dom.stopEvents, GisMap = gisapp.GisMap;

  // The desktop canvas's selection symbol.
  var HIGHLIGHT = { color: "#ff00ff", weight: 2.5, opacity: 1, fillColor: "#ffff00", fillOpacity: 0.35, dashArray: null };

  // --- formatting -----------------------------------------------------------------------
  function formatNumber(value, digits) {
    return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }

  function areaText(m2, t) {
    if (m2 >= 1e6) return formatNumber(m2 / 1e6, 2) + " km²" + " (" + formatNumber(m2 / 1e4, 0) + " " + t.hectares + ")";
    return formatNumber(m2, 0) + " m²";
  }

  function lengthText(m) { return m >= 1000 ? formatNumber(m / 1000, 2) + " km" : formatNumber(m, 0) + " m"; }

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
      if (value === "" || value === null || value === undefined || data.headerFields.indexOf(column) >= 0) return;
      var labels = (spec.valueLabels || {})[column] || {};
      rows.push([(spec.aliases && spec.aliases[c]) || column, labels[value] || value]);
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
    else if (ind.target || ind.targetGrowth) rows.push([t.baseline, t.noBaseline]);
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
}(window.gisapp));
