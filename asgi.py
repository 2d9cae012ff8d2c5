"""The dashboard as one ASGI application: Streamlit (``app.py``) behind the HTTP guard.

``make run`` serves this file (``streamlit run asgi.py``): bound to localhost, requests with
a foreign ``Host`` refused, security headers on every response, ``/_stcore/metrics`` hidden
(:mod:`dashboard.ui.httpguard`). The multi-process deployment (``python -m dashboard serve``)
runs it behind nginx. The OGC API – Features service answers at ``/ogc/``, behind the same
guard (:mod:`dashboard.ogc.app`, ``docs/ogc.md``).
"""

from starlette.middleware import Middleware
from starlette.routing import Mount
from streamlit.starlette import App

from dashboard.config import REPO_ROOT
from dashboard.ogc.app import ogc_app
from dashboard.ui.httpguard import HttpGuard
from dashboard.ui.warmup import lifespan

# the first view is prepared before the first request (dashboard/ui/warmup.py)
app = App(
    str(REPO_ROOT / "app.py"),
    middleware=[Middleware(HttpGuard)],
    routes=[Mount("/ogc", app=ogc_app)],
    lifespan=lifespan,
)
