// Boundaries as one topology of shared arcs (dashboard/render/web/topology.py): each
// border once, quantized to a grid, VLQ-encoded; areas refer to arcs by index.

import { unvlq } from "./codec.js";
import { L } from "./leaflet.js";

export class Topology {
  constructor(T) {
    const n = unvlq(T.arcs.n), d = unvlq(T.arcs.d), x0 = T.origin[0], y0 = T.origin[1], s = T.step;
    this.arcs = new Array(n.length);
    let k = 0;
    for (let a = 0; a < n.length; a++) {
      const pts = new Array(n[a]);
      let x = 0, y = 0;
      for (let j = 0; j < n[a]; j++) {
        if (j === 0) { x = d[k]; y = d[k + 1]; } else { x += d[k]; y += d[k + 1]; }
        k += 2;
        pts[j] = L.latLng(y0 + y * s, x0 + x * s);
      }
      this.arcs[a] = pts;
    }
    this.raw = T.objects;
    this.decoded = {};
  }

  /** The rings of every area of one layer (decoded once). */
  features(name) {
    if (this.decoded[name]) { return this.decoded[name]; }
    const st = unvlq(this.raw[name] || ""), features = [];
    let i = 0;
    while (i < st.length) {
      const nr = st[i++], rings = [];
      for (let r = 0; r < nr; r++) {
        const m = st[i++], ring = [];
        let ref = 0;
        for (let q = 0; q < m; q++) {
          ref += st[i++];
          const arc = ref >= 0 ? this.arcs[ref] : this.arcs[~ref].slice().reverse();
          for (let t = ring.length ? 1 : 0; t < arc.length; t++) { ring.push(arc[t]); }
        }
        if (ring.length > 1) { ring.pop(); }
        rings.push(ring);
      }
      features.push(rings);
    }
    this.decoded[name] = features;
    return features;
  }
}
