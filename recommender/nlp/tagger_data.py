"""Where the tagger's training data (MIT Movie corpus, eng) comes from.

Order: a directory the operator configured (``RECBOT_TAGGER_DATA``, passed in here as
``data_dir``), then a copy cached by an earlier download, then a download of
``engtrain.bio`` from the MIT SLS movie-corpus page with a SHA-256 check. Offline, the
error names ``RECBOT_TAGGER_DATA``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import urllib.request
from pathlib import Path

from recommender.errors import DataError

log = logging.getLogger(__name__)

ENG_TRAIN = "engtrain.bio"
TRIVIA_TRAIN = "trivia10k13train.bio"
ENG_TRAIN_URL = "https://groups.csail.mit.edu/sls/downloads/movie/engtrain.bio"
ENG_TRAIN_SHA256 = "68d90d7b29bc7dbf54efce6dfddbcdcb685293a00eaf76cd48c3acb5d3b68fe8"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_tagger_data(
    data_dir: Path | None, cache_dir: Path | None = None, *, timeout_s: float = 30.0
) -> Path:
    """A directory that contains ``engtrain.bio`` (and maybe ``trivia10k13train.bio``).

    ``data_dir`` given: it must contain ``engtrain.bio`` (``DataError`` otherwise).
    Not given: ``cache_dir/engtrain.bio`` if present and intact, else it is downloaded
    there and verified against the published SHA-256. Any failure raises ``DataError``
    saying to set ``RECBOT_TAGGER_DATA``.
    """
    if data_dir is not None:
        data_dir = Path(data_dir)
        if not (data_dir / ENG_TRAIN).is_file():
            raise DataError(
                f"{data_dir} has no {ENG_TRAIN}; set RECBOT_TAGGER_DATA (or --data) to the "
                "directory holding the MIT Movie corpus file engtrain.bio"
            )
        return data_dir
    if cache_dir is None:
        raise DataError(
            "no tagger data directory configured; set RECBOT_TAGGER_DATA (or --data) to the "
            "directory holding the MIT Movie corpus file engtrain.bio"
        )
    cache_dir = Path(cache_dir)
    target = cache_dir / ENG_TRAIN
    if target.is_file() and sha256_file(target) == ENG_TRAIN_SHA256:
        return cache_dir
    _download(ENG_TRAIN_URL, target, ENG_TRAIN_SHA256, timeout_s)
    return cache_dir


def _download(url: str, target: Path, sha256: str, timeout_s: float) -> None:
    """Fetch ``url`` to ``target`` atomically, verifying its SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("downloading %s", url)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout_s) as resp:
            while chunk := resp.read(1 << 16):
                out.write(chunk)
        got = sha256_file(tmp)
        if got != sha256:
            raise DataError(
                f"{url} downloaded with SHA-256 {got}, expected {sha256}; set "
                "RECBOT_TAGGER_DATA to a directory holding a correct engtrain.bio"
            )
        tmp.replace(target)
    except OSError as exc:  # URLError, timeouts and disk errors are all OSErrors
        raise DataError(
            f"could not download the MIT Movie corpus ({exc}); set RECBOT_TAGGER_DATA to a "
            "directory holding engtrain.bio"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
