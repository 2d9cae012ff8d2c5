/* Angebotsfinder: the public, multilingual offer finder (issue #16).
 *
 * Reads two files next to the page: the data (offers, places, map; made from the public
 * view of the inventory) and the messages of all seven languages (from the message
 * catalogue). Every text from the data or the catalogue is set with textContent or as an
 * attribute value, never parsed as HTML. The reader's position ("near me") is used in this
 * page only: it is never sent anywhere and never put into the address.
 */
(function () {
  "use strict";

  var html = document.documentElement;
  var DATA = null;
  var MSGS = null;
  var ORDER = [];
  var lang = null;
  var here = null; /* [e, n] of the reader's position, in memory only */
  var PAGE = 10;

  /* ---- small helpers ------------------------------------------------------------------ */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "on") Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); });
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, String(attrs[key]));
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  /* Own properties only: a name from the address, the storage or the data never reaches
   * Object.prototype ("constructor", "__proto__", "toString" are not languages). */
  function own(object, key) {
    return object !== null && typeof object === "object" && typeof key === "string" &&
      Object.prototype.hasOwnProperty.call(object, key);
  }

  function texts() { return MSGS[lang].t; }

  /* A message of the current language with {placeholders} filled (as plain text). */
  function tr(key, values) {
    var text = own(texts(), key) ? texts()[key] : undefined;
    if (typeof text !== "string") {
      console.error("finder: message missing", key, lang);
      return key;
    }
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function fold(text) {
    return String(text).toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue")
      .replace(/ß/g, "ss").replace(/[^\p{L}\p{N}]+/gu, "");
  }

  function number(value, decimals) {
    var text = value.toFixed(decimals);
    return decimals > 0 ? text.replace(".", MSGS[lang].decimal) : text;
  }

  /* A date in its source's precision: "2017", "2024-08" or "2024-08-01" (ISO). */
  function date(iso) {
    if (!iso) return "";
    var p = iso.split("-");
    if (p.length === 1) return p[0];
    var f = MSGS[lang].date;
    if (p.length === 2) f = f.replace(/[^A-Za-z]dd$/, "").replace(/^dd[^A-Za-z]/, "").replace(/dd/, "");
    return f.replace("yyyy", p[0]).replace("MM", p[1]).replace("dd", p[2] || "");
  }

  /* WGS84 (degrees) -> ETRS89 / UTM zone 32N (EPSG:25832) in metres: Krüger series, GRS80. */
  function utm32(lat, lon) {
    var a = 6378137, f = 1 / 298.257222101, k0 = 0.9996, rad = Math.PI / 180;
    var n = f / (2 - f), e = Math.sqrt(f * (2 - f));
    var A = a / (1 + n) * (1 + n * n / 4 + Math.pow(n, 4) / 64);
    var alpha = [n / 2 - 2 * n * n / 3 + 5 * Math.pow(n, 3) / 16 + 41 * Math.pow(n, 4) / 180,
      13 * n * n / 48 - 3 * Math.pow(n, 3) / 5 + 557 * Math.pow(n, 4) / 1440,
      61 * Math.pow(n, 3) / 240 - 103 * Math.pow(n, 4) / 140,
      49561 * Math.pow(n, 4) / 161280];
    var phi = lat * rad, lam = lon * rad - 9 * rad;
    var t = Math.sinh(Math.atanh(Math.sin(phi)) - e * Math.atanh(e * Math.sin(phi)));
    var xi = Math.atan2(t, Math.cos(lam));
    var eta = Math.atanh(Math.sin(lam) / Math.sqrt(1 + t * t));
    var E = eta, N = xi;
    for (var j = 1; j <= alpha.length; j++) {
      N += alpha[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
      E += alpha[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
    }
    return [500000 + k0 * A * E, k0 * A * N];
  }
  window.finderUtm32 = utm32; /* checked against pyproj by the tests */

  function storageGet(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function storageSet(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function storageRemove(key) { try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ } }

  /* ---- language ----------------------------------------------------------------------- */
  /* ``code`` if the finder has that language (one of the catalogue's, in its order), else null. */
  function knownLanguage(code) {
    return own(MSGS, code) && ORDER.indexOf(code) >= 0 && own(MSGS[code], "t") ? code : null;
  }

  /* The stored choice, checked on read: anything else is removed (a stale or crafted value
   * never decides the page). */
  function storedLanguage() {
    var stored = storageGet("finder.lang");
    if (stored === null) return null;
    if (knownLanguage(stored)) return stored;
    storageRemove("finder.lang");
    return null;
  }

  function askedLanguage() {
    return knownLanguage(new URLSearchParams(window.location.search).get("lang"));
  }

  function preferredLanguage() {
    var asked = askedLanguage();
    if (asked) return { code: asked, chosen: true };
    var stored = storedLanguage();
    if (stored) return { code: stored, chosen: true };
    var wanted = (navigator.languages || [navigator.language || "de"]).map(function (x) { return String(x).slice(0, 2); });
    for (var i = 0; i < wanted.length; i++) if (knownLanguage(wanted[i])) return { code: wanted[i], chosen: false };
    return { code: knownLanguage("de") || ORDER[0], chosen: false };
  }

  function setLanguage(code) {
    lang = code;
    html.setAttribute("lang", MSGS[code].tag);
    html.setAttribute("dir", MSGS[code].dir);
  }

  /* ---- places ------------------------------------------------------------------------- */
  function gemeindeName(index) { return index >= 0 && DATA.gemeinden[index] ? DATA.gemeinden[index][1] : ""; }

  function findPlace(text) {
    var raw = String(text || "").trim();
    if (!raw) return null;
    var code = raw.match(/^(\d{5})\b/);
    if (code) {
      for (var i = 0; i < DATA.postcodes.length; i++) {
        var p = DATA.postcodes[i];
        if (p[0] === code[1]) return { kind: "p", key: p[0], e: p[1], n: p[2], g: p[3], name: p[0] + (p[3] >= 0 ? " " + gemeindeName(p[3]) : "") };
      }
      return undefined;
    }
    var wanted = fold(raw), prefix = [];
    for (var j = 0; j < DATA.gemeinden.length; j++) {
      var g = DATA.gemeinden[j], name = fold(g[1]);
      var place = { kind: "g", key: g[0], e: g[2], n: g[3], g: j, name: g[1] };
      if (name === wanted) return place;
      if (name.indexOf(wanted) === 0) prefix.push(place);
    }
    return prefix.length === 1 ? prefix[0] : undefined;
  }

  function placeFromKey(key) {
    if (!key) return null;
    if (key === "here") return here ? { kind: "here", key: "here", e: here[0], n: here[1], g: -1, name: "" } : null;
    var kind = key.charAt(0), value = key.slice(2);
    if (kind === "g") {
      for (var i = 0; i < DATA.gemeinden.length; i++) {
        var g = DATA.gemeinden[i];
        if (g[0] === value) return { kind: "g", key: g[0], e: g[2], n: g[3], g: i, name: g[1] };
      }
    } else if (kind === "p") {
      var found = findPlace(value);
      return found || null;
    }
    return null;
  }

  /* ---- searching ---------------------------------------------------------------------- */
  function spokenOptions() {
    var codes = {}, other = {};
    DATA.offers.forEach(function (o) {
      (o.l || []).forEach(function (c) { codes[c] = true; });
      (o.lx || []).forEach(function (x) { other[x] = true; });
    });
    var list = Object.keys(codes).map(function (c) { return { value: c, label: tr("finder.lang." + c) }; });
    Object.keys(other).forEach(function (x) { list.push({ value: "~" + x, label: x }); });
    return list.sort(function (a, b) { return a.label.localeCompare(b.label, MSGS[lang].tag); });
  }

  function speaks(offer, spoken) {
    if (!spoken) return true;
    if (spoken.charAt(0) === "~") return (offer.lx || []).indexOf(spoken.slice(1)) >= 0;
    return (offer.l || []).indexOf(spoken) >= 0;
  }

  function search(needCode, place, spoken) {
    var need = DATA.needs.indexOf(needCode);
    var located = [], unlocated = [];
    DATA.offers.forEach(function (o) {
      if (o.d.indexOf(need) < 0 || !speaks(o, spoken)) return;
      if (o.e === undefined) { unlocated.push({ offer: o }); return; }
      var exact = o.p === "exact" || o.p === "address";
      var same = !exact && place.kind === "g" && o.g === place.g;
      var metres = same ? 0 : Math.hypot(o.e - place.e, o.N - place.n);
      located.push({ offer: o, metres: metres, exact: exact, same: same });
    });
    located.sort(function (a, b) { return a.metres - b.metres || a.offer.n.localeCompare(b.offer.n, "de"); });
    return { located: located, unlocated: unlocated };
  }

  function distanceText(hit) {
    if (hit.same) return tr("finder.offer.same_place");
    if (hit.exact) {
      var km = hit.metres / 1000;
      return tr("finder.offer.distance", { km: number(km, km < 10 ? 1 : 0) });
    }
    return tr("finder.offer.distance.approx", { km: number(Math.max(1, Math.round(hit.metres / 1000)), 0) });
  }

  /* ---- routing ------------------------------------------------------------------------ */
  function route() {
    var hash = window.location.hash.replace(/^#/, "");
    var q = hash.indexOf("?");
    var name = q >= 0 ? hash.slice(0, q) : hash;
    var params = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : "");
    return { name: name, params: params };
  }

  function go(hash, replace) {
    if (replace) window.history.replaceState(null, "", "#" + hash);
    else window.history.pushState(null, "", "#" + hash);
    render(true);
  }

  /* ---- screens ------------------------------------------------------------------------ */
  function heading(text) {
    document.title = text + " – " + tr("finder.app.name");
    return el("h1", { id: "screen-heading", tabindex: "-1", text: text });
  }

  function header(showLanguage) {
    var bar = el("div", { class: "bar" }, [
      el("p", { class: "brand" }, [
        el("span", { class: "brand-name", text: tr("finder.app.name") }),
        el("span", { class: "brand-district", text: DATA.district, lang: "de" })
      ])
    ]);
    if (showLanguage) {
      bar.appendChild(el("button", {
        type: "button", class: "link-button", "aria-label": tr("finder.language.change") + " (" + MSGS[lang].name + ")",
        on: { click: function () { go("lang"); } }
      }, [tr("finder.language.change")]));
    }
    return bar;
  }

  function languageScreen(main) {
    main.appendChild(heading(tr("finder.heading.language")));
    main.appendChild(el("p", { text: tr("finder.language.intro") }));
    var list = el("ul", { class: "languages", role: "list" });
    ORDER.filter(knownLanguage).forEach(function (code) {
      var m = MSGS[code];
      list.appendChild(el("li", null, [el("button", {
        type: "button", class: "language", lang: m.tag, dir: m.dir,
        "aria-current": code === lang ? "true" : null,
        on: { click: function () { storageSet("finder.lang", code); setLanguage(code); go("search"); } }
      }, [m.name])]));
    });
    main.appendChild(list);
  }

  function searchScreen(main, params) {
    main.appendChild(heading(tr("finder.heading.search")));
    main.appendChild(el("p", { class: "intro", text: tr("finder.intro", { district: DATA.district }) }));
    var errors = el("div", { id: "form-errors", class: "errors", tabindex: "-1", hidden: true });
    var form = el("form", { id: "search", novalidate: true, "aria-describedby": null });
    form.appendChild(errors);

    var needSet = el("fieldset", { class: "needs", id: "need-group" }, [el("legend", { text: tr("finder.need.legend") })]);
    var chosenNeed = params.get("need");
    DATA.needs.forEach(function (code) {
      var id = "need-" + code;
      needSet.appendChild(el("div", { class: "need" }, [
        el("input", { type: "radio", name: "need", id: id, value: code, checked: code === chosenNeed, "aria-describedby": id + "-hint" }),
        el("label", { for: id }, [
          el("span", { class: "need-name", text: tr("finder.need." + code) })
        ]),
        el("p", { class: "hint", id: id + "-hint", text: tr("finder.need." + code + ".hint") })
      ]));
    });
    form.appendChild(needSet);

    var placeSet = el("fieldset", { class: "place" }, [el("legend", { text: tr("finder.place.legend") })]);
    var initial = placeFromKey(params.get("place"));
    var input = el("input", {
      id: "place", name: "place", type: "text", list: "places", autocomplete: "off", spellcheck: "false",
      "aria-describedby": "place-hint", value: initial && initial.kind !== "here" ? initial.name : ""
    });
    var options = el("datalist", { id: "places" });
    DATA.gemeinden.forEach(function (g) { options.appendChild(el("option", { value: g[1] })); });
    DATA.postcodes.forEach(function (p) { options.appendChild(el("option", { value: p[0] + (p[3] >= 0 ? " " + gemeindeName(p[3]) : "") })); });
    var status = el("p", { id: "here-status", class: "status", "aria-live": "polite" });
    var useHere = initial && initial.kind === "here";
    if (useHere) status.textContent = tr("finder.place.here.active");
    input.addEventListener("input", function () { useHere = false; status.textContent = ""; });
    var hereButton = el("button", { type: "button", id: "here", class: "secondary", "aria-describedby": "here-note" }, [tr("finder.place.here")]);
    hereButton.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = tr("finder.error.geo.unavailable"); return; }
      status.textContent = tr("finder.place.locating");
      navigator.geolocation.getCurrentPosition(function (pos) {
        here = utm32(pos.coords.latitude, pos.coords.longitude);
        try { window.sessionStorage.setItem("finder.here", JSON.stringify(here)); } catch (e) { /* ignore */ }
        useHere = true;
        input.value = "";
        status.textContent = tr("finder.place.here.active");
      }, function (err) {
        status.textContent = err && err.code === 1 ? tr("finder.error.geo.denied") : tr("finder.error.geo.unavailable");
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
    placeSet.appendChild(el("label", { for: "place", text: tr("finder.place.label") }));
    var sample = DATA.postcodes.filter(function (p) { return p[3] >= 0; })[0];
    if (sample) placeSet.appendChild(el("p", { class: "hint", id: "place-hint", text: tr("finder.place.hint", { place: gemeindeName(sample[3]), postcode: sample[0] }) }));
    else input.removeAttribute("aria-describedby");
    placeSet.appendChild(input);
    placeSet.appendChild(options);
    placeSet.appendChild(el("p", { class: "or", text: tr("finder.place.or") }));
    placeSet.appendChild(hereButton);
    placeSet.appendChild(el("p", { class: "hint", id: "here-note", text: tr("finder.place.here.note") }));
    placeSet.appendChild(status);
    form.appendChild(placeSet);

    var spokenList = spokenOptions();
    var spokenBox = el("div", { class: "spoken" });
    if (spokenList.length) {
      var select = el("select", { id: "spoken", name: "spoken" }, [el("option", { value: "", text: tr("finder.spoken.any") })]);
      spokenList.forEach(function (o) {
        select.appendChild(el("option", { value: o.value, text: o.label, selected: o.value === params.get("spoken") }));
      });
      spokenBox.appendChild(el("label", { for: "spoken", text: tr("finder.spoken.label") }));
      spokenBox.appendChild(select);
    } else {
      spokenBox.appendChild(el("p", { class: "hint", text: tr("finder.spoken.none") }));
    }
    form.appendChild(spokenBox);
    form.appendChild(el("button", { type: "submit", class: "primary" }, [tr("finder.search")]));

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var problems = [];
      var need = form.querySelector("input[name=need]:checked");
      var place = useHere && here ? placeFromKey("here") : findPlace(input.value);
      needSet.removeAttribute("aria-invalid");
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", "place-hint");
      if (!need) problems.push({ target: form.querySelector("input[name=need]"), text: tr("finder.error.need.missing") });
      if (place === null) problems.push({ target: input, text: tr("finder.error.place.missing") });
      else if (place === undefined) problems.push({ target: input, text: tr("finder.error.place.unknown", { text: input.value.trim() }) });
      while (errors.firstChild) errors.removeChild(errors.firstChild);
      if (problems.length) {
        errors.hidden = false;
        errors.appendChild(el("p", { id: "form-errors-title", class: "errors-title", text: tr("finder.error.title") }));
        var list = el("ul");
        problems.forEach(function (p) {
          var id = p.target === input ? "place-error" : "need-error";
          list.appendChild(el("li", { id: id, text: p.text }));
          if (p.target === input) {
            input.setAttribute("aria-invalid", "true");
            input.setAttribute("aria-describedby", "place-hint place-error");
          }
        });
        errors.appendChild(list);
        errors.setAttribute("role", "alert");
        problems[0].target.focus();
        return;
      }
      var q = new URLSearchParams();
      q.set("need", need.value);
      q.set("place", place.kind === "here" ? "here" : place.kind + ":" + place.key);
      var spoken = form.querySelector("#spoken");
      if (spoken && spoken.value) q.set("spoken", spoken.value);
      go("results?" + q.toString());
    });
    main.appendChild(form);
  }

  function contactNodes(text) {
    var parts = String(text).split(/\s*;\s*|\s*,\s+(?=[^\d])|\s*\n\s*/).filter(Boolean);
    var nodes = [];
    parts.forEach(function (part, i) {
      if (i > 0) nodes.push(el("br"));
      var mail = part.match(/^(?:e-?mail:?\s*)?([^\s@]+@[^\s@]+\.[^\s@]+)$/i);
      var phone = part.match(/^(?:tel(?:efon)?\.?:?\s*|phone:?\s*)?(\+?[\d][\d\s/()-]{4,}\d)$/i);
      var web = part.match(/^(?:web:?\s*)?((?:https?:\/\/|www\.)\S+)$/i);
      if (mail) nodes.push(el("a", { href: "mailto:" + mail[1], text: part }));
      else if (phone) nodes.push(el("a", { href: "tel:" + phone[1].replace(/[^\d+]/g, ""), text: part }));
      else if (web) {
        var url = null;
        try { url = new URL(/^www\./i.test(web[1]) ? "https://" + web[1] : web[1]); } catch (e) { url = null; }
        nodes.push(url && (url.protocol === "https:" || url.protocol === "http:") ? el("a", { href: url.href, text: part }) : el("span", { text: part }));
      } else nodes.push(el("span", { text: part }));
    });
    return nodes;
  }

  function row(list, label, valueNodes) {
    list.appendChild(el("dt", { text: label }));
    list.appendChild(el("dd", null, valueNodes));
  }

  function offerCard(hit, number) {
    var o = hit.offer;
    var id = "offer-" + (number || "u" + DATA.offers.indexOf(o));
    var card = el("li", { class: "offer" + (hit.exact ? "" : " approx"), id: id, "aria-labelledby": id + "-name" });
    var title = el("h2", { class: "offer-name" }, [
      number ? el("span", { class: "badge", "aria-hidden": "true", text: String(number) }) : null,
      el("span", { id: id + "-name", lang: "de", dir: "auto", text: o.n })
    ]);
    card.appendChild(title);
    card.appendChild(el("p", { class: "category", text: tr("finder.cat." + DATA.categories[o.c]) }));
    var facts = el("dl");
    if (hit.metres !== undefined) row(facts, tr("finder.offer.distance.label"), [el("span", { class: "distance", text: distanceText(hit) })]);
    var where;
    if (o.e === undefined) where = [el("span", { text: tr("finder.offer.unknown_place") })];
    else if (hit.exact) {
      var line = [o.a, [o.z, o.o || gemeindeName(o.g)].filter(Boolean).join(" ")].filter(Boolean).join(", ");
      where = [el("span", { lang: "de", dir: "auto", text: line || gemeindeName(o.g) })];
    } else {
      where = [el("span", { class: "approx-label", text: tr("finder.offer.approx") }), ": ",
        el("span", { lang: "de", dir: "auto", text: [o.z, o.o || gemeindeName(o.g)].filter(Boolean).join(" ") })];
    }
    row(facts, tr("finder.offer.where"), where);
    if (o.op) row(facts, tr("finder.offer.operator"), [el("span", { lang: "de", dir: "auto", text: o.op })]);
    if (o.k) row(facts, tr("finder.offer.contact"), contactNodes(o.k));
    var langs = (o.l || []).map(function (c) { return tr("finder.lang." + c); }).concat(o.lx || []);
    if (langs.length) row(facts, tr("finder.offer.languages"), [langs.join(", ")]);
    var groups = (o.t || []).map(function (c) { return tr("finder.group." + c); }).concat(o.tx || []);
    if (groups.length) row(facts, tr("finder.offer.groups"), [groups.join(", ")]);
    row(facts, tr("finder.offer.checked.label"), [o.v ? tr("finder.offer.checked", { date: date(o.v) }) : tr("finder.offer.unchecked", { date: date(o.r) })]);
    if (o.s !== undefined) row(facts, tr("finder.offer.source"), [el("span", { lang: "de", dir: "auto", text: DATA.sources[o.s] })]);
    card.appendChild(facts);
    if (o.w) {
      card.appendChild(el("p", { class: "maplink" }, [el("a", { href: "geo:" + o.w[0] + "," + o.w[1], text: tr("finder.offer.open_map") })]));
    }
    return card;
  }

  function mapFigure(place, hits) {
    var box = [place.e, place.n, place.e, place.n];
    hits.forEach(function (h) {
      box[0] = Math.min(box[0], h.offer.e); box[1] = Math.min(box[1], h.offer.N);
      box[2] = Math.max(box[2], h.offer.e); box[3] = Math.max(box[3], h.offer.N);
    });
    var w = Math.max(box[2] - box[0], 4000), hgt = Math.max(box[3] - box[1], 3000);
    if (w / hgt < 4 / 3) w = hgt * 4 / 3; else hgt = w * 3 / 4;
    w *= 1.25; hgt *= 1.25;
    var cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    var view = [cx - w / 2, -(cy + hgt / 2), w, hgt];
    var r = w / 30;
    var title = tr("finder.map.label", { place: place.kind === "here" ? tr("finder.place.here.name") : place.name });
    var drawing = svg("svg", { viewBox: view.map(function (v) { return v.toFixed(0); }).join(" "), role: "img", "aria-labelledby": "map-title", class: "map", preserveAspectRatio: "xMidYMid meet" }, [
      svg("title", { id: "map-title", text: title }),
      svg("path", { d: DATA.map.gemeinden, class: "gemeinden" }),
      svg("path", { d: DATA.map.city, class: "city" }),
      svg("path", { d: DATA.map.outline, class: "outline" })
    ]);
    var seen = {};
    hits.forEach(function (h, i) {
      var key = h.offer.e + "," + h.offer.N;
      var k = seen[key] = (seen[key] || 0) + 1;
      var angle = (k - 1) * 2.4, shift = k > 1 ? r * 1.6 * Math.sqrt(k - 1) : 0;
      var x = h.offer.e + shift * Math.cos(angle), y = -h.offer.N + shift * Math.sin(angle);
      drawing.appendChild(svg("g", { class: "marker" + (h.exact ? "" : " approx") }, [
        svg("circle", { cx: x.toFixed(0), cy: y.toFixed(0), r: r.toFixed(0) }),
        svg("text", { x: x.toFixed(0), y: y.toFixed(0), "font-size": (r * 1.2).toFixed(0), dy: "0.35em", "text-anchor": "middle", text: String(i + 1) })
      ]));
    });
    var s = r * 0.9;
    drawing.appendChild(svg("path", {
      class: "here",
      d: "M" + (place.e - s).toFixed(0) + " " + (-place.n).toFixed(0) + "L" + place.e.toFixed(0) + " " + (-place.n - s).toFixed(0) +
        "L" + (place.e + s).toFixed(0) + " " + (-place.n).toFixed(0) + "L" + place.e.toFixed(0) + " " + (-place.n + s).toFixed(0) + "Z"
    }));
    if (place.kind !== "here") {
      drawing.appendChild(svg("text", { class: "place-label", x: (place.e + s * 1.4).toFixed(0), y: (-place.n).toFixed(0), dy: "0.35em", "font-size": (r * 1.3).toFixed(0), text: place.name }));
    }
    var legend = el("ul", { class: "legend", role: "list" }, [
      el("li", null, [el("span", { class: "key key-place", "aria-hidden": "true" }), tr("finder.map.legend.place")]),
      el("li", null, [el("span", { class: "key key-exact", "aria-hidden": "true" }), tr("finder.map.legend.exact")]),
      el("li", null, [el("span", { class: "key key-approx", "aria-hidden": "true" }), tr("finder.map.legend.approx")])
    ]);
    return el("figure", { class: "map-figure" }, [drawing, el("figcaption", null, [
      el("p", { class: "hint", text: tr("finder.map.note") }), legend,
      el("p", { class: "attribution", lang: "de", dir: "ltr", text: DATA.attribution.join(" · ") })
    ])]);
  }

  function resultsScreen(main, params) {
    var needCode = params.get("need");
    var place = placeFromKey(params.get("place"));
    if (DATA.needs.indexOf(needCode) < 0 || !place) { go("search", true); return false; }
    var spoken = params.get("spoken") || "";
    var found = search(needCode, place, spoken);
    var shown = Math.min(found.located.length, Math.max(PAGE, parseInt(params.get("n") || "0", 10) || PAGE));
    var back = el("button", { type: "button", class: "link-button back", on: { click: function () {
      var q = new URLSearchParams(params.toString()); q.delete("n"); go("search?" + q.toString());
    } } }, [tr("finder.results.back")]);
    main.appendChild(el("nav", { "aria-label": tr("finder.results.nav") }, [back]));
    var need = tr("finder.need." + needCode);
    main.appendChild(heading(place.kind === "here" ? tr("finder.results.heading.here", { need: need }) : tr("finder.results.heading", { need: need, place: place.name })));
    var summary = el("p", { class: "summary", id: "summary" }, [tr("finder.results.count", { n: String(found.located.length + found.unlocated.length) })]);
    if (found.located.length) summary.appendChild(document.createTextNode(" " + tr("finder.results.sorted")));
    if (spoken) summary.appendChild(document.createTextNode(" " + tr("finder.results.spoken", { language: spoken.charAt(0) === "~" ? spoken.slice(1) : tr("finder.lang." + spoken) })));
    main.appendChild(summary);
    if (!found.located.length && !found.unlocated.length) {
      main.appendChild(el("p", { class: "empty", text: tr("finder.results.none") }));
      main.appendChild(el("p", { text: tr("finder.results.none.hint") }));
      return true;
    }
    var hits = found.located.slice(0, shown);
    if (hits.length) main.appendChild(mapFigure(place, hits));
    if (hits.some(function (h) { return !h.exact; })) main.appendChild(el("p", { class: "hint", text: tr("finder.results.approx_note") }));
    var list = el("ol", { class: "results", role: "list", "aria-label": tr("finder.results.list") });
    hits.forEach(function (h, i) { list.appendChild(offerCard(h, i + 1)); });
    if (hits.length) main.appendChild(list);
    if (found.located.length > shown) {
      main.appendChild(el("button", { type: "button", class: "secondary more", on: { click: function () {
        var q = new URLSearchParams(params.toString()); q.set("n", String(shown + PAGE));
        window.history.replaceState(null, "", "#results?" + q.toString());
        render(false);
        var next = document.getElementById("offer-" + (shown + 1));
        if (next) { next.setAttribute("tabindex", "-1"); next.focus(); }
      } } }, [tr("finder.results.more")]));
    }
    if (found.unlocated.length) {
      var section = el("section", { "aria-labelledby": "unlocated-heading", class: "unlocated" }, [
        el("h2", { id: "unlocated-heading", text: tr("finder.results.unlocated") }),
        el("p", { class: "hint", text: tr("finder.results.unlocated.hint") })
      ]);
      var others = el("ul", { class: "results", role: "list" });
      found.unlocated.forEach(function (h) { others.appendChild(offerCard(h, 0)); });
      section.appendChild(others);
      main.appendChild(section);
    }
    return true;
  }

  function footer() {
    var parts = [
      el("p", { text: tr("finder.footer.data", { district: DATA.district, date: date(DATA.generated) }) }),
      el("p", { id: "offline-status", class: "status", "aria-live": "polite", text: offlineText() })
    ];
    return parts;
  }

  var swReady = false;
  function offlineText() {
    if (!navigator.onLine) return tr("finder.offline.now", { date: date(DATA.generated) });
    return swReady ? tr("finder.offline.ready") : "";
  }
  function refreshStatus() {
    var node = document.getElementById("offline-status");
    if (node) node.textContent = offlineText();
  }

  /* ---- drawing a screen --------------------------------------------------------------- */
  function render(moveFocus) {
    var r = route();
    var top = document.getElementById("top");
    var main = document.getElementById("main");
    var foot = document.getElementById("foot");
    [top, main, foot].forEach(function (node) { while (node.firstChild) node.removeChild(node.firstChild); });
    var chosen = storedLanguage() || askedLanguage();
    var name = r.name || (chosen ? "search" : "lang");
    if (name === "lang") languageScreen(main);
    else if (name === "results") { if (!resultsScreen(main, r.params)) return; }
    else searchScreen(main, r.params);
    top.appendChild(header(name !== "lang"));
    footer().forEach(function (node) { foot.appendChild(node); });
    document.getElementById("skip").textContent = tr("finder.skip");
    if (moveFocus) {
      var h = document.getElementById("screen-heading");
      if (h) h.focus();
    }
  }

  function fail(error) {
    console.error("finder:", error);
    var main = document.getElementById("main");
    while (main.firstChild) main.removeChild(main.firstChild);
    main.appendChild(el("h1", { text: MSGS && lang ? tr("finder.error.data") : "Die Daten konnten nicht geladen werden. / The data could not be loaded." }));
  }

  function start() {
    var dataUrl = html.getAttribute("data-data"), messagesUrl = html.getAttribute("data-messages");
    Promise.all([fetch(dataUrl).then(function (r) { if (!r.ok) throw new Error(dataUrl + ": " + r.status); return r.json(); }),
      fetch(messagesUrl).then(function (r) { if (!r.ok) throw new Error(messagesUrl + ": " + r.status); return r.json(); })])
      .then(function (loaded) {
        DATA = loaded[0];
        MSGS = loaded[1].languages;
        ORDER = loaded[1].order;
        if (DATA.format !== 1) throw new Error("unknown data format " + DATA.format);
        var pref = preferredLanguage();
        setLanguage(pref.code);
        if (pref.chosen) storageSet("finder.lang", pref.code);
        try { var kept = JSON.parse(window.sessionStorage.getItem("finder.here") || "null"); if (kept && kept.length === 2) here = kept; } catch (e) { here = null; }
        window.addEventListener("popstate", function () { render(true); });
        window.addEventListener("online", refreshStatus);
        window.addEventListener("offline", refreshStatus);
        render(false);
        html.setAttribute("data-ready", "true");
      })
      .catch(fail);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("sw.js").then(function () {
        return navigator.serviceWorker.ready;
      }).then(function () {
        swReady = true;
        if (MSGS) refreshStatus();
        html.setAttribute("data-offline-ready", "true");
      }).catch(function (error) { console.warn("finder: no offline copy", error); });
    }
  }

  document.getElementById("skip").addEventListener("click", function (event) {
    event.preventDefault(); /* the address keeps the screen; only the focus moves */
    document.getElementById("main").focus();
  });
  start();
})();
