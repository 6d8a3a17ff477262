"""Find the training data on disk, downloading it when the operator configured none.

The core (``recommender``) only ever takes directories; this module is where the bot
turns "no directory configured" into one, over the network if it must:

- MovieLens: ``resolve_movielens`` - a configured directory (any known layout), else
  ``ml-latest-small`` cached in the home, else the official GroupLens zip, every file
  SHA-256-checked before it is unpacked. Offline, the error names ``RECBOT_DATA``.
- Tagger data (MIT Movie corpus, eng): ``resolve_tagger_data`` - a configured directory
  holding ``engtrain.bio``, else a cached copy, else a download from the MIT SLS page
  checked against its published SHA-256. Offline, the error names ``RECBOT_TAGGER_DATA``.

Writes are atomic (temporary sibling, then rename), so a failed download leaves nothing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from recommender.data.loaders import detect_layout
from recommender.errors import DataError
from recommender.nlp.tagger_data import ENG_TRAIN, require_tagger_dir

log = logging.getLogger(__name__)

ML_LATEST_SMALL_URL = "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip"
DIRNAME = "ml-latest-small"
# SHA-256 of the files inside the official zip (release of 2018-09-26). Checking the
# extracted files rather than the zip keeps the check meaningful if GroupLens re-zips.
ML_LATEST_SMALL_SHA256 = {
    "ratings.csv": "80da8b3393dae325bbba5a31f291a6ba55d8d4f4396de3c456f2c1635b1b70e8",
    "movies.csv": "c47b783f23eb304413307e1bb05335e427737da20ec8d3c0e96335567dd5f3dc",
    "tags.csv": "68eec00a0820c2faa8863a6df7032f13d5899a4462bce9a97213905297ff3d34",
    "links.csv": "028a4a1d17751ca9276e0e0718cfc22356350f224a996e1ec348c23274b9209d",
}
ENG_TRAIN_URL = "https://groups.csail.mit.edu/sls/downloads/movie/engtrain.bio"
ENG_TRAIN_SHA256 = "68d90d7b29bc7dbf54efce6dfddbcdcb685293a00eaf76cd48c3acb5d3b68fe8"


def resolve_movielens(
    path: Path | None, cache_dir: Path, *, url: str = ML_LATEST_SMALL_URL, timeout_s: float = 60
) -> Path:
    """The data directory to load.

    ``path`` given: it must hold a known layout (else ``DataError``). ``path`` None: the
    cached ``cache_dir/ml-latest-small`` if complete, else download the official zip,
    verify every file's SHA-256 and unpack it there. No network: ``DataError`` naming
    ``RECBOT_DATA``.
    """
    if path is not None:
        detect_layout(Path(path))
        return Path(path)
    target = Path(cache_dir) / DIRNAME
    if all((target / name).is_file() for name in ML_LATEST_SMALL_SHA256):
        return target
    try:
        payload = _get(url, timeout_s)
    except OSError as exc:
        raise DataError(
            f"No MovieLens data found locally and the download from {url} failed ({exc}); "
            "set RECBOT_DATA (or pass --data) to a MovieLens directory such as "
            "ml-latest-small."
        ) from exc
    _unpack_verified(payload, target)
    return target


def resolve_tagger_data(
    data_dir: Path | None, cache_dir: Path | None = None, *, timeout_s: float = 30.0
) -> Path:
    """A directory that contains ``engtrain.bio``.

    ``data_dir`` given: it must contain ``engtrain.bio`` (``DataError`` otherwise).
    Not given: ``cache_dir/engtrain.bio`` if present and intact, else it is downloaded
    there and verified against the published SHA-256. Any failure raises ``DataError``
    saying to set ``RECBOT_TAGGER_DATA``.
    """
    if data_dir is not None:
        return require_tagger_dir(Path(data_dir))
    if cache_dir is None:
        raise DataError(
            "no tagger data directory configured; set RECBOT_TAGGER_DATA (or --data) to the "
            "directory holding the MIT Movie corpus file engtrain.bio"
        )
    cache_dir = Path(cache_dir)
    target = cache_dir / ENG_TRAIN
    if target.is_file() and _sha256(target.read_bytes()) == ENG_TRAIN_SHA256:
        return cache_dir
    try:
        payload = _get(ENG_TRAIN_URL, timeout_s)
    except OSError as exc:  # URLError and timeouts are OSErrors
        raise DataError(
            f"could not download the MIT Movie corpus ({exc}); set RECBOT_TAGGER_DATA to a "
            "directory holding engtrain.bio"
        ) from None
    got = _sha256(payload)
    if got != ENG_TRAIN_SHA256:
        raise DataError(
            f"{ENG_TRAIN_URL} downloaded with SHA-256 {got}, expected {ENG_TRAIN_SHA256}; set "
            "RECBOT_TAGGER_DATA to a directory holding a correct engtrain.bio"
        )
    _write_atomic(target, payload)
    return cache_dir


def _get(url: str, timeout_s: float) -> bytes:
    """The body at ``url``; network failures surface as ``OSError`` (``URLError`` is one)."""
    log.info("downloading %s", url)
    with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310
        return bytes(response.read())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _unpack_verified(payload: bytes, target: Path) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile as exc:
        raise DataError(
            "The downloaded MovieLens file is not a zip archive; set RECBOT_DATA to a "
            "local copy of ml-latest-small instead."
        ) from exc
    members = {Path(n).name: n for n in archive.namelist() if not n.endswith("/")}
    files: dict[str, bytes] = {}
    for name, expected in ML_LATEST_SMALL_SHA256.items():
        if name not in members:
            raise DataError(f"The downloaded archive lacks {name}; set RECBOT_DATA instead.")
        data = archive.read(members[name])
        if _sha256(data) != expected:
            raise DataError(
                f"Checksum mismatch for {name} in the downloaded archive; set RECBOT_DATA to "
                "a trusted copy of ml-latest-small."
            )
        files[name] = data
    if "README.txt" in members:
        files["README.txt"] = archive.read(members["README.txt"])
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unpack beside the target and rename, so a crash never leaves a half-written dir.
    staging = Path(tempfile.mkdtemp(prefix=".ml-", dir=target.parent))
    for name, data in files.items():
        (staging / name).write_bytes(data)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
