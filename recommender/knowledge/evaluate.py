"""``recbot eval knowledge``: people, topic and "like <title>" requests, scored from the
item metadata (directors, cast, keywords, overviews) rather than from ratings.

Requests are generated from the catalog with a fixed seed, in varied phrasings a person
would type, so the figures follow the capability and not a hand-picked list:

- **people** (``n_people``, default 48): directors and actors with enough credits,
  asked as "movies directed by X", "a Spielberg film", "anything starring X", "a X
  comedy", "X films from the 90s", lower case, or with a typo. A pick counts when the
  person is credited in the asked role ("directed by" = director; otherwise director or
  cast) and it meets the other constraints of the request (genre, decade).
- **topics** (``TOPICS``, 24 requests): "a movie about time travel", "a heist in
  space"... A pick counts when its keywords, tags or overview name every part of the
  topic (each part: any of a few words).
- **like X** (``n_like``, default 32): popular films, "movies like X", "I loved X, give
  me more like it"... A pick counts when its genre Jaccard with X is at least 1/3.

Each request is answered cold (no history), top ``k`` = 5. An empty answer scores 0
and is counted in ``empty``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.knowledge.topics import stem
from recommender.nlp.query import CAST, DIRECTOR

GENRE_JACCARD = 1 / 3
MIN_DIRECTOR_FILMS = 6
MIN_ACTOR_FILMS = 10
POPULAR_LIKE_POOL = 200  # "like X" references come from the most-rated films


@dataclass
class Request:
    """One request and what a correct pick must satisfy."""

    kind: str  # "people" | "topic" | "like"
    text: str
    person: str | None = None
    role: str | None = None
    genre: str | None = None
    decade: int | None = None
    topic: tuple[tuple[str, ...], ...] = ()
    reference: int | None = None  # item index for "like"
    extra: dict[str, Any] = field(default_factory=dict)


# (request, parts): a part is satisfied by any of its words in keywords/tags/overview.
TOPICS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("a movie about time travel", (("time travel", "time machine", "time traveler"),)),
    ("a heist in space", (("heist", "robbery", "thief", "steal"), ("space", "planet", "spaceship", "galaxy"))),
    ("something about a shark", (("shark",),)),
    ("a prison escape movie", (("prison", "jail", "penitentiary"), ("escape", "breakout"))),
    ("films about zombies", (("zombie", "undead", "living dead"),)),
    ("vampire movies", (("vampire", "dracula"),)),
    ("a boxing film", (("boxing", "boxer"),)),
    ("something set on a submarine", (("submarine", "u-boat"),)),
    ("movies with dinosaurs", (("dinosaur", "t-rex", "jurassic"),)),
    ("a film about artificial intelligence", (("artificial intelligence", "robot", "android", "computer"),)),
    ("a serial killer thriller", (("serial killer", "murderer", "killer"),)),
    ("a road trip movie", (("road trip", "road movie", "cross country", "journey"),)),
    ("a haunted house film", (("haunted", "ghost", "haunting"),)),
    ("an alien invasion movie", (("alien invasion", "extraterrestrial", "alien"),)),
    ("movies about the mafia", (("mafia", "mob", "gangster", "organized crime"),)),
    ("a story with dragons", (("dragon",),)),
    ("pirate adventures", (("pirate",),)),
    ("a film about a chef or cooking", (("chef", "cooking", "cook", "restaurant", "food"),)),
    ("a movie about chess", (("chess",),)),
    ("a revenge story", (("revenge", "vengeance", "avenge"),)),
    ("a movie where someone loses their memory", (("amnesia", "memory", "memories"),)),
    ("hackers and computers", (("hacker", "hacking", "computer"),)),
    ("a disaster movie about a volcano or an earthquake", (("volcano", "earthquake", "eruption"),)),
    ("surfing movies", (("surfing", "surfer", "surf"),)),
)

_DIRECTOR_PHRASES = (
    "movies directed by {name}", "films by {name}", "a {surname} film",
    "something from director {name}", "{lower} movies", "I want to watch a {name} {genre}",
    "{name} films from the {decade}s", "anything directed by {typo}",
)  # fmt: skip
_ACTOR_PHRASES = (
    "movies with {name}", "anything starring {name}", "a {lower} {genre}",
    "films featuring {name} from the {decade}s", "show me movies with {typo}",
    "{name} movies", "I'd like a film starring {lower}", "what should I watch with {name} in it",
)  # fmt: skip
_LIKE_PHRASES = (
    "movies like {title}", "I loved {title}, give me more like it", "something similar to {title}",
    "anything like {title}?", "more films like {title} please", "recommend me something like {lower}",
    "if you liked {title}, what else", "similar to {title}",
)  # fmt: skip
_GENRE_WORDS = {"Comedy": "comedy", "Drama": "drama", "Thriller": "thriller", "Action": "action movie",
                "Crime": "crime film", "Romance": "romance", "Horror": "horror movie",
                "Sci-Fi": "sci-fi film", "Western": "western", "Adventure": "adventure"}  # fmt: skip


def build_requests(catalog, people, *, n_people: int = 48, n_like: int = 32,
                   seed: int = 42) -> list[Request]:  # fmt: skip
    """The evaluation's requests for ``catalog`` (``people``: its ``PeopleIndex``)."""
    rng = random.Random(seed)
    out = _people_requests(catalog, people, rng, n_people)
    out += [Request("topic", text, topic=parts) for text, parts in TOPICS]
    popular = list(np.argsort(-np.asarray(catalog.rating_count), kind="stable")[:POPULAR_LIKE_POOL])
    for n, idx in enumerate(rng.sample(popular, min(n_like, len(popular)))):
        title = catalog.titles[int(idx)]
        phrase = _LIKE_PHRASES[n % len(_LIKE_PHRASES)]
        out.append(Request("like", phrase.format(title=title, lower=title.lower()), reference=int(idx)))
    return out


