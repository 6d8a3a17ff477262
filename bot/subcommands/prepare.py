"""``recbot prepare [--data DIR] [--tagger-steps N]``: build or reuse every artifact."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(tree) -> None:
    parser = tree.command(
        "prepare",
        help="build the CF model, item embeddings and tagger under RECBOT_HOME "
        "(reuses what is already built for the same data and code)",
    )
    parser.add_argument("--data", type=Path, default=None,
                        help="MovieLens-layout data directory (default: RECBOT_DATA, else "
                        "download ml-latest-small)")
    parser.add_argument("--tagger-steps", type=int, default=None, metavar="N",
                        help="cap tagger training at N optimizer steps (quick tagger; "
                        "default: full training)")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.ops.artifacts import ArtifactStore, prepare

    settings = load_settings()
    steps = prepare(settings, data_dir=args.data, tagger_steps=args.tagger_steps,
                    progress=not args.no_progress)
    for step in steps:
        print(step)
    print(f"manifest: {ArtifactStore(settings).manifest_path}")
    return 0
