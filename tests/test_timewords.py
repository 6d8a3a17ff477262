"""Time expressions as pure functions: windows, spans, the anchor year, odd numbers."""

from __future__ import annotations

import pytest

from recommender.nlp.commands import detect_command
from recommender.nlp.query import Command
from recommender.nlp.timewords import find_time_spans, time_window


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("80s", (1980, 1989)), ("'80s", (1980, 1989)), ("1980s", (1980, 1989)),
        ("1980's", (1980, 1989)), ("the eighties", (1980, 1989)), ("early 90s", (1990, 1993)),
        ("mid 90s", (1993, 1996)), ("late 90s", (1996, 1999)), ("1995", (1995, 1995)),
        ("00s", (2000, 2009)), ("20s", (1920, 1929)), ("nonsense", None),
    ],
)  # fmt: skip
def test_time_window(text: str, window: tuple[int, int] | None) -> None:
    assert time_window(text, anchor=2018) == window


def test_twenties_follow_the_catalog_anchor() -> None:
    assert time_window("20s", anchor=2024) == (2020, 2029)


def spans(text: str, anchor: int = 2018) -> list[tuple[str, int | None, int | None]]:
    return [(text[s.start : s.end], s.lo, s.hi) for s in find_time_spans(text, anchor)]


def test_spans_with_offsets() -> None:
    assert spans("horror before 1970 or after 2015") == [
        ("before 1970", None, 1969),
        ("after 2015", 2016, None),
    ]
    assert spans("between 2020 and 1990") == [("between 2020 and 1990", 1990, 2020)]
    assert spans("from the last 3 years") == [("last 3 years", 2016, None)]
    assert spans("movies from 95") == [("95", 1995, 1995)]
    assert spans("released in 12") == [("12", 2012, 2012)]


def test_impossible_years_are_spans_without_a_window() -> None:
    (span,) = find_time_spans("made in 99999", 2018)
    assert (span.lo, span.hi) == (None, None) and "99999" in span.note


def test_blanked_text_is_not_read() -> None:
    assert find_time_spans("like \x00\x00\x00\x00 1979", 2018)[0].lo == 1979
    assert find_time_spans("\x00" * 4 + "s", 2018) == []


@pytest.mark.parametrize(
    ("text", "command"),
    [("more", Command.MORE), ("ok, next please", Command.MORE), ("Start over!", Command.RESET),
     ("/help", Command.HELP), ("?", Command.HELP), ("forget me", Command.FORGET),
     ("more comedies", None), ("thanks", None), ("", None), ("help me find a comedy", None)],
)  # fmt: skip
def test_detect_command(text: str, command: Command | None) -> None:
    assert detect_command(text) is command
