"""Table-driven tests of the query parser: phrasing -> expected Query fields.

Every phrasing runs twice: with the entities of a stand-in tagger (``FakeTagger``,
following the generator's labelling conventions) and with no entities at all (the
lexicon fallback alone, as when the tagger misses everything). Both must give the same
structured query. Fields not listed in a case must keep their defaults.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from recommender.knowledge.topics import content_words, stem
from recommender.nlp.entities import Entity
from recommender.nlp.parser import QueryParser
from recommender.nlp.query import Command, Query
from tests.nlp_support import FakeTagger, make_catalog

BOTH, TAGGER, LEXICON = "both", "tagger", "lexicon"

# (phrasing, expected fields, which entity source must reproduce it)
CASES: list[tuple[str, dict[str, Any], str]] = [
    # genres: all-of / any-of / aliases / case / typos
    ("a sci-fi thriller", {"genres_all": {"Sci-Fi", "Thriller"}}, BOTH),
    ("comedy or drama", {"genres_any": {"Comedy", "Drama"}}, BOTH),
    ("either a western or a war movie", {"genres_any": {"Western", "War"}}, BOTH),
    ("horror comedies", {"genres_all": {"Horror", "Comedy"}}, BOTH),
    # a slash names a hybrid: films of both (not Inception for "horror/thriller")
    ("I'm looking for horror/thriller movies", {"genres_all": {"Horror", "Thriller"}, "genres_any": set()}, BOTH),
    ("any action/comedy?", {"genres_all": {"Action", "Comedy"}}, BOTH),
    ("action and adventure movies", {"genres_all": {"Action", "Adventure"}}, BOTH),
    ("SCI FI", {"genres_all": {"Sci-Fi"}}, BOTH),
    ("scifi please", {"genres_all": {"Sci-Fi"}}, BOTH),
    ("Science Fiction", {"genres_all": {"Sci-Fi"}}, BOTH),
    ("a romcom", {"genres_all": {"Comedy", "Romance"}}, BOTH),
    ("rom-coms", {"genres_all": {"Comedy", "Romance"}}, BOTH),
    ("some docs about nature", {"genres_all": {"Documentary"}, "text": "nature"}, BOTH),
    ("cartoons for the kids", {"genres_all": {"Animation", "Children"}}, BOTH),
    ("a comdy", {"genres_all": {"Comedy"}}, BOTH),
    ("horor movies", {"genres_all": {"Horror"}}, BOTH),
    ("thrillr", {"genres_all": {"Thriller"}}, BOTH),
    ("a documantary", {"genres_all": {"Documentary"}}, LEXICON),
    ("film noir", {"genres_all": {"Film-Noir"}}, BOTH),
    ("MuSiCaLs", {"genres_all": {"Musical"}}, BOTH),
    ("something scary", {"genres_all": {"Horror"}}, BOTH),
    ("i'd like a comedy", {"genres_all": {"Comedy"}}, BOTH),
    ("something like horror", {"genres_all": {"Horror"}}, BOTH),
    # negation scope
    ("no horror", {"genres_none": {"Horror"}}, BOTH),
    ("no horror or romance", {"genres_none": {"Horror", "Romance"}}, BOTH),
    ("anything but comedy", {"genres_none": {"Comedy"}}, BOTH),
    ("not animated", {"genres_none": {"Animation"}}, BOTH),
    ("without romance", {"genres_none": {"Romance"}}, BOTH),
    ("an action movie without romance", {"genres_all": {"Action"}, "genres_none": {"Romance"}}, BOTH),
    ("comedy but no romance", {"genres_all": {"Comedy"}, "genres_none": {"Romance"}}, BOTH),
    ("no horror, i want a comedy", {"genres_all": {"Comedy"}, "genres_none": {"Horror"}}, BOTH),
    ("nothing scary", {"genres_none": {"Horror"}}, BOTH),
    ("non-fiction", {"genres_all": {"Documentary"}}, BOTH),
    ("not a horror movie but a thriller", {"genres_all": {"Thriller"}, "genres_none": {"Horror"}}, BOTH),
    ("I don't want to see horror", {"genres_none": {"Horror"}}, LEXICON),
    ("sci-fi without horror or romance", {"genres_all": {"Sci-Fi"}, "genres_none": {"Horror", "Romance"}}, BOTH),
    # years
    ("80s action", {"genres_all": {"Action"}, "year_min": 1980, "year_max": 1989}, BOTH),
    ("movies from the 1980s", {"year_min": 1980, "year_max": 1989}, BOTH),
    ("eighties comedies", {"genres_all": {"Comedy"}, "year_min": 1980, "year_max": 1989}, BOTH),
    ("from the 90s", {"year_min": 1990, "year_max": 1999}, BOTH),
    ("'70s westerns", {"genres_all": {"Western"}, "year_min": 1970, "year_max": 1979}, BOTH),
    ("late 90s thrillers", {"genres_all": {"Thriller"}, "year_min": 1996, "year_max": 1999}, LEXICON),
    ("a drama from 1995", {"genres_all": {"Drama"}, "year_min": 1995, "year_max": 1995}, BOTH),
    ("before 1970", {"year_max": 1969}, BOTH),
    ("after 2015", {"year_min": 2016}, BOTH),
    ("since 2010", {"year_min": 2010}, BOTH),
    ("pre-1960 musicals", {"genres_all": {"Musical"}, "year_max": 1959}, BOTH),
    ("between 1995 and 2005", {"year_min": 1995, "year_max": 2005}, BOTH),
    ("1995-2005 crime", {"genres_all": {"Crime"}, "year_min": 1995, "year_max": 2005}, LEXICON),
    ("from 1990 to 1999", {"year_min": 1990, "year_max": 1999}, BOTH),
    ("between 2020 and 1990", {"year_min": 1990, "year_max": 2020, "note": "1990 to 2020"}, BOTH),
    ("recent sci-fi", {"genres_all": {"Sci-Fi"}, "year_min": 2014}, BOTH),
    ("new comedies", {"genres_all": {"Comedy"}, "year_min": 2014}, BOTH),
    ("the latest thrillers", {"genres_all": {"Thriller"}, "year_min": 2014, "sort": "newest"}, BOTH),
    ("old westerns", {"genres_all": {"Western"}, "year_max": 1969}, BOTH),
    ("classic film noir", {"genres_all": {"Film-Noir"}, "year_max": 1969}, BOTH),
    ("movies from the last 5 years", {"year_min": 2014}, LEXICON),
    ("year 99999", {"note": "99999"}, BOTH),
    ("comedies from the year 3000", {"genres_all": {"Comedy"}, "note": "3000"}, BOTH),
    ("movies about New York", {"text": "New York"}, LEXICON),
    # quality
    ("highly rated dramas", {"genres_all": {"Drama"}, "min_rating": 3.8, "quality": True}, BOTH),
    ("the best comedies", {"genres_all": {"Comedy"}, "min_rating": 3.8, "quality": True}, BOTH),
    ("top rated thrillers", {"genres_all": {"Thriller"}, "min_rating": 3.8, "quality": True}, BOTH),
    # a film that makes one think is the best-rated of its kind, not a title search
    ("i want something funny but smart", {"genres_all": {"Comedy"}, "min_rating": 3.8, "quality": True,
                                          "text": ""}, BOTH),
    ("a clever thriller", {"genres_all": {"Thriller"}, "min_rating": 3.8, "quality": True}, BOTH),
    # "good" is a floor, not "best-rated first" (lexicon.FLOOR_ONLY_QUALITY_WORDS)
    ("a good horror movie", {"genres_all": {"Horror"}, "min_rating": 3.5, "quality": False}, BOTH),
    ("the best horror movie", {"genres_all": {"Horror"}, "min_rating": 3.8, "quality": True}, BOTH),
    # "like it?" at the end of a longer message is the pronoun, not the film It
    ("I love comedies like super troopers. Do you know of any others like it?",
     {"genres_all": {"Comedy"}}, BOTH),
    # a bracketed year after a word is a film's year, not a filter; "from (2004)" is one
    ("Or Yes (2004)", {"year_min": None, "year_max": None}, BOTH),
    ("comedies from (2004)", {"genres_all": {"Comedy"}, "year_min": 2004, "year_max": 2004}, BOTH),
    # rejected topics are avoided, never searched for
    ("I hate gore", {"avoid_text": "gore", "text": ""}, BOTH),
    ("I didn't like the ending", {"avoid_text": "", "text": ""}, BOTH),
    # idioms of a negation cue reject nothing and search nothing
    ("a comedy, I am in no way easily offended", {"genres_all": {"Comedy"}, "avoid_text": "", "text": "easily offended"}, BOTH),
    ("no doubt, something funny", {"genres_all": {"Comedy"}, "avoid_text": "", "text": ""}, BOTH),
    # "with" right after a cue says what is negated; "feel-good" is a kind of film, no rating
    ("a comedy but nothing with romance", {"genres_all": {"Comedy"}, "genres_none": {"Romance"}}, BOTH),
    ("no movies with gore please", {"avoid_text": "gore", "text": ""}, BOTH),
    ("a feel-good movie", {"min_rating": None, "quality": False, "text": "feel good"}, BOTH),
    ("movies based on a true story", {"text": "based on true story"}, BOTH),
    ("something based on real events", {"text": "based on true story"}, BOTH),
    # a negated copula in a relative clause is a cue; a question opening with one is not
    ("a horror movie that isn't too gory", {"genres_all": {"Horror"}, "avoid_text": "gore", "text": ""}, BOTH),
    ("something that is not scary", {"genres_none": {"Horror"}}, BOTH),
    ("isn't that a horror movie?", {}, BOTH),
    ("I didnt like the scary ones.", {"genres_none": {"Horror"}, "genres_all": set()}, BOTH),
    ("Mostly comedy", {"genres_all": {"Comedy"}, "text": ""}, BOTH),
    # words about one's taste are no topic to search for
    ("my fave is action", {"genres_all": {"Action"}, "text": ""}, BOTH),
    ("I am a huge fan of sci-fi? Got any good recommendations?",
     {"genres_all": {"Sci-Fi"}, "text": "", "min_rating": 3.5, "quality": False}, BOTH),
    ("rated above 4", {"min_rating": 4.0, "quality": True}, BOTH),
    ("4 stars and up", {"min_rating": 4.0, "quality": True}, LEXICON),
    ("rated 8/10 or more", {"min_rating": 4.0, "quality": True, "note": "out of 10"}, LEXICON),
    ("rated above 40", {"note": "ignored the rating"}, LEXICON),
    # references
    ("something like Alien", {"reference_items": [10]}, BOTH),
    ("similar to The Matrix", {"reference_items": [20]}, BOTH),
    ("more like Toy Story", {"reference_items": [1]}, BOTH),
    ("like alien 1979", {"reference_items": [10]}, BOTH),
    ("like alien (2014)", {"reference_items": [12]}, LEXICON),
    ("movies like the godfather but funnier", {"reference_items": [40], "genres_all": ["Comedy"], "relative": False}, BOTH),
    ("similar to star wars", {"reference_items": [30]}, BOTH),
    ("like se7en", {"reference_items": [42]}, LEXICON),
    ("like the matrix from the 2000s", {"reference_items": [20], "year_min": 2000, "year_max": 2009}, BOTH),
    ("like toy stroy", {"reference_items": [1], "note": "Toy Story"}, LEXICON),
    ("like Blade Runner 2049", {"reference_items": [61]}, BOTH),
    # people
    ("movies with Tom Hanks", {"people": ["Tom Hanks"]}, BOTH),
    ("movies with tom hanks", {"people": ["Tom Hanks"]}, TAGGER),
    ("a thriller by christopher nolan", {"genres_all": {"Thriller"}, "people": ["Christopher Nolan"]}, TAGGER),
    # ordinals
    ("the second one", {"ordinal": 1}, BOTH),
    ("#2", {"ordinal": 1}, BOTH),
    ("number 3", {"ordinal": 2}, BOTH),
    ("the last one", {"ordinal": -1}, BOTH),
    ("tell me more about the first movie", {"ordinal": 0}, BOTH),
    ("3", {"ordinal": 2}, LEXICON),
    ("the second world war", {"genres_all": {"War"}, "text": "world war ii"}, LEXICON),
    # commands
    ("more", {"command": Command.MORE}, BOTH),
    ("Next!", {"command": Command.MORE}, BOTH),
    ("show me more please", {"command": Command.MORE}, BOTH),
    ("reset", {"command": Command.RESET}, BOTH),
    ("start over", {"command": Command.RESET}, BOTH),
    ("newer", {"command": Command.NEWER}, BOTH),
    ("something older", {"command": Command.OLDER}, BOTH),
    ("help", {"command": Command.HELP}, BOTH),
    ("/help", {"command": Command.HELP}, BOTH),
    ("my ratings", {"command": Command.HISTORY}, BOTH),
    ("forget me", {"command": Command.FORGET}, BOTH),
    # free text
    ("recommend me a movie about space travel", {"text": "space travel"}, BOTH),
    ("I want a sci-fi movie about time travel", {"genres_all": {"Sci-Fi"}, "text": "time travel"}, BOTH),
    ("a heist movie", {"genres_all": {"Crime"}}, BOTH),
    ("superhero movies", {"text": "superhero"}, LEXICON),
    ("something with dragons please", {"text": "dragons"}, BOTH),
    ("movies from 95", {"year_min": 1995, "year_max": 1995}, LEXICON),
    ("top 10 comedies", {"genres_all": {"Comedy"}, "min_rating": 3.8, "quality": True}, BOTH),
    ("pg-13 action", {"genres_all": {"Action"}, "note": "age rating"}, BOTH),
    ("new york crime dramas", {"genres_all": {"Crime", "Drama"}, "text": "new york"}, LEXICON),
    ("something like it", {}, BOTH),
    # mixed
    ("Highly rated 90s sci-fi but no horror",
     {"genres_all": {"Sci-Fi"}, "genres_none": {"Horror"}, "year_min": 1990, "year_max": 1999,
      "min_rating": 3.8, "quality": True}, BOTH),
    ("a recent comedy like Notting Hill",
     {"genres_all": {"Comedy"}, "year_min": 2014, "reference_items": [52]}, BOTH),
]  # fmt: skip

_DEFAULTS = Query()
_FIELDS = (
    "genres_all", "genres_any", "genres_none", "year_min", "year_max", "min_rating",
    "quality", "reference_items", "people", "ordinal", "command", "sort",
)  # fmt: skip
_SETS = ("genres_all", "genres_any", "genres_none")


@pytest.fixture(scope="module")
def parser() -> QueryParser:
    return QueryParser(make_catalog())


@pytest.fixture(scope="module")
def tagger() -> FakeTagger:
    return FakeTagger(make_catalog())


def check(query: Query, expected: dict[str, Any]) -> None:
    for name in _FIELDS:
        want = expected.get(name, getattr(_DEFAULTS, name))
        got = getattr(query, name)
        if name == "people":  # names as typed; their roles and credits: test_knowledge
            got = [p.name for p in got]
        if name in _SETS:
            got, want = set(got), set(want)
        assert got == want, f"{name}: got {got!r}, expected {want!r} ({query})"
    if "text" in expected:
        assert query.text == expected["text"], query
    if "note" in expected:
        assert any(expected["note"] in n for n in query.notes), query.notes


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({text for text, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("text", "expected", "mode"), CASES, ids=[c[0] for c in CASES])
def test_phrasing_with_tagger_entities(
    parser: QueryParser, tagger: FakeTagger, text: str, expected: dict[str, Any], mode: str
) -> None:
    if mode == LEXICON:
        pytest.skip("phrasing covered by the lexicon fallback only")
    check(parser.parse(text, tagger.tag(text)), expected)


@pytest.mark.parametrize(("text", "expected", "mode"), CASES, ids=[c[0] for c in CASES])
def test_phrasing_without_entities(
    parser: QueryParser, text: str, expected: dict[str, Any], mode: str
) -> None:
    if mode == TAGGER:
        pytest.skip("needs the tagger (lower-case names)")
    check(parser.parse(text, []), expected)


def test_anchor_year_comes_from_the_catalog_not_the_clock() -> None:
    catalog = make_catalog()
    assert QueryParser(catalog).parse("recent movies").year_min == 2018 - 4
    assert QueryParser(catalog, anchor_year=2000).parse("recent movies").year_min == 1996


def test_tagger_spans_win_over_lexicon_words() -> None:
    """A title the tagger found is not re-read as a genre or an ordinal."""
    parser = QueryParser(make_catalog())
    text = "scary movie"
    query = parser.parse(text, [Entity("TITLE", "scary movie", 0, 11)])
    assert query.reference_items == [63]
    assert query.genres_all == []


def test_a_request_word_the_tagger_calls_a_title_is_no_title_and_no_note() -> None:
    parser = QueryParser(make_catalog())
    query = parser.parse("something funny", [Entity("TITLE", "something", 0, 9)])
    assert query.reference_items == []
    assert not any("did not find" in note for note in query.notes)


def test_tagger_neg_genre_needs_a_negation_before_it() -> None:
    """The tagger learnt NEG_GENRE from the lexicon's cues: without one it is a slip."""
    parser = QueryParser(make_catalog())
    text = "no way, not horror"
    negated = parser.parse(text, [Entity("NEG_GENRE", "horror", 12, 18)])
    assert negated.genres_none == ["Horror"]
    slip = parser.parse("something like horror", [Entity("NEG_GENRE", "horror", 15, 21)])
    assert slip.genres_all == ["Horror"] and slip.genres_none == []
    text = "not a horror movie but a thriller"
    both = [Entity("NEG_GENRE", "horror", 6, 12), Entity("NEG_GENRE", "thriller", 25, 33)]
    query = parser.parse(text, both)
    assert query.genres_none == ["Horror"] and query.genres_all == ["Thriller"]


