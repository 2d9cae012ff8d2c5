// The view: fitted when asked (a new extent or a selected VG), otherwise zoom and centre
// are kept; also kept in the tab (sessionStorage) when a page is left and opened again.
// A fit leaves the legend's corner free: the areas fitted never lie under it.

import { L } from "./leaflet.js";

export const viewMethods = {
  // The fit of ``target`` that shows it largest while the legend (top right) covers none
  // of what matters there (the selected VG, the offers shown): the plain fit if it does
  // not, else one that moves the target left of the legend or below it, by part or all of
  // the legend's size.
  fitOptions(target) {
    const pad = 12, plain = {paddingTopLeft: [pad, pad], paddingBottomRight: [pad, pad]};
    const lg = this.legendRect;
    if (!lg || lg.x1 <= lg.x0 || !target || !target.isValid()) { return plain; }
    const rect = {x0: lg.x0 - pad, y0: lg.y0 - pad, x1: lg.x1 + pad, y1: lg.y1 + pad};
    if (!this.covers(target, plain, rect)) { return plain; }
    const wide = lg.width - lg.x0, tall = lg.y1;
    let best = null, bestZoom = -Infinity;
    for (const share of [0.25, 0.5, 0.75, 1]) {
      for (const o of [{paddingTopLeft: [pad, pad], paddingBottomRight: [pad + share * wide, pad]},
                       {paddingTopLeft: [pad, pad + share * tall], paddingBottomRight: [pad, pad]}]) {
        const zoom = this.viewOf(target, o).zoom;
        if (zoom > bestZoom && (share === 1 || !this.covers(target, o, rect))) { best = o; bestZoom = zoom; }
      }
    }
    return best || plain;
  },

  // the centre and zoom Leaflet's fitBounds chooses (as L.Map._getBoundsCenterZoom)
  viewOf(target, o) {
    const map = this.map, tl = L.point(o.paddingTopLeft), br = L.point(o.paddingBottomRight);
    let zoom = map.getBoundsZoom(target, false, tl.add(br));
    zoom = typeof map.options.maxZoom === "number" ? Math.min(map.options.maxZoom, zoom) : zoom;
    const offset = br.subtract(tl).divideBy(2);
    const sw = map.project(target.getSouthWest(), zoom), ne = map.project(target.getNorthEast(), zoom);
    return {zoom: zoom, centre: sw.add(ne).divideBy(2).add(offset)};
  },

  // whether, after the fit ``o``, the legend's rectangle lies over the selected VG (its
  // bounding box) or over an offer shown in the target
  covers(target, o, rect) {
    const v = this.viewOf(target, o), map = this.map, half = map.getSize().divideBy(2);
    const at = (ll) => map.project(ll, v.zoom).subtract(v.centre).add(half);
    const inside = (p) => p.x >= rect.x0 && p.x <= rect.x1 && p.y >= rect.y0 && p.y <= rect.y1;
    if (this.selectedBounds) {
      const ne = at(this.selectedBounds.getNorthEast()), sw = at(this.selectedBounds.getSouthWest());
      if (sw.x <= rect.x1 && ne.x >= rect.x0 && ne.y <= rect.y1 && sw.y >= rect.y0) { return true; }
    }
    const F = this.facilities;
    if (F && F.shown) {  // the offers in the target, by their Web Mercator position (fast)
      const scale = 256 * Math.pow(2, v.zoom), x0 = v.centre.x - half.x, y0 = v.centre.y - half.y;
      const s = target.getSouth(), n = target.getNorth(), w = target.getWest(), e = target.getEast();
      for (let i = 0; i < F.n; i++) {
        if (!F.shown[i] || F.lat[i] < s || F.lat[i] > n || F.lng[i] < w || F.lng[i] > e) { continue; }
        if (inside({x: F.mx[i] * scale - x0, y: F.my[i] * scale - y0})) { return true; }
      }
    }
    return false;
  },

  fit(args) {
    const target = this.selectedBounds || this.bounds;
    if (this.fitKey === null) {
      this.fitKey = args.fit;
      const saved = this.loadView();
      this.el.setAttribute("data-ia-fit", args.fit);
      if (saved && saved.fit === args.fit) {
        this.map.setView(saved.center, saved.zoom, {animate: false});
        return;
      }
      this.map.fitBounds(target, Object.assign({animate: false}, this.fitOptions(target)));
      return;
    }
    if (args.fit !== this.fitKey) {
      this.fitKey = args.fit;
      const done = () => { if (this.fitKey === args.fit) { this.el.setAttribute("data-ia-fit", args.fit); } };
      this.map.once("moveend", done);
      setTimeout(done, 1500);  // a fit that moved nothing ends without a moveend
      this.map.fitBounds(target, Object.assign({animate: true, duration: 0.4}, this.fitOptions(target)));
    }
  },

  viewKey() { return "ia-view:" + (this.options.key || "map"); },

  saveView() {
    if (this.fitKey === null) { return; }
    const c = this.map.getCenter();
    try {
      globalThis.sessionStorage.setItem(this.viewKey(), JSON.stringify(
        {fit: this.fitKey, zoom: this.map.getZoom(), center: [c.lat, c.lng]}));
    } catch (e) { /* storage unavailable: the view is kept only while the page lives */ }
  },

  loadView() {
    try { return JSON.parse(globalThis.sessionStorage.getItem(this.viewKey()) || "null"); } catch (e) { return null; }
  },
};
