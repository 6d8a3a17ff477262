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
    assert spans("for a group of 40 year old men") == []  # an age, not 1940
    assert spans("a sleepover of 12-year-olds") == []
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


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        # relations, each direction, plain and negated (a negation turns round and
        # includes its year)
        ("comedy, nothing older than 2005", 2005, None),
        ("not older than 2005", 2005, None),
        ("older than 2005", None, 2004),
        ("not before 1990", 1990, None),
        ("nothing before the 90s", 1990, None),
        ("before 1990", None, 1989),
        ("after 2005", 2006, None),
        ("nothing after 1990", None, 1990),
        ("newer than 2010", 2011, None),
        ("i dont want anything newer than 2000", None, 2000),
        ("later than 1999", 2000, None),
        ("no later than 1999", None, 1999),
        ("no earlier than 2000", 2000, None),
        ("since 2000", 2000, None),
        ("2005 or later", 2005, None),
        # counted back from the catalog's latest year (2018 here)
        ("from the last 10 years", 2009, None),
        ("something from the past few years", 2014, None),
        ("in the last couple of years", 2017, None),
        ("less than 10 years old", 2009, None),
        ("this decade", 2010, None),
        ("the past decade", 2009, None),
        # "not too old" and its paraphrases: the last NOT_OLD_SPAN years
        ("not too old", 2004, None),
        ("i dont think the kids would be interested in a movie that old", 2004, None),
        ("nothing too dated please", 2004, None),
        ("no older than 20 years", 1998, None),
        ("a film older than 30 years", None, 1988),
        # a window asked away: the side the catalog has more of (it was the window)
        ("sci-fi but not from the 70s", 1980, None),
        ("nothing from the 80s please", 1990, None),
        ("a comedy not from the 2010s", None, 2009),
        # adjacent windows joined by "or" / "and" are one
        ("an 80s or 90s horror", 1980, 1999),
        ("movies from the 80s and 90s", 1980, 1999),
        ("comedy from 1995 or 1996", 1995, 1996),
    ],
)  # fmt: skip
def test_time_relations_in_every_direction(text: str, lo: int | None, hi: int | None) -> None:
    found = find_time_spans(text, 2018)
    assert [(s.lo, s.hi) for s in found] == [(lo, hi)], spans(text)


def test_relative_years_follow_the_anchor_not_the_clock() -> None:
    assert [(s.lo, s.hi) for s in find_time_spans("from the last 10 years", 2000)] == [(1991, None)]


@pytest.mark.parametrize(
    "text", ["my 10 year old son", "old movies", "an old school western", "I don't know, an old one"]
)
def test_old_without_a_negation_is_not_read_as_recent(text: str) -> None:
    assert all(s.lo is None for s in find_time_spans(text.lower(), 2018))


def test_not_too_old_leaves_the_other_words_readable() -> None:
    text = "i dont think the kids would be interested in a movie that old"
    (span,) = find_time_spans(text, 2018)
    assert text[span.start : span.end] == "that old"


def test_a_year_after_the_catalog_gets_its_newest_films_and_says_so() -> None:
    from recommender.nlp.parser import QueryParser
    from tests.nlp_support import make_catalog

    parser = QueryParser(make_catalog(), anchor_year=2018)
    query = parser.parse("good movies from 2019")
    assert (query.year_min, query.year_max) == (2017, None)
    assert any("ends in 2018" in n for n in query.notes)
    assert (parser.parse("movies from 2018").year_min, parser.parse("movies from 2018").year_max) == (2018, 2018)


def test_or_later_after_a_year_is_no_goodbye() -> None:
    from recommender.nlp.parser import QueryParser
    from tests.nlp_support import make_catalog

    parser = QueryParser(make_catalog(), anchor_year=2018)
    for text in ("a good thriller from 2014 or later", "thrillers 2014 and later"):
        query = parser.parse(text)  # "later" had read as "see you later": 2014 only
        assert (query.year_min, query.year_max) == (2014, None) and query.small_talk == [], text
