"""Tagger training and inference on a tiny random BERT (no real weights, fast)."""

from __future__ import annotations

import json
import random

import pytest
from transformers import BertTokenizerFast

from bot.cli import main as recbot
from recommender.errors import ArtifactMissing
from recommender.evaluation.tagger import score_sentences
from recommender.nlp.backbone import BackboneMissing, check_backbone_dir, default_backbone_dir
from recommender.nlp.bio import BioSentence, read_bio
from recommender.nlp.decode import Transitions
from recommender.nlp.tagger import Tagger, entities_from_tags
from recommender.nlp.tokenize import pretokenize
from recommender.nlp.train import (
    IGNORE,
    LABELS,
    META_FILE,
    TrainConfig,
    align_labels,
    bucket_batches,
    encode_sentences,
    n_generated_for,
    split_dev,
    train_tagger,
)
from tests.tiny_bert import make_tiny_backbone, write_tiny_bio

LABEL2ID = {lab: i for i, lab in enumerate(LABELS)}


@pytest.fixture(scope="module")
def tiny_backbone(tmp_path_factory):
    return make_tiny_backbone(tmp_path_factory.mktemp("tiny") / "bert")


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    directory = tmp_path_factory.mktemp("mit")
    write_tiny_bio(directory / "engtrain.bio")
    return directory


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_backbone, tiny_data):
    """A tiny tagger trained long enough (at a high lr) to learn the tiny corpus."""
    out = tmp_path_factory.mktemp("artifacts") / "tagger"
    config = TrainConfig(
        epochs=200, max_steps=150, batch_size=8, lr=3e-3, generated_share=0.2,
        dev_fraction=0.2, num_threads=1, freeze_word_embeddings=False,
    )  # fmt: skip
    report = train_tagger(out, tiny_data, backbone_dir=tiny_backbone, config=config, progress=False)
    return out, report


def test_labels_go_on_first_subtoken_only(tiny_backbone) -> None:
    tokenizer = BertTokenizerFast.from_pretrained(str(tiny_backbone), local_files_only=True)
    sentence = BioSentence(("movies", "with", "zqxv", "willis"), ("O", "O", "B-ACTOR", "I-ACTOR"))
    [enc] = encode_sentences(tokenizer, [sentence], LABEL2ID, max_length=32)
    pieces = tokenizer.convert_ids_to_tokens(enc.input_ids)
    assert pieces == ["[CLS]", "movies", "with", "z", "##q", "##x", "##v", "willis", "[SEP]"]
    assert enc.labels == [
        IGNORE, LABEL2ID["O"], LABEL2ID["O"], LABEL2ID["B-ACTOR"], IGNORE, IGNORE, IGNORE,
        LABEL2ID["I-ACTOR"], IGNORE,
    ]  # fmt: skip


def test_align_labels_pure() -> None:
    assert align_labels([None, 0, 0, 1, None], ["B-GENRE", "O"], LABEL2ID) == [
        IGNORE, LABEL2ID["B-GENRE"], IGNORE, LABEL2ID["O"], IGNORE,
    ]  # fmt: skip


def test_bucket_batches_cover_everything_once_with_similar_lengths() -> None:
    rng = random.Random(0)
    lengths = [rng.randint(3, 60) for _ in range(1000)]
    batches = bucket_batches(lengths, 16, random.Random(1))
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(1000))
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches)
    assert spread / len(batches) < 10  # unsorted batches would spread ~50 tokens
    assert batches != bucket_batches(lengths, 16, random.Random(2))


def test_dev_split_is_deterministic_and_disjoint(tiny_data) -> None:
    sentences = read_bio(tiny_data / "engtrain.bio")
    train, dev = split_dev(sentences, 0.2)
    assert (train, dev) == split_dev(sentences, 0.2)
    assert dev and train and not set(train) & set(dev)
    assert len(train) + len(dev) == len(sentences)


def test_generated_share_knob() -> None:
    assert n_generated_for(850, 0.15) == 150
    assert n_generated_for(100, 0.0) == 0
    with pytest.raises(ValueError):
        n_generated_for(100, 1.0)


def test_training_writes_a_loadable_tagger_with_its_labels(trained) -> None:
    out, report = trained
    config = json.loads((out / "config.json").read_text())
    assert set(config["id2label"].values()) == set(LABELS)
    assert config["label2id"]["B-NEG_GENRE"] == LABELS.index("B-NEG_GENRE")
    meta = json.loads((out / META_FILE).read_text())
    assert meta["dev_f1"] == report.dev_f1 and meta["steps"] == report.steps == 150
    assert report.n_dev > 0 and report.n_generated > 0
    assert not out.with_name("tagger.partial").exists()
    # the tiny model learns the tiny corpus
    assert report.dev_f1 > 0.5
    # the label transitions counted on the training mix travel with the model
    transitions = Transitions.load(out)
    assert transitions is not None and set(transitions.labels) == set(LABELS)
    assert Tagger.load(out, jit=False).decoder.trans.shape == (len(LABELS), len(LABELS))


