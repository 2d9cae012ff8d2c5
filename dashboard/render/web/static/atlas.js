/*
 * Integrationsatlas: the interactive map, one Leaflet map kept alive across updates.
 *
 * The server sends data only: boundaries once as a topology (shared arcs, quantized,
 * VLQ-encoded), area texts, facilities as compact columns, the overlay's classes and
 * colours; each update (a filter or layer change) restyles and redraws layers in
 * place, so zoom and centre stay and the map never blanks. Text from data is always
 * set with textContent; only symbol SVG built on the server from constants is parsed.
 *
 * Used in two ways: as a Streamlit component (IAtlas.streamlit) and in the offline HTML
 * export (IAtlas.standalone), with the data inlined.
 */
(function (global) {
  "use strict";

  // -- codec (dashboard/render/web/codec.py) ---------------------------------------------
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  var DEC = new Int16Array(128).fill(-1);
  for (var b = 0; b < 64; b++) { DEC[B64.charCodeAt(b)] = b; }
  var POW = [];
  for (var p = 0; p < 12; p++) { POW.push(Math.pow(2, 5 * p)); }

  function unvlq(s) {
    var out = [], value = 0, group = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DEC[s.charCodeAt(i)];
      if (d < 0) { throw new Error("bad VLQ character"); }
      value += (d & 31) * POW[group];
      if (d & 32) { group++; continue; }
      out.push(value % 2 ? -(value - 1) / 2 : value / 2);
      value = 0; group = 0;
    }
    return out;
  }

  function cumsum(a) {
    for (var i = 1; i < a.length; i++) { a[i] += a[i - 1]; }
    return a;
  }

  function bits(s, n) {
    var out = new Uint8Array(n), acc = 0, nbits = 0, k = 0;
    for (var i = 0; i < s.length && k < n; i++) {
      acc = (acc << 6) | DEC[s.charCodeAt(i)]; nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        var byte = (acc >> nbits) & 255;
        for (var j = 0; j < 8 && k < n; j++) { out[k++] = (byte >> j) & 1; }
      }
    }
    return out;
  }

  function strings(col, n) {
    var table = [], prev = "";
    for (var e = 0; e < col.t.length; e++) {
      var s = col.t[e], k = 0;
      while (DEC[s.charCodeAt(k)] & 32) { k++; }
      var shared = unvlq(s.slice(0, k + 1))[0];
      prev = prev.slice(0, shared) + s.slice(k + 1);
      table.push(prev);
    }
    if (!col.i) { var same = new Array(n); for (var r = 0; r < n; r++) { same[r] = table[0]; } return same; }
    var idx = cumsum(unvlq(col.i)), out = new Array(idx.length);
    for (var q = 0; q < idx.length; q++) { out[q] = table[idx[q]]; }
    return out;
  }

  // -- topology (dashboard/render/web/topology.py) ---------------------------------------
  function Topology(T) {
    var n = unvlq(T.arcs.n), d = unvlq(T.arcs.d), x0 = T.origin[0], y0 = T.origin[1], s = T.step;
    this.arcs = new Array(n.length);
    var k = 0;
    for (var a = 0; a < n.length; a++) {
      var pts = new Array(n[a]), x = 0, y = 0;
      for (var j = 0; j < n[a]; j++) {
        if (j === 0) { x = d[k]; y = d[k + 1]; } else { x += d[k]; y += d[k + 1]; }
        k += 2;
        pts[j] = L.latLng(y0 + y * s, x0 + x * s);
      }
      this.arcs[a] = pts;
    }
    this.raw = T.objects;
    this.decoded = {};
  }

  Topology.prototype.features = function (name) {
    if (this.decoded[name]) { return this.decoded[name]; }
    var st = unvlq(this.raw[name] || ""), i = 0, features = [];
    while (i < st.length) {
      var nr = st[i++], rings = [];
      for (var r = 0; r < nr; r++) {
        var m = st[i++], ref = 0, ring = [];
        for (var q = 0; q < m; q++) {
          ref += st[i++];
          var arc = ref >= 0 ? this.arcs[ref] : this.arcs[~ref].slice().reverse();
          for (var t = ring.length ? 1 : 0; t < arc.length; t++) { ring.push(arc[t]); }
        }
        if (ring.length > 1) { ring.pop(); }
        rings.push(ring);
      }
      features.push(rings);
    }
    this.decoded[name] = features;
    return features;
  };

  // -- helpers -----------------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function rowsTable(rows) {
    var table = el("table", "ia-rows");
    rows.forEach(function (r) {
      if (!r[1]) { return; }
      var tr = el("tr"); tr.appendChild(el("th", null, r[0])); tr.appendChild(el("td", null, r[1]));
      table.appendChild(tr);
    });
    return table;
  }

  function swatch(s) {
    var box = el("span", "ia-swatch");
    if (s.svg) {
      box.innerHTML = s.svg;  // trusted: symbol SVG built on the server from constants
    } else if (s.fill) {
      box.classList.add("ia-swatch-fill");
      box.style.background = s.fill;
      if (s.dashed) { box.style.borderStyle = "dashed"; }
    } else if (s.line) {
      box.classList.add("ia-swatch-line");
      box.style.borderTopColor = s.line;
      box.style.borderTopWidth = (s.width || 2) + "px";
      if (s.dash) { box.style.borderTopStyle = "dashed"; }
    } else if (s.cluster) {
      box.appendChild(el("span", "ia-cluster ia-cluster-s", s.cluster));
    } else if (s.dot) {
      box.appendChild(el("span", "ia-dot"));
    } else if (s.mark) {
      box.appendChild(el("span", "ia-mark ia-mark-" + s.mark));
    }
    return box;
  }

  // Web Mercator in [0, 1] (as Leaflet's EPSG:3857 at zoom 0, divided by 256)
  function mercX(lng) { return (lng + 180) / 360; }
  function mercY(lat) {
    var s = Math.sin(Math.max(Math.min(lat, 85.05), -85.05) * Math.PI / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  // -- the map -------------------------------------------------------------------------------
  function Atlas(container, options) {
    var self = this;
    this.el = container;
    this.options = options;
    this.cache = {};
    this.seq = 0;
    this.layers = {};
    this.legendKey = null;
    this.fitKey = null;
    this.facilities = null;
    this.clusters = null;
    this.spread = null;
    var map = this.map = L.map(container, {
      zoomSnap: 0.25, zoomDelta: 0.5, maxZoom: 18, minZoom: 5, attributionControl: false,
      wheelPxPerZoomLevel: 90
    });
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    this.attribution = L.control.attribution({prefix: false, position: "bottomright"}).addTo(map);
    [["iaCity", 380], ["iaFill", 400], ["iaLines", 410], ["iaSelected", 420], ["iaLabels", 450],
     ["iaMarks", 640]].forEach(function (pane) {
      map.createPane(pane[0]).style.zIndex = pane[1];
    });
    map.getPane("iaLabels").style.pointerEvents = "none";
    // popups and tooltips above the legend: panes outside the map pane, moved with it
    this.popupPane = map.createPane("iaPopups", container);
    this.popupPane.classList.add("ia-over");
    this.tip = el("div", "ia-tip ia-over");
    this.tip.setAttribute("role", "tooltip");
    this.tip.hidden = true;
    container.appendChild(this.tip);
    var sync = function () {
      var o = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(self.popupPane, L.point(-o.x, -o.y));
    };
    map.on("move zoom viewreset zoomend moveend resize", sync);
    map.on("movestart zoomstart", function () { self.hideTip(); });
    map.on("zoomend", function () {
      self.closeSpread(); self.syncDetail(); self.drawFacilities(); self.placeLabels();
    });
    map.on("moveend", function () { self.drawFacilities(); self.saveView(); });
    map.on("resize", function () { self.fitLegend(); self.placeLabels(); });
    map.on("click", function (e) {
      if (self.spread) { self.closeSpread(); self.drawFacilities(); }
      if (self.options.onClick) { self.options.onClick(e.latlng); }
    });
    this.markers = L.layerGroup().addTo(map);
    this.marks = L.layerGroup().addTo(map);
    this.labelGroup = L.layerGroup().addTo(map);
    this.legend = this.makeLegend();
    this.canvases = {};
  }

  // one canvas per pane for large layers (Leaflet draws into the renderer's own pane)
  Atlas.prototype.canvasFor = function (pane) {
    if (!this.canvases[pane]) { this.canvases[pane] = L.canvas({pane: pane, padding: 0.1, tolerance: 2}); }
    return this.canvases[pane];
  };

  Atlas.prototype.load = function (name) {
    var self = this;
    if (!name) { return Promise.resolve(null); }
    if (!this.cache[name]) {
      var inline = this.options.inline && this.options.inline[name];
      this.cache[name] = inline ? Promise.resolve(inline) : fetch(this.options.dataUrl + name)
        .then(function (r) {
          if (!r.ok) { throw new Error("map data " + name + ": HTTP " + r.status); }
          return r.json();
        });
      this.cache[name].catch(function () { delete self.cache[name]; });
    }
    return this.cache[name];
  };

  Atlas.prototype.render = function (args) {
    var self = this, seq = ++this.seq, R = args.res;
    return Promise.all([self.load(R.topo), self.load(R.areas), self.load(R.fac), self.load(R.overlay)])
      .then(function (data) {
        if (seq !== self.seq) { return; }  // a newer update arrived meanwhile
        if (!self.topoName || self.topoName !== R.topo) {
          self.topo = new Topology(data[0]); self.topoName = R.topo; self.clearAreas();
        }
        self.apply(args, data[1], data[2], data[3]);
        self.el.setAttribute("data-ia-drawn", String(seq));  // every layer is in the page
        requestAnimationFrame(function () {  // ... and the browser is painting it
          if (seq !== self.seq) { return; }
          self.el.setAttribute("data-ia-painted", String(seq));
          self.el.setAttribute("data-ia-drawn-at", String(performance.timeOrigin + performance.now()));
        });
      })
      .catch(function (err) { self.fail(err); });
  };

  Atlas.prototype.fail = function (err) {
    if (global.console) { console.error(err); }
    var box = this.el.querySelector(".ia-error") || el("div", "ia-error ia-over");
    box.textContent = (this.args && this.args.texts && this.args.texts.error) || String(err);
    this.el.appendChild(box);
  };

  // Leaflet's zoom buttons say "Zoom in" / "Zoom out": the page's words instead
  Atlas.prototype.zoomTitles = function (texts) {
    var box = this.map.zoomControl && this.map.zoomControl.getContainer();
    if (!box || !texts || !texts.zoomIn) { return; }
    [[".leaflet-control-zoom-in", texts.zoomIn], [".leaflet-control-zoom-out", texts.zoomOut]]
      .forEach(function (b) {
        var a = box.querySelector(b[0]);
        if (a) { a.title = b[1]; a.setAttribute("aria-label", b[1]); }
      });
  };

  Atlas.prototype.apply = function (args, areas, fac, overlay) {
    var prev = this.args || {};
    this.args = args;
    this.areaData = areas;
    var err = this.el.querySelector(".ia-error");
    if (err) { err.remove(); }
    var boundsKey = JSON.stringify(args.bounds);
    if (this.boundsKey !== boundsKey) {
      this.boundsKey = boundsKey;
      this.bounds = L.latLngBounds(args.bounds);
      this.map.setMinZoom(Math.max(3, Math.floor(this.map.getBoundsZoom(this.bounds)) - 2));
    }
    this.basemap(args.basemap);
    this.zoomTitles(args.texts);
    this.attributions(args.attribution);
    this.areas(args, areas, overlay);
    this.fit(args, prev);
    this.syncDetail();
    this.setFacilities(args, fac);
    this.setMarks(args.marks || []);
    this.setLegend(args.legend);
    this.labels(args, areas);
    var counts = {vg: 0, gemeinden: 0};
    if (this.layers.vg) { counts.vg = this.layers.vg.getLayers().length; }
    if (this.layers.gem) { counts.gemeinden = this.layers.gem.getLayers().length; }
    this.el.setAttribute("data-ia-vg", String(counts.vg));
    this.el.setAttribute("data-ia-gemeinden", String(counts.gemeinden));
    this.el.setAttribute("data-ia-vintage", String(args.vintage));
    this.el.setAttribute("data-ia-selected", args.selected || "");
  };

  // -- background and attribution ---------------------------------------------------------
  Atlas.prototype.basemap = function (spec) {
    var key = spec ? spec.url : "";
    if (this.tilesKey === key) { return; }
    if (this.tiles) { this.map.removeLayer(this.tiles); this.tiles = null; }
    if (spec) { this.tiles = L.tileLayer(spec.url, {maxZoom: 18}).addTo(this.map); }
    this.tilesKey = key;
  };

  Atlas.prototype.attributions = function (texts) {
    var key = JSON.stringify(texts || []);
    if (this.attrKey === key) { return; }
    var ctl = this.attribution;
    (this.attrShown || []).forEach(function (h) { ctl.removeAttribution(h); });
    this.attrShown = (texts || []).map(function (text) {
      var html = el("span", null, text).outerHTML;  // escaped text
      ctl.addAttribution(html);
      return html;
    });
    this.attrKey = key;
  };

  // -- areas -------------------------------------------------------------------------------
  Atlas.prototype.clearAreas = function () {
    var self = this;
    ["gem", "vg", "city", "sel"].forEach(function (k) {
      if (self.layers[k]) { self.map.removeLayer(self.layers[k]); delete self.layers[k]; }
    });
    this.areaKeys = {};
  };

  Atlas.prototype.polygons = function (key, object, options, build) {
    // one layer group per (key): rebuilt only when the object or the build options change
    var id = object + "|" + JSON.stringify(options);
    if (this.layers[key] && this.areaKeys[key] === id) { return this.layers[key]; }
    if (this.layers[key]) { this.map.removeLayer(this.layers[key]); }
    var feats = this.topo.features(object), group = L.featureGroup();
    var canvas = feats.length > 400;  // many areas: one canvas draws them faster than SVG paths
    var style = L.extend({}, options.style);
    if (canvas) { delete style.dashArray; }  // dashes cost much on a canvas of thousands of areas
    for (var f = 0; f < feats.length; f++) {
      if (!feats[f].length) { continue; }
      var poly = L.polygon(feats[f], L.extend(canvas ? {renderer: this.canvasFor(options.pane)} : {}, {
        pane: options.pane, className: options.className,
        interactive: options.interactive, fillRule: "evenodd", smoothFactor: 1
      }, style));
      poly.iaIndex = f;
      build(poly, f);
      group.addLayer(poly);
    }
    group.iaLod = !!options.lod && feats.length > 400;
    if (!group.iaLod) { group.addTo(this.map); }
    this.layers[key] = group;
    this.areaKeys[key] = id;
    return group;
  };

  // level of detail: thousands of Gemeinde outlines appear once the map is zoomed in
  Atlas.prototype.syncDetail = function () {
    var g = this.layers.gem;
    if (!g || !g.iaLod) { return; }
    var show = this.map.getZoom() >= Math.floor(this.map.getBoundsZoom(this.bounds)) + 2;
    if (show && !this.map.hasLayer(g)) { g.addTo(this.map); }
    if (!show && this.map.hasLayer(g)) { this.map.removeLayer(g); }
  };

  Atlas.prototype.bindTip = function (poly, rowsOf) {
    var self = this;
    poly.on("mouseover mousemove", function (e) { self.showTip(rowsOf, e.containerPoint, poly); });
    poly.on("mouseout", function () { self.hideTip(); });
  };

  // the tooltip: one element above map, markers and legend; rebuilt only for a new target
  Atlas.prototype.showTip = function (content, point, target) {
    var tip = this.tip;
    if (!target || this.tipTarget !== target || tip.hidden) {
      var c = typeof content === "function" ? content() : content;
      tip.textContent = "";
      tip.appendChild(Array.isArray(c) ? rowsTable(c) : el("span", null, c));
      this.tipTarget = target || null;
    }
    tip.hidden = false;
    var size = this.map.getSize(), w = tip.offsetWidth, h = tip.offsetHeight;
    var x = point.x + 14, y = point.y + 14;
    if (x + w > size.x) { x = Math.max(0, point.x - w - 14); }
    if (y + h > size.y) { y = Math.max(0, point.y - h - 14); }
    tip.style.left = x + "px"; tip.style.top = y + "px";
  };

  Atlas.prototype.hideTip = function () { this.tip.hidden = true; this.tipTarget = null; };

  Atlas.prototype.areas = function (args, areas, overlay) {
    var self = this, S = args.style, level = overlay ? overlay.level : null;
    var vgObject = "vg_" + args.vintage;
    var classes = overlay ? unvlq(overlay.classes) : null;
    var values = overlay ? strings(overlay.values, classes.length) : null;
    var dates = overlay ? strings(overlay.dates, classes.length) : null;
    var cols = {};
    function texts(kind) {
      if (!cols[kind]) {
        var A = areas[kind];
        cols[kind] = A.cols.map(function (c) { return strings(c, A.n); });
      }
      return cols[kind];
    }
    function rows(kind, f) {
      var A = areas[kind], C = texts(kind), out = [];
      for (var j = 0; j < A.labels.length; j++) { out.push([A.labels[j], C[j][f]]); }
      if (overlay && overlay.level === kind) {
        out.push([overlay.title, values[f]]);
        if (dates[f]) { out.push([overlay.date_label, dates[f]]); }
      }
      return out;
    }
    function fill(f) {
      var c = classes[f];
      return c < 0 ? overlay.no_data : overlay.colors[c];
    }
    // city (context)
    if (args.layers.city && this.topo.raw.city) {
      this.polygons("city", "city", {pane: "iaCity", className: "ia-city", interactive: true, style: S.city},
        function (poly, f) { self.bindTip(poly, function () { return rows("city", f); }); });
    } else if (this.layers.city) { this.map.removeLayer(this.layers.city); delete this.layers.city; }
    // Gemeinden: filled by the overlay at Gemeinde level, else dashed outlines
    if (level === "gemeinden" || args.layers.gemeinden) {
      var filled = level === "gemeinden";
      var gem = this.polygons("gem", "gemeinden", {
        pane: filled ? "iaFill" : "iaLines", className: "ia-gemeinde", interactive: filled,
        style: filled ? S.gemeinde_filled : S.gemeinde, lod: !filled
      }, function (poly, f) {
        if (filled) { self.bindTip(poly, function () { return rows("gemeinden", f); }); }
      });
      if (filled) { gem.eachLayer(function (p) { p.setStyle({fillColor: fill(p.iaIndex)}); }); }
    } else if (this.layers.gem) { this.map.removeLayer(this.layers.gem); delete this.layers.gem; }
    // VGs of the vintage: filled (overlay at VG level or light), or outlines over Gemeinden
    var vgFilled = level !== "gemeinden";
    var vg = this.polygons("vg", vgObject, {
      pane: vgFilled ? "iaFill" : "iaLines", className: "ia-vg", interactive: vgFilled,
      style: vgFilled ? S.vg_filled : S.vg
    }, function (poly, f) {
      if (vgFilled) { self.bindTip(poly, function () { return rows("vg", f); }); }
    });
    if (vgFilled) {
      vg.eachLayer(function (p) {
        p.setStyle(level === "vg" ? {fillColor: fill(p.iaIndex), fillOpacity: S.overlay_opacity}
                                  : {fillColor: S.vg_filled.fillColor, fillOpacity: S.vg_filled.fillOpacity});
      });
    }
    // the selected VG
    var sel = args.selected ? areas.vg.keys.indexOf(args.selected) : -1;
    if (this.layers.sel) { this.map.removeLayer(this.layers.sel); delete this.layers.sel; }
    if (sel >= 0) {
      var rings = this.topo.features(vgObject)[sel];
      this.layers.sel = L.featureGroup([L.polygon(rings, L.extend({
        pane: "iaSelected", className: "ia-vg-selected", interactive: false, fill: false
      }, S.selected))]).addTo(this.map);
      this.selectedBounds = this.layers.sel.getBounds();
    } else {
      this.selectedBounds = null;
    }
  };

  // -- labels (VG and Gemeinde names, placed without overlap) -------------------------------
  Atlas.prototype.labels = function (args, areas) {
    var self = this, key = args.res.areas + "|" + (args.layers.gemeinden ? 1 : 0) + "|" + args.labels;
    if (this.labelKey === key) { return; }
    this.labelKey = key;
    this.labelGroup.clearLayers();
    this.labelItems = [];
    if (!args.labels) { return; }
    function add(kind, cls, priority) {
      var A = areas[kind];
      if (!A || !A.label) { return; }
      var names = strings(A.names, A.n), pts = unvlq(A.label), bb = unvlq(A.bbox);
      for (var f = 0; f < A.n; f++) {
        if (!names[f]) { continue; }
        var ll = L.latLng(pts[2 * f + 1] / 1e5, pts[2 * f] / 1e5);
        var m = L.marker(ll, {
          pane: "iaLabels", interactive: false, keyboard: false,
          icon: L.divIcon({className: "ia-label " + cls, html: "", iconSize: null})
        });
        m.iaName = names[f];
        m.iaPriority = priority;
        m.iaSpan = [bb[4 * f] / 1e5, bb[4 * f + 1] / 1e5, bb[4 * f + 2] / 1e5, bb[4 * f + 3] / 1e5];
        self.labelItems.push(m);
      }
    }
    add("vg", "ia-label-vg", 0);
    if (args.layers.city) { add("city", "ia-label-city", 0); }
    if (args.layers.gemeinden) { add("gemeinden", "ia-label-gemeinde", 1); }
    this.placeLabels();
  };

  Atlas.prototype.placeLabels = function () {
    var map = this.map, placed = [], shown = 0, group = this.labelGroup;
    if (!this.labelItems) { return; }
    var size = map.getSize();
    this.labelItems.forEach(function (m) {
      var pt = map.latLngToContainerPoint(m.getLatLng());
      var sw = map.latLngToContainerPoint([m.iaSpan[1], m.iaSpan[0]]);
      var ne = map.latLngToContainerPoint([m.iaSpan[3], m.iaSpan[2]]);
      var areaW = Math.abs(ne.x - sw.x);
      var w = m.iaName.length * (m.iaPriority ? 6.2 : 7.4) + 8, h = m.iaPriority ? 14 : 17;
      var box = [pt.x - w / 2, pt.y - h / 2, pt.x + w / 2, pt.y + h / 2];
      var visible = pt.x > -w && pt.y > -h && pt.x < size.x + w && pt.y < size.y + h;
      var fits = areaW >= w * (m.iaPriority ? 1.6 : 0.9);  // Gemeinde names once zoomed in
      var free = placed.every(function (o) {
        return box[2] < o[0] || box[0] > o[2] || box[3] < o[1] || box[1] > o[3];
      });
      var show = visible && fits && free;
      if (show) { placed.push(box); shown++; }
      if (show && !group.hasLayer(m)) {
        group.addLayer(m);
        var node = m.getElement();
        if (node) { node.textContent = ""; node.appendChild(el("span", null, m.iaName)); }
      } else if (!show && group.hasLayer(m)) {
        group.removeLayer(m);
      }
    });
    this.el.setAttribute("data-ia-labels", String(shown));
  };

  // -- facilities: own clustering (grid index per zoom), markers only in the view ----------
  Atlas.prototype.setFacilities = function (args, fac) {
    var name = args.res.fac || "", extraKey = JSON.stringify(args.extra || null);
    if (this.facName !== name || this.extraKey !== extraKey) {
      this.facilities = decodeFacilities(fac, args.extra);
      this.facName = name; this.extraKey = extraKey;
      this.maskKey = null;
    }
    var F = this.facilities, maskKey = (args.layers.facilities ? 1 : 0) + "|" + (args.mask || "*");
    if (F && this.maskKey !== maskKey) {
      var shown = new Uint8Array(F.n);
      if (args.layers.facilities) {
        var m = args.mask ? bits(args.mask, F.base) : null;
        for (var i = 0; i < F.n; i++) { shown[i] = i >= F.base || !m ? 1 : m[i]; }
      }
      F.shown = shown;
      this.maskKey = maskKey;
      this.clusters = {};
      this.closeSpread();
    }
    var count = 0;
    if (F) { for (var k = 0; k < F.n; k++) { count += F.shown[k]; } }
    this.el.setAttribute("data-ia-points", String(count));
    if (F && args.focus >= 0 && this.focusDone !== args.focus + "|" + name) {
      this.focusDone = args.focus + "|" + name;  // once per search hit, not on every update
      this.pendingFocus = args.focus;
    }
    this.drawFacilities();
  };

  function decodeFacilities(fac, extra) {
    var parts = [fac, extra].filter(function (x) { return x && x.n; });
    if (!parts.length) { return null; }
    var F = {n: 0, base: fac && fac.n ? fac.n : 0, lat: [], lng: [], cat: [], flags: [], cols: {}, parts: []};
    parts.forEach(function (P) {
      var lat = cumsum(unvlq(P.lat)), lng = cumsum(unvlq(P.lng));
      var cat = unvlq(P.cat), flags = unvlq(P.flags);
      for (var i = 0; i < P.n; i++) {
        F.lat.push(lat[i] / 1e5); F.lng.push(lng[i] / 1e5); F.cat.push(cat[i]); F.flags.push(flags[i]);
        F.parts.push(P);
      }
      P.decoded = {};
      F.n += P.n;
    });
    F.offset = function (i) { return i < F.base ? i : i - F.base; };
    F.text = function (i, col) {
      var P = F.parts[i];
      if (!P.cols[col]) { return ""; }
      if (!P.decoded[col]) { P.decoded[col] = strings(P.cols[col], P.n); }
      return P.decoded[col][F.offset(i)];
    };
    F.mx = new Float64Array(F.n); F.my = new Float64Array(F.n);
    for (var k = 0; k < F.n; k++) { F.mx[k] = mercX(F.lng[k]); F.my[k] = mercY(F.lat[k]); }
    return F;
  }

  var CELL = 45;  // cluster radius in pixels (as Leaflet.markercluster's default)

  Atlas.prototype.clusterAt = function (zoom) {
    var F = this.facilities, key = String(zoom);
    if (this.clusters[key]) { return this.clusters[key]; }
    var scale = 256 * Math.pow(2, zoom), grid = new Map(), out = [], r2 = CELL * CELL;
    for (var i = 0; i < F.n; i++) {
      if (!F.shown[i]) { continue; }
      var x = F.mx[i] * scale, y = F.my[i] * scale;
      var cx = Math.floor(x / CELL), cy = Math.floor(y / CELL), hit = null;
      for (var dx = -1; dx <= 1 && !hit; dx++) {
        for (var dy = -1; dy <= 1 && !hit; dy++) {
          var list = grid.get((cx + dx) * 1e7 + (cy + dy));
          if (!list) { continue; }
          for (var j = 0; j < list.length; j++) {
            var c = list[j], ex = c.x - x, ey = c.y - y;
            if (ex * ex + ey * ey <= r2) { hit = c; break; }
          }
        }
      }
      if (hit) {
        hit.members.push(i);
        hit.sx += x; hit.sy += y;
      } else {
        var cl = {x: x, y: y, sx: x, sy: y, members: [i]};
        var cell = cx * 1e7 + cy;
        if (!grid.has(cell)) { grid.set(cell, []); }
        grid.get(cell).push(cl);
        out.push(cl);
      }
    }
    out.forEach(function (c) {
      var n = c.members.length;
      c.px = c.sx / n; c.py = c.sy / n;
      var same = true, first = c.members[0];
      for (var k = 1; k < n && same; k++) {
        same = F.lat[c.members[k]] === F.lat[first] && F.lng[c.members[k]] === F.lng[first];
      }
      c.samePlace = same;
    });
    this.clusters[key] = out;
    return out;
  };

  Atlas.prototype.drawFacilities = function () {
    var F = this.facilities, map = this.map, self = this;
    if (!this.args) { return; }
    var group = this.markers;
    if (!F) { group.clearLayers(); this.el.setAttribute("data-ia-markers", "0"); return; }
    var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
    var list = this.clusterAt(zoom);
    var b = map.getPixelBounds(), pad = 80;
    var fresh = [];
    list.forEach(function (c) {
      if (c.px < b.min.x - pad || c.px > b.max.x + pad || c.py < b.min.y - pad || c.py > b.max.y + pad) { return; }
      if (self.spread && self.spread.cluster === c) { return; }
      var ll = map.unproject([c.px, c.py], zoom);
      if (c.members.length === 1) {
        fresh.push(self.pointMarker(c.members[0], L.latLng(F.lat[c.members[0]], F.lng[c.members[0]])));
      } else {
        fresh.push(self.clusterMarker(c, ll));
      }
    });
    group.clearLayers();
    fresh.forEach(function (m) { group.addLayer(m); });
    if (this.spread) { this.spread.layers.forEach(function (m) { group.addLayer(m); }); }
    this.el.setAttribute("data-ia-markers", String(group.getLayers().length));
    if (this.pendingFocus !== undefined && this.pendingFocus !== null) {
      var target = this.pendingFocus;
      this.pendingFocus = null;
      this.focusOn(target, scale);
    }
  };

  Atlas.prototype.icon = function (cat, flags) {
    var key = cat + "_" + flags, P = this.facilities.parts[0];
    this.icons = this.icons || {};
    if (!this.icons[key]) {
      var approx = flags & 1, stale = flags & 2;
      this.icons[key] = L.divIcon({
        html: P.tables.categories[cat][approx ? 2 : 1],
        className: "ia-fac ia-cat-" + cat + (approx ? " ia-approx" : " ia-exact") + (stale ? " ia-stale" : ""),
        iconSize: [20, 20], iconAnchor: [10, 10], popupAnchor: [0, -9]
      });
    }
    return this.icons[key];
  };

  Atlas.prototype.pointMarker = function (i, ll) {
    var F = this.facilities, self = this, name = F.text(i, "name");
    var m = L.marker(ll, {icon: this.icon(F.cat[i], F.flags[i]), title: name, alt: name,
                          keyboard: true, riseOnHover: true});
    m.iaIndex = i;
    m.on("mouseover", function () {
      var p = self.map.latLngToContainerPoint(m.getLatLng());
      self.showTip(name + (F.flags[i] & 1 ? " (" + F.parts[i].labels.approx + ")" : ""), p, m);
    });
    m.on("mouseout", function () { self.hideTip(); });
    m.bindPopup(function () { return self.popup(i); }, {maxWidth: 320, pane: "iaPopups", autoPanPadding: [20, 20]});
    return m;
  };

  Atlas.prototype.clusterMarker = function (c, ll) {
    var self = this, n = c.members.length, size = n < 10 ? "s" : n < 100 ? "m" : "l";
    var label = this.args.texts.cluster.replace("{n}", String(n));
    var m = L.marker(ll, {
      icon: L.divIcon({html: "<span>" + n + "</span>", className: "ia-cluster ia-cluster-" + size,
                       iconSize: size === "s" ? [30, 30] : size === "m" ? [36, 36] : [44, 44]}),
      title: label, alt: label, keyboard: true
    });
    m.on("mouseover", function () { self.showTip(label, self.map.latLngToContainerPoint(ll)); });
    m.on("mouseout", function () { self.hideTip(); });
    m.on("click keypress", function (e) {  // Enter on a focused cluster, too
      if (e.type === "keypress" && e.originalEvent && e.originalEvent.key !== "Enter") { return; }
      self.hideTip();
      if (c.samePlace || self.map.getZoom() >= self.map.getMaxZoom()) { self.openSpread(c); return; }
      var F = self.facilities, bounds = L.latLngBounds(c.members.map(function (i) { return [F.lat[i], F.lng[i]]; }));
      self.map.fitBounds(bounds, {padding: [40, 40], maxZoom: self.map.getMaxZoom()});
    });
    return m;
  };

  // several offers at one place: spread in a circle around it, with legs
  Atlas.prototype.openSpread = function (c) {
    this.closeSpread();
    var map = this.map, F = this.facilities, zoom = map.getZoom(), n = c.members.length, self = this;
    var centre = L.latLng(F.lat[c.members[0]], F.lng[c.members[0]]);
    var cp = map.project(centre, zoom), radius = Math.max(28, n * 26 / (2 * Math.PI)), layers = [];
    c.members.forEach(function (i, k) {
      var angle = 2 * Math.PI * k / n - Math.PI / 2;
      var pos = map.unproject([cp.x + radius * Math.cos(angle), cp.y + radius * Math.sin(angle)], zoom);
      layers.push(L.polyline([centre, pos], {color: "#444", weight: 1.2, opacity: 0.8, interactive: false,
                                              className: "ia-leg"}));
      layers.push(self.pointMarker(i, pos));
    });
    this.spread = {cluster: c, layers: layers};
    this.drawFacilities();
  };

  Atlas.prototype.closeSpread = function () {
    if (!this.spread) { return; }
    var group = this.markers;
    this.spread.layers.forEach(function (m) { group.removeLayer(m); });
    this.spread = null;
  };

  Atlas.prototype.focusOn = function (i) {
    var map = this.map, F = this.facilities, self = this;
    if (!F || i >= F.n) { return; }
    var ll = L.latLng(F.lat[i], F.lng[i]);
    if (map.getZoom() < 15 || !map.getBounds().contains(ll)) { map.setView(ll, 15, {animate: false}); }
    this.drawFacilities();
    var found = null;
    this.markers.eachLayer(function (m) { if (m.iaIndex === i) { found = m; } });
    if (!found) {
      var list = this.clusterAt(map.getZoom());
      for (var k = 0; k < list.length && !found; k++) {
        if (list[k].members.indexOf(i) >= 0 && list[k].members.length > 1) {
          this.openSpread(list[k]);
          this.spread.layers.forEach(function (m) { if (m.iaIndex === i) { found = m; } });
        }
      }
    }
    if (found) { found.openPopup(); } else { L.popup({pane: "iaPopups"}).setLatLng(ll).setContent(self.popup(i)).openOn(map); }
  };

  Atlas.prototype.popup = function (i) {
    var F = this.facilities, P = F.parts[i], T = P.labels, box = el("div", "ia-popup");
    box.appendChild(el("strong", null, F.text(i, "name")));
    box.appendChild(el("div", null, P.tables.categories[F.cat[i]][0]));
    if (F.flags[i] & 1) { box.appendChild(el("div", "ia-note", T.approx)); }
    if (F.flags[i] & 2) { box.appendChild(el("div", "ia-note ia-stale-note", T.stale)); }
    if (F.flags[i] & 4) { box.appendChild(el("div", "ia-note", T.outside)); }
    var rows = [];
    ["operator", "address", "languages", "target_groups", "hf", "precision", "source", "date", "id"].forEach(function (c) {
      rows.push([T[c], F.text(i, c)]);
    });
    box.appendChild(rowsTable(rows));
    return box;
  };

  // -- marks (planned facility of the what-if, a picked position) ---------------------------
  Atlas.prototype.setMarks = function (marks) {
    var key = JSON.stringify(marks), self = this;
    if (this.marksKey === key) { return; }
    this.marksKey = key;
    this.marks.clearLayers();
    marks.forEach(function (mk) {
      var m = L.marker([mk[0], mk[1]], {
        pane: "iaMarks", keyboard: true, title: mk[3], alt: mk[3],
        icon: L.divIcon({className: "ia-mark ia-mark-" + mk[2], html: "", iconSize: [26, 26], iconAnchor: [13, 13]})
      });
      m.on("mouseover", function () { self.showTip(mk[3], self.map.latLngToContainerPoint(m.getLatLng())); });
      m.on("mouseout", function () { self.hideTip(); });
      self.marks.addLayer(m);
    });
  };

  // -- legend: one collapsible panel, at most a fifth of the map ----------------------------
  Atlas.prototype.makeLegend = function () {
    var self = this, ctl = L.control({position: "topright"});
    ctl.onAdd = function () {
      var box = el("div", "ia-legend leaflet-bar");
      var head = el("button", "ia-legend-toggle");
      head.type = "button";
      head.setAttribute("aria-expanded", "true");
      var body = el("div", "ia-legend-body");
      box.appendChild(head); box.appendChild(body);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      L.DomEvent.on(head, "click", function () { self.toggleLegend(); });
      self.legendBox = box; self.legendHead = head; self.legendBody = body;
      return box;
    };
    ctl.addTo(this.map);
    var stored = null;
    try { stored = global.sessionStorage.getItem("ia-legend-open"); } catch (e) { stored = null; }
    var small = this.map.getSize().x < 560 || this.map.getSize().y < 420;
    this.legendOpen = stored === null ? !small : stored === "1";
    return ctl;
  };

  Atlas.prototype.toggleLegend = function (open) {
    this.legendOpen = open === undefined ? !this.legendOpen : open;
    try { global.sessionStorage.setItem("ia-legend-open", this.legendOpen ? "1" : "0"); } catch (e) { /* private mode */ }
    this.fitLegend();
  };

  Atlas.prototype.setLegend = function (L_) {
    var key = JSON.stringify(L_);
    if (this.legendKey === key) { this.fitLegend(); return; }
    this.legendKey = key;
    var body = this.legendBody;
    body.textContent = "";
    this.legendTexts = L_;
    L_.sections.forEach(function (s) {
      var sec = el("div", "ia-legend-section" + (s.cls ? " " + s.cls : ""));
      if (s.title) { sec.appendChild(el("div", "ia-legend-title", s.title)); }
      s.items.forEach(function (it) {
        var line = el("div", "ia-legend-item" + (it.cls ? " " + it.cls : ""));
        line.appendChild(swatch(it.swatch));
        line.appendChild(el("span", null, it.text));
        sec.appendChild(line);
      });
      if (s.note) { sec.appendChild(el("div", "ia-legend-note", s.note)); }
      body.appendChild(sec);
    });
    this.fitLegend();
  };

  Atlas.prototype.fitLegend = function () {
    if (!this.legendBox || !this.legendTexts) { return; }
    var T = this.legendTexts, open = this.legendOpen;
    this.legendHead.textContent = (open ? "▾ " : "▸ ") + T.title;
    this.legendHead.setAttribute("aria-expanded", open ? "true" : "false");
    this.legendHead.title = open ? T.hide : T.show;
    this.legendBody.hidden = !open;
    this.legendBox.classList.toggle("ia-legend-open", open);
    var size = this.map.getSize(), budget = 0.2 * size.x * size.y;
    var maxW = Math.max(150, Math.min(280, Math.floor(size.x * 0.45)));
    this.legendBox.style.maxWidth = maxW + "px";
    this.legendBody.style.maxHeight = "none";
    if (open) {
      var w = this.legendBox.offsetWidth || maxW, head = this.legendHead.offsetHeight + 12;
      var maxH = Math.max(40, Math.floor(budget / w) - head);
      this.legendBody.style.maxHeight = maxH + "px";
    }
  };

  // -- view: fit when asked, otherwise keep zoom and centre ---------------------------------
  Atlas.prototype.fit = function (args, prev) {
    var target = this.selectedBounds || this.bounds;
    if (this.fitKey === null) {
      this.fitKey = args.fit;
      var saved = this.loadView();
      if (saved && saved.fit === args.fit) {
        this.map.setView(saved.center, saved.zoom, {animate: false});
        return;
      }
      this.map.fitBounds(target, {animate: false});
      return;
    }
    if (args.fit !== this.fitKey) {
      this.fitKey = args.fit;
      this.map.fitBounds(target, {animate: true, duration: 0.4});
    }
  };

  Atlas.prototype.viewKey = function () { return "ia-view:" + (this.options.key || "map"); };

  Atlas.prototype.saveView = function () {
    if (this.fitKey === null) { return; }
    var c = this.map.getCenter();
    try {
      global.sessionStorage.setItem(this.viewKey(), JSON.stringify(
        {fit: this.fitKey, zoom: this.map.getZoom(), center: [c.lat, c.lng]}));
    } catch (e) { /* storage unavailable: the view is kept only while the page lives */ }
  };

  Atlas.prototype.loadView = function () {
    try { return JSON.parse(global.sessionStorage.getItem(this.viewKey()) || "null"); } catch (e) { return null; }
  };

  // -- entry points ---------------------------------------------------------------------------
  function post(type, data) {
    global.parent.postMessage(L.extend({isStreamlitMessage: true, type: type}, data || {}), "*");
  }

  function streamlit(container, dataUrl) {
    var atlas = null, height = null;
    global.addEventListener("message", function (ev) {
      var msg = ev.data;
      if (!msg || msg.type !== "streamlit:render") { return; }
      container.setAttribute("data-ia-received-at", String(performance.timeOrigin + performance.now()));
      var args = msg.args.spec;
      if (args.height !== height) {
        height = args.height;
        container.style.height = height + "px";
        post("streamlit:setFrameHeight", {height: height});
        if (atlas) { atlas.map.invalidateSize(); }
      }
      if (!atlas) {
        atlas = new Atlas(container, {
          dataUrl: dataUrl, key: msg.args.map_key, inline: msg.args.inline || null,
          onClick: function (ll) {
            post("streamlit:setComponentValue", {dataType: "json", value: {
              lat: Math.round(ll.lat * 1e6) / 1e6, lng: Math.round(ll.lng * 1e6) / 1e6,
              id: Date.now().toString(36) + Math.random().toString(36).slice(2, 8)
            }});
          }
        });
        global.iaAtlas = atlas;
      }
      if (msg.args.inline) { atlas.options.inline = L.extend(atlas.options.inline || {}, msg.args.inline); }
      atlas.render(args);
    });
    post("streamlit:componentReady", {apiVersion: 1});
  }

  function standalone(container, spec, inline) {
    container.style.height = "100%";
    var atlas = new Atlas(container, {inline: inline, key: "export"});
    global.iaAtlas = atlas;
    return atlas.render(spec);
  }

  global.IAtlas = {streamlit: streamlit, standalone: standalone, unvlq: unvlq, strings: strings, bits: bits};
})(window);
