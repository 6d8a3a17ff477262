"""The parser's people pass: catalog names are people (never title words), with the
role their cue asks for, next to genres, years and titles in the same message."""

from __future__ import annotations

import pytest

from recommender.nlp.entities import Entity
from recommender.nlp.parser import QueryParser
from recommender.nlp.query import CAST, DIRECTOR
from tests.nlp_support import make_catalog

CREDITS = {  # item id: (directors, cast)
    1: (("John Lasseter",), ("Tom Hanks", "Tim Allen")),
    2: (("John Lasseter",), ("Tom Hanks", "Tim Allen")),
    57: (("Steven Spielberg",), ("Tom Hanks", "Matt Damon")),
    41: (("Michael Mann",), ("Al Pacino", "Robert De Niro")),
    40: (("Francis Ford Coppola",), ("Al Pacino", "Marlon Brando")),
    52: (("Roger Michell",), ("Julia Roberts", "Hugh Grant")),
}


@pytest.fixture(scope="module")
def parser() -> QueryParser:
    catalog = make_catalog()
    for item_id, (directors, cast) in CREDITS.items():
        idx = catalog.index(item_id)
        catalog.directors[idx], catalog.cast[idx] = directors, cast
    return QueryParser(catalog)


def people(query) -> list[tuple[str, str | None]]:
    return [(p.name, p.role) for p in query.people]


def test_a_name_is_a_person_not_title_words(parser: QueryParser) -> None:
    query = parser.parse("a tom hanks comedy")
    assert people(query) == [("Tom Hanks", None)] and query.genres_all == ["Comedy"]
    assert query.reference_items == [] and query.text == ""
    # Even when a tagger calls the name a title, the catalog's credits win.
    text = "movies with tom hanks"
    tagged = parser.parse(text, [Entity("TITLE", "tom hanks", 12, 21)])
    assert people(tagged) == [("Tom Hanks", CAST)] and tagged.reference_items == []


def test_roles_years_and_titles_combine(parser: QueryParser) -> None:
    query = parser.parse("something directed by steven spielberg from the 90s")
    assert people(query) == [("Steven Spielberg", DIRECTOR)]
    assert (query.year_min, query.year_max) == (1990, 1999)
    assert query.text == ""  # the cue word is no plot
    both = parser.parse("movies like Heat with Al Pacino")
    assert both.reference_items == [41] and people(both) == [("Al Pacino", CAST)]
    two = parser.parse("Julia Roberts and Hugh Grant movies")
    assert people(two) == [("Julia Roberts", None), ("Hugh Grant", None)]


def test_typos_surnames_and_unknown_names(parser: QueryParser) -> None:
    assert people(parser.parse("films with Al Pacnio")) == [("Al Pacino", CAST)]
    # both names misspelt
    assert people(parser.parse("Anything with Julai Robers?")) == [("Julia Roberts", CAST)]
    unknown = parser.parse("a comedy starring Jon Smithee")
    # Not in the catalog: kept unresolved (the engine says so), never a title or genre.
    assert [(p.name, p.members) for p in unknown.people] == [("Jon Smithee", ())]
    assert unknown.genres_all == ["Comedy"]


def test_a_word_after_a_name_is_not_part_of_it(parser: QueryParser) -> None:
    # "Francis Ford Coppola after" read as a misspelt name with a middle name: the
    # last word must spell the surname: "after 2010" is the year window.
    query = parser.parse("films by Francis Ford Coppola after 1975")
    assert people(query) == [("Francis Ford Coppola", DIRECTOR)]
    assert (query.year_min, query.year_max) == (1976, None)
    assert people(parser.parse("movies with Tom Hanks after 2000")) == [("Tom Hanks", CAST)]
    # A middle name typed or left out still finds the person.
    assert people(parser.parse("something with Francis Coppola")) == [("Francis Ford Coppola", DIRECTOR)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("something funny but nothing with Tom Hanks", [("Tom Hanks", True)]),
        ("a comedy without Tim Allen", [("Tim Allen", True)]),
        ("movies with Al Pacino not directed by Michael Mann", [("Al Pacino", False), ("Michael Mann", True)]),
        ("anything but Julia Roberts", [("Julia Roberts", True)]),
        ("I hate Hugh Grant, give me a drama", [("Hugh Grant", True)]),
        # a negated genre ends the scope: Tom Hanks is asked for
        ("no horror with Tom Hanks", [("Tom Hanks", False)]),
        # having never seen someone's films is no wish to avoid them
        ("i have never seen a Tom Hanks movie", [("Tom Hanks", False)]),
    ],
)
def test_a_person_named_after_a_negation_is_left_out(parser: QueryParser, text: str, expected) -> None:
    assert [(p.name, p.excluded) for p in parser.parse(text).people] == expected
