// Leaflet, loaded once per page from the address the server names (the files of the
// installed package XStatic-Leaflet, served by the app itself: never a CDN). Every module
// reads it through the live binding ``L``.

export let L = globalThis.L && globalThis.L.map ? globalThis.L : null;
let loading = null;

function stylesheet(url) {
  const id = "ia-leaflet-css";
  const have = document.getElementById(id);
  if (have) { return have.iaLoaded || Promise.resolve(); }
  const link = document.createElement("link");
  link.id = id;
  link.rel = "stylesheet";
  link.setAttribute("href", url);
  link.iaLoaded = new Promise((resolve) => {
    link.addEventListener("load", resolve, {once: true});
    link.addEventListener("error", resolve, {once: true});  // the map still works, unstyled
  });
  document.head.appendChild(link);
  return link.iaLoaded;
}

/** Leaflet (script and stylesheet), loaded once; resolves to ``L``. */
export function loadLeaflet(jsUrl, cssUrl) {
  if (L) { return cssUrl ? stylesheet(cssUrl).then(() => L) : Promise.resolve(L); }
  if (!loading) {
    // Leaflet's bundle is UMD: imported as a module it defines the global ``L``
    loading = Promise.all([import(jsUrl), cssUrl ? stylesheet(cssUrl) : null]).then(() => {
      L = globalThis.L;
      if (!L || !L.map) { throw new Error("Leaflet did not load from " + jsUrl); }
      return L;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}
