"""Finding the training data: configured directories, caches, checksum-verified downloads."""

from __future__ import annotations

import hashlib
import io
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from bot.ops import downloads
from recommender.errors import DataError


def _zip_of(src: dict[str, bytes], dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w") as zf:
        for name, data in src.items():
            zf.writestr(f"ml-latest-small/{name}", data)
    return dest


def test_fetch_downloads_and_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"ratings.csv": b"r", "movies.csv": b"m", "tags.csv": b"t", "links.csv": b"l"}
    sums = {n: hashlib.sha256(d).hexdigest() for n, d in files.items()}
    monkeypatch.setattr(downloads, "ML_LATEST_SMALL_SHA256", sums)
    url = _zip_of(files, tmp_path / "ml.zip").as_uri()
    out = downloads.resolve_movielens(None, tmp_path / "cache", url=url)
    assert (out / "movies.csv").read_bytes() == b"m"
    # Cached now: a broken URL is never contacted.
    assert downloads.resolve_movielens(None, tmp_path / "cache", url="http://127.0.0.1:9/") == out
    bad = _zip_of({**files, "movies.csv": b"tampered"}, tmp_path / "bad.zip").as_uri()
    with pytest.raises(DataError, match="Checksum"):
        downloads.resolve_movielens(None, tmp_path / "cache2", url=bad)


def test_fetch_offline_names_recbot_data(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="RECBOT_DATA"):
        downloads.resolve_movielens(None, tmp_path, url="http://127.0.0.1:9/ml.zip", timeout_s=2)
    with pytest.raises(DataError, match="RECBOT_DATA"):
        downloads.resolve_movielens(tmp_path / "missing", tmp_path)


def test_tagger_data_from_configured_dir(tmp_path: Path) -> None:
    configured = tmp_path / "mit"
    configured.mkdir()
    (configured / "engtrain.bio").write_text("O\twhat\n\n")
    assert downloads.resolve_tagger_data(configured) == configured
    with pytest.raises(DataError, match="RECBOT_TAGGER_DATA"):
        downloads.resolve_tagger_data(tmp_path)


def test_tagger_data_offline_names_the_variable(tmp_path, monkeypatch) -> None:
    def offline(*_args, **_kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DataError, match="RECBOT_TAGGER_DATA"):
        downloads.resolve_tagger_data(None, tmp_path)
    assert list(tmp_path.iterdir()) == []  # no partial file left behind


def test_tagger_data_download_is_checksum_verified(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(urllib.request, "urlopen", lambda *_a, **_k: io.BytesIO(b"O\tnot it\n\n"))
    with pytest.raises(DataError, match="SHA-256"):
        downloads.resolve_tagger_data(None, tmp_path)
    assert not (tmp_path / "engtrain.bio").exists()


def test_tagger_data_download_accepted_when_checksum_matches(tmp_path, monkeypatch) -> None:
    payload = b"O\twhat\n\n"
    monkeypatch.setattr(urllib.request, "urlopen", lambda *_a, **_k: io.BytesIO(payload))
    monkeypatch.setattr(downloads, "ENG_TRAIN_SHA256", hashlib.sha256(payload).hexdigest())
    assert downloads.resolve_tagger_data(None, tmp_path) == tmp_path
    assert (tmp_path / "engtrain.bio").read_bytes() == payload
