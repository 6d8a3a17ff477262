"""Dense linear algebra shared by the EASE-family models (float32, LAPACK via scipy)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp
from scipy.linalg import lapack

from recommender.errors import RecbotError

# Up to this many cells (80 MB of float32) X is densified and X^T X runs in BLAS, which
# is several times faster than scipy's single-threaded sparse product.
_DENSE_CELLS = 20_000_000


def gram(matrix: sp.csr_matrix) -> np.ndarray:
    """``X^T X`` as a dense float32 array."""
    if matrix.shape[0] * matrix.shape[1] <= _DENSE_CELLS:
        dense = matrix.toarray().astype(np.float32, copy=False)
        return dense.T @ dense
    return np.asarray((matrix.T @ matrix).toarray(), dtype=np.float32)


def gram_blocks(matrix: sp.csr_matrix, block: int = 2048) -> Iterator[tuple[int, np.ndarray]]:
    """``(start, X^T X[start:start+block])`` row blocks of the Gram matrix, float32.

    For models that only keep a few entries per row, so the whole n x n matrix never
    needs to exist at once.
    """
    csc = sp.csc_matrix(matrix, dtype=np.float32)
    dense = matrix.shape[0] * matrix.shape[1] <= _DENSE_CELLS
    full = csc.toarray() if dense else None
    for start in range(0, matrix.shape[1], block):
        part = csc[:, start : start + block]
        if full is not None:
            yield start, full[:, start : start + block].T @ full
        else:
            yield start, np.asarray((part.T @ csc).toarray(), dtype=np.float32)


def spd_inverse(a: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive-definite float32 matrix via Cholesky.

    ``a`` is overwritten. Uses LAPACK ``spotrf`` + ``spotri`` (about a third of the
    work of a general inverse, and float32 halves memory and time versus float64).
    """
    factor, info = lapack.spotrf(a, lower=1, overwrite_a=1, clean=0)
    if info != 0:
        raise RecbotError(
            "The item Gram matrix is not positive definite; raise the model's "
            "regularisation (lambda) and train again."
        )
    inv, info = lapack.spotri(factor, lower=1, overwrite_c=1)
    if info != 0:
        raise RecbotError("Inverting the item Gram matrix failed; raise lambda and retry.")
    # spotri fills the lower triangle only: mirror it.
    lower = np.tril(inv)
    return lower + np.tril(lower, -1).T


def ease_solution(g: np.ndarray, lam: np.ndarray | float) -> np.ndarray:
    """The EASE weights ``B`` (zero diagonal) for Gram matrix ``g`` and ridge ``lam``.

    ``B = I - P diag(1/diag(P))`` with ``P = (G + diag(lam))^-1`` (Steck 2019). ``g``
    is consumed. ``lam`` may be a scalar or one value per item.
    """
    g[np.diag_indices_from(g)] += np.asarray(lam, dtype=np.float32)
    p = spd_inverse(g)
    b = p / (-np.diag(p))[None, :]
    np.fill_diagonal(b, 0.0)
    return b.astype(np.float32, copy=False)
