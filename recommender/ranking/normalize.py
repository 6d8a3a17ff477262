"""Per-request score normalisation, so that blend weights mean the same for every query.

Raw scores of different sources live on unrelated scales (an EASE score, a cosine, a
Bayesian average). Each term is standardised over the *current candidates* before the
blend, so ``alpha`` trades one standard deviation of CF evidence against one standard
deviation of semantic evidence (among the leading candidates) whatever the query, the
user or the model.
"""

from __future__ import annotations

import numpy as np

# Standardisation looks at the best TOP_M scores only. What matters for a top-k answer
# is how the leading candidates compare; the bulk below can be anything (CF models give
# items they cannot score a sentinel like -1e4, which would make every real score look
# identical under a plain z-score). With few candidates the leading quarter (at least
# MIN_TOP) stands in for TOP_M. Centre and scale are the median and MAD of those
# leading scores, so a few sentinels among them do not distort the scale either, and
# nothing goes below -Z_FLOOR.
TOP_M = 200
MIN_TOP = 10
Z_FLOOR = 3.0
_MAD_TO_STD = 1.4826  # MAD of a normal distribution times this is its standard deviation


def standardize(values: np.ndarray, top_m: int = TOP_M, among: np.ndarray | None = None) -> np.ndarray:
    """Scores on a common scale, robust to sentinels and heavy tails (float32).

    ``z = (x − median_m) / (1.4826 · MAD_m)`` over the ``m`` largest values (``top_m``,
    or the leading quarter but at least ``MIN_TOP`` of a smaller set; the plain standard
    deviation when the MAD is 0), floored at ``-Z_FLOOR``. Monotone: the order of the
    scores is kept. Non-finite entries count as the lowest finite value. A constant (or
    empty, or single-element) array carries no preference: zeros.

    ``among`` (positions): centre and scale come from those entries only, e.g. the films
    that match a request, so a term compares the films in question, not the catalog's
    best (where every film outside them sits at the floor).
    """
    x = np.asarray(values, dtype=np.float32)
    if x.size == 0:
        return x.copy()
    finite = np.isfinite(x)
    if not finite.all():
        floor = float(x[finite].min()) if finite.any() else 0.0
        x = np.where(finite, x, floor).astype(np.float32)
    pool = x if among is None or not np.size(among) else x[among]
    m = min(top_m, max(MIN_TOP, pool.size // 4))
    top = np.partition(pool, pool.size - m)[pool.size - m:] if pool.size > m else pool
    centre = float(np.median(top))
    scale = _MAD_TO_STD * float(np.median(np.abs(top - centre)))
    if scale < 1e-9:
        scale = float(top.std())
    if scale < 1e-9:
        return np.zeros_like(x)
    z = np.maximum((x - centre) / scale, -Z_FLOOR)
    if among is not None:
        # Measured against a few films, one far outside them (a blockbuster next to
        # vampire films) would reach z = 15 and bury the films asked for.
        z = np.minimum(z, Z_FLOOR)
    return z.astype(np.float32, copy=False)
