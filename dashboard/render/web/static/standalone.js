// The offline HTML export: the same renderer, the data inlined, Leaflet already loaded.

import { Atlas } from "./atlas.js";
import { loadLeaflet } from "./leaflet.js";

export function standalone(container, spec, inline) {
  container.style.height = "100%";
  return loadLeaflet().then(() => {
    const atlas = new Atlas(container, {inline: inline, key: "export"});
    container.iaAtlas = atlas;
    return atlas.render(spec);
  });
}
