# ruff: noqa: F811  (pytest fixtures imported from tests.dialogue_support)
"""The dialogue layer end to end over the real Redis server and the real Engine class.

The engine runs on the hand-made catalog of tests.ranking_fixtures with canned parses
(tests.dialogue_support.QUERIES); ids: 1 Alien, 2 Aliens, 3 Star Wars, 4 Empire,
5 Jedi, 6 Blade Runner, 7 Notting Hill, 8 Love Actually, 9 Shining, 10 Toy Story,
11 Obscure Gem, 12 Unknown Year.
"""

from __future__ import annotations

import asyncio
import json
import threading

from bot.dialogue.callbacks import Action, encode
from bot.dialogue.core import INVALID_BUTTON, NOT_SHOWN, RATE_LIMITED, Dialogue
from bot.store import RedisStore
from tests.dialogue_support import (  # noqa: F401
    dialogue,
    make_settings,
    redis_client,
    small_engine,
    store,
    user_keys_in_redis,
)

SCIFI = {1, 2, 3, 4, 5, 6, 11}
ALSO_ON_CLUSTER = True  # every test here runs against a single server and a 3-master cluster


def ids(reply) -> list[int]:
    return [item.item_id for item in reply.items]


async def test_a_request_gets_a_numbered_list_with_reasons_and_buttons(dialogue):
    reply = await dialogue.handle_text(1, "sci-fi")
    assert len(reply.items) == 5
    assert set(ids(reply)) <= SCIFI
    assert "1. " in reply.text and "5. " in reply.text
    first = reply.items[0]
    assert first.title in reply.text and first.why
    assert first.like == f"l|{first.item_id}" and first.dislike == f"d|{first.item_id}"
    assert [b.data for b in reply.buttons[0]] == ["m", "x"]
    out = reply.to_json()
    assert json.loads(json.dumps(out)) == out
    assert set(out["items"][0]) == {"item_id", "title", "year", "genres", "avg_rating", "why", "poster_url", "actions"}


async def test_more_pages_without_repeats_until_exhausted(dialogue):
    first = await dialogue.handle_text(1, "sci-fi")
    second = await dialogue.handle_text(1, "more")
    assert set(ids(second)) == SCIFI - set(ids(first))
    assert "page 2" in second.text
    third = await dialogue.handle_action(1, "m")
    assert not set(ids(third)) & SCIFI  # all sci-fi shown: the genre had to be relaxed
    assert "relaxed" in third.text or not third.items


async def test_refinement_turns(dialogue):
    await dialogue.handle_text(1, "sci-fi")
    no_horror = await dialogue.handle_text(1, "no horror")
    assert no_horror.items and not set(ids(no_horror)) & {1, 2, 9}
    assert "not Horror" in no_horror.text
    older = await dialogue.handle_text(2, "80s sci-fi")
    assert older.items and all(1980 <= item.year <= 1989 for item in older.items)
    newer = await dialogue.handle_text(2, "newer")
    assert "1990–1999" in newer.text


async def test_a_refinement_keeps_the_films_on_screen_that_still_fit(dialogue):
    first = await dialogue.handle_text(1, "sci-fi")
    no_horror = await dialogue.handle_text(1, "no horror")
    kept = [i for i in ids(first) if i not in {1, 2, 9}]
    assert kept and kept[0] == ids(no_horror)[0]  # the best fitting film is still first
    more = await dialogue.handle_text(1, "more")
    assert not set(ids(more)) & (set(ids(first)) | set(ids(no_horror)))  # pages never repeat


async def test_like_the_second_one_resolves_against_the_last_list(dialogue):
    first = await dialogue.handle_text(1, "sci-fi")
    second_title = first.items[1].title
    similar = await dialogue.handle_text(1, "like the second one")
    assert f"like {second_title}" in similar.text
    assert not set(ids(similar)) & set(ids(first))  # "more like #2": only new films
    missing = await dialogue.handle_text(1, "like the ninth one")
    assert "no #9" in missing.text and not missing.items


async def test_dislike_means_never_again(dialogue, redis_client):
    first = await dialogue.handle_text(1, "sci-fi")
    victim = first.items[0]
    ack = await dialogue.handle_action(1, victim.dislike)
    assert "won't suggest" in ack.text and ack.notice
    assert await redis_client.hget("recbot:{u:1}:ratings", str(victim.item_id)) == b"1"
    seen = set()
    for text in ("sci-fi", "more", "more", "reset", "sci-fi", "more", "horror", "like alien"):
        seen |= set(ids(await dialogue.handle_text(1, text)))
    assert victim.item_id not in seen


