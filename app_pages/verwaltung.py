"""Benutzer (Admin): accounts with role and VGs; add, remove, reset a password."""

from collections.abc import Callable

import streamlit as st

from dashboard.domain.roles import ACCOUNT_ROLES
from dashboard.i18n.catalogue import t
from dashboard.services.workspace import PermissionDenied, UserError
from dashboard.ui.common import language_switch
from dashboard.ui.editorial import users_table
from dashboard.ui.errors import refused
from dashboard.ui.session import require_page, workspace

lang = language_switch()
require_page("app_pages/verwaltung.py", lang)
ws = workspace()
vg_names = dict(sorted(ws.areas.vg_names.items(), key=lambda kv: kv[1]))
st.title(t("users.heading", lang))
if flash := st.session_state.pop("usr_flash", None):
    st.success(flash)


def attempt(action: Callable[[], object], message: str) -> None:
    """Run a Workspace call; show its refusal, or rerun with a success notice."""
    try:
        action()
    except (PermissionDenied, UserError) as exc:
        refused(exc, lang)
    else:
        st.session_state["usr_flash"] = message
        st.rerun()


users = ws.list_users()
st.header(t("users.list", lang, n=len(users)))
if users:
    st.dataframe(users_table(users, vg_names, lang), hide_index=True, width="stretch")
else:
    st.caption(t("users.none", lang))

st.header(t("users.add", lang))
with st.form("usr_add", clear_on_submit=True):
    c1, c2 = st.columns(2)
    name = c1.text_input(t("users.col.name", lang), key="usr_name")
    role = c2.selectbox(
        t("users.role", lang),
        ACCOUNT_ROLES,
        format_func=lambda r: t(f"role.{r}", lang),
        key="usr_role",
    )
    vgs = st.multiselect(
        t("users.vgs", lang),
        list(vg_names),
        format_func=lambda v: vg_names[v],
        key="usr_vgs",
        placeholder=t("f.choose", lang),
    )
    oidc_only = st.checkbox(t("users.oidc_only", lang), key="usr_oidc")
    c1, c2 = st.columns(2)
    pw = c1.text_input(t("users.password", lang), type="password", key="usr_pw")
    pw2 = c2.text_input(t("users.password2", lang), type="password", key="usr_pw2")
    if st.form_submit_button(t("users.add", lang), key="usr_add_submit"):
        if not oidc_only and pw != pw2:
            st.error(t("users.mismatch", lang))
        else:
            attempt(
                lambda: ws.add_user(name, None if oidc_only else pw, role, vgs),
                t("users.added", lang, name=name.strip()),
            )

names = [u.name for u in users]
if names:
    c1, c2 = st.columns(2)
    with c1:
        st.header(t("users.remove", lang))
        who = st.selectbox(t("users.account", lang), names, key="usr_remove_name")
        sure = st.checkbox(t("users.remove_confirm", lang), key="usr_remove_sure")
        if st.button(t("users.remove", lang), disabled=not sure, key="usr_remove"):
            attempt(lambda: ws.remove_user(who), t("users.removed", lang, name=who))
    with c2:
        st.header(t("users.reset", lang))
        with st.form("usr_reset", clear_on_submit=True):
            target = st.selectbox(t("users.account", lang), names, key="usr_reset_name")
            new = st.text_input(t("users.password", lang), type="password", key="usr_reset_pw")
            new2 = st.text_input(t("users.password2", lang), type="password", key="usr_reset_pw2")
            if st.form_submit_button(t("users.reset", lang), key="usr_reset_submit"):
                if new != new2:
                    st.error(t("users.mismatch", lang))
                else:
                    attempt(
                        lambda: ws.set_password(target, new),
                        t("users.reset_done", lang, name=target),
                    )
