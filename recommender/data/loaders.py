"""Read a catalog and its ratings from a data directory, detecting the layout.

Three layouts are recognised, checked in this order:

``ml-latest-small`` (MovieLens CSV, also ml-latest / ml-25m etc.)
    ``movies.csv`` (``movieId,title,genres``), ``ratings.csv``
    (``userId,movieId,rating,timestamp``), optional ``tags.csv``
    (``userId,movieId,tag,timestamp``) and ``links.csv`` (``movieId,imdbId,tmdbId``;
    imdb ids keep their leading zeros). UTF-8.

``ml-100k`` (MovieLens 100K)
    ``u.data`` (``user<TAB>item<TAB>rating<TAB>timestamp``) and ``u.item``
    (``id|title|release date|video release date|IMDb URL|19 genre flags``), Latin-1.
    Genre names come from ``u.genre`` when present; "Children's" is spelled "Children"
    and "unknown" means no genre, as in ml-latest-small.

``generic`` (bring your own catalog)
    ``items.csv``, UTF-8 with a header row. Required columns: ``item_id`` (integer),
    ``title``. Optional columns: ``year`` (integer; when empty it is taken from a
    trailing "(YYYY)" in the title), ``genres`` (pipe-separated), ``description``,
    ``people`` (pipe-separated names: directors, actors), ``imdb_id``, ``tags``
    (pipe-separated). Other columns are ignored.
    ``ratings.csv``, UTF-8 with header ``user,item,rating,timestamp`` (``timestamp``
    optional); ratings are stars from 0.5 to 5.

Error policy: a malformed row (wrong number of fields, a non-numeric id or rating, a
rating outside 0.5..5, a duplicate item id) raises ``DataError`` naming the file and the
line; nothing is silently guessed. Ratings (and tags) of item ids absent from the
catalog are dropped with one logged warning giving the count, because public dumps
often rate items later removed from the catalog.

Every layout also reads an optional ``items_meta.csv`` (overviews, directors, cast,
keywords, posters; ``recommender.data.meta``). Its hash is ``Dataset.meta_fingerprint``,
kept apart from ``fingerprint`` so that new metadata rebuilds only what depends on it.

Titles keep their original text (``raw_titles``) and get a display form and a year
(see ``titles.parse_title``). ``Dataset.fingerprint`` is a SHA-256 over the names and
bytes of the files read (first 16 hex digits): it changes whenever the data does.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from recommender.data.catalog import Catalog, Dataset, Ratings
from recommender.data.meta import attach_meta, read_items_meta
from recommender.data.raw_titles import parse_title
from recommender.data.stats import item_rating_stats, rating_rate
from recommender.errors import DataError

log = logging.getLogger(__name__)

ML_LATEST = "ml-latest-small"
ML_100K = "ml-100k"
GENERIC = "generic"

NO_GENRE = {"(no genres listed)", "unknown", ""}
ML100K_GENRES = (
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
    "Romance", "Sci-Fi", "Thriller", "War", "Western",
)  # fmt: skip
MIN_STARS, MAX_STARS = 0.5, 5.0


def detect_layout(path: Path) -> str:
    """Which layout ``path`` holds; ``DataError`` saying what is expected if none."""
    path = Path(path)
    if not path.is_dir():
        raise DataError(
            f"Data directory {path} does not exist: point --data or RECBOT_DATA at a "
            "MovieLens directory (ml-latest-small or ml-100k) or a generic items.csv + "
            "ratings.csv directory."
        )
    if (path / "movies.csv").is_file() and (path / "ratings.csv").is_file():
        return ML_LATEST
    if (path / "u.data").is_file() and (path / "u.item").is_file():
        return ML_100K
    if (path / "items.csv").is_file() and (path / "ratings.csv").is_file():
        return GENERIC
    raise DataError(
        f"{path} holds no known data layout: expected movies.csv + ratings.csv "
        "(MovieLens ml-latest-small), u.data + u.item (MovieLens ml-100k) or "
        "items.csv + ratings.csv (generic layout, see the README)."
    )


def load_dataset(path: Path) -> Dataset:
    """Load the catalog and ratings in ``path`` (layout detected automatically).

    Items are in ascending ``item_id`` order; rating statistics and the Bayesian-average
    ``quality`` are computed from the ratings read.
    """
    path = Path(path)
    layout = detect_layout(path)
    files = _FileReader(path)
    if layout == ML_LATEST:
        items, ratings = _read_ml_latest(files)
    elif layout == ML_100K:
        items, ratings = _read_ml_100k(files)
    else:
        items, ratings = _read_generic(files)
    catalog = _build_catalog(items)
    meta = read_items_meta(path)
    if meta is not None:
        attach_meta(catalog, meta, path)
    ratings = _drop_unknown_items(ratings, catalog, path)
    _attach_stats(catalog, ratings)
    log.info(
        "loaded %s from %s: %d items, %d ratings, %d users",
        layout, path, catalog.n_items, len(ratings), len(np.unique(ratings.users)),
    )
    return Dataset(
        catalog=catalog, ratings=ratings, layout=layout, source=str(path),
        fingerprint=files.fingerprint(), meta_fingerprint=meta.fingerprint if meta else "",
    )  # fmt: skip


def read_ratings_file(path: Path) -> Ratings:
    """A ratings CSV with header ``user,item,rating,timestamp`` (the split format).

    Same error policy as ``load_dataset``: a malformed row raises ``DataError`` naming
    the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Ratings file {path} does not exist; check the path.")
    return _read_ratings_csv(_FileReader(path.parent), path.name, "user", "item")


