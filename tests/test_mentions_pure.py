"""Titles anywhere in a message, what is said about them, and small talk: the pure passes
on the real ml-latest-small catalog (titles people actually write)."""

from __future__ import annotations

import pytest

from recommender.nlp.intent import Intent, small_talk
from recommender.nlp.parser import tokenize
from recommender.nlp.sentiment import Stance, pronoun_stance, stances
from recommender.nlp.spotting import spot_titles
from recommender.nlp.titles import TitleIndex
from tests.data_paths import has_movielens, movielens_dir


@pytest.fixture(scope="module")
def catalog():
    from recommender.data.loaders import load_dataset

    if not has_movielens():
        pytest.skip(f"no MovieLens catalog at {movielens_dir()}")
    return load_dataset(movielens_dir()).catalog


@pytest.fixture(scope="module")
def titles(catalog) -> TitleIndex:
    return TitleIndex(catalog)


def spotted(text: str, titles: TitleIndex, catalog) -> list[str | None]:
    tokens = tokenize(text)
    found = spot_titles(text, tokens, [True] * len(tokens), titles, catalog.rating_count)
    return [s.match.label if s.match else None for s in found]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("i watched Click (2006) and i liked it", ["Click (2006)"]),
        ("maybe Men in Black (1997)", ["Men in Black (1997)"]),
        ("Jurasic Park (1993) was great", ["Jurassic Park (1993)"]),  # misspelt, year-bound
        ("I loved Inception and Interstellar", ["Inception (2010)", "Interstellar (2014)"]),
        ("Have you seen The Dark Knight?", ["The Dark Knight (2008)"]),
        ("i watched the dark knight and loved it", ["The Dark Knight (2008)"]),
        # misspelt without a year: a word no catalog text contains, after a cue or capitalised
        ("i do like the excorcist", ["The Exorcist (1973)"]),
        ("I love Interstelar", ["Interstellar (2014)"]),
        ("I like Seven Samori as well", ["Seven Samurai (1954)"]),
        ("i like the actors", []), ("I love scifi and horor movies", []),
        ("I really like it. It's funny and heartwarming.", []),  # not It's a Wonderful Life
        ("Have you seen It (2017)?", ["It (2017)"]),
        ("When I was younger I really enjoyed the A Nightmare on Elm Street (1984)",
         ["A Nightmare on Elm Street (1984)"]),
        # a title bound to its year that the catalog lacks is still one mention, not words
        ("Or The Forest (2016) I saw while in theaters", [None]),
        # small talk and pronouns are never titles
        ("Awesome.", []), ("Hello! wonderful!", []), ("I liked It", []),
        ("Is that a great one? I have never seen it", []),
        ("I watched a movie last night", []), ("I love Tom Hanks movies", []),
        # a message that is nothing but a well-known title, in any case
        ("Inception", ["Inception (2010)"]), ("goodfellas!", ["Goodfellas (1990)"]),
        ("the dark knight", ["The Dark Knight (2008)"]), ("It", []), ("2012", []),
    ],
)  # fmt: skip
def test_titles_anywhere_in_a_message(text: str, labels: list, titles, catalog) -> None:
    assert spotted(text, titles, catalog) == labels


