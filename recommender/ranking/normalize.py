"""Per-request score normalisation, so that blend weights mean the same for every query.

Raw scores of different sources live on unrelated scales (an EASE score, a cosine, a
Bayesian average). Each term is standardised over the *current candidates* before the
blend, so ``alpha`` trades one standard deviation of CF evidence against one standard
deviation of semantic evidence whatever the query, the user or the model.
"""

from __future__ import annotations

import numpy as np

# Standardised scores are clipped here: a CF model can give a handful of items scores
# 20 standard deviations out, which would otherwise make alpha meaningless for them.
Z_CLIP = 4.0


def standardize(values: np.ndarray, clip: float = Z_CLIP) -> np.ndarray:
    """``(x - mean) / std`` over ``values`` (float32), clipped to ``[-clip, clip]``.

    A constant (or empty, or single-element) array carries no preference and maps to
    zeros; non-finite entries count as the lowest finite value.
    """
    x = np.asarray(values, dtype=np.float32)
    if x.size == 0:
        return x.copy()
    finite = np.isfinite(x)
    if not finite.all():
        floor = float(x[finite].min()) if finite.any() else 0.0
        x = np.where(finite, x, floor).astype(np.float32)
    std = float(x.std())
    if std < 1e-9:
        return np.zeros_like(x)
    z = (x - float(x.mean())) / std
    return np.clip(z, -clip, clip).astype(np.float32, copy=False)
