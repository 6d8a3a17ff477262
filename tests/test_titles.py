"""Title resolution: MovieLens title forms, typos, year hints, ambiguity by popularity."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.data.catalog import Catalog
from recommender.nlp.titles import TitleIndex, split_year_hint, title_key
from tests.nlp_support import make_catalog


@pytest.fixture(scope="module")
def index() -> TitleIndex:
    return TitleIndex(make_catalog())


@pytest.mark.parametrize(
    ("typed", "item_id"),
    [
        ("The Matrix", 20),  # raw "Matrix, The (1999)"
        ("matrix", 20),
        ("THE MATRIX", 20),
        ("the matrix reloaded", 21),
        ("Toy Story", 1),
        ("toy story 2", 2),
        ("star wars", 30),  # the part before the colon, most popular episode
        ("empire strikes back", 31),  # no colon part: a fuzzy/prefix match is not needed
        ("se7en", 42),  # alternate title in parentheses
        ("Amélie", 43),  # accents folded
        ("amelie", 43),
        ("blade runner 2049", 61),  # a year that is part of the title
        ("blade runner", 62),
        ("the godfathr", 40),  # typo
        ("toy stroy", 1),
        ("saving private", 57),  # start of a longer title
    ],
)
def test_resolves(index: TitleIndex, typed: str, item_id: int) -> None:
    match = index.resolve(typed)
    assert match is not None and match.item_id == item_id, match


def test_ambiguous_title_goes_to_the_popular_one_unless_a_year_is_given(
    index: TitleIndex,
) -> None:
    assert index.resolve("Alien").item_id == 10  # 1979, 146 ratings, not the 2014 namesake
    assert index.resolve("alien 2014").item_id == 12
    assert index.resolve("Alien (1979)").item_id == 10
    assert index.resolve("alien", year=2014).item_id == 12


def test_year_hint_for_a_year_no_namesake_has_falls_back_to_popularity(
    index: TitleIndex,
) -> None:
    assert index.resolve("alien 1990").item_id == 10


def test_nothing_close_enough(index: TitleIndex) -> None:
    assert index.resolve("zzyzx road") is None
    assert index.resolve("") is None
    assert index.resolve("the") is None
    assert index.exact("matrx") is None  # exact() never fuzzes


def test_fuzzy_matches_report_a_lower_score(index: TitleIndex) -> None:
    assert index.resolve("The Matrix").score == 100
    assert index.resolve("the matrx").score < 100


def test_title_key_and_year_hint() -> None:
    assert title_key("Matrix, The") != title_key("The Matrix")  # raw form is split upstream
    assert title_key("The Matrix") == "matrix"
    assert title_key("Amélie!") == "amelie"
    assert split_year_hint("alien 1979") == ("alien", 1979)
    assert split_year_hint("alien (1979)") == ("alien", 1979)
    assert split_year_hint("1917") == ("1917", None)


def test_a_trailing_part_number_may_be_left_out() -> None:
    catalog = Catalog(item_ids=np.array([1, 2, 3], dtype=np.int64),
                      raw_titles=["Avengers: Infinity War - Part I (2018)", "Avengers, The (2012)",
                                  "War (2007)"],
                      titles=["Avengers: Infinity War - Part I", "The Avengers", "War"],
                      years=np.array([2018, 2012, 2007], dtype=np.int32),
                      genres=[("Action",), ("Action",), ("Action",)])
    index = TitleIndex(catalog)
    for typed in ("Avengers: Infinity War", "avengers infinity war", "Infinity War"):
        match = index.exact(typed)
        assert match is not None and match.item_id == 1, typed
    assert index.exact("Part I") is None


@pytest.mark.parametrize(
    ("name", "item_ids"),
    [
        ("Star Wars", [30, 31]),  # the saga: every title before whose colon the name is
        ("star wars", [30, 31]),
        ("Toy Story", [1, 2]),  # a numbered sequel
        ("Alien", []),  # two films of that name are namesakes; "Aliens" is another word
        ("Blade Runner", [62, 61]),  # most popular first
        ("Alien (1979)", []),  # a year pins one film
        ("The Matrix", []),  # "Reloaded" is no number: one film is no series
        ("Heat", []),
        ("Tom Hanks", []),
    ],
)
def test_series_is_the_films_a_name_stands_for(index: TitleIndex, name: str, item_ids: list[int]) -> None:
    assert index.series(name) == item_ids


def test_a_series_is_found_in_a_subtitle_too() -> None:
    catalog = Catalog(
        item_ids=np.array([1, 2, 3, 4], dtype=np.int64),
        raw_titles=["Star Wars: Episode IV - A New Hope (1977)", "Rogue One: A Star Wars Story (2016)",
                    "Empire of Dreams: The Story of the 'Star Wars' Trilogy (2004)", "Home Alone (1990)"],
        titles=["Star Wars: Episode IV - A New Hope", "Rogue One: A Star Wars Story",
                "Empire of Dreams: The Story of the 'Star Wars' Trilogy", "Home Alone"],
        years=np.array([1977, 2016, 2004, 1990], dtype=np.int32),
        genres=[("Sci-Fi",), ("Sci-Fi",), ("Documentary",), ("Comedy",)],
        rating_count=np.array([10, 5, 1, 3]),
    )
    index = TitleIndex(catalog)
    assert index.series("Star Wars") == [1, 2]  # the documentary only mentions it
    assert index.series("Home Alone") == []


def test_a_credited_persons_name_before_a_colon_is_no_title_key() -> None:
    catalog = Catalog(item_ids=np.array([1, 2], dtype=np.int64),
                      raw_titles=["Chris Rock: Bigger & Blacker (1999)", "Star Wars: Episode IV - A New Hope (1977)"],
                      titles=["Chris Rock: Bigger & Blacker", "Star Wars: Episode IV - A New Hope"],
                      years=np.array([1999, 1977], dtype=np.int32), genres=[("Comedy",), ("Sci-Fi",)],
                      cast=[("Chris Rock",), ("Mark Hamill",)])
    index = TitleIndex(catalog)
    assert index.exact("Chris Rock") is None  # "I love Chris Rock": the comedian
    assert index.exact("Chris Rock: Bigger & Blacker").item_id == 1
    assert index.exact("Star Wars").item_id == 2


def test_a_franchise_in_lower_case_is_a_whole_title_part_or_a_keyword_that_titles_bear() -> None:
    catalog = Catalog(
        item_ids=np.array([1, 2, 3, 4, 5, 6], dtype=np.int64),
        raw_titles=["Batman (1989)", "Batman v Superman: Dawn of Justice (2016)", "Dark Knight, The (2008)",
                    "Vertigo (1958)", "I Saw the Devil (2010)", "I Saw What You Did (1965)"],
        titles=["Batman", "Batman v Superman: Dawn of Justice", "The Dark Knight", "Vertigo", "I Saw the Devil",
                "I Saw What You Did"],
        years=np.array([1989, 2016, 2008, 1958, 2010, 1965], dtype=np.int32),
        genres=[("Action",)] * 6,
        descriptions=["Batman fights.", "Batman again.", "Batman raises the stakes.", "A plan.", "", ""],
        keywords=[("batman",), ("batman",), ("batman",), ("plan",), (), ()],
        rating_count=np.array([10, 5, 20, 8, 3, 2]),
    )
    index = TitleIndex(catalog)
    batman = index.franchise("batman")
    assert batman is not None and set(index.series("batman")) == {1, 2, 3}  # the plot names it
    assert index.franchise("plan") is None  # a plot keyword, no film titled with it
    assert index.franchise("i saw") is None  # a clause, not a series


def test_a_keyword_phrase_plots_name_in_lower_case_is_a_topic_not_a_franchise() -> None:
    catalog = Catalog(
        item_ids=np.array([1, 2, 3, 4], dtype=np.int64),
        raw_titles=["Looper (2012)", "Primer (2004)", "Frequency (2000)", "Sherlock Holmes (2009)"],
        titles=["Looper", "Primer", "Frequency", "Sherlock Holmes"],
        years=np.array([2012, 2004, 2000, 2009], dtype=np.int32), genres=[("Sci-Fi",)] * 4,
        descriptions=["Hit men use time travel.", "Two engineers discover time travel.",
                      "A son talks to his father through time travel.", "Sherlock Holmes and Watson."],
        keywords=[("time travel",)] * 3 + [("sherlock holmes",)],
        rating_count=np.array([30, 10, 5, 20]),
    )
    index = TitleIndex(catalog)
    # "a sci-fi movie without time travel" had asked for films like Looper
    assert index.franchise("time travel") is None
