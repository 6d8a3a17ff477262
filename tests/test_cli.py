"""The ``recbot`` command tree: every registered command module must exist."""

from __future__ import annotations

import pytest

from bot import cli


def test_every_command_module_registers() -> None:
    parser = cli.build_parser()
    help_text = parser.format_help()
    for command in ("prepare", "chat", "serve", "eval", "retrain"):
        assert command in help_text


def test_a_misspelt_command_module_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "bot.subcommands.chatt"))
    with pytest.raises(ModuleNotFoundError, match="chatt"):
        cli.build_parser()


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"recbot {metadata.version('recbot')}"
