"""Optional item metadata: ``items_meta.csv`` beside the ratings, for every layout.

One row per item, UTF-8 with a header row (RFC 4180 quoting). Key column ``movieId``
or ``item_id``; optional columns ``overview``, ``directors``, ``cast``, ``keywords``
(pipe-separated lists), ``poster_url``, ``original_language``, ``runtime`` (minutes,
integer). An empty field means unknown; other columns are ignored.

Error policy, as for the other loaders: a row with fewer fields than the header, a
non-integer id or runtime, or an id given twice raises ``DataError`` naming the file and
the line. Rows of ids the catalog lacks are skipped with one logged warning. No file:
``read_items_meta`` returns ``None`` and the catalog is what the layout alone gives.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from recommender.data.catalog import Catalog
from recommender.errors import DataError

log = logging.getLogger(__name__)

META_FILE = "items_meta.csv"
KEY_COLUMNS = ("movieid", "item_id")
LIST_COLUMNS = ("directors", "cast", "keywords")


@dataclass
class ItemMeta:
    """Metadata of one item; empty strings and tuples mean unknown."""

    overview: str = ""
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    poster_url: str | None = None
    language: str | None = None
    runtime: int | None = None


@dataclass
class MetaTable:
    """What ``items_meta.csv`` says, by item id, and a hash of the file's bytes."""

    rows: dict[int, ItemMeta] = field(default_factory=dict)
    fingerprint: str = ""


def read_items_meta(root: Path) -> MetaTable | None:
    """``root/items_meta.csv`` parsed, or None when the file does not exist."""
    path = Path(root) / META_FILE
    if not path.is_file():
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: not valid UTF-8 text; save the file as UTF-8.") from exc
    table = MetaTable(fingerprint=hashlib.sha256(META_FILE.encode() + b"\0" + raw).hexdigest()[:16])
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    key = next((c for c in KEY_COLUMNS if c in header), None)
    if key is None:
        raise DataError(
            f"{path}:1: header lacks movieId (or item_id); expected movieId,overview,"
            "directors,cast,keywords,poster_url,original_language,runtime."
        )
    col = {name: k for k, name in enumerate(header)}
    for lineno, fields in enumerate(reader, start=2):
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        where = f"{path}:{lineno}"
        if len(fields) < len(header):
            raise DataError(
                f"{where}: expected {len(header)} fields ({','.join(header)}), found "
                f"{len(fields)}; fix that line (quote fields that contain commas)."
            )
        item_id = _int(fields[col[key]], where, key)
        if item_id in table.rows:
            raise DataError(f"{where}: item id {item_id} appears twice; keep one row per item.")
        table.rows[item_id] = _row(fields, col, where)
    return table


def attach_meta(catalog: Catalog, meta: MetaTable, path: Path) -> None:
    """Copy ``items_meta.csv`` rows onto the catalog's columns (ids it lacks skipped)."""
    unknown = 0
    for item_id, row in meta.rows.items():
        if not catalog.has(item_id):
            unknown += 1
            continue
        idx = catalog.index(item_id)
        if row.overview and not catalog.descriptions[idx]:
            catalog.descriptions[idx] = row.overview  # the layout's own description wins
        catalog.directors[idx], catalog.cast[idx] = row.directors, row.cast
        catalog.keywords[idx] = row.keywords
        catalog.poster_urls[idx], catalog.languages[idx] = row.poster_url, row.language
        catalog.runtimes[idx] = row.runtime
    if unknown:
        log.warning("%s: skipped %d rows of item ids not in the catalog", path / META_FILE, unknown)


def _row(fields: list[str], col: dict[str, int], where: str) -> ItemMeta:
    def get(name: str) -> str:
        k = col.get(name)
        return fields[k].strip() if k is not None else ""

    runtime = get("runtime")
    return ItemMeta(
        overview=get("overview"),
        directors=_pipe(get("directors")),
        cast=_pipe(get("cast")),
        keywords=_pipe(get("keywords")),
        poster_url=get("poster_url") or None,
        language=get("original_language") or None,
        runtime=_int(runtime, where, "runtime") if runtime else None,
    )


def _pipe(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in text.split("|") if p.strip()))


def _int(text: str, where: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise DataError(f"{where}: {what} {text!r} is not an integer; fix that line.") from None
