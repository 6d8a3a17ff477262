"""items_meta.csv: read for every layout, optional, strict about malformed rows, and
fingerprinted apart from the ratings (new plots re-embed items, nothing else)."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.data.loaders import load_dataset
from recommender.errors import DataError

META_HEADER = "movieId,overview,directors,cast,keywords,poster_url,original_language,runtime\n"
ALIEN_META = ('1,"In space, no one can hear you scream.",Ridley Scott,Sigourney Weaver|Tom Skerritt,'
              "space|alien|android,https://image.tmdb.org/t/p/w500/alien.jpg,en,117\n")


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def ml_latest(root: Path) -> Path:
    write(root / "movies.csv", "movieId,title,genres\n1,Alien (1979),Horror|Sci-Fi\n"
          "2,Heat (1995),Crime\n")  # fmt: skip
    write(root / "ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,3.0,2\n")
    return root


def ml_100k(root: Path) -> Path:
    flags = ["0"] * 19
    write(root / "u.item", "1|Alien (1979)|01-Jan-1979||http://x|" + "|".join(flags) + "\n"
          "2|Heat (1995)|01-Jan-1995||http://x|" + "|".join(flags) + "\n", encoding="latin-1")
    write(root / "u.data", "1\t1\t5\t881250949\n1\t2\t3\t881250950\n")
    return root


def generic(root: Path, description: str = "", people: str = "") -> Path:
    write(root / "items.csv", "item_id,title,description,people\n"
          f'1,Alien (1979),"{description}",{people}\n2,Heat (1995),,\n')  # fmt: skip
    write(root / "ratings.csv", "user,item,rating\n1,1,4\n1,2,3\n")
    return root


@pytest.mark.parametrize("layout", [ml_latest, ml_100k, generic])
def test_every_layout_reads_the_metadata(tmp_path: Path, layout) -> None:
    root = layout(tmp_path)
    write(root / "items_meta.csv", META_HEADER + ALIEN_META + "2,,,,,,,\n")
    cat = load_dataset(root).catalog
    alien, heat = cat.index(1), cat.index(2)
    assert cat.directors[alien] == ("Ridley Scott",)
    assert cat.cast[alien] == ("Sigourney Weaver", "Tom Skerritt")
    assert cat.keywords[alien] == ("space", "alien", "android")
    assert cat.descriptions[alien] == "In space, no one can hear you scream."
    assert cat.poster_urls[alien] == "https://image.tmdb.org/t/p/w500/alien.jpg"
    assert cat.languages[alien] == "en" and cat.runtimes[alien] == 117
    # Empty fields are unknown, not empty strings.
    assert cat.directors[heat] == () and cat.poster_urls[heat] is None and cat.runtimes[heat] is None
    assert cat.people_of(alien) == ("Ridley Scott", "Sigourney Weaver", "Tom Skerritt")


def test_item_id_key_and_generic_columns_map_on(tmp_path: Path) -> None:
    root = generic(tmp_path, description="Own text.", people="Someone Else")
    write(root / "items_meta.csv", "item_id,overview,directors,poster_url\n"
          "1,Meta text.,Ridley Scott,https://x/alien.jpg\n")  # fmt: skip
    cat = load_dataset(root).catalog
    alien = cat.index(1)
    assert cat.descriptions[alien] == "Own text."  # the layout's own description wins
    assert cat.people[alien] == ("Someone Else",)  # role unknown: kept apart
    assert cat.directors[alien] == ("Ridley Scott",) and cat.cast[alien] == ()
    assert cat.people_of(alien) == ("Ridley Scott", "Someone Else")


def test_no_metadata_file_is_todays_behaviour(tmp_path: Path) -> None:
    ds = load_dataset(ml_latest(tmp_path))
    cat = ds.catalog
    assert ds.meta_fingerprint == ""
    assert cat.directors == [(), ()] and cat.keywords == [(), ()]
    assert cat.poster_urls == [None, None] and cat.descriptions == ["", ""]


def test_malformed_rows_name_file_and_line(tmp_path: Path) -> None:
    root = ml_latest(tmp_path)
    write(root / "items_meta.csv", META_HEADER + ALIEN_META + "2,too,few\n")
    with pytest.raises(DataError, match=r"items_meta\.csv:3: expected 8 fields"):
        load_dataset(root)
    write(root / "items_meta.csv", META_HEADER + "x1,,,,,,,\n")
    with pytest.raises(DataError, match=r"items_meta\.csv:2: movieid 'x1' is not an integer"):
        load_dataset(root)
    write(root / "items_meta.csv", META_HEADER + "1,,,,,,,two hours\n")
    with pytest.raises(DataError, match=r"items_meta\.csv:2: runtime"):
        load_dataset(root)
    write(root / "items_meta.csv", META_HEADER + ALIEN_META + ALIEN_META)
    with pytest.raises(DataError, match=r"items_meta\.csv:3: item id 1 appears twice"):
        load_dataset(root)
    write(root / "items_meta.csv", "id,overview\n1,x\n")
    with pytest.raises(DataError, match=r"items_meta\.csv:1: header lacks movieId"):
        load_dataset(root)


def test_unknown_ids_are_skipped(tmp_path: Path) -> None:
    root = ml_latest(tmp_path)
    write(root / "items_meta.csv", META_HEADER + ALIEN_META + "999,Gone,,,,,,\n")
    cat = load_dataset(root).catalog
    assert cat.n_items == 2 and cat.directors[cat.index(1)] == ("Ridley Scott",)


def test_metadata_has_its_own_fingerprint(tmp_path: Path) -> None:
    root = ml_latest(tmp_path)
    bare = load_dataset(root)
    write(root / "items_meta.csv", META_HEADER + ALIEN_META)
    first = load_dataset(root)
    # The ratings/catalog fingerprint (CF model, tagger) does not move; the metadata one does.
    assert first.fingerprint == bare.fingerprint and first.meta_fingerprint
    write(root / "items_meta.csv", META_HEADER + ALIEN_META.replace("117", "118"))
    assert load_dataset(root).meta_fingerprint != first.meta_fingerprint
    assert load_dataset(root).fingerprint == bare.fingerprint
