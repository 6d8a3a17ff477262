"""Real-style messages through the real engine (tagger, parser, catalog) and, for the
session effects, through the real dialogue layer and Redis: what each message must
mean (``tests.real_messages``) and what it must do to the conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from bot.config import Settings
from bot.dialogue.core import Dialogue
from bot.store import RedisStore
from recommender.nlp.query import Query
from tests.real_messages import CASES

USER = 4242


def labels(engine, ids: list[int]) -> list[str]:
    catalog = engine.catalog
    return [catalog.label(catalog.index(i)) for i in ids]


def mismatches(engine, query: Query, expected: dict) -> list[str]:
    got: dict[str, object] = {}
    for key, want in expected.items():
        if key == "genres":
            value: object = set(query.genres_all) | set(query.genres_any)
            ok = set(want) <= value
        elif key == "none":
            value = set(query.genres_none)
            ok = set(want) <= value
        elif key == "years":
            value = (query.year_min, query.year_max)
            ok = value == tuple(want)
        elif key == "refs":
            value = labels(engine, query.reference_items)
            ok = value == want
        elif key in ("liked", "disliked", "seen", "unseen", "asked", "rejected"):
            value = labels(engine, getattr(query, key))
            ok = value == want
        elif key == "people":  # the people the catalog credits (an unknown name filters nothing)
            value = [p.name for p in query.people if p.known and not p.excluded]
            ok = value == want
        elif key == "excluded_people":
            value = [p.name for p in query.people if p.known and p.excluded]
            ok = value == want
        elif key.endswith("_include"):  # a series: these among the films left out, seen, ...
            value = labels(engine, getattr(query, key.removesuffix("_include")))
            ok = set(want) <= set(value)
        elif key == "no_text":
            value = query.text
            ok = not query.text.strip()
        elif key == "text_has":  # searched as what the films are about
            value = query.text
            ok = want in query.text.lower()
        elif key == "command":
            value = query.command.value if query.command else None
            ok = value == want
        else:
            value = getattr(query, key)
            ok = value == want
        if not ok:
            got[key] = value
    return [f"{k}: got {v!r}, want {expected[k]!r}" for k, v in got.items()]


def test_the_table_has_enough_real_style_messages() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_real_style_message_gives_the_expected_query(engine, text: str, expected: dict) -> None:
    query = engine.understand(text)
    assert not mismatches(engine, query, expected), (text, query)


# --------------------------------------------------------------------------- session


@pytest.fixture
async def chat(engine, redis_url: str) -> AsyncIterator[tuple[Dialogue, RedisStore]]:
    client = aioredis.Redis.from_url(redis_url)
    store = RedisStore(client, session_ttl_s=3600)
    yield Dialogue(engine, store, Settings()), store  # type: ignore[call-arg]
    await client.flushdb()
    await client.aclose()


def item_id(engine, title: str) -> int:
    catalog = engine.catalog
    return next(int(catalog.item_ids[i]) for i in range(catalog.n_items) if catalog.label(i) == title)


async def test_a_liked_mention_is_feedback_used_at_once(chat, engine) -> None:
    dialogue, store = chat
    click = item_id(engine, "Click (2006)")
    reply = await dialogue.handle_text(USER, "i watched Click (2006) and i liked it")
    assert "Noted that you liked Click (2006)" in reply.text
    assert (await store.ratings(USER)).get(click) == 5.0  # as a 👍: stored, and used
    assert reply.items and click not in [i.item_id for i in reply.items]
    assert "2006" not in reply.header.split("·")[0] or "like Click" in reply.header  # no year filter
    assert all(i.year != 2006 for i in reply.items) or len({i.year for i in reply.items}) > 1


async def test_every_film_of_a_person_seen_is_left_out_and_is_the_taste(chat, engine) -> None:
    # "I've seen every Tom Hanks movie" had listed his films, every one of them seen.
    dialogue, _ = chat
    reply = await dialogue.handle_text(USER, "I've seen every Tom Hanks movie")
    catalog = engine.catalog
    assert "Noted that you've seen Forrest Gump (1994)" in reply.text and "leave them out" in reply.text
    assert "like Forrest Gump" in reply.header and "with Tom Hanks" not in reply.header
    assert reply.items and not [i for i in reply.items if "Tom Hanks" in catalog.cast[catalog.index(i.item_id)]]


async def test_a_seen_mention_is_excluded_not_a_reference(chat, engine) -> None:
    dialogue, store = chat
    pie = item_id(engine, "American Pie (1999)")
    await dialogue.handle_text(USER, "comedies from the 90s")
    reply = await dialogue.handle_text(USER, "I have seen American Pie (1999)")
    assert "seen American Pie (1999)" in reply.text and not reply.items
    assert pie not in (await store.ratings(USER))
    after = await dialogue.handle_text(USER, "more")
    assert pie not in [i.item_id for i in after.items]
    session, _ = await store.load(USER)
    assert pie in session.excluded and pie not in (session.query.reference_items if session.query else [])


async def test_a_film_named_as_an_example_is_not_suggested_later(chat, engine) -> None:
    # The person knows The Shawshank Redemption: a later request for Morgan Freeman's
    # films listed it first.
    dialogue, _ = chat
    shawshank = item_id(engine, "The Shawshank Redemption (1994)")
    first = await dialogue.handle_text(USER, "any good movies like The Shawshank Redemption?")
    assert "like The Shawshank Redemption" in first.header
    later = await dialogue.handle_text(USER, "thanks! what about something with Morgan Freeman?")
    assert later.items and "Morgan Freeman" in later.header
    assert shawshank not in [i.item_id for i in later.items]


async def test_a_rejected_title_and_person_are_left_out_for_the_session(chat, engine) -> None:
    dialogue, store = chat
    wick = item_id(engine, "John Wick (2014)")
    reply = await dialogue.handle_text(USER, "anything with Keanu Reeves that's not John Wick")
    assert reply.items and "like John Wick" not in reply.header and "Keanu Reeves" in reply.header
    assert "Leaving out John Wick (2014)" in reply.text
    shown = [i.item_id for i in reply.items]
    assert wick not in shown
    for _ in range(3):  # nor on later pages
        shown += [i.item_id for i in (await dialogue.handle_text(USER, "more")).items]
    assert wick not in shown and wick not in (await store.ratings(USER))
    sandler = await dialogue.handle_text(USER, "something funny but nothing with Adam Sandler")
    assert "without Adam Sandler" in sandler.header
    catalog = engine.catalog
    assert sandler.items and all("Adam Sandler" not in catalog.cast[catalog.index(i.item_id)]
                                 for i in sandler.items)


async def test_comparatives_and_length_refine_the_list_on_screen(chat, engine) -> None:
    dialogue, _ = chat
    first = await dialogue.handle_text(USER, "a highly rated sci-fi film from the 2000s")
    assert first.items and "Sci-Fi" in first.header
    darker = await dialogue.handle_text(USER, "something darker")
    # the frame stays; films named for the word ("Darkman", "Fifty Shades Darker") do not come
    assert "Sci-Fi · 2000–2009" in darker.header and "“dark”" in darker.header
    assert [i.item_id for i in darker.items] != [i.item_id for i in first.items]
    assert darker.items and all(i.year and 2000 <= i.year <= 2009 and "Sci-Fi" in i.genres for i in darker.items)
    funnier = await dialogue.handle_text(USER, "funnier")
    assert "Sci-Fi + Comedy" in funnier.header
    assert funnier.items and all({"Sci-Fi", "Comedy"} <= set(i.genres) for i in funnier.items)
    short = await dialogue.handle_text(USER, "a comedy under 90 minutes")
    catalog = engine.catalog
    assert "up to 90 min" in short.header and short.items
    assert all(0 < (catalog.runtimes[catalog.index(i.item_id)] or 0) <= 90 for i in short.items)


async def test_not_a_series_leaves_out_the_whole_series(chat, engine) -> None:
    dialogue, _ = chat
    reply = await dialogue.handle_text(USER, "a space adventure but not Star Wars")
    assert "Leaving out Star Wars: Episode IV - A New Hope (1977)" in reply.text and "more, as you asked" in reply.text
    titles = [i.title for i in reply.items]
    for _ in range(3):  # "Rogue One: A Star Wars Story" came on page 2 before
        titles += [i.title for i in (await dialogue.handle_text(USER, "more")).items]
    assert len(titles) >= 15 and not [t for t in titles if "Star Wars" in t]


async def test_small_talk_keeps_the_list_and_never_searches_a_title(chat) -> None:
    dialogue, store = chat
    first = await dialogue.handle_text(USER, "a funny sci-fi movie from the 90s")
    before, _ = await store.load(USER)
    for text in ("Awesome.", "Hello! wonderful!", "i have not seen it i think i will try", "Thanks!"):
        reply = await dialogue.handle_text(USER, text)
        assert not reply.items and reply.text, text
        session, _ = await store.load(USER)
        assert session.shown == before.shown == [i.item_id for i in first.items]
        assert session.query == before.query
    more = await dialogue.handle_text(USER, "Thanks! Any others?")
    assert more.items and not set(i.item_id for i in more.items) & set(before.shown)


async def test_declining_is_no_thanks_and_none_of_these_shows_others(chat) -> None:
    dialogue, store = chat
    first = await dialogue.handle_text(USER, "a comedy from the 90s")
    history_before = await store.ratings(USER)
    for text in ("no thanks", "hmm, not for me", "nah"):
        reply = await dialogue.handle_text(USER, text)
        assert not reply.items and "welcome" not in reply.text.lower() and "glad" not in reply.text.lower()
        assert "more" in reply.text, text
    assert await store.ratings(USER) == history_before  # declining rates nothing
    others = await dialogue.handle_text(USER, "none of these")
    assert len(others.items) == 5 and not {i.item_id for i in others.items} & {i.item_id for i in first.items}


async def test_a_disliked_film_takes_its_sequels_out_of_the_answer(chat, engine) -> None:
    dialogue, store = chat
    reply = await dialogue.handle_text(
        USER, "I love The Lord of the Rings, but The Hobbit: An Unexpected Journey (2012) was too tedious!")
    assert reply.items and not [i.title for i in reply.items if "Hobbit" in i.title]
    hobbit = item_id(engine, "The Hobbit: An Unexpected Journey (2012)")
    assert (await store.ratings(USER)).get(hobbit, 5.0) < 3.0  # and it is a 👎


async def test_bye_before_any_request_gets_an_answer_not_a_list(chat) -> None:
    dialogue, _ = chat
    for text in ("Bye!", "no thanks"):
        reply = await dialogue.handle_text(USER, text)
        assert not reply.items and reply.text and "“more”" not in reply.text, text
    # A greeting, or an answer about no film ("No, I haven't"), still gets starter picks.
    assert len((await dialogue.handle_text(USER, "No, I haven't")).items) == 5
    assert len((await dialogue.handle_text(USER + 1, "hi")).items) == 5


async def test_open_to_anything_drops_the_constraints(chat) -> None:
    dialogue, store = chat
    await dialogue.handle_text(USER, "some horror from the 80s")
    reply = await dialogue.handle_text(USER, "Actually I like all movies")
    session, _ = await store.load(USER)
    assert reply.items
    assert session.query is None or session.query.is_empty()


async def test_what_should_i_watch_gets_a_list(chat) -> None:
    dialogue, _ = chat
    reply = await dialogue.handle_text(USER, "What should I watch?")
    assert len(reply.items) == 5
    # Later in a conversation it asks for more of the current topic.
    horror = await dialogue.handle_text(USER, "some horror")
    again = await dialogue.handle_text(USER, "What films should I watch?")
    assert len(again.items) == 5 and not {i.item_id for i in again.items} & {i.item_id for i in horror.items}
    assert all("Horror" in i.genres for i in again.items)


async def test_it_means_the_last_movie_never_the_film_it(chat, engine) -> None:
    dialogue, store = chat
    await dialogue.handle_text(USER, "Have you seen The Dark Knight?")
    about = await dialogue.handle_text(USER, "what is it about?")
    assert about.text.startswith("The Dark Knight (2008)")
    reply = await dialogue.handle_text(USER, "I loved it")
    assert "liked The Dark Knight (2008)" in reply.text
    assert item_id(engine, "It (2017)") not in (await store.ratings(USER))


async def test_both_and_all_of_them_speak_of_several_films_on_screen(chat) -> None:
    dialogue, store = chat
    listing = await dialogue.handle_text(USER, "a comedy")
    first, second = listing.items[0].item_id, listing.items[1].item_id
    await dialogue.handle_text(USER, "I loved both of them")
    ratings = await store.ratings(USER)
    assert ratings.get(first, 0) >= 4 and ratings.get(second, 0) >= 4
    assert listing.items[2].item_id not in ratings


async def test_who_made_a_film_and_who_is_in_it_are_answered(chat) -> None:
    dialogue, store = chat
    reply = await dialogue.handle_text(USER, "Who directed Inception?")
    assert reply.text.startswith("Inception (2010)") and not reply.items
    assert "Directed by Christopher Nolan · starring Leonardo DiCaprio" in reply.text


async def test_the_second_one_means_the_second_item_of_the_list(chat, engine) -> None:
    dialogue, store = chat
    listing = await dialogue.handle_text(USER, "funny animated movies")
    second, last = listing.items[1], listing.items[-1]
    about = await dialogue.handle_text(USER, "what is the second one about?")
    assert about.text.startswith(second.title) and not about.items
    liked = await dialogue.handle_text(USER, "I loved the last one")
    assert f"liked {last.title}" in liked.text
    assert (await store.ratings(USER)).get(last.item_id) == 5.0
    similar = await dialogue.handle_text(USER, "like the second one")
    assert similar.items and similar.items[0].item_id != liked.items[1].item_id


async def test_context_fades_on_a_new_topic(chat) -> None:
    dialogue, store = chat
    await dialogue.handle_text(USER, "I dont think the kids would be interested in a movie that old")
    kids, _ = await store.load(USER)
    assert kids.query and "Children" in kids.query.genres_all + kids.query.genres_any
    assert kids.query.year_min == 2004 and kids.query.year_max is None
    await dialogue.handle_text(USER, "What about Wonder Woman (2017)?")
    topic, _ = await store.load(USER)
    assert topic.query and not topic.query.genres_all and topic.query.year_min is None
    await dialogue.handle_text(USER, "no horror")  # a refinement keeps the topic
    refined, _ = await store.load(USER)
    assert refined.query.reference_items == topic.query.reference_items
    assert refined.query.genres_none == ["Horror"]


async def test_a_disliked_mention_is_a_thumbs_down(chat, engine) -> None:
    dialogue, store = chat
    titanic = item_id(engine, "Titanic (1997)")
    reply = await dialogue.handle_text(USER, "romance movies. I didn't like Titanic (1997) though")
    assert "didn't like Titanic (1997)" in reply.text
    assert (await store.ratings(USER)).get(titanic) == 1.0
    assert titanic not in [i.item_id for i in reply.items]


def test_praise_with_a_request_for_more_is_taste_and_reference(engine) -> None:
    # "I loved Alien, give me more like it": the like is stored and Alien is what to match.
    query = engine.understand("I loved Alien, give me more like it")
    assert labels(engine, query.liked) == labels(engine, query.reference_items)
    assert any(label.startswith("Alien") for label in labels(engine, query.reference_items))
    alien = query.reference_items[0]
    picks = engine.recommend(query, {alien: 5.0}).items
    assert picks and alien not in [p.item_id for p in picks]
    assert sum("Sci-Fi" in engine.catalog.genres[engine.catalog.index(p.item_id)]
               or "Horror" in engine.catalog.genres[engine.catalog.index(p.item_id)]
               for p in picks) >= 3


def test_a_credited_name_is_a_person_not_a_title(engine) -> None:
    query = engine.understand("movies with Paul Giamatti")
    assert [p.name for p in query.people] == ["Paul Giamatti"] and not query.reference_items


async def test_two_references_of_one_title_are_told_apart_by_year(chat, engine) -> None:
    dialogue, _ = chat
    reply = await dialogue.handle_text(
        USER, "movies like A Nightmare on Elm Street (1984) and A Nightmare on Elm Street (2010)")
    assert "A Nightmare on Elm Street (1984)" in reply.header
    assert "A Nightmare on Elm Street (2010)" in reply.header


async def test_newer_lists_recent_films_people_rated_well(chat) -> None:
    # Ordered by year alone, the newest of the best were films of the data's last months
    # with one bad rating (Ferdinand ★1.5, The Emoji Movie ★0.5).
    dialogue, _ = chat
    first = await dialogue.handle_text(USER, "Can you suggest a funny animated movie for my kids?")
    newer = await dialogue.handle_text(USER, "actually something newer")
    assert first.items and newer.items
    assert all(i.avg_rating >= 2.5 for i in newer.items), [(i.title, i.avg_rating) for i in newer.items]
    assert min(i.year for i in newer.items) >= 2004


async def test_hidden_gems_are_well_rated_films_fewer_people_know(chat, engine) -> None:
    # Read as text, "gems" listed films of one rating; "highly rated" gives the canon.
    dialogue, _ = chat
    reply = await dialogue.handle_text(USER, "any underrated gems from the 2000s?")
    catalog = engine.catalog
    most_rated = set(sorted(range(catalog.n_items), key=lambda i: -catalog.rating_count[i])[:100])
    assert "hidden gems" in reply.header and len(reply.items) == 5
    for item in reply.items:
        idx = catalog.index(item.item_id)
        assert 2000 <= item.year <= 2009 and idx not in most_rated
        assert catalog.rating_count[idx] >= 5 and item.avg_rating >= 3.8, item.title


async def test_having_seen_the_whole_list_shows_the_next_one(chat) -> None:
    dialogue, _ = chat
    first = await dialogue.handle_text(USER, "best movies of all time")
    assert len(first.items) == 5
    after = await dialogue.handle_text(USER, "I've seen all of those")
    assert after.items and "page 2" in after.header  # it answered "Say more for other picks"
    assert not {i.item_id for i in after.items} & {i.item_id for i in first.items}


async def test_one_exact_match_is_followed_by_the_nearest_misses_said_so(chat) -> None:
    # Nightcrawler is his one thriller of 2014 or later rated 3.5+: a one-film list before
    dialogue, _ = chat
    await dialogue.handle_text(USER, "a good thriller from 2014 or later")
    reply = await dialogue.handle_text(USER, "with Jake Gyllenhaal")
    assert reply.items[0].title == "Nightcrawler" and len(reply.items) == 5
    assert "Only one film fits all of that; after it I relaxed: 2014 or later" in reply.text
    assert all("Jake Gyllenhaal" in i.why for i in reply.items)  # the person is kept
    more = await dialogue.handle_text(USER, "more")
    assert not {i.item_id for i in more.items} & {i.item_id for i in reply.items}


async def test_it_after_pointing_at_a_film_of_the_list_is_that_film(chat) -> None:
    dialogue, _ = chat
    first = await dialogue.handle_text(USER, "comedies with Jim Carrey")
    third = first.items[2]
    liked = await dialogue.handle_text(USER, "the third one looks good")
    assert liked.items and liked.items[0].item_id != third.item_id
    about = await dialogue.handle_text(USER, "what is it about?")
    assert about.text.startswith(third.title)  # not the first film of the new list


async def test_not_that_one_lists_again_without_it(chat) -> None:
    dialogue, store = chat
    first = await dialogue.handle_text(USER, "comedies with Jim Carrey")
    again = await dialogue.handle_text(USER, "not that one")
    ids = [i.item_id for i in again.items]
    assert ids and first.items[0].item_id not in ids and ids[0] == first.items[1].item_id
    session, _ = await store.load(USER)
    assert first.items[0].item_id in session.excluded  # and it stays out


async def test_a_persons_older_films_after_her_best_ones_fill_the_list(chat, engine) -> None:
    # "her older stuff" after "her best ones" listed two films: the ★3.8 floor and the
    # years both held, and a list sorted by year was never filled.
    dialogue, _ = chat
    catalog = engine.catalog
    for text in ("movies with Meryl Streep", "her best ones"):
        await dialogue.handle_text(USER, text)
    reply = await dialogue.handle_text(USER, "her older stuff")
    assert len(reply.items) == 5, reply.text
    assert all("Meryl Streep" in catalog.cast[catalog.index(i.item_id)] for i in reply.items)
    assert all(i.year <= 1990 for i in reply.items), [(i.title, i.year) for i in reply.items]
