"""Fine-tune ``BertForTokenClassification`` on the MIT Movie corpus + generated queries.

Recipe (HF ``run_ner.py`` style): labels on the first sub-token of each word, -100 on
the others and on special tokens; dynamic padding with length bucketing (sorted within
shuffled chunks, batches shuffled); label-bigram transitions counted on the training
mix and saved as ``transitions.json`` for Viterbi decoding (``decode``); AdamW with
linear warmup and decay; entity-level
F1 on a deterministic dev split of ``engtrain.bio`` after every epoch (and at the end
when ``max_steps`` stops early); the best checkpoint is saved with its tokenizer and
``id2label`` / ``label2id`` in its config.

``train_tagger`` is the entry point for ``recbot train tagger`` and ``recbot prepare``.
A small ``max_steps`` (e.g. 60) gives a quick but real tagger for tests.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from tqdm.auto import tqdm
from transformers import (
    AutoTokenizer,
    BertForTokenClassification,
    PreTrainedTokenizerBase,
    get_linear_schedule_with_warmup,
)

from recommender.nlp.backbone import resolve_backbone
from recommender.nlp.bio import BioSentence, entity_scores, read_bio
from recommender.nlp.compiled import eager_forward
from recommender.nlp.decode import BioDecoder, estimate_transitions
from recommender.nlp.generate import FALLBACK_TITLES, generate_queries
from recommender.nlp.tagger import predict_word_tags
from recommender.nlp.tagger_data import ENG_TRAIN
from recommender.nlp.train_config import TRAIN_MAX_LENGTH, TrainConfig

log = logging.getLogger(__name__)

MIT_TYPES: tuple[str, ...] = (
    "ACTOR", "CHARACTER", "DIRECTOR", "GENRE", "PLOT", "RATING", "RATINGS_AVERAGE",
    "REVIEW", "SONG", "TITLE", "TRAILER", "YEAR",
)  # fmt: skip
PROJECT_TYPES: tuple[str, ...] = ("NEG_GENRE", "ORDINAL")
ENTITY_TYPES: tuple[str, ...] = MIT_TYPES + PROJECT_TYPES
LABELS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I")))
IGNORE = -100
FULL_LR = 1e-4
QUICK_LR = 3e-4  # runs shorter than one epoch need bigger steps to get anywhere
META_FILE = "recbot_tagger.json"


@dataclass
class TrainReport:
    """What training produced: where, how good (dev split) and how long it took."""

    out_dir: Path
    dev_f1: float
    dev_precision: float
    dev_recall: float
    per_type: dict[str, float]
    generated_dev_f1: float
    steps: int
    best_step: int
    train_s: float
    n_train_mit: int
    n_generated: int
    n_dev: int
    config: TrainConfig
    history: list[dict[str, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["out_dir"] = str(self.out_dir)
        return data


def split_dev(
    sentences: Sequence[BioSentence], dev_fraction: float
) -> tuple[list[BioSentence], list[BioSentence]]:
    """Deterministic (train, dev) split by a hash of each sentence's tokens."""
    train: list[BioSentence] = []
    dev: list[BioSentence] = []
    threshold = int(dev_fraction * 10_000)
    for s in sentences:
        h = int.from_bytes(hashlib.sha1(" ".join(s.tokens).encode()).digest()[:4], "big")
        (dev if h % 10_000 < threshold else train).append(s)
    return train, dev


def n_generated_for(n_real: int, share: float) -> int:
    """How many generated sentences make them ``share`` of the mix with ``n_real`` real ones."""
    if not 0.0 <= share < 1.0:
        raise ValueError(f"generated_share must be in [0, 1), got {share}")
    return round(n_real * share / (1.0 - share))


def align_labels(
    word_ids: Sequence[int | None], word_tags: Sequence[str], label2id: dict[str, int]
) -> list[int]:
    """Label ids per sub-token: the word's tag on its first sub-token, -100 elsewhere."""
    labels, previous = [], None
    for wid in word_ids:
        if wid is None or wid == previous:
            labels.append(IGNORE)
        else:
            labels.append(label2id[word_tags[wid]])
        previous = wid
    return labels


@dataclass(frozen=True)
class Encoded:
    input_ids: list[int]
    labels: list[int]


