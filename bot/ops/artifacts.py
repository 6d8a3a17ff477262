"""Built artifacts under ``$RECBOT_HOME/artifacts/``: build (``prepare``) and load.

Layout::

    artifacts/
      manifest.json           which files are current (below)
      cf-<n>.npz              CF model version n (``recommender.cf.registry`` format)
      emb-<data>-<model>.npy  item embeddings, keyed by catalog fingerprint + encoder
      tagger-<n>/             fine-tuned tagger (HF directory + recbot_tagger.json)
      cache/                  item-embedding cache of ``recommender.semantic``

``manifest.json`` (format 1) is one JSON object::

    {
      "format": 1,
      "code_version": "0.1.0",            # recbot package version
      "updated": "2026-11-28T21:00:00Z",
      "data": {"dir": "/abs/path", "fingerprint": "<Dataset.fingerprint>",
               "layout": "ml-latest-small"},
      "cf": {"file": "cf-1.npz", "version": 1, "model": "<name>",
             "base_fingerprint": "<data fingerprint it was built from>",
             "code": "<hash of the CF source files>"},
      "embeddings": {"file": "emb-....npy", "model": "<encoder key>",
                     "data_fingerprint": "...", "meta_fingerprint": "<items_meta.csv
                     hash, '' without one>", "code": "..."},
      "tagger": {"dir": "tagger-1", "steps": 60 | null (full training),
                 "data_key": "...", "code": "...", "dev_f1": 0.87}
    }

Rules: files are written under a temporary name, fsync'ed and ``os.replace``d into
place, and the manifest is replaced last, so a reader sees either the old or the new
set. A retraining job writes ``cf-<n+1>.npz`` (``ArtifactStore.next_cf_path``), then
writes the manifest with the new ``cf.file`` / ``cf.version`` and the *same*
``base_fingerprint`` (it may add keys of its own, e.g. ``"feedback_ratings": 123``);
``prepare`` then keeps that model as long as the base data and CF code are unchanged.

``prepare`` is idempotent: a component whose inputs (data fingerprint, code hash, and for
the tagger the requested steps) match the manifest is reused, and it says so. The item
metadata (``items_meta.csv``) is an input of the embeddings only: new plots or posters
re-embed the items and keep the CF model and the tagger.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Settings
from bot.version import code_version
from recommender.errors import ArtifactMissing

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
_ROOT = Path(__file__).resolve().parents[2]
# Source files whose change makes an artifact stale (relative to the repository root).
CODE_FILES = {
    "cf": ("recommender/cf", "recommender/data/matrix.py"),
    "embeddings": ("recommender/semantic.py", "recommender/nlp/encoder.py",
                   "recommender/data/meta.py"),
    "tagger": (
        "recommender/nlp/train.py", "recommender/nlp/generate.py", "recommender/nlp/bio.py",
        "recommender/nlp/lexicon.py", "recommender/nlp/tokenize.py", "recommender/nlp/tagger.py",
        "recommender/nlp/decode.py",
    ),
}  # fmt: skip
_PREPARE_HINT = "run `recbot prepare` (or `make run`) to build it"


def code_hash(component: str) -> str:
    """Hash of the source files that shape ``component`` (12 hex digits)."""
    digest = hashlib.sha256()
    for rel in CODE_FILES[component]:
        path = _ROOT / rel
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            if f.is_file():
                digest.update(str(f.relative_to(_ROOT)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` for a temporary sibling of ``path``, fsync it, rename it over.

    The temporary name keeps ``path``'s suffix (numpy appends ``.npz`` otherwise).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the bot may run as another user
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ArtifactStore:
    """Paths and the manifest under ``settings.artifacts_dir``."""

    def __init__(self, settings: Settings) -> None:
        self.root = Path(settings.artifacts_dir)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def current_manifest(self) -> dict[str, Any] | None:
        """The manifest, or None when ``prepare`` has never finished here."""
        try:
            return json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ArtifactMissing(
                f"{self.manifest_path} is unreadable ({exc}); {_PREPARE_HINT}"
            ) from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically (the last step of any build)."""
        manifest = {**manifest, "format": MANIFEST_FORMAT,
                    "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        text = json.dumps(manifest, indent=2, sort_keys=True)
        atomic_write(self.manifest_path, lambda tmp: tmp.write_text(text))

    def versions(self, prefix: str) -> list[int]:
        """Version numbers n of existing ``<prefix>-<n>`` files or directories."""
        pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)(\.npz)?$")
        if not self.root.is_dir():
            return []
        return sorted(int(m.group(1)) for p in self.root.iterdir() if (m := pattern.match(p.name)))

    def next_cf_path(self) -> tuple[int, Path]:
        """``(n, artifacts/cf-<n>.npz)`` for the next CF version (never reuses a number)."""
        n = max(self.versions("cf"), default=0) + 1
        return n, self.root / f"cf-{n}.npz"

    def next_tagger_dir(self) -> tuple[int, Path]:
        n = max(self.versions("tagger"), default=0) + 1
        return n, self.root / f"tagger-{n}"

    def path(self, name: str) -> Path:
        return self.root / name

    def require(self, manifest: dict[str, Any] | None, component: str) -> Path:
        """The path of ``component`` in ``manifest``; ``ArtifactMissing`` if absent."""
        entry = (manifest or {}).get(component)
        name = entry and (entry.get("file") or entry.get("dir"))
        if not name or not (self.root / name).exists():
            what = {"cf": "the CF model", "embeddings": "the item embeddings",
                    "tagger": "the trained tagger"}[component]
            raise ArtifactMissing(f"{what} is missing under {self.root}; {_PREPARE_HINT}")
        return self.root / name


