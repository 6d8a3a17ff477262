"""Find the MovieLens data, downloading ml-latest-small from GroupLens when absent.

This is the one module of ``recommender`` that touches the network, and only when the
caller passes no data directory and nothing is cached yet.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from recommender.data.loaders import detect_layout
from recommender.errors import DataError

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
    payload = _download(url, timeout_s)
    _unpack_verified(payload, target)
    return target


def _download(url: str, timeout_s: float) -> bytes:
    log.info("downloading %s", url)
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310
            return response.read()
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise DataError(
            f"No MovieLens data found locally and the download from {url} failed ({exc}); "
            "set RECBOT_DATA (or pass --data) to a MovieLens directory such as "
            "ml-latest-small."
        ) from exc


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
        if hashlib.sha256(data).hexdigest() != expected:
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
