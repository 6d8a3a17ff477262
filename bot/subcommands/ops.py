"""Operations: ``recbot export feedback`` and ``recbot retrain``.

``recbot export feedback [--out FILE]``
    The ratings collected in Redis as CSV in the generic layout (``user,item,rating,
    timestamp``, see ``recommender.data.loaders``), on stdout or written atomically to
    FILE. User ids are the chat's user ids (``--anonymize`` renumbers them 1..n).

``recbot retrain [--json]``
    Merges the collected ratings with the base data the current models were built from,
    refits CF (``recommender.cf.registry.DEFAULT_MODEL``), writes ``cf-<n+1>.npz``
    atomically (write, fsync, rename) and then swaps ``manifest.json`` the same way.
    Running bots reload the new model within seconds (``bot.ops.reload``), without restart.
    Only one retrain runs at a time per artifacts directory (a lock file).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bot.config import Settings
from recommender.errors import ArtifactMissing, RecbotError

log = logging.getLogger(__name__)

# CF files older than the newest KEEP_CF_VERSIONS are deleted after a retrain: a bot that
# is still loading the previous one must find it, older ones are dead weight.
KEEP_CF_VERSIONS = 3
LOCK_FILE = ".retrain.lock"


def register(tree: Any) -> None:
    export = tree.command("export feedback",
                          help="write the ratings collected in Redis as CSV (user,item,rating,timestamp)")
    export.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="write to FILE (atomically) instead of stdout")
    export.add_argument("--anonymize", action="store_true",
                        help="replace chat user ids by 1..n")
    export.set_defaults(func=run_export)

    retrain = tree.command("retrain",
                           help="refit CF on the base data plus the ratings collected in Redis; "
                           "running bots pick up the new model without restart")
    retrain.add_argument("--json", action="store_true", help="print the result as one JSON object")
    retrain.add_argument("--no-progress", action="store_true", help="hide progress bars")
    retrain.set_defaults(func=run_retrain)


# ------------------------------------------------------------------------ export


async def _collected(settings: Settings) -> list[Any]:
    from bot.ops.ratings_export import collect_ratings
    from bot.redis_conn import connect

    redis = connect(settings)
    try:
        return await collect_ratings(redis)
    finally:
        await redis.aclose()


def export_feedback(settings: Settings, out: Path | None = None, anonymize: bool = False) -> str:
    """The feedback CSV text; also written atomically to ``out`` when given."""
    from bot.ops.artifacts import atomic_write
    from bot.ops.ratings_export import to_csv

    ratings = asyncio.run(_collected(settings))
    if anonymize:
        ids = {uid: n for n, uid in enumerate(sorted({r.user_id for r in ratings}), start=1)}
        ratings = [replace(r, user_id=ids[r.user_id]) for r in ratings]
    text = to_csv(ratings)
    if out is not None:
        atomic_write(Path(out), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return text


def run_export(args: argparse.Namespace) -> int:
    import sys

    from bot.config import load_settings

    text = export_feedback(load_settings(), args.out, args.anonymize)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(f"{text.count(chr(10)) - 1} ratings written to {args.out}", file=sys.stderr)
    return 0


# ------------------------------------------------------------------------ retrain


@dataclass(frozen=True)
class RetrainResult:
    file: str
    version: int
    model: str
    base_ratings: int
    feedback_ratings: int
    feedback_users: int
    fit_s: float

    def __str__(self) -> str:
        return (f"retrained {self.model}: {self.file} from {self.base_ratings} base + "
                f"{self.feedback_ratings} collected ratings ({self.feedback_users} chat users) "
                f"in {self.fit_s:.1f} s; running bots reload it within seconds")


@contextlib.contextmanager
def _exclusive(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RecbotError(f"another `recbot retrain` is running on {root}; wait for it "
                              "to finish and try again") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def retrain(settings: Settings, *, progress: bool = False,
            collected: list[Any] | None = None) -> RetrainResult:
    """Refit CF on base data + collected feedback and publish it (see module docstring).

    ``collected`` overrides reading Redis (tests). Raises ``ArtifactMissing`` when
    ``recbot prepare`` has not run, ``RecbotError`` when the base data changed since.
    """
    from bot.ops.artifacts import ArtifactStore, atomic_write, code_hash
    from bot.ops.ratings_export import merge_ratings
    from recommender.cf.registry import make_model
    from recommender.data.loaders import load_dataset
    from recommender.data.matrix import ratings_to_csr

    store = ArtifactStore(settings)
    with _exclusive(store.root):
        manifest = store.current_manifest()
        if not manifest or "cf" not in manifest:
            raise ArtifactMissing(f"no models are built under {store.root} yet; run "
                                  "`recbot prepare` first, then retrain")
        data_dir = Path(settings.data) if settings.data is not None else Path(manifest["data"]["dir"])
        dataset = load_dataset(data_dir)
        base_fp = manifest["cf"].get("base_fingerprint", manifest["data"]["fingerprint"])
        if dataset.fingerprint != base_fp:
            raise RecbotError(f"the data in {data_dir} changed since the models were built; "
                              "run `recbot prepare` (it rebuilds everything for the new data)")
        if collected is None:
            collected = asyncio.run(_collected(settings))
        merged = merge_ratings(dataset.ratings, collected)
        matrix, _users = ratings_to_csr(merged, dataset.catalog)

        started = time.perf_counter()
        model = make_model()
        model.fit(matrix, show_progress=progress)
        fit_s = time.perf_counter() - started
        version, path = store.next_cf_path()
        atomic_write(path, model.save)
        result = RetrainResult(
            file=path.name, version=version, model=model.name, base_ratings=len(dataset.ratings),
            feedback_ratings=len(collected), feedback_users=len({r.user_id for r in collected}),
            fit_s=round(fit_s, 2),
        )
        # The manifest goes last: until it is replaced, readers see the previous model.
        store.write_manifest({**manifest, "cf": {
            **manifest["cf"], "file": path.name, "version": version, "model": model.name,
            "base_fingerprint": base_fp, "code": code_hash("cf"),
            "feedback_ratings": result.feedback_ratings,
            "feedback_users": result.feedback_users,
        }})
        _prune_cf(store, keep=path.name)
    log.info("%s", result)
    return result


def _prune_cf(store: Any, keep: str) -> None:
    versions = store.versions("cf")
    for n in versions[:-KEEP_CF_VERSIONS]:
        path = store.path(f"cf-{n}.npz")
        if path.name != keep:
            path.unlink(missing_ok=True)


def run_retrain(args: argparse.Namespace) -> int:
    from bot.config import load_settings

    result = retrain(load_settings(), progress=not args.no_progress)
    print(json.dumps(asdict(result)) if args.json else result)
    return 0
