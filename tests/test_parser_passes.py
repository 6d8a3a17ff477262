"""Each parser pass on its own: a fresh ParseState, one pass, what it claimed."""

from __future__ import annotations

import pytest

from recommender.knowledge.topics import searchable_words
from recommender.nlp.parser import hash_ordinal, parse_ordinal
from recommender.nlp.parser.free_text import free_text
from recommender.nlp.parser.genres import (
    GenreResolver,
    assemble_genres,
    negation_scope,
    read_genres,
)
from recommender.nlp.parser.mentions import read_references
from recommender.nlp.parser.ordinals import read_ordinals
from recommender.nlp.parser.people import read_unknown_people
from recommender.nlp.parser.ratings import read_ratings
from recommender.nlp.parser.state import ParseState
from recommender.nlp.parser.statements import chatty_free_text
from recommender.nlp.parser.years import assemble_years, read_years
from recommender.nlp.query import CAST, PersonRef
from recommender.nlp.titles import TitleIndex
from tests.nlp_support import make_catalog

CATALOG = make_catalog()
TITLES = TitleIndex(CATALOG)
GENRES = GenreResolver(CATALOG.all_genres())


def state(text: str) -> ParseState:
    return ParseState.of(text, 2018)


@pytest.mark.parametrize(
    ("text", "value"), [("the second one", 1), ("#3", 2), ("number four", 3), ("the last one", -1)]
)
def test_ordinals_pass_sets_the_position(text: str, value: int) -> None:
    s = state(text)
    read_ordinals(s)
    assert s.query.ordinal == value
    assert "ordinal" in s.claims


def test_hash_ordinal_is_the_one_reading_of_hash_n() -> None:
    assert hash_ordinal("more like #2 please") == 1
    assert hash_ordinal("#0") is None
    assert hash_ordinal("no number here") is None
    assert parse_ordinal("3rd") == 2


def test_ratings_pass_halves_ten_point_scales_and_claims_the_phrase() -> None:
    s = state("comedies rated 8/10")
    read_ratings(s)
    assert s.query.min_rating == 4.0 and s.query.quality
    assert s.claims[0] is None and s.claims[-1] == "rating"


def test_mentions_pass_claims_cue_title_and_its_year_hint() -> None:
    s = state("something like alien 1979")
    read_references(s, TITLES)
    assert s.query.reference_items == [10]
    assert s.claims == [None, "cue", "title", "title"]


def test_mentions_pass_skips_the_verb_like_and_pronouns() -> None:
    for text in ("i'd like a comedy", "more like it"):
        s = state(text)
        read_references(s, TITLES)
        assert s.query.reference_items == []


def test_years_pass_intersects_windows() -> None:
    s = state("from the 90s but after 1995")
    read_years(s)
    assemble_years(s)
    assert (s.query.year_min, s.query.year_max) == (1996, 1999)


def test_years_pass_reads_recent_relative_to_the_anchor_not_new_york() -> None:
    s = state("something recent")
    read_years(s)
    assemble_years(s)
    assert s.query.year_min == 2014
    s = state("set in New York")
    read_years(s)
    assert s.years == []


def test_people_pass_reads_capitalised_names_after_a_cue() -> None:
    s = state("a thriller starring Tom Hanks")
    read_unknown_people(s, TITLES)
    assert s.query.people == [PersonRef("Tom Hanks", CAST)]  # resolved later by the engine


def test_genres_pass_with_negation_scope() -> None:
    s = state("a comedy but no horror or romance")
    read_genres(s, GENRES)
    negation_scope(s)
    assemble_genres(s)
    assert s.query.genres_all == ["Comedy"]
    assert set(s.query.genres_none) == {"Horror", "Romance"}


def test_genres_pass_reads_a_misspelt_genre_with_a_note() -> None:
    s = state("a documantary")
    read_genres(s, GENRES)
    assemble_genres(s)
    assert s.query.genres_all == ["Documentary"]
    assert s.query.notes == ["read 'documantary' as Documentary"]


def test_free_text_pass_keeps_unclaimed_content_words() -> None:
    s = state("a comedy about a talking dog please")
    read_genres(s, GENRES)
    assert free_text(s) == "talking dog"


SEARCHABLE = frozenset({"heist", "space", "marvel", "shark", "sharks", "class", "lover"})


@pytest.mark.parametrize(
    ("message", "free", "kept"),
    [
        ("Heloo", "Heloo", ""),
        ("Adios", "Adios", ""),
        ("I cried", "cried", ""),
        ("a heist in space", "heist space", "heist space"),
        ("i like Marvel stuff", "Marvel stuff", "Marvel stuff"),
        # a content cue makes it a description, searched whatever its words
        ("a movie about rowing", "rowing", "rowing"),
        # so does a request word: "something heartwarming" asks for films
        ("something heartwarming", "heartwarming", "heartwarming"),
        # a longer sentence that neither asks nor states a taste chats
        ("They kind of had the same shark cut back then.", "shark cut back", ""),
        ("He knows how to make sharks smile", "how make sharks smile", ""),
        # a taste, a phrase or a short answer is searched
        ("I am a shark lover", "shark lover", "shark lover"),
        ("I like marvel especially", "marvel", "marvel"),
        ("or sharks, its for my class", "sharks class", "sharks class"),
    ],
)
def test_bare_free_text_is_searched_only_when_the_catalog_can_match_it(message, free, kept) -> None:
    query = state(message).query
    assert chatty_free_text(query, free, SEARCHABLE, message) == kept


@pytest.mark.parametrize(
    ("message", "free"),
    [
        # words that cannot be what a film is about, even after a request word
        ("i am open to any movie", "am"),
        ("I have seen the old one", "old"),
        ("i have not seen the new one", "new"),
        ("What is your favorite movie?", "your"),
        ("I have seen both movies!", "both"),
        ("Didnt like the ending.", "Didnt ending"),
        # mistyped request words are a request, not a search
        ("Can you please reccomend a movie", "reccomend"),
        ("Do you have some movie reccomendations", "reccomendations"),
        ("I'm open to any suggestiong", "suggestiong"),
    ],
)
def test_function_words_and_mistyped_request_words_search_for_nothing(message, free) -> None:
    query = state(message).query
    assert chatty_free_text(query, free, SEARCHABLE, message) == ""
    # the same words beside a topic word leave the topic to search (no message: the
    # sentence gate below is not what this checks)
    assert chatty_free_text(query, f"{free} shark", SEARCHABLE).endswith("shark")



def test_free_text_beside_a_constraint_is_not_gated() -> None:
    query = state("comedy, quirky").query
    query.genres_all = ["Comedy"]
    assert chatty_free_text(query, "quirky", SEARCHABLE, "comedy, quirky") == "quirky"


def test_searchable_words_are_keyword_and_tag_words_of_enough_items() -> None:
    catalog = make_catalog()
    catalog.keywords = [("bank heist",), ("heist",), *[()] * (catalog.n_items - 2)]
    catalog.tags = [("space",), *[()] * (catalog.n_items - 1)]
    assert searchable_words(catalog, min_items=2) == {"heist"}
    assert searchable_words(catalog, min_items=1) == {"bank", "heist", "space"}
