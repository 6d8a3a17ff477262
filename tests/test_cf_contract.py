"""The contract every CF model keeps, checked on a tiny matrix with a known answer.

Two taste groups: A-users rate items 0-4, B-users rate items 5-9, and item 2 is also
rated by every B-user (the most popular item). A history holding A items except item 2
must get item 2 first from every model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.cf.registry import DEFAULT_MODEL, MODELS, load_model, make_model

N_ITEMS = 12  # items 10 and 11 are never rated
A_ITEMS = [0, 1, 2, 3, 4]
B_ITEMS = [5, 6, 7, 8, 9]
WITHHELD = 2


def tiny_matrix() -> sp.csr_matrix:
    rng = np.random.default_rng(0)
    rows, cols, vals = [], [], []
    for user in range(40):
        items = A_ITEMS if user < 20 else [*B_ITEMS, WITHHELD]
        for item in items:
            rows.append(user)
            cols.append(item)
            vals.append(float(rng.choice([4.0, 4.5, 5.0])))
    return sp.csr_matrix((vals, (rows, cols)), shape=(40, N_ITEMS), dtype=np.float32)


def row(ratings: dict[int, float]) -> sp.csr_matrix:
    cols = sorted(ratings)
    return sp.csr_matrix(
        ([ratings[c] for c in cols], ([0] * len(cols), cols)), shape=(1, N_ITEMS), dtype=np.float32
    )


QUERY = {0: 5.0, 1: 4.5, 3: 5.0, 4: 4.0}


@pytest.fixture(params=sorted(MODELS))
def model(request: pytest.FixtureRequest):
    return make_model(request.param).fit(tiny_matrix())


def test_withheld_item_ranks_first(model) -> None:
    items, scores = model.recommend(row(QUERY), k=3)
    assert items[0] == WITHHELD
    assert list(scores) == sorted(scores, reverse=True)


def test_batch_equals_single(model) -> None:
    histories = sp.vstack([row(QUERY), row({5: 5.0, 6: 2.0}), row({}), row({2: 3.0})]).tocsr()
    batch = model.score(histories)
    assert batch.shape == (4, N_ITEMS) and batch.dtype == np.float32
    for r in range(4):
        np.testing.assert_allclose(batch[r], model.score(histories[r])[0], rtol=1e-5, atol=1e-6)


def test_candidate_subset_is_honoured(model) -> None:
    subset = np.array([6, 7, 10])
    items, _ = model.recommend(row(QUERY), k=5, items=subset)
    assert set(items) <= set(subset) and len(items) == 3


def test_excluded_and_seen_items_never_returned(model) -> None:
    items, _ = model.recommend(row(QUERY), k=N_ITEMS, exclude=np.array([WITHHELD, 7]))
    assert WITHHELD not in items and 7 not in items
    assert not set(items) & set(QUERY)
    assert len(items) == N_ITEMS - len(QUERY) - 2


def test_save_load_round_trip(model, tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = load_model(path)
    assert type(loaded) is type(model)
    histories = sp.vstack([row(QUERY), row({5: 1.0})]).tocsr()
    np.testing.assert_allclose(loaded.score(histories), model.score(histories), rtol=1e-6)
    assert list(loaded.similar_items(0, k=4)[0]) == list(model.similar_items(0, k=4)[0])


def test_empty_history_gets_recommendations(model) -> None:
    items, scores = model.recommend(row({}), k=5)
    assert len(items) == 5 and np.all(np.isfinite(scores))


def test_similar_items_excludes_itself(model) -> None:
    items, _ = model.similar_items(0, k=5, items=np.arange(N_ITEMS))
    assert 0 not in items and len(items) == 5
    if model.name != "popularity":  # popularity has no notion of similarity
        assert set(items[:4]) == {1, 2, 3, 4}


def test_new_rating_changes_next_recommendation_without_refit() -> None:
    model = make_model(DEFAULT_MODEL).fit(tiny_matrix())
    before, _ = model.recommend(row({0: 5.0}), k=3)
    assert set(before) <= set(A_ITEMS)
    # The user now rates B items highly: the very next call reflects it, no fit().
    after, _ = model.recommend(row({0: 5.0, 5: 5.0, 6: 5.0, 7: 5.0}), k=3)
    assert set(after) & set(B_ITEMS)


def test_low_stars_count_less_than_high_stars() -> None:
    """A 1-star rating is not a like: the default model reads the star values."""
    model = make_model(DEFAULT_MODEL).fit(tiny_matrix())
    loved = model.score(row({5: 5.0, 0: 5.0}))[0]
    hated = model.score(row({5: 1.0, 0: 5.0}))[0]
    assert loved[6] > hated[6]


def test_unknown_model_name_says_what_exists() -> None:
    from recommender.errors import RecbotError

    with pytest.raises(RecbotError, match="rease"):
        make_model("nope")


def test_default_model_cold_start_prefers_well_rated_items() -> None:
    """An empty history gets the best-rated items, not the lowest item ids."""
    matrix = tiny_matrix().tolil()
    for user in range(20):
        matrix[user, 0] = 1.0  # item 0: widely rated, but badly
    model = make_model(DEFAULT_MODEL).fit(matrix.tocsr())
    items, _ = model.recommend(row({}), k=3)
    assert 0 not in items
