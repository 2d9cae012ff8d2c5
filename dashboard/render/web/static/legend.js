// The legend: one collapsible panel, at most a fifth of the map.

import { el, swatch } from "./dom.js";
import { L } from "./leaflet.js";

export const legendMethods = {
  makeLegend() {
    const ctl = L.control({position: "topright"});
    ctl.onAdd = () => {
      const box = el("div", "ia-legend leaflet-bar");
      box.hidden = true;  // until its texts arrive (an empty button has no name)
      const head = el("button", "ia-legend-toggle");
      head.type = "button";
      head.setAttribute("aria-expanded", "true");
      const body = el("div", "ia-legend-body");
      body.setAttribute("tabindex", "0");  // it scrolls when long: the keyboard can scroll it
      body.setAttribute("role", "group");
      box.appendChild(head); box.appendChild(body);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      L.DomEvent.on(head, "click", () => { this.toggleLegend(); });
      this.legendBox = box; this.legendHead = head; this.legendBody = body;
      return box;
    };
    ctl.addTo(this.map);
    let stored = null;
    try { stored = globalThis.sessionStorage.getItem("ia-legend-open"); } catch (e) { stored = null; }
    const small = this.map.getSize().x < 560 || this.map.getSize().y < 420;
    this.legendOpen = stored === null ? !small : stored === "1";
    return ctl;
  },

  toggleLegend(open) {
    this.legendOpen = open === undefined ? !this.legendOpen : open;
    try { globalThis.sessionStorage.setItem("ia-legend-open", this.legendOpen ? "1" : "0"); } catch (e) { /* private mode */ }
    this.fitLegend();
  },

  setLegend(spec) {
    const key = JSON.stringify(spec);
    if (this.legendKey === key) { return; }  // sized already (and again on resize, toggle)
    this.legendKey = key;
    const body = this.legendBody;
    body.textContent = "";
    this.legendTexts = spec;
    for (const s of spec.sections) {
      const sec = el("div", "ia-legend-section" + (s.cls ? " " + s.cls : ""));
      if (s.title) { sec.appendChild(el("div", "ia-legend-title", s.title)); }
      for (const it of s.items) {
        const line = el("div", "ia-legend-item" + (it.cls ? " " + it.cls : ""));
        line.appendChild(swatch(it.swatch));
        line.appendChild(el("span", null, it.text));
        sec.appendChild(line);
      }
      if (s.note) { sec.appendChild(el("div", "ia-legend-note", s.note)); }
      body.appendChild(sec);
    }
    this.fitLegend();
  },

  fitLegend() {
    if (!this.legendBox || !this.legendTexts) { return; }
    const T = this.legendTexts, open = this.legendOpen;
    this.legendHead.textContent = (open ? "▾ " : "▸ ") + T.title;
    this.legendBox.hidden = false;
    this.legendHead.setAttribute("aria-expanded", open ? "true" : "false");
    this.legendHead.title = open ? T.hide : T.show;
    this.legendBody.setAttribute("aria-label", T.title);
    this.legendBody.hidden = !open;
    this.legendBox.classList.toggle("ia-legend-open", open);
    const size = this.map.getSize(), budget = 0.2 * size.x * size.y;
    const maxW = Math.max(150, Math.min(280, Math.floor(size.x * 0.45)));
    this.legendBox.style.maxWidth = maxW + "px";
    this.legendBody.style.maxHeight = "none";
    if (open) {
      const w = this.legendBox.offsetWidth || maxW, head = this.legendHead.offsetHeight + 12;
      const maxH = Math.max(40, Math.floor(budget / w) - head);
      this.legendBody.style.maxHeight = maxH + "px";
    }
    // where it lies in the map, for fits (measured now, while sizing it anyway)
    const lg = this.legendBox.getBoundingClientRect(), mp = this.el.getBoundingClientRect();
    this.legendRect = {x0: lg.left - mp.left, y0: lg.top - mp.top, x1: lg.right - mp.left,
                       y1: lg.bottom - mp.top, width: mp.width};
  },
};