def write_ratings_file(ratings: Ratings, path: Path) -> None:
    """Write ``ratings`` as CSV with header ``user,item,rating,timestamp``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["user", "item", "rating", "timestamp"])
        for u, i, r, t in zip(ratings.users.tolist(), ratings.items.tolist(),
                              ratings.ratings.tolist(), ratings.timestamps.tolist(), strict=True):  # fmt: skip
            writer.writerow([u, i, f"{r:g}", t])


# --------------------------------------------------------------------------- reading


class _FileReader:
    """Reads files of one directory, hashing every byte it reads for the fingerprint."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._hash = hashlib.sha256()

    def text(self, name: str, encoding: str = "utf-8-sig") -> str:
        raw = (self.root / name).read_bytes()
        self._hash.update(name.encode() + b"\0" + raw + b"\0")
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError(
                f"{self.root / name}:{line}: not valid {encoding} text; save the file as "
                "UTF-8 and run again."
            ) from exc

    def rows(
        self, name: str, *, delimiter: str = ",", encoding: str = "utf-8-sig", header: bool = True
    ) -> Iterator[tuple[int, list[str]]]:
        """``(line number, fields)`` per non-blank row; the header row is skipped."""
        text = self.text(name, encoding)
        if delimiter == ",":
            reader: Iterator[list[str]] = csv.reader(io.StringIO(text))
        else:
            # ml-100k files are not CSV-quoted; a stray quote must stay text.
            reader = (line.split(delimiter) for line in text.splitlines())
        for lineno, fields in enumerate(reader, start=1):
            if header and lineno == 1:
                continue
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            yield lineno, fields

    def header(self, name: str) -> list[str]:
        # Only the first line, and not hashed: ``rows`` hashes the whole file.
        with open(self.root / name, encoding="utf-8-sig", errors="replace") as fh:
            first = next(csv.reader([fh.readline()]), [])
        return [h.strip().lower() for h in first]

    def exists(self, name: str) -> bool:
        return (self.root / name).is_file()

    def where(self, name: str, lineno: int) -> str:
        return f"{self.root / name}:{lineno}"

    def fingerprint(self) -> str:
        return self._hash.hexdigest()[:16]


