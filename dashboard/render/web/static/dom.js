// Small DOM helpers. Text from data is always set with textContent; the only markup
// parsed is symbol SVG built on the server from constants.

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined && text !== null) { e.textContent = text; }
  return e;
}

/** A two-column table of [label, value] rows (rows without a value are left out). */
export function rowsTable(rows) {
  const table = el("table", "ia-rows");
  for (const r of rows) {
    if (!r[1]) { continue; }
    const tr = el("tr");
    tr.appendChild(el("th", null, r[0]));
    tr.appendChild(el("td", null, r[1]));
    table.appendChild(tr);
  }
  return table;
}

/** The symbol of a legend line. */
export function swatch(s) {
  const box = el("span", "ia-swatch");
  box.setAttribute("aria-hidden", "true");
  if (s.svg) {
    box.innerHTML = s.svg;  // trusted: symbol SVG built on the server from constants
  } else if (s.fill) {
    box.classList.add("ia-swatch-fill");
    box.style.background = s.fill;
    if (s.dashed) { box.style.borderStyle = "dashed"; }
  } else if (s.line) {
    box.classList.add("ia-swatch-line");
    box.style.borderTopColor = s.line;
    box.style.borderTopWidth = (s.width || 2) + "px";
    if (s.dash) { box.style.borderTopStyle = "dashed"; }
  } else if (s.cluster) {
    box.appendChild(el("span", "ia-cluster ia-cluster-s", s.cluster));
  } else if (s.dot) {
    box.appendChild(el("span", "ia-dot"));
  } else if (s.mark) {
    box.appendChild(el("span", "ia-mark ia-mark-" + s.mark));
  }
  return box;
}
