/* Integrationsatlas map: the "Projektstandorte" layer (one symbol per project status).
 *
 * A small addition to atlas.js: after each update atlas.js calls
 * IAtlasProjects.apply(atlas, spec). The sites travel as their own resource
 * (spec.res.projects, dashboard/render/web/project_sites.py); every text is set with
 * textContent, the only markup is the status symbol built on the server from constants.
 */
(function (global) {
  "use strict";

  function rows(P, i) {
    return [[P.texts.title, P.title[i]],
            [P.texts.status, P.labels[P.status[i]] + " (" + P.texts.since + " " + P.since[i] + ")"],
            [P.texts.place, P.place[i]]];
  }

  function draw(atlas, P) {
    var group = atlas.projectGroup;
    group.clearLayers();
    if (!P) { return; }
    for (var i = 0; i < P.n; i++) {
      (function (i) {
        var approx = P.approx[i] ? 1 : 0, code = P.codes[P.status[i]];
        var m = L.marker([P.lat[i], P.lng[i]], {
          pane: "iaProjects", keyboard: true, riseOnHover: true, title: P.title[i], alt: P.title[i],
          icon: L.divIcon({
            html: P.svg[P.status[i]][approx],  // trusted: built on the server from constants
            className: "ia-project ia-project-" + code + (approx ? " ia-approx" : ""),
            iconSize: [22, 22], iconAnchor: [11, 11]
          })
        });
        m.on("mouseover focus", function () {
          atlas.showTip(function () { return rows(P, i); },
                        atlas.map.latLngToContainerPoint(m.getLatLng()), m);
        });
        m.on("mouseout blur", function () { atlas.hideTip(); });
        group.addLayer(m);
      })(i);
    }
  }

  function apply(atlas, args) {
    if (!atlas.projectGroup) {
      atlas.map.createPane("iaProjects").style.zIndex = 630;
      atlas.projectGroup = L.layerGroup().addTo(atlas.map);
    }
    var name = args.layers && args.layers.projects ? args.res.projects : null;
    if (atlas.projectsName === name) { return; }
    atlas.projectsName = name;
    if (!name) { draw(atlas, null); return; }
    atlas.load(name).then(function (P) {
      if (atlas.projectsName === name) { draw(atlas, P); }
    }).catch(function (err) { atlas.fail(err); });
  }

  global.IAtlasProjects = {apply: apply};
})(window);
