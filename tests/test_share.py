"""The shared-list payload codec: round trips, Telegram's limits, untrusted input."""

from __future__ import annotations

import base64
import re

import pytest

from bot.dialogue.share import MAX_CHARS, SharedList, decode, encode
from recommender.nlp.query import Query

GENRES = ["Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary",
          "Drama", "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance",
          "Sci-Fi", "Thriller", "War", "Western"]
TELEGRAM_START = re.compile(r"[A-Za-z0-9_-]{1,64}")


def test_round_trip_keeps_items_in_order_and_the_structured_query() -> None:
    query = Query(genres_all=["Sci-Fi"], genres_any=["Comedy", "Action"], genres_none=["Horror"],
                  year_min=1990, year_max=1999, min_rating=4.0, quality=True,
                  reference_items=[1, 260], sort="newest")
    items = [2571, 1, 193609, 318, 50]
    payload = encode(items, query, GENRES)
    assert payload is not None and TELEGRAM_START.fullmatch(payload)
    shared = decode(payload, GENRES)
    assert shared == SharedList(
        tuple(items),
        Query(genres_all=["Sci-Fi"], genres_any=["Action", "Comedy"], genres_none=["Horror"],
              year_min=1990, year_max=1999, min_rating=4.0, quality=True,
              reference_items=[1, 260], sort="newest"),
    )


def test_a_list_of_hidden_gems_stays_one() -> None:
    query = Query(genres_all=["Horror"], quality=True, obscure=True)
    shared = decode(encode([1, 2, 3], query, GENRES), GENRES)
    assert shared is not None and shared.query == query


def test_a_list_of_films_in_a_language_stays_one() -> None:
    query = Query(genres_all=["Comedy"], languages=["cn", "zh"])  # in ``languages.CODES`` order
    shared = decode(encode([1, 2, 3], query, GENRES), GENRES)
    assert shared is not None and shared.query == query


def test_what_the_user_typed_never_travels() -> None:
    query = Query(genres_all=["Drama"], text="for my wife anna on her birthday",
                  people=["Tom Hanks"], ordinal=1, notes=["a note"])
    payload = encode([1, 2, 3], query, GENRES)
    shared = decode(payload, GENRES)
    assert shared is not None
    assert shared.query == Query(genres_all=["Drama"])
    assert b"anna" not in base64.urlsafe_b64decode(payload[1:] + "==")


def test_ten_big_ids_fit_in_telegrams_64_characters() -> None:
    query = Query(genres_all=GENRES[:5], genres_any=GENRES[5:10], genres_none=GENRES[10:],
                  year_min=1900, year_max=2020, min_rating=3.5, quality=True,
                  reference_items=[190000, 191000, 192000], sort="oldest")
    items = list(range(190000, 190010))
    payload = encode(items, query, GENRES)
    assert payload is not None and len(payload) <= MAX_CHARS
    shared = decode(payload, GENRES)
    assert shared is not None and shared.items == tuple(items)  # the list itself always travels


def test_lists_that_cannot_be_shared_give_none() -> None:
    assert encode([], Query(), GENRES) is None
    assert encode(list(range(1, 12)), Query(), GENRES) is None  # more than ten
    assert encode([10**12 + i for i in range(10)], None, GENRES) is None  # ids too big to fit


def _raw(*values: int) -> str:
    return "L" + base64.urlsafe_b64encode(bytes(values)).decode().rstrip("=")


@pytest.mark.parametrize("payload", [
    None, 42, "", "L", "x" * 65, "Labc!", "L" + "A" * 64, "Lé", "help", "L====",
    _raw(1),  # truncated: version only
    _raw(1, 2, 5),  # says two items, has one
    _raw(1, 1, 5, 0, 0),  # trailing bytes
    _raw(1, 1, 0, 0),  # item id 0
    _raw(1, 0, 0),  # no items
    _raw(1, 1, 5, 0x80),  # varint never ends
    _raw(1, 1, 0x85, 0, 0),  # non-canonical varint for 5
    _raw(2, 1, 5, 0),  # unknown version
    _raw(1, 1, 5, 1, 0xFF, 0xFF, 0xFF, 0x7F),  # genre outside the vocabulary
    _raw(1, 1, 5, 0x08, 0x05),  # year 5
    _raw(1, 1, 5, 0x80, 0x06),  # both sorts
])
def test_malformed_payloads_decode_to_none(payload: object) -> None:
    assert decode(payload, GENRES) is None


def test_every_byte_string_is_either_refused_or_round_trips() -> None:
    import random

    rng = random.Random(7)
    for _ in range(3000):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20)))
        payload = "L" + base64.urlsafe_b64encode(raw).decode().rstrip("=")
        shared = decode(payload, GENRES)
        if shared is not None:
            assert encode(shared.items, shared.query, GENRES) == payload
