/* The as-of-year slider, shown when monitoring values exist for two or more years: the
 * zones coloured by progress and the info panel's latest actuals and statuses follow the
 * chosen year (data.asOf: each year's figures, computed by the exporter as the desktop's
 * monitoring.assess(as_of=year) does). A native range input: arrow keys, Home and End. */
(function (gisapp) {
  "use strict";

  var el = gisapp.dom.el, stopEvents = gisapp.dom.stopEvents, GisMap = gisapp.GisMap;

  GisMap.prototype.addYearSlider = function () {
    var asOf = this.data.asOf, self = this, t = this.t;
    if (!asOf || !asOf.years || asOf.years.length < 2) return;
    var years = asOf.years, last = years.length - 1;
    // What the page was exported with (the latest year) is kept, to return to it.
    this.latestIndicators = this.data.indicators.map(function (ind) { return ind.progress; });
    var box = el("div", "gis-year");
    stopEvents(box);
    var id = "gis-year-input";
    var label = el("label", "gis-year-label", t.asOf);
    label.setAttribute("for", id);
    var input = el("input", "gis-year-input");
    input.type = "range";
    input.id = id;
    input.min = "0";
    input.max = String(last);
    input.step = "1";
    input.value = String(last);
    var shown = el("output", "gis-year-value");
    shown.setAttribute("for", id);
    var ticks = el("div", "gis-year-ticks");
    ticks.setAttribute("aria-hidden", "true");
    years.forEach(function (year) { ticks.appendChild(el("span", "", String(year))); });
    box.appendChild(label);
    box.appendChild(shown);
    box.appendChild(input);
    box.appendChild(ticks);
    input.addEventListener("input", function () { self.setYear(years[Number(input.value)]); });
    var title = this.map.getContainer().querySelector(".gis-title");
    if (!title) {
      title = el("div", "gis-title");
      this.map.getContainer().appendChild(title);
    }
    title.appendChild(box);
    this.yearInput = input;
    this.yearOutput = shown;
    this.setYear(years[last]);
  };

  // Show the figures as of ``year`` (one of data.asOf.years).
  GisMap.prototype.setYear = function (year) {
    var asOf = this.data.asOf, key = String(year), self = this, t = this.t;
    var position = asOf.years.indexOf(year);
    if (position < 0) return;
    this.asOfYear = year;
    var byYear = asOf.indicators[key] || [];
    this.data.indicators.forEach(function (ind, k) { if (byYear[k]) ind.progress = byYear[k]; });
    this.order.forEach(function (record) {
      var spec = record.spec;
      if (spec.links) self.yearLinks(spec, key);
      if (spec.symByYear && spec.symByYear[key]) {
        spec.sym = spec.symByYear[key];
        if (record.layer && record.layer.resetStyle) record.layer.resetStyle();
      }
    });
    var text = t.asOfYear.replace("{year}", year);
    if (this.yearInput) {
      this.yearInput.value = String(position);
      this.yearInput.setAttribute("aria-valuetext", text);
      this.yearOutput.textContent = text;
    }
    if (this.selected) {  // the open panel shows the year's figures
      var selected = this.selected;
      this.select(selected.id, selected.i);
    }
  };

  // Each link row's own progress (its third entry) as of the year: a feature's own values
  // up to that year, or none (then the panel shows the zone-wide figure of that year).
  GisMap.prototype.yearLinks = function (spec, key) {
    var own = (spec.linksByYear && spec.linksByYear[key]) || {};
    Object.keys(spec.links).forEach(function (position) {
      var rows = spec.links[position], values = own[position];
      rows.forEach(function (row, r) {
        row.length = 2;
        if (values && values[r]) row.push(values[r]);
      });
    });
  };
}(window.gisapp));
