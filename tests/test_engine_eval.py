"""`recbot eval dialogue` logic on the tiny catalog: protocol, figures, precision oracle."""

from __future__ import annotations

import numpy as np

from recommender.data.catalog import Ratings
from recommender.evaluation.dialogue import evaluate_dialogue, satisfies
from recommender.evaluation.phrasings import PHRASINGS, Phrasing
from recommender.nlp.query import Query
from tests.ranking_fixtures import make_catalog, make_engine, topic_model


class GenreParser:
    """"<Genre> movies" -> that genre; "... 80s" adds the decade."""

    def parse(self, text, entities):
        words = text.replace(",", " ").split()
        q = Query(genres_all=[w for w in words if w in {"Sci-Fi", "Horror", "Comedy", "Romance",
                                                           "Action", "Adventure", "Drama", "Thriller"}])
        if "80s" in words:
            q.year_min, q.year_max = 1980, 1989
        return q


def ratings(rows) -> Ratings:
    u, i, r = zip(*rows, strict=True)
    return Ratings(np.array(u), np.array(i), np.array(r, np.float32), np.zeros(len(u), np.int64))


def test_phrasing_list_is_large_and_varied():
    assert len(PHRASINGS) >= 50
    assert len({p.text.lower() for p in PHRASINGS}) == len(PHRASINGS)
    assert sum(p.expect_years for p in PHRASINGS) >= 10
    assert sum(p.expect_rating for p in PHRASINGS) >= 4


def test_satisfies_oracle():
    cat = make_catalog()
    blade_runner = cat.index(6)
    assert satisfies(Query(genres_all=["sci-fi"], year_min=1980, year_max=1989), cat, blade_runner)
    assert not satisfies(Query(genres_none=["Thriller"]), cat, blade_runner)
    assert not satisfies(Query(genres_any=["Comedy", "Drama"]), cat, blade_runner)
    assert not satisfies(Query(min_rating=4.5), cat, blade_runner)
    assert not satisfies(Query(year_max=2000), cat, cat.index(12))  # unknown year
    assert not satisfies(Query(min_rating=4.0), cat, cat.index(11))  # too few ratings


def test_evaluate_dialogue_reports_every_figure():
    engine = make_engine()
    engine.parser = GenreParser()
    # Users who like the saga hold out one saga film; a romance fan holds out a romance.
    train = ratings([(1, 3, 5), (1, 4, 5), (1, 7, 2), (2, 3, 4.5), (2, 6, 4), (3, 7, 5),
                     (3, 9, 1)])
    test = ratings([(1, 5, 5), (1, 6, 4), (2, 4, 5), (3, 8, 4.5), (3, 10, 2)])
    phrasings = [Phrasing("Sci-Fi movies", ("Sci-Fi",)), Phrasing("Horror 80s", ("Horror",))]
    report = evaluate_dialogue(engine, train, test, topic_model, alphas=(0.0, 0.5, 1.0),
                               phrasings=phrasings, progress=False)
    ndcg = report["ndcg@10"]
    assert set(ndcg) == {"blend", "cf_filter", "semantic_quality", "cf_no_filter"}
    assert all(0.0 <= v <= 1.0 for v in ndcg.values())
    # Saga fans asking for Sci-Fi get the held-out saga film on top from CF.
    assert ndcg["cf_filter"] > 0.5
    assert [row["alpha"] for row in report["alpha_curve"]] == [0.0, 0.5, 1.0]
    assert report["users"] == 3 and report["genre_parsed"] == 1.0
    # user 1: Sci-Fi, Action, Adventure, Thriller (items 5, 6); user 2: 3 genres; user 3: 3
    assert report["requests"] == 4 + 3 + 3
    cp = report["constraint_precision"]
    assert cp["precision_exact"] == 1.0 and cp["parse_agreement"] == 1.0 and cp["items"] > 0
    # one 80s horror film in this catalog: that answer goes on past it, and says so
    assert cp["filled_answers"] > 0 and cp["precision"] < 1.0
