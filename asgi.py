"""The dashboard as one ASGI application: Streamlit (``app.py``) behind the HTTP guard.

``make run`` serves this file (``streamlit run asgi.py``): bound to localhost, requests with
a foreign ``Host`` refused, security headers on every response, ``/_stcore/metrics`` hidden
(:mod:`dashboard.ui.httpguard`). The multi-process deployment (``python -m dashboard serve``)
runs it behind nginx.
"""

from starlette.middleware import Middleware
from streamlit.starlette import App

from dashboard.config import REPO_ROOT
from dashboard.ui.httpguard import HttpGuard
from dashboard.ui.warmup import lifespan

# the first view is prepared before the first request (dashboard/ui/warmup.py)
app = App(str(REPO_ROOT / "app.py"), middleware=[Middleware(HttpGuard)], lifespan=lifespan)
