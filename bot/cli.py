"""The ``recbot`` command line: a tree of subcommands registered by small modules.

Each module in ``COMMAND_MODULES`` exposes ``register(tree: CommandTree) -> None`` and
adds its commands with ``tree.command("eval cf", help=...)``; the handler is set with
``parser.set_defaults(func=handler)`` where ``handler(args) -> int`` returns the exit
status. Modules import heavy dependencies (torch, transformers) inside their handlers
so that ``recbot --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from tqdm.contrib.logging import logging_redirect_tqdm

from bot.errors import UserFacingError
from bot.version import code_version

COMMAND_MODULES = (
    "bot.subcommands.prepare",
    "bot.subcommands.cf",
    "bot.subcommands.tagger",
    "bot.subcommands.chat",
    "bot.subcommands.dialogue_eval",
    "bot.subcommands.knowledge_eval",
    "bot.subcommands.conversations",
    "bot.subcommands.serve",
    "bot.subcommands.ops",
)

log = logging.getLogger("recbot")


class CommandTree:
    """Builds nested argparse subcommands from space-separated paths ("eval cf")."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._groups: dict[tuple[str, ...], argparse._SubParsersAction] = {
            (): parser.add_subparsers(dest="command", metavar="COMMAND")
        }
        self._parsers: dict[tuple[str, ...], argparse.ArgumentParser] = {(): parser}

    def _subparsers(self, path: tuple[str, ...]) -> argparse._SubParsersAction:
        if path not in self._groups:
            parent = self._subparsers(path[:-1])
            group = parent.add_parser(path[-1], help=f"{path[-1]} commands")
            group.set_defaults(func=lambda _args, g=group: _print_help(g))
            self._parsers[path] = group
            self._groups[path] = group.add_subparsers(metavar="COMMAND")
        return self._groups[path]

    def command(self, path: str, help: str) -> argparse.ArgumentParser:
        """Create the parser for ``path`` (e.g. ``"eval cf"``) and return it."""
        parts = tuple(path.split())
        parser = self._subparsers(parts[:-1]).add_parser(parts[-1], help=help, description=help)
        self._parsers[parts] = parser
        return parser


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recbot",
        description="Conversational movie recommendations: a Telegram bot, a console chat "
        "and the tools that build and evaluate its models.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"recbot {code_version()}")
    parser.set_defaults(func=lambda _args: _print_help(parser))
    tree = CommandTree(parser)
    for name in COMMAND_MODULES:
        # A missing module is a bug (a misspelt name, a file not added): fail loudly.
        importlib.import_module(name).register(tree)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recbot`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # transformers draws a "Loading weights" bar for every local model load (instant here):
    # noise at each start. Our own long work keeps its tqdm bars. Set it to 0 to see them.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # transformers also logs a "LOAD REPORT" table when the tagger is first built from the
    # backbone: the classifier head is new and the pooler unused, as intended, but it
    # reads like an error at start-up. Errors still show; -v (or the variable) shows all.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "info" if args.verbose else "error")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        # Log lines go above the progress bars instead of being spliced into them.
        with logging_redirect_tqdm():
            return int(args.func(args) or 0)
    except UserFacingError as exc:
        # Errors we anticipated carry a sentence that says what to do next.
        print(f"recbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
