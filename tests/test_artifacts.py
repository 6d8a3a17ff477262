"""The artifact store: atomic writes, versioned files, the manifest, helpful errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.config import load_settings
from bot.ops.artifacts import ArtifactStore, atomic_write, load_engine
from recommender.errors import ArtifactMissing


@pytest.fixture
def settings(tmp_path):
    return load_settings(RECBOT_HOME=tmp_path, RECBOT_DATA=None, REDIS_URL=None)


def test_atomic_write_replaces_whole_files_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "cf-1.npz"
    atomic_write(target, lambda tmp: np.savez(tmp, a=np.arange(3)))
    assert np.load(target)["a"].tolist() == [0, 1, 2]
    with pytest.raises(RuntimeError):
        atomic_write(target, lambda tmp: (tmp.write_text("half"), (_ for _ in ()).throw(
            RuntimeError("crash while writing"))))
    assert np.load(target)["a"].tolist() == [0, 1, 2]  # the old file survived the crash
    assert [p.name for p in target.parent.iterdir()] == ["cf-1.npz"]


def test_manifest_round_trip_and_versions(settings):
    store = ArtifactStore(settings)
    assert store.current_manifest() is None
    assert store.next_cf_path() == (1, store.root / "cf-1.npz")
    store.root.mkdir(parents=True)
    (store.root / "cf-1.npz").write_bytes(b"x")
    (store.root / "cf-7.npz").write_bytes(b"x")
    assert store.next_cf_path()[0] == 8
    store.write_manifest({"cf": {"file": "cf-7.npz", "version": 7}})
    manifest = store.current_manifest()
    assert manifest["cf"]["file"] == "cf-7.npz" and manifest["format"] == 1
    assert json.loads(store.manifest_path.read_text()) == manifest


def test_missing_artifacts_say_to_run_prepare(settings):
    with pytest.raises(ArtifactMissing, match="recbot prepare"):
        load_engine(settings)
    store = ArtifactStore(settings)
    store.write_manifest({"cf": {"file": "cf-1.npz"}})
    with pytest.raises(ArtifactMissing, match="CF model.*recbot prepare"):
        load_engine(settings)
    store.manifest_path.write_text("{not json")
    with pytest.raises(ArtifactMissing, match="recbot prepare"):
        store.current_manifest()
