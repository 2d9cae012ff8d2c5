// The map as a Streamlit Custom Component (v2): Streamlit calls the default export with the
// newest data on every update. One Leaflet map per component element lives as long as the
// element; a click is sent back as the trigger value "click" (no messaging of our own).
//
// data = {spec, inline, key, assets: {leaflet, leaflet_css, data}}: ``assets`` are
// addresses relative to the app's pages (the app's static files), ``inline`` resources
// that could not be written as files.

import { Atlas } from "./atlas.js";
import { loadLeaflet } from "./leaflet.js";

const maps = new WeakMap();

function absolute(url) { return new URL(url, document.baseURI).href; }

function rounded(x) { return Math.round(x * 1e6) / 1e6; }

export default function mount(component) {
  const { data, parentElement } = component;
  let entry = maps.get(parentElement);
  if (!entry) {
    const root = document.createElement("div");
    root.className = "ia-map";
    parentElement.appendChild(root);
    entry = {root: root, atlas: null, send: null, height: null};
    entry.ready = loadLeaflet(absolute(data.assets.leaflet), absolute(data.assets.leaflet_css));
    maps.set(parentElement, entry);
  }
  entry.send = component.setTriggerValue;  // the newest one
  const root = entry.root, spec = data.spec;
  root.setAttribute("data-ia-received-at", String(performance.timeOrigin + performance.now()));
  if (spec.height !== entry.height) {
    entry.height = spec.height;
    root.style.height = spec.height + "px";
    if (entry.atlas) { entry.atlas.map.invalidateSize(); }
  }
  entry.ready.then(() => {
    if (maps.get(parentElement) !== entry) { return; }  // removed meanwhile
    if (!entry.atlas) {
      entry.atlas = new Atlas(root, {
        dataUrl: absolute(data.assets.data), key: data.key, inline: data.inline || null,
        onClick: (ll) => { entry.send("click", {lat: rounded(ll.lat), lng: rounded(ll.lng)}); },
      });
      root.iaAtlas = entry.atlas;  // for the browser tests and the benchmarks
      // the page's layout changes the map's size without resizing the window
      entry.resize = new ResizeObserver(() => { entry.atlas.map.invalidateSize({pan: false}); });
      entry.resize.observe(root);
    } else if (data.inline) {
      entry.atlas.options.inline = Object.assign(entry.atlas.options.inline || {}, data.inline);
    }
    entry.atlas.render(spec);
  }).catch((err) => {
    console.error(err);  // details for the console; the user reads the short message
    root.textContent = (spec.texts && spec.texts.error) || "";
    root.classList.add("ia-failed");
  });
  return () => {
    // Streamlit calls this when the element leaves the page (also when an update arrived
    // while this one was loading: then the element is still in the page and kept)
    setTimeout(() => {
      if (root.isConnected || maps.get(parentElement) !== entry) { return; }
      maps.delete(parentElement);
      if (entry.resize) { entry.resize.disconnect(); }
      if (entry.atlas) { entry.atlas.destroy(); }
    }, 0);
  };
}
