"""Loading the three data layouts, history rows and the split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recommender.data.catalog import Ratings
from recommender.data.loaders import load_dataset
from recommender.data.matrix import history_row, rating_matrix
from recommender.data.raw_titles import parse_title
from recommender.data.split import split_ratings
from recommender.errors import DataError
from tests.data_paths import require_movielens


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


@pytest.fixture
def ml_latest(tmp_path: Path) -> Path:
    write(tmp_path / "movies.csv",
          "movieId,title,genres\n"
          "1,Toy Story (1995),Adventure|Animation|Children\n"
          '2571,"Matrix, The (1999)",Action|Sci-Fi\n'
          "4973,\"Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)\",Comedy|Romance\n"
          "9,Babylon 5,(no genres listed)\n")  # fmt: skip
    write(tmp_path / "ratings.csv",
          "userId,movieId,rating,timestamp\n"
          "1,1,4.0,100\n1,2571,5.0,101\n2,2571,4.5,102\n2,4973,2.0,103\n3,1,3.0,104\n")  # fmt: skip
    write(tmp_path / "tags.csv",
          "userId,movieId,tag,timestamp\n1,2571,cyberpunk,1\n2,2571,Cyberpunk,2\n"
          '2,2571,"philosophy, sort of",3\n')  # fmt: skip
    write(tmp_path / "links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n2571,0133093,603\n")
    return tmp_path


def test_ml_latest_layout_titles_tags_links_and_stats(ml_latest: Path) -> None:
    ds = load_dataset(ml_latest)
    cat = ds.catalog
    assert ds.layout == "ml-latest-small"
    assert list(cat.item_ids) == [1, 9, 2571, 4973]
    matrix = cat.index(2571)
    assert cat.titles[matrix] == "The Matrix" and cat.years[matrix] == 1999
    assert cat.raw_titles[matrix] == "Matrix, The (1999)"
    assert cat.titles[cat.index(4973)] == "Amelie" and cat.years[cat.index(4973)] == 2001
    assert cat.genres[cat.index(9)] == () and cat.years[cat.index(9)] == 0
    assert cat.tags[matrix] == ("cyberpunk", "philosophy, sort of")
    assert cat.imdb_ids[cat.index(1)] == "0114709"  # leading zero kept
    assert cat.imdb_ids[cat.index(9)] is None
    assert cat.rating_count[matrix] == 2 and cat.rating_mean[matrix] == pytest.approx(4.75)
    # Bayesian average: between the global mean and the item's own mean.
    global_mean = np.mean([4.0, 5.0, 4.5, 2.0, 3.0])
    assert global_mean < cat.quality[matrix] < 4.75
    assert cat.quality[cat.index(9)] == pytest.approx(global_mean)
    assert len(ds.ratings) == 5


def test_fingerprint_follows_content(ml_latest: Path) -> None:
    first = load_dataset(ml_latest).fingerprint
    assert load_dataset(ml_latest).fingerprint == first
    with open(ml_latest / "ratings.csv", "a") as fh:
        fh.write("3,2571,1.0,105\n")
    assert load_dataset(ml_latest).fingerprint != first


def test_malformed_row_names_file_and_line(ml_latest: Path) -> None:
    with open(ml_latest / "ratings.csv", "a") as fh:
        fh.write("4,1,four stars,106\n")
    with pytest.raises(DataError, match=r"ratings\.csv:7.*rating"):
        load_dataset(ml_latest)


def test_rating_out_of_range_is_rejected(ml_latest: Path) -> None:
    with open(ml_latest / "ratings.csv", "a") as fh:
        fh.write("4,1,7,106\n")
    with pytest.raises(DataError, match=r"ratings\.csv:7"):
        load_dataset(ml_latest)


def test_ml_100k_layout_reads_latin1(tmp_path: Path) -> None:
    flags = ["0"] * 19
    drama = flags.copy()
    drama[8] = "1"
    children = flags.copy()
    children[3] = children[4] = "1"
    write(tmp_path / "u.item",
          "1|Toy Story (1995)|01-Jan-1995||http://x|" + "|".join(children) + "\n"
          "2|Postino, Il (1994)|01-Jan-1994||http://x|" + "|".join(drama) + "\n"
          "3|Cité des enfants perdus, La (1995)|01-Jan-1995||http://x|" + "|".join(drama) + "\n"
          "4|unknown||||" + "|".join(flags) + "\n",
          encoding="latin-1")  # fmt: skip
    write(tmp_path / "u.data", "1\t1\t5\t881250949\n1\t2\t3\t881250950\n2\t3\t4\t881250951\n")
    ds = load_dataset(tmp_path)
    cat = ds.catalog
    assert ds.layout == "ml-100k"
    assert cat.titles[cat.index(2)] == "Il Postino" and cat.years[cat.index(2)] == 1994
    assert cat.titles[cat.index(3)] == "La Cité des enfants perdus"
    assert cat.genres[cat.index(1)] == ("Animation", "Children")
    assert cat.genres[cat.index(2)] == ("Drama",)
    assert len(ds.ratings) == 3 and ds.ratings.timestamps[0] == 881250949


def test_ml_100k_malformed_row(tmp_path: Path) -> None:
    write(tmp_path / "u.item", "1|Toy Story (1995)|01-Jan-1995||http://x|" + "|".join(["0"] * 19) + "\n")
    write(tmp_path / "u.data", "1\t1\t5\t881250949\n1\tone\t3\t881250950\n")
    with pytest.raises(DataError, match=r"u\.data:2.*item id"):
        load_dataset(tmp_path)


def test_generic_layout(tmp_path: Path) -> None:
    write(tmp_path / "items.csv",
          "item_id,title,year,genres,description,people,extra\n"
          '10,"Blade Runner",1982,Sci-Fi|Noir,"Replicants, rain.",Ridley Scott|Harrison Ford,x\n'
          "11,Heat (1995),,Crime,,Michael Mann,y\n")  # fmt: skip
    write(tmp_path / "ratings.csv", "user,item,rating,timestamp\n7,10,4.5,1\n7,11,3,2\n8,99,5,3\n")
    ds = load_dataset(tmp_path)
    cat = ds.catalog
    assert ds.layout == "generic"
    assert cat.titles[cat.index(10)] == "Blade Runner" and cat.years[cat.index(10)] == 1982
    assert cat.years[cat.index(11)] == 1995 and cat.titles[cat.index(11)] == "Heat"
    assert cat.people[cat.index(10)] == ("Ridley Scott", "Harrison Ford")
    assert cat.descriptions[cat.index(10)] == "Replicants, rain."
    assert cat.genres[cat.index(10)] == ("Sci-Fi", "Noir")
    assert len(ds.ratings) == 2  # the rating of unknown item 99 is dropped


def test_generic_malformed_and_missing_column(tmp_path: Path) -> None:
    write(tmp_path / "items.csv", "item_id,title\n10,Blade Runner\nabc,Heat\n")
    write(tmp_path / "ratings.csv", "user,item,rating\n7,10,4.5\n")
    with pytest.raises(DataError, match=r"items\.csv:3"):
        load_dataset(tmp_path)
    write(tmp_path / "items.csv", "id,name\n10,Blade Runner\n")
    with pytest.raises(DataError, match="item_id"):
        load_dataset(tmp_path)


def test_unknown_directory_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="movies.csv"):
        load_dataset(tmp_path)
    with pytest.raises(DataError, match="RECBOT_DATA"):
        load_dataset(tmp_path / "nope")


def test_rating_matrix_and_history_row(ml_latest: Path) -> None:
    ds = load_dataset(ml_latest)
    matrix, users = rating_matrix(ds)
    assert list(users) == [1, 2, 3] and matrix.shape == (3, 4)
    assert matrix[1, ds.catalog.index(4973)] == 2.0
    row = history_row({2571: 5.0, 424242: 1.0}, ds.catalog)
    assert row.shape == (1, 4) and row.nnz == 1 and row[0, ds.catalog.index(2571)] == 5.0
    assert history_row({}, ds.catalog).nnz == 0


def _many_ratings(n_users: int = 200, seed: int = 0) -> Ratings:
    """A synthetic log where every user has 5..60 distinct ratings (the protocol's input)."""
    rng = np.random.default_rng(seed)
    users, items = [], []
    for user in range(1, n_users + 1):
        picked = rng.choice(1000, size=int(rng.integers(5, 61)), replace=False)
        users += [user] * len(picked)
        items += list(picked)
    n = len(users)
    return Ratings(users=np.array(users), items=np.array(items),
                   ratings=rng.choice(np.arange(1, 11) / 2, size=n).astype(np.float32),
                   timestamps=np.arange(n))  # fmt: skip


@pytest.mark.parametrize("source", ["synthetic", "ml-latest-small"])
def test_split_protocol_is_reproducible(source: str) -> None:
    # The protocol holds out 20 % of each user with >= 5 ratings: it needs such users,
    # so it runs on a synthetic log everywhere and on the real data set when present.
    ratings = _many_ratings() if source == "synthetic" else load_dataset(require_movielens()).ratings
    train, test = split_ratings(ratings, seed=42)
    again_train, again_test = split_ratings(ratings, seed=42)
    assert np.array_equal(test.items, again_test.items)
    assert len(train) + len(test) == len(ratings)
    # About 20% per user, everyone keeps most of their ratings in training.
    assert 0.18 < len(test) / len(ratings) < 0.22


def test_parse_title_articles() -> None:
    assert parse_title("Good, the Bad and the Ugly, The (1966)") == ("The Good, the Bad and the Ugly", 1966)
    assert parse_title("Avventura, L' (1960)") == ("L'Avventura", 1960)
    assert parse_title("Death Note: Desu nôto (2006–2007)") == ("Death Note: Desu nôto", 2006)
    assert parse_title("Seven (a.k.a. Se7en) (1995)") == ("Seven", 1995)
    assert parse_title("Me, Myself & I (2000)") == ("Me, Myself & I", 2000)
    # A bracketed subtitle after a connector: the connector goes with it.
    assert parse_title("Birdman: Or (The Unexpected Virtue of Ignorance) (2014)") == ("Birdman", 2014)


def test_real_ml_latest_small() -> None:
    ds = load_dataset(require_movielens())
    assert ds.catalog.n_items == 9742 and len(ds.ratings) == 100836
    assert ds.catalog.titles[ds.catalog.index(2571)] == "The Matrix"
