// Keyboard and screen reader: the map as a named region with a text summary, the VGs as
// focusable areas (Enter or Space chooses one: the same event as a click), a polite
// announcement when the selection changes, and the page scrolled to what a click opened.

import { strings, unvlq } from "./codec.js";
import { el } from "./dom.js";
import { L } from "./leaflet.js";

let serial = 0;

export const accessMethods = {
  describe(args) {
    const T = args.texts || {};
    if (!this.summary) {
      const id = "ia-map-summary-" + (++serial);
      this.summary = el("p", "ia-sr");
      this.summary.id = id;
      this.live = el("div", "ia-sr");
      this.live.setAttribute("aria-live", "polite");
      this.el.appendChild(this.summary);
      this.el.appendChild(this.live);
      this.el.setAttribute("role", "region");
      this.el.setAttribute("aria-describedby", id);
      L.control.zoom({zoomInTitle: T.zoom_in || "+", zoomOutTitle: T.zoom_out || "-"}).addTo(this.map);
    }
    if (T.region) { this.el.setAttribute("aria-label", T.region); }
    this.summary.textContent = args.summary || "";
    const selected = args.selected || "";
    if (this.selectedKey !== undefined && this.selectedKey !== selected && selected && T.selected) {
      this.live.textContent = T.selected.replace("{name}", args.selected_name || selected);
    }
    this.selectedKey = selected;
  },

  // every VG a tab stop: its name read out, its tooltip shown, Enter/Space as a click on it
  focusableAreas(args, areas) {
    const group = this.layers.vg, A = areas && areas.vg;
    if (!group || !A) { return; }
    const names = strings(A.names, A.n), pts = unvlq(A.label), hint = (args.texts || {}).vg_focus || "{name}";
    group.eachLayer((poly) => {
      const path = poly.getElement && poly.getElement(), f = poly.iaIndex;
      if (!path) { return; }
      const at = L.latLng(pts[2 * f + 1] / 1e5, pts[2 * f] / 1e5);
      path.setAttribute("tabindex", "0");
      path.setAttribute("role", "button");
      path.setAttribute("aria-label", hint.replace("{name}", names[f]));
      poly.iaAt = at;
      if (path.iaKeys) { return; }
      path.iaKeys = true;
      L.DomEvent.on(path, "keydown", (e) => {
        if (e.key !== "Enter" && e.key !== " ") { return; }
        L.DomEvent.preventDefault(e);
        if (this.options.onClick) { this.options.onClick(poly.iaAt); }
      });
      L.DomEvent.on(path, "focus", () => {
        if (!this.map.getBounds().contains(poly.iaAt)) { this.map.panTo(poly.iaAt, {animate: false}); }
        if (this.areaRows) {
          this.showTip(() => this.areaRows("vg", f), this.map.latLngToContainerPoint(poly.iaAt), poly);
        }
      });
      L.DomEvent.on(path, "blur", () => { this.hideTip(); });
    });
  },

  // after a click opened something below the map (the VG view), bring it into view once
  reveal(args) {
    const R = args.reveal;
    if (!R || !R.selector || this.revealed === R.id) { return; }
    this.revealed = R.id;
    const until = performance.now() + 8000;
    const look = () => {
      const target = document.querySelector(R.selector);
      if (target && target.getBoundingClientRect().height > 0) {
        target.style.scrollMarginTop = "4rem";  // below the app's header
        target.scrollIntoView({block: "start"});
        return;
      }
      if (performance.now() < until) { requestAnimationFrame(look); }
    };
    requestAnimationFrame(look);
  },
};
