# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""/forget is final: a message being answered, or a 👍, racing the /forget confirmation
leaves no key of the user behind, and the user is told the truth. 40 trials of each kind,
on a single Redis and on a real 3-master cluster."""

from __future__ import annotations

import asyncio
import random

from bot.dialogue.callbacks import Action, encode
from bot.dialogue.core import FORGOTTEN
from tests.dialogue_support import (  # noqa: F401
    dialogue,
    redis_client,
    small_engine,
    store,
    user_keys_in_redis,
)

ALSO_ON_CLUSTER = True
TRIALS = 40
DONE = "Done — I've deleted"


async def _ask_to_forget(dialogue, user: int):
    first = await dialogue.handle_text(user, "sci-fi")
    await dialogue.handle_action(user, first.items[0].like)
    ask = await dialogue.handle_command(user, "forget")
    assert "Are you sure" in ask.text
    return first


async def test_a_message_being_answered_when_forget_is_confirmed_leaves_nothing(
    dialogue, store, redis_client, small_engine, monkeypatch
) -> None:
    import time

    understand = small_engine.understand

    def slow_understand(text):  # model work long enough for the confirmation to land in it
        time.sleep(0.2)
        return understand(text)

    monkeypatch.setattr(small_engine, "understand", slow_understand)
    began = asyncio.Event()
    begin_turn = store.begin_turn

    async def spy(*args, **kwargs):
        state = await begin_turn(*args, **kwargs)
        began.set()
        return state

    monkeypatch.setattr(store, "begin_turn", spy)
    rng = random.Random(12)
    outcomes = {"forgotten": 0, "answered first": 0}
    for trial in range(TRIALS):
        user = 100 + trial
        await _ask_to_forget(dialogue, user)
        began.clear()
        message = asyncio.create_task(dialogue.handle_text(user, "sci-fi"))
        await began.wait()  # the message's turn has begun: it read the user's state
        await asyncio.sleep(rng.uniform(0, 0.01))
        done = await dialogue.handle_action(user, encode(Action.FORGET_CONFIRM))
        answer = await message
        assert DONE in done.text
        assert await user_keys_in_redis(redis_client, user) == [], trial
        if answer.text == FORGOTTEN:
            assert not answer.items
            outcomes["forgotten"] += 1
        else:  # it was written before the forget, which then deleted it
            outcomes["answered first"] += 1
    assert outcomes["forgotten"] > TRIALS // 2, outcomes  # the race really was run


async def test_a_like_at_the_same_instant_as_the_confirmation_leaves_nothing(
    dialogue, redis_client
) -> None:
    for trial in range(TRIALS):
        user = 200 + trial
        first = await _ask_to_forget(dialogue, user)
        like, done = await asyncio.gather(
            dialogue.handle_action(user, first.items[1].like),
            dialogue.handle_action(user, encode(Action.FORGET_CONFIRM)),
        )
        assert DONE in done.text
        assert await user_keys_in_redis(redis_client, user) == [], (trial, like.text)


async def test_a_settings_press_at_the_same_instant_as_the_confirmation_leaves_nothing(
    dialogue, redis_client
) -> None:
    outcomes = {"forgotten": 0, "saved first": 0}
    for trial in range(TRIALS):
        user = 300 + trial
        await _ask_to_forget(dialogue, user)
        saved, done = await asyncio.gather(
            dialogue.handle_action(user, encode(Action.SET_ITEMS, value=3)),
            dialogue.handle_action(user, encode(Action.FORGET_CONFIRM)),
        )
        assert DONE in done.text
        assert await user_keys_in_redis(redis_client, user) == [], (trial, saved.text)
        outcomes["forgotten" if saved.text == FORGOTTEN else "saved first"] += 1
    assert outcomes["forgotten"], outcomes  # the race really was run


async def test_a_settings_or_cancel_press_after_forget_brings_nothing_back(
    dialogue, redis_client
) -> None:
    user = 390
    menu = await dialogue.handle_command(user, "settings")
    assert menu.buttons
    await _ask_to_forget(dialogue, user)
    done = await dialogue.handle_action(user, encode(Action.FORGET_CONFIRM))
    assert DONE in done.text
    # The old menu and the old question are still on the screen: pressing them writes nothing.
    late = await dialogue.handle_action(user, encode(Action.SET_ITEMS, value=3))
    assert late.text == FORGOTTEN
    await dialogue.handle_action(user, encode(Action.FORGET_CANCEL))
    assert await user_keys_in_redis(redis_client, user) == []


async def test_button_presses_are_rate_limited_like_messages(small_engine, store) -> None:
    from bot.dialogue.core import RATE_LIMITED, Dialogue
    from tests.dialogue_support import make_settings

    dialogue = Dialogue(small_engine, store, make_settings(RECBOT_RATE_LIMIT=4))
    shown = await dialogue.handle_text(1, "sci-fi")  # 1 message
    answers = [await dialogue.handle_action(1, item.like) for item in shown.items]
    assert ["Noted" in a.text for a in answers] == [True, True, True, False, False]
    assert answers[-1].text == RATE_LIMITED and answers[-1].notice == RATE_LIMITED
    assert len(await store.ratings(1)) == 3