def test_tagger_spans_inside_a_rating_phrase_are_the_rating() -> None:
    parser = QueryParser(make_catalog())
    text = "rated above 4"
    spans = [Entity("RATINGS_AVERAGE", "above", 6, 11), Entity("ORDINAL", "4", 12, 13)]
    query = parser.parse(text, spans)
    assert query.min_rating == 4.0 and query.ordinal is None


def test_unknown_tagger_genre_without_encoder_becomes_free_text() -> None:
    parser = QueryParser(make_catalog())
    query = parser.parse("superhero flicks", [Entity("GENRE", "superhero", 0, 9)])
    assert query.genres_all == [] and query.text == "superhero"


class AxisEncoder:
    """A stand-in sentence encoder: a text naming space or science embeds on axis 0 (next
    to Sci-Fi's description), cooking on axis 1, anything else on axis 2 (no genre is
    closest); every batch it is asked to encode is recorded in ``batches``."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts, batch_size=64):
        self.batches.append(list(texts))
        axis = [0 if ("science" in t or "space" in t) else 1 if "cooking" in t else 2
                for t in texts]
        return np.eye(3, dtype=np.float32)[axis]


def test_unknown_genre_maps_to_nearest_catalog_genre_by_embedding() -> None:
    parser = QueryParser(make_catalog(), encoder=AxisEncoder())
    spans = [Entity("GENRE", "space opera", 0, 11)]
    assert parser.parse("space opera", spans).genres_all == ["Sci-Fi"]
    cooking = parser.parse("cooking", [Entity("GENRE", "cooking", 0, 7)])
    assert cooking.genres_all == [] and cooking.text == "cooking"


def test_unknown_genre_words_of_one_message_are_embedded_in_one_encoder_call() -> None:
    encoder = AxisEncoder()
    parser = QueryParser(make_catalog(), encoder=encoder)
    parser.warm_up()
    encoder.batches.clear()
    spans = [Entity("GENRE", "space", 0, 5), Entity("GENRE", "opera", 6, 11),
             Entity("GENRE", "horror", 16, 22)]
    query = parser.parse("space opera with horror", spans)
    assert sorted(query.genres_all) == ["Horror", "Sci-Fi"]
    # "horror" is a known alias: only the two unknown words are embedded, together.
    assert encoder.batches == [["space", "opera"]]


def test_entities_with_wrong_offsets_are_repaired_or_dropped() -> None:
    parser = QueryParser(make_catalog())
    query = parser.parse(
        "80s horror",
        [Entity("GENRE", "horror", 0, 3), Entity("TITLE", "nonexistent", 50, 60)],
    )
    assert query.genres_all == ["Horror"] and (query.year_min, query.year_max) == (1980, 1989)


def test_unresolved_title_is_noted_and_kept_as_text() -> None:
    parser = QueryParser(make_catalog())
    query = parser.parse("zzyzx road movies", [Entity("TITLE", "zzyzx road", 0, 10)])
    assert query.reference_items == []
    assert query.text == "zzyzx road"
    assert any("zzyzx road" in n for n in query.notes)


def test_unresolved_title_after_like_is_noted_not_searched() -> None:
    # "movies like Knives Out" (newer than the catalog): the note says so; searching
    # "knives" listed Casino Royale and Swordfish.
    parser = QueryParser(make_catalog())
    query = parser.parse("like zzyzx road", [Entity("TITLE", "zzyzx road", 5, 15)])
    assert query.reference_items == [] and query.text == ""
    assert any("zzyzx road" in n for n in query.notes)


def test_huge_input_is_cut_with_a_note() -> None:
    query = QueryParser(make_catalog()).parse("horror " * 10_000, [])
    assert query.genres_all == ["Horror"]
    assert any("first" in n for n in query.notes)


def test_catalog_without_a_genre_drops_it_with_a_note() -> None:
    catalog = make_catalog()
    catalog.genres = [tuple(g for g in gs if g != "IMAX") for gs in catalog.genres]
    query = QueryParser(catalog).parse("imax movies", [])
    assert query.genres_all == []
    assert any("IMAX" in n for n in query.notes)


@pytest.mark.slow
def test_real_encoder_maps_close_genre_words_and_leaves_the_rest() -> None:
    import torch

    from recommender.nlp.backbone import default_backbone_dir
    from recommender.nlp.encoder import SentenceEncoder

    torch.set_num_threads(2)
    parser = QueryParser(make_catalog(), encoder=SentenceEncoder(default_backbone_dir()))
    satire = parser.parse("a satire", [Entity("GENRE", "satire", 2, 8)])
    assert satire.genres_all == ["Comedy"]
    biopic = parser.parse("a biopic", [Entity("GENRE", "biopic", 2, 8)])
    assert biopic.genres_all == [] and biopic.text == "biopic"


def test_fragmented_title_after_like_is_one_reference() -> None:
    """A weak tagger splits "Notting Hill" into a person and a title: the catalog wins."""
    parser = QueryParser(make_catalog())
    text = "a recent comedy like Notting Hill"
    spans = [Entity("ACTOR", "Notting", 21, 28), Entity("TITLE", "Hill", 29, 33)]
    query = parser.parse(text, spans)
    assert query.reference_items == [52] and query.people == []
    typo = parser.parse("like toy stroy", [Entity("GENRE", "toy", 5, 8)])
    assert typo.reference_items == [1] and typo.genres_all == []


def test_warm_up_embeds_the_genre_table_before_the_first_message() -> None:
    encoder = AxisEncoder()
    parser = QueryParser(make_catalog(), encoder=encoder)
    parser.warm_up()
    assert len(encoder.batches) == 1 and len(encoder.batches[0]) > 1  # the genre table
    parser.parse("space opera", [Entity("GENRE", "space opera", 0, 11)])
    assert encoder.batches[1:] == [["space opera"]]  # the message pays for its phrase only
    QueryParser(make_catalog()).warm_up()  # no encoder: nothing to do


def test_a_rejected_plot_keyword_that_is_also_a_genre_word_keeps_the_genre() -> None:
    # "zombies" is a Horror alias and, in the real catalog, a common plot keyword.
    parser = QueryParser(make_catalog())
    parser.topic_words = frozenset({stem("zombies")})
    query = parser.parse("a horror movie without zombies")
    assert query.genres_all == ["Horror"] and query.genres_none == []
    assert query.avoid_text == "zombies" and query.text == ""
    scary = parser.parse("i want a scary movie but nothing with zombies")
    assert scary.genres_all == ["Horror"] and scary.avoid_text == "zombies" and scary.text == ""
    # without a horror request too: "no zombies please" leaves out zombie films, not
    # every horror film; a plain genre word still excludes its genre
    alone = parser.parse("no zombies please")
    assert alone.genres_none == [] and alone.avoid_text == "zombies"
    assert parser.parse("no horror please").genres_none == ["Horror"]
    assert parser.parse("no scary movies").genres_none == ["Horror"]


def test_a_negated_romcom_leaves_out_romance_and_keeps_the_comedy() -> None:
    parser = QueryParser(make_catalog())
    assert parser.parse("not a romcom").genres_none == ["Romance"]
    both = parser.parse("a comedy but not a romantic comedy")
    assert both.genres_all == ["Comedy"] and both.genres_none == ["Romance"]


def test_a_tagged_title_after_an_indefinite_article_is_a_kind_of_film() -> None:
    # "an alien movie", "a road trip movie": a description, unless the title itself
    # starts with the article ("a quiet place" is A Quiet Place).
    parser = QueryParser(make_catalog())
    described = parser.parse("an alien movie", [Entity("TITLE", "alien", 3, 8)])
    assert described.reference_items == [] and "alien" in described.text
    named = parser.parse("something like alien", [Entity("TITLE", "alien", 15, 20)])
    assert named.reference_items == [10]


def test_a_tagged_title_gets_the_stance_the_message_gives_it() -> None:
    parser = QueryParser(make_catalog())
    # a misspelt title only the tagger finds
    seen = parser.parse("I watched toy stroy", [Entity("TITLE", "toy stroy", 10, 19)])
    assert seen.seen == [1] and seen.reference_items == []
    asked = parser.parse("have you seen alien?", [Entity("TITLE", "alien", 14, 19)])
    assert asked.asked == [10] and asked.reference_items == []
    assert parser.parse("something like alien", [Entity("TITLE", "alien", 15, 20)]).reference_items == [10]


def test_a_tagged_topic_that_is_no_title_is_searched_without_a_note() -> None:
    parser = QueryParser(make_catalog())
    parser.searchable = frozenset(content_words("time travel"))
    query = parser.parse("anything about time travel?", [Entity("TITLE", "time travel", 15, 26)])
    assert query.text == "time travel" and query.notes == []
    unknown = parser.parse("have you seen blorgfest zumpa?", [Entity("TITLE", "blorgfest zumpa", 14, 29)])
    assert unknown.notes == ["I don't know the film 'blorgfest zumpa' yet"]


def test_sadness_said_away_leaves_out_sad_films_and_asks_for_no_drama() -> None:
    parser = QueryParser(make_catalog())
    for text in ("no sad movies", "nothing sad please", "she hates sad endings"):
        query = parser.parse(text)
        assert query.genres_all == [] and query.text == "", text
        assert "sadness" in query.avoid_text, text
    asked = parser.parse("a sad movie")
    assert asked.genres_all == ["Drama"] and "sadness" in asked.text and asked.avoid_text == ""


def test_a_film_the_catalog_lacks_is_said_so_and_neither_searched_nor_it() -> None:
    parser = QueryParser(make_catalog())
    watched = parser.parse("I just watched Parasite and loved it")
    assert watched.notes == ["I don't know the film 'Parasite' yet"]
    assert watched.liked == [] and watched.pronoun is None  # "it" is Parasite, not the list
    office = parser.parse("movies like The Office")
    assert office.notes == ["I don't know the film 'The Office' yet"]
    assert office.text == "" and office.reference_items == []
    # where one watched is no film, and one capitalised word after "like" stays a topic
    assert parser.parse("I watched Netflix yesterday").notes == []
    assert parser.parse("something like Marvel").notes == []


def test_the_world_wars_in_any_spelling_are_their_keyword() -> None:
    parser = QueryParser(make_catalog())
    for text in ("ww2 movies", "a movie about world war 2", "something about wwii"):
        query = parser.parse(text)  # "world war 2" had been the title World War Z
        assert query.genres_all == ["War"] and query.text == "world war ii", text
        assert query.reference_items == [], text
    away = parser.parse("war movies but not ww2")
    assert away.genres_all == ["War"] and away.genres_none == [] and away.avoid_text == "world war ii"
