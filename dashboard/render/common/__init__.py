"""What the web map and the printed outputs share: symbols, the legend's words, styles and
the words for dates. :mod:`dashboard.render.web` and :mod:`dashboard.render.print` both
import from here and never from each other."""
