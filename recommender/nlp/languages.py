"""Film languages: the words people use for them ("French", "Korean", "Bollywood") and
the ISO 639-1 codes of the catalog's ``original_language`` column they stand for.

One table for the parser (words), the filters (codes) and the summaries (names), so
what is understood and what is shown agree. A word may stand for several codes: TMDB
writes Cantonese films as ``cn`` beside Mandarin ``zh``, and Norwegian as ``no`` or
``nb``.
"""

from __future__ import annotations

# Code -> English name, in the order summaries list them.
NAMES: dict[str, str] = {
    "fr": "French", "es": "Spanish", "it": "Italian", "de": "German", "ja": "Japanese",
    "ko": "Korean", "zh": "Chinese", "cn": "Cantonese", "hi": "Hindi", "ru": "Russian",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "nb": "Norwegian", "fi": "Finnish",
    "nl": "Dutch", "pt": "Portuguese", "fa": "Persian", "th": "Thai", "tr": "Turkish",
    "pl": "Polish", "cs": "Czech", "he": "Hebrew", "ar": "Arabic", "el": "Greek",
    "hu": "Hungarian", "ro": "Romanian", "id": "Indonesian",
}  # fmt: skip

# Word (lower case) -> the codes it asks for.
WORDS: dict[str, tuple[str, ...]] = {
    "french": ("fr",), "spanish": ("es",), "mexican": ("es",), "argentinian": ("es",),
    "italian": ("it",), "german": ("de",), "japanese": ("ja",), "korean": ("ko",),
    "chinese": ("zh", "cn"), "mandarin": ("zh",), "cantonese": ("cn",),
    "hindi": ("hi",), "bollywood": ("hi",), "indian": ("hi",), "russian": ("ru",),
    "swedish": ("sv",), "danish": ("da",), "norwegian": ("no", "nb"), "finnish": ("fi",),
    "dutch": ("nl",), "portuguese": ("pt",), "brazilian": ("pt",), "persian": ("fa",),
    "iranian": ("fa",), "thai": ("th",), "turkish": ("tr",), "polish": ("pl",),
    "czech": ("cs",), "israeli": ("he",), "hebrew": ("he",), "arabic": ("ar",),
    "greek": ("el",), "hungarian": ("hu",), "romanian": ("ro",), "indonesian": ("id",),
}  # fmt: skip

# Every code the words can produce, sorted: the vocabulary of shared links' bitmask.
CODES: tuple[str, ...] = tuple(sorted({c for codes in WORDS.values() for c in codes}))

# "foreign films", "a foreign language movie": any language but English, all of the above.
NOT_ENGLISH: tuple[str, ...] = tuple(NAMES)