async def test_like_is_stored_and_shapes_the_next_answer(dialogue, redis_client):
    a = await dialogue.handle_text(1, "sci-fi")
    b = await dialogue.handle_text(2, "sci-fi")
    assert ids(a) == ids(b)
    liked = a.items[0]
    ack = await dialogue.handle_action(1, liked.like)
    assert "👍" in ack.text
    assert await redis_client.hget("recbot:{u:1}:ratings", str(liked.item_id)) == b"5"
    for user in (1, 2):
        await dialogue.handle_text(user, "reset")
    a2 = await dialogue.handle_text(1, "sci-fi")
    b2 = await dialogue.handle_text(2, "sci-fi")
    assert ids(a2) != ids(b2)
    assert liked.item_id not in ids(a2)
    assert any(f"because you liked {liked.title}" in item.why for item in a2.items)


async def test_the_same_press_twice_counts_once(dialogue, store):
    reply = await dialogue.handle_text(1, "sci-fi")
    data = reply.items[2].like
    first, second = await asyncio.gather(dialogue.handle_action(1, data), dialogue.handle_action(1, data))
    assert sorted(["Already noted" in first.text, "Already noted" in second.text]) == [False, True]
    assert len(await store.events(1)) == 1


async def test_pressed_button_is_marked_in_the_edited_keyboard(dialogue):
    reply = await dialogue.handle_text(1, "sci-fi")
    ack = await dialogue.handle_action(1, reply.items[1].like)
    assert ack.edited_buttons is not None
    assert ack.edited_buttons[1][0].text.startswith("✅")
    assert not ack.edited_buttons[0][0].text.startswith("✅")


async def test_forged_and_foreign_button_data_change_nothing(dialogue, redis_client):
    shown_to_2 = await dialogue.handle_text(2, "sci-fi")
    for data in ("zzz", "l|abc", "r|5|9", "x" * 100, "", "\x00"):
        reply = await dialogue.handle_action(1, data)
        assert reply.text == INVALID_BUTTON
    for data in ("l|9999999", encode(Action.LIKE, shown_to_2.items[0].item_id),
                 encode(Action.SIMILAR, 3)):
        reply = await dialogue.handle_action(1, data)
        assert reply.text == NOT_SHOWN
    assert [k for k in await user_keys_in_redis(redis_client, 1) if not k.endswith(b":rate")] == []


async def test_two_concurrent_users_never_see_each_others_state(dialogue, store):
    async def conversation(user: int, first: str, refine: str) -> list:
        replies = [await dialogue.handle_text(user, first)]
        await dialogue.handle_action(user, replies[0].items[0].dislike)
        replies.append(await dialogue.handle_text(user, refine))
        replies.append(await dialogue.handle_command(user, "history"))
        return replies

    (a1, a2, ah), (b1, b2, bh) = await asyncio.gather(
        conversation(1, "sci-fi", "more"), conversation(2, "romance", "horror")
    )
    assert set(ids(a2)) <= SCIFI and not set(ids(a2)) & set(ids(a1))
    # The tiny catalog's few horror films first; the nearest misses may follow them.
    horror = [i for i in b2.items if "Horror" in i.genres]
    assert horror and b2.items[: len(horror)] == horror
    assert a1.items[0].title in ah.text and a1.items[0].title not in bh.text
    assert b1.items[0].title in bh.text and b1.items[0].title not in ah.text
    assert await store.ratings(1) == {a1.items[0].item_id: 1.0}
    assert await store.ratings(2) == {b1.items[0].item_id: 1.0}


async def test_forget_asks_first_and_then_deletes_everything(dialogue, redis_client):
    reply = await dialogue.handle_text(7, "sci-fi")
    await dialogue.handle_action(7, reply.items[0].like)
    early = await dialogue.handle_action(7, "f!")  # confirmation without asking: refused
    assert "expired" in early.text and await user_keys_in_redis(redis_client, 7)
    ask = await dialogue.handle_command(7, "forget")
    assert [b.data for b in ask.buttons[0]] == ["f!", "f0"]
    assert await user_keys_in_redis(redis_client, 7)  # nothing deleted yet
    done = await dialogue.handle_action(7, "f!")
    assert "deleted" in done.text
    assert await user_keys_in_redis(redis_client, 7) == []
    history = await dialogue.handle_command(7, "history")
    assert "haven't rated" in history.text


