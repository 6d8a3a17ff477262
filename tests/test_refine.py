"""Multi-turn refinement rules (recommender.refine), one test per rule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recommender.data.catalog import Catalog
from recommender.nlp.query import CAST, DIRECTOR, Command, PersonRef, Query
from recommender.ranking.filters import CatalogIndex, satisfies
from recommender.refine import Turn, describe, merge, refine, shift_years

NINETIES_SCIFI = Query(genres_all=["Sci-Fi"], year_min=1990, year_max=1999)


def test_first_message_starts_a_new_query():
    r = refine(None, Query(genres_all=["Comedy"]), text="comedy")
    assert r.kind is Turn.NEW
    assert r.query.genres_all == ["Comedy"]


def test_also_adds_a_genre_and_keeps_the_rest():
    r = refine(NINETIES_SCIFI, Query(genres_all=["Comedy"]), text="also comedy")
    assert r.kind is Turn.REFINE
    assert r.query.genres_all == ["Sci-Fi", "Comedy"]
    assert (r.query.year_min, r.query.year_max) == (1990, 1999)


def test_and_and_too_are_additive():
    for text in ("and comedy", "comedy too", "comedy as well", "plus comedy"):
        assert merge(NINETIES_SCIFI, Query(genres_all=["Comedy"]), text=text).genres_all == [
            "Sci-Fi", "Comedy"
        ], text


def test_plain_genre_replaces_the_genre_and_keeps_years_and_exclusions():
    prev = Query(genres_all=["Sci-Fi"], genres_none=["Horror"], year_min=1990, year_max=1999)
    r = refine(prev, Query(genres_all=["Comedy"], text="movies please"), text="comedy movies please")
    assert r.kind is Turn.REFINE
    assert r.query.genres_all == ["Comedy"]
    assert r.query.genres_none == ["Horror"]
    assert (r.query.year_min, r.query.year_max) == (1990, 1999)


def test_no_x_excludes_and_drops_it_from_wanted_genres():
    prev = Query(genres_all=["Sci-Fi", "Horror"])
    r = refine(prev, Query(genres_none=["Horror"]), text="no horror")
    assert r.kind is Turn.REFINE
    assert r.query.genres_none == ["Horror"]
    assert r.query.genres_all == ["Sci-Fi"]


def test_asking_for_an_excluded_genre_lifts_the_exclusion():
    prev = Query(genres_all=["Sci-Fi"], genres_none=["Horror"])
    assert merge(prev, Query(genres_all=["Horror"]), text="horror").genres_none == []
    assert merge(prev, Query(genres_all=["Horror"]), text="also horror").genres_none == []


def test_a_year_window_alone_refines_the_session():
    prev = Query(genres_all=["Western"])
    r = refine(prev, Query(year_min=1960, year_max=1969), text="from the 60s")
    assert r.kind is Turn.REFINE
    assert r.query.genres_all == ["Western"]
    assert (r.query.year_min, r.query.year_max) == (1960, 1969)


def test_newer_and_older_shift_a_decade_window():
    newer = merge(NINETIES_SCIFI, Query(command=Command.NEWER), text="newer")
    older = merge(NINETIES_SCIFI, Query(command=Command.OLDER), text="older")
    assert (newer.year_min, newer.year_max) == (2000, 2009)
    assert (older.year_min, older.year_max) == (1980, 1989)
    assert newer.genres_all == ["Sci-Fi"]


def test_newer_and_older_with_open_windows():
    after = Query(year_min=2000)
    before = Query(year_max=1980)
    assert (shift_years(after, newer=True).year_min, shift_years(after, newer=True).year_max) == (2010, None)
    assert (shift_years(after, newer=False).year_min, shift_years(after, newer=False).year_max) == (1990, 1999)
    assert (shift_years(before, newer=False).year_min, shift_years(before, newer=False).year_max) == (None, 1970)
    assert (shift_years(before, newer=True).year_min, shift_years(before, newer=True).year_max) == (1981, 1990)


def test_older_again_of_a_list_sorted_oldest_first_moves_past_its_middle():
    sorted_old = Query(genres_all=["Horror"], sort="oldest")
    years = [1955, 1975, 1979, 1980, 1986]
    r = refine(sorted_old, Query(command=Command.OLDER), text="even older", shown_years=years)
    assert (r.query.year_min, r.query.year_max, r.query.sort) == (None, 1978, "oldest")
    newer = refine(Query(genres_all=["Drama"], sort="newest"), Query(command=Command.NEWER), text="even newer",
                   shown_years=[2017, 2015, 2015, 2015, 2014])
    assert (newer.query.year_min, newer.query.year_max) == (2016, None)
    # The other way round it is a plain sort again.
    back = refine(sorted_old, Query(command=Command.NEWER), text="newer", shown_years=years)
    assert (back.query.sort, back.query.year_max) == ("newest", None)


def test_newer_without_a_window_sorts_by_year():
    r = refine(Query(genres_all=["Comedy"]), Query(command=Command.NEWER), text="newer")
    assert r.query.sort == "newest"
    assert r.query.year_min is None


def test_a_request_that_only_asks_for_newer_films_is_newer():
    # "can you recommend something newer?": the parser reads the order, nothing else
    comedy = Query(genres_all=["Comedy"])
    r = refine(comedy, Query(sort="newest"), text="can you recommend something newer?")
    assert r.kind is Turn.REFINE
    assert r.query.genres_all == ["Comedy"] and r.query.sort == "newest"
    older = refine(NINETIES_SCIFI, Query(sort="oldest"), text="anything older?")
    assert (older.query.year_min, older.query.year_max) == (1980, 1989)


def test_more_keeps_the_query():
    r = refine(NINETIES_SCIFI, Query(command=Command.MORE), text="more")
    assert r.kind is Turn.MORE
    assert r.query == NINETIES_SCIFI


def test_reset_clears():
    r = refine(NINETIES_SCIFI, Query(command=Command.RESET), text="reset")
    assert r.kind is Turn.RESET
    assert r.query.is_empty()


def test_ordinal_resolves_against_the_last_list():
    prev = Query(genres_all=["Sci-Fi"], genres_none=["Horror"])
    r = refine(prev, Query(ordinal=1), text="like the second one", shown=[10, 20, 30])
    assert r.kind is Turn.REFINE
    assert r.query.reference_items == [20]
    assert r.query.genres_none == ["Horror"]


def test_hash_number_is_an_ordinal_even_if_the_parser_missed_it():
    r = refine(Query(genres_all=["Sci-Fi"]), Query(text="#3"), text="#3", shown=[10, 20, 30])
    assert r.query.reference_items == [30]


def test_ordinal_past_the_end_changes_nothing_and_says_so():
    prev = Query(genres_all=["Sci-Fi"])
    r = refine(prev, Query(ordinal=8), text="the ninth", shown=[10, 20])
    assert r.kind is Turn.UNRESOLVED
    assert r.query == prev
    assert "no #9" in r.notes[0]
    assert "haven't shown" in refine(None, Query(ordinal=0), text="#1").notes[0]


def test_a_fresh_unrelated_request_starts_over():
    prev = Query(genres_all=["Sci-Fi"], genres_none=["Horror"], year_min=1990, year_max=1999)
    r = refine(prev, Query(reference_items=[42]), text="something like Heat")
    assert r.kind is Turn.NEW
    assert r.query.genres_none == []
    assert r.query.reference_items == [42]
    r = refine(prev, Query(text="a heist with a twist"), text="a heist with a twist")
    assert r.kind is Turn.NEW


def test_inputs_are_not_mutated():
    prev = Query(genres_all=["Sci-Fi"])
    new = Query(genres_all=["Comedy"])
    refine(prev, new, text="also comedy")
    assert prev.genres_all == ["Sci-Fi"] and new.genres_all == ["Comedy"]


def test_describe_reads_like_a_summary():
    q = Query(genres_all=["Comedy"], genres_none=["Horror"], year_min=1990, year_max=1999,
              reference_items=[1])
    assert describe(q, lambda i: "Alien") == "Comedy · 1990–1999 · not Horror · like Alien"
    assert describe(Query()) == ""
    # a whole series is named by its first three films and counted
    series = Query(reference_items=[1, 2, 3, 4, 5])
    assert describe(series, lambda i: f"Star Wars {i}") == "like Star Wars 1, Star Wars 2, Star Wars 3 and 2 more"
    # a few words of free text say how the list differs; a long text is not shown beside facets
    assert describe(Query(reference_items=[1], text="heist"), lambda i: "Inception") == "like Inception · “heist”"
    assert describe(Query(genres_all=["Drama"], text="a b c d")) == "Drama"


def test_a_message_with_nothing_in_it_keeps_the_session():
    prev = Query(genres_all=["Sci-Fi"])
    r = refine(prev, Query(), text="thanks")
    assert r.kind is Turn.UNRESOLVED and r.query == prev and r.notes
    assert refine(None, Query(), text="hi").kind is Turn.NEW


def test_the_last_one_is_the_last_item_of_the_list():
    r = refine(NINETIES_SCIFI, Query(ordinal=-1), text="like the last one", shown=[20, 30, 40])
    assert r.kind is Turn.REFINE and r.query.reference_items == [40]
    lost = refine(None, Query(ordinal=-1), text="like the last one")
    assert lost.kind is Turn.UNRESOLVED and "#0" not in lost.notes[0]


def test_a_new_genre_is_a_new_topic_titles_and_people_do_not_stick():
    prev = Query(reference_items=[42], people=["Tom Hanks"], genres_none=["Horror"], text="space")
    r = refine(prev, Query(genres_all=["Comedy"]), text="any comedies?")
    assert r.query.reference_items == [] and r.query.people == [] and r.query.text == ""
    assert r.query.genres_all == ["Comedy"] and r.query.genres_none == ["Horror"]


def test_a_taste_statement_refines_the_topic_with_the_liked_movies():
    prev = Query(genres_all=["Horror"])
    r = refine(prev, Query(liked=[7]), text="I really liked Annabelle (2014)")
    assert r.kind is Turn.REFINE and r.query.genres_all == ["Horror"] and r.query.reference_items == [7]
    first = refine(None, Query(liked=[7]), text="I really liked Annabelle (2014)")
    assert first.kind is Turn.NEW and first.query.reference_items == [7]


def test_a_liked_movie_outside_the_topic_moves_to_a_new_topic_in_the_same_frame():
    catalog = Catalog(item_ids=np.array([7, 8, 9], dtype=np.int64),
                      raw_titles=["Annabelle (2014)", "Get Out (2017)", "Halloween (1978)"],
                      titles=["Annabelle", "Get Out", "Halloween"],
                      years=np.array([2014, 2017, 1978], dtype=np.int32),
                      genres=[("Horror",), ("Horror", "Thriller"), ("Horror",)])
    index = CatalogIndex(catalog)

    def meets(query: Query, item_ids: Sequence[int]) -> list[bool]:
        return satisfies(query, index, catalog.indices(item_ids)).tolist()

    prev = Query(genres_all=["Comedy"], genres_none=["Romance"], min_rating=3.5, reference_items=[3])
    r = refine(prev, Query(liked=[8]), text="I loved Get Out (2017)", fits=meets)
    assert r.kind is Turn.NEW and r.query.reference_items == [8] and r.query.genres_all == []
    assert r.query.genres_none == ["Romance"] and r.query.min_rating == 3.5
    horror = Query(genres_all=["Horror"], year_min=2000)
    fits = refine(horror, Query(liked=[7, 8]), text="I liked Annabelle and Get Out", fits=meets)
    assert fits.kind is Turn.REFINE and fits.query.genres_all == ["Horror"]
    older = refine(horror, Query(liked=[9]), text="I loved Halloween (1978)", fits=meets)
    assert older.kind is Turn.NEW and older.query.year_min is None


def test_an_added_genre_drops_the_earlier_films_that_do_not_fit_it():
    catalog = Catalog(item_ids=np.array([1, 2, 3], dtype=np.int64),
                      raw_titles=["Avengers: Infinity War - Part I (2018)", "Click (2006)", "It (2017)"],
                      titles=["Avengers: Infinity War - Part I", "Click", "It"],
                      years=np.array([2018, 2006, 2017], dtype=np.int32),
                      genres=[("Action", "Sci-Fi"), ("Comedy", "Fantasy"), ("Horror",)])
    index = CatalogIndex(catalog)

    def meets(query: Query, item_ids: Sequence[int]) -> list[bool]:
        return satisfies(query, index, catalog.indices(item_ids)).tolist()

    avengers = Query(reference_items=[1], genres_none=["Romance"])
    scary = refine(avengers, Query(genres_all=["Horror"]), text="i also like scary movies", fits=meets)
    assert scary.kind is Turn.REFINE and scary.query.genres_all == ["Horror"]
    assert scary.query.reference_items == [] and scary.query.genres_none == ["Romance"]
    with_it = refine(avengers, Query(reference_items=[3]), text="also like It", fits=meets)
    assert with_it.query.reference_items == [1, 3]  # no genre asked: both stay
    action = Query(genres_all=["Action"], min_rating=3.5)
    click = refine(action, Query(genres_all=["Comedy"], reference_items=[2]),
                   text="I also like Comedy movies like Click (2006)", fits=meets)
    assert click.query.genres_all == ["Comedy"] and click.query.reference_items == [2]
    assert click.query.min_rating == 3.5
    both = refine(action, Query(genres_all=["Sci-Fi"]), text="also sci-fi", fits=meets)
    assert both.query.genres_all == ["Action", "Sci-Fi"]  # rule 6 still adds genres


def test_liked_movies_named_with_a_request_are_its_references():
    r = refine(None, Query(genres_all=["Comedy"], liked=[7]), text="I loved Click (2006), any comedies?")
    assert r.query.reference_items == [7] and r.query.liked == []


def test_statements_and_small_talk_keep_the_list():
    for new in (Query(seen=[5]), Query(unseen=[5]), Query(pronoun="unseen"), Query(small_talk=["thanks"])):
        r = refine(NINETIES_SCIFI, new, text="...")
        assert r.kind is Turn.CHAT and r.query == NINETIES_SCIFI
    assert refine(None, Query(small_talk=["greeting"]), text="hi").kind is Turn.NEW  # popular picks
    assert refine(NINETIES_SCIFI, Query(small_talk=["thanks", "more"]), text="thanks! any others?").kind is Turn.MORE


def test_avoided_topics_stay_on_refinements_and_are_summarised():
    first = merge(None, Query(genres_all=["Horror"]))
    refined = refine(first, Query(avoid_text="gore"), text="no gore")
    assert refined.kind is Turn.REFINE
    assert refined.query.genres_all == ["Horror"] and refined.query.avoid_text == "gore"
    newer = merge(refined.query, Query(avoid_text="zombies"), text="and no zombies either")
    assert newer.avoid_text == "gore, zombies"
    assert describe(newer) == "Horror · nothing about gore, zombies"
    # a keyword phrase stays one entry ("no time travel" is not "no time, no travel")
    phrase = merge(newer, Query(avoid_text="time travel"), text="and no time travel")
    assert describe(phrase) == "Horror · nothing about gore, zombies, time travel"
    # a new topic starts afresh
    assert merge(newer, Query(reference_items=[7]), text="like Notting Hill").avoid_text == ""


def test_a_person_left_out_is_a_frame_like_an_excluded_genre():
    sandler, left_out = PersonRef("Adam Sandler", CAST), PersonRef("Adam Sandler", CAST, excluded=True)
    first = merge(None, Query(genres_all=["Comedy"], people=[sandler]))
    # "no Adam Sandler" refines the comedies: the wanted Sandler goes, the exclusion stays
    r = refine(first, Query(people=[left_out]), text="no Adam Sandler")
    assert r.kind is Turn.REFINE
    assert r.query.genres_all == ["Comedy"] and r.query.people == [left_out]
    assert describe(r.query) == "Comedy · without Adam Sandler"
    # a new genre is a new topic, and the exclusion comes along, as "no horror" would
    westerns = merge(r.query, Query(genres_all=["Western"]), text="westerns")
    assert westerns.genres_all == ["Western"] and westerns.people == [left_out]
    spielberg = PersonRef("Steven Spielberg", DIRECTOR, excluded=True)
    assert describe(Query(people=[spielberg])) == "not directed by Steven Spielberg"


def test_a_comparative_changes_the_list_on_screen():
    sci_fi = Query(genres_all=["Sci-Fi"], year_min=2000, year_max=2009, min_rating=3.8)
    darker = refine(sci_fi, Query(text="dark", relative=True), text="something darker")
    assert darker.kind is Turn.REFINE
    assert (darker.query.genres_all, darker.query.year_min, darker.query.text) == (["Sci-Fi"], 2000, "dark")
    funnier = refine(darker.query, Query(genres_all=["Comedy"], relative=True), text="funnier").query
    assert funnier.genres_all == ["Sci-Fi", "Comedy"] and funnier.min_rating == 3.8
    # the stored query says what is asked, not how the message related to the last one
    assert not funnier.relative


def test_a_comparative_keeps_the_films_it_compares_with():
    # "like Alien" then "but funnier": comedies like Alien, not any comedies.
    alien = Query(reference_items=[1214])
    funnier = refine(alien, Query(genres_all=["Comedy"], relative=True), text="but funnier",
                     fits=lambda q, ids: [False] * len(ids))
    assert funnier.query.reference_items == [1214] and funnier.query.genres_all == ["Comedy"]


def test_only_and_a_fragment_with_a_person_narrow_the_list():
    hanks = PersonRef("Tom Hanks", CAST, ("Tom Hanks",))
    comedies = refine(Query(people=[hanks]), Query(genres_all=["Comedy"]), text="only comedies").query
    assert comedies.genres_all == ["Comedy"] and comedies.people == [hanks]
    ford = PersonRef("Harrison Ford", CAST, ("Harrison Ford",))
    thrillers = Query(genres_all=["Thriller"], year_min=1980, year_max=1989)
    for text in ("with Harrison Ford", "any with Harrison Ford?", "ones starring Harrison Ford"):
        q = refine(thrillers, Query(people=[ford]), text=text).query
        assert (q.genres_all, q.year_min, q.people) == (["Thriller"], 1980, [ford]), text
    # Named alone, a person is still a new topic.
    assert refine(thrillers, Query(people=[ford]), text="Harrison Ford movies").query.genres_all == []


def test_a_fragment_that_says_what_they_are_about_narrows_the_list():
    docs = Query(genres_all=["Documentary"], min_rating=3.5)
    for text in ("about music", "something about music", "any involving music?"):
        q = refine(docs, Query(text="music"), text=text).query
        assert (q.genres_all, q.min_rating, q.text) == (["Documentary"], 3.5, "music"), text
    # A sentence that only starts with "about" is no such fragment.
    assert refine(docs, Query(text="music"), text="about 2 years ago I saw a music film").query.genres_all == []
    # A topic said as a request of its own is a new topic.
    assert refine(docs, Query(text="music"), text="movies about music").query.genres_all == []
    # After a topic, "one about sports" is another topic in the frame, not films about both.
    food = Query(genres_all=["Documentary"], min_rating=3.5, text="food")
    for text in ("one about sports", "any about sports?", "about sports"):
        q = refine(food, Query(text="sports"), text=text).query
        assert (q.genres_all, q.min_rating, q.text) == (["Documentary"], 3.5, "sports"), text
    # With the person of "with ...", the topic stays: "with Tom Hanks" adds him to it.
    assert refine(food, Query(text=""), text="with Tom Hanks").query.text == "food"


def test_a_plain_genre_without_a_comparative_is_still_a_new_topic():
    sci_fi = Query(genres_all=["Sci-Fi"])
    assert refine(sci_fi, Query(genres_all=["Comedy"]), text="comedy").query.genres_all == ["Comedy"]


def test_a_length_wish_refines_and_is_summarised():
    comedies = Query(genres_all=["Comedy"], year_min=1990, year_max=1999)
    short = refine(comedies, Query(max_runtime=90), text="under 90 minutes")
    assert short.kind is Turn.REFINE and short.query.max_runtime == 90 and short.query.genres_all == ["Comedy"]
    assert describe(short.query) == "Comedy · 1990–1999 · up to 90 min"


def test_a_length_wish_is_a_hard_constraint_on_known_runtimes():
    catalog = Catalog(
        item_ids=np.array([1, 2, 3], dtype=np.int64), raw_titles=["A (2000)", "B (2000)", "C (2000)"],
        titles=["A", "B", "C"], years=np.array([2000, 2000, 2000], dtype=np.int32),
        genres=[("Comedy",)] * 3, runtimes=[85, 140, None],
    )
    ok = satisfies(Query(max_runtime=90), CatalogIndex(catalog), np.arange(3))
    assert ok.tolist() == [True, False, False]  # an unknown length may be three hours


def test_added_alternatives_stay_alternatives():
    comedy = Query(genres_all=["Comedy"])
    kids = refine(comedy, Query(genres_any=["Children", "Animation"]), text="also for kids")
    assert kids.kind is Turn.REFINE
    assert kids.query.genres_all == ["Comedy"] and kids.query.genres_any == ["Children", "Animation"]
    tastes = Query(genres_any=["Action", "Comedy"])
    family = refine(tastes, Query(genres_any=["Children", "Animation"]), text="I also like family films")
    # one group of alternatives per query: the new ones are required next to the old
    assert family.query.genres_any == ["Action", "Comedy"]
    assert family.query.genres_all == ["Children", "Animation"]


def test_a_liked_film_without_the_topics_person_starts_a_new_topic():
    catalog = Catalog(item_ids=np.array([1, 2], dtype=np.int64),
                      raw_titles=["Witness (1985)", "Titanic (1997)"], titles=["Witness", "Titanic"],
                      years=np.array([1985, 1997], dtype=np.int32), genres=[("Drama",), ("Romance",)],
                      cast=[("Harrison Ford",), ("Kate Winslet",)])
    index = CatalogIndex(catalog)

    def meets(query: Query, item_ids: Sequence[int]) -> list[bool]:
        return satisfies(query, index, catalog.indices(item_ids)).tolist()

    ford = Query(people=[PersonRef("Harrison Ford", CAST, ("Harrison Ford",))])
    titanic = refine(ford, Query(liked=[2]), text="I love Titanic actually!", fits=meets)
    assert titanic.kind is Turn.NEW and titanic.query.people == [] and titanic.query.reference_items == [2]
    witness = refine(ford, Query(liked=[1]), text="I loved Witness", fits=meets)
    assert witness.kind is Turn.REFINE and witness.query.people == ford.people


def test_a_language_after_a_list_narrows_it_and_is_summarised() -> None:
    previous = Query(genres_all=["Comedy"])
    result = refine(previous, Query(languages=["fr"]), text="in french please")
    assert result.query.genres_all == ["Comedy"] and result.query.languages == ["fr"]
    assert describe(result.query) == "Comedy · in French"


def test_any_others_after_a_list_for_no_preference_is_the_next_page() -> None:
    # "surprise me" lists the films popular now for an empty query; "another one" pages it.
    result = refine(Query(), Query(small_talk=["more"]), text="another one", shown=[1, 2, 3])
    assert result.kind is Turn.MORE
    assert refine(None, Query(small_talk=["more"]), text="any suggestions?").kind is not Turn.MORE


def test_a_full_name_completes_the_first_name_nobody_was_found_for():
    asked = merge(None, Query(genres_all=["Comedy"], people=[PersonRef("Tom", CAST, (), known=False)]))
    hanks = PersonRef("Tom Hanks", None, ("Tom Hanks",))
    r = refine(asked, Query(people=[hanks]), text="Tom Hanks")
    assert r.kind is Turn.REFINE  # "Which Tom do you mean?" answered: his comedies
    assert r.query.genres_all == ["Comedy"] and r.query.people == [hanks]
    # another person is a new topic, as before
    other = PersonRef("Meg Ryan", None, ("Meg Ryan",))
    assert refine(asked, Query(people=[other]), text="Meg Ryan").query.genres_all == []


def test_a_tone_replaces_its_opposite_on_the_list():
    cry = merge(None, Query(genres_all=["Romance"], text="sadness"))
    happier = refine(cry, Query(text="feel-good", relative=True), text="something happier")
    assert happier.kind is Turn.REFINE and happier.query.genres_all == ["Romance"]
    assert happier.query.text == "feel-good"  # no longer sad films, now feel-good ones


def test_similar_by_someone_else_matches_the_list_without_the_person():
    # "what about something similar by a different director?" after Nolan's films was
    # not understood.
    nolan = PersonRef("Christopher Nolan", role=DIRECTOR, members=("Christopher Nolan",))
    prev = Query(people=[nolan], min_rating=3.5)
    for text in ("something similar by a different director?", "like those but with another actor",
                 "anything like it, not by him"):
        q = refine(prev, Query(), text=text, shown=[10, 20, 30, 40]).query
        assert q.reference_items == [10, 20, 30] and q.wanted_people() == [], text
        assert [p.name for p in q.excluded_people()] == ["Christopher Nolan"] and q.min_rating == 3.5
    # Without a person in the list there is nobody to leave out: no such rule.
    assert refine(Query(genres_all=["Drama"]), Query(), text="by a different director",
                  shown=[10, 20]).query.people == []
