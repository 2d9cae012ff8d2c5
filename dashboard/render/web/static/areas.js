// Areas: the city, the Gemeinden and the VGs of a vintage, filled by the overlay or
// outlined; the selected VG drawn on top.

import { strings, unvlq } from "./codec.js";
import { L } from "./leaflet.js";

export const areaMethods = {
  clearAreas() {
    for (const k of ["gem", "vg", "city", "sel"]) {
      if (this.layers[k]) { this.map.removeLayer(this.layers[k]); delete this.layers[k]; }
    }
    this.areaKeys = {};
  },

  // one layer group per key: rebuilt only when the object or the build options change
  polygons(key, object, options, build) {
    const id = object + "|" + JSON.stringify(options);
    if (this.layers[key] && this.areaKeys[key] === id) { return this.layers[key]; }
    if (this.layers[key]) { this.map.removeLayer(this.layers[key]); }
    const feats = this.topo.features(object), group = L.featureGroup();
    const canvas = feats.length > 400;  // many areas: one canvas draws them faster than SVG paths
    const style = L.extend({}, options.style);
    if (canvas) { delete style.dashArray; }  // dashes cost much on a canvas of thousands of areas
    for (let f = 0; f < feats.length; f++) {
      if (!feats[f].length) { continue; }
      const poly = L.polygon(feats[f], L.extend(canvas ? {renderer: this.canvasFor(options.pane)} : {}, {
        pane: options.pane, className: options.className,
        interactive: options.interactive, fillRule: "evenodd", smoothFactor: 1,
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
  },

  // level of detail: thousands of Gemeinde outlines appear once the map is zoomed in
  syncDetail() {
    const g = this.layers.gem;
    if (!g || !g.iaLod) { return; }
    const show = this.map.getZoom() >= Math.floor(this.map.getBoundsZoom(this.bounds)) + 2;
    if (show && !this.map.hasLayer(g)) { g.addTo(this.map); }
    if (!show && this.map.hasLayer(g)) { this.map.removeLayer(g); }
  },

  areas(args, areas, overlay) {
    const S = args.style, level = overlay ? overlay.level : null;
    const vgObject = "vg_" + args.vintage;
    const classes = overlay ? unvlq(overlay.classes) : null;
    const values = overlay ? strings(overlay.values, classes.length) : null;
    const dates = overlay ? strings(overlay.dates, classes.length) : null;
    const cols = {};
    const texts = (kind) => {
      if (!cols[kind]) {
        const A = areas[kind];
        cols[kind] = A.cols.map((c) => strings(c, A.n));
      }
      return cols[kind];
    };
    const rows = (kind, f) => {
      const A = areas[kind], C = texts(kind), out = [];
      for (let j = 0; j < A.labels.length; j++) { out.push([A.labels[j], C[j][f]]); }
      if (overlay && overlay.level === kind) {
        out.push([overlay.title, values[f]]);
        if (dates[f]) { out.push([overlay.date_label, dates[f]]); }
      }
      return out;
    };
    this.areaRows = rows;
    const fill = (f) => {
      const c = classes[f];
      return c < 0 ? overlay.no_data : overlay.colors[c];
    };
    // city (context)
    if (args.layers.city && this.topo.raw.city) {
      this.polygons("city", "city", {pane: "iaCity", className: "ia-city", interactive: true, style: S.city},
        (poly, f) => { this.bindTip(poly, () => rows("city", f)); });
    } else if (this.layers.city) { this.map.removeLayer(this.layers.city); delete this.layers.city; }
    // Gemeinden: filled by the overlay at Gemeinde level, else dashed outlines
    if (level === "gemeinden" || args.layers.gemeinden) {
      const filled = level === "gemeinden";
      const gem = this.polygons("gem", "gemeinden", {
        pane: filled ? "iaFill" : "iaLines", className: "ia-gemeinde", interactive: filled,
        style: filled ? S.gemeinde_filled : S.gemeinde, lod: !filled,
      }, (poly, f) => {
        if (filled) { this.bindTip(poly, () => rows("gemeinden", f)); }
      });
      if (filled) { gem.eachLayer((p) => { p.setStyle({fillColor: fill(p.iaIndex)}); }); }
    } else if (this.layers.gem) { this.map.removeLayer(this.layers.gem); delete this.layers.gem; }
    // VGs of the vintage: filled (overlay at VG level or light), or outlines over Gemeinden
    const vgFilled = level !== "gemeinden";
    const vg = this.polygons("vg", vgObject, {
      pane: vgFilled ? "iaFill" : "iaLines", className: "ia-vg", interactive: vgFilled,
      style: vgFilled ? S.vg_filled : S.vg,
    }, (poly, f) => {
      if (vgFilled) { this.bindTip(poly, () => rows("vg", f)); }
    });
    if (vgFilled) {
      vg.eachLayer((p) => {
        p.setStyle(level === "vg" ? {fillColor: fill(p.iaIndex), fillOpacity: S.overlay_opacity}
                                  : {fillColor: S.vg_filled.fillColor, fillOpacity: S.vg_filled.fillOpacity});
      });
    }
    // the selected VG
    const sel = args.selected ? areas.vg.keys.indexOf(args.selected) : -1;
    if (this.layers.sel) { this.map.removeLayer(this.layers.sel); delete this.layers.sel; }
    if (sel >= 0) {
      const rings = this.topo.features(vgObject)[sel];
      this.layers.sel = L.featureGroup([L.polygon(rings, L.extend({
        pane: "iaSelected", className: "ia-vg-selected", interactive: false, fill: false,
      }, S.selected))]).addTo(this.map);
      this.selectedBounds = this.layers.sel.getBounds();
    } else {
      this.selectedBounds = null;
    }
  },
};