async def test_forget_can_be_cancelled_and_is_reachable_by_text(dialogue, redis_client):
    reply = await dialogue.handle_text(7, "sci-fi")
    await dialogue.handle_action(7, reply.items[0].like)
    ask = await dialogue.handle_text(7, "forget me")
    assert "Are you sure" in ask.text
    await dialogue.handle_action(7, "f0")
    assert "kept" in (await dialogue.handle_action(7, "f0")).text
    assert "expired" in (await dialogue.handle_action(7, "f!")).text
    assert await redis_client.hlen("recbot:{u:7}:ratings") == 1


async def test_commands(dialogue):
    assert "Hi!" in (await dialogue.handle_command(1, "start")).text
    assert "/forget" in (await dialogue.handle_text(1, "/help")).text
    assert "don't know the command /frobnicate" in (await dialogue.handle_text(1, "/frobnicate")).text
    await dialogue.handle_text(1, "sci-fi")
    more = await dialogue.handle_command(1, "more")
    assert more.items and "page 2" in more.text
    reset = await dialogue.handle_text(1, "/reset@recbot")
    assert "Fresh start" in reset.text
    after = await dialogue.handle_command(1, "more")  # nothing to page: general picks
    assert after.items


async def test_session_ttl_expiry_forgets_the_conversation_not_the_ratings(small_engine, redis_client):
    dialogue = Dialogue(small_engine, RedisStore(redis_client, session_ttl_s=1), make_settings())
    first = await dialogue.handle_text(1, "sci-fi")
    await dialogue.handle_action(1, first.items[0].dislike)
    await asyncio.sleep(1.3)
    assert await redis_client.exists("recbot:{u:1}:session") == 0
    lost = await dialogue.handle_text(1, "like the second one")
    assert "haven't shown you one yet" in lost.text
    late = await dialogue.handle_action(1, first.items[1].like)  # old message, still valid
    assert "👍" in late.text
    assert first.items[0].item_id not in ids(await dialogue.handle_text(1, "sci-fi"))


async def test_bad_input_gets_a_friendly_answer(dialogue):
    for text in ("", "   \n\t ", "\x00\x01\x02\x03binary\x04\x05", "<b></b>", "\u202e\u200b"):
        reply = await dialogue.handle_text(1, text)
        assert reply.text and not reply.items, repr(text)
    long = await dialogue.handle_text(1, "sci-fi " + "x" * 10_000)
    assert "first 4096 characters" in long.text and len(long.text) <= 4096
    html = await dialogue.handle_text(1, "<script>alert(1)</script>")
    assert "<script>" not in html.text
    assert (await dialogue.handle_text(1, None)).text  # type: ignore[arg-type]


async def test_replies_never_exceed_telegram_limit(dialogue, small_engine):
    small_engine.catalog.titles[0] = "A" * 5000
    reply = await dialogue.handle_text(1, "like alien")
    assert len(reply.text) <= 4096


async def test_rate_limit_answers_politely(small_engine, store):
    dialogue = Dialogue(small_engine, store, make_settings(RECBOT_RATE_LIMIT=3))
    replies = [await dialogue.handle_text(1, "sci-fi") for _ in range(4)]
    assert all(r.items for r in replies[:3])
    assert replies[3].text == RATE_LIMITED
    assert (await dialogue.handle_text(2, "sci-fi")).items  # other users unaffected


async def test_model_runs_off_the_event_loop(dialogue, small_engine):
    threads = []
    understand = small_engine.understand

    def spy(text):
        threads.append(threading.get_ident())
        return understand(text)

    small_engine.understand = spy
    await dialogue.handle_text(1, "sci-fi")
    assert threads and threads[0] != threading.get_ident()


async def test_an_engine_failure_is_a_reply_not_a_crash(dialogue, small_engine):
    def boom(text):
        raise RuntimeError("bug")

    small_engine.understand = boom
    reply = await dialogue.handle_text(1, "sci-fi")
    assert "went wrong" in reply.text