@pytest.mark.parametrize("quantize", [False, True])
def test_tag_returns_entities_with_offsets_into_the_original_text(trained, quantize) -> None:
    tagger = Tagger.load(trained[0], quantize=quantize)
    text = "Show me  COMEDY movies, with Bruce Willis!"
    entities = tagger.tag(text)
    for e in entities:
        assert text[e.start : e.end] == e.text
    assert ("GENRE", "COMEDY") in {(e.type, e.text) for e in entities}
    assert any(e.type == "ACTOR" and e.start == text.index("Bruce") for e in entities)


def test_spans_split_inside_a_hyphenated_word_are_one_entity() -> None:
    text = "no Sci-Fi, rom-com or horror-comedy"
    words = pretokenize(text)
    tags = ["O", "B-NEG_GENRE", "B-NEG_GENRE", "B-GENRE", "I-GENRE", "O", "B-GENRE", "B-GENRE"]
    found = [(e.type, e.text) for e in entities_from_tags(text, words, tags)]
    assert found == [("NEG_GENRE", "Sci-Fi"), ("GENRE", "rom-com"), ("GENRE", "horror-comedy")]
    # different types, or words separated by a space or comma, stay apart
    tags = ["O", "B-NEG_GENRE", "B-GENRE", "B-GENRE", "O", "O", "B-GENRE", "O"]
    found = [(e.type, e.text) for e in entities_from_tags(text, words, tags)]
    assert found == [("NEG_GENRE", "Sci"), ("GENRE", "Fi"), ("GENRE", "rom"), ("GENRE", "horror")]


def test_tag_survives_arbitrary_input(trained) -> None:
    tagger = Tagger.load(trained[0], quantize=True)
    huge = "comedy " * 1500 + "x" * 1000
    assert tagger.tag("") == []
    assert tagger.tag("🎬🍿\x00\x1b[31m ...") == []
    for text in (huge, "comedy 🎬 from the 1980s\x00", "\u202e\ufeffhorror", "ＣＯＭＥＤＹ"):
        for e in tagger.tag(text):
            assert text[e.start : e.end] == e.text
    batch = tagger.tag_batch(["show me comedy movies", "", "movies like alien"])
    assert len(batch) == 3 and batch[1] == []


def test_eval_tagger_cli_prints_one_json_object(trained, tiny_data, capsys) -> None:
    bio = tiny_data / "engtrain.bio"
    assert recbot(["eval", "tagger", "--bio", str(bio), "--tagger", str(trained[0]), "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(result) >= {"micro_f1", "precision", "recall", "per_type", "sentences"}
    assert result["sentences"] == len(read_bio(bio))
    assert 0.0 <= result["micro_f1"] <= 1.0
    assert all(isinstance(v, float) for v in result["per_type"].values())
    assert "GENRE" in result["per_type"]


def test_project_types_are_mapped_back_when_scoring_mit_files() -> None:
    class Fixed:
        def tag_words(self, sentences):
            return [["O", "B-NEG_GENRE", "B-ORDINAL"] for _ in sentences]

    gold = [BioSentence(("no", "horror", "2"), ("O", "B-GENRE", "O"))]
    result = score_sentences(Fixed(), gold)
    assert result["micro_f1"] == 1.0 and set(result["per_type"]) == {"GENRE"}
    # a file that does use the project types is scored as is
    gold = [BioSentence(("no", "horror", "2"), ("O", "B-NEG_GENRE", "B-ORDINAL"))]
    assert score_sentences(Fixed(), gold)["micro_f1"] == 1.0


def test_missing_tagger_says_how_to_build_it(tmp_path) -> None:
    with pytest.raises(ArtifactMissing, match="recbot train tagger"):
        Tagger.load(tmp_path / "nothing")


def test_backbone_dir_checks() -> None:
    assert (default_backbone_dir() / "config.json").is_file()


def test_bad_backbone_dir_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(BackboneMissing, match="RECBOT_BACKBONE"):
        check_backbone_dir(tmp_path)


def test_eval_tagger_without_any_tagger_says_what_to_run(tiny_data, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RECBOT_HOME", str(tmp_path))
    assert recbot(["eval", "tagger", "--bio", str(tiny_data / "engtrain.bio"), "--json"]) == 2
    assert "recbot prepare" in capsys.readouterr().err


def test_train_tagger_cli_writes_the_tagger(
    tiny_backbone, tiny_data, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("RECBOT_HOME", str(tmp_path))
    monkeypatch.delenv("RECBOT_DATA", raising=False)
    argv = ["train", "tagger", "--max-steps", "3", "--batch-size", "4", "--threads", "1",
            "--data", str(tiny_data), "--backbone", str(tiny_backbone), "--json"]  # fmt: skip
    assert recbot(argv) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["steps"] == 3
    out = tmp_path / "artifacts" / "tagger"
    assert report["out_dir"] == str(out)
    assert Tagger.load(out).tag("show me comedy movies") is not None
