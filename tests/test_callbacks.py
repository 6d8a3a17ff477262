"""Button callback data: compact, <= 64 bytes, and never trusted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dialogue.callbacks import MAX_BYTES, Action, Callback, decode, encode


@pytest.mark.parametrize(
    ("action", "item_id", "value", "data"),
    [
        (Action.LIKE, 2571, None, "l|2571"),
        (Action.DISLIKE, 2571, None, "d|2571"),
        (Action.RATE, 2571, 4, "r|2571|4"),
        (Action.SIMILAR, 7, None, "s|7"),
        (Action.MORE, None, None, "m"),
        (Action.RESET, None, None, "x"),
        (Action.FORGET_CONFIRM, None, None, "f!"),
        (Action.FORGET_CANCEL, None, None, "f0"),
        (Action.SET_ITEMS, None, 3, "k|3"),
        (Action.SET_ITEMS, None, 10, "k|10"),
        (Action.SET_POSTERS, None, 0, "p|0"),
        (Action.SET_LANG, None, 1, "g|1"),
    ],
)
def test_encode_is_compact_and_round_trips(action, item_id, value, data):
    assert encode(action, item_id, value) == data
    assert decode(data) == Callback(action, item_id, value)


def test_largest_id_fits_telegram_limit():
    data = encode(Action.RATE, 999_999_999_999, 5)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == Callback(Action.RATE, 999_999_999_999, 5)


@pytest.mark.parametrize(
    "data",
    [
        "", "l", "l|", "l|abc", "l|-3", "l|0", "l|007", "l|1|2", "r|5", "r|5|0", "r|5|6",
        "r|5|4.5", "q|5", "m|1", "f", "f!!", " l|5", "l|5\n", "l|٣", "x" * 65,
        "l|" + "9" * 70, "<b>l|5</b>", "l|5;DROP", "\x00", "l|1e3",
        "k|2", "k|11", "k|03", "k|", "k", "p|2", "p|", "g|2", "g|en", "p|1|1", "k|5|",
    ],
)
def test_garbage_is_rejected(data):
    assert decode(data) is None


@pytest.mark.parametrize("data", [None, 5, b"l|5", ["l|5"], {"a": 1}])
def test_non_strings_are_rejected(data):
    assert decode(data) is None


def test_encode_refuses_what_decode_would_reject():
    with pytest.raises(ValueError):
        encode(Action.RATE, 5, 9)
    with pytest.raises(ValueError):
        encode(Action.LIKE, None)
    with pytest.raises(ValueError):
        encode(Action.SET_ITEMS, None, 11)


@given(st.text(max_size=200))
def test_decode_never_raises(data):
    cb = decode(data)
    assert cb is None or encode(cb.action, cb.item_id, cb.value) == data


@given(st.binary(max_size=100))
def test_decode_of_arbitrary_bytes_never_raises(raw):
    decode(raw.decode("utf-8", "surrogateescape"))
