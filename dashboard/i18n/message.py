"""Messages that are made in one place and worded in another: a key and its values.

An importer problem or a refused action is found deep in the data layer, but shown on a
page in the user's language. :class:`Message` carries the catalogue key and the values
(numbers stay numbers, nested messages stay messages) until :meth:`Message.text` words
it for a language. :class:`LocalizedError` is the base of every exception whose text a
user reads (``StoreError``, ``PermissionDenied``, ``ImportRejected``, ``ReadError``):
``str(exc)`` is the German text (for the server log and the command line), and
``exc.text(lang)`` the text in the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, has_message, message_ids, t, tn
from dashboard.i18n.format import fmt_date, fmt_datetime, fmt_float, fmt_int


@dataclass(frozen=True)
class Message:
    """A catalogue key with its placeholder values, worded only when shown.

    Attributes
    ----------
    key
        Message id (``imp.err.too_many_rows``); ``""`` for a literal text that has no key
        (only for texts written by older code: shown unchanged in every language).
    params
        ``(name, value)`` pairs; an ``int`` is formatted with the language's thousands
        separator, a ``float`` with one decimal, a :class:`datetime.datetime` as local
        time and a :class:`datetime.date` as a date of the language (:func:`moment` makes
        one of a stored ISO timestamp), a :class:`Message` is worded in the same language,
        anything else is shown with ``str``.
    literal
        The text of a message without key.
    count
        For a message with plural forms (:meth:`counted`): the count that chooses the form.
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()
    literal: str = ""
    count: float | None = None

    @classmethod
    def of(cls, key: str, /, **params: object) -> Message:
        """A message of the catalogue, e.g. ``Message.of("imp.err.rows", n=60000)``."""
        if not key:
            raise ValueError("a message needs a key")
        return cls(key, tuple(params.items()))

    @classmethod
    def counted(cls, key: str, count: float, /, **params: object) -> Message:
        """A message with plural forms, worded with :func:`~dashboard.i18n.catalogue.tn`
        for ``count`` (mark its key with ``Nn_``): ``Message.counted(Nn_("err.rows"), 1, n=1)``."""
        if not key:
            raise ValueError("a message needs a key")
        return cls(key, tuple(params.items()), count=count)

    @classmethod
    def plain(cls, text: str) -> Message:
        """A text without key, shown as it is in every language."""
        return cls("", (), text)

    @property
    def values(self) -> Mapping[str, object]:
        """The placeholder values by name."""
        return dict(self.params)

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message worded in ``lang``.

        Parameters
        ----------
        lang
            ``de`` or ``en``.

        Returns
        -------
        str
            Plain text (not Markdown: a page shows it with ``dashboard.ui.text.plain``).
        """
        if not self.key:
            return self.literal
        values = {k: _value(v, lang) for k, v in self.params}
        if self.count is not None:
            return tn(self.key, self.count, lang, **values)
        return t(self.key, lang, **values)


def moment(text: str) -> dt.datetime | str:
    """A stored ISO timestamp (``2025-03-01T09:00:00+00:00``) as a moment, so that a
    :class:`Message` words it as local time ("01.03.2025 10:00"); other text stays text."""
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text


def _value(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, dt.datetime):
        return fmt_datetime(value, lang)
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return fmt_int(value, lang)
    if isinstance(value, float):
        return fmt_float(value, 1, lang)
    if isinstance(value, list | tuple):
        return ", ".join(str(_value(v, lang)) for v in value)
    return value


class LocalizedError(Exception):
    """An error whose text a user reads, in the user's language.

    Parameters
    ----------
    message
        A catalogue key (then ``params`` fill it; a key with plural forms takes its form
        from ``n``) or a :class:`Message`; a text that is no key of the catalogue is kept
        as a literal (older callers).
    **params
        Placeholder values of the key.

    Attributes
    ----------
    message
        The :class:`Message`; ``str(exc)`` is its German text.
    """

    def __init__(self, message: str | Message = "", /, **params: object) -> None:
        count = params.get("n")
        if isinstance(message, Message):
            msg = message
        elif message and _is_key(message):
            msg = Message.of(message, **params)
        elif message and isinstance(count, int | float) and _is_plural_key(message):
            msg = Message.counted(message, count, **params)  # its count is ``n``
        else:
            msg = Message.plain(message)
        self.message = msg
        super().__init__(msg.text(DEFAULT_LANGUAGE))

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The error's text in ``lang``."""
        return self.message.text(lang)


class Refused(LocalizedError, ValueError):
    """A value given by the user that cannot be used (an unknown selector, VG, vintage or
    format): a ``ValueError`` whose text is worded in the user's language."""


def _is_key(text: str) -> bool:
    return " " not in text and has_message(text)


def _is_plural_key(text: str) -> bool:
    return " " not in text and text in message_ids(DEFAULT_LANGUAGE, plural=True)


def error_text(exc: BaseException, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text of an error for a user: worded in ``lang`` if it is a
    :class:`LocalizedError`, else ``str(exc)``.

    Parameters
    ----------
    exc
        The error.
    lang
        ``de`` or ``en``.
    """
    return exc.text(lang) if isinstance(exc, LocalizedError) else str(exc)