class _Items:
    """Column lists of the items being read, before sorting into a ``Catalog``."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.raw_titles: list[str] = []
        self.years: list[int] = []
        self.genres: list[tuple[str, ...]] = []
        self.descriptions: list[str] = []
        self.people: list[tuple[str, ...]] = []
        self.imdb: dict[int, str] = {}
        self.tags: dict[int, Counter[str]] = defaultdict(Counter)
        self._seen: set[int] = set()

    def add(self, where: str, item_id: int, raw_title: str, year: int | None,
            genres: tuple[str, ...], description: str = "", people: tuple[str, ...] = ()) -> None:  # fmt: skip
        if item_id in self._seen:
            raise DataError(f"{where}: item id {item_id} appears twice; keep one row per item.")
        self._seen.add(item_id)
        title, parsed_year = parse_title(raw_title)
        self.ids.append(item_id)
        self.raw_titles.append(raw_title)
        self.years.append(year if year else parsed_year)
        self.genres.append(genres)
        self.descriptions.append(description)
        self.people.append(people)


class _RatingRows:
    def __init__(self) -> None:
        self.users: list[int] = []
        self.items: list[int] = []
        self.stars: list[float] = []
        self.times: list[int] = []

    def add(self, where: str, user: str, item: str, stars: str, ts: str | None) -> None:
        u, i = _as_int(user, where, "user id"), _as_int(item, where, "item id")
        r = _as_float(stars, where, "rating")
        if not MIN_STARS <= r <= MAX_STARS:
            raise DataError(f"{where}: rating {stars!r} is outside 0.5..5 stars; fix that line.")
        t = _as_int(ts, where, "timestamp") if ts not in (None, "") else 0
        self.users.append(u)
        self.items.append(i)
        self.stars.append(r)
        self.times.append(t)

    def to_ratings(self) -> Ratings:
        return Ratings(
            users=np.asarray(self.users, dtype=np.int64),
            items=np.asarray(self.items, dtype=np.int64),
            ratings=np.asarray(self.stars, dtype=np.float32),
            timestamps=np.asarray(self.times, dtype=np.int64),
        )


def _as_int(text: str | None, where: str, what: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise DataError(f"{where}: {what} {text!r} is not an integer; fix that line.") from None


def _as_float(text: str, where: str, what: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise DataError(f"{where}: {what} {text!r} is not a number; fix that line.") from None


def _expect_fields(fields: list[str], n: int, where: str, columns: str) -> None:
    if len(fields) < n:
        raise DataError(
            f"{where}: expected {n} fields ({columns}), found {len(fields)}; fix that line."
        )


def _split_pipe(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("|") if p.strip() and p.strip() not in NO_GENRE)


def _read_ratings_csv(files: _FileReader, name: str, user_col: str, item_col: str) -> Ratings:
    """ratings CSV with a header naming user, item, rating and (optional) timestamp."""
    header = files.header(name)
    need = [user_col, item_col, "rating"]
    missing = [c for c in need if c not in header]
    if missing:
        raise DataError(
            f"{files.where(name, 1)}: header lacks {', '.join(missing)}; expected "
            f"{user_col},{item_col},rating,timestamp."
        )
    cu, ci, cr = (header.index(c) for c in need)
    ct = header.index("timestamp") if "timestamp" in header else None
    width = max(cu, ci, cr, ct or 0) + 1
    rows = _RatingRows()
    for lineno, f in files.rows(name):
        where = files.where(name, lineno)
        _expect_fields(f, width, where, ",".join(header))
        rows.add(where, f[cu], f[ci], f[cr], f[ct] if ct is not None else None)
    return rows.to_ratings()


def _read_tags(files: _FileReader, items: _Items) -> None:
    if not files.exists("tags.csv"):
        return
    for lineno, f in files.rows("tags.csv"):
        where = files.where("tags.csv", lineno)
        _expect_fields(f, 3, where, "userId,movieId,tag,timestamp")
        tag = f[2].strip()
        if tag:
            items.tags[_as_int(f[1], where, "movieId")][tag] += 1


def _read_ml_latest(files: _FileReader) -> tuple[_Items, Ratings]:
    items = _Items()
    for lineno, f in files.rows("movies.csv"):
        where = files.where("movies.csv", lineno)
        _expect_fields(f, 3, where, "movieId,title,genres")
        items.add(where, _as_int(f[0], where, "movieId"), f[1].strip(), None, _split_pipe(f[2]))
    if files.exists("links.csv"):
        for lineno, f in files.rows("links.csv"):
            where = files.where("links.csv", lineno)
            _expect_fields(f, 2, where, "movieId,imdbId,tmdbId")
            if f[1].strip():
                items.imdb[_as_int(f[0], where, "movieId")] = f[1].strip()
    _read_tags(files, items)
    ratings = _read_ratings_csv(files, "ratings.csv", "userid", "movieid")
    return items, ratings


def _read_ml_100k(files: _FileReader) -> tuple[_Items, Ratings]:
    genre_names = list(ML100K_GENRES)
    if files.exists("u.genre"):
        pairs = [f for _, f in files.rows("u.genre", delimiter="|", encoding="latin-1", header=False)]
        by_id = {int(f[1]): f[0] for f in pairs if len(f) >= 2 and f[1].strip().isdigit()}
        genre_names = [by_id.get(k, genre_names[k] if k < len(genre_names) else "")
                       for k in range(max(by_id, default=-1) + 1)] or genre_names  # fmt: skip
    genre_names = ["Children" if g == "Children's" else g for g in genre_names]
    items = _Items()
    rows = files.rows("u.item", delimiter="|", encoding="latin-1", header=False)
    for lineno, f in rows:
        where = files.where("u.item", lineno)
        _expect_fields(f, 5 + len(genre_names), where, "id|title|release date|video|url|genres")
        item_id = _as_int(f[0], where, "movie id")
        flags = f[5 : 5 + len(genre_names)]
        genres = tuple(g for g, flag in zip(genre_names, flags, strict=True)
                       if flag.strip() == "1" and g not in NO_GENRE)  # fmt: skip
        release = f[2].strip()
        year = int(release[-4:]) if len(release) >= 4 and release[-4:].isdigit() else None
        _, title_year = parse_title(f[1])
        items.add(where, item_id, f[1].strip(), title_year or year, genres)
    ratings = _RatingRows()
    for lineno, f in files.rows("u.data", delimiter="\t", encoding="latin-1", header=False):
        where = files.where("u.data", lineno)
        _expect_fields(f, 3, where, "user, item, rating, timestamp (tab separated)")
        ratings.add(where, f[0], f[1], f[2], f[3] if len(f) > 3 else None)
    return items, ratings.to_ratings()


def _read_generic(files: _FileReader) -> tuple[_Items, Ratings]:
    header = files.header("items.csv")
    for required in ("item_id", "title"):
        if required not in header:
            raise DataError(
                f"{files.where('items.csv', 1)}: header lacks {required}; the generic layout needs "
                "item_id,title and optionally year,genres,description,people,imdb_id,tags."
            )
    col = {name: k for k, name in enumerate(header)}

    def get(fields: list[str], name: str) -> str:
        k = col.get(name)
        return fields[k].strip() if k is not None and k < len(fields) else ""

    items = _Items()
    for lineno, f in files.rows("items.csv"):
        where = files.where("items.csv", lineno)
        _expect_fields(f, max(col["item_id"], col["title"]) + 1, where, ",".join(header))
        item_id = _as_int(get(f, "item_id"), where, "item_id")
        year_text = get(f, "year")
        year = _as_int(year_text, where, "year") if year_text else None
        items.add(where, item_id, get(f, "title"), year, _split_pipe(get(f, "genres")),
                  get(f, "description"), _split_pipe(get(f, "people")))  # fmt: skip
        if get(f, "imdb_id"):
            items.imdb[item_id] = get(f, "imdb_id")
        for tag in _split_pipe(get(f, "tags")):
            items.tags[item_id][tag] += 1
    ratings = _read_ratings_csv(files, "ratings.csv", "user", "item")
    return items, ratings


# --------------------------------------------------------------------------- assembling


def _build_catalog(items: _Items) -> Catalog:
    order = np.argsort(np.asarray(items.ids, dtype=np.int64), kind="stable")
    ids = np.asarray(items.ids, dtype=np.int64)[order]

    def pick(values: list) -> list:
        return [values[k] for k in order]

    raw = pick(items.raw_titles)
    return Catalog(
        item_ids=ids,
        raw_titles=raw,
        titles=[parse_title(t)[0] for t in raw],
        years=np.asarray(pick(items.years), dtype=np.int32),
        genres=pick(items.genres),
        # Most-used tags first; tags differing only in case are one tag.
        tags=[_merge_tags(items.tags.get(int(i), Counter())) for i in ids],
        descriptions=pick(items.descriptions),
        people=pick(items.people),
        imdb_ids=[items.imdb.get(int(i)) for i in ids],
    )


def _merge_tags(counts: Counter[str]) -> tuple[str, ...]:
    merged: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for tag, n in counts.items():
        key = tag.lower()
        merged[key] += n
        spelling.setdefault(key, tag)
    return tuple(spelling[k] for k, _ in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])))


def _drop_unknown_items(ratings: Ratings, catalog: Catalog, path: Path) -> Ratings:
    known = np.isin(ratings.items, catalog.item_ids)
    dropped = int((~known).sum())
    if not dropped:
        return ratings
    log.warning("%s: dropped %d ratings of item ids not in the catalog", path, dropped)
    return Ratings(ratings.users[known], ratings.items[known], ratings.ratings[known],
                   ratings.timestamps[known])  # fmt: skip


def _attach_stats(catalog: Catalog, ratings: Ratings) -> None:
    cols = np.searchsorted(catalog.item_ids, ratings.items)
    count, mean, quality = item_rating_stats(cols, ratings.ratings, catalog.n_items)
    catalog.rating_count, catalog.rating_mean, catalog.quality = count, mean, quality
    catalog.rating_rate = rating_rate(cols, ratings.timestamps, catalog.n_items)
