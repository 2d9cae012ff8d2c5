// Positions that are not offers: the what-if's planned facility, a picked position.

import { L } from "./leaflet.js";

export const markMethods = {
  setMarks(marks) {
    const key = JSON.stringify(marks);
    if (this.marksKey === key) { return; }
    this.marksKey = key;
    this.marks.clearLayers();
    for (const mk of marks) {
      const m = L.marker([mk[0], mk[1]], {
        pane: "iaMarks", keyboard: true, title: mk[3], alt: mk[3],
        icon: L.divIcon({className: "ia-mark ia-mark-" + mk[2], html: "", iconSize: [26, 26], iconAnchor: [13, 13]}),
      });
      m.on("mouseover", () => { this.showTip(mk[3], this.map.latLngToContainerPoint(m.getLatLng())); });
      m.on("mouseout", () => { this.hideTip(); });
      this.marks.addLayer(m);
    }
  },
};
