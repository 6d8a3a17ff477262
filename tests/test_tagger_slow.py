"""The real packaged MiniLM backbone: a quick real training run, then tagging."""

from __future__ import annotations

import pytest

from recommender.nlp.tagger import Tagger
from recommender.nlp.train import TrainConfig, train_tagger
from tests.data_paths import MISSING_MIT_MOVIE, has_mit_movie, mit_movie_dir

MIT_DIR = mit_movie_dir()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not has_mit_movie(), reason=MISSING_MIT_MOVIE),
]


@pytest.fixture(scope="module")
def quick_tagger(tmp_path_factory):
    out = tmp_path_factory.mktemp("artifacts") / "tagger"
    # Quick mode as other tests use it (60 steps, the automatic quick-run lr), with more
    # generated conversational queries so the common genre/decade phrasings are learnt.
    config = TrainConfig(generated_share=0.5)
    report = train_tagger(out, MIT_DIR, max_steps=60, config=config, progress=False)
    return out, report


@pytest.mark.timeout(900)
@pytest.mark.parametrize("quantize", [False, True])
def test_quick_real_tagger_finds_genre_and_decade(quick_tagger, quantize) -> None:
    out, report = quick_tagger
    assert report.steps == 60 and 0.0 < report.dev_f1 <= 1.0
    tagger = Tagger.load(out, quantize=quantize)
    text = "a Sci-Fi film from the 90s"
    entities = tagger.tag(text)
    assert ("GENRE", "Sci-Fi", 2, 8) in {(e.type, e.text, e.start, e.end) for e in entities}
    assert any(e.type == "YEAR" and "90s" in e.text for e in entities), entities
