// Names of VGs and Gemeinden, placed without overlap where the area is wide enough.

import { strings, unvlq } from "./codec.js";
import { el } from "./dom.js";
import { L } from "./leaflet.js";

export const labelMethods = {
  labels(args, areas) {
    const key = args.res.areas + "|" + (args.layers.gemeinden ? 1 : 0) + "|" + args.labels;
    if (this.labelKey === key) { return; }
    this.labelKey = key;
    this.labelGroup.clearLayers();
    this.labelItems = [];
    if (!args.labels) { return; }
    const add = (kind, cls, priority) => {
      const A = areas[kind];
      if (!A || !A.label) { return; }
      const names = strings(A.names, A.n), pts = unvlq(A.label), bb = unvlq(A.bbox);
      for (let f = 0; f < A.n; f++) {
        if (!names[f]) { continue; }
        const ll = L.latLng(pts[2 * f + 1] / 1e5, pts[2 * f] / 1e5);
        const m = L.marker(ll, {
          pane: "iaLabels", interactive: false, keyboard: false,
          icon: L.divIcon({className: "ia-label " + cls, html: "", iconSize: null}),
        });
        m.iaName = names[f];
        m.iaPriority = priority;
        m.iaSpan = [bb[4 * f] / 1e5, bb[4 * f + 1] / 1e5, bb[4 * f + 2] / 1e5, bb[4 * f + 3] / 1e5];
        this.labelItems.push(m);
      }
    };
    add("vg", "ia-label-vg", 0);
    if (args.layers.city) { add("city", "ia-label-city", 0); }
    if (args.layers.gemeinden) { add("gemeinden", "ia-label-gemeinde", 1); }
    this.placeLabels();
  },

  placeLabels() {
    const map = this.map, placed = [], group = this.labelGroup;
    if (!this.labelItems) { return; }
    const size = map.getSize();
    let shown = 0;
    for (const m of this.labelItems) {
      const pt = map.latLngToContainerPoint(m.getLatLng());
      const sw = map.latLngToContainerPoint([m.iaSpan[1], m.iaSpan[0]]);
      const ne = map.latLngToContainerPoint([m.iaSpan[3], m.iaSpan[2]]);
      const areaW = Math.abs(ne.x - sw.x);
      const w = m.iaName.length * (m.iaPriority ? 6.2 : 7.4) + 8, h = m.iaPriority ? 14 : 17;
      const box = [pt.x - w / 2, pt.y - h / 2, pt.x + w / 2, pt.y + h / 2];
      const visible = pt.x > -w && pt.y > -h && pt.x < size.x + w && pt.y < size.y + h;
      const fits = areaW >= w * (m.iaPriority ? 1.6 : 0.9);  // Gemeinde names once zoomed in
      const free = placed.every((o) => box[2] < o[0] || box[0] > o[2] || box[3] < o[1] || box[1] > o[3]);
      const show = visible && fits && free;
      if (show) { placed.push(box); shown++; }
      if (show && !group.hasLayer(m)) {
        group.addLayer(m);
        const node = m.getElement();
        if (node) {
          node.textContent = "";
          node.setAttribute("aria-hidden", "true");  // the names are read from the VG areas
          node.appendChild(el("span", null, m.iaName));
        }
      } else if (!show && group.hasLayer(m)) {
        group.removeLayer(m);
      }
    }
    this.el.setAttribute("data-ia-labels", String(shown));
  },
};
