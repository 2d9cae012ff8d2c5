// Integrationsatlas: the interactive map, one Leaflet map kept alive across updates.
//
// The server sends data only: boundaries once as a topology, area texts, facilities as
// compact columns, the overlay's classes and colours (content-addressed resources, loaded
// once and kept); each update (a filter or layer change) is a small spec, and the map
// restyles and redraws layers in place, so zoom and centre stay and the map never blanks.
//
// Used by the Streamlit component (bridge.js) and by the offline HTML export
// (standalone.js), with the data inlined.

import { accessMethods } from "./access.js";
import { areaMethods } from "./areas.js";
import { clusterMethods } from "./clusters.js";
import { bits, strings, unvlq } from "./codec.js";
import { el } from "./dom.js";
import { facilityMethods } from "./facilities.js";
import { labelMethods } from "./labels.js";
import { legendMethods } from "./legend.js";
import { L } from "./leaflet.js";
import { markMethods } from "./marks.js";
import { Topology } from "./topology.js";
import { tooltipMethods } from "./tooltip.js";
import { viewMethods } from "./view.js";

export class Atlas {
  /**
   * @param {HTMLElement} container the map's element (sized by the caller)
   * @param {object} options dataUrl (where resources are loaded from), inline (resources
   *   sent with the spec), key (the map's name, for the kept view), onClick(latlng)
   */
  constructor(container, options) {
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
    const map = this.map = L.map(container, {
      zoomSnap: 0.25, zoomDelta: 0.5, maxZoom: 18, minZoom: 5, attributionControl: false,
      zoomControl: false,  // added with the page's words (access.js)
      wheelPxPerZoomLevel: 90,
    });
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    this.attribution = L.control.attribution({prefix: false, position: "bottomright"}).addTo(map);
    for (const [pane, z] of [["iaCity", 380], ["iaFill", 400], ["iaLines", 410], ["iaSelected", 420],
                             ["iaLabels", 450], ["iaMarks", 640]]) {
      map.createPane(pane).style.zIndex = z;
    }
    map.getPane("iaLabels").style.pointerEvents = "none";
    // popups and tooltips above the legend: panes outside the map pane, moved with it
    this.popupPane = map.createPane("iaPopups", container);
    this.popupPane.classList.add("ia-over");
    this.tip = el("div", "ia-tip ia-over");
    this.tip.setAttribute("role", "tooltip");
    this.tip.hidden = true;
    container.appendChild(this.tip);
    const sync = () => {
      const o = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(this.popupPane, L.point(-o.x, -o.y));
    };
    map.on("move zoom viewreset zoomend moveend resize", sync);
    map.on("movestart zoomstart", () => { this.hideTip(); });
    map.on("zoomend", () => {
      this.closeSpread(); this.syncDetail(); this.drawFacilities(); this.placeLabels();
    });
    map.on("moveend", () => { this.drawFacilities(); this.saveView(); });
    map.on("resize", () => { this.fitLegend(); this.placeLabels(); });
    map.on("click", (e) => {
      if (this.spread) { this.closeSpread(); this.drawFacilities(); }
      if (this.options.onClick) { this.options.onClick(e.latlng); }
    });
    this.markers = L.layerGroup().addTo(map);
    this.marks = L.layerGroup().addTo(map);
    this.labelGroup = L.layerGroup().addTo(map);
    this.legend = this.makeLegend();
    this.canvases = {};
  }

  // one canvas per pane for large layers (Leaflet draws into the renderer's own pane)
  canvasFor(pane) {
    if (!this.canvases[pane]) { this.canvases[pane] = L.canvas({pane: pane, padding: 0.1, tolerance: 2}); }
    return this.canvases[pane];
  }

  load(name) {
    if (!name) { return Promise.resolve(null); }
    if (!this.cache[name]) {
      const inline = this.options.inline && this.options.inline[name];
      this.cache[name] = inline ? Promise.resolve(inline) : fetch(this.options.dataUrl + name)
        .then((r) => {
          if (!r.ok) { throw new Error("map data " + name + ": HTTP " + r.status); }
          return r.json();
        });
      this.cache[name].catch(() => { delete this.cache[name]; });
    }
    return this.cache[name];
  }

