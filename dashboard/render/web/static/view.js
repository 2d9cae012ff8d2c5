// The view: fitted when asked (a new extent or a selected VG), otherwise zoom and centre
// are kept; also kept in the tab (sessionStorage) when a page is left and opened again.

export const viewMethods = {
  fit(args) {
    const target = this.selectedBounds || this.bounds;
    if (this.fitKey === null) {
      this.fitKey = args.fit;
      const saved = this.loadView();
      if (saved && saved.fit === args.fit) {
        this.map.setView(saved.center, saved.zoom, {animate: false});
        return;
      }
      this.map.fitBounds(target, {animate: false});
      return;
    }
    if (args.fit !== this.fitKey) {
      this.fitKey = args.fit;
      this.map.fitBounds(target, {animate: true, duration: 0.4});
    }
  },

  viewKey() { return "ia-view:" + (this.options.key || "map"); },

  saveView() {
    if (this.fitKey === null) { return; }
    const c = this.map.getCenter();
    try {
      globalThis.sessionStorage.setItem(this.viewKey(), JSON.stringify(
        {fit: this.fitKey, zoom: this.map.getZoom(), center: [c.lat, c.lng]}));
    } catch (e) { /* storage unavailable: the view is kept only while the page lives */ }
  },

  loadView() {
    try { return JSON.parse(globalThis.sessionStorage.getItem(this.viewKey()) || "null"); } catch (e) { return null; }
  },
};
