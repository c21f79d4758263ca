/* For presenters: a presentation mode (panels hidden, large title, the legend) and a PNG of
 * the current view drawn from the page's own canvases and SVG (no library, works offline). */
(function (gisapp) {
  "use strict";

  var el = gisapp.dom.el, stopEvents = gisapp.dom.stopEvents, GisMap = gisapp.GisMap;
  var LABEL_FONT = '12px "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif';
  var TITLE_FONT = 'bold 22px "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif';

  GisMap.prototype.addPresenterTools = function () {
    var self = this, t = this.t;
    var Control = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var root = el("div", "leaflet-bar gis-present-tools leaflet-control");
        stopEvents(root);
        var present = el("a", "gis-present-button", "▣");
        var png = el("a", "gis-png-button", "⤓");
        [[present, t.present, function () { self.setPresenting(!self.presenting); }],
         [png, t.downloadPng, function () { self.downloadPng(); }]].forEach(function (item) {
          item[0].href = "#";
          item[0].title = item[1];
          item[0].setAttribute("role", "button");
          item[0].setAttribute("aria-label", item[1]);
          item[0].addEventListener("click", function (e) { e.preventDefault(); item[2](); });
          root.appendChild(item[0]);
        });
        self.presentButton = present;
        return root;
      }
    });
    new Control().addTo(this.map);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && self.presenting) self.setPresenting(false);
    });
    if (window.location.hash === "#present") this.presentOnLoad = true;
  };

  // Presentation mode: only the map, a large title and the legend (opened) stay.
  GisMap.prototype.setPresenting = function (on) {
    this.presenting = on;
    var container = this.map.getContainer();
    container.classList.toggle("gis-presenting", on);
    if (on) this.closeInfo();
    if (this.legend) {
      var legendRoot = this.legend.getContainer();
      if (on) { this.legendWasCollapsed = legendRoot.classList.contains("gis-collapsed"); legendRoot.classList.remove("gis-collapsed"); }
      else if (this.legendWasCollapsed) legendRoot.classList.add("gis-collapsed");
    }
    if (this.presentButton) {
      this.presentButton.title = on ? this.t.exitPresent : this.t.present;
      this.presentButton.setAttribute("aria-pressed", on ? "true" : "false");
    }
    this.refreshLabels();
  };

  function loadImage(url) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () { resolve(image); };
      image.onerror = function () { reject(new Error("image")); };
      image.src = url;
    });
  }

  function svgImage(svg) {
    var copy = svg.cloneNode(true), box = svg.getBoundingClientRect();
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    copy.style.transform = "";  // Leaflet's offset is in the box already; inside the image it would count twice
    copy.setAttribute("width", box.width);
    copy.setAttribute("height", box.height);
    var text = new XMLSerializer().serializeToString(copy);
    return loadImage("data:image/svg+xml;charset=utf-8," + encodeURIComponent(text));
  }

  function paneOpacity(node) {
    var alpha = 1;
    for (var n = node; n && n.classList; n = n.parentNode) {
      if (n.classList.contains("leaflet-container")) break;
      alpha *= Number(getComputedStyle(n).opacity);
    }
    return alpha;
  }

  function paneZ(node) {
    var pane = node.closest(".leaflet-pane:not(.leaflet-map-pane)");
    return pane ? Number(getComputedStyle(pane).zIndex) || 0 : 0;
  }

  // The view as a canvas: background, tiles, each data pane (canvas or SVG) in stacking
  // order, labels and the title, at the screen's pixel ratio.
  GisMap.prototype.renderView = function () {
    var container = this.map.getContainer(), origin = container.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1, canvas = document.createElement("canvas");
    canvas.width = Math.round(origin.width * ratio);
    canvas.height = Math.round(origin.height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.fillStyle = getComputedStyle(container).backgroundColor || "#fff";
    ctx.fillRect(0, 0, origin.width, origin.height);
    var mapPane = this.map.getPanes().mapPane;
    var nodes = Array.prototype.slice.call(mapPane.querySelectorAll("img.leaflet-tile, canvas, svg"))
      .filter(function (node) { return !(node.parentNode && node.parentNode.closest && node.parentNode.closest("svg")); })
      .map(function (node, order) { return { node: node, z: paneZ(node), order: order }; });
    nodes.sort(function (a, b) { return a.z - b.z || a.order - b.order; });
    var jobs = nodes.map(function (item) {
      var node = item.node, r = node.getBoundingClientRect();
      if (!r.width || !r.height || r.right < origin.left || r.left > origin.right) return Promise.resolve(null);
      var image = node.tagName.toLowerCase() === "svg" ? svgImage(node) : Promise.resolve(node);
      return image.then(function (img) { return { img: img, r: r, alpha: paneOpacity(node) }; },
        function () { return null; });
    });
    var self = this;
    return Promise.all(jobs).then(function (drawn) {
      drawn.forEach(function (d) {
        if (!d) return;
        ctx.globalAlpha = d.alpha;
        ctx.drawImage(d.img, d.r.left - origin.left, d.r.top - origin.top, d.r.width, d.r.height);
      });
      ctx.globalAlpha = 1;
      ctx.font = LABEL_FONT;
      ctx.textBaseline = "middle";
      ctx.textAlign = "center";
      ctx.lineJoin = "round";
      self.labelGroup.getLayers().forEach(function (marker) {
        var node = marker.getElement() && marker.getElement().firstChild;
        if (!node) return;
        var r = node.getBoundingClientRect(), x = r.left - origin.left + r.width / 2, y = r.top - origin.top + r.height / 2;
        ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.lineWidth = 3;
        ctx.strokeText(node.textContent, x, y);
        ctx.fillStyle = "#232323";
        ctx.fillText(node.textContent, x, y);
      });
      if (self.data.title) {
        ctx.font = TITLE_FONT;
        ctx.textBaseline = "top";
        ctx.strokeStyle = "rgba(255,255,255,0.95)"; ctx.lineWidth = 5;
        ctx.strokeText(self.data.title, origin.width / 2, 12);
        ctx.fillStyle = "#1f2d3d";
        ctx.fillText(self.data.title, origin.width / 2, 12);
      }
      return canvas;
    });
  };

  GisMap.prototype.downloadPng = function () {
    var self = this;
    return this.renderView().then(function (canvas) {
      return new Promise(function (resolve, reject) {
        // A tile server without CORS taints the canvas; toBlob then throws.
        try { canvas.toBlob(function (blob) { if (blob) resolve(blob); else reject(new Error("png")); }, "image/png"); }
        catch (error) { reject(error); }
      });
    }).then(function (blob) {
      var link = el("a");
      link.href = URL.createObjectURL(blob);
      link.download = (self.data.title || "map").replace(/[\\/:*?"<>|]+/g, "_") + ".png";
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }).catch(function () { window.alert(self.t.pngFailed); });
  };
}(window.gisapp));