  render(args) {
    const seq = ++this.seq, R = args.res;
    return Promise.all([this.load(R.topo), this.load(R.areas), this.load(R.fac), this.load(R.overlay)])
      .then((data) => {
        if (seq !== this.seq) { return; }  // a newer update arrived meanwhile
        if (!this.topoName || this.topoName !== R.topo) {
          this.topo = new Topology(data[0]); this.topoName = R.topo; this.clearAreas();
        }
        this.apply(args, data[1], data[2], data[3]);
        this.el.setAttribute("data-ia-drawn", String(seq));  // every layer is in the page
        this.reveal(args);
        requestAnimationFrame(() => {  // ... and the browser is painting it
          if (seq !== this.seq) { return; }
          this.el.setAttribute("data-ia-painted", String(seq));
          this.el.setAttribute("data-ia-drawn-at", String(performance.timeOrigin + performance.now()));
        });
      })
      .catch((err) => { this.fail(err); });
  }

  fail(err) {
    if (globalThis.console) { console.error(err); }
    const box = this.el.querySelector(".ia-error") || el("div", "ia-error ia-over");
    box.setAttribute("role", "alert");
    box.textContent = (this.args && this.args.texts && this.args.texts.error) || String(err);
    this.el.appendChild(box);
  }

  apply(args, areas, fac, overlay) {
    this.args = args;
    this.areaData = areas;
    const err = this.el.querySelector(".ia-error");
    if (err) { err.remove(); }
    const boundsKey = JSON.stringify(args.bounds);
    if (this.boundsKey !== boundsKey) {
      this.boundsKey = boundsKey;
      this.bounds = L.latLngBounds(args.bounds);
      this.map.setMinZoom(Math.max(3, Math.floor(this.map.getBoundsZoom(this.bounds)) - 2));
    }
    this.basemap(args.basemap);
    this.attributions(args.attribution);
    this.describe(args);
    this.setLegend(args.legend);  // sized before the areas are drawn (a cheap layout) and the fit
    this.areas(args, areas, overlay);
    this.prepareFacilities(args, fac);
    this.fit(args);
    this.syncDetail();
    this.showFacilities(args);
    this.setMarks(args.marks || []);
    this.labels(args, areas);
    this.focusableAreas(args, areas);
    const counts = {vg: 0, gemeinden: 0};
    if (this.layers.vg) { counts.vg = this.layers.vg.getLayers().length; }
    if (this.layers.gem) { counts.gemeinden = this.layers.gem.getLayers().length; }
    this.el.setAttribute("data-ia-vg", String(counts.vg));
    this.el.setAttribute("data-ia-gemeinden", String(counts.gemeinden));
    this.el.setAttribute("data-ia-vintage", String(args.vintage));
    this.el.setAttribute("data-ia-selected", args.selected || "");
  }

  // -- background and attribution -----------------------------------------------------------
  basemap(spec) {
    const key = spec ? spec.url : "";
    if (this.tilesKey === key) { return; }
    if (this.tiles) { this.map.removeLayer(this.tiles); this.tiles = null; }
    if (spec) { this.tiles = L.tileLayer(spec.url, {maxZoom: 18}).addTo(this.map); }
    this.tilesKey = key;
  }

  attributions(texts) {
    const key = JSON.stringify(texts || []);
    if (this.attrKey === key) { return; }
    const ctl = this.attribution;
    for (const h of this.attrShown || []) { ctl.removeAttribution(h); }
    this.attrShown = (texts || []).map((text) => {
      const html = el("span", null, text).outerHTML;  // escaped text
      ctl.addAttribution(html);
      return html;
    });
    this.attrKey = key;
  }

  /** Remove the map and everything it holds from the page. */
  destroy() {
    this.seq++;
    this.map.remove();
    this.el.textContent = "";
  }
}

Object.assign(Atlas.prototype, accessMethods, areaMethods, clusterMethods, facilityMethods, labelMethods,
              legendMethods, markMethods, tooltipMethods, viewMethods);

/** The decoders, for checks of what reached the browser. */
Atlas.prototype.codec = {bits: bits, strings: strings, unvlq: unvlq};
