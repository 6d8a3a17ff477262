"""The one vocabulary table shared by the query generator (tagger training) and the parser.

Everything here is plain data plus two tiny lookups, so that the words the tagger is
taught and the words the parser understands can never drift apart. Keys are lower case
with single spaces; use :func:`normalize` before looking a phrase up.

Tables (all deterministic in order, because the training-query generator is seeded):

- ``CATALOG_GENRES``: the MovieLens genre names the aliases point at.
- ``GENRE_ALIASES``: surface form -> tuple of catalog genres (a tuple because "romcom"
  means Comedy *and* Romance). Includes plurals, adjectives and frequent typos.
- ``GENRE_TYPOS``: the subset of ``GENRE_ALIASES`` keys that are misspellings (the
  generator may want to sample them separately).
- ``NUMBER_WORDS`` / ``ORDINAL_WORDS``: "three" -> 3, "third" / "3rd" -> 3, "last" -> -1.
- ``DECADE_WORDS``: "eighties" -> 1980.
- ``QUALITY_WORDS``: phrase -> minimum star rating it implies;
  ``FLOOR_ONLY_QUALITY_WORDS`` those that do not also ask for the best-rated first.
- ``RECENT_WORDS`` / ``OLD_WORDS``: recency intent ("latest", "classic").
- ``NEGATION_CUES``: phrases that open a negation scope ("no", "anything but").
- ``REFERENCE_CUES``: phrases that introduce a reference title ("similar to").
- ``BEFORE_CUES`` / ``AFTER_CUES`` / ``BETWEEN_CUES``: year-relation words.
- ``COMMAND_PHRASES``: whole-message phrase -> command name (``Command`` values).
- ``FILLER_WORDS``: words dropped from the free text used for semantic matching;
  ``FOLLOW_UP_FILLER`` the same plus what a follow-up message says that the refinement
  rules have already read (negation, "instead", "similar").
"""

from __future__ import annotations

import re
import unicodedata

CATALOG_GENRES: tuple[str, ...] = (
    "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary",
    "Drama", "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance",
    "Sci-Fi", "Thriller", "War", "Western",
)  # fmt: skip

