// The offers as compact columns (dashboard/render/web/resources.py facility_payload):
// decoded once per resource; a filter change only says which rows are shown.

import { bits, cumsum, strings, unvlq } from "./codec.js";

// Web Mercator in [0, 1] (as Leaflet's EPSG:3857 at zoom 0, divided by 256)
function mercX(lng) { return (lng + 180) / 360; }
function mercY(lat) {
  const s = Math.sin(Math.max(Math.min(lat, 85.05), -85.05) * Math.PI / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}

/** The offers of a resource and of the spec's extra rows, as one set of columns. */
export function decodeFacilities(fac, extra) {
  const parts = [fac, extra].filter((x) => x && x.n);
  if (!parts.length) { return null; }
  const F = {n: 0, base: fac && fac.n ? fac.n : 0, lat: [], lng: [], cat: [], flags: [], cols: {}, parts: []};
  for (const P of parts) {
    const lat = cumsum(unvlq(P.lat)), lng = cumsum(unvlq(P.lng));
    const cat = unvlq(P.cat), flags = unvlq(P.flags);
    for (let i = 0; i < P.n; i++) {
      F.lat.push(lat[i] / 1e5); F.lng.push(lng[i] / 1e5); F.cat.push(cat[i]); F.flags.push(flags[i]);
      F.parts.push(P);
    }
    P.decoded = {};
    F.n += P.n;
  }
  F.offset = (i) => (i < F.base ? i : i - F.base);
  F.text = (i, col) => {
    const P = F.parts[i];
    if (!P.cols[col]) { return ""; }
    if (!P.decoded[col]) { P.decoded[col] = strings(P.cols[col], P.n); }
    return P.decoded[col][F.offset(i)];
  };
  F.mx = new Float64Array(F.n); F.my = new Float64Array(F.n);
  for (let k = 0; k < F.n; k++) { F.mx[k] = mercX(F.lng[k]); F.my[k] = mercY(F.lat[k]); }
  return F;
}

export const facilityMethods = {
  // decoded and filtered (before the fit, which keeps offers clear of the legend) ...
  prepareFacilities(args, fac) {
    const name = args.res.fac || "", extraKey = JSON.stringify(args.extra || null);
    if (this.facName !== name || this.extraKey !== extraKey) {
      this.facilities = decodeFacilities(fac, args.extra);
      this.facName = name; this.extraKey = extraKey;
      this.maskKey = null;
    }
    const F = this.facilities, maskKey = (args.layers.facilities ? 1 : 0) + "|" + (args.mask || "*");
    if (F && this.maskKey !== maskKey) {
      const shown = new Uint8Array(F.n);
      if (args.layers.facilities) {
        const m = args.mask ? bits(args.mask, F.base) : null;
        for (let i = 0; i < F.n; i++) { shown[i] = i >= F.base || !m ? 1 : m[i]; }
      }
      F.shown = shown;
      this.maskKey = maskKey;
      this.clusters = {};
      this.closeSpread();
    }
    let count = 0;
    if (F) { for (let k = 0; k < F.n; k++) { count += F.shown[k]; } }
    this.el.setAttribute("data-ia-points", String(count));
  },

  // ... then drawn (and a search hit opened, once)
  showFacilities(args) {
    const F = this.facilities, name = args.res.fac || "";
    if (F && args.focus >= 0 && this.focusDone !== args.focus + "|" + name) {
      this.focusDone = args.focus + "|" + name;  // once per search hit, not on every update
      this.pendingFocus = args.focus;
    }
    this.drawFacilities();
  },
};