@dataclass(frozen=True)
class Step:
    """What ``prepare`` did for one component: ``built`` or ``reused``, and details."""

    component: str
    action: str
    detail: str

    def __str__(self) -> str:
        return f"{self.component}: {self.action} ({self.detail})"


def resolve_data_dir(settings: Settings, data_dir: Path | None = None) -> Path:
    """``data_dir``, else ``RECBOT_DATA``, else ml-latest-small downloaded into the home."""
    from bot.ops.downloads import resolve_movielens

    chosen = data_dir if data_dir is not None else settings.data
    return resolve_movielens(chosen, settings.home / "data")


def resolve_tagger_data_dir(settings: Settings) -> Path:
    from bot.ops.downloads import resolve_tagger_data

    return resolve_tagger_data(settings.tagger_data, settings.home / "data" / "mit-movie")


def encoder_key(backbone: Path) -> str:
    """Identifies the sentence encoder: directory name + hash of its config and size."""
    digest = hashlib.sha256((backbone / "config.json").read_bytes())
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (backbone / name).is_file():
            digest.update(str((backbone / name).stat().st_size).encode())
    return f"{backbone.name}-{digest.hexdigest()[:8]}"


def prepare(
    settings: Settings,
    data_dir: Path | None = None,
    tagger_steps: int | None = None,
    progress: bool = True,
) -> list[Step]:
    """Build what is missing or stale under ``settings.artifacts_dir``; reuse the rest.

    ``tagger_steps`` caps tagger training (a quick tagger, e.g. for tests); None trains
    fully. A tagger trained with at least as many steps (or fully) is reused. Returns
    one ``Step`` per component and leaves a complete manifest behind.
    """
    from recommender.data.loaders import load_dataset
    from recommender.nlp.backbone import resolve_backbone

    store = ArtifactStore(settings)
    store.root.mkdir(parents=True, exist_ok=True)
    old = store.current_manifest() or {}
    data_path = resolve_data_dir(settings, data_dir).resolve()
    dataset = load_dataset(data_path)
    backbone = resolve_backbone(settings.backbone)
    manifest: dict[str, Any] = {
        **old,
        "code_version": code_version(),
        "data": {"dir": str(data_path), "fingerprint": dataset.fingerprint,
                 "layout": dataset.layout},
    }
    steps = [
        _prepare_cf(store, old, manifest, dataset, progress),
        _prepare_embeddings(store, old, manifest, dataset, backbone, settings, progress),
        _prepare_tagger(store, old, manifest, dataset, backbone, settings, tagger_steps, progress),
    ]
    store.write_manifest(manifest)
    _remove_superseded(store, manifest)
    for step in steps:
        log.info("%s", step)
    return steps


