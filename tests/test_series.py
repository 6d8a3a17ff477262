"""Series keys and the one-per-series rule of "like X" lists (pure)."""

from __future__ import annotations

import pytest

from recommender.knowledge.series import (
    few_of_each_series,
    in_series,
    one_of_each_series,
    same_series,
    series_key,
    series_keys,
)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Alien", "Aliens", True),
        ("Alien", "Alien: Resurrection", True),
        ("Alien", "Alien³", True),
        ("Toy Story", "Toy Story 3", True),
        ("Rocky", "Rocky II", True),
        ("The Dark Knight", "The Dark Knight Rises", True),
        ("Star Wars: Episode IV - A New Hope", "Star Wars: The Last Jedi", True),
        ("It", "It Follows", False),  # one word must match whole
        ("Alien", "Alien Nation", False),
        ("Alien", "Prometheus", False),
        # a hero's name, "and the", each film's subtitle
        ("Harry Potter and the Chamber of Secrets", "Harry Potter and the Sorcerer's Stone", True),
        ("Indiana Jones and the Last Crusade", "Indiana Jones and the Temple of Doom", True),
        ("The Princess and the Frog", "The Princess and the Pirate", False),  # one word: no name
        ("Night at the Museum", "Night at the Roxbury", False),
    ],
)
def test_same_series(a: str, b: str, same: bool) -> None:
    assert same_series(series_key(a), series_key(b)) is same


def test_one_film_of_the_series_and_not_first() -> None:
    keys = [series_key(t) for t in ("Aliens", "Alien: Resurrection", "Predator", "The Thing", "Alien³")]
    order = one_of_each_series(keys, [series_key("Alien")])
    assert order == [2, 0, 3]  # Predator, then Aliens; the other sequels go


def test_nothing_changes_without_a_series_member() -> None:
    keys = [series_key(t) for t in ("Predator", "The Thing")]
    assert one_of_each_series(keys, [series_key("Alien")]) == [0, 1]
    assert one_of_each_series([series_key("Aliens")], [series_key("Alien")]) == [0]  # alone: kept


def test_in_series() -> None:
    assert in_series([series_key("Predator"), series_key("Aliens")], [series_key("Alien")])
    assert not in_series([series_key("Predator")], [series_key("Alien")])


def test_a_sequel_named_past_a_one_word_title_is_of_its_series_when_credits_are_shared():
    titles = ["The Matrix", "The Matrix Reloaded", "It", "It Follows", "Rocky", "Rocky Balboa"]
    credits = [{"Lana Wachowski", "Keanu Reeves"}, {"Lana Wachowski", "Keanu Reeves"},
               {"Andy Muschietti"}, {"David Robert Mitchell"}, {"Sylvester Stallone"},
               {"Sylvester Stallone"}]
    keys = series_keys(titles, credits)
    assert same_series(keys[0], keys[1]) and same_series(keys[4], keys[5])
    assert not same_series(keys[2], keys[3])  # no credit in common: another film
    assert not same_series(*series_keys(["The Matrix", "The Matrix Reloaded"]))  # titles alone


def test_a_title_shared_with_its_sequels_keeps_their_series_whatever_the_credits():
    # "Toy Story 2" shares a credit with a one-word "Toy": it stays with "Toy Story".
    titles = ["Toy Story", "Toy Story 2", "Toy Story 3", "The Toy"]
    credits = [{"John Lasseter", "Tim Allen"}, {"John Lasseter", "Tim Allen"}, {"Tim Allen"},
               {"Tim Allen"}]
    keys = series_keys(titles, credits)
    assert keys[0] == keys[1] == keys[2] == "toy story"
    assert not same_series(keys[1], keys[3])


def test_keywords_are_inherited_only_by_films_without_any_from_most_of_their_series():
    import numpy as np

    from recommender.data.catalog import Catalog
    from recommender.knowledge.series import inherited_keywords

    catalog = Catalog(
        item_ids=np.arange(1, 5, dtype=np.int64),
        raw_titles=["Alien (1979)", "Aliens (1986)", "Alien 3 (1992)", "Heat (1995)"],
        titles=["Alien", "Aliens", "Alien 3", "Heat"],
        years=np.array([1979, 1986, 1992, 1995], dtype=np.int32),
        genres=[("Horror",)] * 4,
        keywords=[("alien", "space"), ("alien", "marine"), (), ()],
    )
    inherited = inherited_keywords(catalog)
    assert inherited[2] == ("alien", "space", "marine")  # each on half of the donors
    assert inherited[0] == inherited[1] == inherited[3] == ()


def test_a_list_keeps_few_films_of_any_one_series() -> None:
    # "a comedy like Ted" listed Toy Story 3, Toy Story and Toy Story 2 among five.
    titles = ["Toy Story 3", "Ted 2", "Toy Story", "Elf", "Toy Story 2", "Shrek"]
    keys = [series_key(t) for t in titles]
    assert [titles[p] for p in few_of_each_series(keys, 2)] == ["Toy Story 3", "Ted 2", "Toy Story", "Elf", "Shrek"]
    assert [titles[p] for p in few_of_each_series(keys, 1)] == ["Toy Story 3", "Ted 2", "Elf", "Shrek"]
