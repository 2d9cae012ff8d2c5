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
  // the page is still being drawn: try until the sidebar is closed, for a while only
  // (10 s and at least 40 tries: a busy phone may run the first try late and the next
  // only seconds later); once closed, it is left to the person
  const until = performance.now() + 10000;
  let tries = 0;
  const attempt = () => {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (sidebar && sidebar.getAttribute("data-collapsed") === "true") { return; }
    const close = sidebar && sidebar.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) { close.click(); }
    tries += 1;
    if (performance.now() < until || tries < 40) { setTimeout(attempt, 150); }
  };
  attempt();
}