# Surface form -> catalog genres. Canonical names first, then aliases, then typos.
GENRE_ALIASES: dict[str, tuple[str, ...]] = {
    # Action
    "action": ("Action",), "action packed": ("Action",), "action-packed": ("Action",),
    "actions": ("Action",), "martial arts": ("Action",), "kung fu": ("Action",),
    # Adventure
    "adventure": ("Adventure",), "adventures": ("Adventure",), "adventurous": ("Adventure",),
    # Animation
    "animation": ("Animation",), "animated": ("Animation",), "animations": ("Animation",),
    "cartoon": ("Animation",), "cartoons": ("Animation",), "anime": ("Animation",),
    "pixar": ("Animation",),
    # Children
    "children": ("Children",), "children's": ("Children",), "childrens": ("Children",),
    # Films for kids / the family are children's films or animation (either will do).
    "kids": ("Children", "Animation"), "kid": ("Children", "Animation"),
    "kids'": ("Children", "Animation"), "family": ("Children", "Animation"),
    "family friendly": ("Children", "Animation"), "family-friendly": ("Children", "Animation"),
    # Comedy
    "comedy": ("Comedy",), "comedies": ("Comedy",), "funny": ("Comedy",),
    "comedic": ("Comedy",), "humorous": ("Comedy",), "humor": ("Comedy",),
    "humour": ("Comedy",), "hilarious": ("Comedy",),
    "romcom": ("Comedy", "Romance"), "rom-com": ("Comedy", "Romance"),
    "rom com": ("Comedy", "Romance"), "romcoms": ("Comedy", "Romance"),
    "rom-coms": ("Comedy", "Romance"), "romantic comedy": ("Comedy", "Romance"),
    "romantic comedies": ("Comedy", "Romance"),
    # Crime
    "crime": ("Crime",), "gangster": ("Crime",), "gangsters": ("Crime",),
    "heist": ("Crime",), "mafia": ("Crime",), "mob": ("Crime",), "detective": ("Crime",),
    # Documentary
    "documentary": ("Documentary",), "documentaries": ("Documentary",),
    "docs": ("Documentary",), "doc": ("Documentary",), "docu": ("Documentary",),
    "docudrama": ("Documentary",), "non-fiction": ("Documentary",),
    "nonfiction": ("Documentary",),
    # Drama
    "drama": ("Drama",), "dramas": ("Drama",), "dramatic": ("Drama",),
    # Fantasy
    "fantasy": ("Fantasy",), "fantasies": ("Fantasy",), "magic": ("Fantasy",),
    "magical": ("Fantasy",), "fairy tale": ("Fantasy",), "fairytale": ("Fantasy",),
    # Film-Noir
    "film-noir": ("Film-Noir",), "film noir": ("Film-Noir",), "noir": ("Film-Noir",),
    "neo-noir": ("Film-Noir",), "neo noir": ("Film-Noir",),
    # Horror
    "horror": ("Horror",), "horrors": ("Horror",), "scary": ("Horror",),
    "slasher": ("Horror",), "slashers": ("Horror",), "spooky": ("Horror",),
    "creepy": ("Horror",), "zombie": ("Horror",), "zombies": ("Horror",),
    # IMAX
    "imax": ("IMAX",),
    # Musical
    "musical": ("Musical",), "musicals": ("Musical",),
    # Mystery
    "mystery": ("Mystery",), "mysteries": ("Mystery",), "whodunit": ("Mystery",),
    "whodunnit": ("Mystery",), "mysterious": ("Mystery",),
    # Romance
    "romance": ("Romance",), "romances": ("Romance",), "romantic": ("Romance",),
    "love story": ("Romance",), "love stories": ("Romance",),
    # Sci-Fi
    "sci-fi": ("Sci-Fi",), "scifi": ("Sci-Fi",), "sci fi": ("Sci-Fi",),
    "science fiction": ("Sci-Fi",), "science-fiction": ("Sci-Fi",), "sf": ("Sci-Fi",),
    "syfy": ("Sci-Fi",), "sci-fy": ("Sci-Fi",), "futuristic": ("Sci-Fi",),
    # Thriller
    "thriller": ("Thriller",), "thrillers": ("Thriller",), "suspense": ("Thriller",),
    "suspenseful": ("Thriller",), "thrilling": ("Thriller",),
    # "something exciting": the films that keep one on the edge of the seat, either kind
    "exciting": ("Action", "Thriller"), "adrenaline": ("Action", "Thriller"),
    # War
    "war": ("War",), "wartime": ("War",), "military": ("War",),
    # Western
    "western": ("Western",), "westerns": ("Western",), "cowboy": ("Western",),
    "cowboys": ("Western",), "spaghetti western": ("Western",),
    # Frequent misspellings (kept explicit so the generator can sample them too).
    "comdy": ("Comedy",), "commedy": ("Comedy",), "comedie": ("Comedy",),
    "horor": ("Horror",), "horrer": ("Horror",), "horrror": ("Horror",),
    "thriler": ("Thriller",), "triller": ("Thriller",), "thrillr": ("Thriller",),
    "romace": ("Romance",), "romanse": ("Romance",), "romence": ("Romance",),
    "documentry": ("Documentary",), "documentery": ("Documentary",),
    "dramma": ("Drama",), "drame": ("Drama",), "fantasie": ("Fantasy",),
    "fantacy": ("Fantasy",), "mistery": ("Mystery",), "mystry": ("Mystery",),
    "animaton": ("Animation",), "annimation": ("Animation",), "westren": ("Western",),
    "advanture": ("Adventure",), "adventue": ("Adventure",), "acton": ("Action",),
    "scfi": ("Sci-Fi",), "sifi": ("Sci-Fi",), "scify": ("Sci-Fi",),
    "musicle": ("Musical",), "criem": ("Crime",),
}  # fmt: skip

GENRE_TYPOS: frozenset[str] = frozenset(
    {
        "comdy", "commedy", "comedie", "horor", "horrer", "horrror", "thriler", "triller",
        "thrillr", "romace", "romanse", "romence", "documentry", "documentery", "dramma",
        "drame", "fantasie", "fantacy", "mistery", "mystry", "animaton", "annimation",
        "westren", "advanture", "adventue", "acton", "scfi", "sifi", "scify", "musicle",
        "criem",
    }
)  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20,
}  # fmt: skip

# 1-based positions; -1 means the last item shown.
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
    "9th": 9, "10th": 10,
    "last": -1, "final": -1,
}  # fmt: skip

DECADE_WORDS: dict[str, int] = {
    "twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950,
    "sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990,
    "noughties": 2000, "aughts": 2000, "two thousands": 2000, "2000s": 2000,
    "twenty tens": 2010, "twenty-tens": 2010, "2010s": 2010,
    "twenty twenties": 2020, "2020s": 2020,
}  # fmt: skip

