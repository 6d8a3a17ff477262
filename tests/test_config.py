"""Configuration fails fast with a message that names the bad variable."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_API_BASE_URL, load_settings
from recommender.errors import RecbotError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN", "REDIS_URL", "RECBOT_HOME", "RECBOT_DATA", "RECBOT_TAGGER_DATA",
        "TELEGRAM_API_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "RECBOT_ALPHA",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_no_environment() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.redis_url is None  # embedded Redis
    assert settings.telegram_api_base_url == DEFAULT_API_BASE_URL


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("RECBOT_HOME", str(tmp_path))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = load_settings()
    assert settings.telegram_bot_token.get_secret_value() == "123:abc"
    assert settings.home == tmp_path
    assert settings.artifacts_dir == tmp_path / "artifacts"
    assert settings.redis_url == "redis://127.0.0.1:6379/3"


def test_blank_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("RECBOT_DATA", " ")
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.data is None


def test_token_never_shown_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    assert "very-secret" not in repr(load_settings())


@pytest.mark.parametrize(
    ("name", "value"),
    [("TELEGRAM_BOT_TOKEN", "no-colon"), ("RECBOT_ALPHA", "1.5"), ("RECBOT_WEBHOOK_PORT", "0")],
)
def test_bad_values_fail_fast_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(RecbotError) as err:
        load_settings()
    assert name in str(err.value)
    assert value not in str(err.value) or name != "TELEGRAM_BOT_TOKEN"


def test_the_send_limit_is_on_unless_lifted_for_a_capacity_bench() -> None:
    from bot.telegram.app import build_application

    class _Unused:
        pass

    on = load_settings(TELEGRAM_BOT_TOKEN="1:abc")
    off = load_settings(TELEGRAM_BOT_TOKEN="1:abc", RECBOT_SEND_RATE_LIMIT="false")
    assert on.send_rate_limit and not off.send_rate_limit
    limited = build_application(on, _Unused(), rate_limit=on.send_rate_limit)  # type: ignore[arg-type]
    unlimited = build_application(off, _Unused(), rate_limit=off.send_rate_limit)  # type: ignore[arg-type]
    assert limited.bot.rate_limiter is not None
    assert unlimited.bot.rate_limiter is None
