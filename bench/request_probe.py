"""Constraint precision of single-turn requests a fan writes, item by item.

120 requests in everyday wording ("I'm in the mood for a scary movie from the 80s",
"movies with Scarlett Johansson after 2010", "thrillers, nothing older than 10 years",
"a good crime thriller with Denzel"), none of them from ``recbot eval dialogue``'s
phrasings, each with the constraints a person reading it would expect: genres required
and excluded, a year window, a person credited, a rating floor. Each goes to a fresh user
through the real dialogue layer (``bot.dialogue.core.Dialogue``, real engine from
``recbot prepare``, real Redis); every listed item is checked against the expected
constraints (not the parsed ones). Prints the share of items that meet them, the empty
replies, and each request with a miss. Users from ``--first-user`` are deleted at the end.

    .venv/bin/python bench/request_probe.py [--redis-url redis://127.0.0.1:6379/7] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import load_settings  # noqa: E402
from bot.dialogue.core import Dialogue  # noqa: E402
from bot.ops.artifacts import load_engine  # noqa: E402
from bot.redis_conn import connect  # noqa: E402
from bot.store import RedisStore  # noqa: E402

# (message, genres required, genres excluded, year from, year to, person, rating floor)
Request = tuple[str, tuple[str, ...], tuple[str, ...], int | None, int | None, str | None, float | None]
REQUESTS: tuple[Request, ...] = (
 ("I'm in the mood for a scary movie from the 80s", ("Horror",), (), 1980, 1989, None, None),
 ("any good comedies with Jim Carrey?", ("Comedy",), (), None, None, "Jim Carrey", None),
 ("looking for a sci fi flick made after 2010", ("Sci-Fi",), (), 2011, None, None, None),
 ("can you suggest a western", ("Western",), (), None, None, None, None),
 ("show me some thrillers from the 2000s please", ("Thriller",), (), 2000, 2009, None, None),
 ("I want to watch something romantic tonight", ("Romance",), (), None, None, None, None),
 ("what's a good war film", ("War",), (), None, None, None, None),
 ("animated films from the nineties", ("Animation",), (), 1990, 1999, None, None),
 ("a horror comedy", ("Horror", "Comedy"), (), None, None, None, None),
 ("action films but nothing with sci-fi", ("Action",), ("Sci-Fi",), None, None, None, None),
 ("Recommend me a documentary", ("Documentary",), (), None, None, None, None),
 ("movies starring Meryl Streep", (), (), None, None, "Meryl Streep", None),
 ("films by Quentin Tarantino", (), (), None, None, "Quentin Tarantino", None),
 ("something directed by Christopher Nolan", (), (), None, None, "Christopher Nolan", None),
 ("a crime movie from the 70s", ("Crime",), (), 1970, 1979, None, None),
 ("musicals from before 1970", ("Musical",), (), None, 1969, None, None),
 ("I need a fantasy adventure", ("Fantasy", "Adventure"), (), None, None, None, None),
 ("mystery films released after 2005", ("Mystery",), (), 2006, None, None, None),
 ("Give me a comedy that isn't romantic", ("Comedy",), ("Romance",), None, None, None, None),
 ("highly rated documentaries", ("Documentary",), (), None, None, None, 3.5),
 ("a drama rated at least 4 stars", ("Drama",), (), None, None, None, 4.0),
 ("Tom Cruise action movies", ("Action",), (), None, None, "Tom Cruise", None),
 ("I love Denzel Washington, what should I watch", (), (), None, None, "Denzel Washington", None),
 ("a sci-fi movie with aliens but no horror", ("Sci-Fi",), ("Horror",), None, None, None, None),
 ("kids movies from the 2010s", ("Children",), (), 2010, 2019, None, None),
 ("old black and white film noir", ("Film-Noir",), (), None, None, None, None),
 ("Steven Spielberg films from the 80s", (), (), 1980, 1989, "Steven Spielberg", None),
 ("could you recommend some thriller movies from 1995 to 2000", ("Thriller",), (), 1995, 2000, None, None),
 ("any horror made in the last 10 years?", ("Horror",), (), 2009, None, None, None),
 ("I feel like watching an action comedy", ("Action", "Comedy"), (), None, None, None, None),
 ("what are some good romcoms", ("Romance", "Comedy"), (), None, None, None, None),
 ("a movie with Leonardo DiCaprio", (), (), None, None, "Leonardo DiCaprio", None),
 ("sci-fi from the 1970s", ("Sci-Fi",), (), 1970, 1979, None, None),
 ("Looking for a good drama with Tom Hanks", ("Drama",), (), None, None, "Tom Hanks", None),
 ("comedies older than 1990", ("Comedy",), (), None, 1989, None, None),
 ("horror films not older than 2010", ("Horror",), (), 2010, None, None, None),
 ("war movies set in WW2 from the 60s", ("War",), (), 1960, 1969, None, None),
 ("is there any good adventure movie for the family", ("Children",), (), None, None, None, None),
 ("What would you suggest for a fan of westerns and action", ("Western",), (), None, None, None, None),
 ("Please find me a thriller, no horror please", ("Thriller",), ("Horror",), None, None, None, None),
 ("an Adam Sandler comedy", ("Comedy",), (), None, None, "Adam Sandler", None),
 ("movies directed by Martin Scorsese", (), (), None, None, "Martin Scorsese", None),
 ("the best crime films ever", ("Crime",), (), None, None, None, None),
 ("a recent animated movie", ("Animation",), (), 2010, None, None, None),
 ("give me some 90s action", ("Action",), (), 1990, 1999, None, None),
 ("dramas between 2000 and 2010", ("Drama",), (), 2000, 2010, None, None),
 ("I'd like a mystery thriller", ("Mystery", "Thriller"), (), None, None, None, None),
 ("a funny movie from the 2000s", ("Comedy",), (), 2000, 2009, None, None),
 ("some good sci fi with Harrison Ford", ("Sci-Fi",), (), None, None, "Harrison Ford", None),
 ("fantasy movies, but not animated", ("Fantasy",), ("Animation",), None, None, None, None),
 ("a scary film", ("Horror",), (), None, None, None, None),
 ("romance movies made before 2000", ("Romance",), (), None, 1999, None, None),
 ("I want to see a musical", ("Musical",), (), None, None, None, None),
 ("any documentaries about music", ("Documentary",), (), None, None, None, None),
 ("a comedy with Will Ferrell", ("Comedy",), (), None, None, "Will Ferrell", None),
 ("films starring Scarlett Johansson after 2010", (), (), 2011, None, "Scarlett Johansson", None),
 ("crime thrillers from the 90s", ("Crime", "Thriller"), (), 1990, 1999, None, None),
 ("a heist movie with Brad Pitt", (), (), None, None, "Brad Pitt", None),
 ("something from Pixar", ("Animation",), (), None, None, None, None),
 ("I'd love a good old western from the 60s", ("Western",), (), 1960, 1969, None, None),
 ("Any war film rated 4 or more?", ("War",), (), None, None, None, 4.0),
 ("Can I get a list of horror movies from 2015 onwards", ("Horror",), (), 2015, None, None, None),
 ("suggest an action movie without violence", ("Action",), (), None, None, None, None),
 ("comedies from 1985", ("Comedy",), (), 1985, 1985, None, None),
 ("movies from the 2010s with Ryan Reynolds", (), (), 2010, 2019, "Ryan Reynolds", None),
 ("an animated film that adults enjoy", ("Animation",), (), None, None, None, None),
 ("a sci-fi thriller", ("Sci-Fi", "Thriller"), (), None, None, None, None),
 ("I like dramas, especially ones with Morgan Freeman", ("Drama",), (), None, None, "Morgan Freeman", None),
 ("Hitchcock movies", (), (), None, None, "Alfred Hitchcock", None),
 ("any Wes Anderson films?", (), (), None, None, "Wes Anderson", None),
 ("sci fi movies not older than 2012", ("Sci-Fi",), (), 2012, None, None, None),
 ("horror flicks, nothing before 2000", ("Horror",), (), 2000, None, None, None),
 ("comedies that came out after 2015", ("Comedy",), (), 2016, None, None, None),
 ("drama films newer than 2008", ("Drama",), (), 2009, None, None, None),
 ("a thriller from the last 5 years", ("Thriller",), (), 2014, None, None, None),
 ("westerns made before the 1960s", ("Western",), (), None, 1959, None, None),
 ("romantic movies from the late 90s", ("Romance",), (), 1995, 1999, None, None),
 ("action from the early 2000s", ("Action",), (), 2000, 2004, None, None),
 ("a good horor movie", ("Horror",), (), None, None, None, None),
 ("comdey from the 80s", ("Comedy",), (), 1980, 1989, None, None),
 ("thriler movies", ("Thriller",), (), None, None, None, None),
 ("animated movie for my kids", ("Animation",), (), None, None, None, None),
 ("something the whole family can watch", ("Children",), (), None, None, None, None),
 ("a not too old action movie", ("Action",), (), 2005, None, None, None),
 ("funny sci-fi", ("Comedy", "Sci-Fi"), (), None, None, None, None),
 ("scary movies with no gore from the 90s", ("Horror",), (), 1990, 1999, None, None),
 ("a war drama", ("War", "Drama"), (), None, None, None, None),
 ("movies with Tom Hanks that aren't dramas", (), ("Drama",), None, None, "Tom Hanks", None),
 ("Nicolas Cage action films", ("Action",), (), None, None, "Nicolas Cage", None),
 ("Jackie Chan comedies", ("Comedy",), (), None, None, "Jackie Chan", None),
 ("movies directed by Ridley Scott after 2000", (), (), 2001, None, "Ridley Scott", None),
 ("a Clint Eastwood western", ("Western",), (), None, None, "Clint Eastwood", None),
 ("something with Julia Roberts from the 90s", (), (), 1990, 1999, "Julia Roberts", None),
 ("give me a really good drama, 4 stars or more", ("Drama",), (), None, None, None, 4.0),
 ("crime films from 1990 to 1995", ("Crime",), (), 1990, 1995, None, None),
 ("I want to watch an adventure film from the 80s", ("Adventure",), (), 1980, 1989, None, None),
 ("musicals with Julie Andrews", ("Musical",), (), None, None, "Julie Andrews", None),
 ("a documentary from this decade", ("Documentary",), (), 2010, None, None, None),
 ("horror but not a slasher, made in the 2010s", ("Horror",), (), 2010, 2019, None, None),
 ("a comedy, not animated, from the 2000s", ("Comedy",), ("Animation",), 2000, 2009, None, None),
 ("mystery movies pre 1980", ("Mystery",), (), None, 1979, None, None),
 ("sci-fi since 2010", ("Sci-Fi",), (), 2010, None, None, None),
 ("a fantasy film from 2001", ("Fantasy",), (), 2001, 2001, None, None),
 ("action movies with Keanu Reeves", ("Action",), (), None, None, "Keanu Reeves", None),
 ("films by the Coen brothers", (), (), None, None, None, None),
 ("I'm looking for a family movie from the 90s", ("Children",), (), 1990, 1999, None, None),
 ("an old horror classic", ("Horror",), (), None, 1979, None, None),
 ("A romantic comedy with Hugh Grant", ("Romance", "Comedy"), (), None, None, "Hugh Grant", None),
 ("thrillers, nothing older than 10 years", ("Thriller",), (), 2008, None, None, None),
 ("movies from 2016 with Emma Stone", (), (), 2016, 2016, "Emma Stone", None),
 ("anything good from 1994?", (), (), 1994, 1994, None, None),
 ("sci-fi movies between 1977 and 1985", ("Sci-Fi",), (), 1977, 1985, None, None),
 ("dramas from the 2010's", ("Drama",), (), 2010, 2019, None, None),
 ("action films from the 90's without Arnold Schwarzenegger", ("Action",), (), 1990, 1999, None, None),
 ("I'd like a kids movie that is not animated", ("Children",), ("Animation",), None, None, None, None),
 ("a good crime thriller with Denzel", ("Crime", "Thriller"), (), None, None, "Denzel Washington", None),
 ("war films about Vietnam", ("War",), (), None, None, None, None),
 ("a horror movie from after 2010 that isnt too scary", ("Horror",), (), 2011, None, None, None),
 ("recommend a film noir", ("Film-Noir",), (), None, None, None, None),
 ("romance from the 1950s", ("Romance",), (), 1950, 1959, None, None),
)


def misses(engine, request: Request, item_ids: list[int]) -> list[str]:
    """The items of a reply that break an expected constraint, as "Title (Year) genres"."""
    _, wanted, banned, lo, hi, person, floor = request
    catalog = engine.catalog
    out = []
    for item_id in item_ids:
        i = catalog.index(item_id)
        genres, year = set(catalog.genres[i]), int(catalog.years[i])
        ok = all(g in genres for g in wanted) and not genres & set(banned)
        ok &= (lo is None or year >= lo) and (hi is None or year <= hi)
        ok &= person is None or person in {*catalog.directors[i], *catalog.cast[i]}
        ok &= floor is None or float(catalog.rating_mean[i]) >= floor - 0.05
        if not ok:
            out.append(f"{catalog.titles[i]} ({year}) {'/'.join(sorted(genres))}")
    return out


async def probe(redis_url: str | None, first_user: int) -> dict:
    overrides = {"RECBOT_RATE_LIMIT": 1_000_000, **({"REDIS_URL": redis_url} if redis_url else {})}
    settings = load_settings(**overrides)
    engine = load_engine(settings)
    redis = connect(settings)
    store = RedisStore(redis, settings.session_ttl_s)
    dialogue = Dialogue(engine, store, settings)
    items = good = empty = 0
    failed = []
    try:
        for n, request in enumerate(REQUESTS):
            user = first_user + n
            await store.forget(user)
            reply = await dialogue.handle_text(user, request[0])
            ids = [item.item_id for item in reply.items]
            bad = misses(engine, request, ids)
            items, good, empty = items + len(ids), good + len(ids) - len(bad), empty + (not ids)
            if bad or not ids:
                failed.append({"text": request[0], "header": reply.text.split("\n", 1)[0], "misses": bad})
            await store.forget(user)
    finally:
        await redis.aclose()
    return {"requests": len(REQUESTS), "items": items, "precision": round(good / max(items, 1), 4),
            "empty": empty, "failed": failed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--redis-url", default=None, help="default: REDIS_URL / the settings")
    parser.add_argument("--first-user", type=int, default=880_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    report = asyncio.run(probe(args.redis_url, args.first_user))
    if args.json:
        print(json.dumps(report))
        return 0
    for row in report["failed"]:
        print(f"{row['text']}\n    => {row['header']}\n    misses: {row['misses']}")
    print(f"precision {report['precision']:.3f} of {report['items']} items, "
          f"{report['empty']} of {report['requests']} replies empty")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