# Phrase -> implied minimum star rating (0.5..5 scale).
QUALITY_WORDS: dict[str, float] = {
    "highly rated": 3.8, "high rated": 3.8, "highly-rated": 3.8, "top rated": 3.8,
    "top-rated": 3.8, "best rated": 3.8, "well rated": 3.8, "well reviewed": 3.8,
    "well-reviewed": 3.8, "critically acclaimed": 3.8, "acclaimed": 3.8,
    "award winning": 3.8, "award-winning": 3.8, "best": 3.8, "greatest": 3.8,
    "great": 3.8, "excellent": 3.8, "masterpiece": 4.0, "masterpieces": 4.0,
    "must see": 3.8, "must-see": 3.8, "top notch": 3.8, "good": 3.5, "decent": 3.3,
    "quality": 3.5,
}  # fmt: skip
# Quality words that set a floor but not an ordering: "a good drama" wants no bad
# dramas, not the all-time best-rated ones ("the best drama", "highly rated" do). In
# real conversations "good" is the commonest adjective of any request ("any good action
# movies?"), and reading it as "best first" answered it with the all-time canon.
FLOOR_ONLY_QUALITY_WORDS: frozenset[str] = frozenset({"good", "decent", "quality"})

# Genre words whose genres are alternatives (any of them), not all required at once.
ANY_OF_ALIASES: frozenset[str] = frozenset(
    {"kids", "kid", "kids'", "family", "family friendly", "family-friendly", "exciting", "adrenaline"}
)

RECENT_WORDS: tuple[str, ...] = (
    "recent", "new", "newest", "latest", "modern", "current", "fresh", "brand new",
    "contemporary", "recently released",
)  # fmt: skip
OLD_WORDS: tuple[str, ...] = (
    "old", "classic", "classics", "vintage", "oldie", "oldies", "golden age",
    "black and white", "old school", "old-school", "retro",
)  # fmt: skip

# Opening a negation scope: the genres after these, up to a clause break, are excluded.
NEGATION_CUES: tuple[str, ...] = (
    "anything but", "anything except", "nothing", "no more", "no", "not", "non",
    "without", "except", "excluding", "exclude", "but not", "other than", "minus",
    "never", "avoid", "skip", "hate", "dislike", "don't like", "dont like",
    "don't want", "dont want", "do not want", "do not like", "didn't like", "didnt like",
    "did not like", "can't stand", "cant stand",
)  # fmt: skip

REFERENCE_CUES: tuple[str, ...] = (
    "similar to", "more like", "like", "such as", "in the vein of", "reminiscent of",
    "same as", "along the lines of", "in the style of", "the likes of", "resembling",
    "if i liked", "i liked", "i loved", "fans of", "fan of",
)  # fmt: skip

BEFORE_CUES: tuple[str, ...] = (
    "before", "prior to", "until", "till", "up to", "older than", "earlier than", "pre",
    "no later than",
)  # fmt: skip
AFTER_CUES: tuple[str, ...] = (
    "after", "since", "newer than", "later than", "post", "starting",
    "no earlier than", "onwards", "or later", "and later", "or newer", "and up",
)  # fmt: skip
BETWEEN_CUES: tuple[str, ...] = ("between", "from", "in the range")

# Whole-message commands (after normalize and stripping punctuation/politeness).
COMMAND_PHRASES: dict[str, str] = {
    "more": "more", "next": "more", "more please": "more", "show more": "more",
    "next page": "more", "others": "more", "other ones": "more", "more of these": "more",
    "more like these": "more", "something else": "more", "give me more": "more",
    "anything else": "more", "keep going": "more", "go on": "more",
    "reset": "reset", "start over": "reset", "restart": "reset", "clear": "reset",
    "new search": "reset", "begin again": "reset", "start again": "reset",
    "from scratch": "reset", "scratch that": "reset", "never mind": "reset",
    "nevermind": "reset",
    "newer": "newer", "newer ones": "newer", "something newer": "newer",
    "more recent": "newer", "more recent ones": "newer", "newer please": "newer",
    "older": "older", "older ones": "older", "something older": "older",
    "older please": "older",
    "help": "help", "?": "help", "what can you do": "help", "how does this work": "help",
    "commands": "help", "menu": "help", "how do i use this": "help",
    "history": "history", "my history": "history", "my ratings": "history",
    "what have i rated": "history", "show my ratings": "history",
    "forget me": "forget", "delete my data": "forget", "forget everything": "forget",
    "erase my data": "forget", "delete my ratings": "forget",
}  # fmt: skip