def encode_sentences(
    tokenizer: PreTrainedTokenizerBase,
    sentences: Sequence[BioSentence],
    label2id: dict[str, int],
    max_length: int,
) -> list[Encoded]:
    """Tokenise and align labels for every sentence (no padding yet)."""
    enc = tokenizer(
        [list(s.tokens) for s in sentences],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
    )
    return [
        Encoded(enc["input_ids"][i], align_labels(enc.word_ids(i), s.tags, label2id))
        for i, s in enumerate(sentences)
    ]


def bucket_batches(
    lengths: Sequence[int], batch_size: int, rng: random.Random, chunk_batches: int = 50
) -> list[list[int]]:
    """Index batches of similar length: shuffle, sort within chunks, shuffle the batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * chunk_batches
    batches = []
    for lo in range(0, len(order), chunk):
        part = sorted(order[lo : lo + chunk], key=lambda i: lengths[i])
        batches += [part[k : k + batch_size] for k in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def collate(items: Sequence[Encoded], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad a batch to its longest member (dynamic padding)."""
    width = max(len(e.input_ids) for e in items)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    labels = torch.full((len(items), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for r, e in enumerate(items):
        n = len(e.input_ids)
        ids[r, :n] = torch.tensor(e.input_ids)
        labels[r, :n] = torch.tensor(e.labels)
        mask[r, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def evaluate(
    model: torch.nn.Module,
    tokenizer: PreTrainedTokenizerBase,
    sentences: Sequence[BioSentence],
    id2label: dict[int, str],
    max_length: int = TRAIN_MAX_LENGTH,
    decoder: BioDecoder | None = None,
) -> tuple[float, float, float, dict[str, float]]:
    """(precision, recall, f1, per-type f1) of ``model`` on ``sentences``, decoded as the
    tagger will (``decoder``; None: BIO constraints only)."""
    was_training = model.training
    model.eval()
    pred = predict_word_tags(
        eager_forward(model),
        tokenizer,
        [s.tokens for s in sentences],
        id2label,
        max_length=max_length,
        decoder=decoder,
    )
    model.train(was_training)
    scores = entity_scores([s.tags for s in sentences], pred)
    return scores.precision, scores.recall, scores.f1, scores.per_type_f1()


def _optimizer(model: torch.nn.Module, weight_decay: float, lr: float) -> torch.optim.Optimizer:
    # No weight decay on biases and LayerNorm weights (the usual BERT recipe).
    decay: list[torch.nn.Parameter] = []
    no_decay: list[torch.nn.Parameter] = []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        (no_decay if name.endswith("bias") or "LayerNorm" in name else decay).append(param)
    groups = [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=lr)


def train_tagger(
    out_dir: Path,
    data_dir: Path,
    *,
    titles: Sequence[str] | None = None,
    backbone_dir: Path | None = None,
    max_steps: int | None = None,
    config: TrainConfig | None = None,
    progress: bool = True,
) -> TrainReport:
    """Fine-tune the tagger and write the best checkpoint to ``out_dir``.

    ``data_dir`` holds ``engtrain.bio`` (see ``tagger_data.resolve_tagger_data``).
    ``titles`` are catalog display titles for the generated queries (None: a small
    built-in list). ``backbone_dir`` None means the packaged MiniLM. ``max_steps``
    overrides ``config.max_steps``. ``out_dir`` is replaced only when training
    finishes (written to ``<out_dir>.partial`` first), so a crash leaves the previous
    tagger in place.
    """
    cfg = config or TrainConfig()
    if max_steps is not None:
        cfg = TrainConfig(**{**asdict(cfg), "max_steps": max_steps})
    torch.set_num_threads(cfg.num_threads or _available_cores())
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    started = time.perf_counter()

    mit = read_bio(Path(data_dir) / ENG_TRAIN)
    mit_train, dev = split_dev(mit, cfg.dev_fraction)
    n_gen = n_generated_for(len(mit_train), cfg.generated_share)
    title_list = list(titles) if titles else list(FALLBACK_TITLES)
    generated = generate_queries(n_gen, title_list, seed=cfg.seed)
    gen_dev = generate_queries(300, title_list, seed=cfg.seed + 1_000_003)
    train_set = mit_train + generated
    log.info(
        "tagger data: %d MIT train + %d generated, %d dev sentences",
        len(mit_train), len(generated), len(dev),
    )  # fmt: skip

    backbone = resolve_backbone(backbone_dir)
    label2id = {lab: i for i, lab in enumerate(LABELS)}
    id2label = dict(enumerate(LABELS))
    tokenizer = AutoTokenizer.from_pretrained(str(backbone), local_files_only=True)
    model = BertForTokenClassification.from_pretrained(
        str(backbone),
        local_files_only=True,
        num_labels=len(LABELS),
        id2label=id2label,
        label2id=label2id,
    )
    # Counted on the training mix only (never on dev), saved with every checkpoint.
    transitions = estimate_transitions((s.tags for s in train_set), LABELS)
    decoder = BioDecoder(id2label, transitions)
    if cfg.freeze_word_embeddings:
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    model.train()
    # A small backbone may have fewer positions than we would like to use.
    max_length = min(cfg.max_length, model.config.max_position_embeddings)
    encoded = encode_sentences(tokenizer, train_set, label2id, max_length)
    lengths = [len(e.input_ids) for e in encoded]

    steps_per_epoch = math.ceil(len(encoded) / cfg.batch_size)
    total = math.ceil(cfg.epochs * steps_per_epoch)
    if cfg.max_steps is not None:
        total = min(total, cfg.max_steps)
    total = max(total, 1)
    lr = cfg.lr if cfg.lr is not None else (QUICK_LR if total < steps_per_epoch else FULL_LR)
    optimizer = _optimizer(model, cfg.weight_decay, lr)
    scheduler = get_linear_schedule_with_warmup(optimizer, round(cfg.warmup_ratio * total), total)

    staging = Path(f"{out_dir}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    transitions.save(staging)  # the same for every checkpoint: written once
    best: dict[str, object] = {"f1": -1.0}
    history: list[dict[str, float]] = []

    def checkpoint(step: int, epoch: float) -> None:
        p, r, f1, per_type = evaluate(model, tokenizer, dev, id2label, max_length, decoder)
        _, _, gen_f1, _ = evaluate(model, tokenizer, gen_dev, id2label, max_length, decoder)
        history.append(
            {"step": step, "epoch": round(epoch, 3), "dev_f1": f1, "generated_dev_f1": gen_f1}
        )
        log.info("step %d (epoch %.2f): dev entity F1 %.4f (P %.4f R %.4f)", step, epoch, f1, p, r)
        if f1 > float(best["f1"]):  # type: ignore[arg-type]
            best.update(f1=f1, precision=p, recall=r, per_type=per_type, step=step, gen_f1=gen_f1)
            model.save_pretrained(staging)
            tokenizer.save_pretrained(staging)

    step = 0
    bar = tqdm(total=total, desc="train tagger", unit="step", disable=not progress)
    epoch = 0
    while step < total:
        for batch_idx in bucket_batches(lengths, cfg.batch_size, rng):
            batch = collate([encoded[i] for i in batch_idx], tokenizer.pad_token_id or 0)
            loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}", epoch=epoch + 1)
            if step >= total:
                break
        epoch += 1
        checkpoint(step, step / steps_per_epoch)
    bar.close()

    report = TrainReport(
        out_dir=Path(out_dir),
        dev_f1=float(best["f1"]),  # type: ignore[arg-type]
        dev_precision=float(best["precision"]),  # type: ignore[arg-type]
        dev_recall=float(best["recall"]),  # type: ignore[arg-type]
        per_type=dict(best["per_type"]),  # type: ignore[call-overload]
        generated_dev_f1=float(best["gen_f1"]),  # type: ignore[arg-type]
        steps=step,
        best_step=int(best["step"]),  # type: ignore[call-overload]
        train_s=time.perf_counter() - started,
        n_train_mit=len(mit_train),
        n_generated=len(generated),
        n_dev=len(dev),
        config=cfg,
        history=history,
    )
    (staging / META_FILE).write_text(json.dumps(report.to_json(), indent=2, default=str))
    _replace_dir(staging, Path(out_dir))
    log.info("tagger saved to %s (dev F1 %.4f, %.0f s)", out_dir, report.dev_f1, report.train_s)
    return report


def _replace_dir(src: Path, dst: Path) -> None:
    """Move ``src`` to ``dst``, replacing an existing ``dst`` with as short a gap as we can."""
    old = Path(f"{dst}.old")
    shutil.rmtree(old, ignore_errors=True)
    if dst.exists():
        dst.rename(old)
    src.rename(dst)
    shutil.rmtree(old, ignore_errors=True)
