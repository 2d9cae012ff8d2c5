// The app's page, not the map: after a page was chosen on a narrow screen, where the
// sidebar lies over the page, the sidebar is closed so the chosen page is in sight (as a
// person expects from a menu). A Streamlit Custom Component (v2) without a view of its own.
//
// data = {close: token or "", narrow: px}: the server sends a new token in the run that
// opened another page; each token closes the sidebar once.

const done = new Set();

export default function follow(component) {
  const { data } = component;
  if (!data.close || done.has(data.close)) { return; }
  done.add(data.close);
  if (!globalThis.matchMedia("(max-width: " + data.narrow + "px)").matches) { return; }
  // the page is still being drawn: try until the sidebar is closed, for a moment only
  const until = performance.now() + 3000;
  const attempt = () => {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (sidebar && sidebar.getAttribute("data-collapsed") === "true") { return; }
    const close = sidebar && sidebar.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) { close.click(); }
    if (performance.now() < until) { setTimeout(attempt, 150); }
  };
  attempt();
}
