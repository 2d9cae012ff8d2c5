"""Streamlit's own words in the user's language: one script, once per page run.

Streamlit (1.67) writes the texts of its own controls in English and offers no setting for
them: the multiselect's "Choose options" and "Select all", the uploader's "Upload" and
"25MB per file", the table toolbar's "Search", "Download as CSV" and "Fullscreen",
"Skip to main content", the "+"/"-" of a number input, "Running...", and the labels screen
readers hear ("Remove Kita", "Help for Radius"). :func:`chrome` puts one small script on
every page that swaps these texts for the catalogue's words (``chrome.*`` messages) in the
page's language, whenever Streamlit writes them: a ``MutationObserver`` on the document
sees every text and label Streamlit adds or changes (reruns, opened lists, tooltips), and
the original English of each swapped text is remembered, so switching the language swaps
back. It also sets the document's ``lang`` (screen readers, hyphenation). Only a whole text
or label equal to one of Streamlit's is swapped (an offer's name sits in a sentence or a
table), and tables, code and text marked with a ``lang`` are never touched.

The table of Streamlit's texts lives here (:data:`CHROME_TEXTS`, :data:`CHROME_PATTERNS`,
:data:`CHROME_COUNTS`), their words in the catalogue. ``tests/unit/test_chrome.py``
checks that each text is still one Streamlit's frontend writes (an upgrade that renames
one fails there), and the browser test ``tests/e2e/test_one_language_browser.py`` walks
every page in both languages.

What no script can reach is drawn on a canvas: an empty ``st.dataframe`` paints
"empty" into the grid, so pages show a caption instead of an empty table.

The script runs inline (the Content-Security-Policy, :mod:`dashboard.domain.webpolicy`,
allows inline scripts and nothing from elsewhere) and loads nothing.
"""

from __future__ import annotations

import json
from functools import lru_cache

import streamlit as st

from dashboard.i18n.catalogue import LOCALES, N_, t, tn

#: Streamlit's texts (exactly as its frontend writes them) and the catalogue key of each;
#: the English message is Streamlit's text itself.
CHROME_TEXTS: dict[str, str] = {
    "Add files": N_("chrome.add_files"),
    "add icon": N_("chrome.icon_add"),
    "App pages": N_("chrome.app_pages"),
    "Choose an option": N_("chrome.choose_one"),
    "Choose date": N_("chrome.choose_date"),
    "Choose date range": N_("chrome.choose_date_range"),
    "Choose options": N_("chrome.choose_many"),
    "Clear all": N_("chrome.clear_all"),
    "Clear date": N_("chrome.clear_date"),
    "Clear dates": N_("chrome.clear_dates"),
    "Clear entry": N_("chrome.clear_entry"),
    "Clear value": N_("chrome.clear_value"),
    "Close": N_("chrome.close"),
    "Close fullscreen": N_("chrome.close_fullscreen"),
    "Close Search": N_("chrome.close_search"),
    "Collapse sidebar": N_("chrome.collapse_sidebar"),
    "Connecting": N_("chrome.connecting"),
    "Connection error": N_("chrome.connection_error"),
    "Copy to clipboard": N_("chrome.copy"),
    "Decrement": N_("chrome.decrement"),
    "delete icon": N_("chrome.icon_delete"),
    "Dismiss": N_("chrome.dismiss"),
    "Download as CSV": N_("chrome.download_csv"),
    "Drag and drop a file here": N_("chrome.drop_file"),
    "Drag and drop directories here": N_("chrome.drop_directories"),
    "Drag and drop files here": N_("chrome.drop_files"),
    "Exit fullscreen": N_("chrome.exit_fullscreen"),
    "Expand sidebar": N_("chrome.expand_sidebar"),
    "file upload": N_("chrome.file_upload"),
    "Fullscreen": N_("chrome.fullscreen"),
    "Hide column": N_("chrome.hide_column"),
    "Hide password": N_("chrome.hide_password"),
    "Increment": N_("chrome.increment"),
    "Link to heading": N_("chrome.link_to_heading"),
    "Main menu": N_("chrome.main_menu"),
    "Multiselect options": N_("chrome.multiselect_options"),
    "Next month": N_("chrome.next_month"),
    "Next page": N_("chrome.next_page"),
    "No options": N_("chrome.no_options"),
    "No results": N_("chrome.no_results"),
    "Open": N_("chrome.open"),
    "PageDown": N_("chrome.key_page_down"),
    "PageUp": N_("chrome.key_page_up"),
    "Pin column": N_("chrome.pin_column"),
    "Please wait...": N_("chrome.please_wait"),
    "Press Ctrl+Enter to apply": N_("chrome.ctrl_enter_apply"),
    "Press Ctrl+Enter to submit form": N_("chrome.ctrl_enter_submit"),
    "Press Enter to apply": N_("chrome.enter_apply"),
    "Press Enter to submit form": N_("chrome.enter_submit"),
    "Press ⌘+Enter to apply": N_("chrome.cmd_enter_apply"),
    "Press ⌘+Enter to submit form": N_("chrome.cmd_enter_submit"),
    "Previous month": N_("chrome.previous_month"),
    "Previous page": N_("chrome.previous_page"),
    "Rerun": N_("chrome.rerun"),
    "Running...": N_("chrome.running"),
    "Search": N_("chrome.search"),
    "Select all": N_("chrome.select_all"),
    "Selectbox options": N_("chrome.selectbox_options"),
    "Selected values": N_("chrome.selected_values"),
    "Show password": N_("chrome.show_password"),
    "Show/hide columns": N_("chrome.show_hide_columns"),
    "Sidebar": N_("chrome.sidebar"),
    "Skip to main content": N_("chrome.skip_to_content"),
    "Sort ascending": N_("chrome.sort_ascending"),
    "Sort descending": N_("chrome.sort_descending"),
    "Stop": N_("chrome.stop"),
    "Stopping...": N_("chrome.stopping"),
    "Unpin column": N_("chrome.unpin_column"),
    "Upload": N_("chrome.upload"),
    "Upload directories": N_("chrome.upload_directories"),
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": N_(
        "chrome.calendar_keys"
    ),
    "View less": N_("chrome.view_less"),
}

