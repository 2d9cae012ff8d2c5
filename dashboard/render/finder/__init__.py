"""The public offer finder ("Mediale Plattform", issue #16) as a static site.

* :mod:`.needs`: residents' needs and how they map onto categories and Handlungsfelder;
  recognised languages and target groups.
* :mod:`.payload`: the one compact data file, made from the public view only.
* :mod:`.geometry`: the small map's boundaries as SVG paths in EPSG:25832.
* :mod:`.site`: writes the folder (page, script, styles, data, messages, service worker).
* ``assets/``: ``finder.js``, ``finder.css``, ``sw.js``, ``index.html``, ``icon.svg``,
  written for this project (no library, no CDN).

The service (:mod:`dashboard.services.finder`) feeds it the public view; the command
``python -m dashboard finder --out DIR`` and the app route use the service.
"""
