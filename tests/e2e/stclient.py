"""A minimal Streamlit client for the tests: what a browser's page sends over the WebSocket,
without the browser.

Used where a browser cannot do what the test needs: forty sign-ins sent at the same moment,
or a connection that presents another browser's session id. It speaks Streamlit's own
protocol (``streamlit.proto``): it loads the page (cookies: XSRF, the route through nginx,
the guard's browser cookie), connects to ``/_stcore/stream`` (optionally asking to resume a
session id, as the frontend does after a disconnect), asks for a run of a page, and reads
the elements the run sends (texts of markdown and alerts, ids of widgets by label). A
sign-in is the form's values and its submit button in one run, as the frontend sends them.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
#: What a sign-in ends with (German): signed in, failed, or throttled.
SIGNED_IN, FAILED, THROTTLED = "Angemeldet als", "Anmeldung fehlgeschlagen", "Zu viele Versuche"
#: The page's message for an unexpected error (never a traceback).
BROKEN = "Das hat leider nicht geklappt"
OUTCOMES = (SIGNED_IN, FAILED, THROTTLED, BROKEN)


@dataclass
class Run:
    """What one run of a page sent: its texts and the ids of its widgets by label."""

    texts: list[str] = field(default_factory=list)
    widgets: dict[str, str] = field(default_factory=dict)

    def has(self, fragment: str) -> bool:
        """Whether any text of the run contains ``fragment``."""
        return any(fragment in t for t in self.texts)


@dataclass
class StreamlitClient:
    """One browser tab, without the browser.

    Parameters
    ----------
    url
        The app (``http://127.0.0.1:PORT``), directly or through nginx.
    cookies
        Cookies to present (another browser's, or the ones the first page set).
    headers
        Extra request headers (e.g. a forged ``X-Forwarded-For``).
    """

    url: str
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    session_id: str = ""
    _ws: ClientConnection | None = None

    def load_page(self) -> None:
        """GET the page as a browser does first, keeping the cookies it sets."""
        parsed = urlparse(self.url)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        headers = {"Host": parsed.netloc, **self.headers}
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
        conn.request("GET", "/", headers=headers)
        response = conn.getresponse()
        response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies.setdefault(key.strip(), rest.split(";", 1)[0])
        conn.close()

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def connect(self, resume: str = "") -> None:
        """Open the WebSocket; with ``resume``, ask to resume that session id."""
        parsed = urlparse(self.url)
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf", "xsrf") or "xsrf"]
        if resume:
            protocols.append(resume)
        headers = {**self.headers}
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
        self._ws = connect(
            f"ws://{parsed.netloc}/_stcore/stream",
            subprotocols=protocols,  # type: ignore[arg-type]
            additional_headers=headers,
            max_size=None,
            open_timeout=60,
            legacy=True,  # a connection kept open across calls, closed by close()
        )

    def run(
        self,
        page: str = "",
        widgets: list[WidgetState] | None = None,
        timeout: float = 180,
        until: Callable[[Run], bool] | None = None,
    ) -> Run:
        """Ask for a run of ``page`` (its URL path; ``""``: the default page) with the given
        widget values, and read what it sends until it finishes (with ``until``: until a
        finished run satisfies it; texts of all runs are kept)."""
        self.send(page, widgets)
        return self.read(timeout, until)

    def send(self, page: str = "", widgets: list[WidgetState] | None = None) -> None:
        """Ask for a run of ``page`` with the given widget values (without waiting)."""
        assert self._ws is not None, "connect() first"
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = ""
        for state in widgets or []:
            msg.rerun_script.widget_states.widgets.append(state)
        self._ws.send(msg.SerializeToString())

    def read(self, timeout: float = 180, until: Callable[[Run], bool] | None = None) -> Run:
        """Read what the runs send until one finishes (and satisfies ``until``)."""
        assert self._ws is not None, "connect() first"
        run = Run()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self._ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(data if isinstance(data, bytes) else data.encode())
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                _collect(fwd.delta.new_element, run)
            elif kind == "script_finished" and fwd.script_finished != _EARLY_FOR_RERUN:
                if until is None or until(run):
                    return run  # a run that called st.rerun() goes on with the next one
        raise TimeoutError(f"no (fitting) end of a run within {timeout:.0f} s: {run.texts}")

    def send_sign_in(self, form: Run, name: str, password: str, page: str = "") -> None:
        """Submit the sidebar's sign-in form of an earlier run ``form`` (values and submit
        button in one run, as the frontend sends them), without waiting."""
        ids = form.widgets
        self.send(
            page,
            [
                WidgetState(id=ids["Name"], string_value=name),
                WidgetState(id=ids["Passwort"], string_value=password),
                WidgetState(id=ids["Anmelden"], trigger_value=True),
            ],
        )

    def outcome(self, timeout: float = 180) -> Run:
        """The runs after a sign-in, up to the one that shows its outcome."""
        return self.read(timeout, until=lambda run: any(run.has(m) for m in OUTCOMES))

    def sign_in(self, name: str, password: str, page: str = "") -> Run:
        """Load ``page``, fill and submit its sign-in form, and return the outcome."""
        self.send_sign_in(self.run(page), name, password, page)
        return self.outcome()

    def close(self) -> None:
        """Close the WebSocket (the session stays on the server for a while)."""
        if self._ws is not None:
            self._ws.close()
            self._ws = None


def _collect(element: object, run: Run) -> None:
    kind = element.WhichOneof("type")  # type: ignore[attr-defined]
    value = getattr(element, kind) if kind else None
    if kind in ("markdown", "alert"):
        run.texts.append(value.body)  # type: ignore[union-attr]
    elif kind in ("text_input", "button"):
        run.widgets[value.label] = value.id  # type: ignore[union-attr]
