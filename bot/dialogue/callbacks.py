"""Compact button callback data: ``action|item_id|value``, at most 64 bytes.

Telegram limits ``callback_data`` to 64 bytes and hands it back verbatim from the
client, so it is untrusted input: ``decode`` never raises and returns ``None`` for
anything that is not exactly one of the shapes below. Whether the *user* may act on the
item (was it shown to them?) is checked by the dialogue layer, not here.

Shapes (ids are positive decimal integers, no sign, no leading zeros)::

    l|<item_id>          like (👍)
    d|<item_id>          dislike (👎)
    r|<item_id>|<1-5>    rate with stars
    s|<item_id>          more like this one
    m                    more results
    x                    reset the session
    f!                   confirm /forget
    f0                   cancel /forget
    k|<3-10>             /settings: items per list
    p|<0|1>              /settings: posters off / on
    g|<0|1>              /settings: language (index into ``types.LANGUAGES``: en, zh)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64


class Action(StrEnum):
    LIKE = "l"
    DISLIKE = "d"
    RATE = "r"
    SIMILAR = "s"
    MORE = "m"
    RESET = "x"
    FORGET_CONFIRM = "f!"
    FORGET_CANCEL = "f0"
    SET_ITEMS = "k"
    SET_POSTERS = "p"
    SET_LANG = "g"


ITEM_ACTIONS = frozenset({Action.LIKE, Action.DISLIKE, Action.RATE, Action.SIMILAR})
PLAIN_ACTIONS = frozenset({Action.MORE, Action.RESET, Action.FORGET_CONFIRM, Action.FORGET_CANCEL})
SETTING_ACTIONS = frozenset({Action.SET_ITEMS, Action.SET_POSTERS, Action.SET_LANG})

# An id of at most 12 digits keeps every shape far below 64 bytes.
_ID = r"[1-9][0-9]{0,11}"
_ITEM = re.compile(rf"([lds])\|({_ID})")
_RATE = re.compile(rf"r\|({_ID})\|([1-5])")
_SETTING = re.compile(r"([k])\|([3-9]|10)|([pg])\|([01])")


@dataclass(frozen=True)
class Callback:
    """A decoded button press. ``item_id``/``value`` are None for plain actions."""

    action: Action
    item_id: int | None = None
    value: int | None = None


def encode(action: Action | str, item_id: int | None = None, value: int | None = None) -> str:
    """The callback data for a button; ``decode(encode(...))`` round-trips.

    Raises ``ValueError`` for a combination ``decode`` would reject (a programming
    error, never user input).
    """
    act = Action(action)
    if act in PLAIN_ACTIONS:
        data = act.value
    elif act in SETTING_ACTIONS:
        data = f"{act.value}|{value}"
    elif act is Action.RATE:
        data = f"r|{item_id}|{value}"
    else:
        data = f"{act.value}|{item_id}"
    if decode(data) != Callback(act, item_id if act in ITEM_ACTIONS else None,
                                value if act is Action.RATE or act in SETTING_ACTIONS else None):
        raise ValueError(f"cannot encode {act!r} with item_id={item_id!r}, value={value!r}")
    return data


def decode(data: object) -> Callback | None:
    """Parse callback data; ``None`` for forged, oversized or garbage input. Never raises."""
    if not isinstance(data, str) or not data or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None
    if data in {a.value for a in PLAIN_ACTIONS}:
        return Callback(Action(data))
    if match := _ITEM.fullmatch(data):
        return Callback(Action(match[1]), int(match[2]))
    if match := _RATE.fullmatch(data):
        return Callback(Action.RATE, int(match[1]), int(match[2]))
    if match := _SETTING.fullmatch(data):
        action, value = (match[1], match[2]) if match[1] else (match[3], match[4])
        return Callback(Action(action), value=int(value))
    return None