def _prepare_cf(store, old, manifest, dataset, progress) -> Step:
    from recommender.cf.registry import make_model
    from recommender.data.matrix import rating_matrix

    code = code_hash("cf")
    entry = old.get("cf") or {}
    if (
        entry.get("base_fingerprint") == dataset.fingerprint
        and entry.get("code") == code
        and store.path(entry.get("file", "")).is_file()
    ):
        return Step("cf", "reused", f"{entry['file']}, model {entry.get('model')}")
    started = time.perf_counter()
    matrix, _users = rating_matrix(dataset)
    model = make_model()
    model.fit(matrix, show_progress=progress)
    version, path = store.next_cf_path()
    atomic_write(path, model.save)
    manifest["cf"] = {"file": path.name, "version": version, "model": model.name,
                      "base_fingerprint": dataset.fingerprint, "code": code}
    return Step("cf", "built", f"{path.name}, model {model.name}, "
                f"{matrix.shape[0]} users x {matrix.shape[1]} items, "
                f"{time.perf_counter() - started:.1f} s")


def _prepare_embeddings(store, old, manifest, dataset, backbone, settings, progress) -> Step:
    code = code_hash("embeddings")
    key = encoder_key(backbone)
    entry = old.get("embeddings") or {}
    if (
        entry.get("data_fingerprint") == dataset.fingerprint
        and entry.get("meta_fingerprint", "") == dataset.meta_fingerprint
        and entry.get("model") == key
        and entry.get("code") == code
        and store.path(entry.get("file", "")).is_file()
    ):
        return Step("embeddings", "reused", entry["file"])
    from recommender.nlp.encoder import SentenceEncoder
    from recommender.semantic import item_embeddings

    started = time.perf_counter()
    encoder = SentenceEncoder(backbone)
    content = _content_key(dataset)
    vectors = item_embeddings(
        dataset.catalog, encoder, store.path("cache"), f"{content}-{code}", show_progress=progress
    )
    vectors = np.asarray(vectors, dtype=np.float32)
    name = f"emb-{content[:12]}-{key}.npy"
    atomic_write(store.path(name), lambda tmp: np.save(tmp, vectors))
    manifest["embeddings"] = {"file": name, "model": key, "data_fingerprint": dataset.fingerprint,
                              "meta_fingerprint": dataset.meta_fingerprint, "code": code}
    return Step("embeddings", "built", f"{name}, {vectors.shape[0]} x {vectors.shape[1]}, "
                f"{time.perf_counter() - started:.1f} s")


def _prepare_tagger(store, old, manifest, dataset, backbone, settings, steps, progress) -> Step:
    code = code_hash("tagger")
    tagger_data = resolve_tagger_data_dir(settings)
    data_key = _file_key(tagger_data / "engtrain.bio") + "-" + dataset.fingerprint[:12]
    data_key += f"-{encoder_key(backbone)}"
    entry = old.get("tagger") or {}
    enough = entry.get("steps") is None or (steps is not None and entry["steps"] >= steps)
    if (
        "dir" in entry
        and enough
        and entry.get("code") == code
        and entry.get("data_key") == data_key
        and store.path(entry["dir"]).is_dir()
    ):
        kind = "full" if entry.get("steps") is None else f"{entry['steps']} steps"
        return Step("tagger", "reused", f"{entry['dir']}, {kind}, dev F1 {entry.get('dev_f1')}")
    from recommender.nlp.train import train_tagger

    version, out_dir = store.next_tagger_dir()
    report = train_tagger(out_dir, tagger_data, titles=dataset.catalog.titles,
                          backbone_dir=backbone, max_steps=steps, progress=progress)
    manifest["tagger"] = {"dir": out_dir.name, "version": version, "steps": steps,
                          "data_key": data_key, "code": code,
                          "dev_f1": round(float(report.dev_f1), 4)}
    return Step("tagger", "built", f"{out_dir.name}, dev F1 {report.dev_f1:.4f}, "
                f"{report.steps} steps, {report.train_s:.0f} s")


