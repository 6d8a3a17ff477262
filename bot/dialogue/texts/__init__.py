"""The message catalogue: every user-facing string of the bot, looked up by language and key.

``t(lang, key, **fields)`` is the one way code gets text to show a user: the template of
``key`` in the catalogue of ``lang`` (falling back to English for a language or key it
does not have), formatted with ``fields``. ``genre(lang, name)`` is a MovieLens genre's
display name and ``describe(lang, query, title_of)`` the one-line summary of a query
("Comedy · 1990–1999 · not Horror"). Pure: no I/O.

Adding a language: write ``bot/dialogue/texts/<code>.py`` holding one dict with (a subset
of) the keys of ``en.EN`` (and ``genre.<name>`` / ``sort.<name>`` keys for display names),
then add it to ``CATALOGUES`` below. ``tests`` can check completeness by comparing keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.dialogue.texts.en import EN
from bot.dialogue.texts.zh import ZH
from recommender.nlp.query import Query
from recommender.refine import describe as refine_describe

DEFAULT_LANG = "en"
CATALOGUES: dict[str, Mapping[str, str]] = {"en": EN, "zh": ZH}


def t(lang: str, key: str, **fields: Any) -> str:
    """The text of ``key`` in ``lang`` (English when ``lang`` lacks it), formatted with ``fields``.

    A key that no catalogue has is a programming error: ``KeyError``.
    """
    template = CATALOGUES.get(lang, EN).get(key)
    if template is None:
        template = EN[key]
    return template.format(**fields) if fields else template


def genre(lang: str, name: str) -> str:
    """The display name of MovieLens genre ``name`` (the name itself when none is given)."""
    return _display(lang, "genre", name)


def describe(lang: str, query: Query, title_of: Callable[[int], str] | None = None) -> str:
    """A short summary of a query in ``lang``: "Comedy · 1990–1999 · not Horror · ★ 4+"."""
    catalogue = CATALOGUES.get(lang, EN)
    words = {key[len("query."):]: text for key, text in catalogue.items() if key.startswith("query.")}
    return refine_describe(query, title_of, words=words,
                           display=lambda kind, name: _display(lang, kind, name))


def _display(lang: str, kind: str, name: str) -> str:
    key = f"{kind}.{name}"
    catalogue = CATALOGUES.get(lang, EN)
    return catalogue.get(key) or EN.get(key) or name