def _people_requests(catalog, people, rng: random.Random, n: int) -> list[Request]:
    directors = sorted(p for p in people.credits if people.role_credits(p, DIRECTOR) >= MIN_DIRECTOR_FILMS)
    actors = sorted(p for p in people.credits if people.role_credits(p, CAST) >= MIN_ACTOR_FILMS)
    chosen = [(p, DIRECTOR) for p in rng.sample(directors, min(n // 2, len(directors)))]
    chosen += [(p, CAST) for p in rng.sample(actors, min(n - len(chosen), len(actors)))]
    out = []
    for k, (name, role) in enumerate(chosen):
        phrases = _DIRECTOR_PHRASES if role == DIRECTOR else _ACTOR_PHRASES
        phrase = phrases[k // 2 % len(phrases)]
        items = people.items_of(name, role)
        genre = _common(g for i in items for g in catalog.genres[i] if g in _GENRE_WORDS)
        decade = _common(int(catalog.years[i]) // 10 * 10 for i in items if catalog.years[i])
        if "{surname}" in phrase and people.resolve(name.split()[-1]) != people.resolve(name):
            phrase = "films by {name}"  # an ambiguous surname ("Scott") is no request
        text = phrase.format(name=name, surname=name.split()[-1], lower=name.lower(),
                             typo=_typo(name, rng), genre=_GENRE_WORDS.get(genre or "", "film"),
                             decade=decade)  # fmt: skip
        out.append(Request(
            "people", text, person=name,
            role=DIRECTOR if "direct" in phrase else None,
            genre=genre if "{genre}" in phrase else None,
            decade=decade if "{decade}" in phrase else None,
        ))  # fmt: skip
    return out


def _common(values) -> Any:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def _typo(name: str, rng: random.Random) -> str:
    """One letter of the surname doubled or dropped: "Spielberg" -> "Spielbrg"."""
    first, _, last = name.rpartition(" ")
    if len(last) < 5:
        return name
    k = rng.randrange(1, len(last) - 1)
    last = last[:k] + last[k + 1:] if rng.random() < 0.5 else last[:k] + last[k] + last[k:]
    return f"{first} {last}".strip()


def _words(text: str) -> str:
    return " ".join(stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()))


def score_pick(catalog, people, request: Request, idx: int) -> bool:
    """Whether item ``idx`` is a correct answer to ``request`` (see the module doc)."""
    if request.kind == "people":
        names = catalog.directors[idx] if request.role == DIRECTOR else catalog.people_of(idx)
        if request.person not in names:
            return False
        if request.genre and request.genre not in catalog.genres[idx]:
            return False
        return not (request.decade and int(catalog.years[idx]) // 10 * 10 != request.decade)
    if request.kind == "topic":
        text = " | ".join([*catalog.keywords[idx], *catalog.tags[idx], catalog.descriptions[idx]])
        words = f" {_words(text)} "
        return all(any(f" {_words(w)} " in words for w in part) for part in request.topic)
    ref = set(catalog.genres[request.reference])
    genres = set(catalog.genres[idx])
    union = ref | genres
    return bool(union) and len(ref & genres) / len(union) >= GENRE_JACCARD - 1e-9


def evaluate_knowledge(
    engine, requests: Sequence[Request] | None = None, *, k: int = 5,
    progress: Callable[[Sequence[Request]], Sequence[Request]] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Answer every request cold and score it; one dict with the figures per kind."""
    catalog = engine.catalog
    requests = list(requests if requests is not None else build_requests(catalog, engine.people))
    per_kind: dict[str, list[float]] = {"people": [], "topic": [], "like": []}
    empty: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    for req in progress(requests) if progress else requests:
        query = engine.understand(req.text)
        result = engine.recommend(query, {}, k=k)
        picks = [catalog.index(r.item_id) for r in result.items]
        if not picks:
            empty[req.kind] += 1
        hits = [score_pick(catalog, engine.people, req, i) for i in picks]
        precision = sum(hits) / k
        per_kind[req.kind].append(precision)
        if precision < 0.6:
            failures.append({"kind": req.kind, "text": req.text, "precision": precision,
                             "picks": [catalog.label(i) for i in picks]})
    names = {"people": "people_precision", "topic": "topic_precision", "like": "like_genre_share"}
    report: dict[str, Any] = {
        names[kind]: round(float(np.mean(v)), 4) if v else None for kind, v in per_kind.items()
    }
    report["requests"] = {kind: len(v) for kind, v in per_kind.items()}
    report["empty"] = sum(empty.values())
    report["k"] = k
    report["worst"] = sorted(failures, key=lambda f: f["precision"])[:15]
    return report
