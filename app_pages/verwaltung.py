"""Benutzer (Admin): accounts with role and VGs; add, remove, reset a password."""

import streamlit as st

from dashboard.domain.roles import ACCOUNT_ROLES
from dashboard.i18n.auth_texts import tx
from dashboard.services.workspace import PermissionDenied, UserError
from dashboard.ui.common import language_switch
from dashboard.ui.editorial import users_table
from dashboard.ui.session import require_page, workspace
from dashboard.ui.text import plain

lang = language_switch()
require_page("app_pages/verwaltung.py", lang)
ws = workspace()
vg_names = dict(sorted(ws.areas.vg_names.items(), key=lambda kv: kv[1]))
st.title(tx("users.heading", lang))
if flash := st.session_state.pop("usr_flash", None):
    st.success(flash)


def attempt(action, message: str) -> None:  # noqa: ANN001 - a Workspace call
    """Run a Workspace call; show its refusal, or rerun with a success notice."""
    try:
        action()
    except (PermissionDenied, UserError) as exc:
        st.error(plain(str(exc)))
    else:
        st.session_state["usr_flash"] = message
        st.rerun()


users = ws.list_users()
st.subheader(tx("users.list", lang, n=len(users)))
if users:
    st.dataframe(users_table(users, vg_names, lang), hide_index=True, width="stretch")
else:
    st.caption(tx("users.none", lang))

st.subheader(tx("users.add", lang))
with st.form("usr_add", clear_on_submit=True):
    c1, c2 = st.columns(2)
    name = c1.text_input(tx("users.col.name", lang), key="usr_name")
    role = c2.selectbox(
        tx("users.role", lang),
        ACCOUNT_ROLES,
        format_func=lambda r: tx(f"role.{r}", lang),
        key="usr_role",
    )
    vgs = st.multiselect(
        tx("users.vgs", lang),
        list(vg_names),
        format_func=vg_names.get,
        key="usr_vgs",
        placeholder=tx("f.choose", lang),
    )
    oidc_only = st.checkbox(tx("users.oidc_only", lang), key="usr_oidc")
    c1, c2 = st.columns(2)
    pw = c1.text_input(tx("users.password", lang), type="password", key="usr_pw")
    pw2 = c2.text_input(tx("users.password2", lang), type="password", key="usr_pw2")
    if st.form_submit_button(tx("users.add", lang), key="usr_add_submit"):
        if not oidc_only and pw != pw2:
            st.error(tx("users.mismatch", lang))
        else:
            attempt(
                lambda: ws.add_user(name, None if oidc_only else pw, role, vgs),
                tx("users.added", lang, name=name.strip()),
            )

names = [u.name for u in users]
if names:
    c1, c2 = st.columns(2)
    with c1:
        st.subheader(tx("users.remove", lang))
        who = st.selectbox(tx("users.account", lang), names, key="usr_remove_name")
        sure = st.checkbox(tx("users.remove_confirm", lang), key="usr_remove_sure")
        if st.button(tx("users.remove", lang), disabled=not sure, key="usr_remove"):
            attempt(lambda: ws.remove_user(who), tx("users.removed", lang, name=who))
    with c2:
        st.subheader(tx("users.reset", lang))
        with st.form("usr_reset", clear_on_submit=True):
            target = st.selectbox(tx("users.account", lang), names, key="usr_reset_name")
            new = st.text_input(tx("users.password", lang), type="password", key="usr_reset_pw")
            new2 = st.text_input(tx("users.password2", lang), type="password", key="usr_reset_pw2")
            if st.form_submit_button(tx("users.reset", lang), key="usr_reset_submit"):
                if new != new2:
                    st.error(tx("users.mismatch", lang))
                else:
                    attempt(
                        lambda: ws.set_password(target, new),
                        tx("users.reset_done", lang, name=target),
                    )
