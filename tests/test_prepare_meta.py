"""`prepare` with item metadata: a change to items_meta.csv re-embeds the items and
keeps the CF model and the tagger (tiny BERT, tiny data: seconds, not minutes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.ops.artifacts import ArtifactStore, prepare
from tests.test_items_meta import ALIEN_META, META_HEADER, write
from tests.tiny_bert import make_tiny_backbone, write_tiny_bio


@pytest.mark.slow
def test_new_metadata_rebuilds_only_the_embeddings(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    titles = ["Alien (1979)", "Heat (1995)", "Fargo (1996)", "Up (2009)", "Jaws (1975)",
              "Rocky (1976)", "Ran (1985)", "Big (1988)"]
    write(data / "movies.csv", "movieId,title,genres\n" + "".join(
        f"{k},{t},Drama\n" for k, t in enumerate(titles, 1)))
    write(data / "ratings.csv", "userId,movieId,rating,timestamp\n" + "".join(
        f"{u},{i},{1 + (u * i) % 5}.0,{u * 10 + i}\n" for u in range(1, 13) for i in range(1, 9)
        if (u + i) % 3))
    tagger_data = tmp_path / "mit"
    tagger_data.mkdir()
    write_tiny_bio(tagger_data / "engtrain.bio")
    settings = load_settings(
        RECBOT_HOME=tmp_path / "home", RECBOT_DATA=data, RECBOT_TAGGER_DATA=tagger_data,
        RECBOT_BACKBONE=make_tiny_backbone(tmp_path / "bert"), REDIS_URL=None,
    )  # fmt: skip
    first = {s.component: s.action for s in prepare(settings, tagger_steps=2, progress=False)}
    assert first == {"cf": "built", "embeddings": "built", "tagger": "built"}

    write(data / "items_meta.csv", META_HEADER + ALIEN_META)
    second = {s.component: s.action for s in prepare(settings, tagger_steps=2, progress=False)}
    assert second == {"cf": "reused", "embeddings": "built", "tagger": "reused"}
    manifest = ArtifactStore(settings).current_manifest()
    assert manifest["embeddings"]["meta_fingerprint"]

    third = {s.component: s.action for s in prepare(settings, tagger_steps=2, progress=False)}
    assert third == {"cf": "reused", "embeddings": "reused", "tagger": "reused"}
