"""Hot reload: a running bot picks up the CF model a retrain published, without restart.

``recbot retrain`` writes a new versioned CF file and then atomically replaces
``manifest.json`` (write, fsync, rename). ``CFReloader`` notices the new manifest (its
inode, size and mtime are checked at most every ``check_every_s`` seconds), loads the
model it names *off the request path* (a background thread), checks it scores the
engine's catalog, and swaps ``engine.cf_model`` - one reference assignment, atomic
under the GIL.

Why no message in flight can fail: ``Engine`` reads ``self.cf_model`` once per request
(one ``score`` call), so a request that started with the old model finishes with it (the
object stays alive while referenced) and the next one uses the new model. Nothing else in
the engine depends on the CF model. A manifest naming a model that fails to load or does
not fit the catalog (a retrain on different data: restart to pick that up) is logged
and the old model keeps serving.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from recommender.cf.base import Recommender
from recommender.errors import RecbotError

log = logging.getLogger(__name__)

DEFAULT_CHECK_EVERY_S = 10.0

Stamp = tuple[int, int, int]  # (inode, size, mtime_ns) of the manifest


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def fits_catalog(model: Recommender, n_items: int) -> bool:
    """Whether ``model`` scores exactly ``n_items`` columns (same catalog it serves)."""
    empty = sp.csr_matrix((1, n_items), dtype=np.float32)
    try:
        scores = np.asarray(model.score(empty))
    except Exception:  # a model fitted on another catalog may fail in many ways
        return False
    return scores.ndim == 2 and scores.shape[1] == n_items


class CFReloader:
    """Swaps ``engine.cf_model`` when the manifest at ``manifest_path`` changes.

    ``load_cf()`` returns the CF model the manifest currently names (the artifact
    store's loader). Call ``poll()`` yourself, or ``start()`` a daemon thread that
    polls; ``swaps`` counts the models swapped in so far.
    """

    def __init__(
        self,
        engine: Any,
        manifest_path: Path,
        load_cf: Callable[[], Recommender],
        *,
        check_every_s: float = DEFAULT_CHECK_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.manifest_path = Path(manifest_path)
        self._load_cf = load_cf
        self.check_every_s = float(check_every_s)
        self._clock = clock
        self._seen = _stamp(self.manifest_path)  # the engine was built from this one
        self._next_check = clock() + self.check_every_s
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.swaps = 0

    def poll(self, *, force: bool = False) -> bool:
        """Reload if the manifest changed (checked at most every ``check_every_s``).

        Returns True when a new model was swapped in. Never raises: a bad artifact is
        logged and the current model stays.
        """
        now = self._clock()
        if not force and now < self._next_check:
            return False
        if not self._lock.acquire(blocking=False):
            return False  # another poll is loading right now
        try:
            self._next_check = now + self.check_every_s
            stamp = _stamp(self.manifest_path)
            if stamp is None or stamp == self._seen:
                return False
            # Remember it even if loading fails: one log line per manifest, not a loop.
            self._seen = stamp
            return self._swap()
        finally:
            self._lock.release()

    def _swap(self) -> bool:
        started = time.perf_counter()
        try:
            model = self._load_cf()
        except RecbotError as exc:  # anticipated, e.g. written by another recbot version
            log.error("new CF model not loaded: %s; keeping the current one", exc)
            return False
        except Exception:
            log.exception("new CF model in %s could not be loaded; keeping the current one",
                          self.manifest_path)
            return False
        n_items = int(self.engine.catalog.n_items)
        if not fits_catalog(model, n_items):
            log.error("new CF model does not fit the %d-item catalog being served (retrained "
                      "on other data?); keeping the current one - restart the bot to load "
                      "the new data", n_items)
            return False
        self.engine.cf_model = model  # the atomic swap (see the module docstring)
        self.swaps += 1
        log.info("CF model reloaded (%s) in %.2fs", type(model).__name__,
                 time.perf_counter() - started)
        return True

    # -- background polling ---------------------------------------------------------

    def start(self) -> CFReloader:
        """Poll in a daemon thread until ``stop()``; returns self."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="cf-reloader", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.check_every_s):
            self.poll(force=True)

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=30)


def watch_artifacts(
    engine: Any, settings: Any, *, check_every_s: float = DEFAULT_CHECK_EVERY_S
) -> CFReloader:
    """Start hot reload of ``engine``'s CF model from ``settings``' artifacts directory.

    The one call a front end makes after ``load_engine(settings)``; call ``stop()`` on
    the result at shutdown.
    """
    from bot.ops.artifacts import ArtifactStore, code_hash

    store = ArtifactStore(settings)
    # The CF code this process runs; a model written by other code may not load (or
    # may load and mean something else): a retrain by a newer release needs a restart.
    running_code = code_hash("cf")

    def load_current() -> Recommender:
        from recommender.cf.registry import load_model

        manifest = store.current_manifest()
        written_by = ((manifest or {}).get("cf") or {}).get("code")
        if written_by and written_by != running_code:
            raise RecbotError(
                f"it was written by other CF code ({written_by}, this bot runs "
                f"{running_code}); restart the bot (or roll out the same release) to use it"
            )
        return load_model(store.require(manifest, "cf"))

    return CFReloader(engine, store.manifest_path, load_current,
                      check_every_s=check_every_s).start()
