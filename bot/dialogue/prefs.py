"""/settings: the menu of one user's preferences and what a press on it changes.

Pure: ``menu`` lays the preferences out as buttons (the chosen value of each marked ✅),
``apply`` turns a decoded settings press into new preferences, ``saved`` is the toast
that confirms it. The dialogue layer stores the result (``RedisStore.save_preferences``)
and edits the menu's keyboard in place. Texts come from the message catalogue.
"""

from __future__ import annotations

import dataclasses

from bot.dialogue.callbacks import Action, Callback, encode
from bot.dialogue.texts import t
from bot.dialogue.types import LANGUAGES, MAX_ITEMS, MIN_ITEMS, Button, Preferences, Reply

# Each language is offered under its own name, whatever the menu's language.
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def _mark(label: str, chosen: bool) -> str:
    return f"✅ {label}" if chosen else label


def menu(prefs: Preferences, default_items: int, lang: str) -> list[list[Button]]:
    """The settings keyboard in ``lang`` (the language in effect): list lengths, posters,
    languages; current choices marked."""
    items = prefs.items or default_items
    lengths = [
        Button(_mark(str(n), n == items), encode(Action.SET_ITEMS, value=n))
        for n in range(MIN_ITEMS, MAX_ITEMS + 1)
    ]
    half = (len(lengths) + 1) // 2
    return [
        lengths[:half],
        lengths[half:],
        [Button(_mark(t(lang, "settings.posters_on"), prefs.posters), encode(Action.SET_POSTERS, value=1)),
         Button(_mark(t(lang, "settings.posters_off"), not prefs.posters),
                encode(Action.SET_POSTERS, value=0))],
        [Button(_mark(LANGUAGE_NAMES[code], code == lang), encode(Action.SET_LANG, value=k))
         for k, code in enumerate(LANGUAGES)],
    ]


def menu_reply(prefs: Preferences, default_items: int, lang: str) -> Reply:
    """The /settings message in ``lang``."""
    return Reply(t(lang, "settings.menu"), buttons=menu(prefs, default_items, lang),
                 prefs=dataclasses.replace(prefs, lang=lang))


def apply(prefs: Preferences, cb: Callback) -> Preferences:
    """``prefs`` changed by a settings press (``cb`` from ``callbacks.decode``, so in range)."""
    if cb.action is Action.SET_ITEMS:
        return dataclasses.replace(prefs, items=cb.value)
    if cb.action is Action.SET_POSTERS:
        return dataclasses.replace(prefs, posters=bool(cb.value))
    if cb.action is Action.SET_LANG:
        return dataclasses.replace(prefs, lang=LANGUAGES[cb.value or 0])
    raise ValueError(f"not a settings press: {cb!r}")


def saved(prefs: Preferences, cb: Callback, lang: str) -> str:
    """The toast confirming the press ``cb`` that produced ``prefs``, in ``lang``."""
    if cb.action is Action.SET_ITEMS:
        return t(lang, "settings.saved_items", n=prefs.items)
    if cb.action is Action.SET_POSTERS:
        return t(lang, "settings.saved_posters_on" if prefs.posters else "settings.saved_posters_off")
    return t(lang, "settings.saved_lang")
