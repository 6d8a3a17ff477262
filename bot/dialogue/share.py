"""Deep-link payloads that reopen a shared list: ``t.me/<bot>?start=<payload>``.

Telegram allows 1-64 characters of ``[A-Za-z0-9_-]`` in a start parameter and hands it
to the bot verbatim from whoever taps the link, so it is untrusted input: ``decode``
never raises and returns ``None`` for anything that is not exactly what ``encode``
writes. Whether the ids still exist in the catalog is checked by the dialogue layer.

A payload is ``L`` + unpadded base64url of these fields (varint = LEB128, unsigned)::

    varint  format version (1)
    varint  number of items (1..MAX_ITEMS), then one varint item id (>= 1) per item
    varint  flags: which query fields follow (bits, in this order)
              0 genres_all  1 genres_any  2 genres_none   varint bitmask over ``genres``
              3 year_min    4 year_max                    varint year (1800..2200)
              5 min_rating                                varint half-stars (1..10)
              6 quality                                   (no field)
              7 reference items                           varint count (1..3), varint ids
              8 sort newest 9 sort oldest                 (no field)
             10 obscure ("hidden gems")                  (no field)
             11 languages                                varint bitmask over ``languages.CODES``

The structured query travels so the recipient can refine the list as their own ("no
horror", "more"); what the sender typed in their own words (``Query.text``), people's
names, ordinals and notes never do, so a payload holds no personal data. ``genres`` is
the catalog's sorted genre vocabulary (``Catalog.all_genres()``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from recommender.nlp.languages import CODES as LANGUAGE_CODES
from recommender.nlp.query import Query

PREFIX = "L"
# The start parameter of links that only open the bot (not a list): plain /start.
WELCOME_PAYLOAD = "welcome"
VERSION = 1
MAX_CHARS = 64  # Telegram's limit for a start parameter
MAX_ITEMS = 10
MAX_REFERENCES = 3
YEARS = (1800, 2200)
_SHAPE = re.compile(r"L[A-Za-z0-9_-]{1,63}")
_SORTS = {"newest": 1 << 8, "oldest": 1 << 9}
_LANGUAGE_BITS = {code: 1 << k for k, code in enumerate(LANGUAGE_CODES)}


@dataclass(frozen=True)
class SharedList:
    """A decoded payload: the items in display order and the query that found them."""

    items: tuple[int, ...]
    query: Query = field(default_factory=Query)


def encode(items: Sequence[int], query: Query | None, genres: Sequence[str]) -> str | None:
    """The payload for a list, or ``None`` when it cannot be shared.

    ``None`` when there are no items, more than MAX_ITEMS, or their ids alone do not fit
    in 64 characters. Query fields that do not fit are left out (references first, then
    the whole query): the recipient still gets the same items.
    """
    ids = [int(i) for i in items]
    if not ids or len(ids) > MAX_ITEMS or min(ids) < 1:
        return None
    for keep_refs, keep_query in ((True, True), (False, True), (False, False)):
        body = _items(ids) + (_query(query, genres, keep_refs) if keep_query and query else _varint(0))
        payload = PREFIX + base64.urlsafe_b64encode(body).rstrip(b"=").decode("ascii")
        if len(payload) <= MAX_CHARS:
            return payload
    return None


def decode(payload: object, genres: Sequence[str]) -> SharedList | None:
    """Parse a payload; ``None`` for malformed, oversized or non-canonical input. Never raises."""
    if not isinstance(payload, str) or not _SHAPE.fullmatch(payload):
        return None
    body = payload[1:]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    try:
        shared = _parse(_Reader(raw), genres)
    except _Malformed:
        return None
    # Exactly one payload per list: anything encode would not have written is refused.
    if encode(shared.items, shared.query, genres) != payload:
        return None
    return shared


class _Malformed(Exception):
    pass


class _Reader:
    def __init__(self, raw: bytes) -> None:
        self.raw, self.pos = raw, 0

    def varint(self, low: int = 0, high: int = (1 << 42) - 1) -> int:
        value = shift = 0
        while True:
            if self.pos >= len(self.raw) or shift > 42:
                raise _Malformed
            byte = self.raw[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if not low <= value <= high:
            raise _Malformed
        return value

    def done(self) -> bool:
        return self.pos == len(self.raw)


def _parse(reader: _Reader, genres: Sequence[str]) -> SharedList:
    if reader.varint() != VERSION:
        raise _Malformed
    items = tuple(reader.varint(1) for _ in range(reader.varint(1, MAX_ITEMS)))
    flags = reader.varint(0, (1 << 12) - 1)
    query = Query()
    for bit, name in enumerate(("genres_all", "genres_any", "genres_none")):
        if flags & (1 << bit):
            mask = reader.varint(1, (1 << len(genres)) - 1)
            setattr(query, name, [g for k, g in enumerate(genres) if mask & (1 << k)])
    if flags & (1 << 3):
        query.year_min = reader.varint(*YEARS)
    if flags & (1 << 4):
        query.year_max = reader.varint(*YEARS)
    if flags & (1 << 5):
        query.min_rating = reader.varint(1, 10) / 2
    query.quality = bool(flags & (1 << 6))
    query.obscure = bool(flags & (1 << 10))
    if flags & (1 << 7):
        query.reference_items = [reader.varint(1) for _ in range(reader.varint(1, MAX_REFERENCES))]
    if flags & (1 << 11):
        mask = reader.varint(1, (1 << len(LANGUAGE_CODES)) - 1)
        query.languages = [c for k, c in enumerate(LANGUAGE_CODES) if mask & (1 << k)]
    sorts = [name for name, bit in _SORTS.items() if flags & bit]
    if len(sorts) > 1 or not reader.done():
        raise _Malformed
    query.sort = sorts[0] if sorts else None
    return SharedList(items, query)


def _items(ids: list[int]) -> bytes:
    return _varint(VERSION) + _varint(len(ids)) + b"".join(_varint(i) for i in ids)


def _query(query: Query, genres: Sequence[str], keep_refs: bool) -> bytes:
    flags, fields = 0, b""
    index = {g: k for k, g in enumerate(genres)}
    for bit, names in enumerate((query.genres_all, query.genres_any, query.genres_none)):
        mask = sum(1 << index[g] for g in set(names) if g in index)
        if mask:
            flags |= 1 << bit
            fields += _varint(mask)
    for bit, year in ((3, query.year_min), (4, query.year_max)):
        if year is not None and YEARS[0] <= year <= YEARS[1]:
            flags |= 1 << bit
            fields += _varint(int(year))
    half_stars = round(query.min_rating * 2) if query.min_rating is not None else 0
    if 1 <= half_stars <= 10:
        flags |= 1 << 5
        fields += _varint(half_stars)
    if query.quality:
        flags |= 1 << 6
    if query.obscure:
        flags |= 1 << 10
    refs = [int(i) for i in query.reference_items if int(i) >= 1][:MAX_REFERENCES]
    if keep_refs and refs:
        flags |= 1 << 7
        fields += _varint(len(refs)) + b"".join(_varint(i) for i in refs)
    languages = sum(_LANGUAGE_BITS.get(c, 0) for c in set(query.languages))
    if languages:
        flags |= 1 << 11
        fields += _varint(languages)
    flags |= _SORTS.get(query.sort or "", 0)
    return _varint(flags) + fields


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)
