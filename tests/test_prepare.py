"""`recbot prepare` on the real data: builds everything once, then reuses it."""

from __future__ import annotations

import json

import pytest

from bot.cli import main as cli_main
from bot.ops.artifacts import ArtifactStore, prepare
from tests.conftest import TEST_TAGGER_STEPS

pytestmark = pytest.mark.slow


def test_prepare_writes_a_complete_manifest(prepared_home):
    store = ArtifactStore(prepared_home)
    manifest = store.current_manifest()
    assert manifest["format"] == 1
    for component in ("cf", "embeddings", "tagger"):
        assert store.require(manifest, component).exists()
    assert manifest["cf"]["file"].startswith("cf-") and manifest["cf"]["file"].endswith(".npz")
    assert manifest["data"]["fingerprint"] == manifest["cf"]["base_fingerprint"]
    assert not list(store.root.glob(".*"))  # no temporary files left behind


def test_prepare_again_reuses_everything(prepared_home):
    store = ArtifactStore(prepared_home)
    before = store.current_manifest()
    steps = prepare(prepared_home, tagger_steps=TEST_TAGGER_STEPS, progress=False)
    assert [(s.component, s.action) for s in steps] == [
        ("cf", "reused"), ("embeddings", "reused"), ("tagger", "reused")
    ]
    after = store.current_manifest()
    for component in ("cf", "embeddings", "tagger"):
        assert after[component] == before[component]


def test_prepare_command_says_what_it_reused(prepared_home, monkeypatch, capsys):
    monkeypatch.setenv("RECBOT_HOME", str(prepared_home.home))
    monkeypatch.setenv("RECBOT_DATA", str(prepared_home.data))
    monkeypatch.setenv("RECBOT_TAGGER_DATA", str(prepared_home.tagger_data))
    assert cli_main(["prepare", "--tagger-steps", str(TEST_TAGGER_STEPS), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "cf: reused" in out and "tagger: reused" in out and "manifest.json" in out


def test_a_retrained_cf_version_is_kept(prepared_home):
    """A retraining job's cf-<n+1>.npz (same base data) survives the next prepare."""
    store = ArtifactStore(prepared_home)
    original = store.current_manifest()
    manifest = store.current_manifest()
    version, path = store.next_cf_path()
    path.write_bytes(store.require(manifest, "cf").read_bytes())
    manifest["cf"] = {**manifest["cf"], "file": path.name, "version": version,
                      "feedback_ratings": 3}
    store.write_manifest(manifest)
    try:
        prepare(prepared_home, tagger_steps=TEST_TAGGER_STEPS, progress=False)
        assert json.loads(store.manifest_path.read_text())["cf"]["file"] == path.name
    finally:
        store.write_manifest(original)
        path.unlink()
