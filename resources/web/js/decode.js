/* Decoding the payload's geometries and compact columns, as gisapp/export/web/webdata.py
 * and compact.py write them. */
(function (gisapp) {
  "use strict";

  // --- compact encoding of large layers (gisapp/export/web/compact.py) ----------------
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

  gisapp.decode = { decodeFlat: decodeFlat, expandCompactSpec: expandCompactSpec,
                     decodeGeometries: decodeGeometries, decodePoints: decodePoints };
}(window.gisapp));
