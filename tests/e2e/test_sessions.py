"""The app as ``make run`` serves it (``streamlit run asgi.py``: Streamlit behind the HTTP
guard), attacked without a browser (:mod:`tests.e2e.stclient`):

* a forged ``X-Forwarded-For`` does not change the address a sign-in counts for: five
  wrong passwords with five different forged addresses lock the account at this address;
* a signed-in session is resumed with its session id only by the browser that started it
  (its cookie); another browser presenting the id gets a new, signed-out session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.data.signin_throttle import PAIR_BACKOFF
from dashboard.data.store import Store
from dashboard.data.users import add_user
from tests.conftest import REPO
from tests.e2e.conftest import running_app
from tests.e2e.stclient import FAILED, SIGNED_IN, THROTTLED, StreamlitClient

pytestmark = pytest.mark.e2e

NAME, PASSWORD = "bernd", "bernd-passwort-1"


@pytest.fixture(scope="module")
def guarded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run asgi.py`` (as ``make run``) on its own store with one account."""
    folder = tmp_path_factory.mktemp("guarded")
    store = folder / "store.gpkg"
    db = Store(store, REPO / "datasets").db
    add_user(db, NAME, PASSWORD, "district_editor")
    add_user(db, "carla", "carla-passwort-1", "district_editor")
    with running_app(folder, store, folder / "users.json", script="asgi.py") as url:
        yield url


def _client(url: str, **headers: str) -> StreamlitClient:
    client = StreamlitClient(url, headers=dict(headers))
    client.load_page()
    client.connect()
    return client


def test_a_forged_forwarded_address_does_not_change_the_throttle_key(guarded_url: str) -> None:
    outcomes = []
    for i in range(PAIR_BACKOFF.free + 1):
        client = _client(guarded_url, **{"X-Forwarded-For": f"198.51.100.{i + 1}"})
        outcomes.append(client.sign_in("carla", f"falsch-{i}-geraten", "finder"))
        client.close()
    assert all(o.has(FAILED) for o in outcomes[: PAIR_BACKOFF.free]), outcomes
    assert outcomes[-1].has(THROTTLED)  # the same address all along: this machine
    # and the right password from yet another forged address is refused unchecked
    client = _client(guarded_url, **{"X-Forwarded-For": "192.0.2.77"})
    assert client.sign_in("carla", "carla-passwort-1", "finder").has(THROTTLED)
    client.close()


def test_a_session_is_resumed_only_by_its_own_browser(guarded_url: str) -> None:
    victim = _client(guarded_url)
    assert victim.sign_in(NAME, PASSWORD, "finder").has(SIGNED_IN)
    session, cookies = victim.session_id, dict(victim.cookies)
    assert "ia_browser" in cookies
    victim.close()  # the tab disconnects; the session waits for it to come back

    stranger = StreamlitClient(guarded_url)  # another browser that learnt the session id
    stranger.load_page()
    stranger.connect(resume=session)
    run = stranger.run("finder")
    stranger.close()
    assert stranger.session_id != session and not run.has(SIGNED_IN)
    bare = StreamlitClient(guarded_url)  # no cookie at all
    bare.connect(resume=session)
    run = bare.run("finder")
    bare.close()
    assert bare.session_id != session and not run.has(SIGNED_IN)

    same = StreamlitClient(guarded_url, cookies=cookies)  # the victim's own browser
    same.connect(resume=session)
    run = same.run("finder")
    same.close()
    assert same.session_id == session and run.has(f"{SIGNED_IN} **{NAME}**")
