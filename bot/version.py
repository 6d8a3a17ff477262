"""The installed recbot version (``recbot --version``, the artifact manifest)."""

from __future__ import annotations

from importlib import metadata


def code_version() -> str:
    """The installed recbot version (``0+unknown`` when run from a bare checkout)."""
    try:
        return metadata.version("recbot")
    except metadata.PackageNotFoundError:
        return "0+unknown"