#: Titles Streamlit gives the frames of custom components (the component's module name,
#: which a screen reader reads out) and the key of the words instead.
COMPONENT_TITLES: dict[str, str] = {"dashboard.ui.mapview.ia_map": N_("chrome.map_frame")}

#: Streamlit's texts with one variable part: a regular expression whose group 1 is that
#: part, and the key of a message with ``{value}`` in its place.
CHROME_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(.+) per file", N_("chrome.per_file")),
    (r"(.+), selected", N_("chrome.selected")),
    (r"Help for (.+)", N_("chrome.help_for")),
    (r"Remove (.+)", N_("chrome.remove")),
    (r"Select (\d+) matches", N_("chrome.select_matches")),
    (r"Shortcut (.+)", N_("chrome.shortcut")),
    (r"View (\d+) more", N_("chrome.view_more")),
)


#: Texts the date field's library (React Aria) composes from Streamlit's label and the
#: browser's own names of a date's parts (``Intl.DisplayNames``, in the language the browser
#: started with): "day, Stand der Liste", "Choose date, Dezember 2026".
INTL_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"Choose date, (.+)", N_("chrome.choose_date_shown")),
    (r"day, (.+)", N_("chrome.field_day")),
    (r"month, (.+)", N_("chrome.field_month")),
    (r"year, (.+)", N_("chrome.field_year")),
)


#: Streamlit's texts with a count (group 1).
CHROME_COUNTS: tuple[str, ...] = (r"(\d+) options? available\.",)


def _counts(lang: str) -> tuple[tuple[str, str, str], ...]:
    """:data:`CHROME_COUNTS` with the words for one and for many (``{n}`` for the count)."""
    one, many = (tn("chrome.options_available", n, lang, n="{n}") for n in (1, 2))
    return ((CHROME_COUNTS[0], one, many),)


