"""People, item-item similarity, topics, year sorting and knowledge-based reasons on
a tiny hand-made catalog whose right answers are known by construction."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.data.catalog import Catalog
from recommender.knowledge.people import PeopleIndex
from recommender.knowledge.similarity import ItemSimilarity
from recommender.nlp.query import CAST, DIRECTOR, PersonRef, Query
from recommender.ranking.filters import people_kept
from tests.ranking_fixtures import make_catalog, make_engine

# id: (directors, cast, keywords)
KNOWLEDGE = {
    1: (("Ridley Scott",), ("Sigourney Weaver", "Tom Skerritt"), ("space", "alien", "android")),
    2: (("James Cameron",), ("Sigourney Weaver", "Michael Biehn"), ("space", "alien", "marine")),
    3: (("George Lucas",), ("Mark Hamill", "Harrison Ford"), ("space", "rebellion", "jedi")),
    4: (("Irvin Kershner",), ("Mark Hamill", "Harrison Ford"), ("space", "rebellion", "jedi")),
    5: (("Richard Marquand",), ("Mark Hamill", "Harrison Ford"), ("space", "rebellion", "jedi")),
    6: (("Ridley Scott",), ("Harrison Ford", "Rutger Hauer"), ("android", "dystopia", "rain")),
    7: (("Roger Michell",), ("Julia Roberts", "Hugh Grant"), ("bookshop", "love", "time travel")),
    8: (("Richard Curtis",), ("Hugh Grant", "Emma Thompson"), ("christmas", "love")),
    9: (("Stanley Kubrick",), ("Jack Nicholson",), ("hotel", "ghost", "winter")),
    10: (("John Lasseter",), ("Tom Hanks", "Tim Allen"), ("toy", "friendship", "time travel")),
    11: (("Joel Coen", "Ethan Coen"), ("Tom Hanks",), ("heist", "space")),
    12: (("Ethan Coen",), (), ("heist",)),
}


def knowledge_catalog() -> Catalog:
    catalog = make_catalog()
    for item_id, (directors, cast, keywords) in KNOWLEDGE.items():
        idx = catalog.index(item_id)
        catalog.directors[idx], catalog.cast[idx], catalog.keywords[idx] = directors, cast, keywords
    return catalog


@pytest.fixture
def people() -> PeopleIndex:
    return PeopleIndex(knowledge_catalog())


@pytest.mark.parametrize("typed, name", [
    ("Tom Hanks", "Tom Hanks"), ("tom hanks", "Tom Hanks"), ("TOM HANKS", "Tom Hanks"),
    ("Tom Hamks", "Tom Hanks"), ("Hugh Grnat", "Hugh Grant"), ("Sigorney Weaver", "Sigourney Weaver"),
    ("Ford", "Harrison Ford"), ("Ford's", "Harrison Ford"), ("Harison Ford", "Harrison Ford"),
    ("Sig Weaver", "Sigourney Weaver"),  # a short first name with the right surname
])  # fmt: skip
def test_fuzzy_names_resolve(people: PeopleIndex, typed: str, name: str) -> None:
    ref = people.resolve(typed)
    assert ref is not None and ref.name == name and ref.members == (name,)


def test_families_and_ambiguous_surnames(people: PeopleIndex) -> None:
    coens = people.resolve("the Coen brothers")
    assert coens.members == ("Ethan Coen", "Joel Coen") and coens.role == DIRECTOR
    assert people.resolve("the Coens").members == ("Ethan Coen", "Joel Coen")
    # A lone surname needs a few credits: Ridley Scott has 2 here.
    assert people.resolve("Scott") is None
    assert people.resolve("Nobody Atall") is None
    assert people.resolve("Tom") is None  # a first name alone names nobody


def test_roles_are_hard_and_role_aware(people: PeopleIndex) -> None:
    catalog = people.catalog
    directed = people.mask(PersonRef("Ridley Scott", DIRECTOR, ("Ridley Scott",)))
    assert {int(catalog.item_ids[i]) for i in np.flatnonzero(directed)} == {1, 6}
    in_cast = people.mask(PersonRef("Tom Hanks", CAST, ("Tom Hanks",)))
    assert {int(catalog.item_ids[i]) for i in np.flatnonzero(in_cast)} == {10, 11}
    # Asking for a director role someone never had keeps the person, not the role.
    assert people.resolve("Tom Hanks", DIRECTOR).role is None
    coens = people.mask(people.resolve("the Coen brothers"))
    assert {int(catalog.item_ids[i]) for i in np.flatnonzero(coens)} == {11, 12}


def test_names_are_found_in_messages_not_title_words(people: PeopleIndex) -> None:
    def found(text: str) -> list[tuple[str, str | None]]:
        return [(m.person.name, m.person.role) for m in people.find(text)]

    assert found("movies with Tom Hanks") == [("Tom Hanks", CAST)]
    assert found("directed by ridley scott") == [("Ridley Scott", DIRECTOR)]
    assert found("a tom hanks comedy") == [("Tom Hanks", None)]
    assert found("something by the Coen brothers") == [("the Coen brothers", DIRECTOR)]
    assert found("a Ford film from the 80s") == [("Harrison Ford", None)]
    assert found("a Kubrick film") == []  # one credit: too few for a lone surname
    assert found("movies like Alien") == []  # a title word, not a surname
    assert found("with Tom and Jerry") == []
    assert found("with The Ford") == []  # "The X" is a nickname or a title, not a surname
    # The words after the name say the role too, over a "with" before it.
    assert found("thrillers Ridley Scott directed") == [("Ridley Scott", DIRECTOR)]
    assert found("a film with Ridley Scott that he directed") == [("Ridley Scott", DIRECTOR)]
    assert found("movies where Ridley Scott is the director") == [("Ridley Scott", DIRECTOR)]


def test_unknown_names_are_said_and_constrain_nothing() -> None:
    engine = make_engine()
    query = engine.resolve_people(Query(people=[PersonRef("Jon Smithee", CAST)]))
    assert query.people == [PersonRef("Jon Smithee", CAST, (), known=False)]
    assert any("don't know anyone called Jon Smithee" in n for n in query.notes)
    assert len(engine.recommend(query, {}, k=5).items) == 5  # not an empty answer


def people_engine():
    engine = make_engine()
    engine.catalog.directors[:] = knowledge_catalog().directors
    engine.catalog.cast[:] = knowledge_catalog().cast
    engine.catalog.keywords[:] = knowledge_catalog().keywords
    return make_engine_from(engine.catalog)


def make_engine_from(catalog: Catalog):
    from recommender.engine import Engine
    from tests.ranking_fixtures import FixedParser, NoTagger, WordEncoder, item_vectors, topic_model

    return Engine(catalog, topic_model(), item_vectors(), WordEncoder(), NoTagger(), FixedParser({}))


def test_person_is_a_hard_constraint_combined_with_genres_and_relaxed_with_a_note() -> None:
    engine = make_engine_from(knowledge_catalog())
    ford = engine.resolve_people(Query(people=[PersonRef("harrison ford", CAST)]))
    result = engine.recommend(ford, {}, k=5)
    assert {r.item_id for r in result.items} == {3, 4, 5, 6}
    assert all("with Harrison Ford" in r.why for r in result.items)
    thriller = engine.resolve_people(Query(genres_all=["Thriller"], people=[PersonRef("Harrison Ford")]))
    one = engine.recommend(thriller, {}, k=5)
    # one Harrison Ford thriller, first; then his other films, the genre relaxed, said so
    assert one.items[0].item_id == 6 and one.exact == 1 and one.filled == ["Thriller"]
    assert {r.item_id for r in one.items} == {3, 4, 5, 6}
    # No Harrison Ford romance: the genre goes, the person stays, and the note says so.
    romance = engine.resolve_people(Query(genres_all=["Romance"], people=[PersonRef("Harrison Ford")]))
    result = engine.recommend(romance, {}, k=5)
    assert {r.item_id for r in result.items} == {3, 4, 5, 6} and result.relaxed == ["Romance"]
    assert people_kept(romance, result.relaxed) == romance.people
    scott = engine.resolve_people(Query(people=[PersonRef("Ridley Scott", DIRECTOR)]))
    assert all("directed by Ridley Scott" in r.why for r in engine.recommend(scott, {}, k=5).items)


def test_a_person_left_out_is_never_recommended_and_never_relaxed() -> None:
    engine = make_engine_from(knowledge_catalog())
    no_ford = engine.resolve_people(Query(genres_all=["Sci-Fi"], people=[PersonRef("harrison ford", excluded=True)]))
    assert no_ford.people[0].name == "Harrison Ford" and no_ford.people[0].excluded
    result = engine.recommend(no_ford, {}, k=10)
    ford = set(KNOWLEDGE) & {3, 4, 5, 6}
    assert result.items and not {r.item_id for r in result.items} & ford
    assert all("Harrison Ford" not in r.why for r in result.items)
    # only films with him fit the genre: the genre is relaxed, never the exclusion
    jedi = engine.resolve_people(Query(text="jedi", people=[PersonRef("Mark Hamill", excluded=True)]))
    assert not {r.item_id for r in engine.recommend(jedi, {}, k=10).items} & {3, 4, 5}


def tiny_similarity(with_co: bool) -> tuple[Catalog, ItemSimilarity]:
    catalog = knowledge_catalog()
    vectors = np.eye(catalog.n_items, 16, dtype=np.float32)  # embeddings say nothing
    interactions = None
    if with_co:
        # Everyone rated Star Wars (id 3) and Toy Story (10) highly: popular, not similar.
        rows = [[5.0 if j in (2, 9) else 0.0 for j in range(catalog.n_items)] for _ in range(20)]
        rows += [[4.5 if j in (0, 1) else 0.0 for j in range(catalog.n_items)] for _ in range(3)]
        interactions = sp.csr_matrix(np.asarray(rows, np.float32))
    return catalog, ItemSimilarity(catalog, vectors, interactions)


@pytest.mark.parametrize("with_co", [False, True])
def test_similarity_known_nearest_neighbour(with_co: bool) -> None:
    catalog, sim = tiny_similarity(with_co)
    alien = catalog.index(1)
    scores = sim.scores([alien])
    # Aliens shares cast, keywords and genres with Alien; never the reference itself.
    assert int(np.argmax(scores)) == catalog.index(2)
    assert scores[alien] == -np.inf
    assert sim.explain(alien, catalog.index(2))[0] == "also with Sigourney Weaver"
    assert "same director" in sim.explain(alien, catalog.index(6))


def test_popular_co_rated_items_do_not_crowd_out_similar_ones() -> None:
    catalog, sim = tiny_similarity(with_co=True)
    scores = sim.scores([catalog.index(1)])
    assert scores[catalog.index(2)] > scores[catalog.index(10)]  # Aliens over Toy Story


def test_co_ratings_count_only_between_films_that_share_a_genre() -> None:
    # The same few people loved Alien, Notting Hill (no genre in common) and The Shining:
    # they say who rated both, not that a romantic comedy is like Alien.
    catalog = knowledge_catalog()
    vectors = np.eye(catalog.n_items, 16, dtype=np.float32)
    rows = [[5.0 if j in (0, 6, 8) else 0.0 for j in range(catalog.n_items)] for _ in range(5)]
    sim = ItemSimilarity(catalog, vectors, sp.csr_matrix(np.asarray(rows, np.float32)))
    plain = ItemSimilarity(catalog, vectors)
    with_co, without = sim.scores([0]), plain.scores([0])
    assert with_co[6] == pytest.approx(without[6])  # Notting Hill: nothing added
    assert with_co[8] > without[8] + 0.1  # The Shining (Horror, as Alien): co-rated counts
    # A request that leaves Alien's genres out ("like Alien but no horror or sci-fi")
    # has no film of its genres left: there the co-ratings are what is left to go by.
    across = sim.scores([0], across_genres=True)
    assert across[6] > without[6] + 0.1 and across[8] == pytest.approx(with_co[8])


def test_like_x_through_the_engine_keeps_exclusions_and_explains() -> None:
    engine = make_engine_from(knowledge_catalog())
    result = engine.recommend(Query(reference_items=[1]), {}, k=3)
    # Aliens, the closest, comes second: a film of the named series never leads the list.
    assert result.items[1].item_id == 2 and 1 not in {r.item_id for r in result.items}
    assert result.items[1].why.startswith("like Alien: also with Sigourney Weaver")
    no_horror = engine.recommend(Query(reference_items=[1], genres_none=["Horror"]), {}, k=5)
    assert not any("Horror" in engine.catalog.genres[engine.catalog.index(r.item_id)]
                   for r in no_horror.items)


def test_newer_and_older_sort_by_release_year() -> None:
    engine = make_engine_from(knowledge_catalog())
    years = engine.index.years

    def listed(query: Query) -> list[int]:
        return [int(years[engine.catalog.index(r.item_id)]) for r in engine.recommend(query, {}, k=4).items]

    oldest = listed(Query(genres_all=["Sci-Fi"], sort="oldest"))
    newest = listed(Query(genres_all=["Sci-Fi"], sort="newest"))
    assert oldest == sorted(oldest) and newest == sorted(newest, reverse=True)
    assert oldest[0] == 1977 and newest[0] == 1986
    # "like Alien but older/newer": released before/after Alien, oldest/newest first.
    older = listed(Query(reference_items=[1], sort="oldest"))
    assert older == sorted(older) and all(y < 1979 for y in older)
    newer = listed(Query(reference_items=[1], sort="newest"))
    assert newer == sorted(newer, reverse=True) and all(y > 1979 for y in newer)


def test_topic_words_match_keywords_and_are_explained() -> None:
    engine = make_engine_from(knowledge_catalog())
    # A user with some history (cold start leans on popularity instead).
    result = engine.recommend(Query(text="time travel"), {9: 4.0}, k=2)
    assert {r.item_id for r in result.items} == {7, 10}
    assert all("about time travel" in r.why for r in result.items)


def _two_plots() -> Catalog:
    return Catalog(item_ids=np.array([1, 2], dtype=np.int64), raw_titles=["Heat (1995)", "Up (2009)"],
                   titles=["Heat", "Up"], years=np.array([1995, 2009], dtype=np.int32),
                   genres=[("Crime",), ("Animation",)],
                   descriptions=["A thief plans one last heist.", "An old man flies his house with balloons."])


def test_catalog_words_know_the_plots_and_none_without_them() -> None:
    from recommender.knowledge.topics import catalog_words
    from recommender.nlp.parser.statements import chatty_free_text

    plots = _two_plots()
    known = catalog_words(plots)
    assert {"heist", "balloon", "heat"} <= known and "firend" not in known
    assert chatty_free_text(Query(), "heist firends", message="a heist movie with firends", known=known) == "heist"
    bare = Catalog(item_ids=plots.item_ids, raw_titles=plots.raw_titles, titles=plots.titles,
                   years=plots.years, genres=plots.genres)
    assert catalog_words(bare) == frozenset()  # too few words to tell a typo: nothing checked


def test_the_parser_reads_keywords_and_plots_once_for_itself_and_the_engine() -> None:
    from recommender.engine import Engine
    from recommender.knowledge.topics import TopicIndex, catalog_words
    from recommender.nlp.parser import QueryParser

    catalog = _two_plots()
    parser = QueryParser(catalog)
    assert parser.known_words == catalog_words(catalog, TopicIndex(catalog)) == catalog_words(catalog)
    engine = Engine(catalog, cf_model=None, item_vectors=np.eye(2, dtype=np.float32),  # type: ignore[arg-type]
                    encoder=None, tagger=None, parser=parser)
    assert engine.topics is parser.topics


def test_a_sequel_without_keywords_takes_its_series_keywords() -> None:
    from recommender.knowledge.topics import TopicIndex

    catalog = Catalog(
        item_ids=np.array([1, 2, 3], dtype=np.int64),
        raw_titles=["Deadpool (2016)", "Deadpool 2 (2018)", "Black Panther (2017)"],
        titles=["Deadpool", "Deadpool 2", "Black Panther"],
        years=np.array([2016, 2018, 2017], dtype=np.int32),
        genres=[("Action",), ("Action",), ("Action",)],
        keywords=[("superhero", "mercenary"), (), ()],
    )
    about = TopicIndex(catalog).scores("superheroes")
    assert about is not None
    assert about[0] > 0 and about[1] > 0  # "no superheroes" leaves Deadpool 2 out too
    assert about[2] == 0  # no series, no keywords: nothing is made up


def _credits_catalog(cast_per_item: list[tuple[str, ...]], counts: list[int]) -> Catalog:
    n = len(cast_per_item)
    return Catalog(
        item_ids=np.arange(1, n + 1, dtype=np.int64),
        raw_titles=[f"Film {i} (2000)" for i in range(n)], titles=[f"Film {i}" for i in range(n)],
        years=np.full(n, 2000, dtype=np.int32), genres=[("Drama",)] * n,
        cast=cast_per_item, directors=[()] * n, rating_count=np.asarray(counts, dtype=np.int32),
    )


def test_a_first_name_several_stars_share_is_asked_about_not_guessed() -> None:
    cast = [("Tom Hanks",)] * 4 + [("Tom Cruise",)] * 3 + [("Tom Wilkinson",)] * 6 \
        + [("Debbie Harry",)] * 3 + [("Harry Dean Stanton",)] * 3 + [("Harry Shearer",)] * 3
    counts = [300] * 4 + [200] * 3 + [5] * 6 + [10] * 9
    index = PeopleIndex(_credits_catalog(cast, counts))
    assert index.resolve("Tom", CAST) is None
    # the best known first (how often their films were rated), not the most credited
    assert index.namesakes("Tom", CAST) == ["Tom Hanks", "Tom Cruise", "Tom Wilkinson"]
    refs, notes = index.resolve_all([PersonRef("Tom", CAST)])
    assert refs == [PersonRef("Tom", CAST, (), known=False)]
    assert notes == ["Which Tom do you mean: Tom Hanks, Tom Cruise or Tom Wilkinson? "
                     "Say the full name and I'll look."]
    # "movies with Harry": more people are called Harry than carry it as surname, so it
    # is no surname rule's Debbie Harry; a surname alone still is ("Hanks")
    assert index.resolve("Harry", CAST) is None
    assert "Harry Dean Stanton" in index.namesakes("Harry", CAST)
    assert index.resolve("Hanks", CAST).name == "Tom Hanks"
    assert index.namesakes("Tom Hanks") == []


def test_a_rejected_keyword_phrase_leaves_out_its_films_not_its_words() -> None:
    from recommender.knowledge.topics import TopicIndex

    catalog = knowledge_catalog()
    catalog.descriptions[catalog.index(3)] = "A farm boy must travel to a distant star."
    topics = TopicIndex(catalog)
    avoided = topics.avoided("time travel")
    assert avoided is not None
    hit = {int(catalog.item_ids[i]) for i in np.flatnonzero(avoided)}
    assert hit == {7, 10}  # the keyword's films; the plot that says "travel" stays
    both = topics.avoided("time travel, heist")
    assert {int(catalog.item_ids[i]) for i in np.flatnonzero(both)} == {7, 10, 11, 12}
    assert topics.avoided("nothing") is None


def test_two_directors_are_alternatives_and_both_get_a_place() -> None:
    engine = make_engine_from(knowledge_catalog())
    both = engine.resolve_people(Query(people=[PersonRef("Ridley Scott", DIRECTOR),
                                               PersonRef("George Lucas", DIRECTOR)]))
    result = engine.recommend(both, {}, k=2)
    assert {r.item_id for r in result.items} <= {1, 6, 3} and result.relaxed == []
    assert 3 in {r.item_id for r in result.items}  # Lucas's one film among two picks
    # two actors stay a combination: the films with both
    pair = engine.resolve_people(Query(people=[PersonRef("Mark Hamill", CAST), PersonRef("Harrison Ford", CAST)]))
    assert {r.item_id for r in engine.recommend(pair, {}, k=5).items} == {3, 4, 5}