def _content_key(dataset) -> str:
    """Catalog plus metadata fingerprint: what the item texts are made of."""
    if not dataset.meta_fingerprint:
        return dataset.fingerprint
    return hashlib.sha256(f"{dataset.fingerprint}:{dataset.meta_fingerprint}".encode()).hexdigest()[:16]


def _file_key(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha256(f"{path.name}:{stat.st_size}".encode()).hexdigest()[:12]


def _remove_superseded(store: ArtifactStore, manifest: dict[str, Any]) -> None:
    """Delete taggers and embeddings the manifest no longer names.

    CF files are left alone: a running bot may still be loading the previous version,
    and the retraining job owns their lifecycle.
    """
    keep = {manifest.get("tagger", {}).get("dir"), manifest.get("embeddings", {}).get("file")}
    for path in store.root.iterdir():
        stale_tagger = re.fullmatch(r"tagger-\d+(\.partial|\.old)?", path.name)
        stale_emb = path.name.startswith("emb-") and path.suffix == ".npy"
        if (stale_tagger or stale_emb) and path.name not in keep:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def load_engine(settings: Settings, *, manifest: dict[str, Any] | None = None):
    """The ``Engine`` built from the current artifacts.

    Raises ``ArtifactMissing`` (saying to run ``recbot prepare``) when the manifest or a
    file it names is missing, or when the data changed since the artifacts were built.
    """
    store = ArtifactStore(settings)
    manifest = manifest if manifest is not None else store.current_manifest()
    if manifest is None:
        raise ArtifactMissing(f"no models are built under {store.root} yet; {_PREPARE_HINT}")
    cf_path = store.require(manifest, "cf")
    emb_path = store.require(manifest, "embeddings")
    tagger_dir = store.require(manifest, "tagger")

    # Heavy imports (torch, transformers) only once we know there is something to load.
    from recommender.cf.registry import load_model
    from recommender.data.loaders import load_dataset
    from recommender.data.matrix import rating_matrix
    from recommender.engine import Engine
    from recommender.knowledge.similarity import ItemSimilarity
    from recommender.nlp.backbone import resolve_backbone
    from recommender.nlp.encode_cache import CachedEncoder
    from recommender.nlp.encoder import SentenceEncoder
    from recommender.nlp.parser import QueryParser
    from recommender.nlp.tagger import Tagger
    from recommender.nlp.zh.parser import ChineseParser

    data_dir = Path(settings.data) if settings.data is not None else Path(manifest["data"]["dir"])
    dataset = load_dataset(data_dir)
    if dataset.fingerprint != manifest["data"]["fingerprint"] or (
        dataset.meta_fingerprint != manifest["embeddings"].get("meta_fingerprint", "")
    ):
        raise ArtifactMissing(
            f"the data in {data_dir} changed since the models were built; {_PREPARE_HINT}"
        )
    vectors = np.load(emb_path)
    # One phrase cache for the parser (genre by embedding) and the engine (free-text
    # match): both encode the same words of a message.
    encoder = CachedEncoder(SentenceEncoder(resolve_backbone(settings.backbone), jit=settings.jit))
    parser = QueryParser(dataset.catalog, encoder)
    engine = Engine(
        catalog=dataset.catalog,
        cf_model=load_model(cf_path),
        item_vectors=vectors,
        encoder=encoder,
        tagger=Tagger.load(tagger_dir, quantize=settings.quantize, jit=settings.jit),
        parser=parser,
        alpha=settings.alpha,
        # Co-occurrence from the data's ratings: enough for "like X"; live feedback
        # reaches it at the next prepare or retrain.
        similarity=ItemSimilarity(dataset.catalog, vectors, rating_matrix(dataset)[0]),
        zh_parser=ChineseParser(parser),  # loads jieba's dictionary: once, here
    )
    engine.warm_up()
    return engine
