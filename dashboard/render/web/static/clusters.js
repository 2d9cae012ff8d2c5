// Offers on the map: own clustering (a grid index per zoom), only the markers in view in
// the page, offers at one place spread in a circle, popups.

import { el, rowsTable } from "./dom.js";
import { L } from "./leaflet.js";

const CELL = 45;  // cluster radius in pixels (as Leaflet.markercluster's default)
const FOCUS_ZOOM = 14;  // a search hit with its surroundings: about 3 km across a map

export const clusterMethods = {
  clusterAt(zoom) {
    const F = this.facilities, key = String(zoom);
    if (this.clusters[key]) { return this.clusters[key]; }
    const scale = 256 * Math.pow(2, zoom), grid = new Map(), out = [], r2 = CELL * CELL;
    for (let i = 0; i < F.n; i++) {
      if (!F.shown[i]) { continue; }
      const x = F.mx[i] * scale, y = F.my[i] * scale;
      const cx = Math.floor(x / CELL), cy = Math.floor(y / CELL);
      let hit = null;
      for (let dx = -1; dx <= 1 && !hit; dx++) {
        for (let dy = -1; dy <= 1 && !hit; dy++) {
          const list = grid.get((cx + dx) * 1e7 + (cy + dy));
          if (!list) { continue; }
          for (const c of list) {
            const ex = c.x - x, ey = c.y - y;
            if (ex * ex + ey * ey <= r2) { hit = c; break; }
          }
        }
      }
      if (hit) {
        hit.members.push(i);
        hit.sx += x; hit.sy += y;
      } else {
        const cl = {x: x, y: y, sx: x, sy: y, members: [i]};
        const cell = cx * 1e7 + cy;
        if (!grid.has(cell)) { grid.set(cell, []); }
        grid.get(cell).push(cl);
        out.push(cl);
      }
    }
    for (const c of out) {
      const n = c.members.length, first = c.members[0];
      c.px = c.sx / n; c.py = c.sy / n;
      let same = true;
      for (let k = 1; k < n && same; k++) {
        same = F.lat[c.members[k]] === F.lat[first] && F.lng[c.members[k]] === F.lng[first];
      }
      c.samePlace = same;
    }
    this.clusters[key] = out;
    return out;
  },

  // markers are made once per cluster (per zoom and filter) and kept while in view: a pan
  // does not rebuild them, so an open popup stays open
  drawFacilities() {
    const F = this.facilities, map = this.map;
    if (!this.args) { return; }
    const group = this.markers;
    if (!F) { group.clearLayers(); this.el.setAttribute("data-ia-markers", "0"); return; }
    const zoom = map.getZoom();
    const list = this.clusterAt(zoom);
    const b = map.getPixelBounds(), pad = 80;
    const wanted = new Set();
    for (const c of list) {
      if (c.px < b.min.x - pad || c.px > b.max.x + pad || c.py < b.min.y - pad || c.py > b.max.y + pad) { continue; }
      if (this.spread && this.spread.cluster === c) { continue; }
      if (!c.marker) {
        const i = c.members[0];
        c.marker = c.members.length === 1 ? this.pointMarker(i, L.latLng(F.lat[i], F.lng[i]))
                                           : this.clusterMarker(c, map.unproject([c.px, c.py], zoom));
      }
      wanted.add(c.marker);
    }
    if (this.spread) { for (const m of this.spread.layers) { wanted.add(m); } }
    for (const m of group.getLayers()) { if (!wanted.has(m)) { group.removeLayer(m); } }
    for (const m of wanted) { if (!group.hasLayer(m)) { group.addLayer(m); } }
    this.el.setAttribute("data-ia-markers", String(wanted.size));
    if (this.pendingFocus !== undefined && this.pendingFocus !== null) {
      const target = this.pendingFocus;
      this.pendingFocus = null;
      this.focusOn(target);
    }
  },

  icon(cat, flags) {
    const key = cat + "_" + flags, P = this.facilities.parts[0];
    this.icons = this.icons || {};
    if (!this.icons[key]) {
      const approx = flags & 1, stale = flags & 2;
      this.icons[key] = L.divIcon({
        html: P.tables.categories[cat][approx ? 2 : 1],
        className: "ia-fac ia-cat-" + cat + (approx ? " ia-approx" : " ia-exact") + (stale ? " ia-stale" : ""),
        iconSize: [20, 20], iconAnchor: [10, 10], popupAnchor: [0, -9],
      });
    }
    return this.icons[key];
  },

  pointMarker(i, ll) {
    const F = this.facilities, name = F.text(i, "name");
    const m = L.marker(ll, {icon: this.icon(F.cat[i], F.flags[i]), title: name, alt: name,
                            keyboard: true, riseOnHover: true});
    m.iaIndex = i;
    m.on("mouseover", () => {
      const p = this.map.latLngToContainerPoint(m.getLatLng());
      this.showTip(name + (F.flags[i] & 1 ? " (" + F.parts[i].labels.approx + ")" : ""), p, m);
    });
    m.on("mouseout", () => { this.hideTip(); });
    m.bindPopup(() => this.popup(i), {maxWidth: 320, pane: "iaPopups", autoPanPadding: [20, 20]});
    return m;
  },

  clusterMarker(c, ll) {
    const n = c.members.length, size = n < 10 ? "s" : n < 100 ? "m" : "l";
    const label = this.args.texts.cluster.replace("{n}", String(n));
    const m = L.marker(ll, {
      icon: L.divIcon({html: "<span>" + n + "</span>", className: "ia-cluster ia-cluster-" + size,
                       iconSize: size === "s" ? [30, 30] : size === "m" ? [36, 36] : [44, 44]}),
      title: label, alt: label, keyboard: true,
    });
    m.on("mouseover", () => { this.showTip(label, this.map.latLngToContainerPoint(ll)); });
    m.on("mouseout", () => { this.hideTip(); });
    m.on("click keypress", (e) => {  // Enter on a focused cluster, too
      if (e.type === "keypress" && e.originalEvent && e.originalEvent.key !== "Enter") { return; }
      this.hideTip();
      if (c.samePlace || this.map.getZoom() >= this.map.getMaxZoom()) { this.openSpread(c); return; }
      const F = this.facilities, bounds = L.latLngBounds(c.members.map((i) => [F.lat[i], F.lng[i]]));
      this.map.fitBounds(bounds, {padding: [40, 40], maxZoom: this.map.getMaxZoom()});
    });
    return m;
  },

  // several offers at one place: spread in a circle around it, with legs
  openSpread(c) {
    this.closeSpread();
    const map = this.map, F = this.facilities, zoom = map.getZoom(), n = c.members.length;
    const centre = L.latLng(F.lat[c.members[0]], F.lng[c.members[0]]);
    const cp = map.project(centre, zoom), radius = Math.max(28, n * 26 / (2 * Math.PI)), layers = [];
    c.members.forEach((i, k) => {
      const angle = 2 * Math.PI * k / n - Math.PI / 2;
      const pos = map.unproject([cp.x + radius * Math.cos(angle), cp.y + radius * Math.sin(angle)], zoom);
      layers.push(L.polyline([centre, pos], {color: "#444", weight: 1.2, opacity: 0.8, interactive: false,
                                              className: "ia-leg"}));
      layers.push(this.pointMarker(i, pos));
    });
    this.spread = {cluster: c, layers: layers};
    this.drawFacilities();
  },

  closeSpread() {
    if (!this.spread) { return; }
    const group = this.markers;
    for (const m of this.spread.layers) { group.removeLayer(m); }
    this.spread = null;
  },

  // a search hit: its popup opened, with its surroundings in view (a few streets around)
  focusOn(i) {
    const map = this.map, F = this.facilities;
    if (!F || i >= F.n) { return; }
    const ll = L.latLng(F.lat[i], F.lng[i]);
    if (map.getZoom() < FOCUS_ZOOM || !map.getBounds().contains(ll)) {
      map.setView(ll, Math.max(FOCUS_ZOOM, Math.min(map.getZoom(), FOCUS_ZOOM + 1)), {animate: false});
    }
    this.drawFacilities();
    let found = null;
    this.markers.eachLayer((m) => { if (m.iaIndex === i) { found = m; } });
    if (!found) {
      const list = this.clusterAt(map.getZoom());
      for (let k = 0; k < list.length && !found; k++) {
        if (list[k].members.indexOf(i) >= 0 && list[k].members.length > 1) {
          this.openSpread(list[k]);
          for (const m of this.spread.layers) { if (m.iaIndex === i) { found = m; } }
        }
      }
    }
    if (found) {
      found.openPopup();
    } else {
      L.popup({pane: "iaPopups"}).setLatLng(ll).setContent(this.popup(i)).openOn(map);
    }
    this.el.setAttribute("data-ia-focused", String(i));
  },

  popup(i) {
    const F = this.facilities, P = F.parts[i], T = P.labels, box = el("div", "ia-popup");
    box.appendChild(el("strong", null, F.text(i, "name")));
    box.appendChild(el("div", null, P.tables.categories[F.cat[i]][0]));
    if (F.flags[i] & 1) { box.appendChild(el("div", "ia-note", T.approx)); }
    if (F.flags[i] & 2) { box.appendChild(el("div", "ia-note ia-stale-note", T.stale)); }
    if (F.flags[i] & 4) { box.appendChild(el("div", "ia-note", T.outside)); }
    const rows = [];
    for (const c of ["operator", "address", "languages", "target_groups", "hf", "precision", "source", "date", "id"]) {
      rows.push([T[c], F.text(i, c)]);
    }
    box.appendChild(rowsTable(rows));
    return box;
  },
};
