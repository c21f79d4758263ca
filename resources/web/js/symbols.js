/* The desktop's symbols as Leaflet path styles, SVG markers and legend swatches. */
(function (gisapp) {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";

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

  gisapp.symbols = { symbolOf: symbolOf, pathStyle: pathStyle, markerShape: markerShape, swatch: swatch };
}(window.gisapp));
