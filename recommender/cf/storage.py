"""Saving and loading models as ``.npz`` files without pickle.

Every file records ``model`` (the registry name) and ``params`` (JSON of the
constructor arguments) next to the model's arrays; sparse matrices are stored as their
CSR parts under ``<name>.data``, ``<name>.indices``, ``<name>.indptr``, ``<name>.shape``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from recommender.errors import ArtifactMissing, DataError


def save_npz(path: Path, model: str, params: dict[str, Any], **arrays: Any) -> None:
    """Write ``arrays`` (numpy arrays or CSR matrices) plus the model name and params."""
    flat: dict[str, np.ndarray] = {
        "model": np.array(model),
        "params": np.array(json.dumps(params, sort_keys=True)),
    }
    for name, value in arrays.items():
        if sp.issparse(value):
            csr = sp.csr_matrix(value)
            flat[f"{name}.data"] = csr.data
            flat[f"{name}.indices"] = csr.indices
            flat[f"{name}.indptr"] = csr.indptr
            flat[f"{name}.shape"] = np.asarray(csr.shape, dtype=np.int64)
        else:
            flat[name] = np.asarray(value)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write under a temporary name and rename, so a reader never sees half a file.
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        # numpy's stub lets a **mapping reach savez's allow_pickle: bool; ours holds arrays only.
        np.savez(fh, **flat)  # type: ignore[arg-type]
    tmp.replace(path)


class NpzModel:
    """Read access to a file written by ``save_npz``."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        if not path.is_file():
            raise ArtifactMissing(f"No CF model at {path}; run `recbot prepare` to build it.")
        try:
            with np.load(path, allow_pickle=False) as npz:
                self._arrays = {k: npz[k] for k in npz.files}
        except (ValueError, OSError) as exc:
            raise DataError(
                f"{path} is not a readable recbot model file; delete it and run "
                "`recbot prepare` again."
            ) from exc
        self.path = path
        self.model = str(self._arrays["model"])
        self.params: dict[str, Any] = json.loads(str(self._arrays["params"]))

    def array(self, name: str) -> np.ndarray:
        return self._arrays[name]

    def sparse(self, name: str) -> sp.csr_matrix:
        shape = tuple(int(x) for x in self._arrays[f"{name}.shape"])
        return sp.csr_matrix(
            (self._arrays[f"{name}.data"], self._arrays[f"{name}.indices"],
             self._arrays[f"{name}.indptr"]),
            shape=shape,
        )  # fmt: skip


def read_model_name(path: Path) -> str:
    """The registry name recorded in a model file (reads only that entry)."""
    path = Path(path)
    if not path.is_file():
        raise ArtifactMissing(f"No CF model at {path}; run `recbot prepare` to build it.")
    try:
        with np.load(path, allow_pickle=False) as npz:
            return str(npz["model"])
    except (ValueError, OSError, KeyError) as exc:
        raise DataError(
            f"{path} is not a readable recbot model file; delete it and run "
            "`recbot prepare` again."
        ) from exc