def stance_of(text: str, *mentions: str) -> list[str]:
    spans = [(text.index(m), text.index(m) + len(m)) for m in mentions]
    return [s.value for s in stances(text, spans)]


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        ("i watched Click (2006) and i liked it", ["Click"], ["liked"]),
        ("I have seen American Pie (1999)", ["American Pie"], ["seen"]),
        ("I liked Click but hated Grown Ups", ["Click", "Grown Ups"], ["liked", "disliked"]),
        ("I did not like Titanic", ["Titanic"], ["disliked"]),
        ("Have you seen The Dark Knight?", ["The Dark Knight"], ["asked"]),
        ("I haven't seen Titanic, is it good?", ["Titanic"], ["unseen"]),
        ("I never saw Alien", ["Alien"], ["unseen"]),
        ("I watched Click. I loved it.", ["Click"], ["liked"]),
        ("a movie like Super Troopers (2001)", ["Super Troopers"], ["reference"]),
        ("I really like Click", ["Click"], ["liked"]),
        ("The Best Man (1999)", ["The Best Man"], ["reference"]),  # "best" is in the title
        # a negation right before a title leaves the film out; after a verb, it negates the verb
        ("anything with Keanu Reeves that's not John Wick", ["John Wick"], ["rejected"]),
        ("sci-fi but not Star Wars", ["Star Wars"], ["rejected"]),
        ("a good comedy but not Click", ["Click"], ["rejected"]),
        ("I have seen It (2017), but not It (1990).", ["It (2017)", "It (1990)"], ["seen", "unseen"]),
        ("I loved Alien but not Aliens", ["Alien", "Aliens"], ["liked", "disliked"]),
        # "nothing like X" asks for what X is not; "all but X" excepts X from the verb
        ("something by Christopher Nolan that isn't Batman", ["Batman"], ["rejected"]),
        ("sci-fi that's not Star Wars", ["Star Wars"], ["rejected"]),
        ("Isn't Inception great?", ["Inception"], ["asked"]),
        ("I don't want to watch Interstellar", ["Interstellar"], ["rejected"]),
        ("I want to watch Interstellar", ["Interstellar"], ["unseen"]),
        ("sci-fi, nothing like Star Wars", ["Star Wars"], ["rejected"]),
        ("a thriller, not similar to Saw", ["Saw"], ["rejected"]),
        ("anything but Harry Potter", ["Harry Potter"], ["rejected"]),
        ("a comedy other than Click", ["Click"], ["rejected"]),
        ("Ive seen them all but Lady Bird (2017)", ["Lady Bird"], ["unseen"]),
        ("I've seen everything except Alien", ["Alien"], ["unseen"]),
        ("I liked Click but Grown Ups was awful", ["Click", "Grown Ups"], ["liked", "disliked"]),
    ],
)  # fmt: skip
def test_what_is_said_about_each_mention(text: str, mentions: list, expected: list) -> None:
    assert stance_of(text, *mentions) == expected


@pytest.mark.parametrize(
    ("text", "stance"),
    [("Is that a great one? I have never seen it", Stance.UNSEEN), ("what is it about?", Stance.ASKED),
     ("I loved it", Stance.LIKED), ("more like that one", Stance.REFERENCE),
     ("I have seen it", Stance.SEEN), ("I didn't like that one", Stance.DISLIKED),
     ("a comedy please", None)],
)  # fmt: skip
def test_pronouns_carry_a_stance(text: str, stance: Stance | None) -> None:
    assert pronoun_stance(text) is stance


@pytest.mark.parametrize(
    ("text", "kinds", "only"),
    [
        ("Awesome.", [Intent.PRAISE], True),
        ("Hello! wonderful!", [Intent.GREETING, Intent.PRAISE], True),
        ("Thank you i will watch that too", [Intent.THANKS, Intent.TRY], True),
        ("thanks goodbye", [Intent.THANKS, Intent.BYE], True),
        ("I'm good, how about you?", [Intent.ABOUT_BOT], True),
        ("What else do you have?", [Intent.MORE], True),
        ("I appreciate your time. I will need to check those out. Are there any others?",
         [Intent.THANKS, Intent.TRY, Intent.MORE], True),
        ("Hi I am looking for a movie like Super Troopers (2001)", [Intent.GREETING], False),
        ("ok cool, any comedies?", [Intent.PRAISE], False),
        ("I like action movies", [], False),
        ("have a good day", [Intent.BYE], True),
        ("it was nice talking to you", [Intent.BYE], True),
        ("You too.", [Intent.ABOUT_BOT], True),
        ("'bye", [Intent.BYE], True),
        ("what do you recommend?", [Intent.MORE], True),
        ("What should I watch?", [Intent.MORE], True),
        ("I should watch that", [Intent.TRY], True),
        ("I like all kinds of movies", [Intent.OPEN], True),
        ("anything is fine with me", [Intent.OPEN], True),
        ("Sorry about that", [Intent.ABOUT_BOT], True),
        # declining is neither thanks nor praise; "none of these" asks for others
        ("no thanks", [Intent.DECLINE], True),
        ("hmm, not for me", [Intent.PRAISE, Intent.DECLINE], True),
        ("nah, not really my thing", [Intent.DECLINE], True),
        ("none of these", [Intent.MORE], True),
        ("surprise me", [Intent.OPEN], True),
        ("a random movie", [Intent.OPEN], True),
        ("I've seen none of these", [], False),
    ],
)  # fmt: skip
def test_small_talk(text: str, kinds: list, only: bool) -> None:
    found = small_talk(text)
    assert (found.kinds, found.only) == (kinds, only)


def test_spans_of_picks_the_kinds_asked_for() -> None:
    found = small_talk("it was great, nice talking to you")
    assert [("it was great, nice talking to you"[a:b]) for a, b in found.spans_of(frozenset({Intent.BYE}))] \
        == ["nice talking to you"]