# Politeness wrapped around commands ("more please", "ok, next") is ignored.
COMMAND_POLITENESS: tuple[str, ...] = (
    "please", "pls", "plz", "ok", "okay", "thanks", "thank you", "now", "then", "show",
    "me", "give", "some", "just", "hey", "hi", "can you", "could you", "let's", "lets",
)  # fmt: skip

# Dropped from the free text handed to semantic matching: they carry no content.
FILLER_WORDS: frozenset[str] = frozenset(
    {
        "a", "an", "the", "some", "any", "film", "films", "movie", "movies", "flick",
        "flicks", "picture", "pictures", "cinema", "recommend", "recommendation",
        "recommendations", "suggest", "suggestion", "suggestions", "me", "i", "i'm", "im",
        "want", "wanna", "would", "like", "love", "to", "see", "watch", "watching", "show",
        "give", "find", "get", "looking", "look", "for", "please", "pls", "plz", "can",
        "could", "you", "something", "anything", "one", "ones", "that", "which", "am", "is",
        "are", "was", "were", "be", "with", "of", "in", "on", "about", "and", "or", "but",
        "from", "by", "it", "its", "it's", "good", "nice", "really", "very", "so",
        "kind", "sort", "type", "genre", "genres", "need", "lets", "let's", "tonight",
        "today", "now", "maybe", "perhaps", "just", "also", "too", "what", "whats", "what's",
        "there", "have", "has", "had", "do", "does", "my", "we", "us", "our", "hey", "hi",
        "hello", "ok", "okay", "thanks", "thank", "made", "released", "set", "year",
        "years", "decade", "era", "rated", "rating", "ratings", "than", "tell", "info",
        "above", "over", "at", "least", "minimum", "more", "less", "other", "ideas",
        "idea", "into", "fan", "fans", "mood", "feel", "feeling", "up", "lot", "all",
        "this", "these", "those", "will", "he", "she", "they", "them", "him", "her",
        "stuff", "things", "thing", "shall", "should",
        # degree and frequency adverbs ("Mostly comedy", "mainly thrillers")
        "mostly", "mainly", "generally", "usually", "typically", "normally", "basically",
        "primarily", "kinda", "sorta", "only", "himself", "herself",
        # what the ranking's prior already does: "popular movies" searched the word
        # "popular" (G.B.F., Almost Famous, Barely Lethal)
        "popular", "trending", "blockbuster", "blockbusters", "mainstream",
    }
)  # fmt: skip

# What ``recommender.refine`` counts as no new content in a follow-up message:
# ``FILLER_WORDS`` plus the words whose meaning the parser and the refinement rules have
# already taken out of it (negation "no"/"not"/"without"/"don't", "instead", "only",
# "plus", "again", "as", "then", "similar") and a few chat words ("great", "well", "how",
# "i'd"). Not in ``FILLER_WORDS`` itself: the parser's passes read several of them
# (negation scopes, reference cues) and its free text keeps the others ("plus comedy",
# "only" would parse differently).
FOLLOW_UP_FILLER: frozenset[str] = FILLER_WORDS | frozenset(
    {
        "again", "as", "don't", "dont", "great", "how", "i'd", "id", "instead", "no", "not",
        "only", "plus", "similar", "then", "well", "without",
    }
)  # fmt: skip

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalize(text: str) -> str:
    """Lower case, NFKC, curly quotes straightened, runs of whitespace collapsed.

    Offsets are *not* preserved; use it for table look-ups, not for spans.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return _SPACES.sub(" ", text).strip()


def genres_of(phrase: str) -> tuple[str, ...]:
    """Catalog genres a genre phrase names ("Sci Fi" -> ("Sci-Fi",)); () if unknown."""
    return GENRE_ALIASES.get(normalize(phrase), ())


def genre_surface_forms(genre: str, *, typos: bool = False) -> list[str]:
    """All alias phrases that map to exactly ``genre`` alone, canonical spelling first.

    ``typos=True`` includes the misspellings in ``GENRE_TYPOS``.
    """
    forms = [
        alias
        for alias, targets in GENRE_ALIASES.items()
        if targets == (genre,) and (typos or alias not in GENRE_TYPOS)
    ]
    canonical = genre.lower()
    forms.sort(key=lambda a: a != canonical)  # stable: keeps table order otherwise
    return forms
