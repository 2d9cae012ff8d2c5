"""Open a styled GeoPackage in QGIS and render it (run by Debian's python3 with PyQGIS).

Usage: ``python3 tests/qgis_render.py ATLAS.gpkg OUT.png LAYER [LAYER ...]``

Each layer is opened the way QGIS opens it for a user (its default style from the
``layer_styles`` table); the layers are drawn together into ``OUT.png`` (the first layer
on top), and what QGIS understood of each style is printed as JSON: renderer type,
classified field and the categories with their labels and colours. Used by
``tests/unit/test_gpkg_styles.py`` when QGIS is installed; not part of the package.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402 - the platform must be set first
    QgsApplication,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def main(gpkg: str, out: str, names: list[str]) -> int:
    app = QgsApplication([], False)
    app.initQgis()
    layers, report = [], {}
    for name in names:
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if not layer.isValid():
            print(json.dumps({"error": f"layer {name} not valid"}))
            return 2
        renderer = layer.renderer()
        info = {"renderer": renderer.type(), "features": layer.featureCount()}
        if renderer.type() == "categorizedSymbol":
            info["field"] = renderer.classAttribute()
            info["categories"] = [
                {
                    "value": str(c.value()),
                    "label": c.label(),
                    "color": c.symbol().color().name(),
                }
                for c in renderer.categories()
            ]
        report[name] = info
        layers.append(layer)
    extent = QgsRectangle()
    for layer in layers:
        extent.combineExtentWith(layer.extent())
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setBackgroundColor(QColor("white"))
    settings.setOutputSize(QSize(900, 700))
    settings.setDestinationCrs(layers[-1].crs())
    settings.setExtent(extent.buffered(extent.width() * 0.02))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(out, "png")
    print(json.dumps(report, ensure_ascii=False), flush=True)
    # QGIS 3.22 may crash while tearing down layers at exit: leave without the teardown
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
