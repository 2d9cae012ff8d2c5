// The project sites layer: one star per project place, coloured by the project's status.
//
// The sites travel as their own content-addressed resource (args.res.projects, built by
// dashboard/render/web/project_sites.py); every text is set with textContent, the only
// markup is the status symbol built on the server from constants.

import { L } from "./leaflet.js";

function rows(P, i) {
  return [[P.texts.title, P.title[i]],
          [P.texts.status, P.labels[P.status[i]] + " (" + P.texts.since + " " + P.since[i] + ")"],
          [P.texts.place, P.place[i]]];
}

export const projectMethods = {
  drawProjects(P) {
    const group = this.projectGroup;
    group.clearLayers();
    if (!P) { return; }
    for (let i = 0; i < P.n; i++) {
      const approx = P.approx[i] ? 1 : 0, code = P.codes[P.status[i]];
      const m = L.marker([P.lat[i], P.lng[i]], {
        pane: "iaProjects", keyboard: true, riseOnHover: true, title: P.title[i], alt: P.title[i],
        icon: L.divIcon({
          html: P.svg[P.status[i]][approx],  // trusted: built on the server from constants
          className: "ia-project ia-project-" + code + (approx ? " ia-approx" : ""),
          iconSize: [22, 22], iconAnchor: [11, 11],
        }),
      });
      m.on("mouseover focus", () => {
        this.showTip(() => rows(P, i), this.map.latLngToContainerPoint(m.getLatLng()), m);
      });
      m.on("mouseout blur", () => { this.hideTip(); });
      group.addLayer(m);
    }
  },

  setProjects(args) {
    if (!this.projectGroup) {
      this.map.createPane("iaProjects").style.zIndex = 630;
      this.projectGroup = L.layerGroup().addTo(this.map);
    }
    const name = args.layers && args.layers.projects ? args.res.projects : null;
    if (this.projectsName === name) { return; }
    this.projectsName = name;
    this.el.setAttribute("data-ia-projects", "");
    if (!name) { this.drawProjects(null); return; }
    this.load(name).then((P) => {
      if (this.projectsName !== name) { return; }
      this.drawProjects(P);
      this.el.setAttribute("data-ia-projects", String(P ? P.n : 0));
    }).catch((err) => { this.fail(err); });
  },
};
