"""Maximal marginal relevance re-ranking, so five answers are not five sequels."""

from __future__ import annotations

import numpy as np


def mmr(relevance: np.ndarray, vectors: np.ndarray, k: int, diversity: float) -> np.ndarray:
    """Positions (into ``relevance``) of ``k`` picks, in the order picked.

    Each step picks ``argmax (1 − diversity)·rel − diversity·max_sim_to_picked`` where
    ``rel`` is ``relevance`` rescaled to [0, 1] and similarities are dot products of the
    L2-normalised rows of ``vectors`` (one per relevance entry). ``diversity=0`` is the
    plain top-k by relevance.
    """
    n = relevance.shape[0]
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-relevance, kind="stable")
    if diversity <= 0 or k == 1:
        return order[:k].astype(np.int64)
    span = float(relevance.max() - relevance.min())
    rel = (relevance - relevance.min()) / span if span > 1e-9 else np.zeros(n, np.float32)
    sims = vectors @ vectors.T
    picked = [int(order[0])]
    closest = sims[picked[0]].copy()  # max similarity of each item to the picks so far
    available = np.ones(n, dtype=bool)
    available[picked[0]] = False
    for _ in range(k - 1):
        gain = (1.0 - diversity) * rel - diversity * closest
        gain[~available] = -np.inf
        nxt = int(np.argmax(gain))
        picked.append(nxt)
        available[nxt] = False
        np.maximum(closest, sims[nxt], out=closest)
    return np.asarray(picked, dtype=np.int64)


def cover(picks: np.ndarray, ranked: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``picks`` with every group of ``groups`` represented where ``ranked`` can supply one.

    ``groups`` is a bool matrix (items x groups) over the same positions as ``picks`` and
    ``ranked`` (best first). A group with no pick ("westerns and action": five action
    films) gets its best-ranked item, in the place of the lowest pick whose groups the
    others still cover, moved up to the group's own rank among the asked-for kinds (the
    second group second), so the list shows early that it heard both.
    """
    out = [int(p) for p in picks]
    for g in range(groups.shape[1]):
        if not out or groups[out, g].any():
            continue
        taken = set(out)
        best = next((int(i) for i in ranked if groups[i, g] and int(i) not in taken), None)
        if best is None:
            continue
        covered = groups[out].any(axis=0)
        for pos in range(len(out) - 1, -1, -1):
            rest = out[:pos] + out[pos + 1 :]
            if not rest or (groups[rest].any(axis=0) >= covered).all():
                del out[pos]
                out.insert(min(g, len(out)), best)
                break
    return np.asarray(out, dtype=np.int64)
