// The tooltip: one element above map, markers and legend; rebuilt only for a new target.

import { el, rowsTable } from "./dom.js";

export const tooltipMethods = {
  bindTip(poly, rowsOf) {
    poly.on("mouseover mousemove", (e) => { this.showTip(rowsOf, e.containerPoint, poly); });
    poly.on("mouseout", () => { this.hideTip(); });
  },

  showTip(content, point, target) {
    const tip = this.tip;
    if (!target || this.tipTarget !== target || tip.hidden) {
      const c = typeof content === "function" ? content() : content;
      tip.textContent = "";
      tip.appendChild(Array.isArray(c) ? rowsTable(c) : el("span", null, c));
      this.tipTarget = target || null;
    }
    tip.hidden = false;
    const size = this.map.getSize(), w = tip.offsetWidth, h = tip.offsetHeight;
    let x = point.x + 14, y = point.y + 14;
    if (x + w > size.x) { x = Math.max(0, point.x - w - 14); }
    if (y + h > size.y) { y = Math.max(0, point.y - h - 14); }
    tip.style.left = x + "px"; tip.style.top = y + "px";
  },

  hideTip() { this.tip.hidden = true; this.tipTarget = null; },
};