_SCRIPT = """(() => {
  const cfg = __CONFIG__;
  const w = window, ATTRS = ["aria-label", "title", "placeholder", "aria-placeholder"];
  const rx = (list) => list.map(([src, ...rest]) => [new RegExp("^" + src + "$"), ...rest]);
  w.__iaChrome = {exact: cfg.exact, patterns: rx(cfg.patterns), counts: rx(cfg.counts)};
  document.documentElement.lang = cfg.lang;
  // widgets that follow the browser's language (the date field's "day", the calendar's
  // month names) follow the page's instead
  if (navigator.language !== cfg.locale) {
    Object.defineProperty(navigator, "language", {configurable: true, get: () => cfg.locale});
    Object.defineProperty(navigator, "languages", {configurable: true, get: () => [cfg.locale]});
    w.dispatchEvent(new Event("languagechange"));
  }
  const done = w.__iaChromeDone || (w.__iaChromeDone = new WeakMap());
  const word = (s) => {
    const c = w.__iaChrome, key = s.trim();
    if (!key) return s;
    let out = Object.prototype.hasOwnProperty.call(c.exact, key) ? c.exact[key] : undefined;
    for (const [re, tpl] of c.patterns) {
      if (out !== undefined) break;
      const m = key.match(re);
      if (m) out = tpl.split("{value}").join(m[1]);
    }
    for (const [re, one, many] of c.counts) {
      if (out !== undefined) break;
      const m = key.match(re);
      if (m) out = (m[1] === "1" ? one : many).split("{n}").join(m[1]);
    }
    return out === undefined ? s : s.replace(key, out);
  };
  // the page's own content is never swapped: code, tables, text marked with a language
  const KEEP = "script, style, noscript, textarea, code, [data-ia-keep], [lang]:not(html), " +
    "[data-testid=stTable], [data-testid=stDataFrame] table";
  const kept = (el) => !el || !!el.closest(KEEP);
  const swap = (owner, name, now, set) => {
    const memo = done.get(owner) || {}, last = memo[name];
    const source = last && last.out === now ? last.src : now;
    const out = word(source);
    if (out !== now) set(out);
    if (out !== source) { memo[name] = {src: source, out}; done.set(owner, memo); }
    else if (last) { delete memo[name]; }
  };
  const text = (node) => {
    if (kept(node.parentElement)) return;
    swap(node, "#text", node.nodeValue, (v) => { node.nodeValue = v; });
  };
  const attrs = (el) => {
    if (kept(el)) return;
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      if (v) swap(el, a, v, (out) => el.setAttribute(a, out));
    }
  };
  const walk = (root) => {
    if (root.nodeType === 3) { text(root); return; }
    if (root.nodeType !== 1) return;
    attrs(root);
    const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) { if (n.nodeType === 3) text(n); else attrs(n); }
  };
  if (!w.__iaChromeObserver) {
    w.__iaChromeObserver = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "childList") r.addedNodes.forEach(walk);
        else if (r.type === "characterData") text(r.target);
        else attrs(r.target);
      }
    });
    w.__iaChromeObserver.observe(document.documentElement, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ATTRS});
  }
  walk(document.body);
})();"""

#: Hides the element that carries the script (it shows nothing and takes no space).
_STYLE = (
    '<style>[data-testid="stElementContainer"]:has(script[data-ia-chrome]){display:none}</style>'
)


def chrome_words(lang: str) -> dict[str, object]:
    """What the script swaps in ``lang``: Streamlit's texts and the catalogue's words.

    Returns
    -------
    dict
        ``lang`` and its ``locale`` (``de-DE``, ``en-GB``: what the browser's language
        seems to be for widgets that follow it); ``exact`` (Streamlit's text -> the words); ``patterns`` (expression,
        words with ``{value}``); ``counts`` (expression, words for one, for many, with
        ``{n}``). Only texts whose words differ from Streamlit's English are listed.
    """
    exact = {src: t(key, lang) for src, key in (CHROME_TEXTS | COMPONENT_TITLES).items()}
    patterns = [
        [p, t(key, lang, value="{value}")]
        for p, key in CHROME_PATTERNS + INTL_PATTERNS
        if t(key, lang, value="{value}") != t(key, "en", value="{value}")
    ]
    english = _counts("en")
    return {
        "lang": lang,
        "locale": LOCALES[lang].replace("_", "-"),
        "exact": {src: out for src, out in exact.items() if out != src},
        "patterns": patterns,
        "counts": [list(c) for c, e in zip(_counts(lang), english, strict=True) if c != e],
    }


@lru_cache(maxsize=4)
def chrome_html(lang: str) -> str:
    """The ``<script>`` (and the style hiding its element) for ``lang``."""
    config = json.dumps(chrome_words(lang), ensure_ascii=False).replace("<", "\\u003c")
    script = _SCRIPT.replace("__CONFIG__", config)
    return f"{_STYLE}<script data-ia-chrome>{script}</script>"


def chrome(lang: str) -> None:
    """Put Streamlit's own controls into ``lang`` on this page (call once per run).

    Parameters
    ----------
    lang
        ``de`` or ``en``.
    """
    st.html(chrome_html(lang), unsafe_allow_javascript=True)
